package parse

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// damage describes the first XML syntax error in a document and how to cut
// the document so that everything before it still parses.
type damage struct {
	line int
	msg  string
	err  error
	// cut is the offset just after the last complete top-level <item> or
	// <entry>, and closers the end tags of the elements open there; cut is 0
	// when no item was complete.
	cut     int
	closers string
}

// repaired returns the document cut after the last complete item with its
// open elements closed, or nil when there is nothing to salvage.
func (d damage) repaired(text []byte) []byte {
	if d.cut == 0 {
		return nil
	}
	out := make([]byte, 0, d.cut+len(d.closers))
	out = append(out, text[:d.cut]...)
	return append(out, d.closers...)
}

// diagnose runs encoding/xml over text with the settings gofeed uses and
// returns the first syntax error; ok is false when the document is
// well-formed. It only runs after gofeed has failed, so the happy path pays
// nothing for it.
func diagnose(text []byte) (d damage, ok bool) {
	dec := xml.NewDecoder(bytes.NewReader(text))
	dec.Strict = false
	// The text is UTF-8 already; a stray declaration deeper in the document
	// must not trigger another conversion.
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var stack []string
	items := 0 // open item/entry elements
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return d, false
		}
		if err != nil {
			d.err = err
			d.msg = err.Error()
			if se, isSyntax := errors.AsType[*xml.SyntaxError](err); isSyntax {
				d.line, d.msg = se.Line, se.Msg
				d.line = visibleLine(text, int(dec.InputOffset()), d.line)
			}
			return d, true
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if int(start) < len(text) && text[start] == '<' {
				// The decoder resolves prefixes to namespace URLs; closing
				// tags need the prefix as written ("rdf:RDF").
				name = firstName(text[start+1:])
			}
			stack = append(stack, name)
			if isItem(t.Name.Local) {
				items++
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			if isItem(t.Name.Local) {
				items--
				if items == 0 {
					d.cut = int(dec.InputOffset())
					d.closers = closeTags(stack)
				}
			}
		}
	}
}

func isItem(local string) bool {
	return strings.EqualFold(local, "item") || strings.EqualFold(local, "entry")
}

func closeTags(stack []string) string {
	var b strings.Builder
	for i := len(stack) - 1; i >= 0; i-- {
		b.WriteString("</" + stack[i] + ">")
	}
	return b.String()
}

// visibleLine corrects the decoder's line when the byte that revealed the
// error was whitespace (typically the final newline before EOF): a person
// looks for the damage on the last line that has text, not on the empty
// line after it.
func visibleLine(text []byte, offset, line int) int {
	if offset <= 0 || offset > len(text) || !isSpace(text[offset-1]) {
		return line
	}
	i := offset
	for i > 0 && isSpace(text[i-1]) {
		i--
	}
	return 1 + bytes.Count(text[:i], []byte("\n"))
}
