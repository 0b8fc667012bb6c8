package fetch

import (
	"net/http"
	"time"
)

// Defaults used by New for zero Options fields.
const (
	DefaultTimeout      = 20 * time.Second
	DefaultMaxBodyBytes = 5 << 20
	DefaultPerHost      = 2
	DefaultMaxRedirects = 5

	// DefaultUserAgent names the bot and says it reads feeds: some outlets (AKIpress) serve an
	// HTML page instead of the feed unless the agent looks like a feed reader, and some (The
	// Times of Central Asia) block Go's default "Go-http-client/1.1".
	DefaultUserAgent = "newsbot/1.0 (RSS reader)"
)

// Caps on what a server may ask of the caller's scheduler, so a misconfigured header
// ("max-age=31536000", "Retry-After: 99999999") cannot silence a source for long.
const (
	MaxFreshFor   = 24 * time.Hour
	MaxRetryAfter = 24 * time.Hour
)

// Options configures a Client. The zero value is usable: every zero field takes its default.
type Options struct {
	// Timeout bounds one Fetch from sending the request to the last byte of the body, redirects
	// included. Waiting for a free per-host slot does not count against it. Default 20s.
	Timeout time.Duration

	// MaxBodyBytes caps the body after decompression. Default 5 MiB.
	MaxBodyBytes int64

	// UserAgent is sent with every request. Default DefaultUserAgent.
	UserAgent string

	// PerHost is the most requests in flight to one host: the host and port of Request.URL, with
	// redirect hops counted against it. Default 2.
	PerHost int

	// MaxRedirects is how many redirects one Fetch follows. Default 5; a negative value follows
	// none.
	MaxRedirects int

	// Transport sends the requests. Nil means a tuned clone of http.DefaultTransport. A custom
	// transport need not decompress gzip: Fetch decodes a body still marked Content-Encoding: gzip.
	Transport http.RoundTripper

	// Now is the clock used to turn a Retry-After date into a delay when the response has no
	// usable Date header. Nil means time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.PerHost <= 0 {
		o.PerHost = DefaultPerHost
	}
	switch {
	case o.MaxRedirects == 0:
		o.MaxRedirects = DefaultMaxRedirects
	case o.MaxRedirects < 0:
		o.MaxRedirects = 0
	}
	if o.Transport == nil {
		o.Transport = newTransport(o.PerHost)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// newTransport tunes a clone of http.DefaultTransport for polling many feeds on many hosts. It
// sets no header timeout of its own: Fetch's context deadline covers every phase, so a timeout
// always reports the configured duration.
func newTransport(perHost int) *http.Transport {
	var t *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		t = dt.Clone()
	} else {
		// Someone replaced the global; start from Go's documented defaults instead.
		t = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          100,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
		}
	}
	t.MaxIdleConnsPerHost = perHost
	// No cap on idle connections in total: the limit is per host. With hundreds of feed hosts a
	// total cap (DefaultTransport's is 100) makes the transport close connections as requests
	// finish, and a request racing that close fails with "putIdleConn: too many idle
	// connections". IdleConnTimeout still closes them between polls.
	t.MaxIdleConns = 0
	t.ResponseHeaderTimeout = 0
	t.MaxResponseHeaderBytes = 256 << 10
	t.DisableCompression = false
	return t
}
