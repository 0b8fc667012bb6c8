package main

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"newsbot/bot/telegramtest"
)

// TestKill9DuringPushesLosesNothing builds the real binary, queues a story for 500 chats, kills
// the process with SIGKILL while it sends, starts it again, and checks that every chat got the
// story, with at most one duplicate per message that was in flight.
func TestKill9DuringPushesLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "newsbot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	api := telegramtest.New(t, telegramtest.Options{})
	site := newFeedSite(t, `<item><guid>old</guid><title>Старое про уран</title><link>https://orda.kz/old</link></item>`)
	db := filepath.Join(dir, "news.db")
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`
[telegram]
api_url = %q
rate_limit = 100
[storage]
path = %q
[http]
listen = ""
[poll]
schedule = "@every 1s"
[log]
level = "warn"
[[topics]]
id = "energy"
title = "Energy"
keywords = ["uranium"]
[[sources]]
id = "orda"
title = "Orda.kz"
url = %q
language = "en"
`, api.URL(), db, site.URL)), 0o600)

	if out, err := exec.Command(bin, "migrate", "-config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	sqlDB, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	const chats = 500
	for i := range chats {
		id := int64(10_000 + i)
		if _, err := sqlDB.Exec(`INSERT INTO chats (id, type, title, created_at, updated_at) VALUES (?, 'private', 'u', 0, 0)`, id); err != nil {
			t.Fatal(err)
		}
		if _, err := sqlDB.Exec(`INSERT INTO chat_topics (chat_id, topic_id, created_at) VALUES (?, 'energy', 0)`, id); err != nil {
			t.Fatal(err)
		}
	}
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "-config", cfg)
		cmd.Env = append(os.Environ(), "NEWSBOT_TELEGRAM_TOKEN="+api.Token())
		var logs strings.Builder
		cmd.Stderr = &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	waitFor := func(what string, timeout time.Duration, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(timeout)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	received := func() (chatsWith, total int) {
		for i := range chats {
			n := len(api.Messages(int64(10_000 + i)))
			total += n
			if n > 0 {
				chatsWith++
			}
		}
		return
	}

	first := start()
	waitFor("the feed to be seeded", 20*time.Second, func() bool {
		var n int
		sqlDB.QueryRow(`SELECT COUNT(*) FROM stories`).Scan(&n)
		return n == 1
	})
	site.set(`<item><guid>new</guid><title>Uranium exports rise</title><link>https://orda.kz/new</link></item>
		<item><guid>old</guid><title>Старое про уран</title><link>https://orda.kz/old</link></item>`)
	waitFor("a third of the pushes", 30*time.Second, func() bool { n, _ := received(); return n >= chats/3 })
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	before, _ := received()
	if before == chats {
		t.Fatal("every push went out before the kill: the test proves nothing")
	}

	second := start()
	waitFor("every chat to get the story", 60*time.Second, func() bool { n, _ := received(); return n == chats })
	time.Sleep(500 * time.Millisecond) // anything more would show up now
	_, total := received()
	duplicates := total - chats
	t.Logf("killed after %d of %d chats; after restart all %d got it, %d duplicates", before, chats, chats, duplicates)
	if duplicates > 16 {
		t.Errorf("%d duplicates: more than one per message in flight (16)", duplicates)
	}
	for i := range chats {
		msgs := api.Messages(int64(10_000 + i))
		if !strings.Contains(msgs[0].PlainText, "Uranium exports rise") {
			t.Fatalf("chat %d got %q", 10_000+i, msgs[0].PlainText)
		}
	}
	// The outbox agrees: every push sent, none left in flight or queued.
	var sent, other int
	sqlDB.QueryRow(`SELECT COUNT(*) FROM outbox WHERE state = 'sent'`).Scan(&sent)
	sqlDB.QueryRow(`SELECT COUNT(*) FROM outbox WHERE state != 'sent'`).Scan(&other)
	if sent != chats || other != 0 {
		t.Errorf("outbox: %d sent, %d in another state; want %d and 0", sent, other, chats)
	}
	if err := second.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- second.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		second.Process.Kill()
		t.Fatal("no exit within 15s of SIGTERM")
	}
}
