package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"newsbot/bot/telegramtest"
)

// TestKill9DuringPushesLosesNothing builds the real binary, queues a story for 500 chats, kills
// the process with SIGKILL while it sends, starts it again, and checks that every chat got the
// story, with at most one duplicate per message that was in flight.
func TestKill9DuringPushesLosesNothing(t *testing.T) {
	api := telegramtest.New(t, telegramtest.Options{})
	site := newFeedSite(t, `<item><guid>old</guid><title>Старое про уран</title><link>https://orda.kz/old</link></item>`)
	dir := t.TempDir()
	r := newBinaryRig(t, api, dir, fmt.Sprintf(`
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
`, api.URL(), dir+"/news.db", site.URL))
	const first, chats = 10_000, 500
	r.addChats(first, chats, "energy")
	received := func() (int, int) { return r.received(first, chats) }

	one := r.start()
	waitFor(t, "the feed to be seeded", 20*time.Second, func() bool {
		var n int
		r.sql.QueryRow(`SELECT COUNT(*) FROM stories`).Scan(&n)
		return n == 1
	})
	site.set(`<item><guid>new</guid><title>Uranium exports rise</title><link>https://orda.kz/new</link></item>
		<item><guid>old</guid><title>Старое про уран</title><link>https://orda.kz/old</link></item>`)
	waitFor(t, "a third of the pushes", 30*time.Second, func() bool { n, _ := received(); return n >= chats/3 })
	r.kill(one)
	before, _ := received()
	if before == chats {
		t.Fatal("every push went out before the kill: the test proves nothing")
	}

	two := r.start()
	waitFor(t, "every chat to get the story", 60*time.Second, func() bool { n, _ := received(); return n == chats })
	time.Sleep(500 * time.Millisecond) // anything more would show up now
	_, total := received()
	duplicates := total - chats
	t.Logf("killed after %d of %d chats; after restart all %d got it, %d duplicates", before, chats, chats, duplicates)
	if duplicates > 16 {
		t.Errorf("%d duplicates: more than one per message in flight (16)", duplicates)
	}
	for i := range int64(chats) {
		msgs := api.Messages(first + i)
		if !strings.Contains(msgs[0].PlainText, "Uranium exports rise") {
			t.Fatalf("chat %d got %q", first+i, msgs[0].PlainText)
		}
	}
	// The outbox agrees: every push sent, none left in flight or queued.
	var sent, other int
	r.sql.QueryRow(`SELECT COUNT(*) FROM outbox WHERE state = 'sent'`).Scan(&sent)
	r.sql.QueryRow(`SELECT COUNT(*) FROM outbox WHERE state != 'sent'`).Scan(&other)
	if sent != chats || other != 0 {
		t.Errorf("outbox: %d sent, %d in another state; want %d and 0", sent, other, chats)
	}
	r.stop(two, 15*time.Second)
}
