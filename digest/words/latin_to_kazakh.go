package words

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// latinToKazakh reverses the 2021 Kazakh Latin alphabet (see KazakhToLatin) for folded text.
// Two-letter spellings go first: "ts" is ц, "tş" ч, "şş" щ, "io" ё, "iu" ю, "ia" я.
var latinToKazakhPairs = []struct{ latin, cyr string }{
	{"şş", "щ"}, {"tş", "ч"}, {"ts", "ц"}, {"iu", "ю"}, {"ia", "я"},
}

var latinToKazakhLetters = map[rune]string{
	'a': "а", 'ä': "ә", 'b': "б", 'd': "д", 'e': "е", 'f': "ф", 'g': "г", 'ğ': "ғ", 'h': "х",
	'i': "и", 'ı': "і", 'j': "ж", 'k': "к", 'l': "л", 'm': "м", 'n': "н", 'ñ': "ң", 'o': "о",
	'ö': "ө", 'p': "п", 'q': "қ", 'r': "р", 's': "с", 'ş': "ш", 't': "т", 'u': "у", 'ū': "ұ",
	'ü': "ү", 'v': "в", 'y': "ы", 'z': "з",
}

// LatinToKazakh writes folded (lower-case) Kazakh Latin text of the 2021 alphabet in Kazakh
// Cyrillic: qazaqstan → қазақстан, ükımet → үкімет, astanada → астанада. It is for matching, not for display: where the 2021 alphabet merges two
// Cyrillic letters (i for и and й, u for у) it picks the commoner one. It returns "" when s has
// letters outside that alphabet (c, w, x: English or another language, not Kazakh Latin), so
// callers can tell a Kazakh spelling from an English one.
func LatinToKazakh(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		matched := false
		for _, p := range latinToKazakhPairs {
			if strings.HasPrefix(s[i:], p.latin) {
				b.WriteString(p.cyr)
				i += len(p.latin)
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if c, ok := latinToKazakhLetters[r]; ok {
			b.WriteString(c)
			continue
		}
		if unicode.IsLetter(r) {
			return "" // not the Kazakh Latin alphabet
		}
		b.WriteRune(r)
	}
	return b.String()
}
