package subscriptions

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseDigestTime(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"08:30", "08:30"}, {"8:30", "08:30"}, {" 7:05 ", "07:05"}, {"8.30", "08:30"}, {"0830", "08:30"},
		{"8", "08:00"}, {"23:59", "23:59"}, {"00:00", "00:00"},
		{"24:00", ""}, {"8:60", ""}, {"8:5", ""}, {"830", ""}, {"-1:00", ""}, {"утром", ""}, {"", ""},
		{"8:30pm", ""}, {"08:30:00", ""}, {"１２:００", ""},
	} {
		got, err := ParseDigestTime(tc.in)
		if tc.want == "" {
			if !errors.Is(err, ErrBadDigestTime) {
				t.Errorf("ParseDigestTime(%q) = %q, %v; want ErrBadDigestTime", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseDigestTime(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestDigestSettings(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t, Limits{})
	c := touch(t, s, aigerim, TypePrivate)
	if c.DigestTime != DigestScheduled || c.Mode != ModeInstant || !c.DigestChangedAt.IsZero() {
		t.Fatalf("new chat: digest %q mode %q changed %v", c.DigestTime, c.Mode, c.DigestChangedAt)
	}
	if got, err := s.SetDigestTime(ctx, aigerim, "7:15"); err != nil || got != "07:15" {
		t.Fatalf("SetDigestTime = %q, %v", got, err)
	}
	c, _ = s.Chat(ctx, aigerim)
	if c.DigestTime != "07:15" || !c.DigestChangedAt.Equal(clk.Now()) {
		t.Errorf("after /digest 7:15: %q changed %v", c.DigestTime, c.DigestChangedAt)
	}
	if _, err := s.SetDigestTime(ctx, aigerim, "25:00"); !errors.Is(err, ErrBadDigestTime) {
		t.Errorf("bad time: %v", err)
	}
	if _, err := s.SetDigestTime(ctx, daniyar, "08:00"); !errors.Is(err, ErrNoChat) {
		t.Errorf("unknown chat: %v", err)
	}
	// Digest mode with the digest off turns it back on; off turns digest mode back to instant.
	if _, err := s.SetDigestTime(ctx, aigerim, DigestOff); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	c, err := s.SetMode(ctx, aigerim, ModeDigest)
	if err != nil || c.Mode != ModeDigest || c.DigestTime != DigestScheduled || !c.DigestChangedAt.Equal(clk.Now()) {
		t.Fatalf("SetMode(digest) with digest off = %+v, %v", c, err)
	}
	if _, err := s.SetDigestTime(ctx, aigerim, DigestOff); err != nil {
		t.Fatal(err)
	}
	if c, _ = s.Chat(ctx, aigerim); c.Mode != ModeInstant || c.DigestTime != DigestOff {
		t.Errorf("digest off in digest mode: mode %q time %q", c.Mode, c.DigestTime)
	}
	if _, err := s.SetMode(ctx, aigerim, "weekly"); err == nil {
		t.Error("SetMode accepted an unknown mode")
	}
}

func TestDigestModeKeepsTopicStoriesButNotAlerts(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{})
	touch(t, s, aigerim, TypePrivate)
	touch(t, s, daniyar, TypePrivate)
	subscribe(t, s, aigerim, "energy")
	subscribe(t, s, daniyar, "energy")
	if _, err := s.SetMode(ctx, aigerim, ModeDigest); err != nil {
		t.Fatal(err)
	}
	pushes, err := s.Route(ctx, []StoryRef{{StoryID: 7, Topics: []string{"energy"}}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Push{{ChatID: daniyar, StoryIDs: []int64{7}}}, pushes); diff != "" {
		t.Errorf("Route with one chat in digest mode (-want +got):\n%s", diff)
	}
	a, err := s.AddAlert(ctx, aigerim, "уран", "уран")
	if err != nil {
		t.Fatal(err)
	}
	hits, err := s.RouteAlerts(ctx, []AlertHit{{AlertID: a.ID, ChatID: aigerim, StoryID: 8, ClusterID: 8}})
	if err != nil || hits != 1 {
		t.Errorf("an alert in digest mode: %v, %v; want it delivered", hits, err)
	}
}

func TestDueForDigestAndQueueDigests(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t, Limits{})
	// The clock says 09:30 UTC; the slot is at 09:45.
	slot := time.Date(2025, 3, 14, 9, 45, 0, 0, time.UTC)
	for _, id := range []int64{aigerim, daniyar, newsGroup, channel, oldGroup} {
		touch(t, s, id, TypePrivate)
	}
	subscribe(t, s, aigerim, "energy")
	subscribe(t, s, daniyar, "economy", "energy")
	subscribe(t, s, newsGroup, "world")
	// channel follows nothing; oldGroup turned its digest off.
	subscribe(t, s, oldGroup, "energy")
	if _, err := s.SetDigestTime(ctx, oldGroup, DigestOff); err != nil {
		t.Fatal(err)
	}
	// A chat that subscribed after the slot did not miss it; an admin's /senddigest still
	// reaches it.
	clk.Advance(time.Hour)
	late := int64(99)
	touch(t, s, late, TypePrivate)
	subscribe(t, s, late, "energy")

	ids := func(cs []DigestChat) []int64 {
		var out []int64
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	due, err := s.DueForDigest(ctx, DigestQuery{Day: "2025-03-14", Slot: slot, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{newsGroup, aigerim, daniyar}, ids(due)); diff != "" {
		t.Fatalf("due at 09:45 (-want +got):\n%s", diff)
	}
	if !due[0].Since.IsZero() || due[2].Topics[0] != "economy" {
		t.Errorf("due chat: since %v topics %v", due[0].Since, due[2].Topics)
	}
	page, _ := s.DueForDigest(ctx, DigestQuery{Day: "2025-03-14", Slot: slot, AfterID: aigerim, Limit: 10})
	if diff := cmp.Diff([]int64{daniyar}, ids(page)); diff != "" {
		t.Errorf("page after aigerim (-want +got):\n%s", diff)
	}
	everyone, _ := s.DueForDigest(ctx, DigestQuery{Day: "2025-03-14", Limit: 10})
	if diff := cmp.Diff([]int64{newsGroup, late, aigerim, daniyar}, ids(everyone)); diff != "" {
		t.Errorf("due for /senddigest (-want +got):\n%s", diff)
	}

	until := slot
	since := until.Add(-24 * time.Hour)
	shared := "☀️ <b>Your digest</b>\n• story"
	n, err := s.QueueDigests(ctx, []DigestDecision{
		{ChatID: aigerim, Day: "2025-03-14", Since: since, Until: until, Stories: 1, Parts: []string{shared}},
		{ChatID: daniyar, Day: "2025-03-14", Since: since, Until: until, Stories: 1, Parts: []string{shared, "part two"}},
		{ChatID: newsGroup, Day: "2025-03-14", Since: since, Until: until, Stories: 0}, // a quiet day, no note
	})
	if err != nil || n != 3 {
		t.Fatalf("QueueDigests = %d, %v; want 3 messages", n, err)
	}
	// Again, as after a restart: nothing more.
	n, err = s.QueueDigests(ctx, []DigestDecision{
		{ChatID: aigerim, Day: "2025-03-14", Since: since, Until: until, Stories: 1, Parts: []string{shared}},
	})
	if err != nil || n != 0 {
		t.Errorf("QueueDigests again = %d, %v; want 0", n, err)
	}
	if got := count(t, s, `SELECT COUNT(*) FROM outbox_texts`); got != 2 {
		t.Errorf("%d shared texts stored, want 2 (the same first part once)", got)
	}
	heads, err := s.Heads(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[int64]string{}
	for _, h := range heads {
		texts[h.ChatID] = h.Text
		if h.Kind != KindDigest || h.Class != ClassBulk {
			t.Errorf("head %+v: want a bulk digest", h)
		}
	}
	if diff := cmp.Diff(map[int64]string{aigerim: shared, daniyar: shared}, texts); diff != "" {
		t.Errorf("queued digest texts (-want +got):\n%s", diff)
	}
	left, _ := s.DueForDigest(ctx, DigestQuery{Day: "2025-03-14", Limit: 10})
	if diff := cmp.Diff([]int64{late}, ids(left)); diff != "" {
		t.Errorf("still due after queueing (-want +got):\n%s", diff)
	}
	next, _ := s.DueForDigest(ctx, DigestQuery{Day: "2025-03-15", Limit: 10})
	for _, c := range next {
		if c.ID == aigerim && !c.Since.Equal(until) {
			t.Errorf("next day's digest of aigerim starts at %v, want %v", c.Since, until)
		}
	}
	if last, _ := s.LastDigest(ctx, daniyar); !last.Equal(until) {
		t.Errorf("LastDigest = %v", last)
	}

	// An inactive chat gets nothing, and its row is not written.
	if err := s.SetActive(ctx, late, false, "blocked"); err != nil {
		t.Fatal(err)
	}
	n, err = s.QueueDigests(ctx, []DigestDecision{{ChatID: late, Day: "2025-03-14", Since: since, Until: until, Parts: []string{"x"}}})
	if err != nil || n != 0 || count(t, s, `SELECT COUNT(*) FROM digests WHERE chat_id = ?`, late) != 0 {
		t.Errorf("inactive chat: %d, %v", n, err)
	}

	// A migrated group keeps its record: no second digest under the new id.
	if err := s.MoveChat(ctx, daniyar, -1009999); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM digests WHERE chat_id = -1009999 AND day = '2025-03-14'`); n != 1 {
		t.Errorf("moved chat has %d digests for the day, want 1", n)
	}
}

func TestDigestGroups(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{})
	for _, id := range []int64{aigerim, daniyar, newsGroup, channel} {
		touch(t, s, id, TypePrivate)
		subscribe(t, s, id, "energy")
	}
	if _, err := s.SetDigestTime(ctx, aigerim, "07:00"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetDigestTime(ctx, daniyar, "07:00"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetTimezone(ctx, daniyar, "Asia/Tashkent"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetDigestTime(ctx, channel, "off"); err != nil {
		t.Fatal(err)
	}
	groups, err := s.DigestGroups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []DigestGroup{{}, {Time: "07:00"}, {Time: "07:00", Timezone: "Asia/Tashkent"}}
	if diff := cmp.Diff(want, groups); diff != "" {
		t.Errorf("DigestGroups (-want +got):\n%s", diff)
	}
	due, err := s.DueForDigest(ctx, DigestQuery{Group: DigestGroup{Time: "07:00", Timezone: "Asia/Tashkent"}, Day: "2025-03-14", Limit: 10})
	if err != nil || len(due) != 1 || due[0].ID != daniyar {
		t.Errorf("Tashkent 07:00 group = %+v, %v", due, err)
	}
}

func TestBroadcastRun(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{})
	for _, id := range []int64{aigerim, daniyar, newsGroup, channel} {
		touch(t, s, id, TypePrivate)
	}
	if err := s.SetActive(ctx, channel, false, "kicked"); err != nil {
		t.Fatal(err)
	}
	run, err := s.CreateRun(ctx, RunBroadcast, 1, aigerim, "<b>Maintenance</b> at 03:00")
	if err != nil || run.State != RunDraft || run.ID == 0 {
		t.Fatalf("CreateRun = %+v, %v", run, err)
	}
	started, err := s.StartBroadcast(ctx, run.ID)
	if err != nil || started.Total != 3 || started.State != RunSending {
		t.Fatalf("StartBroadcast = %+v, %v", started, err)
	}
	if _, err := s.StartBroadcast(ctx, run.ID); !errors.Is(err, ErrRunState) {
		t.Errorf("second Send: %v, want ErrRunState", err)
	}
	if err := s.CancelRun(ctx, run.ID); !errors.Is(err, ErrRunState) {
		t.Errorf("cancel after send: %v", err)
	}
	heads, _ := s.Heads(ctx, 10)
	if len(heads) != 3 || heads[0].Text != "<b>Maintenance</b> at 03:00" || heads[0].RunID != run.ID || heads[0].Kind != KindBroadcast {
		t.Fatalf("heads = %+v", heads)
	}
	// One delivered, one blocked meanwhile, one left with /stop.
	claimed, _ := s.Claim(ctx, heads[0], 1)
	if err := s.Sent(ctx, idsOf(claimed), 42); err != nil {
		t.Fatal(err)
	}
	if err := s.SetActive(ctx, heads[1].ChatID, false, "blocked"); err != nil {
		t.Fatal(err)
	}
	p, err := s.RunProgress(ctx, run.ID)
	if err != nil || p != (RunProgress{Total: 3, Waiting: 1, Sent: 1, Blocked: 1}) || p.Done() {
		t.Fatalf("progress = %+v, %v", p, err)
	}
	if err := s.Forget(ctx, heads[2].ChatID); err != nil {
		t.Fatal(err)
	}
	p, _ = s.RunProgress(ctx, run.ID)
	if p != (RunProgress{Total: 3, Sent: 1, Blocked: 2}) || !p.Done() {
		t.Errorf("progress after /stop = %+v", p)
	}
	if runs, _ := s.RunsSending(ctx); len(runs) != 1 || runs[0].ID != run.ID {
		t.Errorf("RunsSending = %+v", runs)
	}
	if err := s.FinishRun(ctx, run.ID); err != nil {
		t.Fatal(err)
	}
	if runs, _ := s.RunsSending(ctx); len(runs) != 0 {
		t.Errorf("RunsSending after finish = %+v", runs)
	}

	draft, _ := s.CreateRun(ctx, RunBroadcast, 1, aigerim, "never sent")
	if err := s.CancelRun(ctx, draft.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartBroadcast(ctx, draft.ID); !errors.Is(err, ErrRunState) {
		t.Errorf("Send after Cancel: %v", err)
	}
}

func TestAudit(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t, Limits{})
	long := string(make([]rune, 700))
	for i, e := range []AuditEntry{
		{UserID: 1, ChatID: 1, Action: "broadcast", Detail: "hello", Outcome: "draft 1"},
		{UserID: 666, ChatID: 666, Action: "stats", Outcome: "refused"},
		{UserID: 1, ChatID: 1, Action: "pin", Detail: long, Outcome: "done"},
	} {
		clk.Advance(time.Duration(i) * time.Second)
		if err := s.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	log, err := s.AuditLog(ctx, 2)
	if err != nil || len(log) != 2 {
		t.Fatalf("AuditLog = %v, %v", log, err)
	}
	if log[0].Action != "pin" || len([]rune(log[0].Detail)) != 501 || log[1].Outcome != "refused" || !log[0].At.Equal(clk.Now()) {
		t.Errorf("AuditLog = %+v", log)
	}
}

func TestPruneOutboxKeepsSharedTextsInUse(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t, Limits{})
	touch(t, s, aigerim, TypePrivate)
	touch(t, s, daniyar, TypePrivate)
	run, _ := s.CreateRun(ctx, RunBroadcast, 1, aigerim, "shared")
	if _, err := s.StartBroadcast(ctx, run.ID); err != nil {
		t.Fatal(err)
	}
	heads, _ := s.Heads(ctx, 10)
	claimed, _ := s.Claim(ctx, heads[0], 1)
	if err := s.Sent(ctx, idsOf(claimed), 1); err != nil {
		t.Fatal(err)
	}
	clk.Advance(48 * time.Hour)
	if n, err := s.PruneOutbox(ctx, clk.Now().Add(-time.Hour)); err != nil || n != 1 {
		t.Fatalf("PruneOutbox = %d, %v", n, err)
	}
	if got := count(t, s, `SELECT COUNT(*) FROM outbox_texts`); got != 1 {
		t.Fatalf("the text of the queued row was pruned")
	}
	heads, _ = s.Heads(ctx, 10)
	if len(heads) != 1 || heads[0].Text != "shared" {
		t.Fatalf("queued row lost its text: %+v", heads)
	}
	claimed, _ = s.Claim(ctx, heads[0], 1)
	_ = s.Sent(ctx, idsOf(claimed), 2)
	clk.Advance(48 * time.Hour)
	if _, err := s.PruneOutbox(ctx, clk.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := count(t, s, `SELECT COUNT(*) FROM outbox_texts`); got != 0 {
		t.Errorf("%d texts left after every row went", got)
	}
}

func TestPruneDigestsKeepsEachChatsLatest(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t, Limits{})
	touch(t, s, aigerim, TypePrivate)
	touch(t, s, daniyar, TypePrivate)
	day := func(d int) time.Time { return time.Date(2025, 3, d, 3, 0, 0, 0, time.UTC) }
	for d := 1; d <= 10; d++ {
		ds := []DigestDecision{{ChatID: aigerim, Day: day(d).Format(time.DateOnly), Since: day(d - 1), Until: day(d)}}
		if d == 2 {
			ds = append(ds, DigestDecision{ChatID: daniyar, Day: day(d).Format(time.DateOnly), Since: day(d - 1), Until: day(d)})
		}
		if _, err := s.QueueDigests(ctx, ds); err != nil {
			t.Fatal(err)
		}
	}
	run, _ := s.CreateRun(ctx, RunBroadcast, 1, aigerim, "x")
	_ = s.CancelRun(ctx, run.ID)
	clk.Advance(30 * 24 * time.Hour)
	n, err := s.PruneDigests(ctx, clk.Now().Add(-time.Hour))
	if err != nil || n != 9+1 {
		t.Fatalf("PruneDigests = %d, %v; want 10: all but the latest of aigerim's 10 records, and the run", n, err)
	}
	if last, _ := s.LastDigest(ctx, aigerim); !last.Equal(day(10)) {
		t.Errorf("aigerim's last digest after pruning: %v", last)
	}
	if last, _ := s.LastDigest(ctx, daniyar); !last.Equal(day(2)) {
		t.Errorf("daniyar's only digest was pruned: %v", last)
	}
}

// TestDigestGapAcrossZones: a chat that got the bot's 08:00 Almaty digest (22:00 in New York)
// and then sets its own 23:30 in New York starts a new local "day" an hour and a half later;
// the schedule must not send it a second digest then, but an admin's /senddigest may.
func TestDigestGapAcrossZones(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t, Limits{})
	touch(t, s, aigerim, TypePrivate)
	subscribe(t, s, aigerim, "energy")
	got := time.Date(2025, 3, 15, 3, 0, 0, 0, time.UTC) // 08:00 Almaty on the 15th = 23:00 on the 14th in New York
	if _, err := s.QueueDigests(ctx, []DigestDecision{{ChatID: aigerim, Day: "2025-03-15 Asia/Almaty", Since: got.Add(-24 * time.Hour), Until: got, Parts: []string{"d"}}}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(-24 * time.Hour) // settings changed well before the slot below
	if _, err := s.SetTimezone(ctx, aigerim, "America/New_York"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetDigestTime(ctx, aigerim, "23:30"); err != nil {
		t.Fatal(err)
	}
	group := DigestGroup{Time: "23:30", Timezone: "America/New_York"}
	slot := got.Add(30 * time.Minute) // 23:30 on the 14th in New York
	due, err := s.DueForDigest(ctx, DigestQuery{Group: group, Day: "2025-03-14 America/New_York", Slot: slot, Limit: 10})
	if err != nil || len(due) != 0 {
		t.Errorf("a second digest half an hour after the first: %+v, %v", due, err)
	}
	due, _ = s.DueForDigest(ctx, DigestQuery{Group: group, Day: "2025-03-15 America/New_York", Slot: slot.Add(24 * time.Hour), Limit: 10})
	if len(due) != 1 {
		t.Errorf("the next evening's digest is not due: %+v", due)
	}
	due, _ = s.DueForDigest(ctx, DigestQuery{Group: group, Day: "2025-03-14 America/New_York", Limit: 10})
	if len(due) != 1 {
		t.Errorf("/senddigest is held back by the gap: %+v", due)
	}
}
