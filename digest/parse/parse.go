// Package parse turns a fetched feed body into clean items.
//
// It wraps gofeed and repairs what gofeed gets wrong on real feeds: bodies in
// undeclared or wrongly declared encodings, HTML pages and empty bodies
// reported as "failed to detect feed type", truncated documents that lose
// every item, entities left escaped, relative links, dates in Russian or
// Kazakh or without a zone, and missing or shared GUIDs. Parse is safe for
// concurrent use; the package holds no mutable state.
package parse

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/mmcdole/gofeed"
	gofeedjson "github.com/mmcdole/gofeed/json"
)

// Options tune Parse. The zero value is ready to use.
type Options struct {
	// Location is the zone for dates written without one (Asia/Almaty for
	// Kazakh outlets); nil means UTC.
	Location *time.Location
	// Now returns the current time; nil means time.Now. Dates more than
	// MaxFuture after it are treated as unknown.
	Now func() time.Time
	// MaxContent, when positive, limits how much of each item's content (content:encoded, Atom
	// content) is cleaned into Item.Content: the first MaxContent bytes, cut at a character
	// boundary. Full articles run to 100 KB of HTML, and a caller that only wants a lead need
	// not pay for cleaning them. Zero cleans all of it.
	MaxContent int
}

// MaxFuture is how far ahead of the current time a publication date may lie
// before it is treated as unknown. A day absorbs any zone mistake; beyond
// that the date is wrong (or a scheduled post), and trusting it would pin
// the item to the top of every digest until that day.
const MaxFuture = 24 * time.Hour

// minDate is the earliest publication date believed: web feeds did not exist
// before it, so an earlier date is a misread or a zero epoch.
var minDate = time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)

// Feed is a parsed feed.
type Feed struct {
	Title string
	// Link is the site's home page, absolute and canonical; "" if none.
	Link string
	// Language is the feed-declared language, lower-cased with "_" written
	// "-" ("en-us", "ru"); "" if none.
	Language string
	// TTL is the RSS <ttl>, 0 if none or not a sane number of minutes.
	TTL time.Duration
	// Charset is the encoding the body was decoded from ("utf-8",
	// "windows-1251", "koi8-r", …), for diagnostics.
	Charset string
	// Recovered is non-nil when the body was damaged but items could still
	// be read: the XML was malformed (Items then hold the complete items
	// before the damage) or the feed was wrapped in an HTML page. It is the
	// error Parse would otherwise have returned; log it, do not fail on it.
	Recovered *Error
	// Items are in document order, each Key at most once. Items with no
	// title, link, description or content are dropped.
	Items []Item
}

// Item is one entry of a feed, with every text field plain text.
type Item struct {
	// Key identifies the item across polls: "guid:<guid>", else
	// "link:<canonical link>", else "hash:<sha256 hex>" of the title and
	// the date as written (the description stands in for a missing title).
	// When one document gives a GUID to items that are evidently different
	// (other link or title), those items use their link, or the hash when
	// their links are shared too; such keys are stable only while the
	// publisher keeps repeating the GUID.
	Key  string
	GUID string
	// Link is absolute and canonical (see CanonicalURL); "" when the item
	// has none or it cannot be made absolute. An RSS permalink GUID or an
	// Atom id that is an http(s) URL stands in for a missing link.
	Link        string
	Title       string
	Description string
	// Content is the plain text of content:encoded, Atom content or JSON
	// content_html; "" if none.
	Content string
	// Published is the publication date, else the update date; zero when
	// neither could be read or it lies more than MaxFuture ahead (the
	// caller then uses the time it first saw the item).
	Published time.Time
	// Language is the item's dc:language, else the feed's.
	Language   string
	Enclosures []Enclosure
	// Image is the absolute URL of the item's picture as gofeed finds it
	// (itunes:image, media:content, an image enclosure, else the first <img>
	// of the content, which may be a tracking pixel); "" if none.
	Image string
}

// Enclosure is a media file attached to an item.
type Enclosure struct {
	// URL is absolute; its query and fragment are kept as published.
	URL    string
	Type   string
	Length int64
}

// Parse parses a fetched feed body. contentType is the HTTP Content-Type
// header (its charset is used when the body does not say), finalURL the URL
// after redirects (relative links are resolved against it). Every failure is
// an *Error whose Error() is a sentence a person can act on.
func Parse(body []byte, contentType, finalURL string, opts Options) (*Feed, error) {
	if isBlank(body) {
		return nil, &Error{Kind: Empty}
	}
	if e := binaryError(body); e != nil {
		return nil, e
	}
	dec, derr := decodeBody(body, contentType)
	if derr != nil {
		return nil, derr
	}
	blankEncoding(&dec)
	if isBlank(dec.text) {
		return nil, &Error{Kind: Empty}
	}
	p := newParser(finalURL, dec.charset, opts)
	var (
		f   *Feed
		err *Error
	)
	switch firstByte(dec.text) {
	case '{':
		f, err = p.parseJSON(dec.text)
	case '[':
		err = &Error{Kind: NotFeed, Detail: "got JSON that is not a JSON Feed"}
	default:
		f, err = p.parseDocument(dec.text)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// parser carries what one Parse call needs.
type parser struct {
	base       *url.URL // final URL; nil when unusable
	charset    string
	loc        *time.Location
	latest     time.Time // dates after this are unknown
	maxContent int
}

func newParser(finalURL, charset string, opts Options) *parser {
	p := &parser{charset: charset, loc: opts.Location, maxContent: opts.MaxContent}
	if p.loc == nil {
		p.loc = time.UTC
	}
	if u, err := url.Parse(finalURL); err == nil && u.IsAbs() && u.Host != "" {
		p.base = u
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	p.latest = now().Add(MaxFuture)
	return p
}

// detectionWindow keeps the root element inside the 4 KiB gofeed peeks at
// to detect the format; a longer prolog is cut off first.
const detectionWindow = 3 << 10

// parseDocument classifies a markup document and parses it when it is a feed.
func (p *parser) parseDocument(text []byte) (*Feed, *Error) {
	pr := scanProlog(text)
	if pr.root != "" && isFeedRoot(pr.root) {
		doc, lineOffset := text, 0
		if pr.junk || pr.rootStart > detectionWindow {
			// Text before the root (a PHP warning) or a long prolog defeats
			// gofeed's detection; the root is all it needs.
			doc, lineOffset = text[pr.rootStart:], bytes.Count(text[:pr.rootStart], []byte("\n"))
		}
		return p.parseXML(doc, lineOffset)
	}
	var failure *Error
	if pr.doctype == "html" || htmlRoots[lowerASCII(localName(pr.root))] ||
		(pr.root == "" && bytes.Contains(bytes.ToLower(text[:min(len(text), 32<<10)]), []byte("<html"))) {
		failure = htmlError(text)
	} else {
		failure = notFeedError(text, pr)
	}
	if inner, lineOffset, ok := embeddedFeed(text); ok {
		if f, err := p.parseXML(inner, lineOffset); err == nil && len(f.Items) > 0 {
			f.Recovered = failure
			return f, nil
		}
	}
	return nil, failure
}

// parseXML runs gofeed on an RSS/RDF/Atom document. When gofeed fails, the
// first syntax error is located, and the document is cut after its last
// complete item and closed; if that parses, its items are returned with the
// error in Feed.Recovered. lineOffset is added to reported line numbers.
func (p *parser) parseXML(doc []byte, lineOffset int) (*Feed, *Error) {
	gf, err := parseGofeed(doc)
	if err == nil {
		return p.build(gf), nil
	}
	dmg, found := diagnose(doc)
	if !found {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return nil, &Error{Kind: NotFeed, Detail: err.Error(), Err: err}
		}
		return nil, &Error{Kind: Malformed, Detail: err.Error(), Err: err}
	}
	merr := &Error{Kind: Malformed, Detail: dmg.msg, Err: dmg.err}
	if dmg.line > 0 {
		merr.Line = dmg.line + lineOffset
	}
	if fixed := dmg.repaired(doc); fixed != nil {
		if gf, err := parseGofeed(fixed); err == nil && len(gf.Items) > 0 {
			f := p.build(gf)
			f.Recovered = merr
			return f, nil
		}
	}
	return nil, merr
}

// parseJSON runs gofeed on a JSON Feed.
func (p *parser) parseJSON(text []byte) (*Feed, *Error) {
	gf, err := parseGofeed(text)
	if err != nil {
		if se, ok := errors.AsType[*json.SyntaxError](err); ok {
			off := min(int(se.Offset), len(text))
			return nil, &Error{
				Kind: Malformed, Line: 1 + bytes.Count(text[:off], []byte("\n")),
				Detail: se.Error(), Err: err,
			}
		}
		return nil, &Error{Kind: NotFeed, Detail: "got JSON that is not a JSON Feed", Err: err}
	}
	if jf, ok := gf.OriginalFeed().(*gofeedjson.Feed); ok && jf.Version == "" && len(gf.Items) == 0 {
		return nil, &Error{Kind: NotFeed, Detail: "got JSON that is not a JSON Feed"}
	}
	return p.build(gf), nil
}

// parseGofeed runs gofeed, turning a panic on hostile input into an error:
// one bad feed must not take the poller down.
func parseGofeed(doc []byte) (f *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("gofeed panicked: %v", r)
		}
	}()
	fp := gofeed.NewParser()
	fp.KeepOriginalFeed = true
	return fp.Parse(bytes.NewReader(doc))
}

// isBlank reports a body of only whitespace, NULs and byte order marks.
func isBlank(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n', 0, 0xEF, 0xBB, 0xBF, 0xFE, 0xFF:
		default:
			return false
		}
	}
	return true
}

func firstByte(b []byte) byte {
	for _, c := range b {
		if !isSpace(c) {
			return c
		}
	}
	return 0
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return string(bytes.ToLower([]byte(s)))
		}
	}
	return s
}
