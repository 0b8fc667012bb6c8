package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"newsbot/bot/telegramtest"
	"newsbot/subscriptions"
)

// outboxStates counts the outbox rows of chat by state.
func (h *harness) outboxStates(chat int64) map[string]int {
	h.t.Helper()
	out := map[string]int{}
	for _, st := range []string{"queued", "sending", "sent", "failed", "dropped"} {
		var n int
		if err := h.db.Read.QueryRow(`SELECT COUNT(*) FROM outbox WHERE chat_id = ? AND state = ?`, chat, st).Scan(&n); err != nil {
			h.t.Fatal(err)
		}
		if n > 0 {
			out[st] = n
		}
	}
	return out
}

func (h *harness) waitState(chat int64, state string, n int) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for h.outboxStates(chat)[state] != n {
		if time.Now().After(deadline) {
			h.t.Fatalf("chat %d outbox %v, want %d %s", chat, h.outboxStates(chat), n, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func subscribed(t *testing.T, h *harness, u telegramtest.User) {
	t.Helper()
	h.api.SendText(u.Chat(), u, "/start topic_energy")
	h.api.WaitMessages(t, u.ID, 1, 5*time.Second)
}

func TestDispatcherWaitsOutFloodControl(t *testing.T) {
	h := newHarness(t)
	subscribed(t, h, john)
	h.api.Fail("sendMessage", john.ID, telegramtest.TooManyRequests(1), 2)
	start := time.Now()
	h.feed.add("n-1", "Uranium output rises", "/u", "Output rose.")
	h.poll()
	// Generous: on a loaded CI machine with -race the waits stretch; the check is the lower bound.
	msgs := h.api.WaitMessages(t, john.ID, 2, 30*time.Second)
	if !strings.Contains(msgs[1].PlainText, "Uranium output rises") {
		t.Fatalf("got %q", msgs[1].PlainText)
	}
	if took := time.Since(start); took < 2*time.Second {
		t.Errorf("delivered after %v: the two retry_after waits of 1s were not honoured", took)
	}
	h.waitState(john.ID, "sent", 1)
	if st, _ := h.subs.OutboxStats(context.Background(), time.Now().Add(-time.Hour)); st.Retried != 1 {
		t.Errorf("stats %+v: the retried message is not counted", st)
	}
}

func TestDispatcherRetriesServerErrors(t *testing.T) {
	h := newHarness(t)
	subscribed(t, h, john)
	h.api.Fail("sendMessage", john.ID, telegramtest.BadGateway(), 2)
	h.feed.add("n-1", "Uranium output rises", "/u", "Output rose.")
	h.poll()
	h.api.WaitMessages(t, john.ID, 2, 15*time.Second)
	h.waitState(john.ID, "sent", 1)
}

func TestDispatcherDropsTheQueueOfABlockedChat(t *testing.T) {
	h := newHarness(t)
	subscribed(t, h, ivan)
	h.api.Fail("sendMessage", ivan.ID, telegramtest.BlockedByUser(), -1)
	h.feed.add("n-1", "Нефть марки Brent подорожала до 80 долларов", "/o1", "Котировки нефти выросли на бирже ICE в Лондоне.")
	h.feed.add("n-2", "Казатомпром снизил прогноз добычи урана", "/u1", "Компания сослалась на нехватку серной кислоты.")
	h.poll()
	h.waitState(ivan.ID, "dropped", 2)
	c, _ := h.subs.Chat(context.Background(), ivan.ID)
	if c.Active || !strings.Contains(c.InactiveReason, "blocked") {
		t.Fatalf("chat %+v", c)
	}
	var reason string
	h.db.Read.QueryRow(`SELECT error FROM outbox WHERE chat_id = ? AND state = 'dropped' LIMIT 1`, ivan.ID).Scan(&reason)
	if !strings.Contains(reason, "blocked") {
		t.Errorf("drop reason %q", reason)
	}
}

func TestDispatcherFollowsAMigratedGroup(t *testing.T) {
	h := newHarness(t)
	group := telegramtest.Chat{ID: -5100, Type: "group", Title: "G"}
	h.api.SetAdmins(group.ID, ivan.ID)
	h.api.SendText(group, ivan, "/subscribe energy")
	h.api.WaitMessages(t, group.ID, 1, 5*time.Second)
	// Telegram answers the push with 400 + migrate_to_chat_id (the service message is lost).
	h.api.Fail("sendMessage", group.ID, telegramtest.MigratedTo(-1005100), -1)
	h.feed.add("n-1", "Уран дорожает", "/u1", "Цены растут.")
	h.poll()
	got := h.api.WaitMessages(t, -1005100, 1, 10*time.Second)
	if !strings.Contains(got[0].PlainText, "Уран дорожает") {
		t.Fatalf("supergroup got %q", got[0].PlainText)
	}
	if c, err := h.subs.Chat(context.Background(), -1005100); err != nil || len(c.Topics) != 1 {
		t.Fatalf("the supergroup did not inherit the topics: %+v %v", c, err)
	}
}

func TestDispatcherResendsRejectedHTMLAsPlainText(t *testing.T) {
	h := newHarness(t)
	subscribed(t, h, john)
	h.api.Fail("sendMessage", john.ID, telegramtest.Failure{Code: 400, Description: "Bad Request: can't parse entities: unexpected end tag"}, 1)
	h.feed.add("n-1", "Uranium output rises", "/u", "Output rose.")
	h.poll()
	msgs := h.api.WaitMessages(t, john.ID, 2, 10*time.Second)
	if msgs[1].ParseMode != "" || !strings.Contains(msgs[1].Text, "Uranium output rises") {
		t.Fatalf("resent %+v", msgs[1])
	}
	h.waitState(john.ID, "sent", 1)
	h.api.ClearFailures() // the injected refusal is not a rendering bug of ours
	h.ignoreRefusals = true
}

func TestDeliveryStatsCountOutcomes(t *testing.T) {
	h := newHarness(t)
	subscribed(t, h, john)
	h.api.Fail("sendMessage", john.ID, telegramtest.TooManyRequests(1), 1)
	h.feed.add("n-1", "Uranium output rises", "/u", "Output rose.")
	h.poll()
	h.api.WaitMessages(t, john.ID, 2, 10*time.Second)
	h.waitState(john.ID, "sent", 1)
	st, err := h.bot.DeliveryStats(context.Background(), time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if st.Tries["throttled"] != 1 || st.Tries["delivered"] != 1 || st.Sent != 1 || st.Retried != 1 || len(st.Queued) != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestPaidBroadcastOnlyForBulk(t *testing.T) {
	h := newHarness(t)
	h.stop()
	h.bot.cfg.PaidBroadcast = true
	h.restart()
	subscribed(t, h, john)
	if _, err := h.subs.EnqueueText(context.Background(), john.ID, subscriptions.KindBroadcast, subscriptions.ClassBulk, "<b>Announcement</b>"); err != nil {
		t.Fatal(err)
	}
	h.feed.add("n-1", "Uranium output rises", "/u", "Output rose.")
	h.poll()
	h.api.WaitMessages(t, john.ID, 3, 10*time.Second)
	for _, c := range h.api.Calls("sendMessage") {
		paid := c.Params["allow_paid_broadcast"] == "true"
		bulk := strings.Contains(c.Params["text"], "Announcement")
		if paid != bulk {
			t.Errorf("paid=%v for %q", paid, c.Params["text"])
		}
	}
}
