package alerts

import (
	"unicode"

	"newsbot/digest/words"
)

// transliterate is where Kazakh Cyrillic ↔ Latin transliteration (the 2021 alphabet: Қазақстан =
// Qazaqstan) plugs in, so that an alert written in one script finds stories in the other. It maps
// a folded term (words joined by spaces) to its spelling in the other script, or returns "" or the
// term itself when there is none. While it is nil, terms match in their own script only.
//
// It is assigned here, in source, and never at run time: wire it to the transliteration that
// digest/words is getting (e.g. `var transliterate = words.ToOtherScript`) once that exists. The
// other spelling becomes an alternative of the term, in Query.Matches and in the Index alike, so
// nothing else changes; tests exercise the mechanism with a stand-in through compile and newIndex.
//
// Keep the transliteration out of words.Matcher itself, or change bucketOf: the Index looks a
// token up only among keyword words that start with the same letter.
var transliterate = otherScript

// otherScript spells a folded term in the other Kazakh script: Cyrillic in the 2021 Latin
// alphabet (Қазақстан → qazaqstan), Latin of that alphabet in Cyrillic (qazaqstan → қазақстан).
// A Latin term with letters the Kazakh alphabet lacks (c, w, x: English) has none.
func otherScript(term string) string {
	for _, r := range term {
		if unicode.Is(unicode.Cyrillic, r) {
			return words.Fold(words.KazakhToLatin(term))
		}
	}
	return words.LatinToKazakh(term)
}
