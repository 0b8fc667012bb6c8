package summary

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultMax is the length budget of a summary in runes, as shown under a
// headline in a digest.
const DefaultMax = 300

// leadLookahead is how many runes past max Lead reads to pair quotation
// marks. A quotation longer than that is treated as unclosed.
const leadLookahead = 2048

// ellipsis marks a summary cut inside its first sentence.
const ellipsis = "…"

// Lead returns the lead of text: its first sentence, plus the second when
// both fit in max runes. The result is a prefix of Normalize(text), possibly
// followed by "…", and is never longer than max runes.
//
// When the first sentence alone is longer than max, it is cut at the last
// space that leaves room for "…", trailing commas, dashes, colons and
// opening quotes or brackets are dropped, and "…" is appended, so no word is
// ever cut. The one exception: when not even the first word fits (a long
// URL, a run of letters with no spaces), that word is cut hard after max-1
// runes, never inside a combining sequence when it can be helped, and "…" is
// appended. Lead returns "" for blank text or max < 1, and "…" alone when
// max is 1 and the first sentence is longer.
func Lead(text string, max int) string {
	return lead(Normalize(text), max)
}

// lead is Lead on normalised text.
func lead(t string, max int) string {
	if max < 1 || t == "" {
		return ""
	}
	// Only the first two sentences matter, and only when they end within
	// max runes; the lookahead lets quotations opened there find their
	// closing mark without converting a whole article.
	t = prefixRunes(t, max+leadLookahead)
	spans := split(t, 2, max)
	if len(spans) == 0 {
		// The first sentence goes on past max runes, so every space in
		// the first max runes of t is inside it.
		return cut(t, max-1) + ellipsis
	}
	first := t[:spans[0].end]
	if utf8.RuneCountInString(first) > max {
		return cut(first, max-1) + ellipsis
	}
	if len(spans) > 1 {
		if two := t[:spans[1].end]; utf8.RuneCountInString(two) <= max {
			return two
		}
	}
	return first
}

// cut returns the longest prefix of s, at most limit runes long, that ends
// at a word boundary and does not end in dangling punctuation. When no such
// prefix exists it cuts the first word hard.
func cut(s string, limit int) string {
	if limit <= 0 {
		return ""
	}
	// The last space within the first limit+1 runes: a space right after
	// limit runes still makes a prefix of limit runes.
	lastSpace := -1
	runes := 0
	hard := len(s)
	for i, r := range s {
		if r == ' ' {
			lastSpace = i
		}
		if runes == limit {
			hard = i
			break
		}
		runes++
	}
	// Trimming keeps prefixes in order, so when the last space leaves no
	// word, no earlier space does.
	if lastSpace >= 0 {
		if p := trimDangling(s[:lastSpace]); hasWordRuneString(p) {
			return p
		}
	}
	// Not even the first word fits: cut it hard, but not between a letter
	// and its combining marks or inside an emoji sequence.
	h := s[:hard]
	for len(h) < len(s) {
		next, _ := utf8.DecodeRuneInString(s[len(h):])
		last, size := utf8.DecodeLastRuneInString(h)
		if size == len(h) || !(joinsPrevious(next) || last == '\u200d') {
			break
		}
		h = h[:len(h)-size]
	}
	if p := trimDangling(h); p != "" {
		return p
	}
	return strings.TrimRight(h, " ")
}

// trimDangling drops trailing spaces and punctuation that would dangle
// before "…": commas, colons, dashes, opening quotes and brackets. Periods,
// closing quotes and brackets stay: they are part of the text before them.
func trimDangling(s string) string {
	for s != "" {
		r, size := utf8.DecodeLastRuneInString(s)
		switch {
		case r == ' ', r == ',', r == ';', r == ':', isDash(r),
			r == '«', r == '„', r == '‘', r == '‹', r == '(', r == '[', r == '{',
			r == '/', r == '\\', r == '|', r == '&', r == '+', r == '=', r == '*',
			r == '•', r == '·', r == '~', r == '_', r == '#', r == '@':
		case r == '"' || r == '\'' || r == '“':
			// A quote after a space opens a quotation; after a word it closes one.
			if before := s[:len(s)-size]; before != "" && !strings.HasSuffix(before, " ") {
				return s
			}
		default:
			return s
		}
		s = s[:len(s)-size]
	}
	return s
}

// joinsPrevious reports runes that belong to the character before them.
func joinsPrevious(r rune) bool {
	return unicode.IsMark(r) || r == '\u200d' || (r >= '\ufe00' && r <= '\ufe0f') ||
		(r >= 0x1f3fb && r <= 0x1f3ff) || (r >= 0xe0020 && r <= 0xe007f)
}

func hasWordRuneString(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// prefixRunes returns the first n runes of s.
func prefixRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
