package alerts

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"newsbot/digest/words"
)

// defaultMaxCached bounds the token cache of an Index, at about 90 bytes an entry: 25 MB at most.
const defaultMaxCached = 1 << 18

// wordIndex answers, for each token of a story, which keyword words of the alerts it matches. The
// answer comes from words.Matcher itself, so the word-level rules (folding, stems with their guards,
// the Kazakh suffix chains) are exactly those of words, with nothing copied. Two things make that
// fast enough for a million alerts:
//
//   - Buckets by first letter. Every rule of words.Matcher keeps a word's first letter (equal
//     folded forms, a shared base of three letters or more, a shared Snowball stem, which Snowball
//     only ever shortens at the end, and a Kazakh root with at most its last two letters changed;
//     TestMatchesKeepFirstLetter checks it), so a token is only asked of the matcher over the
//     keyword words that start like it. A matcher call costs time in proportion to its number of
//     keys, so small ones are the point.
//   - A token cache. News vocabulary repeats from story to story, and a matcher call costs a few
//     microseconds (its keys, then Snowball); the answer per token (and Kazakh-text flag) is kept
//     until the bucket's words change or the cache is full.
//
// words.Matcher only reports which keys occur somewhere in a text, not where, so each call is one
// token and the keys are word ids. If words exported a per-token predicate and the keys its rules
// guarantee a matching token shares (the forms Matcher indexes), the buckets and the cache could go.
//
// A wordIndex changes only under the Index's write lock; match runs under its read lock and takes
// mu for the lazily built parts.
type wordIndex struct {
	idOf    map[string]int32
	tab     []wordRec
	free    []int32
	buckets map[rune]*bucket

	mu        sync.Mutex // guards bucket.m, bucket.cache and cached while the Index is read-locked
	cached    int        // entries in all bucket caches
	maxCached int
}

// wordRec is one distinct keyword word.
type wordRec struct {
	s      string
	refs   int32   // term spellings that hold it
	starts int32   // phrase spellings that start with it
	terms  []int32 // terms with a one-word spelling of just this word
}

// bucket holds the keyword words that start with one letter.
type bucket struct {
	ids []int32
	m   *words.Matcher // over ids, keyed by decimal id; nil until needed after a change
	// cache maps a token to the ids of the words it matches; [1] is for a token of a Kazakh text,
	// where the Kazakh rules apply to Cyrillic words without Kazakh letters too.
	cache [2]map[string][]int32
}

func newWordIndex(maxCached int) wordIndex {
	return wordIndex{idOf: make(map[string]int32), buckets: make(map[rune]*bucket), maxCached: maxCached}
}

// bucketOf is the letter a word is filed under.
func bucketOf(w string) rune {
	r, _ := utf8.DecodeRuneInString(w)
	return r
}

// ref returns the id of the folded word w, adding it if it is new, and counts one more use of it.
func (wi *wordIndex) ref(w string) int32 {
	if id, ok := wi.idOf[w]; ok {
		wi.tab[id].refs++
		return id
	}
	var id int32
	if n := len(wi.free); n > 0 {
		id = wi.free[n-1]
		wi.free = wi.free[:n-1]
	} else {
		id = int32(len(wi.tab))
		wi.tab = append(wi.tab, wordRec{})
	}
	w = strings.Clone(w)
	wi.tab[id] = wordRec{s: w, refs: 1}
	wi.idOf[w] = id
	b := wi.buckets[bucketOf(w)]
	if b == nil {
		b = &bucket{}
		wi.buckets[bucketOf(w)] = b
	}
	b.ids = append(b.ids, id)
	wi.changed(b)
	return id
}

// unref counts one use less of word id, and forgets the word when it has none left.
func (wi *wordIndex) unref(id int32) {
	rec := &wi.tab[id]
	if rec.refs--; rec.refs > 0 {
		return
	}
	letter := bucketOf(rec.s)
	b := wi.buckets[letter]
	for i, x := range b.ids {
		if x == id {
			b.ids[i] = b.ids[len(b.ids)-1]
			b.ids = b.ids[:len(b.ids)-1]
			break
		}
	}
	// The id may be reused for another word, so no cached answer may mention it any more.
	wi.changed(b)
	if len(b.ids) == 0 {
		delete(wi.buckets, letter)
	}
	delete(wi.idOf, rec.s)
	*rec = wordRec{}
	wi.free = append(wi.free, id)
}

// changed drops what was compiled and cached for bucket b's old words.
func (wi *wordIndex) changed(b *bucket) {
	b.m = nil
	wi.cached -= len(b.cache[0]) + len(b.cache[1])
	b.cache = [2]map[string][]int32{}
}

func (wi *wordIndex) addSingle(w, term int32) {
	wi.tab[w].terms = append(wi.tab[w].terms, term)
}

func (wi *wordIndex) removeSingle(w, term int32) {
	ts := wi.tab[w].terms
	for i, t := range ts {
		if t == term {
			ts[i] = ts[len(ts)-1]
			wi.tab[w].terms = ts[:len(ts)-1]
			return
		}
	}
}

// singles returns the terms that are just word w.
func (wi *wordIndex) singles(w int32) []int32 { return wi.tab[w].terms }

// startsPhrase reports whether a phrase spelling starts with word w.
func (wi *wordIndex) startsPhrase(w int32) bool { return wi.tab[w].starts > 0 }

// join returns the words of ids joined by spaces: a term's key.
func (wi *wordIndex) join(ids []int32) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(wi.tab[id].s)
	}
	return b.String()
}

// match returns, for each token, the ids of the keyword words it matches; kazakh is the text's
// Kazakh flag (see kazakhText). The returned slices are shared and must not be modified.
func (wi *wordIndex) match(toks []string, kazakh bool) [][]int32 {
	at := make([][]int32, len(toks))
	wi.mu.Lock()
	defer wi.mu.Unlock()
	for i, t := range toks {
		letter := bucketOf(t)
		b := wi.buckets[letter]
		if b == nil {
			continue
		}
		// Only a Cyrillic token's answer depends on the flag ("2024жылы" is one); the rest share an
		// entry.
		k, lang := 0, "ru"
		if kazakh && isCyrillicToken(t) {
			k, lang = 1, "kk"
		}
		ids, ok := b.cache[k][t]
		if !ok {
			if b.m == nil {
				b.m = wi.compile(b.ids)
			}
			for _, key := range b.m.Match(t, lang) {
				id, _ := strconv.Atoi(key)
				ids = append(ids, int32(id))
			}
			if wi.cached >= wi.maxCached {
				for _, b := range wi.buckets {
					b.cache = [2]map[string][]int32{}
				}
				wi.cached = 0
			}
			if b.cache[k] == nil {
				b.cache[k] = make(map[string][]int32)
			}
			b.cache[k][strings.Clone(t)] = ids
			wi.cached++
		}
		at[i] = ids
	}
	return at
}

// compile builds the matcher of a bucket's words.
func (wi *wordIndex) compile(ids []int32) *words.Matcher {
	sets := make(map[string][]string, len(ids))
	for _, id := range ids {
		sets[strconv.Itoa(int(id))] = []string{wi.tab[id].s}
	}
	return words.NewMatcher(sets)
}

// compileAll compiles every bucket now rather than on first use.
func (wi *wordIndex) compileAll() {
	wi.mu.Lock()
	defer wi.mu.Unlock()
	for _, b := range wi.buckets {
		if b.m == nil {
			b.m = wi.compile(b.ids)
		}
	}
}
