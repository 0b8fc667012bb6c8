package words

import (
	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"
)

// Stem returns the stem of a word for the given language ("ru", "kk", "en", or "" to decide by the
// word alone). The word is folded first (a no-op for Tokenize's output). By script:
//   - Cyrillic: Kazakh suffix stripping when lang is "kk" or the word has a Kazakh-specific letter
//     (ә ғ қ ң ө ұ ү һ і), whatever lang says; otherwise the Russian Snowball stemmer;
//   - Latin: the English Snowball stemmer, whatever lang says;
//   - digits, other scripts and mixed-script words: the word unchanged.
//
// Kazakh stems strip the longest valid chain of Kazakh suffixes while keeping a root of at least three
// letters, then normalise the root (see kazakhStem): Астанада → "астана", экспорттық → "экспорт",
// кітабы → "кітап". Stop words are stemmed like any word. Stems are keys for comparing words, not
// dictionary forms.
func Stem(word, lang string) string {
	w := Fold(word)
	return stemToken(w, normLang(lang) == "kk")
}

// stemToken stems a folded token; kazakh says the Kazakh rules apply to all its Cyrillic words.
func stemToken(w string, kazakh bool) string {
	switch scriptOf(w) {
	case scriptCyrillic:
		if kazakh || hasKazakhLetter(w) {
			return kazakhStem(w)
		}
		return russian.Stem(w, true)
	case scriptLatin:
		return english.Stem(w, true)
	}
	return w
}
