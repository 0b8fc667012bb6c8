package words

import (
	"unicode"
	"unicode/utf8"
)

// Tokenize splits text into folded words (see Fold): maximal runs of letters and digits, with
// combining marks kept inside the word they follow. An apostrophe between two letters stays inside
// the word (taliban's, o'zbekiston); everything else — whitespace, hyphens and dashes, punctuation,
// quotes «» „“, symbols, emoji — separates words, so "Нур-Султан" is two words and "ҚР-дың" is
// "қр", "дың". Every returned token is non-empty and already folded. Tokens are substrings of one
// folded copy of the text.
func Tokenize(s string) []string {
	f := Fold(s)
	var out []string
	start := -1         // byte offset of the current word, -1 outside a word
	prevLetter := false // the previous rune of the current word was a letter (or a mark on one)
	for i := 0; i < len(f); {
		r, size := utf8.DecodeRuneInString(f[i:])
		switch {
		case isLetter(r):
			if start < 0 {
				start = i
			}
			prevLetter = true
			i += size
			continue
		case isDigit(r):
			if start < 0 {
				start = i
			}
			prevLetter = false
			i += size
			continue
		case start >= 0 && r >= 0x300 && unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me):
			i += size
			continue
		case r == '\'' && start >= 0 && prevLetter:
			if next, _ := utf8.DecodeRuneInString(f[i+size:]); isLetter(next) {
				prevLetter = false
				i += size
				continue
			}
		}
		if start >= 0 {
			out = append(out, f[start:i])
			start = -1
		}
		prevLetter = false
		i += size
	}
	if start >= 0 {
		out = append(out, f[start:])
	}
	return out
}

// isLetter is unicode.IsLetter with fast paths for ASCII and basic Cyrillic.
func isLetter(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	case 0x400 <= r && r <= 0x481:
		return true
	}
	return unicode.IsLetter(r)
}

// isDigit is unicode.IsDigit with a fast path for ASCII.
func isDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.IsDigit(r)
}
