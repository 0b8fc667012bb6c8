package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"newsbot/bot/telegramtest"
	"newsbot/digest"
	"newsbot/subscriptions"
)

// opsConfig writes a configuration for a bot whose endpoint listens on a free port, polling
// feedURL every second; extra is appended (more [[sources]]).
func opsConfig(t *testing.T, apiURL, feedURL, format, extra string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	body := fmt.Sprintf(`
[telegram]
api_url = %q
[storage]
path = %q
[http]
listen = "127.0.0.1:0"
[poll]
schedule = "@every 1s"
[log]
level = "debug"
format = %q
[[topics]]
id = "energy"
title = "Energy"
keywords = ["уран", "uranium"]
[[sources]]
id = "orda"
title = "Orda.kz"
url = %q
language = "ru"
%s`, apiURL, filepath.Join(dir, "news.db"), format, feedURL, extra)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

var opsListenLog = regexp.MustCompile(`ops: serving[^\n]*?listen"?[=:]"?(127\.0\.0\.1:\d+)`)

// opsAddr waits for the running program to log where its endpoint listens.
func opsAddr(t *testing.T, logs *syncBuffer) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := opsListenLog.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("the endpoint never said where it listens; log:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// scrape reads /metrics over HTTP and parses it as Prometheus does.
func scrape(t *testing.T, addr string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("/metrics: %s\n%s", resp.Status, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return fams
}

// metricValue is the value of the series of family name with exactly labels (name=value
// pairs), and whether there is one. Histograms give their sample count.
func metricValue(fams map[string]*dto.MetricFamily, name string, labels ...string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
	for _, m := range f.GetMetric() {
		if len(m.GetLabel())*2 != len(labels) {
			continue
		}
		match := true
		for _, l := range m.GetLabel() {
			found := false
			for i := 0; i < len(labels); i += 2 {
				if labels[i] == l.GetName() && labels[i+1] == l.GetValue() {
					found = true
				}
			}
			match = match && found
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		case m.Untyped != nil:
			return m.Untyped.GetValue(), true
		}
	}
	return 0, false
}

// getHealth reads /healthz.
func getHealth(t *testing.T, addr string) (int, healthReport) {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rep healthReport
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		t.Fatalf("/healthz body: %v", err)
	}
	return resp.StatusCode, rep
}

func TestMetricsEndpointServesWhatHappened(t *testing.T) {
	api := telegramtest.New(t, telegramtest.Options{})
	site := newFeedSite(t, `<item><guid>1</guid><title>Старое про уран</title><link>https://orda.kz/1</link></item>`)
	path := opsConfig(t, api.URL(), site.URL, "text", "")
	env := func(k string) string {
		if k == "NEWSBOT_TELEGRAM_TOKEN" {
			return api.Token()
		}
		return ""
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var logs syncBuffer
	go func() { done <- run(ctx, []string{"-config", path}, io.Discard, &logs, env) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("exit %d; log:\n%s", code, logs.String())
			}
		case <-time.After(15 * time.Second):
			t.Fatal("the bot did not stop after cancel")
		}
	}
	defer stop()
	addr := opsAddr(t, &logs)

	dana := telegramtest.User{ID: 4242, FirstName: "Дана", LanguageCode: "ru"}
	api.SendText(dana.Chat(), dana, "/start topic_energy")
	api.WaitMessages(t, dana.ID, 1, 10*time.Second)
	// A new story published five minutes ago; its push first meets flood control.
	api.Fail("sendMessage", dana.ID, telegramtest.TooManyRequests(1), 1)
	site.set(fmt.Sprintf(`<item><guid>2</guid><title>Казатомпром увеличил добычу урана</title><link>https://orda.kz/2</link><pubDate>%s</pubDate></item>
		<item><guid>1</guid><title>Старое про уран</title><link>https://orda.kz/1</link></item>`,
		time.Now().Add(-5*time.Minute).UTC().Format(time.RFC1123Z)))
	api.WaitMessages(t, dana.ID, 2, 15*time.Second)

	var fams map[string]*dto.MetricFamily
	deadline := time.Now().Add(5 * time.Second)
	for { // the send is recorded right after Telegram answered
		fams = scrape(t, addr)
		if v, _ := metricValue(fams, "newsbot_sends_total", "kind", "push", "outcome", "delivered"); v == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	exact := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"newsbot_build_info", []string{"version", version, "goversion", runtime.Version()}, 1},
		{"newsbot_stories_stored_total", []string{"source", "orda"}, 2},
		{"newsbot_matches_total", []string{"kind", "topic"}, 1},
		{"newsbot_matches_total", []string{"kind", "alert"}, 0},
		{"newsbot_sends_total", []string{"kind", "push", "outcome", "delivered"}, 1},
		{"newsbot_sends_total", []string{"kind", "push", "outcome", "throttled"}, 1},
		{"newsbot_telegram_429_total", nil, 1},
		{"newsbot_delivery_delay_seconds", []string{"kind", "push"}, 1},
		{"newsbot_polls_total", []string{"source", "orda", "outcome", "error"}, 0},
		{"newsbot_database_up", nil, 1},
		{"newsbot_outbox_queued", []string{"kind", "push"}, 0},
		{"newsbot_outbox_queued", []string{"kind", "digest"}, 0},
		{"newsbot_outbox_oldest_seconds", []string{"kind", "alert"}, 0},
		{"newsbot_source_failures", []string{"source", "orda"}, 0},
		{"newsbot_source_stories", []string{"source", "orda"}, 2},
	}
	for _, c := range exact {
		if got, ok := metricValue(fams, c.name, c.labels...); !ok || got != c.want {
			t.Errorf("%s%v = %v (present %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	if got, _ := metricValue(fams, "newsbot_polls_total", "source", "orda", "outcome", "ok"); got < 2 {
		t.Errorf("newsbot_polls_total{orda,ok} = %v, want at least the two polls that stored stories", got)
	}
	if got, ok := metricValue(fams, "newsbot_source_last_success_seconds", "source", "orda"); !ok || got < 0 || got > 30 {
		t.Errorf("newsbot_source_last_success_seconds{orda} = %v (present %v), want a few seconds", got, ok)
	}
	h := fams["newsbot_delivery_delay_seconds"].GetMetric()[0].GetHistogram()
	if sum := h.GetSampleSum(); sum < 5*60-1 || sum > 5*60+60 {
		t.Errorf("delivery delay sum %vs, want about 300s (published five minutes before)", sum)
	}
	for _, b := range h.GetBucket() {
		want := uint64(0)
		if b.GetUpperBound() >= 600 {
			want = 1
		}
		if b.GetCumulativeCount() != want {
			t.Errorf("delay bucket le=%v holds %d, want %d", b.GetUpperBound(), b.GetCumulativeCount(), want)
		}
	}
	bounds := h.GetBucket()
	if bounds[len(bounds)-1].GetUpperBound() > 6*3600 { // +Inf, as the text format spells it out
		bounds = bounds[:len(bounds)-1]
	}
	if first, last := bounds[0].GetUpperBound(), bounds[len(bounds)-1].GetUpperBound(); first != 10 || last != 6*3600 {
		t.Errorf("delay buckets %v…%v, want 10s…6h", first, last)
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes", "go_sql_open_connections"} {
		if fams[name] == nil {
			t.Errorf("%s missing: the Go, process and SQL pool collectors belong in the registry", name)
		}
	}
	for name, f := range fams {
		if strings.HasPrefix(name, "newsbot_") && f.GetHelp() == "" {
			t.Errorf("%s has no help text", name)
		}
	}
	if fams["promhttp_metric_handler_requests_total"] != nil {
		t.Error("the default global registry leaked into /metrics")
	}

	code, rep := getHealth(t, addr)
	if code != http.StatusOK || rep.Status != "ok" || len(rep.Checks) != 4 {
		t.Errorf("/healthz = %d %+v, want 200 with database, polls, outbox and telegram ok", code, rep)
	}
	if resp, err := http.Post("http://"+addr+"/healthz", "text/plain", nil); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz = %v, %v; want 405", resp, err)
	}

	stop()
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("the endpoint still accepts connections after the bot stopped")
	}
}

// testClock is a clock tests set.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// serveHealth serves a's endpoint with the health checks on clock, as if a bot were sending,
// and returns its address.
func serveHealth(t *testing.T, a *app, clock *testClock) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := newHealth(a.cfg, a.db, a.store, true, clock.Now)
	h.timeout = 300 * time.Millisecond
	if err := a.metrics.reg.Register(newDBCollector(a.db, a.store, []string{"orda", "kaz"}, clock.Now, a.log)); err != nil {
		t.Fatal(err)
	}
	srv := newOpsServer(ln, opsHandler(h, a.metrics.reg, a.log), a.log)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// openOpsApp opens an app with two sources polled every 5 minutes (stale after 30).
func openOpsApp(t *testing.T) *app {
	t.Helper()
	path := opsConfig(t, "https://api.telegram.org", "https://orda.kz/feed/", "text", `
[[sources]]
id = "kaz"
title = "Kazinform"
url = "https://kazinform.kz/rss"
language = "kk"
`)
	body, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(body), `"@every 1s"`, `"@every 5m"`, 1)), 0o600)
	cfg, err := LoadConfig(path, true, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	a, err := open(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func wantHealth(t *testing.T, addr string, wantCode int, wantInBody ...string) healthReport {
	t.Helper()
	code, rep := getHealth(t, addr)
	raw, _ := json.Marshal(rep)
	if code != wantCode || (wantCode == http.StatusOK) != (rep.Status == "ok") {
		t.Fatalf("/healthz = %d %s, want %d", code, raw, wantCode)
	}
	for _, w := range wantInBody {
		if !strings.Contains(string(raw), w) {
			t.Errorf("/healthz body %s lacks %q", raw, w)
		}
	}
	return rep
}

func TestHealthzFollowsPollsOutboxAndDatabase(t *testing.T) {
	ctx := context.Background()
	a := openOpsApp(t)
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	clock := &testClock{t: t0}
	addr := serveHealth(t, a, clock)
	state := func(id string, success, next time.Time, failures int, kind string) {
		t.Helper()
		if err := a.store.SaveSourceState(ctx, digest.SourceState{ID: id, LastSuccess: success, LastPoll: success,
			NextPoll: next, Failures: failures, LastErrorKind: kind, Seeded: true}); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("right after start, before any poll", func(t *testing.T) {
		wantHealth(t, addr, http.StatusOK, "2 of 2 sources polled on time")
	})
	t.Run("no poll succeeded within 30m of start", func(t *testing.T) {
		clock.Set(t0.Add(31 * time.Minute))
		wantHealth(t, addr, http.StatusServiceUnavailable, "polls: no source polled successfully in time", "orda never succeeded", "kaz never succeeded")
	})
	t.Run("one source fresh is enough", func(t *testing.T) {
		state("orda", t0.Add(30*time.Minute), t0.Add(30*time.Minute), 0, "")
		state("kaz", time.Time{}, t0.Add(40*time.Minute), 4, "timeout")
		wantHealth(t, addr, http.StatusOK, "1 of 2 sources polled on time", "kaz never succeeded (4 failures, timeout)")
	})
	t.Run("every source stale again", func(t *testing.T) {
		clock.Set(t0.Add(61 * time.Minute))
		wantHealth(t, addr, http.StatusServiceUnavailable, "orda last succeeded 31m0s ago", "kaz never succeeded (4 failures, timeout)")
	})
	t.Run("a pause the feed asked for is on time", func(t *testing.T) {
		state("orda", t0.Add(30*time.Minute), t0.Add(70*time.Minute), 0, "") // RSS ttl: not before 70m
		clock.Set(t0.Add(95 * time.Minute))
		wantHealth(t, addr, http.StatusOK, "1 of 2 sources polled on time")
		clock.Set(t0.Add(101 * time.Minute))
		wantHealth(t, addr, http.StatusServiceUnavailable, "orda last succeeded 1h11m0s ago")
	})
	t.Run("backoff after failures is not", func(t *testing.T) {
		state("orda", t0.Add(30*time.Minute), t0.Add(120*time.Minute), 3, "status")
		clock.Set(t0.Add(95 * time.Minute))
		wantHealth(t, addr, http.StatusServiceUnavailable, "orda last succeeded 1h5m0s ago (3 failures, status)")
	})

	now := t0.Add(2 * time.Hour)
	clock.Set(now)
	state("orda", now, now, 0, "")
	old := subscriptions.NewStore(a.db, nil, subscriptions.Limits{}, func() time.Time { return now.Add(-20 * time.Minute) })
	if _, _, err := old.Touch(ctx, subscriptions.ChatInfo{ID: 77, Type: subscriptions.TypePrivate, Title: "Әлия"}); err != nil {
		t.Fatal(err)
	}
	t.Run("a digest waiting 20m is bulk: healthy", func(t *testing.T) {
		if _, err := old.EnqueueText(ctx, 77, subscriptions.KindDigest, subscriptions.ClassBulk, "Дайджест"); err != nil {
			t.Fatal(err)
		}
		wantHealth(t, addr, http.StatusOK, "queued: digest 1", "longest wait of a due reply, alert or push: 0s")
		fams := scrape(t, addr)
		if v, _ := metricValue(fams, "newsbot_outbox_oldest_seconds", "kind", "digest"); v != 1200 {
			t.Errorf("newsbot_outbox_oldest_seconds{digest} = %v, want 1200", v)
		}
		if v, _ := metricValue(fams, "newsbot_outbox_queued", "kind", "digest"); v != 1 {
			t.Errorf("newsbot_outbox_queued{digest} = %v, want 1", v)
		}
	})
	var reply int64
	t.Run("a reply due for 20m: nothing is being sent", func(t *testing.T) {
		var err error
		reply, err = old.EnqueueText(ctx, 77, subscriptions.KindReply, subscriptions.ClassReply, "Жауап")
		if err != nil {
			t.Fatal(err)
		}
		wantHealth(t, addr, http.StatusServiceUnavailable, "outbox: a due reply has waited 20m0s (more than 15m0s) and nothing was sent")
	})
	t.Run("a long queue still draining is healthy", func(t *testing.T) {
		recent := subscriptions.NewStore(a.db, nil, subscriptions.Limits{}, func() time.Time { return now.Add(-time.Minute) })
		if _, _, err := recent.Touch(ctx, subscriptions.ChatInfo{ID: 78, Type: subscriptions.TypePrivate, Title: "Ivan"}); err != nil {
			t.Fatal(err)
		}
		id, err := recent.EnqueueText(ctx, 78, subscriptions.KindPush, subscriptions.ClassPush, "Новость")
		if err != nil {
			t.Fatal(err)
		}
		heads, _ := recent.Heads(ctx, 10)
		for _, h := range heads {
			if h.ID == id {
				if _, err := recent.Claim(ctx, h, 1); err != nil {
					t.Fatal(err)
				}
				if err := recent.Sent(ctx, []int64{id}, 9); err != nil {
					t.Fatal(err)
				}
			}
		}
		wantHealth(t, addr, http.StatusOK, "longest wait of a due reply, alert or push: 20m0s")
	})
	t.Run("waiting out a 429 is not lag", func(t *testing.T) {
		heads, err := old.Heads(ctx, 10)
		if err != nil || len(heads) != 1 || heads[0].ID != reply {
			t.Fatalf("heads %+v, %v; want the reply", heads, err)
		}
		if _, err := old.Claim(ctx, heads[0], 1); err != nil {
			t.Fatal(err)
		}
		if err := old.Requeue(ctx, []int64{reply}, now.Add(30*time.Second), "429"); err != nil {
			t.Fatal(err)
		}
		wantHealth(t, addr, http.StatusOK, "queued: digest 1, reply 1")
	})
	t.Run("database closed", func(t *testing.T) {
		a.db.Close()
		rep := wantHealth(t, addr, http.StatusServiceUnavailable, "database: sql: database is closed")
		if len(rep.Checks) != 1 {
			t.Errorf("checks %+v: only the database, the others read it", rep.Checks)
		}
		fams := scrape(t, addr)
		if v, ok := metricValue(fams, "newsbot_database_up"); !ok || v != 0 {
			t.Errorf("newsbot_database_up = %v (present %v), want 0", v, ok)
		}
		if fams["go_goroutines"] == nil {
			t.Error("a closed database hid the rest of /metrics")
		}
	})
}

func TestHealthzFailsWhenTheDatabaseFileIsRemoved(t *testing.T) {
	a := openOpsApp(t)
	addr := serveHealth(t, a, &testClock{t: time.Now()})
	wantHealth(t, addr, http.StatusOK)
	if err := os.Remove(a.db.Path()); err != nil {
		t.Fatal(err)
	}
	wantHealth(t, addr, http.StatusServiceUnavailable, "was removed while open")
}

func TestHealthzFailsWhenTheDatabaseDoesNotAnswerInTime(t *testing.T) {
	a := openOpsApp(t)
	addr := serveHealth(t, a, &testClock{t: time.Now()})
	wantHealth(t, addr, http.StatusOK)
	// Every reader connection busy (queries stuck on a hung disk, a lock): the check waits for
	// one, and must give up after its timeout rather than hang the prober.
	ctx := context.Background()
	for range a.db.Read.Stats().MaxOpenConnections {
		conn, err := a.db.Read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
	}
	start := time.Now()
	wantHealth(t, addr, http.StatusServiceUnavailable, "database: no answer in time")
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("/healthz took %s: the database check must give up after its timeout", took)
	}
}

func TestRunFailsWhenHTTPListenIsTaken(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	site := newFeedSite(t, "")
	path := opsConfig(t, "https://api.telegram.org", site.URL, "text", "")
	body, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(body), `"127.0.0.1:0"`, fmt.Sprintf("%q", taken.Addr().String()), 1)), 0o600)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"-config", path}, &out, &errOut, noEnv)
	if code != 1 || !strings.Contains(errOut.String(), "http.listen") || !strings.Contains(errOut.String(), taken.Addr().String()) ||
		!strings.Contains(errOut.String(), "address already in use") {
		t.Fatalf("exit %d, stderr %q; want 1 and an error naming http.listen and the address", code, errOut.String())
	}
	if strings.Contains(errOut.String(), "newsbot: started") {
		t.Error("the bot started before the endpoint could listen")
	}
}

func TestEmptyHTTPListenServesNothing(t *testing.T) {
	site := newFeedSite(t, "")
	path := opsConfig(t, "https://api.telegram.org", site.URL, "json", "")
	body, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(body), `listen = "127.0.0.1:0"`, `listen = ""`, 1)), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	var logs syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"-config", path}, io.Discard, &logs, noEnv) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "newsbot: started") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d; log:\n%s", code, logs.String())
	}
	if strings.Contains(logs.String(), "ops: serving") {
		t.Errorf("http.listen = \"\" still served: %s", logs.String())
	}
}

func TestStaleAfterCountsTheLongestGapOfTheSchedule(t *testing.T) {
	from := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC) // a Thursday
	almaty, _ := time.LoadLocation("Asia/Almaty")
	for _, c := range []struct {
		spec string
		want time.Duration
	}{
		{"@every 1m", minStale},
		{"@every 5m", minStale},
		{"@every 20m", time.Hour},
		{"@hourly", 3 * time.Hour},
		{"*/10 * * * *", minStale},
		{"*/5 9-18 * * *", 3 * (14*time.Hour + 5*time.Minute)}, // 18:55 to 09:00
		{"0 8 * * 1", 3 * 7 * 24 * time.Hour},
		{"not a schedule", minStale},
	} {
		t.Run(c.spec, func(t *testing.T) {
			if got := staleAfter(c.spec, almaty, from); got != c.want {
				t.Errorf("staleAfter(%q) = %s, want %s", c.spec, got, c.want)
			}
		})
	}
}

func TestMetricsLabelsStayBounded(t *testing.T) {
	a := openOpsApp(t)
	m := a.metrics
	m.Sent("made-up kind", 0)
	m.Matched("made-up", 2)
	fams, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*dto.MetricFamily{}
	for _, f := range fams {
		byName[f.GetName()] = f
	}
	if v, ok := metricValue(byName, "newsbot_sends_total", "kind", "other", "outcome", "delivered"); !ok || v != 1 {
		t.Errorf("an unknown kind: %v %v, want counted as other", v, ok)
	}
	if v, ok := metricValue(byName, "newsbot_matches_total", "kind", "other"); !ok || v != 2 {
		t.Errorf("an unknown match kind: %v %v, want counted as other", v, ok)
	}
	for _, id := range []string{"orda", "kaz"} {
		for _, o := range []string{"ok", "not_modified", "error"} {
			if v, ok := metricValue(byName, "newsbot_polls_total", "source", id, "outcome", o); !ok || v != 0 {
				t.Errorf("newsbot_polls_total{%s,%s} = %v %v, want a 0 from the start", id, o, v, ok)
			}
		}
	}
}
