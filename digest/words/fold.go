package words

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s case-folded for matching: unicode lower case, ё→е (also ѐ→е, ѝ→и), typographic
// apostrophes (’ ‘ ‛ ʼ ʻ ` ´ ＇) → ', and NFC-normalised. It also removes what is invisible but would
// split or disguise a word: format characters such as the soft hyphen, zero-width joiners and bidi
// marks, and stress accents (U+0300, U+0301) written over Cyrillic letters; a zero-width space becomes
// a plain space, and invalid UTF-8 becomes U+FFFD. Fold is idempotent, and returns s itself, without
// allocating, when s is already folded.
func Fold(s string) string {
	t, inert := foldRunes(s)
	if inert {
		return t
	}
	// Lower-casing and removing marks can create new NFC compositions (е + U+0308 → ё once a stress
	// mark between them is gone), and NFC can create runes that fold again, so repeat until stable;
	// real text settles in one or two rounds.
	for range 4 {
		t = norm.NFC.String(t)
		if t == s {
			return s
		}
		s = t
		t, _ = foldRunes(s)
	}
	return s
}

// foldRunes applies the per-rune part of Fold. It returns s itself when no rune changes, and reports
// whether every rune of the result is NFC-inert (see nfcInert), in which case the result is already
// NFC and Fold is done.
func foldRunes(s string) (folded string, inert bool) {
	var b []byte // nil until the first change
	prevCyr := false
	inert = true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		out, keep := r, true
		switch {
		case r < utf8.RuneSelf:
			out = foldASCII(r)
		case r == utf8.RuneError && size == 1:
			// out stays U+FFFD, which differs from the invalid byte it replaces.
		case (r == '\u0301' || r == '\u0300') && prevCyr:
			keep = false
		case r == '\u200b':
			out = ' '
		case (r == '\u00ad' || r >= 0x600) && unicode.Is(unicode.Cf, r):
			keep = false
		default:
			out = foldRune(r)
		}
		if (!keep || out != r || size == 1 && r == utf8.RuneError) && b == nil {
			b = make([]byte, i, len(s)+utf8.UTFMax)
			copy(b, s[:i])
		}
		if keep {
			if b != nil {
				b = utf8.AppendRune(b, out)
			}
			inert = inert && nfcInert(out)
			prevCyr = isCyrillicLetter(out)
		}
		i += size
	}
	if b == nil {
		return s, inert
	}
	return string(b), inert
}

// foldASCII folds an ASCII rune.
func foldASCII(r rune) rune {
	switch {
	case 'A' <= r && r <= 'Z':
		return r + 'a' - 'A'
	case r == '`':
		return '\''
	}
	return r
}

// foldRune folds a non-ASCII rune: apostrophe variants, ё, then unicode lower case.
func foldRune(r rune) rune {
	switch {
	case 'А' <= r && r <= 'Я':
		return r + 'а' - 'А'
	case 'а' <= r && r <= 'я':
		return r
	}
	switch r {
	case '\u2019', '\u2018', '\u201b', '\u02bc', '\u02bb', '\u00b4', '\uff07':
		return '\''
	case 'ё', 'Ё', 'ѐ', 'Ѐ':
		return 'е'
	case 'ѝ', 'Ѝ':
		return 'и'
	}
	return unicode.ToLower(r)
}

// nfcInert reports whether r is in a range where every rune is NFC on its own, has combining class 0
// and combines with nothing before it, so that a string of such runes is NFC as it stands: ASCII,
// Latin-1 and the Latin extensions, Cyrillic letters (not the combining U+0483–U+0489), and general
// punctuation (dashes, quotes, ellipsis). TestNFCInert checks this against the tables of x/text.
func nfcInert(r rune) bool {
	return r < 0x300 || 0x400 <= r && r <= 0x482 || 0x48a <= r && r <= 0x52f ||
		0x2010 <= r && r <= 0x2027 || 0x2030 <= r && r <= 0x205e
}

// isCyrillicLetter reports whether r is a Cyrillic letter.
func isCyrillicLetter(r rune) bool {
	switch {
	case r < 0x400:
		return false
	case r <= 0x481, 0x48a <= r && r <= 0x52f:
		return true
	}
	return unicode.IsLetter(r) && unicode.Is(unicode.Cyrillic, r)
}
