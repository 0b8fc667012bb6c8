package alerts

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The Index asks words.Matcher about one token at a time, so it must tell the matcher what the
// whole text would have told it: whether the Kazakh rules apply to the token's Cyrillic words.
// words decides that in an unexported function; kazakhText below mirrors it, and
// TestKazakhTextAgreesWithWords checks the two agree through the matcher's behaviour. Should words
// export it (words.KazakhText(lang string, tokens []string) bool), use that instead.

// kazakhText reports whether the Kazakh rules apply to every Cyrillic token of a text in language
// lang with the given folded tokens: always for Kazakh, never for Russian or English, and for an
// unknown language when at least a quarter of the Cyrillic tokens have a Kazakh-specific letter.
func kazakhText(lang string, tokens []string) bool {
	switch normLang(lang) {
	case "kk":
		return true
	case "ru", "en":
		return false
	}
	cyr, kk := 0, 0
	for _, t := range tokens {
		if !isCyrillicToken(t) {
			continue
		}
		cyr++
		if hasKazakhLetter(t) {
			kk++
		}
	}
	return kk > 0 && 4*kk >= cyr
}

// normLang reduces a language tag to "ru", "kk", "en" or "": case and a region suffix are ignored,
// and "kz" counts as "kk".
func normLang(lang string) string {
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	switch strings.ToLower(strings.TrimSpace(lang)) {
	case "ru":
		return "ru"
	case "kk", "kz":
		return "kk"
	case "en":
		return "en"
	}
	return ""
}

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

// hasKazakhLetter reports whether the folded token has a letter that Kazakh Cyrillic has and
// Russian lacks.
func hasKazakhLetter(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		switch r {
		case 'ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і':
			return true
		}
		return false
	})
}
