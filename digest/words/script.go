package words

import "unicode"

// script is the writing system of a folded token, which decides the stemmer that applies to it.
type script uint8

const (
	scriptOther    script = iota // digits only, another script, or a mix of scripts
	scriptCyrillic               // Cyrillic letters (and possibly digits)
	scriptLatin                  // Latin letters (and possibly digits)
)

// scriptOf classifies a token. Mixed-script tokens (a Latin "c" inside a Cyrillic word) are
// scriptOther, so they only ever match exactly.
func scriptOf(s string) script {
	var cyr, lat bool
	for _, r := range s {
		switch {
		case r < 0x80:
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
				lat = true
			}
		case 0x400 <= r && r <= 0x4ff:
			if r < 0x482 || r > 0x489 {
				cyr = true
			}
		case unicode.Is(unicode.Cyrillic, r):
			cyr = true
		case unicode.Is(unicode.Latin, r):
			lat = true
		case unicode.IsLetter(r):
			return scriptOther
		}
	}
	switch {
	case cyr && !lat:
		return scriptCyrillic
	case lat && !cyr:
		return scriptLatin
	}
	return scriptOther
}

// isKazakhLetter reports whether r is one of the folded letters that Kazakh Cyrillic has and Russian
// lacks. (Kyrgyz shares ң ө ү and Ukrainian і; neither is a language this bot reads.)
func isKazakhLetter(r rune) bool {
	switch r {
	case 'ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і':
		return true
	}
	return false
}

// hasKazakhLetter reports whether the folded string s contains a Kazakh-specific letter.
func hasKazakhLetter(s string) bool {
	for _, r := range s {
		if r >= 'і' && isKazakhLetter(r) { // і (U+0456) is the lowest of them
			return true
		}
	}
	return false
}
