package summary

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentences splits plain text into sentences, trimmed, in order. It never
// returns empty strings; blank text gives nil. The text is normalised first
// (see Normalize), so the sentences joined by single spaces give back
// Normalize(text).
//
// A sentence ends at a run of terminators (. ! ? …, and runs such as ?! or
// ...) together with any closing quotes and brackets right after it, when
// white space follows and then a capital letter, a digit, an opening quote
// or bracket, a dash that opens a line of dialogue, or the end of the text.
// It does not end:
//   - inside a quotation that continues after the terminator
//     («Мы готовы. Мы ждём», — сказал он);
//   - before a dash and a lower-case word («Готовы!» — заявил он);
//   - after an abbreviation that introduces something (т.е., г. Алматы,
//     ул. Абая, Mr., e.g.);
//   - after an initial or an abbreviation that rarely ends a sentence
//     (Н. Назарбаев, К.-Ж. Токаев, J. R. R. Tolkien, в 2024 г. Казахстан,
//     U.S. Treasury), unless the next word typically opens one
//     ("в 2024 г. В Астане", "the U.S. The ministry");
//   - after a unit or region before a number or an acronym (5 млн. USD,
//     обл. РК), while before other capitals it ends the sentence, as list
//     enders do ("12 млрд. Компания", "и т.д. Затем", "etc. Shipments");
//   - after a lone list number or an all-capitals dateline ("1.", "АСТАНА.").
//
// Numbers (3.5%, 12.05.2024), web addresses and e-mail addresses never
// split, because a boundary needs white space after the terminator.
func Sentences(text string) []string {
	t := Normalize(text)
	spans := split(t, 0, 0)
	if len(spans) == 0 {
		return nil
	}
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = t[s.start:s.end]
	}
	return out
}

// span is a sentence as byte offsets into the normalised text.
type span struct{ start, end int }

// splitter holds the normalised text as runes; off[i] is the byte offset of
// rs[i] and off[len(rs)] the length of the text.
type splitter struct {
	rs  []rune
	off []int
}

// split returns the sentence spans of normalised text t. With maxSpans > 0
// it stops after that many sentences; with maxRunes > 0 it stops at the
// first terminator at or past that rune index, as a sentence ending there
// is longer than maxRunes anyway. A stopped scan returns only the sentences
// it completed.
func split(t string, maxSpans, maxRunes int) []span {
	if t == "" {
		return nil
	}
	n := utf8.RuneCountInString(t)
	sp := splitter{rs: make([]rune, 0, n), off: make([]int, 0, n+1)}
	for i, r := range t {
		sp.rs = append(sp.rs, r)
		sp.off = append(sp.off, i)
	}
	sp.off = append(sp.off, len(t))
	rs := sp.rs
	closeAt := pairQuotes(rs)

	var spans []span
	// inside holds the closing index of every quotation the scan is in,
	// innermost last.
	var inside []int
	start := 0
	// hasWord tells whether the sentence from start to i has a letter or
	// digit yet: a run of terminators before any word ends nothing.
	hasWord := false
	for i := 0; i < len(rs); i++ {
		if !hasWord && (unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i])) {
			hasWord = true
		}
		if c := closeAt[i]; c >= 0 {
			inside = append(inside, c)
			continue
		}
		if n := len(inside); n > 0 && inside[n-1] == i {
			inside = inside[:n-1]
			continue
		}
		if !isTerminator(rs[i]) {
			continue
		}
		if maxRunes > 0 && i >= maxRunes {
			return spans
		}
		j := i + 1
		for j < len(rs) && isTerminator(rs[j]) {
			j++
		}
		k := j
		for k < len(rs) && isCloser(rs[k]) {
			if n := len(inside); n > 0 && inside[n-1] == k {
				inside = inside[:n-1]
			}
			k++
		}
		if hasWord && sp.endsSentence(start, i, j, k, len(inside) > 0) {
			spans = sp.appendSpan(spans, start, k)
			start = k
			hasWord = false
			if maxSpans > 0 && len(spans) >= maxSpans {
				return spans
			}
		}
		i = k - 1
	}
	return sp.appendSpan(spans, start, len(rs))
}

// appendSpan appends rs[a:b] trimmed of spaces, unless it is empty.
func (sp *splitter) appendSpan(spans []span, a, b int) []span {
	for a < b && sp.rs[a] == ' ' {
		a++
	}
	for b > a && sp.rs[b-1] == ' ' {
		b--
	}
	if a == b {
		return spans
	}
	return append(spans, span{sp.off[a], sp.off[b]})
}

// endsSentence decides whether the terminators rs[i:j] and the closers
// rs[j:k] end the sentence that began at rune start and has a word.
func (sp *splitter) endsSentence(start, i, j, k int, inQuote bool) bool {
	rs := sp.rs
	n := len(rs)
	if k < n && rs[k] != ' ' {
		return false
	}
	for start < i && rs[start] == ' ' {
		start++
	}
	if k == n {
		return true
	}
	if inQuote {
		return false
	}
	m := k
	for m < n && rs[m] == ' ' {
		m++
	}
	if m == n {
		return true
	}
	if !sp.opensSentence(m) {
		return false
	}
	if j-i == 1 && rs[i] == '.' {
		return sp.periodEnds(start, i, m)
	}
	return true
}

// opensSentence reports whether rs[m] can be the first rune of a sentence.
func (sp *splitter) opensSentence(m int) bool {
	rs := sp.rs
	r := rs[m]
	switch {
	case isUpperRune(r), unicode.IsDigit(r), isCaseless(r), isOpener(r):
		return true
	case isDash(r):
		// "— Начнём" opens a line of dialogue; "— заявил он" after a quoted
		// sentence is the author's words and belongs to it.
		p := m + 1
		for p < len(rs) && (rs[p] == ' ' || isDash(rs[p])) {
			p++
		}
		return p == len(rs) || !unicode.IsLower(rs[p])
	}
	return false
}

// periodEnds decides a single period at rs[i] in a sentence that began at
// rune start, when the next sentence would begin at rune m.
func (sp *splitter) periodEnds(start, i, m int) bool {
	rs := sp.rs
	ts := tokenStart(rs, start, i)
	a := ts
	for a < i && isOpener(rs[a]) {
		a++
	}
	tok := rs[a:i]
	if len(tok) == 0 {
		return true
	}
	if ts == start && isFragment(tok) {
		return false
	}

	// Gather spaced abbreviations such as "т. д." or "б. з. д." into one key.
	keyStart := a
	key := string(tok) + "."
	if isLowerLetterToken(tok) {
		for p := 0; p < 3 && keyStart > start; p++ {
			ps := tokenStart(rs, start, keyStart-1)
			prev := rs[ps : keyStart-1]
			if len(prev) != 2 || prev[1] != '.' || !unicode.IsLower(prev[0]) {
				break
			}
			key = string(prev) + key
			keyStart = ps
		}
	}

	var prevWord []rune
	if keyStart > start {
		ps := tokenStart(rs, start, keyStart-1)
		prevWord = rs[ps : keyStart-1]
	}

	switch classify(key, prevWord) {
	case prefixAbbr:
		return false
	case ambiguousAbbr:
		return startsWithStarter(rs, m)
	case unitAbbr:
		return !unicode.IsDigit(rs[m]) && !isAcronymAt(rs, m)
	case numberedAbbr:
		return !unicode.IsDigit(rs[m])
	}
	return true
}

// tokenStart returns the index of the first rune of the space-delimited
// token that ends just before end, not going below lo.
func tokenStart(rs []rune, lo, end int) int {
	for end > lo && rs[end-1] != ' ' {
		end--
	}
	return end
}

// classify returns the abbreviation class of key (a token with its final
// period) given the word before it.
func classify(key string, prev []rune) abbrClass {
	kr := []rune(key)
	if isInitials(kr) {
		return ambiguousAbbr
	}
	if a, ok := abbreviations[strings.ToLower(key)]; ok {
		switch {
		case a.afterAnd != notAbbr && (string(prev) == "и" || string(prev) == "И"):
			return a.afterAnd
		case a.afterNumber != notAbbr && isNumberish(prev):
			return a.afterNumber
		}
		return a.class
	}
	if isShortLowerAbbr(kr) {
		return ambiguousAbbr
	}
	return notAbbr
}

// isInitials matches one or more capital letters each followed by a period,
// optionally joined by hyphens: "Н.", "К.-Ж.", "U.S.", "J.R.R.".
func isInitials(kr []rune) bool {
	if len(kr) < 2 {
		return false
	}
	for p := 0; p < len(kr); {
		if p+1 >= len(kr) || !isUpperRune(kr[p]) || kr[p+1] != '.' {
			return false
		}
		p += 2
		if p < len(kr) && kr[p] == '-' {
			p++
		}
	}
	return true
}

// isShortLowerAbbr matches lower-case pieces of one to three letters each
// followed by a period, a single letter ("х.") or several pieces ("т.н.",
// "н.э."): real sentences almost never end that way.
func isShortLowerAbbr(kr []rune) bool {
	pieces := 0
	for p := 0; p < len(kr); {
		q := p
		for q < len(kr) && unicode.IsLower(kr[q]) {
			q++
		}
		if q == p || q-p > 3 || q >= len(kr) || kr[q] != '.' {
			return false
		}
		pieces++
		if pieces == 1 && q-p > 1 && q+1 == len(kr) {
			// "ему." or "the." is a word, not an abbreviation.
			return false
		}
		p = q + 1
	}
	return pieces > 0
}

// isLowerLetterToken reports a single lower-case letter: the last piece of a
// spaced abbreviation such as "т. д.".
func isLowerLetterToken(tok []rune) bool {
	return len(tok) == 1 && unicode.IsLower(tok[0])
}

// isFragment reports tokens that are not sentences on their own: list
// numbers ("1.", "IV.") and all-capitals datelines ("АСТАНА.").
func isFragment(tok []rune) bool {
	if isNumberish(tok) {
		return len(tok) <= 4
	}
	letters := 0
	for _, r := range tok {
		switch {
		case isUpperRune(r):
			letters++
		case r == '-':
		default:
			return false
		}
	}
	return letters >= 1
}

// isNumberish reports numbers as they stand before units and years:
// "2024", "2020–2022", "1,5", "$5", "XXI", or a Roman numeral in Cyrillic
// look-alikes ("ХХI").
func isNumberish(tok []rune) bool {
	if len(tok) == 0 {
		return false
	}
	digits, roman := false, true
	for _, r := range tok {
		switch {
		case unicode.IsDigit(r):
			digits = true
			roman = false
		case unicode.IsLetter(r):
			if !strings.ContainsRune("IVXLCDMХІ", r) {
				return false
			}
		default:
			roman = false
		}
	}
	return digits || (roman && len(tok) <= 7)
}

// startsWithStarter reports whether the word at rs[m] is one that typically
// opens a sentence. A single letter followed by a period is an initial.
func startsWithStarter(rs []rune, m int) bool {
	e := m
	for e < len(rs) && (unicode.IsLetter(rs[e]) || unicode.IsMark(rs[e]) || (e > m && rs[e] == '-')) {
		e++
	}
	if e == m || (e-m == 1 && e < len(rs) && rs[e] == '.') {
		return false
	}
	return sentenceStarters[strings.ToLower(string(rs[m:e]))]
}

// isAcronymAt reports an all-capitals word of two or more letters at rs[m]:
// after a unit it is a currency or an organisation (млн. USD, млрд. США).
func isAcronymAt(rs []rune, m int) bool {
	e := m
	for e < len(rs) && unicode.IsLetter(rs[e]) {
		if !isUpperRune(rs[e]) {
			return false
		}
		e++
	}
	return e-m >= 2
}
