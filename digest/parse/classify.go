package parse

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// challengeMarkers appear in the interstitial pages that anti-bot services
// serve instead of the content (compared lower-cased).
var challengeMarkers = []string{
	"cf-browser-verification", "cf_chl_", "challenge-platform", "/cdn-cgi/challenge",
	"just a moment...", "checking your browser", "attention required! | cloudflare",
	"ddos-guard", "__qrator", "qrator", "servicepipe", "sucuri_cloudproxy", "_incapsula_",
	"captcha", "please enable javascript and cookies", "проверка браузера",
	"проверяем ваш браузер",
}

// htmlError describes an HTML page for a person: "a bot challenge" or the
// page title.
func htmlError(text []byte) *Error {
	head := text[:min(len(text), 32<<10)]
	lower := bytes.ToLower(head)
	for _, m := range challengeMarkers {
		if bytes.Contains(lower, []byte(m)) {
			return &Error{Kind: HTML, Detail: "a bot challenge"}
		}
	}
	e := &Error{Kind: HTML}
	// Only the page's own title counts, not a <title> of content further
	// down (a feed wrapped in the page has one).
	headEnd := len(lower)
	for _, m := range []string{"</head", "<body", "<rss", "<feed", "<rdf:rdf", "<channel"} {
		if i := bytes.Index(lower, []byte(m)); i >= 0 && i < headEnd {
			headEnd = i
		}
	}
	if i := bytes.Index(lower[:headEnd], []byte("<title")); i >= 0 {
		if gt := bytes.IndexByte(lower[i:], '>'); gt >= 0 {
			rest := head[i+gt+1:]
			if end := bytes.Index(bytes.ToLower(rest), []byte("</title")); end >= 0 {
				if title := PlainText(string(rest[:end])); title != "" {
					e.Detail = fmt.Sprintf("%q", truncateRunes(title, 80))
				}
			}
		}
	}
	return e
}

// notFeedError describes a body that is neither a feed nor a web page.
func notFeedError(text []byte, p prolog) *Error {
	switch {
	case p.root != "":
		return &Error{Kind: NotFeed, Detail: fmt.Sprintf("got an XML document with root <%s>", p.root)}
	case bytes.IndexByte(text, 0) >= 0:
		return &Error{Kind: NotFeed, Detail: "got binary data"}
	}
	snippet := PlainText(string(text[:min(len(text), 400)]))
	if snippet == "" {
		return &Error{Kind: NotFeed}
	}
	return &Error{Kind: NotFeed, Detail: fmt.Sprintf("got text %q", truncateRunes(snippet, 60))}
}

// binaryError recognises compressed or binary bodies before any decoding,
// which would only turn them into noise.
func binaryError(body []byte) *Error {
	switch {
	case bytes.HasPrefix(body, []byte{0x1F, 0x8B}):
		return &Error{Kind: NotFeed, Detail: "got gzip-compressed data"}
	case bytes.HasPrefix(body, []byte("PK\x03\x04")):
		return &Error{Kind: NotFeed, Detail: "got a ZIP archive"}
	case bytes.HasPrefix(body, []byte("%PDF")):
		return &Error{Kind: NotFeed, Detail: "got a PDF document"}
	}
	return nil
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := 0; k < n; k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return strings.TrimRight(s[:i], " ") + "…"
}

// embeddedFeed finds an RSS, RDF or Atom document inside another one (an
// XHTML page wrapping a feed, PHP warnings printed before it) and returns it
// with the number of lines before it. ok is false when there is none.
func embeddedFeed(text []byte) (inner []byte, lineOffset int, ok bool) {
	start, name := -1, ""
	for _, open := range []string{"<rss", "<rdf:RDF", "<feed"} {
		from := 0
		for {
			i := bytes.Index(text[from:], []byte(open))
			if i < 0 {
				break
			}
			i += from
			next := i + len(open)
			if next < len(text) && (isSpace(text[next]) || text[next] == '>') {
				if start < 0 || i < start {
					start, name = i, open[1:]
				}
				break
			}
			from = next
		}
	}
	if start < 0 {
		return nil, 0, false
	}
	end := len(text)
	closer := []byte("</" + name + ">")
	if j := bytes.LastIndex(text, closer); j > start {
		end = j + len(closer)
	}
	return text[start:end], bytes.Count(text[:start], []byte("\n")), true
}
