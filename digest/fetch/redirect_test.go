package fetch

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestFetchRedirects(t *testing.T) {
	other := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(rssDoc))
	})
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(rssDoc)) })
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/moved", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/feed", http.StatusFound)
	})
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/en/feed/", http.StatusPermanentRedirect)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/ping", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/pong", http.StatusFound)
	})
	mux.HandleFunc("/pong", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/ping", http.StatusFound)
	})
	// /chain/N redirects N more times before answering.
	mux.HandleFunc("/chain/", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/chain/"))
		if err != nil || n == 0 {
			_, _ = w.Write([]byte(rssDoc))
			return
		}
		http.Redirect(w, r, "/chain/"+strconv.Itoa(n-1), http.StatusFound)
	})
	mux.HandleFunc("/ftp", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "ftp://files.example.kz/feed.xml")
		w.WriteHeader(http.StatusFound)
	})
	srv := newServer(t, mux.ServeHTTP)

	tests := []struct {
		name         string
		path         string
		maxRedirects int
		wantFinal    string // success expected when set
		wantMsg      string
	}{
		{name: "two hops", path: "/old", wantFinal: srv.URL + "/feed"},
		{name: "to another host", path: "/elsewhere", wantFinal: other.URL + "/en/feed/"},
		{name: "exactly the limit", path: "/chain/5", wantFinal: srv.URL + "/chain/0"},
		{name: "one over the limit", path: "/chain/6", wantMsg: "too many redirects (more than 5)"},
		{name: "custom limit", path: "/chain/2", maxRedirects: 1, wantMsg: "too many redirects (more than 1)"},
		{name: "redirects disabled", path: "/old", maxRedirects: -1, wantMsg: "redirected, and redirects are not followed"},
		{name: "self loop", path: "/loop", wantMsg: "redirect loop"},
		{name: "two-step loop", path: "/ping", wantMsg: "redirect loop"},
		{name: "to a non-HTTP scheme", path: "/ftp", wantMsg: `redirected to an unsupported URL scheme "ftp"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, Options{MaxRedirects: tt.maxRedirects})
			resp, err := c.Fetch(context.Background(), Request{URL: srv.URL + tt.path})
			if tt.wantFinal != "" {
				if err != nil {
					t.Fatal(err)
				}
				if resp.FinalURL != tt.wantFinal {
					t.Errorf("FinalURL = %q, want %q", resp.FinalURL, tt.wantFinal)
				}
				return
			}
			fe := asError(t, err, Redirects)
			if fe.Error() != tt.wantMsg {
				t.Errorf("Error() = %q, want %q", fe.Error(), tt.wantMsg)
			}
		})
	}
}

func TestFetchRedirectKeepsValidators(t *testing.T) {
	inm := make(chan string, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("/rss", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/rss/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/rss/", func(w http.ResponseWriter, r *http.Request) {
		inm <- r.Header.Get("If-None-Match")
		w.WriteHeader(http.StatusNotModified)
	})
	srv := newServer(t, mux.ServeHTTP)
	resp, err := newClient(t, Options{}).Fetch(context.Background(), Request{URL: srv.URL + "/rss", ETag: `"24kg-1"`})
	if err != nil {
		t.Fatal(err)
	}
	if got := <-inm; got != `"24kg-1"` {
		t.Errorf("If-None-Match after the redirect = %q, want %q", got, `"24kg-1"`)
	}
	if !resp.NotModified || resp.FinalURL != srv.URL+"/rss/" {
		t.Errorf("NotModified, FinalURL = %v, %q; want true, %q", resp.NotModified, resp.FinalURL, srv.URL+"/rss/")
	}
}
