package bot

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsbot/bot/telegramtest"
	"newsbot/bot/texts"
	"newsbot/digest"
	"newsbot/digest/fetch"
	"newsbot/migrations"
	"newsbot/subscriptions"
)

// recordedMetrics is a Metrics that remembers what it was told.
type recordedMetrics struct {
	mu      sync.Mutex
	matched map[string]int
	sent    map[string]int // "kind outcome"
	delays  map[string][]time.Duration
}

func newRecordedMetrics() *recordedMetrics {
	return &recordedMetrics{matched: map[string]int{}, sent: map[string]int{}, delays: map[string][]time.Duration{}}
}

func (m *recordedMetrics) Matched(kind string, n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.matched[kind] += n
}

func (m *recordedMetrics) Sent(kind string, o Outcome) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent[kind+" "+o.String()]++
}

func (m *recordedMetrics) Delivered(kind string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.delays[kind] = append(m.delays[kind], d)
}

func (m *recordedMetrics) snapshot() (matched, sent map[string]int, delays map[string][]time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	matched, sent, delays = map[string]int{}, map[string]int{}, map[string][]time.Duration{}
	for k, v := range m.matched {
		matched[k] = v
	}
	for k, v := range m.sent {
		sent[k] = v
	}
	for k, v := range m.delays {
		delays[k] = append([]time.Duration(nil), v...)
	}
	return matched, sent, delays
}

// waitSent waits until the bot has told of n tries with key "kind outcome".
func (m *recordedMetrics) waitSent(t *testing.T, key string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, sent, _ := m.snapshot()
		if sent[key] >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("sends %v: want %d of %q", sent, n, key)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// metricsRig is a real bot, news pipeline and database reporting to recordedMetrics, against
// a fake Bot API and a feed server.
type metricsRig struct {
	api     *telegramtest.Server
	feed    *feed
	poller  *digest.Poller
	src     digest.Source
	metrics *recordedMetrics
}

func newMetricsRig(t *testing.T) *metricsRig {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	db, err := migrations.Open(ctx, filepath.Join(t.TempDir(), "metrics.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	topics := []digest.Topic{{ID: "energy", Title: "Energy", Keywords: []string{"уран", "нефть", "газ"}}}
	catalog, err := subscriptions.NewCatalog([]subscriptions.Topic{{ID: "energy", Title: "Energy"}})
	if err != nil {
		t.Fatal(err)
	}
	subs := subscriptions.NewStore(db, catalog, subscriptions.Limits{}, nil)
	stories := digest.NewStore(db)
	msgs, err := texts.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := &metricsRig{api: telegramtest.New(t, telegramtest.Options{}), feed: newFeed(t), metrics: newRecordedMetrics()}
	b, err := New(Config{Token: r.api.Token(), APIURL: r.api.URL(), RateLimit: 1000, Sources: map[string]string{"kapital": "Kapital.kz"},
		RouteEvery: time.Hour, Metrics: r.metrics}, subs, stories, msgs)
	if err != nil {
		t.Fatal(err)
	}
	r.src = digest.Source{ID: "kapital", Title: "Kapital.kz", URL: r.feed.URL, Language: "ru"}
	r.poller = digest.NewPoller(digest.PollerConfig{
		Sources:  []digest.Source{r.src},
		Fetcher:  fetch.New(fetch.Options{Timeout: 5 * time.Second}),
		Pipeline: digest.NewPipeline(stories, topics, nil),
		Store:    stories,
		OnStories: func(ctx context.Context, st []digest.Story) {
			if err := b.Deliver(ctx, st); err != nil {
				t.Errorf("deliver: %v", err)
			}
		},
	})
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after cancel")
		}
		db.Close()
	})
	r.api.WaitCalls(t, "setMyCommands", 1, 5*time.Second)
	r.feed.addAt("old", "Архивная новость про уран", "https://kapital.kz/old", "", time.Now().Add(-48*time.Hour))
	r.poll(t) // seeds the backlog: never pushed, never counted as a match
	return r
}

func (r *metricsRig) poll(t *testing.T) {
	t.Helper()
	res, err := r.poller.Poll(context.Background(), r.src, true)
	if err != nil || res.Err != nil {
		t.Fatalf("poll: %v / %v", err, res.Err)
	}
}

func TestMetricsToldOfMatchesSendsAndDelays(t *testing.T) {
	r := newMetricsRig(t)
	dana := telegramtest.User{ID: 2001, FirstName: "Дана", LanguageCode: "ru"}
	erlan := telegramtest.User{ID: 2002, FirstName: "Ерлан", LanguageCode: "kk"}
	r.api.SendText(dana.Chat(), dana, "/start topic_energy")
	r.api.SendText(erlan.Chat(), erlan, "/alert уран")
	r.api.WaitMessages(t, dana.ID, 1, 5*time.Second)
	r.api.WaitMessages(t, erlan.ID, 1, 5*time.Second)
	if matched, sent, _ := r.metrics.snapshot(); len(sent) != 0 || matched[MatchAlert]+matched[MatchTopic] != 0 {
		t.Fatalf("before any news: matched %v, sent %v; want nothing (replies to commands are not outbox sends)", matched, sent)
	}

	// One story: an alert for Erlan, a topic push for Dana, ten minutes after publication.
	published := time.Now().Add(-10 * time.Minute)
	r.feed.addAt("u1", "Казатомпром увеличил добычу урана", "https://kapital.kz/u1", "", published)
	r.poll(t)
	r.api.WaitMessages(t, dana.ID, 2, 5*time.Second)
	r.api.WaitMessages(t, erlan.ID, 2, 5*time.Second)
	r.metrics.waitSent(t, "push delivered", 1)
	r.metrics.waitSent(t, "alert delivered", 1)

	// Two stories at once for Dana, bundled in one message, which first meets a 429.
	r.api.Fail("sendMessage", dana.ID, telegramtest.TooManyRequests(1), 1)
	r.feed.addAt("o1", "Нефть Brent подешевела до 60 долларов", "https://kapital.kz/o1", "", time.Now().Add(-time.Hour))
	r.feed.addAt("g1", "Экспорт газа в Китай вырос на 5%", "https://kapital.kz/g1", "", time.Now().Add(-time.Hour))
	r.poll(t)
	r.api.WaitMessages(t, dana.ID, 3, 10*time.Second)
	r.metrics.waitSent(t, "push delivered", 2)

	// Dana blocked the bot, and the update telling so has not come yet: the push finds the chat gone.
	r.api.Fail("sendMessage", dana.ID, telegramtest.BlockedByUser(), 1)
	r.feed.addAt("g2", "Правительство утвердило тарифы на газ для населения", "https://kapital.kz/g2", "", time.Now())
	r.poll(t)
	r.metrics.waitSent(t, "push gone", 1)

	matched, sent, delays := r.metrics.snapshot()
	if diff := cmp.Diff(map[string]int{MatchAlert: 1, MatchTopic: 4}, matched); diff != "" {
		t.Errorf("matched (-want +got):\n%s", diff)
	}
	wantSent := map[string]int{"alert delivered": 1, "push delivered": 2, "push throttled": 1, "push gone": 1}
	if diff := cmp.Diff(wantSent, sent); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
	if len(delays["alert"]) != 1 || len(delays["push"]) != 3 {
		t.Fatalf("delays %v: want 1 alert and 3 pushed stories (a bundle counts each story)", delays)
	}
	within := func(d, want time.Duration) bool { return d >= want-time.Second && d <= want+time.Minute }
	if d := delays["alert"][0]; !within(d, 10*time.Minute) {
		t.Errorf("alert delay %s, want about 10m", d)
	}
	if d := delays["push"][0]; !within(d, 10*time.Minute) {
		t.Errorf("push delay %s, want about 10m", d)
	}
	for _, d := range delays["push"][1:] {
		if !within(d, time.Hour) {
			t.Errorf("bundled push delay %s, want about 1h", d)
		}
	}
}

func TestNoMetricsCountsNothingAndIsSafe(t *testing.T) {
	var m Metrics = noMetrics{}
	m.Matched(MatchTopic, 3)
	m.Sent(subscriptions.KindPush, Delivered)
	m.Delivered(subscriptions.KindPush, time.Minute)
	b := &Bot{}
	if _, ok := b.metrics().(noMetrics); !ok {
		t.Errorf("metrics() of a bot without Config.Metrics = %T, want noMetrics", b.metrics())
	}
}

func TestMetricsCountRepliesWaitingOut429(t *testing.T) {
	rec := newRecordedMetrics()
	h := newHarnessWith(t, func(c *Config) { c.Metrics = rec })
	h.api.Fail("sendMessage", ivan.ID, telegramtest.TooManyRequests(1), 1)
	h.api.SendText(ivan.Chat(), ivan, "/help")
	h.api.WaitMessages(t, ivan.ID, 1, 10*time.Second)
	rec.waitSent(t, "reply throttled", 1)
}
