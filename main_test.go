package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"newsbot/bot/telegramtest"
)

// runCmd runs newsbot in-process and returns its exit status, stdout and stderr.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut, noEnv)
	return code, out.String(), errOut.String()
}

// feedSite serves one RSS feed whose items tests can change.
type feedSite struct {
	*httptest.Server
	mu    sync.Mutex
	items string
}

func newFeedSite(t *testing.T, items string) *feedSite {
	fs := &feedSite{items: items}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		defer fs.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>%s</channel></rss>`, fs.items)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedSite) set(items string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.items = items
}

func testConfig(t *testing.T, feedURL string) (path, db string) {
	t.Helper()
	dir := t.TempDir()
	db = filepath.Join(dir, "news.db")
	path = filepath.Join(dir, "config.toml")
	body := fmt.Sprintf(`
[storage]
path = %q
[http]
listen = ""
[log]
level = "warn"
[[topics]]
id = "energy"
title = "Energy"
keywords = ["уран", "uranium"]
[[sources]]
id = "orda"
title = "Orda.kz"
url = %q
language = "ru"
`, db, feedURL)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, db
}

func TestVersionAndUsage(t *testing.T) {
	if code, out, _ := runCmd(t, "version"); code != 0 || !strings.HasPrefix(out, "newsbot ") {
		t.Errorf("version: %d %q", code, out)
	}
	code, _, errOut := runCmd(t, "frobnicate")
	if code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) || !strings.Contains(errOut, "newsbot fetch") {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
}

func TestBadConfigExitsTwoWithOneLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.toml")
	os.WriteFile(path, []byte("[poll]\ntimeout = \"1ms\"\n"), 0o600)
	code, out, errOut := runCmd(t, "fetch", "-config", path)
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q; want 2 and nothing on stdout", code, out)
	}
	if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "poll.timeout") {
		t.Fatalf("stderr = %q, want one line naming poll.timeout", errOut)
	}
}

func TestMigrateThenRefuseNewerDatabase(t *testing.T) {
	path, db := testConfig(t, "http://127.0.0.1:1/feed")
	code, out, errOut := runCmd(t, "migrate", "-config", path)
	if code != 0 || !strings.Contains(out, "applied 0001_init.sql") {
		t.Fatalf("migrate: %d %q %q", code, out, errOut)
	}
	code, out, _ = runCmd(t, "migrate", "-config", path)
	if code != 0 || !strings.Contains(out, "schema is current") {
		t.Fatalf("second migrate: %d %q", code, out)
	}
	sqlDB, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlDB.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '0999_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	sqlDB.Close()
	code, _, errOut = runCmd(t, "migrate", "-config", path)
	if code != 1 || !strings.Contains(errOut, "newer than this newsbot") {
		t.Fatalf("newer database: exit %d, stderr %q", code, errOut)
	}
}

func TestFetchPrintsNewStoriesOnce(t *testing.T) {
	site := newFeedSite(t, `<item><guid>1</guid><title>Казатомпром &amp;#171;нарастил&amp;#187; добычу урана</title>
		<link>/news/1?utm_source=rss</link><pubDate>26 ноября 2026, 09:15</pubDate>
		<description><![CDATA[<p>Добыча урана выросла на 5%. Об этом сообщила компания.</p><p>The post X appeared first on Orda.kz.</p>]]></description></item>`)
	path, _ := testConfig(t, site.URL+"/feed/")
	code, out, errOut := runCmd(t, "fetch", "-config", path)
	if code != 0 {
		t.Fatalf("fetch: %d %q", code, errOut)
	}
	for _, want := range []string{
		"[orda] Orda.kz · 2026-11-26 09:15 +05:00 · energy",
		"Казатомпром «нарастил» добычу урана",
		"Добыча урана выросла на 5%. Об этом сообщила компания.",
		site.URL + "/news/1\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("fetch output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "appeared first") || !strings.Contains(errOut, "backlog") {
		t.Errorf("output %q / %q", out, errOut)
	}
	code, out, _ = runCmd(t, "fetch", "-config", path)
	if code != 0 || out != "" {
		t.Fatalf("second fetch printed %q (exit %d), want nothing new", out, code)
	}
	site.set(`<item><guid>2</guid><title>Uranium exports rise</title><link>https://orda.kz/en/2</link></item>`)
	code, out, errOut = runCmd(t, "fetch", "-config", path)
	if code != 0 || !strings.Contains(out, "Uranium exports rise") || strings.Contains(errOut, "backlog") {
		t.Fatalf("third fetch: %d %q %q", code, out, errOut)
	}
}

func TestFetchFailsOnlyWhenEverySourceFails(t *testing.T) {
	dead := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!DOCTYPE html><html><body>Access denied</body></html>")
	}))
	defer dead.Close()
	path, _ := testConfig(t, dead.URL)
	code, _, errOut := runCmd(t, "fetch", "-config", path)
	if code != 1 || !strings.Contains(errOut, "orda: failed: ") || !strings.Contains(errOut, "HTML") {
		t.Fatalf("fetch with one dead source: exit %d, stderr %q", code, errOut)
	}
}

func TestRunPollsUntilCancelledThenExitsZero(t *testing.T) {
	site := newFeedSite(t, `<item><guid>1</guid><title>Уран</title><link>https://orda.kz/1</link></item>`)
	path, db := testConfig(t, site.URL)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	var errOut bytes.Buffer
	go func() { done <- run(ctx, []string{"-config", path}, io.Discard, &errOut, noEnv) }()
	sqlDB, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := sqlDB.QueryRow(`SELECT COUNT(*) FROM stories`).Scan(&n); err == nil && n == 1 {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("the running bot stored nothing; log: %s", errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d after cancel, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the bot did not stop after cancel")
	}
}

func TestRunWithTokenAnswersOnTelegramAndKeepsBacklogQuiet(t *testing.T) {
	api := telegramtest.New(t, telegramtest.Options{})
	site := newFeedSite(t, `<item><guid>1</guid><title>Старое про уран</title><link>https://orda.kz/1</link></item>`)
	path, db := testConfig(t, site.URL)
	body, _ := os.ReadFile(path)
	body = append([]byte(fmt.Sprintf("[telegram]\napi_url = %q\n", api.URL())), body...)
	os.WriteFile(path, body, 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	env := func(k string) string {
		if k == "NEWSBOT_TELEGRAM_TOKEN" {
			return api.Token()
		}
		return ""
	}
	var logs syncBuffer
	go func() { done <- run(ctx, []string{"-config", path}, io.Discard, &logs, env) }()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("exit %d", code)
		}
		if strings.Contains(logs.String(), api.Token()) {
			t.Error("the bot token appears in the log")
		}
	}()
	user := telegramtest.User{ID: 42, FirstName: "Dana", LanguageCode: "en"}
	api.SendText(user.Chat(), user, "/start topic_energy")
	welcome := api.WaitMessages(t, user.ID, 1, 10*time.Second)[0]
	if !strings.Contains(welcome.PlainText, "Energy") {
		t.Fatalf("welcome = %q", welcome.PlainText)
	}
	// The first poll seeded the feed: its backlog is stored, never pushed.
	sqlDB, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	deadline := time.Now().Add(5 * time.Second)
	for n := 0; n == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		sqlDB.QueryRow(`SELECT COUNT(*) FROM stories WHERE backlog = 1`).Scan(&n)
	}
	time.Sleep(200 * time.Millisecond)
	if msgs := api.Messages(user.ID); len(msgs) != 1 {
		t.Fatalf("%d messages, want only the welcome: the backlog was pushed", len(msgs))
	}
}

// syncBuffer is a bytes.Buffer safe for a writer goroutine and a reading test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
