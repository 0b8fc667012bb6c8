package parse

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Kind classifies why a body could not be turned into a feed. The zero value
// is not a valid Kind, so an *Error always carries one of the constants.
type Kind int

const (
	// Empty means the body was empty or held only whitespace; some CMSs
	// answer 200 with nothing while they are being deployed.
	Empty Kind = iota + 1
	// HTML means the server answered with a web page (a site front page, an
	// error page, a bot challenge) instead of a feed.
	HTML
	// Malformed means the document is a feed but its XML or JSON is broken
	// before any complete item, so nothing could be recovered.
	Malformed
	// Encoding means the body is in a character encoding this package cannot
	// decode.
	Encoding
	// NotFeed means the body is well-formed text or XML of some other kind
	// (an OPML list, a sitemap, plain text, binary data).
	NotFeed
)

// String returns the lowercase name of k, suitable for a log attribute.
func (k Kind) String() string {
	switch k {
	case Empty:
		return "empty"
	case HTML:
		return "html"
	case Malformed:
		return "malformed"
	case Encoding:
		return "encoding"
	case NotFeed:
		return "not_feed"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is the error Parse returns for a body it cannot use. Error() is a
// short sentence a person can act on ("not a feed — got an HTML page",
// "malformed XML at line 21: unexpected EOF"); Err, when set, is the
// underlying cause for logs and errors.Is/As.
type Error struct {
	Kind Kind
	// Line is the 1-based line of the first XML (or JSON) syntax error when
	// it is known, 0 otherwise.
	Line int
	// Detail refines the sentence: the page title or "a bot challenge" for
	// HTML, the parser message for Malformed, the label for Encoding, what
	// came back for NotFeed.
	Detail string
	Err    error
}

// Error returns the sentence for people described on the type.
func (e *Error) Error() string {
	var b strings.Builder
	switch e.Kind {
	case Empty:
		b.WriteString("empty body")
	case HTML:
		b.WriteString("not a feed — got an HTML page")
		if e.Detail != "" {
			b.WriteString(": " + e.Detail)
		}
	case Malformed:
		syntax := "XML"
		if _, ok := errors.AsType[*json.SyntaxError](e.Err); ok {
			syntax = "JSON"
		}
		b.WriteString("malformed " + syntax)
		if e.Line > 0 {
			fmt.Fprintf(&b, " at line %d", e.Line)
		}
		if e.Detail != "" {
			b.WriteString(": " + e.Detail)
		}
	case Encoding:
		b.WriteString("unsupported encoding")
		if e.Detail != "" {
			b.WriteString(" " + e.Detail)
		}
	case NotFeed:
		b.WriteString("not a feed")
		if e.Detail != "" {
			b.WriteString(" — " + e.Detail)
		}
	default:
		b.WriteString("cannot parse feed")
		if e.Detail != "" {
			b.WriteString(": " + e.Detail)
		}
	}
	return b.String()
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }
