package parse

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// signature is a sentence WordPress appends to every excerpt in a feed:
// "The post <title> appeared first on <site>." The mid part is searched
// first, near the end where it must be; the lead then marks where the
// sentence starts.
type signature struct{ mid, lead string }

var signatures = []signature{
	{" appeared first on ", "The post "},
	{" появились сначала на ", "Сообщение "}, // ru_RU, grammar and all
	{" появилось сначала на ", "Сообщение "},
	{" впервые появилась на ", "Запись "},
	{" впервые появилась на ", "Публикация "},
}

// siteNameMax bounds the text after the signature's mid part: the site
// name, not another paragraph.
const siteNameMax = 200

// titleMax bounds the post title between lead and mid, in bytes of
// two-byte Cyrillic.
const titleMax = 1000

// readMore are link texts that close an excerpt. They are cut only when
// nothing but decoration (arrows, dots, brackets) follows them, so that a
// sentence such as "Подробнее об этом рассказал министр." survives.
var readMore = []string{
	"Read more", "Read the full story", "Читать далее", "Читать дальше",
	"Читать полностью", "Подробнее", "Толығырақ", "Толық оқу", "Batafsil", "Батафсил",
}

// continueReading may be followed by the post title, which themes put in a
// screen-reader span: "Continue reading “Title” →".
var continueReading = foldMarkers("Continue reading", "Продолжить чтение", "Читать продолжение")

const continueWindow = 300

// excerptEllipses are WordPress's "more" markers after a cut excerpt.
var excerptEllipses = []string{"[…]", "[...]", "(…)", "[ … ]", "[ ... ]"}

// decoration is what may follow a "read more" link text.
const decoration = " .…:;!»›→>)]*"

// opener is what may precede a "read more" link text and goes with it; the
// text's own final punctuation stays.
const opener = " [(|—–-"

// trimBoilerplate cuts the trailing boilerplate PlainText documents, repeating
// until nothing changes, because the markers stack ("… […] The post …").
func trimBoilerplate(s string) string {
	for {
		t := trimBoilerplateOnce(s)
		if t == s {
			return s
		}
		s = t
	}
}

func trimBoilerplateOnce(s string) string {
	if s == "" {
		return s
	}
	tail := s[max(0, len(s)-siteNameMax-len(" впервые появилась на ")):]
	for _, sig := range signatures {
		j := strings.LastIndex(tail, sig.mid)
		if j < 0 {
			continue
		}
		mid := len(s) - len(tail) + j
		from := max(0, mid-titleMax)
		if i := strings.LastIndex(s[from:mid], sig.lead); i >= 0 && atWordStart(s, from+i) {
			return strings.TrimRight(s[:from+i], " ")
		}
	}
	for _, e := range excerptEllipses {
		if strings.HasSuffix(s, e) {
			return strings.TrimRight(s[:len(s)-len(e)], " ")
		}
	}
	core := strings.TrimRight(s, decoration)
	for _, m := range readMore {
		if len(core) < len(m) {
			continue
		}
		i := len(core) - len(m)
		if utf8.RuneStart(core[i]) && strings.EqualFold(core[i:], m) && atWordStart(core, i) {
			return strings.TrimRight(core[:i], opener)
		}
	}
	for _, m := range continueReading {
		i := m.lastIndex(s, continueWindow)
		if i < 0 || !atWordStart(s, i) {
			continue
		}
		// The tail may be the post title, but not further sentences.
		rest := s[i+len(m.text):]
		if !strings.Contains(rest, ". ") && !strings.Contains(rest, "? ") && !strings.Contains(rest, "! ") {
			return strings.TrimRight(s[:i], opener)
		}
	}
	return s
}

// atWordStart reports whether s[i:] starts a word.
func atWordStart(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// foldMarker is a phrase searched case-insensitively; its first letter in
// both cases, pre-encoded, lets the search skip most positions without
// calling strings.EqualFold.
type foldMarker struct {
	text         string
	lower, upper string
}

func foldMarkers(texts ...string) []foldMarker {
	out := make([]foldMarker, 0, len(texts))
	for _, t := range texts {
		r, _ := utf8.DecodeRuneInString(t)
		out = append(out, foldMarker{text: t, lower: string(unicode.ToLower(r)), upper: string(unicode.ToUpper(r))})
	}
	return out
}

// lastIndex is a case-insensitive strings.LastIndex limited to matches
// starting within window bytes of the end of s. It relies on the letters of
// the marker having upper and lower forms of equal UTF-8 length, true for
// Latin and Cyrillic.
func (m foldMarker) lastIndex(s string, window int) int {
	n := len(m.text)
	stop := max(0, len(s)-n-window)
	lo, up := m.lower[0], m.upper[0]
	for i := len(s) - n; i >= stop; i-- {
		if c := s[i]; c != lo && c != up {
			continue
		}
		rest := s[i:]
		if (strings.HasPrefix(rest, m.lower) || strings.HasPrefix(rest, m.upper)) && strings.EqualFold(rest[:n], m.text) {
			return i
		}
	}
	return -1
}
