package parse

import (
	"bytes"
	"strings"
)

// prolog describes what comes before the root element of an XML document.
// It is read without an XML parser so that it works on bytes in an unknown
// ASCII-compatible encoding and on documents that are not well-formed.
type prolog struct {
	// encoding is the value of the encoding pseudo-attribute of the XML
	// declaration; encStart:encEnd spans `encoding="…"` in the input.
	encoding         string
	encStart, encEnd int
	// doctype is the lower-cased name in <!DOCTYPE name …>.
	doctype string
	// root is the qualified name of the first element as written, and
	// rootStart the offset of its '<'; rootStart is -1 when there is none.
	root      string
	rootStart int
	// junk reports text (a PHP warning, a stray line) before the root.
	junk bool
}

// scanProlog reads declarations, comments, processing instructions and the
// doctype up to the first element.
func scanProlog(b []byte) prolog {
	p := prolog{rootStart: -1}
	for i := 0; i < len(b); {
		c := b[i]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			i++
			continue
		}
		if c != '<' {
			p.junk = true
			j := bytes.IndexByte(b[i:], '<')
			if j < 0 {
				return p
			}
			i += j
			continue
		}
		rest := b[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<?")):
			end := bytes.Index(rest, []byte("?>"))
			if end < 0 {
				return p
			}
			if p.encStart == 0 && p.encEnd == 0 && isXMLDecl(rest) {
				p.readEncoding(rest[:end], i)
			}
			i += end + 2
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				return p
			}
			i += 4 + end + 3
		case len(rest) >= 9 && strings.EqualFold(string(rest[:9]), "<!doctype"):
			p.doctype = strings.ToLower(firstName(rest[9:]))
			i += skipDoctype(rest)
		case bytes.HasPrefix(rest, []byte("<!")):
			end := bytes.IndexByte(rest, '>')
			if end < 0 {
				return p
			}
			i += end + 1
		case len(rest) > 1 && isNameStart(rest[1]):
			p.root = firstName(rest[1:])
			p.rootStart = i
			return p
		default:
			// A '<' that starts no markup ("< 5%") is text.
			p.junk = true
			i++
		}
	}
	return p
}

func isXMLDecl(b []byte) bool {
	return len(b) > 5 && string(b[:5]) == "<?xml" && (b[5] == ' ' || b[5] == '\t' || b[5] == '\r' || b[5] == '\n')
}

// readEncoding finds encoding="…" inside the declaration decl, which starts at
// offset base of the document.
func (p *prolog) readEncoding(decl []byte, base int) {
	k := bytes.Index(decl, []byte("encoding"))
	if k < 0 {
		return
	}
	j := k + len("encoding")
	for j < len(decl) && isSpace(decl[j]) {
		j++
	}
	if j >= len(decl) || decl[j] != '=' {
		return
	}
	j++
	for j < len(decl) && isSpace(decl[j]) {
		j++
	}
	if j >= len(decl) || (decl[j] != '"' && decl[j] != '\'') {
		return
	}
	q := decl[j]
	end := bytes.IndexByte(decl[j+1:], q)
	if end < 0 {
		return
	}
	p.encoding = string(decl[j+1 : j+1+end])
	p.encStart = base + k
	p.encEnd = base + j + 1 + end + 1
}

// skipDoctype returns the length of the <!DOCTYPE …> at the start of b,
// including an internal subset in brackets.
func skipDoctype(b []byte) int {
	depth := 0
	var quote byte
	for i := 2; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '>' && depth <= 0:
			return i + 1
		}
	}
	return len(b)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isNameStart(c byte) bool {
	return c == '_' || c == ':' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || c >= 0x80
}

// firstName returns the XML name at the start of b after optional spaces.
func firstName(b []byte) string {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	j := i
	for j < len(b) {
		c := b[j]
		if isSpace(c) || c == '>' || c == '/' || c == '[' || c == '"' || c == '\'' {
			break
		}
		j++
	}
	return string(b[i:j])
}

// localName strips a namespace prefix: "rdf:RDF" → "RDF".
func localName(qname string) string {
	if i := strings.LastIndexByte(qname, ':'); i >= 0 {
		return qname[i+1:]
	}
	return qname
}

// isFeedRoot reports whether an element name is a root gofeed handles.
func isFeedRoot(qname string) bool {
	switch strings.ToLower(localName(qname)) {
	case "rss", "rdf", "feed":
		return true
	}
	return false
}

// htmlRoots are elements that start an HTML page or fragment; a server that
// answers with one of these sent a web page, not a feed.
var htmlRoots = map[string]bool{
	"html": true, "head": true, "body": true, "meta": true, "title": true, "script": true,
	"style": true, "link": true, "div": true, "p": true, "br": true, "b": true, "a": true,
	"center": true, "table": true, "h1": true, "h2": true, "iframe": true, "noscript": true,
	"form": true, "span": true, "img": true, "pre": true, "section": true, "main": true,
}

// blankEncoding overwrites `encoding="…"` in the XML declaration with spaces,
// so that the XML decoder inside gofeed does not decode the (already UTF-8)
// text a second time. Offsets and line numbers stay the same.
func blankEncoding(d *decoded) {
	p := scanProlog(d.text)
	if p.encEnd == 0 || strings.EqualFold(p.encoding, "utf-8") {
		return
	}
	if !d.owned {
		d.text = bytes.Clone(d.text)
		d.owned = true
	}
	for i := p.encStart; i < p.encEnd; i++ {
		d.text[i] = ' '
	}
}
