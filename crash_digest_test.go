package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"newsbot/bot/telegramtest"
)

// TestKill9DuringDigestResumesWithoutRepeats builds the real binary, lets the morning digest
// start for 500 chats, kills the process with SIGKILL mid-way, and starts it again: every chat
// gets its digest, with at most one duplicate per message in flight, and a third start sends
// nothing more.
func TestKill9DuringDigestResumesWithoutRepeats(t *testing.T) {
	api := telegramtest.New(t, telegramtest.Options{})
	site := newFeedSite(t, `<item><guid>old</guid><title>Архив</title><link>https://orda.kz/old</link></item>`)
	dir := t.TempDir()
	// The digest was due a minute ago, today (UTC).
	slot := time.Now().UTC().Add(-time.Minute)
	r := newBinaryRig(t, api, dir, fmt.Sprintf(`
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
`, api.URL(), dir+"/news.db", slot.Minute(), slot.Hour(), site.URL))
	seen := time.Now().Add(-2 * time.Hour).Unix()
	r.exec(`INSERT INTO stories (id, source_id, item_key, cluster_id, title, summary, link,
			published_at, first_seen_at, language, routed_at)
		VALUES (1, 'orda', 'guid:1', 1, 'Uranium output up 5%', 'Kazatomprom reported higher output. More later.',
			'https://orda.kz/en/1', ?1, ?1, 'en', ?1)`, seen)
	r.exec(`INSERT INTO story_topics (story_id, topic_id) VALUES (1, 'energy')`)
	const first, chats = 30_000, 500
	r.addChats(first, chats, "energy")
	received := func() (int, int) { return r.received(first, chats) }

	one := r.start()
	waitFor(t, "a third of the digests", 30*time.Second, func() bool { n, _ := received(); return n >= chats/3 })
	r.kill(one)
	before, _ := received()
	if before == chats {
		t.Fatal("every digest went out before the kill: the test proves nothing")
	}

	two := r.start()
	waitFor(t, "every chat's digest", 60*time.Second, func() bool { n, _ := received(); return n == chats })
	time.Sleep(500 * time.Millisecond)
	_, total := received()
	duplicates := total - chats
	t.Logf("killed after %d of %d chats; after restart all %d got it, %d duplicates", before, chats, chats, duplicates)
	if duplicates > 16 {
		t.Errorf("%d duplicates: more than one per message in flight (16)", duplicates)
	}
	for i := range int64(chats) {
		msgs := api.Messages(first + i)
		if !strings.Contains(msgs[0].PlainText, "Uranium output up 5%") || !strings.Contains(msgs[0].PlainText, "digest") {
			t.Fatalf("chat %d got %q", first+i, msgs[0].PlainText)
		}
	}
	var decided int
	r.sql.QueryRow(`SELECT COUNT(*) FROM digests`).Scan(&decided)
	if decided != chats {
		t.Errorf("%d digests recorded, want %d", decided, chats)
	}
	r.stop(two, 15*time.Second)

	// A third start the same day decides and sends nothing more.
	three := r.start()
	time.Sleep(3 * time.Second)
	r.stop(three, 15*time.Second)
	if _, after := received(); after != total {
		t.Errorf("a restart sent %d more messages", after-total)
	}
}
