package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFetchBodyCap(t *testing.T) {
	const limit = 1 << 10
	tests := []struct {
		name          string
		size          int
		contentLength bool
		wantKind      Kind // zero: success
	}{
		{"exactly the cap, with Content-Length", limit, true, 0},
		{"exactly the cap, chunked", limit, false, 0},
		{"one byte over, with Content-Length", limit + 1, true, TooLarge},
		{"one byte over, chunked", limit + 1, false, TooLarge},
		{"far over, chunked", 64 * limit, false, TooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := bytes.Repeat([]byte("Тоқаев "), tt.size)[:tt.size]
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.contentLength {
					w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				}
				// Flushing in pieces makes net/http send chunked, with no length up front.
				for rest := body; len(rest) > 0; {
					n := min(len(rest), 300)
					if _, err := w.Write(rest[:n]); err != nil {
						return
					}
					if !tt.contentLength {
						w.(http.Flusher).Flush()
					}
					rest = rest[n:]
				}
			})
			c := newClient(t, Options{MaxBodyBytes: limit})
			resp, err := c.Fetch(context.Background(), Request{URL: srv.URL})
			if tt.wantKind == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(resp.Body, body) {
					t.Errorf("Body has %d bytes, want the %d sent", len(resp.Body), len(body))
				}
				return
			}
			fe := asError(t, err, tt.wantKind)
			if fe.Error() != "body larger than 1.0 KiB" {
				t.Errorf("Error() = %q, want %q", fe.Error(), "body larger than 1.0 KiB")
			}
			if fe.StatusCode != 200 || fe.URL != srv.URL {
				t.Errorf("StatusCode, URL = %d, %q; want 200, %q", fe.StatusCode, fe.URL, srv.URL)
			}
		})
	}
}

func TestFetchDefaultCapMessage(t *testing.T) {
	body := make([]byte, DefaultMaxBodyBytes+1)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
	_, err := newClient(t, Options{}).Fetch(context.Background(), Request{URL: srv.URL})
	if fe := asError(t, err, TooLarge); fe.Error() != "body larger than 5.0 MiB" {
		t.Errorf("Error() = %q, want %q", fe.Error(), "body larger than 5.0 MiB")
	}
}

func TestFetchGzip(t *testing.T) {
	const limit = 64 << 10
	feed := []byte(rssDoc)
	bomb := make([]byte, 4<<20) // zeros: a few KiB compressed, far over the cap decompressed
	// Go's transport decompresses only what it asked for; with compression disabled it leaves
	// Content-Encoding in place, as a custom transport would, and Fetch decodes instead.
	transports := []struct {
		name string
		new  func() http.RoundTripper
	}{
		{"default transport", func() http.RoundTripper { return nil }},
		{"transport without gzip", func() http.RoundTripper { return &http.Transport{DisableCompression: true} }},
	}
	tests := []struct {
		name     string
		encoding string
		body     []byte
		want     []byte
		wantKind Kind
		wantMsg  string
	}{
		{name: "gzip", encoding: "gzip", body: gzipped(t, feed), want: feed},
		{name: "x-gzip", encoding: "x-gzip", body: gzipped(t, feed), want: feed},
		{name: "cap applies decompressed", encoding: "gzip", body: gzipped(t, bomb), wantKind: TooLarge, wantMsg: "body larger than 64.0 KiB"},
		{name: "not really gzip", encoding: "gzip", body: feed, wantKind: Encoding, wantMsg: "corrupt gzip body"},
		{name: "truncated gzip", encoding: "gzip", body: gzipped(t, feed)[:40], wantKind: Network, wantMsg: "connection closed before the body was complete"},
		{name: "gzip of nothing", encoding: "gzip", body: nil, wantKind: Empty},
		{name: "gzip of blanks", encoding: "gzip", body: gzipped(t, []byte("\n \n")), wantKind: Empty},
	}
	for _, tr := range transports {
		for _, tt := range tests {
			t.Run(tr.name+"/"+tt.name, func(t *testing.T) {
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
					w.Header().Set("Content-Encoding", tt.encoding)
					w.Header().Set("Content-Length", strconv.Itoa(len(tt.body)))
					_, _ = w.Write(tt.body)
				})
				c := newClient(t, Options{MaxBodyBytes: limit, Transport: tr.new()})
				resp, err := c.Fetch(context.Background(), Request{URL: srv.URL})
				if tt.wantKind != 0 {
					fe := asError(t, err, tt.wantKind)
					if tt.wantMsg != "" && fe.Error() != tt.wantMsg {
						t.Errorf("Error() = %q, want %q", fe.Error(), tt.wantMsg)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(resp.Body, tt.want) {
					t.Errorf("Body = %q, want %q", resp.Body, tt.want)
				}
			})
		}
	}
}

func TestFetchUnsupportedEncoding(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "br")
		_, _ = w.Write([]byte{0x1b, 0x2f, 0x00, 0xa4})
	})
	_, err := newClient(t, Options{}).Fetch(context.Background(), Request{URL: srv.URL})
	fe := asError(t, err, Encoding)
	if !strings.Contains(fe.Error(), `"br"`) {
		t.Errorf("Error() = %q, want it to name the encoding", fe.Error())
	}
}
