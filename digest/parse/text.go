package parse

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// PlainText turns a feed title or description into one line of plain text:
// HTML tags are dropped (script, style, figure captions and embedded media
// with their contents; block elements and <br> become spaces), entities are
// unescaped — repeatedly, so double-escaped "&amp;#40;" becomes "(" — control
// and zero-width characters are removed, every run of whitespace (NBSP
// included) becomes one space, and WordPress boilerplate is cut: "The post …
// appeared first on …", its Russian forms, trailing "Read more", "Continue
// reading", "Читать далее", "Подробнее", "Толығырақ" and "[…]". A '<' that
// starts no tag ("Цены < 5%") is kept as text. The result is not escaped for
// any markup language.
func PlainText(s string) string {
	if s == "" {
		return ""
	}
	// Each pass unescapes one level; three covers "&amp;amp;quot;" and stops
	// a pathological input from looping.
	for range 3 {
		if !hasMarkup(s) {
			break
		}
		out := stripMarkup(s)
		if out == s {
			break
		}
		s = out
	}
	return trimBoilerplate(cleanSpace(s))
}

// hasMarkup reports whether s contains something that looks like a tag,
// comment or character reference.
func hasMarkup(s string) bool {
	for i := 0; i < len(s)-1; i++ {
		switch s[i] {
		case '<':
			c := s[i+1]
			if c == '/' || c == '!' || c == '?' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') {
				return true
			}
		case '&':
			c := s[i+1]
			if c == '#' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') {
				return true
			}
		}
	}
	return false
}

// skipElements are dropped with everything inside them: code, media
// fallbacks ("your browser does not support video") and photo captions,
// which in a news lead are credits, not text.
var skipElements = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Iframe: true, atom.Object: true,
	atom.Video: true, atom.Audio: true, atom.Canvas: true, atom.Figcaption: true,
	atom.Head: true, atom.Select: true, atom.Button: true,
}

// breakElements separate words: text on either side must not run together.
var breakElements = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Br: true, atom.Caption: true, atom.Dd: true, atom.Details: true, atom.Div: true,
	atom.Dl: true, atom.Dt: true, atom.Fieldset: true, atom.Figure: true, atom.Footer: true,
	atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Header: true, atom.Hr: true, atom.Li: true, atom.Main: true,
	atom.Nav: true, atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true,
	atom.Summary: true, atom.Table: true, atom.Tbody: true, atom.Td: true, atom.Tfoot: true,
	atom.Th: true, atom.Thead: true, atom.Tr: true, atom.Ul: true, atom.Img: true,
}

// stripMarkup returns the text content of an HTML fragment, unescaped once.
func stripMarkup(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	z := html.NewTokenizer(strings.NewReader(s))
	var skip atom.Atom
	depth := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if depth == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if depth > 0 {
				if a == skip {
					switch tt {
					case html.StartTagToken:
						depth++
					case html.EndTagToken:
						depth--
					}
				}
				continue
			}
			if tt == html.StartTagToken && skipElements[a] {
				skip, depth = a, 1
				continue
			}
			if breakElements[a] {
				b.WriteByte(' ')
			}
		}
	}
}

// cleanSpace removes control, format and zero-width characters and collapses
// whitespace to single spaces, trimming both ends. It returns s itself when
// there is nothing to change. Runs of ordinary characters are copied whole.
func cleanSpace(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	run := 0 // start of the pending run of kept bytes
	wrote, pending := false, false
	for i := 0; i < len(s); {
		class, size := classify(s, i)
		switch class {
		case keepChar:
			if pending {
				b.WriteByte(' ')
				pending = false
			}
			wrote = true
		case spaceChar, dropChar:
			b.WriteString(s[run:i])
			run = i + size
			if class == spaceChar && wrote {
				pending = true
			}
		}
		i += size
	}
	b.WriteString(s[run:])
	return b.String()
}

// isClean is the fast path of cleanSpace: no characters to drop, no
// whitespace but single inner ASCII spaces.
func isClean(s string) bool {
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); {
		class, size := classify(s, i)
		switch {
		case class == dropChar, class == spaceChar && (s[i] != ' ' || prevSpace):
			return false
		}
		prevSpace = class == spaceChar
		i += size
	}
	return true
}

const (
	keepChar = iota
	spaceChar
	dropChar
)

// classify reports whether the character at s[i] is kept, whitespace or
// dropped, and its length in bytes.
func classify(s string, i int) (class, size int) {
	c := s[i]
	if c < utf8.RuneSelf {
		switch {
		case c == ' ' || ('\t' <= c && c <= '\r'):
			return spaceChar, 1
		case c < 0x20 || c == 0x7F:
			return dropChar, 1
		}
		return keepChar, 1
	}
	// Cyrillic (U+0400–U+052F, lead bytes D0–D4) is most of what newsbot reads, and none of it
	// is space or dropped: skip decoding it.
	if c >= 0xD0 && c <= 0xD4 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
		return keepChar, 2
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	switch {
	case r == utf8.RuneError && size == 1, dropRune(r):
		return dropChar, size
	case isWideSpace(r):
		return spaceChar, size
	}
	return keepChar, size
}

// isWideSpace is unicode.IsSpace for non-ASCII runes (the White_Space
// property), without the table lookup.
func isWideSpace(r rune) bool {
	switch {
	case r == 0x85, r == 0xA0, r == 0x1680, r >= 0x2000 && r <= 0x200A,
		r == 0x2028, r == 0x2029, r == 0x202F, r == 0x205F, r == 0x3000:
		return true
	}
	return false
}

// dropRune reports characters that carry no text: C0/C1 controls, the soft
// hyphen, zero-width space, word joiner and BOM. Joiners (U+200C/D) and
// direction marks stay: Urdu, Persian and emoji need them.
func dropRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7F, r >= 0x80 && r <= 0x9F:
		return true
	case r == 0x00AD, r == 0x200B, r == 0x2060, r == 0xFEFF:
		return true
	}
	return false
}
