package digest

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"newsbot/digest/newsgen"
	"newsbot/digest/parse"
	"newsbot/digest/words"
	"newsbot/migrations"
)

// The capacity benchmarks measure what README's "Capacity" section quotes: bytes on disk per
// story and the in-memory cluster index per story of the last ClusterWindow. Run them with
//
//	go test -run '^$' -bench 'StoryBytes|ClusterIndexMemory' -benchtime 1x ./digest/
//
// Each run takes well under a minute. The news comes from digest/newsgen: realistic Russian,
// Kazakh and English titles and leads, several outlets reporting the same events.

// capTopics are newsgen's topics, as the pipeline takes them.
var capTopics = func() []Topic {
	out := make([]Topic, len(newsgen.Topics))
	for i, t := range newsgen.Topics {
		out[i] = Topic{ID: t.ID, Title: t.Title, Keywords: t.Keywords}
	}
	return out
}()

func capSource(s newsgen.Source) Source {
	return Source{ID: s.ID, Title: s.Title, Language: s.Language, Topics: s.Topics}
}

// capStore runs polls through p, setting c to each poll's time, and returns the stories stored.
func capStore(tb testing.TB, p *Pipeline, c *clock, polls []newsgen.Poll) int {
	tb.Helper()
	ctx := context.Background()
	n := 0
	for _, poll := range polls {
		c.mu.Lock()
		c.t = poll.At
		c.mu.Unlock()
		stored, err := p.Process(ctx, capSource(poll.Source), &parse.Feed{Items: poll.Items}, false, SourceState{ID: poll.Source.ID, Seeded: true})
		if err != nil {
			tb.Fatal(err)
		}
		n += len(stored)
	}
	return n
}

// capUsedBytes is the space the database's content takes: its pages less the free ones.
func capUsedBytes(tb testing.TB, db *sql.DB) int64 {
	tb.Helper()
	var pages, free, size int64
	if err := db.QueryRow(`SELECT (SELECT page_count FROM pragma_page_count), (SELECT freelist_count FROM pragma_freelist_count),
		(SELECT page_size FROM pragma_page_size)`).Scan(&pages, &free, &size); err != nil {
		tb.Fatal(err)
	}
	return (pages - free) * size
}

// capTableBytes returns the bytes of the pages of each table and index, by name (dbstat).
func capTableBytes(tb testing.TB, db *sql.DB) map[string]int64 {
	tb.Helper()
	rows, err := db.Query(`SELECT name, SUM(pgsize) FROM dbstat GROUP BY name`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			tb.Fatal(err)
		}
		out[name] = n
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// BenchmarkStoryBytes stores 20,000 stories (20 days at 1,000 a day from ten outlets, a third of
// the stories re-reports that join a cluster) through the pipeline, vacuums, and reports the
// database's bytes per story: in all, and for the stories table with its indexes, their topics,
// and the FTS5 index. It also reports MiB per year at 1,000 stories a day.
func BenchmarkStoryBytes(b *testing.B) {
	const days, perDay = 20, 1000
	ctx := context.Background()
	for range b.N {
		db, err := migrations.Open(ctx, filepath.Join(b.TempDir(), "news.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		empty := capUsedBytes(b, db.Write)
		c := newClock()
		start := c.Now()
		p := NewPipeline(NewStore(db), capTopics, c.Now)
		polls := newsgen.New(1).Polls(start, start.Add(days*24*time.Hour), perDay)
		stored := capStore(b, p, c, polls)
		if _, err := db.Write.Exec(`VACUUM`); err != nil {
			b.Fatal(err)
		}
		used := capUsedBytes(b, db.Write) - empty
		parts := capTableBytes(b, db.Write)
		var stories, topics, fts int64
		for name, n := range parts {
			switch {
			case name == "stories" || strings.HasPrefix(name, "stories_") && !strings.HasPrefix(name, "stories_fts") ||
				name == "sqlite_autoindex_stories_1":
				stories += n
			case strings.HasPrefix(name, "story_topics"):
				topics += n
			case strings.HasPrefix(name, "stories_fts"):
				fts += n
			}
		}
		var clusters, tags, textBytes int
		if err := db.Read.QueryRow(`SELECT COUNT(DISTINCT cluster_id), (SELECT COUNT(*) FROM story_topics),
			SUM(LENGTH(CAST(title AS BLOB)) + LENGTH(CAST(summary AS BLOB))) FROM stories`).Scan(&clusters, &tags, &textBytes); err != nil {
			b.Fatal(err)
		}
		db.Close()
		per := func(n int64) float64 { return float64(n) / float64(stored) }
		b.ReportMetric(float64(stored), "stories")
		b.ReportMetric(float64(stored)/float64(clusters), "stories/cluster")
		b.ReportMetric(float64(tags)/float64(stored), "topics/story")
		b.ReportMetric(float64(textBytes)/float64(stored), "text-B/story")
		b.ReportMetric(per(used), "B/story")
		b.ReportMetric(per(stories), "stories-table-B/story")
		b.ReportMetric(per(topics), "topics-B/story")
		b.ReportMetric(per(fts), "fts-B/story")
		b.ReportMetric(per(used)*perDay*365/(1<<20), "MiB/year@1000/day")
	}
}

// BenchmarkClusterIndexMemory fills a pipeline's in-memory cluster index with ClusterWindow (48
// hours) of stories at 1,000 and at 5,000 a day and reports the Go heap the pipeline holds
// after a GC: in all, the index alone (per story in the window) and the bounded stem cache.
func BenchmarkClusterIndexMemory(b *testing.B) {
	for _, perDay := range []int{1000, 5000} {
		b.Run(fmt.Sprintf("perday=%d", perDay), func(b *testing.B) {
			for range b.N {
				store := openStore(b)
				c := newClock()
				start := c.Now()
				// The store's connections exist before the baseline: only the pipeline is counted.
				if _, err := store.StoriesSince(context.Background(), start); err != nil {
					b.Fatal(err)
				}
				polls := newsgen.New(2).Polls(start, start.Add(ClusterWindow), perDay)
				before := capHeap()
				p := NewPipeline(store, capTopics, c.Now)
				stored := capStore(b, p, c, polls)
				after := capHeap()
				runtime.KeepAlive(polls) // in the baseline too
				p.mu.Lock()
				held := len(p.index.docs)
				// The stem cache is bounded (100,000 stems) whatever the window holds: what is
				// left without it is the index.
				p.terms = words.NewTermCache(100_000)
				p.mu.Unlock()
				index := capHeap()
				runtime.KeepAlive(p)
				runtime.KeepAlive(polls)
				b.ReportMetric(float64(held), "stories-held")
				b.ReportMetric(float64(after-before)/(1<<20), "heap-MiB")
				b.ReportMetric(float64(index-before)/(1<<20), "index-MiB")
				b.ReportMetric(float64(after-index)/(1<<20), "stem-cache-MiB")
				b.ReportMetric(float64(index-before)/float64(held), "index-B/story")
				if stored < held {
					b.Fatalf("index holds %d stories, %d stored", held, stored)
				}
			}
		})
	}
}

// capHeap returns the Go heap in use after a collection.
func capHeap() int64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse)
}
