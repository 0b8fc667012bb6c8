package bot

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"newsbot/bot/pace"
	"newsbot/bot/telegramtest"
	"newsbot/bot/texts"
	"newsbot/digest"
	"newsbot/digest/newsgen"
	"newsbot/digest/parse"
	"newsbot/migrations"
	"newsbot/subscriptions"
)

// The capacity benchmarks measure what README's "Capacity" section quotes for sending: how long
// deciding the daily digest takes for 10,000 and 100,000 chats and what it writes, how fast the
// delivery engine itself can send (its ceiling, against a fake Bot API without limits), and the
// pacer's memory during a 100,000-chat send. Run them with
//
//	go test -run '^$' -bench 'DigestDecide|DispatchCeiling|PacerMemory' -benchtime 1x ./bot/
//
// Each takes under a minute on two cores. The news comes from digest/newsgen, as in digest's
// capacity benchmarks.

// capTopics and capSources are newsgen's, as digest takes them.
var (
	capTopics  = digestTopics(newsgen.Topics)
	capSources = digestSources(newsgen.Sources)
)

func digestTopics(ts []newsgen.Topic) []digest.Topic {
	out := make([]digest.Topic, len(ts))
	for i, t := range ts {
		out[i] = digest.Topic{ID: t.ID, Title: t.Title, Keywords: t.Keywords}
	}
	return out
}

func digestSources(ss []newsgen.Source) []digest.Source {
	out := make([]digest.Source, len(ss))
	for i, s := range ss {
		out[i] = digest.Source{ID: s.ID, Title: s.Title, Language: s.Language, Topics: s.Topics}
	}
	return out
}

func digestSource(s newsgen.Source) digest.Source { return digestSources([]newsgen.Source{s})[0] }

// capSubTopics are capTopics as chats see them, titled in the three interface languages.
var capSubTopics = []subscriptions.Topic{
	{ID: "politics", Title: "Politics", Titles: map[string]string{"ru": "Политика", "kk": "Саясат", "en": "Politics"}},
	{ID: "economy", Title: "Economy", Titles: map[string]string{"ru": "Экономика", "kk": "Экономика", "en": "Economy"}},
	{ID: "energy", Title: "Energy", Titles: map[string]string{"ru": "Энергетика", "kk": "Энергетика", "en": "Energy"}},
	{ID: "security", Title: "Security", Titles: map[string]string{"ru": "Безопасность", "kk": "Қауіпсіздік", "en": "Security"}},
	{ID: "society", Title: "Society", Titles: map[string]string{"ru": "Общество", "kk": "Қоғам", "en": "Society"}},
	{ID: "regions", Title: "Regions", Titles: map[string]string{"ru": "Регионы", "kk": "Өңірлер", "en": "Regions"}},
	{ID: "world", Title: "World", Titles: map[string]string{"ru": "Мир", "kk": "Әлем", "en": "World"}},
}

// capZone is Kazakhstan's time (UTC+5), the digest's zone.
var capZone = time.FixedZone("Asia/Almaty", 5*60*60)

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

// capHeap returns the Go heap in use after a collection.
func capHeap() int64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse)
}

// capClock is a settable clock, safe for concurrent use.
type capClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *capClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *capClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// capWorld is a database holding a week of news (1,000 stories a day from ten outlets) and
// subscribed chats that had their digest every morning of that week, and a Digester over it
// with the digest at 08:00: the state of a running bot the minute today's digest is due.
type capWorld struct {
	db       *migrations.DB
	subs     *subscriptions.Store
	stories  *digest.Store
	digester *Digester
	clock    *capClock
	due      time.Time // today's digest
	active   int       // chats that get a digest
}

func newCapWorld(b *testing.B, chats int) *capWorld {
	b.Helper()
	ctx := context.Background()
	db, err := migrations.Open(ctx, filepath.Join(b.TempDir(), "capacity.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	catalog, err := subscriptions.NewCatalog(capSubTopics)
	if err != nil {
		b.Fatal(err)
	}
	due := time.Date(2026, 11, 26, 8, 0, 0, 0, capZone)
	w := &capWorld{db: db, clock: &capClock{t: due.Add(-7 * 24 * time.Hour)}, due: due}
	w.subs = subscriptions.NewStore(db, catalog, subscriptions.Limits{}, w.clock.Now)
	w.stories = digest.NewStore(db)

	p := digest.NewPipeline(w.stories, capTopics, w.clock.Now)
	for _, poll := range newsgen.New(1).Polls(due.Add(-7*24*time.Hour), due, 1000) {
		w.clock.Set(poll.At)
		if _, err := p.Process(ctx, digestSource(poll.Source), &parse.Feed{Items: poll.Items}, false,
			digest.SourceState{ID: poll.Source.ID, Seeded: true}); err != nil {
			b.Fatal(err)
		}
	}

	// Chats: a fifth of them supergroups, one in twenty gone inactive; an interface language
	// chosen (ru, kk, en) or guessed from Telegram's; 1–4 of the 7 topics.
	r := rand.New(rand.NewPCG(3, 3))
	tx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	chat, err := tx.Prepare(`INSERT INTO chats (id, type, title, language, language_code, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	topic, err := tx.Prepare(`INSERT INTO chat_topics (chat_id, topic_id, created_at) VALUES (?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	langs := []string{"ru", "ru", "ru", "kk", "kk", "en", "", ""}
	codes := []string{"ru", "kk", "en", "uz", ""}
	long := due.Add(-200 * 24 * time.Hour).Unix()
	for i := range chats {
		id, typ, title := int64(5_000_000_000+i*37), subscriptions.TypePrivate, "Айгерим Нурланова"
		if i%5 == 0 {
			id, typ, title = -1_002_000_000_000-int64(i)*53, subscriptions.TypeSupergroup, "Новости Атырау"
		}
		active := i%20 != 7
		if active {
			w.active++
		}
		if _, err := chat.Exec(id, typ, title, langs[r.IntN(len(langs))], codes[r.IntN(len(codes))], active, long, long); err != nil {
			b.Fatal(err)
		}
		for _, k := range r.Perm(len(capSubTopics))[:1+r.IntN(4)] {
			if _, err := topic.Exec(id, capSubTopics[k].ID, long); err != nil {
				b.Fatal(err)
			}
		}
	}
	// Every active chat had its digest on each of the last 7 mornings.
	for back := 7; back >= 1; back-- {
		at := due.AddDate(0, 0, -back)
		if _, err := tx.Exec(`INSERT INTO digests (chat_id, day, since, until, stories, messages, decided_at)
			SELECT id, ?, ?, ?, 10, 1, ? FROM chats WHERE active = 1`,
			at.Format(time.DateOnly), at.Add(-24*time.Hour).Unix(), at.Unix(), at.Unix()); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}

	msgs, err := texts.Load()
	if err != nil {
		b.Fatal(err)
	}
	names := map[string]string{}
	for _, s := range capSources {
		names[s.ID] = s.Title
	}
	w.digester, err = NewDigester(Config{Location: capZone, Sources: names, Now: w.clock.Now,
		Digest: DigestConfig{Schedule: "0 8 * * *", Location: capZone, MaxStories: 10}}, w.subs, w.stories, msgs)
	if err != nil {
		b.Fatal(err)
	}
	w.clock.Set(due.Add(30 * time.Second))
	return w
}

// BenchmarkDigestDecide decides today's digest at 08:00 for 10,000 and 100,000 chats (95 %
// active) that follow 1–4 of 7 topics in 3 interface languages, over a week of news: the time
// from the DigestsDue call until every digest and its outbox rows are committed. It reports the
// messages queued, the distinct texts stored once in outbox_texts (and their bytes: what the
// run's memo of rendered digests holds), the bytes the run adds to the database, the peak Go
// heap during the run, and the candidates a run loads (count and heap) for a day's window and
// for the longest, a week's.
func BenchmarkDigestDecide(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("chats=%d", n), func(b *testing.B) {
			ctx := context.Background()
			w := newCapWorld(b, n)
			db := w.db.Write

			// What a run holds while it decides: the candidates of the chats' windows (a day for
			// a chat that had yesterday's digest; a week at most) and the rendered texts.
			type candStat struct{ n, heap int64 }
			loadCands := func(window time.Duration) candStat {
				before := capHeap()
				cands, err := w.stories.DigestCandidates(ctx, w.due.Add(-window), w.due)
				if err != nil {
					b.Fatal(err)
				}
				heap := capHeap() - before
				runtime.KeepAlive(cands)
				return candStat{int64(len(cands)), heap}
			}
			day, week := loadCands(digestFirstWindow), loadCands(digestMaxWindow)

			var queued, chats, distinct, textBytes int
			var added int64
			var peak atomic.Int64
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				// Each run decides the same morning afresh.
				for _, q := range []string{`DELETE FROM outbox WHERE ? > 0`, `DELETE FROM outbox_texts WHERE ? > 0`, `DELETE FROM digests WHERE decided_at >= ?`} {
					if _, err := db.Exec(q, w.due.Unix()); err != nil {
						b.Fatal(err)
					}
				}
				start := capUsedBytes(b, db)
				base := capHeap()
				peak.Store(0)
				stop := make(chan struct{})
				sampled := make(chan struct{})
				go func() {
					defer close(sampled)
					var ms runtime.MemStats
					for {
						runtime.ReadMemStats(&ms)
						peak.Store(max(peak.Load(), int64(ms.HeapInuse)-base))
						select {
						case <-stop:
							return
						case <-time.After(20 * time.Millisecond):
						}
					}
				}()
				b.StartTimer()
				n, err := w.digester.DigestsDue(ctx, w.clock.Now())
				b.StopTimer()
				close(stop)
				<-sampled
				if err != nil {
					b.Fatal(err)
				}
				queued, added = n, capUsedBytes(b, db)-start
				if err := w.db.Read.QueryRow(`SELECT (SELECT COUNT(*) FROM digests WHERE decided_at >= ?),
					(SELECT COUNT(*) FROM outbox_texts), (SELECT COALESCE(SUM(LENGTH(CAST(text AS BLOB))), 0) FROM outbox_texts)`,
					w.due.Unix()).Scan(&chats, &distinct, &textBytes); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.StopTimer()
			if chats != w.active {
				b.Fatalf("%d digests decided, want one for each of %d active chats", chats, w.active)
			}
			b.ReportMetric(float64(chats), "chats")
			b.ReportMetric(float64(queued), "messages")
			b.ReportMetric(float64(distinct), "texts")
			b.ReportMetric(float64(textBytes)/(1<<20), "texts-MiB")
			b.ReportMetric(float64(added)/(1<<20), "db-MiB-added")
			b.ReportMetric(float64(added)/float64(chats), "db-B/chat")
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(day.n), "cands-24h")
			b.ReportMetric(float64(day.heap)/(1<<20), "cands-24h-MiB")
			b.ReportMetric(float64(week.n), "cands-7d")
			b.ReportMetric(float64(week.heap)/(1<<20), "cands-7d-MiB")
		})
	}
}

// capDigestText is a digest of ten stories as RenderDigest makes it, about 3.5 KB.
func capDigestText() string {
	var b strings.Builder
	b.WriteString("<b>Дайджест за 26.11.2026</b>\n\n<b>Энергетика</b>\n")
	for i := range 10 {
		fmt.Fprintf(&b, "<a href=\"https://orda.kz/news/%d-kazatomprom\"><b>«Казатомпром» увеличил добычу урана на %d%% в Туркестанской области</b></a>\n"+
			"<i>Orda.kz, Kursiv</i>\nКомпания отчиталась о росте добычи по итогам квартала.\n", 40000+i, 5+i)
	}
	return b.String()
}

// BenchmarkDispatchCeiling measures the delivery engine against a fake Bot API with no limits,
// on the same machine: digest messages (one per private chat, one shared 3.5 KB text) sent by
// the real dispatcher, pacer and Sender with rate_limit 1000 and paid broadcasts on.
//   - "paid" paces 15,000 of them at 960 a second, as a paid broadcast goes;
//   - "ceiling" runs the pacer's clock 4 times fast (3,840 a second allowed), so what limits the
//     rate is the dispatcher, SQLite and the HTTP round trips themselves;
//   - "paid-rtt100ms" and "paid-rtt20ms" are "paid" with every sendMessage answered that much
//     later (3,000 messages), as Telegram answers over a real network: with dispatchWorkers
//     sends in flight, the rate cannot pass dispatchWorkers / round trip.
//
// It reports messages a second from the first send to the last as the server saw them, that
// rate over 960, and the CPU per message (bot and fake server together, both ends of HTTP: an
// upper bound for the bot).
func BenchmarkDispatchCeiling(b *testing.B) {
	for _, bc := range []struct {
		name    string
		speedup int64
		rtt     time.Duration
		chats   int
	}{
		{"paid", 1, 0, 15_000},
		{"ceiling", 4, 0, 15_000},
		{"paid-rtt100ms", 1, 100 * time.Millisecond, 3_000},
		{"paid-rtt20ms", 1, 20 * time.Millisecond, 3_000},
	} {
		b.Run(bc.name, func(b *testing.B) { benchDispatchCeiling(b, bc.chats, bc.speedup, bc.rtt) })
	}
}

func benchDispatchCeiling(b *testing.B, chats int, speedup int64, rtt time.Duration) {
	for range b.N {
		b.StopTimer()
		ctx, cancel := context.WithCancel(context.Background())
		db, err := migrations.Open(ctx, filepath.Join(b.TempDir(), "ceiling.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		api := telegramtest.New(b, telegramtest.Options{})
		if rtt > 0 {
			api.Fail("sendMessage", 0, telegramtest.Failure{Delay: rtt}, -1)
		}
		catalog, _ := subscriptions.NewCatalog(capSubTopics)
		subs := subscriptions.NewStore(db, catalog, subscriptions.Limits{}, nil)
		msgs, err := texts.Load()
		if err != nil {
			b.Fatal(err)
		}
		bt, err := New(Config{Token: api.Token(), APIURL: api.URL(), RateLimit: 1000, PaidBroadcast: true},
			subs, digest.NewStore(db), msgs)
		if err != nil {
			b.Fatal(err)
		}
		if speedup > 1 {
			epoch := time.Now()
			bt.dispatch.pacer = pace.New(bt.dispatch.pacer.Limits(), func() time.Time {
				return epoch.Add(time.Duration(speedup) * time.Since(epoch))
			})
		}
		tx, err := db.Write.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO outbox_texts (id, hash, text) VALUES (1, 'x', ?)`, capDigestText()); err != nil {
			b.Fatal(err)
		}
		for i := range chats {
			id := int64(5_000_000_000 + i*37)
			if _, err := tx.Exec(`INSERT INTO chats (id, type, title, created_at, updated_at) VALUES (?, 'private', 'c', 0, 0)`, id); err != nil {
				b.Fatal(err)
			}
			if _, err := tx.Exec(`INSERT INTO outbox (chat_id, kind, class, text_id, created_at, updated_at) VALUES (?, 'digest', 3, 1, 0, 0)`, id); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		var before, after syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &before)
		done := make(chan error, 1)
		b.StartTimer()
		go func() { done <- bt.Run(ctx) }()
		deadline := time.Now().Add(120 * time.Second)
		for api.Stats().Sends < chats {
			if time.Now().After(deadline) {
				b.Fatalf("only %d of %d sent in 120s", api.Stats().Sends, chats)
			}
			time.Sleep(50 * time.Millisecond)
		}
		b.StopTimer()
		syscall.Getrusage(syscall.RUSAGE_SELF, &after)
		cancel()
		<-done
		calls := api.Calls("sendMessage")
		elapsed := calls[len(calls)-1].At.Sub(calls[0].At)
		rate := float64(len(calls)-1) / elapsed.Seconds()
		cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
		var unsent int
		if err := db.Read.QueryRow(`SELECT COUNT(*) FROM outbox WHERE state != 'sent'`).Scan(&unsent); err != nil {
			b.Fatal(err)
		}
		db.Close()
		if st := api.Stats(); st.Sends != chats || len(calls) != chats || unsent != 0 {
			b.Fatalf("%d sends, %d calls, %d rows not sent; want %d, %d, 0", st.Sends, len(calls), unsent, chats, chats)
		}
		b.ReportMetric(rate, "msgs/s")
		b.ReportMetric(rate/960, "of-960")
		b.ReportMetric(float64(cpu.Microseconds())/float64(chats), "cpu-µs/msg")
	}
}

// BenchmarkPacerMemory sends one bulk message to each of 100,000 chats (a fifth of them
// groups) through a Pacer on a simulated clock, at the free pace (rate_limit 30 is paced at 29:
// 4 % under it, rounded down) and at the paid one (960 a second), and reports the most Go heap
// the pacer held, sampled every 5,000 sends. A chat's state is kept while it still affects a
// decision (about a second for a private chat, a minute for a group), so it follows the send
// rate, not the number of chats.
func BenchmarkPacerMemory(b *testing.B) {
	for _, bc := range []struct {
		name string
		lim  pace.Limits
		paid bool
	}{
		{"free", pace.Limits{Global: 29}, false},
		{"paid", pace.Limits{Global: 29, PaidBulk: 960}, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			const chats = 100_000
			for range b.N {
				now := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
				base := capHeap()
				p := pace.New(bc.lim, func() time.Time { return now })
				var peak int64
				start := now
				for i := range chats {
					it := pace.Item{ID: int64(i + 1), Chat: int64(5_000_000_000 + i*37), Kind: pace.Private, Class: pace.Bulk,
						Paid: bc.paid, Enqueued: start}
					if i%5 == 0 {
						it.Chat, it.Kind = -1_002_000_000_000-int64(i)*53, pace.Group
					}
					for {
						_, ok, wait := p.Take([]pace.Item{it})
						if ok {
							break
						}
						now = now.Add(max(wait, time.Microsecond))
					}
					if i%5000 == 4999 {
						peak = max(peak, capHeap()-base)
					}
				}
				runtime.KeepAlive(p)
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
				b.ReportMetric(float64(chats)/now.Sub(start).Seconds(), "simulated-msgs/s")
			}
		})
	}
}
