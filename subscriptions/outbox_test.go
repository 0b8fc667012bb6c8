package subscriptions

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestOutboxLifecycle(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t, Limits{})
	const a, b, g = 101, 102, -100200
	setUp(t, s, []chatSetup{
		{a, TypePrivate, []string{"energy", "economy"}, false},
		{b, TypePrivate, []string{"energy"}, false},
		{g, TypeSupergroup, []string{"economy"}, false},
	})
	if _, err := s.Route(ctx, []StoryRef{
		{StoryID: 1, ClusterID: 1, Topics: []string{"energy"}},
		{StoryID: 2, ClusterID: 2, Topics: []string{"economy"}},
	}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM outbox WHERE state = 'queued' AND kind = 'push'`); n != 4 {
		t.Fatalf("Route queued %d pushes, want 4 (a: 1, 2; b: 1; g: 2)", n)
	}
	alert, err := s.EnqueueText(ctx, b, KindAlert, ClassAlert, "🔔 уран")
	if err != nil {
		t.Fatal(err)
	}

	heads, err := s.Heads(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	type head struct {
		chat  int64
		kind  string
		story int64
	}
	var got []head
	for _, h := range heads {
		got = append(got, head{h.ChatID, h.Kind, h.StoryID})
	}
	// One per chat; the alert, of a higher class, first; then the pushes by age.
	want := []head{{b, KindAlert, 0}, {a, KindPush, 1}, {g, KindPush, 2}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(head{})); diff != "" {
		t.Fatalf("heads (-want +got):\n%s", diff)
	}
	if heads[2].ChatType != TypeSupergroup {
		t.Errorf("chat type %q", heads[2].ChatType)
	}

	// Claiming a chat's push takes its other pushes too: they go out as one bundle.
	claimed, err := s.Claim(ctx, heads[1], 20)
	if err != nil || len(claimed) != 2 || claimed[0].StoryID != 1 || claimed[1].StoryID != 2 || claimed[0].Attempts != 1 {
		t.Fatalf("claim = %+v, %v", claimed, err)
	}
	if again, _ := s.Claim(ctx, heads[1], 20); len(again) != 0 {
		t.Fatalf("a claimed message was claimed again: %+v", again)
	}
	// A chat with a send in flight has no head.
	heads, _ = s.Heads(ctx, 10)
	for _, h := range heads {
		if h.ChatID == a {
			t.Fatal("a chat with a send in flight was offered again")
		}
	}
	if err := s.Sent(ctx, idsOf(claimed), 77); err != nil {
		t.Fatal(err)
	}

	// A 429: requeued for later; not a head until then.
	alertHead := heads[0]
	cl, _ := s.Claim(ctx, alertHead, 20)
	if len(cl) != 1 || cl[0].ID != alert || cl[0].Text != "🔔 уран" {
		t.Fatalf("alert claim %+v", cl)
	}
	if err := s.Requeue(ctx, idsOf(cl), clk.Now().Add(30*time.Second), "429: retry after 30"); err != nil {
		t.Fatal(err)
	}
	heads, _ = s.Heads(ctx, 10)
	for _, h := range heads {
		if h.ID == alert {
			t.Fatal("a message was offered before its not_before")
		}
	}
	if due, _ := s.NextDue(ctx, clk.Now()); !due.Equal(clk.Now().Add(30 * time.Second)) {
		t.Errorf("next due %v", due)
	}
	clk.Advance(31 * time.Second)
	heads, _ = s.Heads(ctx, 10)
	if len(heads) == 0 || heads[0].ID != alert {
		t.Fatalf("after the wait the alert is not first: %+v", heads)
	}

	// A crash with a send in flight: the message is queued again at start.
	cl, _ = s.Claim(ctx, heads[0], 20)
	if n, err := s.RecoverSending(ctx); err != nil || n != 1 {
		t.Fatalf("RecoverSending = %d, %v", n, err)
	}
	if c := count(t, s, `SELECT attempts FROM outbox WHERE id = ?`, alert); c != 2 {
		t.Errorf("attempts %d, want 2", c)
	}

	// A chat that blocks the bot: its queue is dropped, with the reason.
	if err := s.SetActive(ctx, g, false, "bot was kicked from the group"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM outbox WHERE chat_id = ? AND state = 'dropped' AND error = 'bot was kicked from the group'`, g); n != 1 {
		t.Fatalf("%d dropped messages for the kicked group", n)
	}
	st, err := s.OutboxStats(ctx, clk.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if st.Queued[KindAlert] != 1 || st.Sent != 2 || st.Dropped != 1 || st.Retried != 1 || st.OldestQueued != 31*time.Second {
		t.Errorf("stats %+v", st)
	}
	// /stop forgets everything, the queue included.
	if err := s.Forget(ctx, b); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM outbox WHERE chat_id = ?`, b); n != 0 {
		t.Errorf("%d outbox rows left after /stop", n)
	}
}

func TestOutboxFollowsAMigratedGroup(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{})
	setUp(t, s, []chatSetup{{-300, TypeGroup, []string{"energy"}, false}})
	if _, err := s.Route(ctx, []StoryRef{{StoryID: 9, Topics: []string{"energy"}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveChat(ctx, -300, -100300); err != nil {
		t.Fatal(err)
	}
	heads, err := s.Heads(ctx, 10)
	if err != nil || len(heads) != 1 || heads[0].ChatID != -100300 {
		t.Fatalf("heads after migration: %+v %v", heads, err)
	}
	if _, err := s.Chat(ctx, -300); !errors.Is(err, ErrNoChat) {
		t.Fatal(err)
	}
}

func TestOutboxKeepsAChatsOrderAndDropsForGood(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t, Limits{})
	const a = 201
	setUp(t, s, []chatSetup{{a, TypePrivate, []string{"energy"}, false}})
	first, _ := s.EnqueueText(ctx, a, KindBroadcast, ClassBulk, "part 1")
	second, _ := s.EnqueueText(ctx, a, KindBroadcast, ClassBulk, "part 2")
	heads, _ := s.Heads(ctx, 10)
	cl, _ := s.Claim(ctx, heads[0], 20)
	if len(cl) != 1 || cl[0].ID != first {
		t.Fatalf("claimed %+v", cl)
	}
	// Part 1 meets a 429: part 2 must not overtake it.
	if err := s.Requeue(ctx, []int64{first}, clk.Now().Add(time.Minute), "429"); err != nil {
		t.Fatal(err)
	}
	if heads, _ := s.Heads(ctx, 10); len(heads) != 0 {
		t.Fatalf("part 2 overtook part 1: heads %+v", heads)
	}
	clk.Advance(2 * time.Minute)
	if heads, _ := s.Heads(ctx, 10); len(heads) != 1 || heads[0].ID != first {
		t.Fatalf("heads %+v, want part 1", heads)
	}
	// A chat that blocks the bot while part 1 is in flight: the late answer cannot bring the
	// dropped message back.
	heads, _ = s.Heads(ctx, 10)
	s.Claim(ctx, heads[0], 20)
	if err := s.SetActive(ctx, a, false, "bot was blocked by the user"); err != nil {
		t.Fatal(err)
	}
	if err := s.Requeue(ctx, []int64{first}, clk.Now(), "502"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM outbox WHERE state = 'dropped' AND id IN (?, ?)`, first, second); n != 2 {
		t.Fatalf("%d of 2 messages dropped after a late answer", n)
	}
	if _, err := s.EnqueueText(ctx, a, KindBroadcast, ClassBulk, "x"); !errors.Is(err, ErrInactive) {
		t.Fatalf("queued for an inactive chat: %v", err)
	}
	if _, err := s.EnqueueText(ctx, 999, KindBroadcast, ClassBulk, "x"); !errors.Is(err, ErrNoChat) {
		t.Fatalf("queued for an unknown chat: %v", err)
	}
}

func TestHeadsUsesTheDueIndex(t *testing.T) {
	s, _ := newStore(t, Limits{})
	var plan []string
	rows, err := s.db.Read.Query(`EXPLAIN QUERY PLAN SELECT o.id FROM outbox o INDEXED BY outbox_due JOIN chats c ON c.id = o.chat_id
		WHERE o.state = 'queued' AND o.not_before <= 0 ORDER BY o.class, o.id LIMIT 5`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, notused int
		var detail string
		rows.Scan(&id, &parent, &notused, &detail)
		plan = append(plan, detail)
	}
	joined := strings.Join(plan, "; ")
	if !strings.Contains(joined, "outbox_due") || strings.Contains(joined, "TEMP B-TREE") {
		t.Fatalf("plan: %s", joined)
	}
}
