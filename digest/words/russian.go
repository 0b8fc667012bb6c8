package words

import (
	"strings"
	"unicode/utf8"
)

// Russian matching leans on Snowball, which alone both over- and under-reaches on the nouns and names
// keywords are made of: it strips "н"/"л" after "а" as verb endings, so уран, урана, Урал and ура all
// stem to "ура", while Токаев/Токаева and Казатомпром/Казатомпрома get different stems. So a Snowball
// match whose left-over endings are verb-only is refused, and a noun-paradigm rule — the two words are
// one base plus nominal endings — adds the forms Snowball misses.

// minBaseRunes is the shortest base the noun-paradigm rule accepts; shorter bases ("га" + "з") make
// unrelated short words look like forms of each other.
const minBaseRunes = 3

// maxEndingRunes is the longest ending isRuEnding knows ("иями").
const maxEndingRunes = 4

// isRuEnding reports whether e is a Russian noun or adjective inflection (folded, so no ё).
func isRuEnding(e string) bool {
	switch e {
	case "а", "я", "о", "е", "ь", "ы", "и", "у", "ю", "й",
		"ом", "ем", "ой", "ей", "ою", "ею", "ам", "ям", "ах", "ях", "ов", "ев", "ий", "ия", "ие",
		"ье", "ья", "ью", "ию", "ии", "ьи", "ый", "ая", "яя", "ое", "ее", "ые", "ых", "их", "ым",
		"им", "ую", "юю",
		"ами", "ями", "иям", "иях", "ием", "ией", "ого", "его", "ому", "ему", "ыми", "ими", "ьям",
		"ьях", "ьев", "ьем",
		"иями", "ьями":
		return true
	}
	return false
}

// isRuVerbEnding reports whether e, the part of a word Snowball removed, can only be a verb ending
// (Snowball's verb and gerund endings that are not also noun or adjective endings, or a reflexive).
func isRuVerbEnding(e string) bool {
	switch e {
	case "ла", "на", "ете", "йте", "ли", "л", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно",
		"ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "уй", "ил", "ыл", "ен", "ило",
		"ыло", "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь",
		"в", "вши", "вшись", "ив", "ивши", "ившись", "ыв", "ывши", "ывшись":
		return true
	}
	return strings.HasSuffix(e, "ся") || strings.HasSuffix(e, "сь")
}

// ruBases returns the bases of a folded Russian word under the noun-paradigm rule: the word itself and
// the word less each nominal ending it has, each at least minBaseRunes long.
func ruBases(w string) []string {
	return bases(w, isRuEnding)
}

// bases lists w and w less each ending (up to maxEndingRunes runes) that isEnding accepts, keeping
// those of at least minBaseRunes runes.
func bases(w string, isEnding func(string) bool) []string {
	var out []string
	if utf8.RuneCountInString(w) >= minBaseRunes {
		out = append(out, w)
	}
	eachBase(w, isEnding, func(b string) { out = append(out, b) })
	return out
}

// eachBase calls fn with w less each ending that isEnding accepts, when what remains has at least
// minBaseRunes runes. It allocates nothing.
func eachBase(w string, isEnding func(string) bool, fn func(string)) {
	cut := len(w)
	for n := 1; n <= maxEndingRunes && cut > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(w[:cut])
		cut -= size
		if isEnding(w[cut:]) && utf8.RuneCountInString(w[:cut]) >= minBaseRunes {
			fn(w[:cut])
		}
	}
}

// paradigmMatch reports whether tok is one of kwBases plus an ending (or none) that isEnding accepts.
func paradigmMatch(kwBases []string, tok string, isEnding func(string) bool) bool {
	for _, b := range kwBases {
		if strings.HasPrefix(tok, b) {
			if rest := tok[len(b):]; rest == "" || isEnding(rest) {
				return true
			}
		}
	}
	return false
}

// ruSnowballMatch reports whether two folded Russian words with the same Snowball stem really are forms
// of one word: the parts Snowball cut off must not be verb-only endings.
func ruSnowballMatch(kw, kwStem, tok, tokStem string) bool {
	if kwStem == "" || kwStem != tokStem {
		return false
	}
	for _, w := range [2]string{kw, tok} {
		if strings.HasPrefix(w, kwStem) && isRuVerbEnding(w[len(kwStem):]) {
			return false
		}
	}
	return true
}
