package telegramtest

import (
	"errors"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/google/go-cmp/cmp"
)

func TestLimiterWindows(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	type step struct {
		at        time.Time
		chat      int64
		group     bool
		wantRetry int // 0: allowed (and committed)
	}
	tests := []struct {
		name  string
		opts  Options
		steps []step
	}{
		{name: "global", opts: Options{GlobalPerSecond: 2}, steps: []step{
			{ms(0), 1, false, 0}, {ms(100), 2, false, 0}, {ms(200), 3, false, 1},
			{ms(999), 3, false, 1}, {ms(1000), 3, false, 0}, {ms(1050), 4, false, 1}, {ms(1100), 4, false, 0},
		}},
		{name: "per chat", opts: Options{PerChatPerSecond: 1}, steps: []step{
			{ms(0), 1, false, 0}, {ms(10), 2, false, 0}, {ms(20), 1, false, 1}, {ms(1000), 1, false, 0},
		}},
		{name: "group per minute", opts: Options{GroupPerMinute: 2}, steps: []step{
			{ms(0), -5, true, 0}, {ms(500), -5, true, 0}, {ms(1000), -5, true, 59}, {ms(1000), 7, false, 0},
			{ms(1000), -6, true, 0}, {ms(59_999), -5, true, 1}, {ms(60_000), -5, true, 0},
		}},
		{name: "the longest wait wins", opts: Options{GlobalPerSecond: 1, GroupPerMinute: 1}, steps: []step{
			{ms(0), -5, true, 0}, {ms(1500), -5, true, 59},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLimiter(tt.opts)
			for i, s := range tt.steps {
				retry, limited := l.check(s.at, s.chat, s.group)
				if limited != (s.wantRetry > 0) || retry != s.wantRetry {
					t.Fatalf("step %d: check = %d, %v; want retry %d", i, retry, limited, s.wantRetry)
				}
				if !limited {
					l.commit(s.at, s.chat, s.group)
				}
			}
		})
	}
}

func TestMaxInWindow(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms ...int) []time.Time {
		var out []time.Time
		for _, m := range ms {
			out = append(out, t0.Add(time.Duration(m)*time.Millisecond))
		}
		return out
	}
	tests := []struct {
		times []time.Time
		want  int
	}{
		{at(0), 1},
		{at(0, 999), 2},
		{at(0, 1000), 1}, // the window is half-open
		{at(0, 500, 900, 1400, 1450), 4},
		{at(0, 0, 0), 3},
	}
	for _, tt := range tests {
		if got := maxInWindow(tt.times, time.Second); got != tt.want {
			t.Errorf("maxInWindow(%v) = %d, want %d", tt.times, got, tt.want)
		}
	}
}

func TestRateLimitWithRealClient(t *testing.T) {
	srv := newServer(t, Options{GlobalPerSecond: 3, PerChatPerSecond: 2, GroupPerMinute: 20})
	b := newBot(t, srv)
	ctx := ctxTimeout(t)
	send := func(chat int64) error {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat, Text: "Курс тенге"})
		return err
	}
	var errs []error
	for _, chat := range []int64{aliya.ID, aliya.ID, aliya.ID, timur.ID, bakyt.ID} {
		errs = append(errs, send(chat))
	}
	// aliya: 2 ok, the 3rd over the per-chat limit; timur ok (3rd overall); bakyt over the global limit.
	for i, wantLimited := range []bool{false, false, true, false, true} {
		var tooMany *bot.TooManyRequestsError
		if limited := errors.As(errs[i], &tooMany); limited != wantLimited || limited && tooMany.RetryAfter != 1 {
			t.Errorf("send %d: %v, want limited=%v with retry_after 1", i, errs[i], wantLimited)
		}
	}
	// Chat actions and edits are not sends.
	if _, err := b.SendChatAction(ctx, &bot.SendChatActionParams{ChatID: aliya.ID, Action: "typing"}); err != nil {
		t.Errorf("chat action was limited: %v", err)
	}
	st := srv.Stats()
	if st.Sends != 3 || st.RateLimited != 2 || st.MaxPerSecond != 3 || st.MaxChatPerSecond != 2 || st.MaxGroupPerMinute != 0 {
		t.Errorf("Stats = %+v", st)
	}
	if diff := cmp.Diff([]int{3}, st.PerSecond); diff != "" {
		t.Errorf("PerSecond (-want +got):\n%s", diff)
	}
	srv.ResetStats()
	if st := srv.Stats(); st.Sends != 0 || st.RateLimited != 0 || st.PerSecond != nil {
		t.Errorf("after ResetStats: %+v", st)
	}
}

func TestGroupRateLimit(t *testing.T) {
	srv := newServer(t, Options{GroupPerMinute: 2})
	b := newBot(t, srv)
	ctx := ctxTimeout(t)
	for i := range 3 {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: almaty.ID, Text: "Алматы"})
		var tooMany *bot.TooManyRequestsError
		switch {
		case i < 2 && err != nil:
			t.Errorf("send %d: %v", i, err)
		case i == 2 && (!errors.As(err, &tooMany) || tooMany.RetryAfter < 59 || tooMany.RetryAfter > 60):
			t.Errorf("third send to a group: %v, want 429 with retry_after about 60", err)
		}
	}
	for range 3 {
		if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: aliya.ID, Text: "x"}); err != nil {
			t.Errorf("private chats are not groups: %v", err)
		}
	}
	if st := srv.Stats(); st.MaxGroupPerMinute != 2 || st.Sends != 5 {
		t.Errorf("Stats = %+v", st)
	}
}
