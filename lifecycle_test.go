package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"newsbot/bot/telegramtest"
)

func TestBackupCommand(t *testing.T) {
	site := newFeedSite(t, `<item><guid>1</guid><title>Уран</title><link>https://orda.kz/1</link></item>`)
	path, _ := testConfig(t, site.URL)
	if code, _, errOut := runCmd(t, "fetch", "-config", path); code != 0 {
		t.Fatalf("fetch: %q", errOut)
	}
	out := filepath.Join(t.TempDir(), "copy.db")
	code, stdout, errOut := runCmd(t, "backup", "-config", path, out)
	if code != 0 || !regexp.MustCompile(`news\.db: backup written to .*copy\.db \([0-9.]+ KiB, schema version \d+\)\n$`).MatchString(stdout) {
		t.Fatalf("backup: exit %d, %q, %q", code, stdout, errOut)
	}
	copyDB, err := sql.Open("sqlite", out)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	var title string
	if err := copyDB.QueryRow(`SELECT title FROM stories`).Scan(&title); err != nil || title != "Уран" {
		t.Errorf("the copy holds %q, %v", title, err)
	}
	if code, _, errOut := runCmd(t, "backup", "-config", path, out); code != 1 || !strings.Contains(errOut, "refusing to overwrite") {
		t.Errorf("backup over an existing file: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, "backup", "-config", path); code != 2 || !strings.Contains(errOut, "backup needs one argument") {
		t.Errorf("backup without OUT: exit %d, %q", code, errOut)
	}
}

func TestSecondInstanceIsRefused(t *testing.T) {
	site := newFeedSite(t, `<item><guid>1</guid><title>Уран</title><link>https://orda.kz/1</link></item>`)
	path, db := testConfig(t, site.URL)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"-config", path}, io.Discard, io.Discard, noEnv) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, _ := os.ReadFile(db + ".lock"); len(b) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first instance never took its lock")
		}
		time.Sleep(10 * time.Millisecond)
	}
	code, _, errOut := runCmd(t, "-config", path)
	want := fmt.Sprintf("another newsbot (pid %d) is running on %s; stop it first", os.Getpid(), db)
	if code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("second instance: exit %d, %q; want 1 and %q", code, errOut, want)
	}
	// The one-shot commands may run beside it.
	if code, _, errOut := runCmd(t, "fetch", "-config", path); code != 0 {
		t.Errorf("fetch beside the bot: %d %q", code, errOut)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("first instance exit %d", code)
	}
	if code, _, _ := runCmd(t, "migrate", "-config", path); code != 0 {
		t.Error("the lock outlived the bot")
	}
}

// TestSIGTERMDuringBroadcast builds the binary, has an admin start a broadcast to 300 chats at
// a pace that takes seconds, sends SIGTERM in the middle, and checks the process exits 0
// within 10 seconds and the next start finishes the broadcast: every chat gets it once, and
// the admin the totals.
func TestSIGTERMDuringBroadcast(t *testing.T) {
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
	admin := telegramtest.User{ID: 777, FirstName: "Admin", LanguageCode: "en"}
	os.WriteFile(cfg, []byte(fmt.Sprintf(`
[telegram]
api_url = %q
rate_limit = 40
admins = [%d]
[storage]
path = %q
[http]
listen = ""
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
`, api.URL(), admin.ID, db, site.URL)), 0o600)
	if out, err := exec.Command(bin, "migrate", "-config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	sqlDB, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	const chats = 300
	for i := range chats {
		if _, err := sqlDB.Exec(`INSERT INTO chats (id, type, title, created_at, updated_at) VALUES (?, 'private', 'u', 0, 0)`, 40_000+i); err != nil {
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
	received := func() (chatsWith, total int) {
		for i := range chats {
			n := len(api.Messages(int64(40_000 + i)))
			total += n
			if n > 0 {
				chatsWith++
			}
		}
		return
	}
	first := start()
	api.SendText(admin.Chat(), admin, "/broadcast Maintenance tonight at 03:00 (Astana time).")
	msgs := api.WaitMessages(t, admin.ID, 2, 20*time.Second)
	api.PressButton(admin.Chat(), admin, msgs[1].MessageID, msgs[1].Buttons()[0].CallbackData)
	deadline := time.Now().Add(30 * time.Second)
	for n, _ := received(); n < chats/4; n, _ = received() {
		if time.Now().After(deadline) {
			t.Fatal("the broadcast did not get going")
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopAt := time.Now()
	if err := first.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- first.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		first.Process.Kill()
		t.Fatal("no exit within 10 s of SIGTERM")
	}
	before, _ := received()
	t.Logf("SIGTERM after %d of %d chats; exited in %s", before, chats, time.Since(stopAt).Round(time.Millisecond))
	if before == chats {
		t.Fatal("the broadcast finished before SIGTERM: the test proves nothing")
	}
	var inFlight int
	sqlDB.QueryRow(`SELECT COUNT(*) FROM outbox WHERE state = 'sending'`).Scan(&inFlight)
	if inFlight != 0 {
		t.Errorf("%d messages left in flight by a clean stop", inFlight)
	}

	second := start()
	defer func() {
		second.Process.Signal(syscall.SIGTERM)
		second.Wait()
	}()
	deadline = time.Now().Add(60 * time.Second)
	totals := regexp.MustCompile(`Broadcast finished: delivered 301 of 301; blocked or left 0, failed 0\.`)
	for !totals.MatchString(api.Messages(admin.ID)[1].PlainText) {
		if time.Now().After(deadline) {
			t.Fatalf("no totals after the restart; admin sees %q", api.Messages(admin.ID)[1].PlainText)
		}
		time.Sleep(50 * time.Millisecond)
	}
	n, total := received()
	if n != chats || total != chats {
		t.Errorf("after restart: %d chats got %d messages; want each exactly once", n, total)
	}
}

func TestBackupRefusesAMissingDatabase(t *testing.T) {
	site := newFeedSite(t, `<item><guid>1</guid><title>Уран</title><link>https://orda.kz/1</link></item>`)
	path, db := testConfig(t, site.URL)
	out := filepath.Join(t.TempDir(), "copy.db")
	code, _, errOut := runCmd(t, "backup", "-config", path, out)
	if code != 1 || !strings.Contains(errOut, "no database at "+db) {
		t.Errorf("backup of a missing database: exit %d, %q", code, errOut)
	}
	for _, f := range []string{db, out} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s was created", f)
		}
	}
}

// TestOneShotCommandsDoNotMigrateUnderARunningBot: a newer `newsbot fetch` beside an older bot
// must not change the schema under it.
func TestOneShotCommandsDoNotMigrateUnderARunningBot(t *testing.T) {
	site := newFeedSite(t, `<item><guid>1</guid><title>Уран</title><link>https://orda.kz/1</link></item>`)
	path, db := testConfig(t, site.URL)
	if code, _, errOut := runCmd(t, "migrate", "-config", path); code != 0 {
		t.Fatalf("migrate: %q", errOut)
	}
	// Make it the database of an older version: the last migration not applied yet.
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec(`DROP INDEX chats_own_digest; DROP INDEX stories_seen_source;
		DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)`); err != nil {
		t.Fatal(err)
	}
	release, err := lockDatabase(db) // the older bot, running
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCmd(t, "fetch", "-config", path)
	if code != 1 || !strings.Contains(errOut, "needs migrating") || !strings.Contains(errOut, "is running on") {
		t.Errorf("fetch beside an older bot: exit %d, %q", code, errOut)
	}
	release()
	if code, _, errOut := runCmd(t, "fetch", "-config", path); code != 0 {
		t.Errorf("fetch once the bot stopped: exit %d, %q", code, errOut)
	}
}
