package summary

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Summarize returns the summary of a news item in at most max runes: the
// Lead of the first of description, content and title that still has text
// once feed boilerplate and a leading copy of the title are removed.
//
// Feeds often start the description with the title ("Title. Title. Body…",
// "Title: Body…", "Title Body…"); such copies are dropped, comparing case,
// ё/е, quote and dash variants loosely, but only when what follows starts
// like a sentence, so that a description whose first sentence merely begins
// with the title's words ("Токаев подписал закон о…") is kept whole. With
// only a space after the copy, the body must not start with a digit either
// ("Инфляция в Казахстане 8,5%…" is kept).
// Boilerplate is WordPress's "[…]" excerpt marker (kept as "…"), its "The
// post … appeared first on …" footer and its Russian translations, and a
// trailing "Read more" or "Читать далее". The title itself is never
// stripped: it is the last resort.
func Summarize(title, description, content string, max int) string {
	title = Normalize(title)
	for _, src := range [...]string{description, content} {
		s := stripTitle(stripBoilerplate(Normalize(src)), title)
		if hasWordRuneString(s) {
			return lead(s, max)
		}
	}
	return lead(title, max)
}

// stripTitle drops up to three leading copies of title from s.
func stripTitle(s, title string) string {
	title = strings.TrimRightFunc(title, func(r rune) bool { return r == ' ' || isTerminator(r) })
	if !hasWordRuneString(title) {
		return s
	}
	for range 3 {
		rest, ok := cutPrefixLoose(s, title)
		if !ok {
			break
		}
		if r, _ := utf8.DecodeRuneInString(rest); rest != "" && isWordRune(r) {
			// The title ends inside a word of s: "Казатомпром" vs "Казатомпрома".
			break
		}
		body := strings.TrimLeftFunc(rest, isTitleSeparator)
		r, _ := utf8.DecodeRuneInString(body)
		if unicode.IsLower(r) {
			// The title is the start of the first sentence, not a copy.
			break
		}
		if strings.TrimLeft(rest, " ") == body && unicode.IsDigit(r) {
			// Without punctuation in between, "Инфляция в Казахстане 8,5%…"
			// is more likely one sentence than a title and a body.
			break
		}
		s = body
	}
	return s
}

// isTitleSeparator reports what may stand between a copied title and the
// body: terminators, colons, dashes, bars and spaces.
func isTitleSeparator(r rune) bool {
	return r == ' ' || isTerminator(r) || isDash(r) || r == ':' || r == ';' || r == '|' || r == '•' || r == '/'
}

// cutPrefixLoose reports whether s starts with prefix under looseFold and
// returns the rest of s.
func cutPrefixLoose(s, prefix string) (string, bool) {
	for _, p := range prefix {
		if s == "" {
			return "", false
		}
		r, size := utf8.DecodeRuneInString(s)
		if looseFold(r) != looseFold(p) {
			return "", false
		}
		s = s[size:]
	}
	return s, true
}

// looseFold maps runes that feeds use interchangeably in titles and
// descriptions to one representative.
func looseFold(r rune) rune {
	switch r {
	case '«', '»', '„', '“', '”', '‹', '›':
		return '"'
	case '‘', '’', '`':
		return '\''
	case 'ё', 'Ё':
		return 'е'
	}
	if isDash(r) {
		return '-'
	}
	return unicode.ToLower(r)
}

// boilerplateFooters are WordPress footers appended to feed excerpts, as
// a start and a marker that must follow it.
var boilerplateFooters = [...]struct{ start, marker string }{
	{"The post ", " appeared first on "},
	{"Сообщение ", " появились сначала на "},
	{"Запись ", " впервые появилась "},
}

// footerWindow is how many trailing bytes of a text are searched for a
// footer.
const footerWindow = 1024

// readMoreSuffixes are link labels that end teasers; compared ignoring case.
var readMoreSuffixes = [...]string{
	"читать далее", "читать полностью", "подробнее", "толығырақ",
	"read more", "continue reading",
}

// stripBoilerplate removes feed boilerplate from the end of normalised s.
func stripBoilerplate(s string) string {
	for _, f := range boilerplateFooters {
		// Footers quote a title and a site name: they fit in the tail.
		from := max(0, len(s)-footerWindow)
		m := strings.Index(s[from:], f.marker)
		if m < 0 {
			continue
		}
		i := strings.LastIndex(s[from:from+m], f.start)
		if i >= 0 && afterSentence(s[:from+i]) {
			s = strings.TrimRight(s[:from+i], " ")
		}
	}
	for changed := true; changed; {
		changed = false
		trimmed := strings.TrimRightFunc(s, func(r rune) bool {
			return r == ' ' || r == '→' || r == '»' || r == '›' || r == '>' || r == '.' || r == '…'
		})
		for _, suf := range readMoreSuffixes {
			if rest, ok := cutSuffixFold(trimmed, suf); ok && afterSentence(rest) {
				s = strings.TrimRight(rest, " ")
				changed = true
				break
			}
		}
	}
	for _, marker := range [...]string{"[…]", "[...]", "[&hellip;]", "(…)", "(...)"} {
		if rest, ok := strings.CutSuffix(s, marker); ok {
			s = strings.TrimRight(rest, " ")
			if s != "" && !strings.HasSuffix(s, "…") {
				s += "…"
			}
			break
		}
	}
	return s
}

// afterSentence reports whether boilerplate may start right after s: at the
// start of the text or after a finished sentence or an excerpt marker, not
// in the middle of one ("Он рассказал подробнее.").
func afterSentence(s string) bool {
	s = strings.TrimRight(s, " ")
	if s == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return isTerminator(r) || isCloser(r)
}

// cutSuffixFold is strings.CutSuffix ignoring case; the suffix must start a
// word.
func cutSuffixFold(s, suffix string) (string, bool) {
	n := utf8.RuneCountInString(suffix)
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	if n > 0 || !strings.EqualFold(s[i:], suffix) {
		return "", false
	}
	if i > 0 && s[i-1] != ' ' {
		return "", false
	}
	return s[:i], true
}
