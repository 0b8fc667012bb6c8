package subscriptions

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// seedChats stores n chats directly, each following the topics pick chooses for it; a tenth of
// them inactive.
func seedChats(b *testing.B, s *Store, n int, pick func(i int) []string) {
	b.Helper()
	ctx := context.Background()
	tx, err := s.db.Write.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	chat, err := tx.PrepareContext(ctx, `INSERT INTO chats (id, type, title, active, created_at, updated_at) VALUES (?, ?, '', ?, 0, 0)`)
	if err != nil {
		b.Fatal(err)
	}
	topic, err := tx.PrepareContext(ctx, `INSERT INTO chat_topics (chat_id, topic_id, created_at) VALUES (?, ?, 0)`)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		id, typ := int64(10_000_000+i), TypePrivate
		if i%5 == 0 {
			id, typ = -1_002_000_000_000-int64(i), TypeSupergroup
		}
		if _, err := chat.ExecContext(ctx, id, typ, i%10 != 0); err != nil {
			b.Fatal(err)
		}
		for _, tp := range pick(i) {
			if _, err := topic.ExecContext(ctx, id, tp); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRoute routes batches of 100 new stories (one or two topics each, a fifth of them
// joining a cluster of the same batch) to 10,000 chats over 7 topics. "all" has every chat
// follow every topic, so each batch decides some 720,000 deliveries (a tenth of the chats are inactive); "some" has each follow
// one to three topics, the more usual case.
func BenchmarkRoute(b *testing.B) {
	topics := []string{"politics", "economy", "energy", "security", "society", "regions", "world"}
	for _, bc := range []struct {
		name string
		pick func(rng *rand.Rand) []string
	}{
		{"all", func(*rand.Rand) []string { return topics }},
		{"some", func(rng *rand.Rand) []string {
			perm := rng.Perm(len(topics))[:1+rng.IntN(3)]
			out := make([]string, len(perm))
			for i, p := range perm {
				out[i] = topics[p]
			}
			return out
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			s, _ := newStore(b, Limits{})
			rng := rand.New(rand.NewPCG(7, 7))
			seedChats(b, s, 10_000, func(int) []string { return bc.pick(rng) })
			next := int64(1)
			batch := func() []StoryRef {
				stories := make([]StoryRef, 100)
				for i := range stories {
					id := next
					next++
					cluster := id
					if i >= 80 {
						cluster = stories[rng.IntN(80)].StoryID
					}
					tps := []string{topics[rng.IntN(len(topics))]}
					if rng.IntN(2) == 0 {
						tps = append(tps, topics[rng.IntN(len(topics))])
					}
					stories[i] = StoryRef{StoryID: id, ClusterID: cluster, Topics: tps}
				}
				return stories
			}
			var pushed int
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				stories := batch()
				b.StartTimer()
				pushes, err := s.Route(ctx, stories)
				if err != nil {
					b.Fatal(err)
				}
				pushed = 0
				for _, p := range pushes {
					pushed += len(p.StoryIDs)
				}
			}
			b.ReportMetric(float64(pushed), "deliveries/op")
			if pushed == 0 {
				b.Fatal("nothing routed")
			}
		})
	}
}

// BenchmarkEnqueue100kChats decides and queues one story for 100,000 chats (90,000 active:
// a tenth of seedChats' chats are inactive), as a digest or a story every subscriber follows
// would be: the deliveries and outbox rows are written in Route's one transaction. It reports
// the peak Go heap during the call and the outbox rows written. Run with -benchtime=1x.
func BenchmarkEnqueue100kChats(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		s, _ := newStore(b, Limits{})
		seedChats(b, s, 100_000, func(int) []string { return []string{"energy"} })
		runtime.GC()
		var peak atomic.Uint64
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			var ms runtime.MemStats
			for {
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-time.After(10 * time.Millisecond):
				}
			}
		}()
		b.StartTimer()
		pushes, err := s.Route(ctx, []StoryRef{{StoryID: 1, ClusterID: 1, Topics: []string{"energy"}}})
		b.StopTimer()
		close(stop)
		<-sampled
		if err != nil {
			b.Fatal(err)
		}
		var queued int
		s.db.Read.QueryRow(`SELECT COUNT(*) FROM outbox WHERE state = 'queued'`).Scan(&queued)
		if queued != len(pushes) || queued != 90_000 {
			b.Fatalf("%d pushes, %d queued; want 90,000", len(pushes), queued)
		}
		b.ReportMetric(float64(queued), "queued")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
	}
}
