package alerts

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"newsbot/digest/words"
)

// Query is a parsed alert query: a story matches when every group has at least one alternative
// that occurs in it and no excluded term does. A term is a word or a phrase of consecutive words,
// each matched by word form under the rules of words.Matcher.
//
// A Query is immutable and safe for concurrent use. Only Parse makes valid ones; the zero Query
// matches nothing.
type Query struct {
	groups  [][]term // all must hold; the terms of one group are alternatives
	exclude []term

	once     sync.Once
	compiled *compiledQuery
}

// compiledQuery is a query's matcher: every distinct term is a key, its index in flat.
type compiledQuery struct {
	matcher *words.Matcher
	flat    []string // distinct term keys of groups and exclude
}

// term is one word or phrase: folded tokens, at least one.
type term struct {
	words []string
}

// key is the term's identity: its words joined by a space.
func (t term) key() string { return strings.Join(t.words, " ") }

// String is the term as the canonical query writes it: a word bare, a phrase in quotes.
func (t term) String() string {
	if len(t.words) == 1 {
		return t.words[0]
	}
	return `"` + t.key() + `"`
}

// String returns the canonical form of the query: words folded (lower case, ё as е), phrases in
// straight quotes, alternatives joined by " OR ", exclusions last as -word or -"phrase", each
// group and term once, in the order the user gave them. Parse of the result gives an equal Query,
// within the same Limits. Use it to show the alert back to the user; use Key to detect duplicates.
func (q *Query) String() string {
	var b strings.Builder
	for _, g := range q.groups {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		for i, t := range g {
			if i > 0 {
				b.WriteString(" OR ")
			}
			b.WriteString(t.String())
		}
	}
	for _, t := range q.exclude {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('-')
		b.WriteString(t.String())
	}
	return b.String()
}

// Key returns the canonical form with alternatives, groups and exclusions sorted, so that queries
// that differ only in order ("uranium Kazakhstan", "Kazakhstan uranium") have the same Key. Two
// alerts of one chat with the same Key are duplicates.
func (q *Query) Key() string {
	groups := make([]string, len(q.groups))
	for i, g := range q.groups {
		alts := make([]string, len(g))
		for j, t := range g {
			alts[j] = t.String()
		}
		slices.Sort(alts)
		groups[i] = strings.Join(alts, " OR ")
	}
	slices.Sort(groups)
	excl := make([]string, len(q.exclude))
	for i, t := range q.exclude {
		excl[i] = "-" + t.String()
	}
	slices.Sort(excl)
	return strings.Join(append(groups, excl...), " ")
}

// Equal reports whether q and o have the same groups, alternatives and exclusions in the same
// order, which is when their String forms are equal.
func (q *Query) Equal(o *Query) bool {
	if q == nil || o == nil {
		return q == o
	}
	return slices.EqualFunc(q.groups, o.groups, func(a, b []term) bool { return slices.EqualFunc(a, b, termEqual) }) &&
		slices.EqualFunc(q.exclude, o.exclude, termEqual)
}

func termEqual(a, b term) bool { return slices.Equal(a.words, b.words) }

// Matches reports whether the query matches text, a story's title and summary, in language lang
// ("ru", "kk", "en", or "" when unknown), under the rules of words.Matcher. It is the reference
// the Index is tested against, meant for one query over many stories (how many of the last day's
// stories a new alert matches); to match many queries against a story, use an Index. The first
// call compiles the query into a matcher of a few kilobytes, which the Query keeps.
func (q *Query) Matches(text, lang string) bool {
	q.once.Do(func() { q.compiled = q.compile(transliterate) })
	return q.compiled.matches(q, text, lang)
}

// compile builds the matcher over every distinct term; translit, when not nil, adds each term's
// spelling in the other script as an equivalent keyword.
func (q *Query) compile(translit func(string) string) *compiledQuery {
	c := &compiledQuery{}
	sets := make(map[string][]string)
	add := func(t term) {
		k := t.key()
		if slices.Contains(c.flat, k) {
			return
		}
		id := strconv.Itoa(len(c.flat))
		c.flat = append(c.flat, k)
		for _, sp := range spellings(t.words, translit) {
			sets[id] = append(sets[id], strings.Join(sp, " "))
		}
	}
	for _, g := range q.groups {
		for _, t := range g {
			add(t)
		}
	}
	for _, t := range q.exclude {
		add(t)
	}
	c.matcher = words.NewMatcher(sets)
	return c
}

// matches decides query q, which c was compiled from, on a text.
func (c *compiledQuery) matches(q *Query, text, lang string) bool {
	if len(q.groups) == 0 {
		return false
	}
	keys := c.matcher.Match(text, lang)
	if len(keys) == 0 {
		return false
	}
	found := make(map[string]bool, len(keys))
	for _, k := range keys {
		if i, err := strconv.Atoi(k); err == nil && i < len(c.flat) {
			found[c.flat[i]] = true
		}
	}
	for _, t := range q.exclude {
		if found[t.key()] {
			return false
		}
	}
	for _, g := range q.groups {
		if !slices.ContainsFunc(g, func(t term) bool { return found[t.key()] }) {
			return false
		}
	}
	return true
}

// spellings returns the ways a term may be written: as given, then, when translit is set and
// gives something else, in the other script.
func spellings(ws []string, translit func(string) string) [][]string {
	out := [][]string{ws}
	if translit == nil {
		return out
	}
	alt := words.Tokenize(translit(strings.Join(ws, " ")))
	if len(alt) > 0 && !slices.Equal(alt, ws) {
		out = append(out, alt)
	}
	return out
}
