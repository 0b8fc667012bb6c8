package summary

import "unicode"

// Character classes shared by the splitter, Lead and Summarize.

// isTerminator reports runes that end sentences. The Arabic-script full
// stop and question mark are included for the Urdu and Persian items that
// regional aggregators carry.
func isTerminator(r rune) bool {
	switch r {
	case '.', '!', '?', '…', '‽', '⁇', '⁈', '⁉', '۔', '؟':
		return true
	}
	return false
}

// isCloser reports runes that, right after a terminator, still belong to the
// sentence: «Мы готовы.» and He said "No." end after the quote.
func isCloser(r rune) bool {
	switch r {
	case '»', '”', '“', '"', '\'', '’', '›', ')', ']', '}':
		return true
	}
	return false
}

// isOpener reports runes that may open a sentence or a quotation.
func isOpener(r rune) bool {
	switch r {
	case '«', '„', '“', '"', '\'', '‘', '‹', '(', '[', '{':
		return true
	}
	return false
}

func isDash(r rune) bool {
	switch r {
	case '-', '‐', '‒', '–', '—', '―', '−':
		return true
	}
	return false
}

// isWordRune reports runes that make up words: cutting between two of them
// is cutting a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isCaseless reports letters of scripts without case (Arabic, CJK…): they
// may start a sentence although they are not capitals.
func isCaseless(r rune) bool {
	return unicode.IsLetter(r) && !unicode.IsUpper(r) && !unicode.IsLower(r) && !unicode.IsTitle(r)
}

func isUpperRune(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsTitle(r)
}
