package bot

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"newsbot/bot/telegramtest"
	"newsbot/bot/texts"
	"newsbot/digest"
	"newsbot/migrations"
	"newsbot/subscriptions"
)

// BenchmarkDeliveryRate queues 2,000 messages for 2,000 chats (a tenth of them groups) and lets
// the delivery engine send them at rate_limit = 200 to a fake Bot API that enforces Telegram's
// limits (200/s overall, 3/s per chat, 20/min per group) and answers 429 past them. It reports
// the achieved rate as a fraction of the limit (target ≥ 0.95), the 429s (target 0) and the
// busiest second and chat seen by the server. Run with -benchtime=1x: one run takes ~10 s.
func BenchmarkDeliveryRate(b *testing.B) {
	const chats, limit = 2000, 200
	for range b.N {
		b.StopTimer()
		ctx, cancel := context.WithCancel(context.Background())
		db, err := migrations.Open(ctx, filepath.Join(b.TempDir(), "rate.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		api := telegramtest.New(b, telegramtest.Options{GlobalPerSecond: limit, PerChatPerSecond: 3, GroupPerMinute: 20})
		catalog, _ := subscriptions.NewCatalog([]subscriptions.Topic{{ID: "energy", Title: "Energy"}})
		subs := subscriptions.NewStore(db, catalog, subscriptions.Limits{}, nil)
		msgs, err := texts.Load()
		if err != nil {
			b.Fatal(err)
		}
		bt, err := New(Config{Token: api.Token(), APIURL: api.URL(), RateLimit: limit}, subs, digest.NewStore(db), msgs)
		if err != nil {
			b.Fatal(err)
		}
		tx, _ := db.Write.Begin()
		var ids []int64
		for i := range chats {
			id, typ := int64(1_000_000+i), "private"
			if i%10 == 0 {
				id, typ = -1_000_000_000_000-int64(i), "supergroup"
			}
			ids = append(ids, id)
			if _, err := tx.Exec(`INSERT INTO chats (id, type, title, created_at, updated_at) VALUES (?, ?, 'c', 0, 0)`, id, typ); err != nil {
				b.Fatal(err)
			}
			if _, err := tx.Exec(`INSERT INTO outbox (chat_id, kind, class, text, created_at, updated_at) VALUES (?, 'broadcast', 3, '<b>Hello</b> from the rate benchmark', 0, 0)`, id); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		done := make(chan error, 1)
		b.StartTimer()
		start := time.Now()
		go func() { done <- bt.Run(ctx) }()
		deadline := time.Now().Add(60 * time.Second)
		for api.Stats().Sends < chats {
			if time.Now().After(deadline) {
				b.Fatalf("only %d of %d sent in 60s", api.Stats().Sends, chats)
			}
			time.Sleep(50 * time.Millisecond)
		}
		_ = start
		b.StopTimer()
		cancel()
		<-done
		st := api.Stats()
		// From the first send to the last, as the server saw them (start-up is not delivery):
		// chats−1 intervals.
		calls := api.Calls("sendMessage")
		elapsed := calls[len(calls)-1].At.Sub(calls[0].At)
		b.ReportMetric(float64(chats-1)/elapsed.Seconds()/limit, "achieved/limit")
		b.ReportMetric(float64(st.RateLimited), "429s")
		b.ReportMetric(float64(st.MaxPerSecond), "max-per-second")
		b.ReportMetric(float64(st.MaxChatPerSecond), "max-chat-per-second")
		for _, id := range ids {
			if n := len(api.Messages(id)); n != 1 {
				b.Fatalf("chat %d got %d messages, want exactly 1", id, n)
			}
		}
		db.Close()
	}
}
