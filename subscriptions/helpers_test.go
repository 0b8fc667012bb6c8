package subscriptions

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "time/tzdata" // zone tests must not depend on the host's zoneinfo

	"newsbot/migrations"
)

// testTopics are the topics of config.example.toml.
func testTopics() []Topic {
	return []Topic{
		{ID: "politics", Title: "Politics", Titles: map[string]string{"ru": "Политика", "kk": "Саясат", "en": "Politics"}},
		{ID: "economy", Title: "Economy", Titles: map[string]string{"ru": "Экономика", "kk": "Экономика", "en": "Economy"}},
		{ID: "energy", Title: "Energy", Titles: map[string]string{"ru": "Энергетика", "kk": "Энергетика", "en": "Energy"}},
		{ID: "security", Title: "Security", Titles: map[string]string{"ru": "Безопасность", "kk": "Қауіпсіздік", "en": "Security"}},
		{ID: "society", Title: "Society", Titles: map[string]string{"ru": "Общество", "kk": "Қоғам", "en": "Society"}},
		{ID: "regions", Title: "Regions", Titles: map[string]string{"ru": "Регионы", "kk": "Өңірлер", "en": "Regions"}},
		{ID: "world", Title: "World", Titles: map[string]string{"ru": "Мир", "kk": "Әлем", "en": "World"}},
	}
}

func testCatalog(t testing.TB) *Catalog {
	t.Helper()
	c, err := NewCatalog(testTopics())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// clock is a settable clock, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)} }

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

func openDB(t testing.TB) *migrations.DB {
	t.Helper()
	ctx := context.Background()
	db, err := migrations.Open(ctx, filepath.Join(t.TempDir(), "newsbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// newStore returns a store over a fresh database with the test topics, and its clock.
func newStore(t testing.TB, limits Limits) (*Store, *clock) {
	t.Helper()
	clk := newClock()
	return NewStore(openDB(t), testCatalog(t), limits, clk.Now), clk
}

// Chat ids as Telegram makes them.
const (
	aigerim   int64 = 52810447       // a user's private chat
	daniyar   int64 = 7734019825     // another user (ids exceed 32 bits)
	oldGroup  int64 = -4578123996    // a basic group
	newsGroup int64 = -1002214785632 // a supergroup
	channel   int64 = -1001876543210 // a channel
)

func touch(t testing.TB, s *Store, id int64, typ string) Chat {
	t.Helper()
	c, _, err := s.Touch(context.Background(), ChatInfo{ID: id, Type: typ, Title: "chat", LanguageCode: "ru"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func subscribe(t testing.TB, s *Store, id int64, topics ...string) {
	t.Helper()
	for _, tp := range topics {
		if _, err := s.Subscribe(context.Background(), id, tp); err != nil {
			t.Fatal(err)
		}
	}
}

func count(t testing.TB, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.Read.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
