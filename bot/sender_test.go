package bot

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"

	"newsbot/bot/telegramtest"
)

// senderRig is a Sender against the fake Bot API, with a recording, instant sleep.
type senderRig struct {
	api    *telegramtest.Server
	sender *Sender
	mu     sync.Mutex
	slept  []time.Duration
	gone   map[int64]string
	moved  [][2]int64
}

func newSenderRig(t *testing.T) *senderRig {
	r := &senderRig{api: telegramtest.New(t, telegramtest.Options{}), gone: map[int64]string{}}
	client, err := tg.New(r.api.Token(), tg.WithServerURL(r.api.URL()), tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	r.sender = NewSender(client, SenderConfig{
		RateLimit: 1000,
		Sleep: func(ctx context.Context, d time.Duration) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.slept = append(r.slept, d)
			return ctx.Err()
		},
		OnGone: func(_ context.Context, id int64, reason string) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.gone[id] = reason
		},
		OnMigrate: func(_ context.Context, from, to int64) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.moved = append(r.moved, [2]int64{from, to})
		},
	})
	return r
}

func TestSenderHandlesTelegramAnswers(t *testing.T) {
	ctx := context.Background()
	const chat = 501
	t.Run("429 is waited out and the message sent", func(t *testing.T) {
		r := newSenderRig(t)
		r.api.Fail("sendMessage", chat, telegramtest.TooManyRequests(7), 2)
		if _, err := r.sender.Send(ctx, Message{ChatID: chat, Text: "<b>hi</b>"}); err != nil {
			t.Fatal(err)
		}
		if len(r.slept) != 2 || r.slept[0] < 7*time.Second || r.slept[0] > 7500*time.Millisecond {
			t.Errorf("waited %v, want 7s (and a little jitter) twice", r.slept)
		}
		if msgs := r.api.Messages(chat); len(msgs) != 1 || msgs[0].PlainText != "hi" {
			t.Errorf("delivered %+v", msgs)
		}
	})
	t.Run("5xx and HTML error pages are retried with backoff", func(t *testing.T) {
		r := newSenderRig(t)
		r.api.Fail("sendMessage", chat, telegramtest.BadGateway(), 2)
		r.api.Fail("sendMessage", chat, telegramtest.Failure{Code: 500}, 1)
		if _, err := r.sender.Send(ctx, Message{ChatID: chat, Text: "x"}); err != nil {
			t.Fatal(err)
		}
		if len(r.slept) != 3 || r.slept[0] != time.Second || r.slept[1] != 2*time.Second {
			t.Errorf("backoff %v, want 1s, 2s, 4s", r.slept)
		}
		if len(r.api.Messages(chat)) != 1 {
			t.Error("not delivered after the 5xx burst")
		}
	})
	t.Run("a blocked chat is reported gone and not retried", func(t *testing.T) {
		r := newSenderRig(t)
		r.api.Fail("sendMessage", chat, telegramtest.BlockedByUser(), -1)
		_, err := r.sender.Send(ctx, Message{ChatID: chat, Text: "x"})
		if !errors.Is(err, ErrChatGone) || !strings.Contains(r.gone[chat], "blocked") {
			t.Errorf("err %v, gone %v", err, r.gone)
		}
		if n := len(r.api.Calls("sendMessage")); n != 1 {
			t.Errorf("%d attempts at a blocked chat, want 1", n)
		}
	})
	t.Run("chat not found is gone too", func(t *testing.T) {
		r := newSenderRig(t)
		r.api.Fail("sendMessage", chat, telegramtest.ChatNotFound(), -1)
		if _, err := r.sender.Send(ctx, Message{ChatID: chat, Text: "x"}); !errors.Is(err, ErrChatGone) {
			t.Errorf("err %v", err)
		}
	})
	t.Run("a migrated group moves and the message follows", func(t *testing.T) {
		r := newSenderRig(t)
		const group, super = -4001, -1004001
		r.api.Fail("sendMessage", group, telegramtest.MigratedTo(super), 1)
		if _, err := r.sender.Send(ctx, Message{ChatID: group, Text: "x"}); err != nil {
			t.Fatal(err)
		}
		if len(r.moved) != 1 || r.moved[0] != [2]int64{group, super} || len(r.api.Messages(super)) != 1 {
			t.Errorf("moved %v, supergroup got %d messages", r.moved, len(r.api.Messages(super)))
		}
	})
	t.Run("HTML Telegram rejects is resent as plain text", func(t *testing.T) {
		r := newSenderRig(t)
		if _, err := r.sender.Send(ctx, Message{ChatID: chat, Text: "<b>bold & <i>broken</b>"}); err != nil {
			t.Fatal(err)
		}
		msgs := r.api.Messages(chat)
		if len(msgs) != 1 || msgs[0].ParseMode != "" || !strings.Contains(msgs[0].Text, "bold & broken") {
			t.Errorf("delivered %+v", msgs)
		}
	})
	t.Run("long flood control is waited out, never dropped", func(t *testing.T) {
		r := newSenderRig(t)
		r.api.Fail("sendMessage", chat, telegramtest.TooManyRequests(1), 3*maxAttempts)
		if _, err := r.sender.Send(ctx, Message{ChatID: chat, Text: "x"}); err != nil {
			t.Fatalf("gave up under flood control: %v", err)
		}
		if len(r.slept) != 3*maxAttempts || len(r.api.Messages(chat)) != 1 {
			t.Errorf("%d waits, %d delivered", len(r.slept), len(r.api.Messages(chat)))
		}
	})
	t.Run("flood control ends with the context", func(t *testing.T) {
		r := newSenderRig(t)
		r.api.Fail("sendMessage", chat, telegramtest.TooManyRequests(1), -1)
		ctx, cancel := context.WithCancel(ctx)
		r.sender.cfg.Sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
		if _, err := r.sender.Send(ctx, Message{ChatID: chat, Text: "x"}); !errors.Is(err, context.Canceled) {
			t.Errorf("err %v", err)
		}
	})
	t.Run("a bot without rights in a group is gone", func(t *testing.T) {
		r := newSenderRig(t)
		r.api.Fail("sendMessage", chat, telegramtest.Failure{Code: 400, Description: "Bad Request: not enough rights to send text messages to the chat"}, -1)
		if _, err := r.sender.Send(ctx, Message{ChatID: chat, Text: "x"}); !errors.Is(err, ErrChatGone) {
			t.Errorf("err %v", err)
		}
	})
	t.Run("an edit in a migrated group is not retried", func(t *testing.T) {
		r := newSenderRig(t)
		r.api.Fail("editMessageText", -4001, telegramtest.MigratedTo(-1004001), -1)
		if err := r.sender.Edit(ctx, -4001, 5, "x", nil); err == nil {
			t.Fatal("edit succeeded")
		}
		if n := len(r.api.Calls("editMessageText")); n != 1 || len(r.moved) != 1 {
			t.Errorf("%d edit calls, %d moves; want 1 and 1", n, len(r.moved))
		}
	})
}

func TestTryClassifiesOutcomes(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		fail telegramtest.Failure
		want Outcome
	}{
		{"flood control", telegramtest.TooManyRequests(3), Throttled},
		{"bad gateway page", telegramtest.BadGateway(), Transient},
		{"server error", telegramtest.Failure{Code: 500}, Transient},
		{"blocked", telegramtest.BlockedByUser(), Gone},
		{"chat not found", telegramtest.ChatNotFound(), Gone},
		{"no rights", telegramtest.Failure{Code: 400, Description: "Bad Request: not enough rights to send text messages to the chat"}, Gone},
		{"migrated", telegramtest.MigratedTo(-100123), Migrated},
		{"token revoked", telegramtest.Failure{Code: 401, Description: "Unauthorized"}, Halted},
		{"message too long", telegramtest.Failure{Code: 400, Description: "Bad Request: message is too long"}, Refused},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newSenderRig(t)
			r.api.Fail("sendMessage", 77, tc.fail, 1)
			a := r.sender.Try(ctx, Message{ChatID: 77, Text: "x"})
			if a.Outcome != tc.want {
				t.Fatalf("outcome %v (%v), want %v", a.Outcome, a.Err, tc.want)
			}
			if a.Outcome == Throttled && a.RetryAfter != 3*time.Second {
				t.Errorf("retry after %v", a.RetryAfter)
			}
			if a.Outcome == Migrated && a.MigrateTo != -100123 {
				t.Errorf("migrate to %d", a.MigrateTo)
			}
		})
	}
}
