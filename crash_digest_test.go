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

// TestKill9DuringDigestResumesWithoutRepeats builds the real binary, lets the morning digest
// start for 500 chats, kills the process with SIGKILL mid-way, and starts it again: every chat
// gets its digest, with at most one duplicate per message in flight, and a third start sends
// nothing more.
func TestKill9DuringDigestResumesWithoutRepeats(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "newsbot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	api := telegramtest.New(t, telegramtest.Options{})
	site := newFeedSite(t, `<item><guid>old</guid><title>Архив</title><link>https://orda.kz/old</link></item>`)
	db := filepath.Join(dir, "news.db")
	cfg := filepath.Join(dir, "config.toml")
	// The digest was due a minute ago, today (UTC).
	slot := time.Now().UTC().Add(-time.Minute)
	os.WriteFile(cfg, []byte(fmt.Sprintf(`
[telegram]
api_url = %q
rate_limit = 100
[storage]
path = %q
[http]
listen = ""
[digest]
schedule = "%d %d * * *"
timezone = "UTC"
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
`, api.URL(), db, slot.Minute(), slot.Hour(), site.URL)), 0o600)

	if out, err := exec.Command(bin, "migrate", "-config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	sqlDB, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	seen := time.Now().Add(-2 * time.Hour).Unix()
	if _, err := sqlDB.Exec(`INSERT INTO stories (id, source_id, item_key, cluster_id, title, summary, link,
			published_at, first_seen_at, language, routed_at)
		VALUES (1, 'orda', 'guid:1', 1, 'Uranium output up 5%', 'Kazatomprom reported higher output. More later.',
			'https://orda.kz/en/1', ?1, ?1, 'en', ?1)`, seen); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlDB.Exec(`INSERT INTO story_topics (story_id, topic_id) VALUES (1, 'energy')`); err != nil {
		t.Fatal(err)
	}
	const chats = 500
	for i := range chats {
		id := int64(30_000 + i)
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
			n := len(api.Messages(int64(30_000 + i)))
			total += n
			if n > 0 {
				chatsWith++
			}
		}
		return
	}
	stop := func(cmd *exec.Cmd) {
		t.Helper()
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("SIGTERM: %v", err)
			}
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			t.Fatal("no exit within 15s of SIGTERM")
		}
	}

	first := start()
	waitFor("a third of the digests", 30*time.Second, func() bool { n, _ := received(); return n >= chats/3 })
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	before, _ := received()
	if before == chats {
		t.Fatal("every digest went out before the kill: the test proves nothing")
	}

	second := start()
	waitFor("every chat's digest", 60*time.Second, func() bool { n, _ := received(); return n == chats })
	time.Sleep(500 * time.Millisecond)
	_, total := received()
	duplicates := total - chats
	t.Logf("killed after %d of %d chats; after restart all %d got it, %d duplicates", before, chats, chats, duplicates)
	if duplicates > 16 {
		t.Errorf("%d duplicates: more than one per message in flight (16)", duplicates)
	}
	for i := range chats {
		msgs := api.Messages(int64(30_000 + i))
		if !strings.Contains(msgs[0].PlainText, "Uranium output up 5%") || !strings.Contains(msgs[0].PlainText, "digest") {
			t.Fatalf("chat %d got %q", 30_000+i, msgs[0].PlainText)
		}
	}
	var decided int
	sqlDB.QueryRow(`SELECT COUNT(*) FROM digests`).Scan(&decided)
	if decided != chats {
		t.Errorf("%d digests recorded, want %d", decided, chats)
	}
	stop(second)

	// A third start the same day decides and sends nothing more.
	third := start()
	time.Sleep(3 * time.Second)
	stop(third)
	if _, after := received(); after != total {
		t.Errorf("a restart sent %d more messages", after-total)
	}
}
