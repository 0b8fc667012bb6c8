package digest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"newsbot/digest/fetch"
	"newsbot/digest/parse"
	"newsbot/migrations"
)

// vocabulary is pseudo-Russian words drawn with a Zipf law, so that generated stories share
// common words the way real news does, and rarely share rare ones.
type vocabulary struct {
	words []string
	zipf  *rand.Zipf
	rng   *rand.Rand
}

func newVocabulary(seed uint64) *vocabulary {
	rng := rand.New(rand.NewPCG(seed, 7))
	cons := []rune("бвгджзклмнпрстфхцчш")
	vows := []rune("аеиоуыя")
	endings := []string{"", "а", "ы", "ов", "ой", "ами", "ия", "ого", "ему"}
	v := &vocabulary{rng: rng}
	for range 8000 {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteRune(cons[rng.IntN(len(cons))])
			b.WriteRune(vows[rng.IntN(len(vows))])
		}
		b.WriteString(endings[rng.IntN(len(endings))])
		v.words = append(v.words, b.String())
	}
	v.zipf = rand.NewZipf(rng, 1.1, 1, uint64(len(v.words)-1))
	return v
}

func (v *vocabulary) sentence(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = v.words[v.zipf.Uint64()]
	}
	s := strings.Join(parts, " ")
	return strings.ToUpper(s[:2]) + s[2:] + "."
}

// benchFeed renders a WordPress-like RSS feed of n items whose GUIDs are unique to round: a
// title, an HTML excerpt with entities and the "appeared first on" footer, and ~2 KB of
// content:encoded, as Orda.kz or Kursiv publish.
func benchFeed(v *vocabulary, round, n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Orda.kz</title><link>https://orda.kz</link><language>ru-RU</language>
`)
	at := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	for i := range n {
		title := v.sentence(6 + i%4)
		if i%5 == 0 {
			title = "«Казатомпром» нарастил добычу урана: " + title
		}
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://orda.kz/%d-%d/?utm_source=rss</link>
<dc:creator><![CDATA[Редакция]]></dc:creator><pubDate>%s</pubDate><guid isPermaLink="false">https://orda.kz/?p=%d%04d</guid>
<description><![CDATA[<p>%s %s&nbsp;%s [&hellip;]</p><p>The post <a href="https://orda.kz/x">%s</a> appeared first on <a href="https://orda.kz">Orda.kz</a>.</p>]]></description>
<content:encoded><![CDATA[`, title, round, i, at.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z), round, i,
			v.sentence(14), v.sentence(12), v.sentence(10), title)
		for range 8 {
			fmt.Fprintf(&b, "<p>%s %s</p>\n", v.sentence(15), v.sentence(12))
		}
		b.WriteString("]]></content:encoded></item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

var benchSource = Source{ID: "orda", Title: "Orda.kz", URL: "https://orda.kz/feed/", Language: "ru"}

// BenchmarkPipeline compares the whole pipeline (parse, normalise, dedupe, summarise, tag,
// cluster, store in SQLite) on a fresh 100-item feed with bare gofeed parsing the same bytes.
// The figure is the ratio of the two ns/op; the target is at most 2x.
func BenchmarkPipeline(b *testing.B) {
	v := newVocabulary(1)
	b.Run("gofeed", func(b *testing.B) {
		body := benchFeed(v, 0, 100)
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := gofeed.NewParser().Parse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pipeline", func(b *testing.B) {
		ctx := context.Background()
		c := newClock()
		store := openStore(b)
		p := NewPipeline(store, testTopics, c.Now)
		state := SourceState{ID: benchSource.ID, Seeded: true}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			body := benchFeed(v, i, 100)
			// Half an hour between polls: the cluster index holds ~96 feeds' stories, as
			// many as 48 hours of a busy outlet.
			c.Advance(30 * time.Minute)
			b.SetBytes(int64(len(body)))
			b.StartTimer()
			feed, err := parse.Parse(body, "application/rss+xml; charset=UTF-8", benchSource.URL, parse.Options{Location: time.UTC, Now: c.Now, MaxContent: LeadContentBytes})
			if err != nil {
				b.Fatal(err)
			}
			stored, err := p.Process(ctx, benchSource, feed, false, state)
			if err != nil {
				b.Fatal(err)
			}
			if len(stored) != 100 {
				b.Fatalf("stored %d stories, want 100", len(stored))
			}
		}
	})
}

// BenchmarkPipelineKnown is the common poll that is not a 304: a 100-item feed whose items are
// all stored already. Known items are recognised by key before any summarising or tagging.
func BenchmarkPipelineKnown(b *testing.B) {
	ctx := context.Background()
	c := newClock()
	p := NewPipeline(openStore(b), testTopics, c.Now)
	body := benchFeed(newVocabulary(3), 0, 100)
	state := SourceState{ID: benchSource.ID, Seeded: true}
	opts := parse.Options{Location: time.UTC, Now: c.Now, MaxContent: LeadContentBytes}
	feed, err := parse.Parse(body, "application/rss+xml", benchSource.URL, opts)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := p.Process(ctx, benchSource, feed, false, state); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		feed, err := parse.Parse(body, "application/rss+xml", benchSource.URL, opts)
		if err != nil {
			b.Fatal(err)
		}
		stored, err := p.Process(ctx, benchSource, feed, false, state)
		if err != nil || len(stored) != 0 {
			b.Fatalf("stored %d, err %v; want nothing new", len(stored), err)
		}
	}
}

// BenchmarkPollCycle304 is one poll round over 500 sources on 500 local servers that all
// answer 304 Not Modified. It reports wall time per round and CPU time per source (the
// servers run in the same process, so their CPU is included: an upper bound).
func BenchmarkPollCycle304(b *testing.B) {
	const n = 500
	ctx := context.Background()
	var sources []Source
	for i := range n {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-None-Match") == `"same"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"same"`)
			fmt.Fprint(w, rss(item{guid: "1", title: "Стабильная новость", link: "https://example.kz/1"}))
		}))
		b.Cleanup(srv.Close)
		sources = append(sources, Source{ID: fmt.Sprintf("s%03d", i), Title: "S", URL: srv.URL})
	}
	r := newRig(b, sources, fetch.Options{Timeout: 20 * time.Second})
	if _, err := r.poller.PollAll(ctx, false); err != nil {
		b.Fatal(err)
	}
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.clock.Advance(5 * time.Minute)
		res, err := r.poller.PollAll(ctx, false)
		if err != nil {
			b.Fatal(err)
		}
		for _, x := range res {
			if !x.NotModified {
				b.Fatalf("%s: %+v, want 304", x.Source.ID, x)
			}
		}
	}
	b.StopTimer()
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*n), "cpu-µs/source")
}

// BenchmarkStore100k stores 100,000 stories (1,000 fresh 100-item feeds, all within the
// cluster window: the worst case for the in-memory index) and reports the peak Go heap in use
// (garbage included, at the default GOGC), the live heap after a GC with the pipeline and its
// index still in use, the memory the Go runtime took from the OS, and the database size.
// Run it with -benchtime=1x.
func BenchmarkStore100k(b *testing.B) {
	ctx := context.Background()
	v := newVocabulary(2)
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		db, err := migrations.Open(ctx, filepath.Join(dir, "news.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		c := newClock()
		p := NewPipeline(NewStore(db), testTopics, c.Now)
		var peak uint64
		var ms runtime.MemStats
		for round := range 1000 {
			body := benchFeed(v, round, 100)
			c.Advance(2 * time.Minute) // 1,000 polls in 33 hours: everything stays in the window
			feed, err := parse.Parse(body, "application/rss+xml", benchSource.URL, parse.Options{Location: time.UTC, Now: c.Now, MaxContent: LeadContentBytes})
			if err != nil {
				b.Fatal(err)
			}
			src := benchSource
			src.ID = fmt.Sprintf("src%d", round%20)
			if _, err := p.Process(ctx, src, feed, false, SourceState{ID: src.ID, Seeded: true}); err != nil {
				b.Fatal(err)
			}
			runtime.ReadMemStats(&ms) // after every feed: the peak is sampled 1,000 times
			peak = max(peak, ms.HeapInuse)
		}
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
		runtime.GC()
		runtime.ReadMemStats(&ms)
		runtime.KeepAlive(p)
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "live-heap-MiB")
		b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MiB")
		db.Close()
		var size int64
		for _, suffix := range []string{"", "-wal"} {
			if fi, err := os.Stat(filepath.Join(dir, "news.db"+suffix)); err == nil {
				size += fi.Size()
			}
		}
		b.ReportMetric(float64(size)/(1<<20), "db-MiB")
	}
}
