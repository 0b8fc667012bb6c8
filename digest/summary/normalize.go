package summary

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize returns text as the other functions of this package see it:
// invalid UTF-8 replaced by U+FFFD, every run of Unicode white space
// (including no-break and ideographic spaces and line breaks) collapsed into
// one ASCII space, invisible format characters (soft hyphen, zero-width
// space, word joiner, byte order mark) and control characters removed, and
// the result trimmed. Lead and Summarize return prefixes of the normalised
// text, possibly followed by "…".
func Normalize(text string) string {
	if isNormal(text) {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	pendingSpace := false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size == 1 {
			// Replace a whole run of invalid bytes by one U+FFFD, like
			// strings.ToValidUTF8.
			for i < len(text) {
				r, size = utf8.DecodeRuneInString(text[i:])
				if r != utf8.RuneError || size != 1 {
					break
				}
				i++
			}
			r, size = utf8.RuneError, 0
		}
		i += size
		switch {
		case unicode.IsSpace(r):
			pendingSpace = b.Len() > 0
			continue
		case isInvisible(r):
			continue
		}
		if pendingSpace {
			b.WriteByte(' ')
			pendingSpace = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isInvisible reports runes that are dropped by Normalize: they render as
// nothing, so keeping them would only make word and length checks lie.
func isInvisible(r rune) bool {
	switch r {
	case '\u00ad', '\u200b', '\u2060', '\ufeff':
		return true
	}
	return unicode.IsControl(r)
}

// isNormal is the fast path of Normalize: most feed text is already clean.
func isNormal(text string) bool {
	if text == "" {
		return true
	}
	if text[0] == ' ' || text[len(text)-1] == ' ' {
		return false
	}
	prevSpace := false
	for _, r := range text {
		if r == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		prevSpace = false
		if mayChange(r) {
			return false
		}
	}
	return true
}

// mayChange reports runes other than ' ' that Normalize might replace or
// drop. It is exact for ASCII, Latin and Cyrillic, the bulk of our text, and
// defers to the unicode tables elsewhere.
func mayChange(r rune) bool {
	switch {
	case r < 0x80:
		return r < 0x20 || r == 0x7f
	case r < 0x1680:
		return r <= 0xa0 || r == 0xad
	case r == utf8.RuneError:
		// Either invalid bytes or a literal U+FFFD: let the slow path decide.
		return true
	}
	return unicode.IsSpace(r) || isInvisible(r)
}
