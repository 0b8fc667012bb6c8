package fetch

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// accept prefers feed types but takes anything: many servers label feeds text/html or
// application/octet-stream, and the parser, not the header, decides what came back.
const accept = "application/rss+xml, application/atom+xml, application/feed+json, " +
	"application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"

// drainBytes is how much of an error response is read before closing it, so a short error page
// does not cost the kept-alive connection.
const drainBytes = 4 << 10

// errTimedOut is the cancellation cause of a Fetch's own timeout; it tells that timeout apart
// from a deadline on the caller's context.
var errTimedOut = errors.New("fetch: request timed out")

// Client fetches feed documents. It is safe for concurrent use; create one and share it.
type Client struct {
	opts  Options
	http  *http.Client
	hosts *hostLimiter
}

// New returns a Client configured by opts, with defaults for zero fields.
func New(opts Options) *Client {
	opts = opts.withDefaults()
	c := &Client{opts: opts, hosts: newHostLimiter(opts.PerHost)}
	c.http = &http.Client{Transport: opts.Transport, CheckRedirect: c.checkRedirect}
	return c
}

// CloseIdleConnections closes the kept-alive connections of the Client's transport, for a
// clean shutdown. Requests in flight are not affected.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// Request is one conditional GET of a feed.
type Request struct {
	URL string

	// ETag and LastModified are the validators the previous Response returned for this source,
	// sent back as If-None-Match and If-Modified-Since. Empty means unconditional.
	ETag, LastModified string
}

// Response is a successful fetch: a document to parse, or word that it has not changed.
type Response struct {
	// NotModified reports a 304 answer to a conditional request; Body is nil then.
	NotModified bool
	StatusCode  int

	// Body is the decompressed document, at most MaxBodyBytes and never blank unless
	// NotModified.
	Body []byte

	// ContentType is the Content-Type header verbatim; the parser reads its charset.
	ContentType string

	// FinalURL is the URL that answered, after redirects; relative links resolve against it. It
	// keeps any userinfo and query of the request: pass it through Redact before logging it.
	FinalURL string

	// ETag and LastModified are the validators to send next time. After a 304 they are the new
	// ones when the server sent any, else the request's.
	ETag, LastModified string

	// FreshFor is how long the server says the answer stays fresh (Cache-Control max-age minus
	// Age, at most MaxFreshFor): the caller should not poll sooner. Zero when the server gave no
	// max-age or forbade caching.
	FreshFor time.Duration
}

// Fetch GETs r.URL, waiting for a free slot on its host first. Every failure is an *Error; a
// non-2xx status other than 304 is a failure, and so is a blank 2xx body. A 304 to a request
// without validators is a failure too, since it would leave the caller with nothing to parse.
func (c *Client) Fetch(ctx context.Context, r Request) (*Response, error) {
	start := time.Now()
	u, ferr := parseFeedURL(r.URL)
	if ferr != nil {
		return nil, ferr
	}
	redacted := Redact(u.String())
	if ctx.Err() != nil {
		return nil, c.fail(ctx, ctx, redacted, phaseStart, start, ctx.Err())
	}

	release, err := c.hosts.acquire(ctx, hostKey(u))
	if err != nil {
		return nil, c.fail(ctx, ctx, redacted, phaseWait, start, err)
	}
	defer release()

	tctx, cancel := context.WithTimeoutCause(ctx, c.opts.Timeout, errTimedOut)
	defer cancel()

	req, err := http.NewRequestWithContext(tctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &Error{Kind: BadURL, URL: redacted, Err: err, msg: "invalid URL"}
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", accept)
	conditional := false
	if v := strings.TrimSpace(r.ETag); v != "" {
		req.Header.Set("If-None-Match", v)
		conditional = true
	}
	if v := strings.TrimSpace(r.LastModified); v != "" {
		req.Header.Set("If-Modified-Since", v)
		conditional = true
	}

	resp, err := c.http.Do(req)
	if err != nil {
		// On a CheckRedirect error Do also returns the last response, its body already closed.
		return nil, c.fail(ctx, tctx, redacted, phaseHeaders, start, err)
	}
	defer resp.Body.Close()
	finalURL := resp.Request.URL.String()
	redacted = Redact(finalURL)

	switch {
	case resp.StatusCode == http.StatusNotModified && conditional:
		return &Response{
			NotModified:  true,
			StatusCode:   resp.StatusCode,
			ContentType:  resp.Header.Get("Content-Type"),
			FinalURL:     finalURL,
			ETag:         firstNonEmpty(header(resp, "ETag"), r.ETag),
			LastModified: firstNonEmpty(header(resp, "Last-Modified"), r.LastModified),
			FreshFor:     freshFor(resp.Header),
		}, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		_, _ = io.CopyN(io.Discard, resp.Body, drainBytes)
		return nil, &Error{
			Kind:       Status,
			StatusCode: resp.StatusCode,
			RetryAfter: retryAfter(resp.Header, c.opts.Now()),
			URL:        redacted,
		}
	}

	body, err := readBody(resp, c.opts.MaxBodyBytes)
	if err != nil {
		var fe *Error
		if errors.As(err, &fe) {
			fe.URL = redacted
			fe.StatusCode = resp.StatusCode
			return nil, fe
		}
		return nil, c.fail(ctx, tctx, redacted, phaseBody, start, err)
	}
	if isBlank(body) {
		return nil, &Error{Kind: Empty, StatusCode: resp.StatusCode, URL: redacted}
	}
	return &Response{
		StatusCode:   resp.StatusCode,
		Body:         body,
		ContentType:  resp.Header.Get("Content-Type"),
		FinalURL:     finalURL,
		ETag:         header(resp, "ETag"),
		LastModified: header(resp, "Last-Modified"),
		FreshFor:     freshFor(resp.Header),
	}, nil
}

// parseFeedURL accepts absolute http and https URLs only; anything else would fail later with a
// message about protocols that a person adding a feed would not recognise.
func parseFeedURL(raw string) (*url.URL, *Error) {
	raw = strings.TrimSpace(raw)
	bad := func(msg string, err error) *Error {
		return &Error{Kind: BadURL, URL: Redact(raw), Err: err, msg: msg}
	}
	if raw == "" {
		return nil, bad("no URL", nil)
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the url.Error repeats the whole URL, secrets included
		}
		return nil, bad("invalid URL: "+err.Error(), err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "":
		return nil, bad("URL has no scheme (want http:// or https://)", nil)
	default:
		return nil, bad("unsupported URL scheme "+quote(u.Scheme)+" (want http or https)", nil)
	}
	if u.Hostname() == "" {
		return nil, bad("URL has no host", nil)
	}
	return u, nil
}

// hostKey names the host a request counts against: lowercase host and explicit port, so
// "Example.kz" and "example.kz:443" share one limit.
func hostKey(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if strings.EqualFold(u.Scheme, "https") {
			port = "443"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > c.opts.MaxRedirects {
		if c.opts.MaxRedirects == 0 {
			return &redirectError{msg: "redirected, and redirects are not followed"}
		}
		return &redirectError{msg: "too many redirects (more than " + strconv.Itoa(c.opts.MaxRedirects) + ")"}
	}
	switch strings.ToLower(req.URL.Scheme) {
	case "http", "https":
	default:
		return &redirectError{msg: "redirected to an unsupported URL scheme " + quote(req.URL.Scheme)}
	}
	// Without a cookie jar a revisit gets the same answer again, so a loop is certain.
	next := req.URL.String()
	for _, v := range via {
		if v.URL.String() == next {
			return &redirectError{msg: "redirect loop"}
		}
	}
	return nil
}

// redirectError is what checkRedirect returns; Do wraps it in a *url.Error.
type redirectError struct{ msg string }

func (e *redirectError) Error() string { return e.msg }

func header(resp *http.Response, name string) string {
	return strings.TrimSpace(resp.Header.Get(name))
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return strings.TrimSpace(b)
}
