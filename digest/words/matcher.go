package words

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"
)

// Matcher finds which keyword sets fire on a text. A keyword word kw matches a text token tok when
//  1. they are equal after Fold (any case, ё = е, ’ = ');
//  2. Russian (Cyrillic, no Kazakh letter, text not Kazakh): they have the same Snowball stem and
//     neither part Snowball cut off is a verb-only ending, or they are one base of at least three
//     letters plus noun or adjective endings (нефть ~ нефти, уран ~ урана, Токаев ~ Токаева,
//     Астана ~ Астаны, but уран ≁ Урал);
//  3. English (Latin): the same Snowball stem, or one base plus -s, -es or -'s
//     (sanction ~ sanctions, Taliban ~ Taliban's, gas ~ gases, but gas ≁ Gaspar);
//  4. Kazakh (Cyrillic token of a Kazakh text, or any token with a Kazakh letter): kw has at least
//     three letters, tok starts with it and the rest of tok is a chain of real Kazakh suffixes in a
//     form that fits the sound before it and vowel harmony (экспорт ~ экспорттық, баж ~ бажды,
//     Астана ~ Астанаға, кітап ~ кітабы, халық ~ халқы; газ ≁ газет, қала ≁ қалады). The Russian rules
//     do not apply to such tokens, nor this rule to Russian text: газ ≁ газета.
//
// Matches are always of whole words: кот ≁ скот, ran ≁ Iran. A keyword of several words ("central
// bank", "Нур-Султан") matches when its words match consecutive tokens.
//
// A Matcher is immutable once built and safe for concurrent use.
type Matcher struct {
	keys     []string // sorted
	keywords []keyword

	// Indexes from forms of the first word of each keyword to indexes into keywords. A token looks
	// up its own forms; every keyword found is then checked word by word with kwWord.matches.
	exact  map[string][]int32 // folded word
	bases  map[string][]int32 // noun-paradigm bases
	kazakh map[string][]int32 // Kazakh root and its alternants; tokens look up their prefixes
	// stemKeys maps the stemKeys of each first word's Snowball stem; tokens look up their prefixes.
	// Snowball is by far the costliest step, so a token is only stemmed when one of its prefixes is
	// here and no cheaper rule has already matched the keyword.
	stemKeys map[string][]int32
	// stemAny lists keywords whose first word has a one-letter English stem, with no key to index.
	stemAny []int32

	kazakhMin, kazakhMax int // byte lengths of the keys of kazakh
	stemMin, stemMax     int // byte lengths of the keys of stemKeys
}

// keyword is one compiled keyword of a key.
type keyword struct {
	key   int32 // index into Matcher.keys
	words []kwWord
}

// kwWord is one word of a keyword, with what each rule needs.
type kwWord struct {
	fold       string
	script     script
	kazakhOnly bool     // has a Kazakh letter, so the Russian rules never apply to it
	stem       string   // Snowball stem (Russian or English); "" when none applies
	bases      []string // noun-paradigm bases (Russian or English)
	kk         kkRoot
	kkOK       bool // the Kazakh rule applies (Cyrillic, at least minKazakhRootRunes letters)
}

// token is a folded text token with its per-call analysis.
type token struct {
	s        string
	script   script
	kazakh   bool   // the Kazakh rule applies, the Russian ones do not
	stem     string // Snowball stem, once stemmed
	stemDone bool
}

// snowball returns the token's Snowball stem, computing it on first use.
func (t *token) snowball() string {
	if !t.stemDone {
		t.stemDone = true
		switch {
		case t.kazakh:
		case t.script == scriptCyrillic:
			t.stem = russian.Stem(t.s, true)
		case t.script == scriptLatin:
			t.stem = english.Stem(t.s, true)
		}
	}
	return t.stem
}

// NewMatcher compiles keywords grouped by key (e.g. topic id → keywords). Each keyword is tokenized
// like text, so "Нур-Султан" and "central bank" are keywords of two words that match consecutive
// tokens; a keyword without any word (empty, punctuation only) is ignored. Keys whose keywords are
// all ignored never match.
func NewMatcher(sets map[string][]string) *Matcher {
	m := &Matcher{
		exact:    make(map[string][]int32),
		bases:    make(map[string][]int32),
		kazakh:   make(map[string][]int32),
		stemKeys: make(map[string][]int32),
	}
	for key := range sets {
		m.keys = append(m.keys, key)
	}
	slices.Sort(m.keys)
	for ki, key := range m.keys {
		seen := make(map[string]bool)
		for _, kw := range sets[key] {
			toks := Tokenize(kw)
			id := strings.Join(toks, " ")
			if len(toks) == 0 || seen[id] {
				continue
			}
			seen[id] = true
			k := keyword{key: int32(ki)}
			for _, t := range toks {
				k.words = append(k.words, newKWWord(t))
			}
			m.add(k)
		}
	}
	return m
}

// newKWWord analyses one folded keyword word.
func newKWWord(w string) kwWord {
	k := kwWord{fold: w, script: scriptOf(w)}
	switch k.script {
	case scriptCyrillic:
		k.kazakhOnly = hasKazakhLetter(w)
		if !k.kazakhOnly {
			k.stem = russian.Stem(w, true)
			k.bases = ruBases(w)
		}
		k.kk, k.kkOK = newKKRoot(w)
	case scriptLatin:
		k.stem = english.Stem(w, true)
		k.bases = enBases(w)
	}
	return k
}

// add appends k and indexes it by its first word.
func (m *Matcher) add(k keyword) {
	id := int32(len(m.keywords))
	m.keywords = append(m.keywords, k)
	w := &k.words[0]
	m.exact[w.fold] = append(m.exact[w.fold], id)
	for _, b := range w.bases {
		m.bases[b] = append(m.bases[b], id)
	}
	if w.stem != "" {
		for _, sk := range stemKeys(w.stem, w.script) {
			if sk == "" {
				m.stemAny = append(m.stemAny, id)
				continue
			}
			m.stemKeys[sk] = append(m.stemKeys[sk], id)
			m.stemMin, m.stemMax = widen(m.stemMin, m.stemMax, len(sk))
		}
	}
	if w.kkOK {
		for _, form := range [3]string{w.kk.root, w.kk.alt, w.kk.drop} {
			if form != "" {
				m.kazakh[form] = append(m.kazakh[form], id)
				m.kazakhMin, m.kazakhMax = widen(m.kazakhMin, m.kazakhMax, len(form))
			}
		}
	}
}

// widen extends the range [lo, hi] of positive lengths (0 = empty) to n.
func widen(lo, hi, n int) (int, int) {
	if lo == 0 || n < lo {
		lo = n
	}
	return lo, max(hi, n)
}

// stemKeys returns strings one of which is a prefix of every word whose Snowball stem is stem. A
// Russian stem is a prefix of its words. An English stem less its last letter is, except that the
// stemmer turns y into i (dying → die), so that variant is added. TestStemKeys checks this on real
// words.
func stemKeys(stem string, scr script) []string {
	if scr == scriptCyrillic {
		return []string{stem}
	}
	_, size := utf8.DecodeLastRuneInString(stem)
	p := stem[:len(stem)-size]
	if strings.HasSuffix(p, "i") {
		return []string{p, p[:len(p)-1] + "y"}
	}
	return []string{p}
}

// Match returns the sorted keys with a keyword that occurs in text, or nil when none does. lang is the
// text's language ("ru", "kk", "en", or "" when unknown, in which case the text counts as Kazakh when
// enough of its Cyrillic words have Kazakh letters). Each token is folded once and stemmed at most
// once per call.
func (m *Matcher) Match(text, lang string) []string {
	if len(m.keywords) == 0 {
		return nil
	}
	words := Tokenize(text)
	if len(words) == 0 {
		return nil
	}
	kazakh := kazakhText(normLang(lang), words)
	toks := make([]token, len(words))
	for i, w := range words {
		scr := scriptOf(w)
		toks[i] = token{s: w, script: scr, kazakh: scr == scriptCyrillic && (kazakh || hasKazakhLetter(w))}
	}

	matched := make([]bool, len(m.keys))
	left := len(m.keys)
	try := func(refs []int32, at int) {
		for _, id := range refs {
			k := &m.keywords[id]
			if !matched[k.key] && fires(k, toks, at) {
				matched[k.key] = true
				left--
			}
		}
	}
	for i := range toks {
		t := &toks[i]
		try(m.exact[t.s], i)
		switch {
		case t.kazakh:
			eachPrefix(t.s, m.kazakhMin, m.kazakhMax, false, func(p string) { try(m.kazakh[p], i) })
		case t.script == scriptCyrillic, t.script == scriptLatin:
			ending := isRuEnding
			if t.script == scriptLatin {
				ending = isEnEnding
				try(m.stemAny, i)
			}
			try(m.bases[t.s], i)
			eachBase(t.s, ending, func(b string) { try(m.bases[b], i) })
			eachPrefix(t.s, m.stemMin, m.stemMax, true, func(p string) { try(m.stemKeys[p], i) })
		}
		if left == 0 {
			break
		}
	}

	var out []string
	for ki, ok := range matched {
		if ok {
			out = append(out, m.keys[ki])
		}
	}
	return out
}

// eachPrefix calls fn with each prefix of s, at rune boundaries, whose byte length is in [lo, hi];
// whole says whether s itself counts. It does nothing when hi is 0.
func eachPrefix(s string, lo, hi int, whole bool, fn func(string)) {
	for i := 0; i < len(s) && i < hi; {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if i > hi || i == len(s) && !whole {
			return
		}
		if i >= lo {
			fn(s[:i])
		}
	}
}

// fires reports whether keyword k occurs at token index at.
func fires(k *keyword, toks []token, at int) bool {
	if at+len(k.words) > len(toks) {
		return false
	}
	for j := range k.words {
		if !k.words[j].matches(&toks[at+j]) {
			return false
		}
	}
	return true
}

// matches reports whether keyword word w matches token t under the Matcher rules, trying the cheap
// rules before the Snowball stem.
func (w *kwWord) matches(t *token) bool {
	if w.fold == t.s {
		return true
	}
	switch {
	case t.kazakh:
		return w.kkOK && w.kk.match(t.s)
	case t.script == scriptCyrillic:
		if w.script != scriptCyrillic || w.kazakhOnly {
			return false
		}
		return paradigmMatch(w.bases, t.s, isRuEnding) || ruSnowballMatch(w.fold, w.stem, t.s, t.snowball())
	case t.script == scriptLatin:
		if w.script != scriptLatin {
			return false
		}
		return paradigmMatch(w.bases, t.s, isEnEnding) || w.stem != "" && w.stem == t.snowball()
	}
	return false
}
