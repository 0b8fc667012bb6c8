package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Kind classifies a failed fetch. Its String is a short stable word, fit to store
// (sources.last_error_kind) and to branch on.
type Kind int

// The kinds of failure. The zero Kind is not used.
const (
	// Timeout: the request ran past Options.Timeout or the caller's deadline, in any phase.
	Timeout Kind = iota + 1
	// Network: DNS, connection, TLS or protocol failure; no usable HTTP answer.
	Network
	// Status: the server answered with a non-2xx status other than a conditional 304.
	Status
	// TooLarge: the (decompressed) body exceeds Options.MaxBodyBytes.
	TooLarge
	// Empty: a 2xx answer whose body is empty or only whitespace.
	Empty
	// Redirects: too many redirects, a loop, or a redirect to a non-HTTP URL.
	Redirects
	// BadURL: the URL is not an absolute http or https URL.
	BadURL
	// Canceled: the caller's context was canceled (shutdown); not the source's fault.
	Canceled
	// Encoding: the body's Content-Encoding is unsupported or its gzip stream is corrupt.
	Encoding
)

var kindNames = [...]string{
	Timeout:   "timeout",
	Network:   "network",
	Status:    "status",
	TooLarge:  "too_large",
	Empty:     "empty",
	Redirects: "redirects",
	BadURL:    "bad_url",
	Canceled:  "canceled",
	Encoding:  "encoding",
}

// String returns the kind's short word ("timeout", "status", "too_large", ...), or "unknown".
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Error is what Fetch returns for every failure. Error() is a short sentence for people
// ("timed out after 20s", "HTTP 503 Service Unavailable", "connection refused"); Err holds the
// underlying cause for logs. Neither Error() nor URL carries URL credentials or secret-looking
// query values.
type Error struct {
	Kind Kind

	// StatusCode is the HTTP status when the server answered (always set for Status).
	StatusCode int

	// RetryAfter is the server's Retry-After (seconds or HTTP-date) on a Status error, at most
	// MaxRetryAfter; zero when absent, unparsable or in the past.
	RetryAfter time.Duration

	// URL is the URL that failed, passed through Redact: the one that answered, after
	// redirects, when an answer came; else the one requested.
	URL string

	// Err is the underlying error, if any. Timeouts wrap context.DeadlineExceeded and
	// cancellations context.Canceled, so errors.Is works on them.
	Err error

	msg string
}

// Error returns the sentence for people. An Error built by hand without it (in a test fake, say)
// still reads sensibly from its Kind and StatusCode.
func (e *Error) Error() string {
	if e.msg != "" {
		return e.msg
	}
	switch e.Kind {
	case Timeout:
		return "timed out"
	case Status:
		return statusText(e.StatusCode)
	case TooLarge:
		return "body too large"
	case Empty:
		return "empty body"
	case Redirects:
		return "too many redirects"
	case BadURL:
		return "invalid URL"
	case Canceled:
		return "canceled"
	case Encoding:
		return "cannot decode the body"
	}
	if e.Err != nil {
		return "network error: " + e.Err.Error()
	}
	return "network error"
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return "HTTP " + strconv.Itoa(code) + " " + t
	}
	return "HTTP " + strconv.Itoa(code)
}

// phase says where a request was when it failed, for messages that tell a slow server from a
// slow network from a busy host.
type phase int

const (
	phaseStart   phase = iota // before anything: the context was already done
	phaseWait                 // waiting for a free slot on the host
	phaseHeaders              // connecting, sending, waiting for the status line and headers
	phaseBody                 // reading the body
)

// fail turns an error from any phase into an *Error. ctx is the caller's context and tctx the
// one carrying the Fetch timeout: the caller's cancellation wins over everything, then either
// deadline, then what the error itself says.
func (c *Client) fail(ctx, tctx context.Context, redactedURL string, ph phase, start time.Time, err error) *Error {
	e := &Error{URL: redactedURL}
	var re *redirectError
	switch {
	case ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded):
		e.Kind, e.Err, e.msg = Canceled, context.Cause(ctx), "canceled"
		if !errors.Is(e.Err, context.Canceled) {
			e.Err = fmt.Errorf("%w: %w", context.Canceled, e.Err)
		}
	case ctx.Err() != nil:
		e.Kind, e.Err = Timeout, context.DeadlineExceeded
		switch ph {
		case phaseStart:
			e.msg = "deadline passed before the request started"
		case phaseWait:
			e.msg = "timed out waiting for other requests to the same host"
		default:
			e.msg = "timed out after " + roundDuration(time.Since(start)) + suffix(ph)
		}
	case context.Cause(tctx) == errTimedOut:
		e.Kind, e.Err = Timeout, context.DeadlineExceeded
		e.msg = "timed out after " + c.opts.Timeout.String() + suffix(ph)
	case errors.As(err, &re):
		e.Kind, e.Err, e.msg = Redirects, re, re.msg
	default:
		e.Kind, e.msg = describe(err, ph)
		e.Err = unwrapURLError(err)
	}
	return e
}

func suffix(ph phase) string {
	if ph == phaseBody {
		return " while reading the body"
	}
	return ""
}

// roundDuration keeps a measured duration readable: "1.2s", not "1.234567891s".
func roundDuration(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		d = d.Round(time.Second)
	case d >= time.Second:
		d = d.Round(100 * time.Millisecond)
	default:
		d = d.Round(time.Millisecond)
	}
	return d.String()
}

// describeTLS names a certificate or handshake failure, or returns "".
func describeTLS(err error) string {
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		record           tls.RecordHeaderError
		alert            tls.AlertError
		verify           *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &unknownAuthority):
		return "TLS certificate signed by an unknown authority"
	case errors.As(err, &hostname):
		return "TLS certificate is not valid for " + hostname.Host
	case errors.As(err, &invalid):
		if invalid.Reason == x509.Expired {
			return "TLS certificate has expired or is not yet valid"
		}
		return "TLS certificate is invalid: " + invalid.Error()
	case errors.As(err, &verify):
		return "TLS certificate rejected: " + verify.Err.Error()
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		// net/http's own words for a RecordHeaderError that looks like HTTP; not a typed error.
		return "server answered plain HTTP on an HTTPS URL"
	case errors.As(err, &record):
		return "server did not answer with TLS"
	case errors.As(err, &alert):
		return "TLS handshake failed: " + alert.Error()
	}
	return ""
}

func quote(s string) string { return strconv.Quote(s) }
