package fetch

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFetchOK(t *testing.T) {
	var mu sync.Mutex
	var got http.Header
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Header.Clone()
		mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
		w.Header().Set("ETag", `W/"5f3a-kazatomprom"`)
		w.Header().Set("Last-Modified", "Mon, 02 Mar 2026 09:15:00 GMT")
		w.Header().Set("Cache-Control", "public, max-age=600")
		_, _ = w.Write([]byte(rssDoc))
	})
	c := newClient(t, Options{})

	resp, err := c.Fetch(context.Background(), Request{URL: srv.URL + "/feed/"})
	if err != nil {
		t.Fatal(err)
	}
	want := &Response{
		StatusCode:   200,
		Body:         []byte(rssDoc),
		ContentType:  "application/rss+xml; charset=UTF-8",
		FinalURL:     srv.URL + "/feed/",
		ETag:         `W/"5f3a-kazatomprom"`,
		LastModified: "Mon, 02 Mar 2026 09:15:00 GMT",
		FreshFor:     10 * time.Minute,
	}
	if diff := cmp.Diff(want, resp); diff != "" {
		t.Errorf("Response mismatch (-want +got):\n%s", diff)
	}

	mu.Lock()
	defer mu.Unlock()
	if ua := got.Get("User-Agent"); ua != DefaultUserAgent {
		t.Errorf("User-Agent = %q, want %q", ua, DefaultUserAgent)
	}
	if a := got.Get("Accept"); a != accept {
		t.Errorf("Accept = %q, want %q", a, accept)
	}
	if ae := got.Get("Accept-Encoding"); ae != "gzip" {
		t.Errorf("Accept-Encoding = %q, want gzip (from the transport)", ae)
	}
	for _, h := range []string{"If-None-Match", "If-Modified-Since"} {
		if v := got.Get(h); v != "" {
			t.Errorf("%s = %q on an unconditional request", h, v)
		}
	}
}

func TestFetchUserAgent(t *testing.T) {
	tests := []struct {
		name string
		opt  string
		want string
	}{
		{"default looks like a feed reader", "", DefaultUserAgent},
		{"custom", "newsbot/2.3 (+https://example.kz/bot; RSS reader)", "newsbot/2.3 (+https://example.kz/bot; RSS reader)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			uas := make(chan string, 1)
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				uas <- r.UserAgent()
				_, _ = w.Write([]byte(rssDoc))
			})
			c := newClient(t, Options{UserAgent: tt.opt})
			if _, err := c.Fetch(context.Background(), Request{URL: srv.URL}); err != nil {
				t.Fatal(err)
			}
			if got := <-uas; got != tt.want {
				t.Errorf("User-Agent = %q, want %q", got, tt.want)
			}
		})
	}
	if !strings.Contains(DefaultUserAgent, "RSS reader") || strings.Contains(DefaultUserAgent, "Go-http-client") {
		t.Errorf("DefaultUserAgent %q does not look like a feed reader", DefaultUserAgent)
	}
}

func TestFetchConditional(t *testing.T) {
	const (
		etag    = `"a1b2c3"`
		lastMod = "Tue, 03 Mar 2026 06:00:00 GMT"
	)
	tests := []struct {
		name     string
		req      Request
		respond  func(w http.ResponseWriter)
		wantINM  string
		wantIMS  string
		want     *Response
		wantKind Kind // zero: success expected
	}{
		{
			name:    "304 keeps the validators sent",
			req:     Request{ETag: etag, LastModified: lastMod},
			respond: func(w http.ResponseWriter) { w.WriteHeader(http.StatusNotModified) },
			wantINM: etag, wantIMS: lastMod,
			want: &Response{NotModified: true, StatusCode: 304, ETag: etag, LastModified: lastMod},
		},
		{
			name: "304 with new validators returns them",
			req:  Request{ETag: etag, LastModified: lastMod},
			respond: func(w http.ResponseWriter) {
				w.Header().Set("ETag", `"d4e5f6"`)
				w.Header().Set("Cache-Control", "max-age=300")
				w.WriteHeader(http.StatusNotModified)
			},
			wantINM: etag, wantIMS: lastMod,
			want: &Response{NotModified: true, StatusCode: 304, ETag: `"d4e5f6"`, LastModified: lastMod, FreshFor: 5 * time.Minute},
		},
		{
			name:    "ETag only",
			req:     Request{ETag: etag},
			respond: func(w http.ResponseWriter) { w.WriteHeader(http.StatusNotModified) },
			wantINM: etag,
			want:    &Response{NotModified: true, StatusCode: 304, ETag: etag},
		},
		{
			name:    "Last-Modified only",
			req:     Request{LastModified: lastMod},
			respond: func(w http.ResponseWriter) { w.WriteHeader(http.StatusNotModified) },
			wantIMS: lastMod,
			want:    &Response{NotModified: true, StatusCode: 304, LastModified: lastMod},
		},
		{
			name: "200 without validators drops the old ones",
			req:  Request{ETag: etag, LastModified: lastMod},
			respond: func(w http.ResponseWriter) {
				_, _ = w.Write([]byte(rssDoc))
			},
			wantINM: etag, wantIMS: lastMod,
			want: &Response{StatusCode: 200, Body: []byte(rssDoc), ContentType: "text/xml; charset=utf-8"},
		},
		{
			name:     "304 to an unconditional request is a failure",
			respond:  func(w http.ResponseWriter) { w.WriteHeader(http.StatusNotModified) },
			wantKind: Status,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			type sent struct{ inm, ims string }
			got := make(chan sent, 1)
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				got <- sent{r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")}
				tt.respond(w)
			})
			c := newClient(t, Options{})
			req := tt.req
			req.URL = srv.URL + "/rss/rus.xml"
			resp, err := c.Fetch(context.Background(), req)
			s := <-got
			if s.inm != tt.wantINM || s.ims != tt.wantIMS {
				t.Errorf("sent If-None-Match %q, If-Modified-Since %q; want %q, %q", s.inm, s.ims, tt.wantINM, tt.wantIMS)
			}
			if tt.wantKind != 0 {
				fe := asError(t, err, tt.wantKind)
				if fe.StatusCode != 304 {
					t.Errorf("StatusCode = %d, want 304", fe.StatusCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.want.FinalURL = req.URL
			if diff := cmp.Diff(tt.want, resp); diff != "" {
				t.Errorf("Response mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFetchEmptyBody(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"empty 200", 200, ""},
		{"whitespace only", 200, " \r\n\t \n"},
		{"byte-order mark only", 200, "\ufeff\n"},
		{"204 No Content", 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/rss+xml")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			c := newClient(t, Options{})
			_, err := c.Fetch(context.Background(), Request{URL: srv.URL + "/api/zgroqe_uoq"})
			fe := asError(t, err, Empty)
			if fe.Error() != "empty body" {
				t.Errorf("Error() = %q, want %q", fe.Error(), "empty body")
			}
			if fe.StatusCode != tt.status {
				t.Errorf("StatusCode = %d, want %d", fe.StatusCode, tt.status)
			}
		})
	}
}

func TestFetchStatus(t *testing.T) {
	date := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		status     int
		retryAfter string
		wantMsg    string
		wantRetry  time.Duration
	}{
		{"500", 500, "", "HTTP 500 Internal Server Error", 0},
		{"404", 404, "", "HTTP 404 Not Found", 0},
		{"403 from a bot filter", 403, "", "HTTP 403 Forbidden", 0},
		{"503 Retry-After seconds", 503, "120", "HTTP 503 Service Unavailable", 2 * time.Minute},
		{"503 Retry-After HTTP-date", 503, date.Add(90 * time.Second).Format(http.TimeFormat), "HTTP 503 Service Unavailable", 90 * time.Second},
		{"503 Retry-After in the past", 503, date.Add(-time.Hour).Format(http.TimeFormat), "HTTP 503 Service Unavailable", 0},
		{"503 Retry-After garbage", 503, "soon", "HTTP 503 Service Unavailable", 0},
		{"503 Retry-After huge is capped", 503, "99999999999999999999", "HTTP 503 Service Unavailable", MaxRetryAfter},
		{"429 Retry-After seconds", 429, "30", "HTTP 429 Too Many Requests", 30 * time.Second},
		{"unknown status", 599, "", "HTTP 599", 0},
		{"300 is not followed", 300, "", "HTTP 300 Multiple Choices", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Date", date.Format(http.TimeFormat))
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte("<html><body>Ошибка сервера</body></html>"))
			})
			c := newClient(t, Options{})
			resp, err := c.Fetch(context.Background(), Request{URL: srv.URL + "/news.rss"})
			if resp != nil {
				t.Errorf("resp = %+v, want nil", resp)
			}
			fe := asError(t, err, Status)
			if fe.StatusCode != tt.status {
				t.Errorf("StatusCode = %d, want %d", fe.StatusCode, tt.status)
			}
			if fe.Error() != tt.wantMsg {
				t.Errorf("Error() = %q, want %q", fe.Error(), tt.wantMsg)
			}
			if fe.RetryAfter != tt.wantRetry {
				t.Errorf("RetryAfter = %v, want %v", fe.RetryAfter, tt.wantRetry)
			}
			if fe.URL != srv.URL+"/news.rss" {
				t.Errorf("URL = %q, want %q", fe.URL, srv.URL+"/news.rss")
			}
		})
	}
}

func TestFetchRetryAfterWithoutDateUsesClock(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil // keep net/http from adding one
		w.Header().Set("Retry-After", now.Add(5*time.Minute).Format(http.TimeFormat))
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := newClient(t, Options{Now: func() time.Time { return now }})
	_, err := c.Fetch(context.Background(), Request{URL: srv.URL})
	if fe := asError(t, err, Status); fe.RetryAfter != 5*time.Minute {
		t.Errorf("RetryAfter = %v, want 5m", fe.RetryAfter)
	}
}

func TestFetchCanceled(t *testing.T) {
	t.Run("already canceled", func(t *testing.T) {
		hit := make(chan struct{}, 1)
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { hit <- struct{}{} })
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := newClient(t, Options{}).Fetch(ctx, Request{URL: srv.URL})
		asError(t, err, Canceled)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("errors.Is(err, context.Canceled) = false for %v", err)
		}
		select {
		case <-hit:
			t.Error("a request was sent on a canceled context")
		default:
		}
	})
	t.Run("deadline already passed", func(t *testing.T) {
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		_, err := newClient(t, Options{}).Fetch(ctx, Request{URL: "http://127.0.0.1:1/feed/"})
		if fe := asError(t, err, Timeout); fe.Error() != "deadline passed before the request started" {
			t.Errorf("Error() = %q", fe.Error())
		}
	})
	t.Run("canceled while waiting for headers", func(t *testing.T) {
		entered := make(chan struct{})
		done := make(chan struct{})
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			close(entered)
			select {
			case <-r.Context().Done():
			case <-done:
			}
		})
		closeOnCleanup(t, done)
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			<-entered
			cancel()
		}()
		_, err := newClient(t, Options{}).Fetch(ctx, Request{URL: srv.URL})
		fe := asError(t, err, Canceled)
		if fe.Error() != "canceled" || !errors.Is(err, context.Canceled) {
			t.Errorf("err = %q (%v), want \"canceled\" wrapping context.Canceled", fe.Error(), fe.Err)
		}
	})
}
