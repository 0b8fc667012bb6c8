package digest

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/digest/fetch"
	"newsbot/migrations"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func openStore(t testing.TB) *Store {
	t.Helper()
	ctx := context.Background()
	db, err := migrations.Open(ctx, filepath.Join(t.TempDir(), "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return NewStore(db)
}

var testTopics = []Topic{
	{ID: "energy", Title: "Energy", Keywords: []string{"uranium", "oil", "gas", "Kazatomprom", "уран", "нефть", "газ", "мұнай"}},
	{ID: "economy", Title: "Economy", Keywords: []string{"tenge", "inflation", "тенге", "инфляция", "экспорт", "баж"}},
	{ID: "politics", Title: "Politics", Keywords: []string{"Tokayev", "Токаев", "Тоқаев", "парламент"}},
}

// item is one entry of a test RSS feed.
type item struct {
	guid, title, link, desc, pub string
}

// rss renders a small RSS 2.0 document.
func rss(items ...item) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test</title><link>https://news.example/</link>`)
	for _, it := range items {
		b.WriteString("<item>")
		if it.guid != "" {
			fmt.Fprintf(&b, "<guid>%s</guid>", html.EscapeString(it.guid))
		}
		fmt.Fprintf(&b, "<title>%s</title>", html.EscapeString(it.title))
		if it.link != "" {
			fmt.Fprintf(&b, "<link>%s</link>", html.EscapeString(it.link))
		}
		if it.desc != "" {
			fmt.Fprintf(&b, "<description><![CDATA[%s]]></description>", it.desc)
		}
		if it.pub != "" {
			fmt.Fprintf(&b, "<pubDate>%s</pubDate>", it.pub)
		}
		b.WriteString("</item>")
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

// feedServer serves a feed body that tests can change, with an ETag, and counts requests.
type feedServer struct {
	*httptest.Server
	mu          sync.Mutex
	body        string
	etag        string
	requests    int
	conditional int // requests that were answered 304
	handler     http.HandlerFunc
}

func newFeedServer(t testing.TB, body string) *feedServer {
	fs := &feedServer{body: body, etag: `"v1"`}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.requests++
		h, body, etag := fs.handler, fs.body, fs.etag
		if h == nil && r.Header.Get("If-None-Match") == etag {
			fs.conditional++
		}
		fs.mu.Unlock()
		if h != nil {
			h(w, r)
			return
		}
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, body)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) set(body, etag string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.body, fs.etag = body, etag
}

func (fs *feedServer) setHandler(h http.HandlerFunc) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.handler = h
}

func (fs *feedServer) counts() (requests, conditional int) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.requests, fs.conditional
}

// rig is a poller over a real store and real HTTP, on a test clock.
type rig struct {
	store    *Store
	pipeline *Pipeline
	poller   *Poller
	clock    *clock
	mu       sync.Mutex
	notified []Story
}

func newRig(t testing.TB, sources []Source, fo fetch.Options) *rig {
	t.Helper()
	r := &rig{store: openStore(t), clock: newClock()}
	r.pipeline = NewPipeline(r.store, testTopics, r.clock.Now)
	if fo.Timeout == 0 {
		fo.Timeout = 5 * time.Second
	}
	r.poller = NewPoller(PollerConfig{
		Sources:     sources,
		Schedule:    "@every 1m",
		Location:    time.UTC,
		MaxInterval: time.Hour,
		Fetcher:     fetch.New(fo),
		Pipeline:    r.pipeline,
		Store:       r.store,
		Now:         r.clock.Now,
		OnStories: func(_ context.Context, st []Story) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.notified = append(r.notified, st...)
		},
	})
	return r
}

func (r *rig) notifiedTitles() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, s := range r.notified {
		out = append(out, s.Title)
	}
	return out
}
