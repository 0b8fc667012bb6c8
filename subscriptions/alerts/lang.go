package alerts

import (
	"unicode"
	"unicode/utf8"

	"newsbot/digest/words"
)

// kazakhText reports whether the Kazakh rules apply to the Cyrillic tokens of a text: the Index
// asks words.Matcher about one token at a time, so it passes on what the whole text would have
// told the matcher. It is words.KazakhText; TestKazakhTextAgreesWithWords checks it against the
// matcher's behaviour.
func kazakhText(lang string, tokens []string) bool { return words.KazakhText(lang, tokens) }

// isCyrillicToken reports whether a folded token is written in Cyrillic: it has a Cyrillic letter
// and no letter of another script (digits may be mixed in).
func isCyrillicToken(s string) bool {
	cyr := false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
				return false
			}
		case 0x400 <= r && r <= 0x4ff:
			if r < 0x482 || r > 0x489 {
				cyr = true
			}
		case unicode.Is(unicode.Cyrillic, r):
			cyr = true
		case unicode.Is(unicode.Latin, r), unicode.IsLetter(r):
			return false
		}
	}
	return cyr
}
