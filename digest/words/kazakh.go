package words

import (
	"strings"
	"unicode/utf8"
)

// minKazakhRootRunes is the shortest root the Kazakh rules accept, both for a keyword's word-initial
// match and for stemming. Two-letter roots (ел, үй, ұл) would let the suffix table explain too many
// unrelated words (маңызды "important" as ма + ңыз + ды, ұлы "great" as ұл "son" + ы, алды "took"
// as ал + ды), so they only ever match whole.
const minKazakhRootRunes = 3

// kkRoot is a keyword word prepared for the Kazakh word-initial rule.
type kkRoot struct {
	root string  // the word as written
	alt  string  // root with a final п/к/қ voiced to б/г/ғ, as before a vowel (кітап → кітабы); "" if none
	drop string  // root with the ы/і of its last syllable dropped, as before a vowel (халық → халқы); "" if none
	st   kkState // state after the root
	// poss3 is set when the root ends in ы/і and so may itself end in a third-person possessive,
	// after which the cases take -н- (ауа райы → райына, райында).
	poss3 bool
}

// newKKRoot prepares a folded Cyrillic word; ok is false when the word is too short for the rule.
func newKKRoot(w string) (kkRoot, bool) {
	n := utf8.RuneCountInString(w)
	if n < minKazakhRootRunes {
		return kkRoot{}, false
	}
	k := kkRoot{root: w, st: rootState(w)}
	last, size := utf8.DecodeLastRuneInString(w)
	k.poss3 = last == 'ы' || last == 'і'
	if v, ok := voicedBeforeVowel(last); ok {
		k.alt = w[:len(w)-size] + string(v)
	}
	// A consonant + ы/і + consonant ending loses the vowel before a vowel-initial suffix in a handful
	// of common nouns (орын → орны, ауыз → аузы, ерін → ерні). Where a word does not do that, the
	// dropped form matches nothing real, so it is safe to offer for every such root.
	if n >= 4 {
		body := w[:len(w)-size]
		v, vsize := utf8.DecodeLastRuneInString(body)
		c, _ := utf8.DecodeLastRuneInString(body[:len(body)-vsize])
		if (v == 'ы' || v == 'і') && soundOf(c)&sndVowel == 0 && soundOf(last)&sndVowel == 0 {
			k.drop = body[:len(body)-vsize] + string(last)
		}
	}
	return k, true
}

// voicedBeforeVowel returns the voiced consonant that a final п, к or қ becomes before a vowel.
func voicedBeforeVowel(r rune) (rune, bool) {
	switch r {
	case 'п':
		return 'б', true
	case 'к':
		return 'г', true
	case 'қ':
		return 'ғ', true
	}
	return 0, false
}

// match reports whether the folded token tok is the root followed by a non-empty chain of Kazakh
// suffixes (экспорт → экспорттық, баж → бажды, Астана → Астанаға, кітап → кітабы, халық → халқы).
func (k *kkRoot) match(tok string) bool {
	if len(tok) > len(k.root) && strings.HasPrefix(tok, k.root) {
		rest := tok[len(k.root):]
		if kkChain(rest, k.st) {
			return true
		}
		if k.poss3 {
			st := k.st
			st.slot, st.ctx = slotPoss, ctxPoss3
			if kkChain(rest, st) {
				return true
			}
		}
	}
	before := k.st
	before.vowelNext = true
	for _, form := range [2]string{k.alt, k.drop} {
		if form != "" && len(tok) > len(form) && strings.HasPrefix(tok, form) &&
			kkChain(tok[len(form):], before) {
			return true
		}
	}
	return false
}

// kazakhStem strips the longest valid suffix chain from a folded Kazakh word, keeping a root of at
// least minKazakhRootRunes runes. It then normalises the root so that the forms of one word agree:
//   - a final ы/і after a consonant goes too, since a root ending in one (Алматы) cannot be told
//     from a third-person possessive: Алматы, Алматыда and Алматының all stem to "алмат";
//   - a final б/г/ғ becomes п/к/қ, the form the root has before a consonant: кітабы and кітапта both
//     stem to "кітап".
//
// The stem is a key for comparison, not a dictionary form.
func kazakhStem(w string) string {
	// Try roots from the shortest whose rest could still be a chain, so the longest chain wins.
	n := utf8.RuneCountInString(w)
	skip := max(minKazakhRootRunes, n-maxChainRunes)
	i := 0
	for k := 0; k < skip && i < len(w); k++ {
		_, size := utf8.DecodeRuneInString(w[i:])
		i += size
	}
	for i < len(w) {
		if kkChain(w[i:], rootState(w[:i])) {
			w = w[:i]
			break
		}
		_, size := utf8.DecodeRuneInString(w[i:])
		i += size
	}
	if utf8.RuneCountInString(w) > minKazakhRootRunes {
		last, size := utf8.DecodeLastRuneInString(w)
		before, _ := utf8.DecodeLastRuneInString(w[:len(w)-size])
		if (last == 'ы' || last == 'і') && soundOf(before)&sndVowel == 0 {
			w = w[:len(w)-size]
		}
	}
	if utf8.RuneCountInString(w) < minKazakhRootRunes {
		return w
	}
	last, size := utf8.DecodeLastRuneInString(w)
	switch last {
	case 'б':
		w = w[:len(w)-size] + "п"
	case 'г':
		w = w[:len(w)-size] + "к"
	case 'ғ':
		w = w[:len(w)-size] + "қ"
	}
	return w
}
