package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
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
	api := telegramtest.New(t, telegramtest.Options{})
	site := newFeedSite(t, `<item><guid>old</guid><title>Архив</title><link>https://orda.kz/old</link></item>`)
	dir := t.TempDir()
	admin := telegramtest.User{ID: 777, FirstName: "Admin", LanguageCode: "en"}
	r := newBinaryRig(t, api, dir, fmt.Sprintf(`
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
`, api.URL(), admin.ID, filepath.Join(dir, "news.db"), site.URL))
	const first, chats = 40_000, 300
	r.addChats(first, chats, "")
	received := func() (int, int) { return r.received(first, chats) }

	one := r.start()
	api.SendText(admin.Chat(), admin, "/broadcast Maintenance tonight at 03:00 (Astana time).")
	msgs := api.WaitMessages(t, admin.ID, 2, 20*time.Second)
	api.PressButton(admin.Chat(), admin, msgs[1].MessageID, msgs[1].Buttons()[0].CallbackData)
	waitFor(t, "the broadcast to get going", 30*time.Second, func() bool { n, _ := received(); return n >= chats/4 })
	took := r.stop(one, 10*time.Second)
	before, _ := received()
	t.Logf("SIGTERM after %d of %d chats; exited in %s", before, chats, took.Round(time.Millisecond))
	if before == chats {
		t.Fatal("the broadcast finished before SIGTERM: the test proves nothing")
	}
	var inFlight int
	r.sql.QueryRow(`SELECT COUNT(*) FROM outbox WHERE state = 'sending'`).Scan(&inFlight)
	if inFlight != 0 {
		t.Errorf("%d messages left in flight by a clean stop", inFlight)
	}

	two := r.start()
	defer r.stop(two, 15*time.Second)
	totals := regexp.MustCompile(`Broadcast finished: delivered 301 of 301; blocked or left 0, failed 0\.`)
	waitFor(t, "the totals after the restart", 60*time.Second, func() bool {
		return totals.MatchString(api.Messages(admin.ID)[1].PlainText)
	})
	if n, total := received(); n != chats || total != chats {
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
