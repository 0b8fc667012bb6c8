package fetch

import (
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestFetchConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = newClient(t, Options{}).Fetch(context.Background(), Request{URL: "http://" + addr + "/feed/"})
	fe := asError(t, err, Network)
	if fe.Error() != "connection refused" {
		t.Errorf("Error() = %q, want %q", fe.Error(), "connection refused")
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("errors.Is(err, ECONNREFUSED) = false for %v", fe.Err)
	}
}

func TestFetchServerHangsUp(t *testing.T) {
	tests := []struct {
		name    string
		respond func(conn net.Conn)
		wantMsg string
	}{
		{
			name:    "before answering",
			respond: func(net.Conn) {},
			wantMsg: "server closed the connection without answering",
		},
		{
			name: "in the middle of the body",
			respond: func(conn net.Conn) {
				_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 5000\r\n\r\n"+rssDoc[:100])
			},
			wantMsg: "connection closed before the body was complete",
		},
		{
			name: "after garbage",
			respond: func(conn net.Conn) {
				_, _ = io.WriteString(conn, "SSH-2.0-OpenSSH_9.6\r\n\r\n")
			},
			wantMsg: "server sent a malformed HTTP response",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				conn, _, err := http.NewResponseController(w).Hijack()
				if err != nil {
					t.Error(err)
					return
				}
				tt.respond(conn)
				_ = conn.Close()
			})
			_, err := newClient(t, Options{}).Fetch(context.Background(), Request{URL: srv.URL})
			if fe := asError(t, err, Network); fe.Error() != tt.wantMsg {
				t.Errorf("Error() = %q (cause %v), want %q", fe.Error(), fe.Err, tt.wantMsg)
			}
		})
	}
}

func TestFetchTLS(t *testing.T) {
	handler := func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(rssDoc)) }

	t.Run("untrusted certificate", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.HandlerFunc(handler))
		t.Cleanup(srv.Close)
		srv.Config.ErrorLog = quietLog()
		_, err := newClient(t, Options{}).Fetch(context.Background(), Request{URL: srv.URL})
		if fe := asError(t, err, Network); fe.Error() != "TLS certificate signed by an unknown authority" {
			t.Errorf("Error() = %q (cause %v)", fe.Error(), fe.Err)
		}
	})
	t.Run("trusted through a custom transport", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.HandlerFunc(handler))
		t.Cleanup(srv.Close)
		resp, err := newClient(t, Options{Transport: srv.Client().Transport}).Fetch(context.Background(), Request{URL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		if string(resp.Body) != rssDoc {
			t.Errorf("Body = %q", resp.Body)
		}
	})
	t.Run("plain HTTP on the HTTPS URL", func(t *testing.T) {
		srv := newServer(t, handler)
		u := "https://" + strings.TrimPrefix(srv.URL, "http://")
		srv.Config.ErrorLog = quietLog()
		_, err := newClient(t, Options{}).Fetch(context.Background(), Request{URL: u})
		if fe := asError(t, err, Network); fe.Error() != "server answered plain HTTP on an HTTPS URL" {
			t.Errorf("Error() = %q (cause %v)", fe.Error(), fe.Err)
		}
	})
}

func TestDescribe(t *testing.T) {
	opErr := func(errno syscall.Errno) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", errno)}
	}
	wrapURL := func(err error) error {
		return &url.Error{Op: "Get", URL: "https://reader:s3cret@kun.uz/news/rss?token=abc", Err: err}
	}
	tests := []struct {
		name     string
		err      error
		ph       phase
		wantKind Kind
		wantMsg  string
	}{
		{"DNS not found", wrapURL(&net.DNSError{Err: "no such host", Name: "akipress.invalid", IsNotFound: true}), phaseHeaders, Network, "host not found: akipress.invalid"},
		{"DNS timeout", &net.DNSError{Err: "i/o timeout", Name: "24.kg", IsTimeout: true}, phaseHeaders, Timeout, "DNS lookup timed out for 24.kg"},
		{"DNS server failure", &net.DNSError{Err: "server misbehaving", Name: "kun.uz"}, phaseHeaders, Network, "DNS lookup failed for kun.uz: server misbehaving"},
		{"refused", wrapURL(opErr(syscall.ECONNREFUSED)), phaseHeaders, Network, "connection refused"},
		{"reset", opErr(syscall.ECONNRESET), phaseBody, Network, "connection reset by the server"},
		{"broken pipe", opErr(syscall.EPIPE), phaseHeaders, Network, "connection reset by the server"},
		{"network unreachable", opErr(syscall.ENETUNREACH), phaseHeaders, Network, "network unreachable"},
		{"host unreachable", opErr(syscall.EHOSTUNREACH), phaseHeaders, Network, "host unreachable"},
		{"connect timed out", opErr(syscall.ETIMEDOUT), phaseHeaders, Timeout, "connection timed out"},
		{"unknown authority", wrapURL(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), phaseHeaders, Network, "TLS certificate signed by an unknown authority"},
		{"wrong host", x509.HostnameError{Certificate: &x509.Certificate{}, Host: "timesca.com"}, phaseHeaders, Network, "TLS certificate is not valid for timesca.com"},
		{"expired", x509.CertificateInvalidError{Cert: &x509.Certificate{}, Reason: x509.Expired}, phaseHeaders, Network, "TLS certificate has expired or is not yet valid"},
		{"TLS alert", tls.AlertError(40), phaseHeaders, Network, "TLS handshake failed: tls: handshake failure"},
		{"not TLS at all", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, phaseHeaders, Network, "server did not answer with TLS"},
		{"EOF before headers", wrapURL(io.EOF), phaseHeaders, Network, "server closed the connection without answering"},
		{"EOF in body", io.ErrUnexpectedEOF, phaseBody, Network, "connection closed before the body was complete"},
		{"corrupt gzip", gzip.ErrChecksum, phaseBody, Encoding, "corrupt gzip body"},
		{"transport TLS handshake timeout", wrapURL(tlsTimeout{}), phaseHeaders, Timeout, "TLS handshake timed out"},
		{"other", wrapURL(errors.New("proxyconnect tcp: something odd")), phaseHeaders, Network, "network error: proxyconnect tcp: something odd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, msg := describe(tt.err, tt.ph)
			if kind != tt.wantKind || msg != tt.wantMsg {
				t.Errorf("describe = %s, %q; want %s, %q", kind, msg, tt.wantKind, tt.wantMsg)
			}
			if strings.Contains(msg, "s3cret") || strings.Contains(msg, "abc") {
				t.Errorf("message %q leaks a secret from the URL", msg)
			}
		})
	}
}

type tlsTimeout struct{}

func (tlsTimeout) Error() string   { return "net/http: TLS handshake timeout" }
func (tlsTimeout) Timeout() bool   { return true }
func (tlsTimeout) Temporary() bool { return true }

func TestFetchBadURL(t *testing.T) {
	tests := []struct {
		raw     string
		wantMsg string
	}{
		{"", "no URL"},
		{"   ", "no URL"},
		{"tengrinews.kz/news.rss", "URL has no scheme (want http:// or https://)"},
		{"ftp://files.example.kz/feed.xml", `unsupported URL scheme "ftp" (want http or https)`},
		{"javascript:alert(1)", `unsupported URL scheme "javascript" (want http or https)`},
		{"http://", "URL has no host"},
		{"https:///feed/", "URL has no host"},
		{"http://[::1/feed", `invalid URL: missing ']' in host`},
		{"http://orda.kz:port/feed/", `invalid URL: invalid port ":port" after host`},
	}
	c := newClient(t, Options{})
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			_, err := c.Fetch(context.Background(), Request{URL: tt.raw})
			if fe := asError(t, err, BadURL); fe.Error() != tt.wantMsg {
				t.Errorf("Error() = %q, want %q", fe.Error(), tt.wantMsg)
			}
		})
	}
	t.Run("secrets stay out of the error", func(t *testing.T) {
		_, err := c.Fetch(context.Background(), Request{URL: "ftp://reader:s3cret@files.example.kz/feed.xml?token=abc123"})
		fe := asError(t, err, BadURL)
		all := fmt.Sprint(fe.Error(), fe.URL, fe.Err)
		if strings.Contains(all, "s3cret") || strings.Contains(all, "abc123") {
			t.Errorf("error leaks a secret: %s", all)
		}
	})
}
