package parse

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"testing"
)

func TestErrorSentences(t *testing.T) {
	xmlErr := &xml.SyntaxError{Msg: "unexpected EOF", Line: 21}
	jsonErr := &json.SyntaxError{Offset: 3}
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Kind: Empty}, "empty body"},
		{&Error{Kind: HTML}, "not a feed — got an HTML page"},
		{&Error{Kind: HTML, Detail: "a bot challenge"}, "not a feed — got an HTML page: a bot challenge"},
		{&Error{Kind: Malformed, Line: 21, Detail: "unexpected EOF", Err: xmlErr}, "malformed XML at line 21: unexpected EOF"},
		{&Error{Kind: Malformed, Detail: "expected element type <rss>"}, "malformed XML: expected element type <rss>"},
		{&Error{Kind: Malformed, Line: 4, Detail: "invalid character", Err: jsonErr}, "malformed JSON at line 4: invalid character"},
		{&Error{Kind: Encoding, Detail: "iso-2022-kr"}, "unsupported encoding iso-2022-kr"},
		{&Error{Kind: NotFeed}, "not a feed"},
		{&Error{Kind: NotFeed, Detail: "got an XML document with root <opml>"}, "not a feed — got an XML document with root <opml>"},
		{&Error{Detail: "odd"}, "cannot parse feed: odd"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestErrorUnwrap(t *testing.T) {
	cause := &xml.SyntaxError{Msg: "unexpected EOF", Line: 3}
	var err error = &Error{Kind: Malformed, Line: 3, Err: cause}
	if !errors.Is(err, cause) {
		t.Error("errors.Is does not reach the cause")
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{
		Empty: "empty", HTML: "html", Malformed: "malformed", Encoding: "encoding", NotFeed: "not_feed", 0: "kind(0)",
	} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}
