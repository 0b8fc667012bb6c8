package fetch

import (
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
)

// rssDoc is a small, valid feed in the shape the regional outlets serve.
const rssDoc = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Orda.kz</title><link>https://orda.kz/</link>
<item><title>«Казатомпром» увеличил добычу урана на 12%</title><link>https://orda.kz/kazatomprom-uranium/</link></item>
<item><title>Тоқаев Астанада шетелдік инвесторлармен кездесті</title><link>https://orda.kz/tokayev-investors/</link></item>
<item><title>Kazatomprom signs uranium deal with China National Nuclear Corporation</title><link>https://en.orda.kz/kazatomprom-cnnc/</link></item>
</channel></rss>`

// newServer starts an httptest server that the test closes when it ends.
func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// newClient returns a Client whose idle connections are closed when the test ends.
func newClient(t *testing.T, opts Options) *Client {
	t.Helper()
	c := New(opts)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// closeOnCleanup closes ch when the test ends. Call it after newServer: cleanups run last-in
// first-out, so a handler blocked on ch is let go before httptest.Server.Close waits for it.
func closeOnCleanup(t *testing.T, ch chan struct{}) {
	t.Helper()
	t.Cleanup(func() { close(ch) })
}

// asError asserts err is an *Error of kind want and returns it.
func asError(t *testing.T, err error, want Kind) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want a %s error", want)
	}
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("err = %T %v, want *Error", err, err)
	}
	if fe.Kind != want {
		t.Fatalf("Kind = %s (%q, cause %v), want %s", fe.Kind, fe.Error(), fe.Err, want)
	}
	return fe
}

// quietLog discards the server's complaints about failed TLS handshakes, which the tests provoke.
func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }
