package fetch

import (
	"compress/flate"
	"compress/gzip"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// describe classifies an error that is not a context deadline or cancellation and words it for
// a person. The words never include the request URL.
func describe(err error, ph phase) (Kind, string) {
	err = unwrapURLError(err)

	var dns *net.DNSError
	if errors.As(err, &dns) {
		switch {
		case dns.IsNotFound:
			return Network, "host not found: " + dns.Name
		case dns.IsTimeout:
			return Timeout, "DNS lookup timed out for " + dns.Name
		default:
			return Network, "DNS lookup failed for " + dns.Name + ": " + dns.Err
		}
	}
	if msg := describeTLS(err); msg != "" {
		return Network, msg
	}
	if k, msg := describeEncoding(err); msg != "" {
		return k, msg
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return Network, "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return Network, "connection reset by the server"
	case errors.Is(err, syscall.ENETUNREACH):
		return Network, "network unreachable"
	case errors.Is(err, syscall.EHOSTUNREACH):
		return Network, "host unreachable"
	case errors.Is(err, syscall.ETIMEDOUT):
		return Timeout, "connection timed out"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		if ph == phaseBody {
			return Network, "connection closed before the body was complete"
		}
		return Network, "server closed the connection without answering"
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		if strings.Contains(err.Error(), "TLS handshake") {
			return Timeout, "TLS handshake timed out"
		}
		return Timeout, "network timeout"
	}
	if strings.Contains(err.Error(), "malformed HTTP") {
		return Network, "server sent a malformed HTTP response"
	}
	return Network, "network error: " + err.Error()
}

// describeEncoding recognises a corrupt or unsupported compressed body, whether the transport
// or readBody was decoding it.
func describeEncoding(err error) (Kind, string) {
	var corrupt flate.CorruptInputError
	var unsupported *encodingError
	switch {
	case errors.As(err, &unsupported):
		return Encoding, unsupported.msg
	case errors.Is(err, gzip.ErrHeader), errors.Is(err, gzip.ErrChecksum), errors.As(err, &corrupt):
		return Encoding, "corrupt gzip body"
	}
	return 0, ""
}

// encodingError reports a Content-Encoding that readBody cannot undo.
type encodingError struct{ msg string }

func (e *encodingError) Error() string { return e.msg }

// unwrapURLError drops the *url.Error that http.Client wraps around everything: its message
// repeats the URL, query secrets included.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
