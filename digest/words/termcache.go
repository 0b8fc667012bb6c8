package words

import (
	"sync"
	"unicode/utf8"
)

// TermCache computes Terms with the stems of words it has seen before remembered. News
// vocabulary repeats from story to story, and Snowball stemming is most of what Terms costs, so
// a pipeline that computes the terms of every story keeps one TermCache. It holds at most max
// words, forgetting them all when full. It is safe for concurrent use.
type TermCache struct {
	mu  sync.Mutex
	max int
	m   map[termKey]string
}

type termKey struct {
	word   string
	kazakh bool
}

// NewTermCache returns a cache of at most max stems (10,000 when max ≤ 0).
func NewTermCache(max int) *TermCache {
	if max <= 0 {
		max = 10000
	}
	return &TermCache{max: max, m: make(map[termKey]string)}
}

// Terms returns what Terms(text, lang) returns.
func (c *TermCache) Terms(text, lang string) []string {
	toks := Tokenize(text)
	kazakh := kazakhText(normLang(lang), toks)
	var out []string
	seen := make(map[string]struct{}, len(toks))
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range toks {
		if utf8.RuneCountInString(t) < 2 || isStopword(t) {
			continue
		}
		k := termKey{t, kazakh}
		st, ok := c.m[k]
		if !ok {
			st = stemToken(t, kazakh)
			if len(c.m) >= c.max {
				clear(c.m)
			}
			c.m[k] = st
		}
		if _, dup := seen[st]; dup {
			continue
		}
		seen[st] = struct{}{}
		out = append(out, st)
	}
	return out
}
