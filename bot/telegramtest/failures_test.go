package telegramtest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestFailWithRealClient(t *testing.T) {
	tests := []struct {
		name  string
		f     Failure
		check func(t *testing.T, err error)
	}{
		{name: "429", f: TooManyRequests(35), check: func(t *testing.T, err error) {
			var tooMany *bot.TooManyRequestsError
			if !errors.As(err, &tooMany) || tooMany.RetryAfter != 35 {
				t.Fatalf("err = %v, want *bot.TooManyRequestsError with RetryAfter 35", err)
			}
			if !strings.Contains(tooMany.Message, "Too Many Requests: retry after 35") {
				t.Errorf("message = %q", tooMany.Message)
			}
		}},
		{name: "403 blocked", f: BlockedByUser(), check: func(t *testing.T, err error) {
			if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "Forbidden: bot was blocked by the user") {
				t.Errorf("err = %v, want ErrorForbidden", err)
			}
		}},
		{name: "403 deactivated", f: Failure{Code: 403, Description: "Forbidden: user is deactivated"}, check: func(t *testing.T, err error) {
			if !errors.Is(err, bot.ErrorForbidden) || !strings.HasSuffix(err.Error(), "user is deactivated") {
				t.Errorf("err = %v", err)
			}
		}},
		{name: "400 chat not found", f: ChatNotFound(), check: func(t *testing.T, err error) {
			if !errors.Is(err, bot.ErrorBadRequest) || !strings.HasSuffix(err.Error(), "Bad Request: chat not found") {
				t.Errorf("err = %v", err)
			}
		}},
		{name: "400 migrate", f: MigratedTo(-1009876543210), check: func(t *testing.T, err error) {
			var migrate *bot.MigrateError
			if !errors.As(err, &migrate) || migrate.MigrateToChatID != -1009876543210 {
				t.Fatalf("err = %v, want *bot.MigrateError", err)
			}
			if errors.Is(err, bot.ErrorBadRequest) {
				t.Errorf("a MigrateError matched ErrorBadRequest: the library changed")
			}
			if !strings.Contains(migrate.Message, "group chat was upgraded to a supergroup chat") {
				t.Errorf("message = %q", migrate.Message)
			}
		}},
		{name: "500 JSON", f: Failure{Code: 500}, check: func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "500 Internal Server Error") {
				t.Errorf("err = %v", err)
			}
		}},
		{name: "502 HTML page", f: BadGateway(), check: func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "error decode response body") {
				t.Errorf("err = %v, want a decode error", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, Options{})
			b := newBot(t, srv)
			srv.Fail("sendMessage", aliya.ID, tt.f, 1)
			_, err := b.SendMessage(ctxTimeout(t), &bot.SendMessageParams{ChatID: aliya.ID, Text: "Kun.uz: новости"})
			tt.check(t, err)
			if n := len(srv.Messages(aliya.ID)); n != 0 {
				t.Errorf("a failed send was delivered")
			}
			if st := srv.Stats(); st.Injected != 1 || st.Sends != 0 {
				t.Errorf("Stats = %+v", st)
			}
			// Consumed: the next send goes through.
			if _, err := b.SendMessage(ctxTimeout(t), &bot.SendMessageParams{ChatID: aliya.ID, Text: "again"}); err != nil {
				t.Errorf("second send: %v", err)
			}
		})
	}
}

func TestFailScope(t *testing.T) {
	srv := newServer(t, Options{})
	b := newBot(t, srv)
	ctx := ctxTimeout(t)
	send := func(chat int64) error {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat, Text: "24.kg"})
		return err
	}

	srv.Fail("SENDMESSAGE", aliya.ID, TooManyRequests(3), 2) // method names are case-insensitive
	if err := send(timur.ID); err != nil {
		t.Errorf("another chat failed: %v", err)
	}
	for i := range 2 {
		if err := send(aliya.ID); err == nil {
			t.Errorf("send %d to the failing chat succeeded", i)
		}
	}
	if err := send(aliya.ID); err != nil {
		t.Errorf("third send still failed: %v", err)
	}

	srv.Fail("", 0, Failure{Code: 500}, -1)
	if _, err := b.GetMe(ctx); err == nil {
		t.Error(`Fail("") did not apply to getMe`)
	}
	if err := send(timur.ID); err == nil {
		t.Error(`Fail("", 0) did not apply to every chat`)
	}
	upd, err := srv.rawCall(t, "getUpdates", "timeout=0")
	if err != nil || upd != `{"ok":true,"result":[]}` {
		t.Errorf(`Fail("") applied to getUpdates: %s %v`, upd, err)
	}
	srv.ClearFailures()
	if err := send(timur.ID); err != nil {
		t.Errorf("after ClearFailures: %v", err)
	}
	if got := srv.Stats().Injected; got != 4 {
		t.Errorf("Injected = %d, want 4", got)
	}
}

func TestFailUnknownMethod(t *testing.T) {
	ft := &fatalRecorder{TB: t}
	srv := New(ft, Options{})
	func() {
		defer func() { _ = recover() }()
		srv.Fail("sendMesage", 0, TooManyRequests(1), 1)
	}()
	if !strings.Contains(ft.msg, `unknown method "sendMesage"`) {
		t.Errorf("Fatalf = %q", ft.msg)
	}
}

// fatalRecorder captures Fatalf instead of ending the test.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = strings.TrimSpace(sprintf(format, args...))
	panic("fatal")
}

func TestDelayDeliversButTimesOut(t *testing.T) {
	srv := newServer(t, Options{})
	b := newBot(t, srv)
	srv.Fail("sendMessage", 0, Failure{Delay: 300 * time.Millisecond}, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: aliya.ID, Text: "Vlast.kz: тариф"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a deadline", err)
	}
	if elapsed := time.Since(start); elapsed > 250*time.Millisecond {
		t.Errorf("client waited %v: the server held it past its deadline", elapsed)
	}
	if got := srv.Messages(aliya.ID); len(got) != 1 {
		t.Errorf("the slow send was not delivered: %+v", got)
	}
}

func TestBlockBot(t *testing.T) {
	srv := newServer(t, Options{})
	b := newBot(t, srv)
	ctx := ctxTimeout(t)
	srv.BlockBot(aliya)
	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: aliya.ID, Text: "x"})
	if !errors.Is(err, bot.ErrorForbidden) {
		t.Fatalf("err = %v, want ErrorForbidden", err)
	}
	srv.ClearFailures() // blocking is chat state, not a failure rule
	if _, err := b.SendChatAction(ctx, &bot.SendChatActionParams{ChatID: aliya.ID, Action: models.ChatActionTyping}); !errors.Is(err, bot.ErrorForbidden) {
		t.Errorf("chat action to a blocked user: %v", err)
	}
	srv.UnblockBot(aliya)
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: aliya.ID, Text: "x"}); err != nil {
		t.Errorf("after UnblockBot: %v", err)
	}
	ups := srv.pendingUpdates(t)
	if len(ups) != 2 || ups[0].MyChatMember == nil || ups[1].MyChatMember == nil {
		t.Fatalf("updates = %+v", ups)
	}
	if old, new := ups[0].MyChatMember.OldChatMember, ups[0].MyChatMember.NewChatMember; old.Type != models.ChatMemberTypeMember ||
		new.Type != models.ChatMemberTypeBanned || new.Banned.User.ID != srv.Bot().ID || ups[0].MyChatMember.From.ID != aliya.ID {
		t.Errorf("block update = %+v", ups[0].MyChatMember)
	}
	if new := ups[1].MyChatMember.NewChatMember; new.Type != models.ChatMemberTypeMember {
		t.Errorf("unblock update = %+v", ups[1].MyChatMember)
	}
}

func TestMigrateChat(t *testing.T) {
	srv := newServer(t, Options{})
	b := newBot(t, srv)
	ctx := ctxTimeout(t)
	const group, super = int64(-4012345678), int64(-1004012345678)
	srv.SendText(Chat{ID: group, Type: "group", Title: "Шымкент"}, timur, "/start@newsbot_test_bot")
	srv.SetAdmins(group, timur.ID)
	srv.MigrateChat(group, super)

	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: group, Text: "x"})
	var migrate *bot.MigrateError
	if !errors.As(err, &migrate) || int64(migrate.MigrateToChatID) != super {
		t.Fatalf("send to the old group: %v", err)
	}
	m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: super, Text: "x"})
	if err != nil {
		t.Fatalf("send to the supergroup: %v", err)
	}
	if m.Chat.Type != models.ChatTypeSupergroup || m.Chat.Title != "Шымкент" {
		t.Errorf("supergroup = %+v", m.Chat)
	}
	ups := srv.pendingUpdates(t)
	if len(ups) != 3 || ups[1].Message.MigrateToChatID != super || ups[1].Message.Chat.ID != group ||
		ups[2].Message.MigrateFromChatID != group || ups[2].Message.Chat.ID != super || ups[2].Message.From.ID != timur.ID {
		t.Errorf("updates = %+v", ups)
	}
	member, err := b.GetChatMember(ctx, &bot.GetChatMemberParams{ChatID: super, UserID: timur.ID})
	if err != nil || member.Type != models.ChatMemberTypeOwner {
		t.Errorf("admins did not move: %+v %v", member, err)
	}
}
