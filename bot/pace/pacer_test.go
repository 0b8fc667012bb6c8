package pace

import (
	"math"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const (
	aigerim  = int64(201_443_170)       // a private chat
	bakyt    = int64(388_120_045)       // another
	newsKG   = int64(-1001_234_567_890) // a supergroup
	kaznews  = int64(-1009_876_543_210) // a channel
	unknownK = ChatKind(0)
)

// drain sends the items to their chats one after another as fast as p allows, advancing the
// clock by each wait, and returns the send offsets from t0.
func drain(t *testing.T, c *fakeClock, p *Pacer, items []Item) []time.Duration {
	t.Helper()
	var got []time.Duration
	for guard := 0; len(items) > 0; guard++ {
		if guard > 100_000 {
			t.Fatal("no progress")
		}
		it, ok, wait := p.Next(items[:1])
		if !ok {
			if wait <= 0 {
				t.Fatalf("not ok with wait %v", wait)
			}
			c.Advance(wait)
			continue
		}
		if it.ID != items[0].ID {
			t.Fatalf("picked %d, want %d", it.ID, items[0].ID)
		}
		p.Sent(it)
		got = append(got, since(c.Now()))
		items = items[1:]
	}
	return got
}

func secs(v ...float64) []time.Duration {
	var ds []time.Duration
	for _, x := range v {
		ds = append(ds, time.Duration(x*float64(time.Second)))
	}
	return ds
}

func repeat(n int, it Item) []Item {
	items := make([]Item, n)
	for i := range items {
		items[i] = it
		items[i].ID = int64(i + 1)
	}
	return items
}

// TestChatPace checks one chat's messages: a short burst, then the chat's own pace, and for
// groups and channels at most GroupPerMinute in any minute.
func TestChatPace(t *testing.T) {
	tests := []struct {
		name string
		lim  Limits
		n    int
		chat int64
		kind ChatKind
		want []time.Duration
	}{
		{"private, defaults", Limits{}, 10, aigerim, Private, secs(0, 0, 0, 1, 2, 3, 4, 5, 6, 7)},
		{"private, no burst", Limits{ChatBurst: 1}, 5, aigerim, Private, secs(0, 1, 2, 3, 4)},
		{"private, 2/s burst 2", Limits{ChatPerSecond: 2, ChatBurst: 2}, 6, aigerim, Private, secs(0, 0, 0.5, 1, 1.5, 2)},
		{"private, 1 per 3 s", Limits{ChatPerSecond: 1.0 / 3, ChatBurst: 1}, 3, aigerim, Private, secs(0, 3, 6)},
		{"group", Limits{}, 25, newsKG, Group, secs(
			0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, // 20 in the first minute
			60, 60, 60, 61, 62)},
		{"channel", Limits{GroupPerMinute: 5}, 8, kaznews, Channel, secs(0, 0, 0, 1, 2, 60, 60, 60)},
		{"unknown kind is paced as a group", Limits{GroupPerMinute: 2}, 4, aigerim, unknownK, secs(0, 0, 60, 60)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			tt.lim.Global = 1000 // the chat's limits, not the global one, are under test
			p := New(tt.lim, c.Now)
			got := drain(t, c, p, repeat(tt.n, Item{Chat: tt.chat, Kind: tt.kind, Class: Push, Enqueued: t0}))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("send times (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNextOrder checks the choice among candidates that may all go now, and that a candidate
// that may not go never holds back one that may.
func TestNextOrder(t *testing.T) {
	at := func(s int) time.Time { return t0.Add(-time.Duration(s) * time.Second) } // s seconds ago
	tests := []struct {
		name   string
		busy   []int64 // chats that received a burst just now
		cands  []Item
		wantID int64 // 0: none may go
		wait   time.Duration
	}{
		{"no candidates", nil, nil, 0, 0},
		{"class before age", nil, []Item{
			{ID: 1, Chat: 1, Kind: Private, Class: Bulk, Enqueued: at(600)},
			{ID: 2, Chat: 2, Kind: Private, Class: Push, Enqueued: at(60)},
			{ID: 3, Chat: 3, Kind: Private, Class: Alert, Enqueued: at(1)},
			{ID: 4, Chat: 4, Kind: Private, Class: Reply, Enqueued: at(0)},
		}, 4, 0},
		{"oldest within a class", nil, []Item{
			{ID: 1, Chat: 1, Kind: Private, Class: Push, Enqueued: at(5)},
			{ID: 2, Chat: 2, Kind: Private, Class: Push, Enqueued: at(50)},
			{ID: 3, Chat: 3, Kind: Private, Class: Push, Enqueued: at(7)},
		}, 2, 0},
		{"same age: lowest ID", nil, []Item{
			{ID: 9, Chat: 1, Kind: Private, Class: Bulk, Enqueued: at(5)},
			{ID: 8, Chat: 1, Kind: Private, Class: Bulk, Enqueued: at(5)},
		}, 8, 0},
		{"unknown classes rank as Bulk", nil, []Item{
			{ID: 1, Chat: 1, Kind: Private, Class: 4, Enqueued: at(9)},
			{ID: 2, Chat: 2, Kind: Private, Class: -3, Enqueued: at(8)},
			{ID: 3, Chat: 3, Kind: Private, Class: Push, Enqueued: at(0)},
		}, 3, 0},
		{"unknown classes are Bulk, not behind it", nil, []Item{
			{ID: 1, Chat: 1, Kind: Private, Class: Bulk, Enqueued: at(1)},
			{ID: 2, Chat: 2, Kind: Private, Class: 7, Enqueued: at(8)},
		}, 2, 0},
		{"a paced chat does not block another", []int64{1}, []Item{
			{ID: 1, Chat: 1, Kind: Private, Class: Reply, Enqueued: at(9)},
			{ID: 2, Chat: 2, Kind: Private, Class: Bulk, Enqueued: at(0)},
		}, 2, 0},
		{"every chat paced: the earliest wait", []int64{1, 2}, []Item{
			{ID: 1, Chat: 1, Kind: Private, Class: Reply},
			{ID: 2, Chat: 2, Kind: Group, Class: Bulk},
		}, 0, 900 * time.Millisecond}, // the burst was at 0, the next send is due at 1 s
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			p := New(Limits{Global: 1000}, c.Now)
			for _, chat := range tt.busy {
				for range 3 {
					p.Sent(Item{Chat: chat, Kind: Private})
				}
			}
			c.Advance(100 * time.Millisecond) // the chats' bursts are spent, the global budget is not
			it, ok, wait := p.Next(tt.cands)
			if tt.wantID == 0 {
				if ok {
					t.Fatalf("picked %d, want none", it.ID)
				}
				if wait != tt.wait {
					t.Errorf("wait %v, want %v", wait, tt.wait)
				}
				return
			}
			if !ok || it.ID != tt.wantID {
				t.Fatalf("picked %d (ok %v, wait %v), want %d", it.ID, ok, wait, tt.wantID)
			}
		})
	}
}

// TestThrottled checks 429s: one chat's pause holds only that chat, chat 0 or a burst of 429s
// from distinct chats holds everything, and pauses only ever grow.
func TestThrottled(t *testing.T) {
	type step struct {
		after time.Duration // advance the clock first
		chat  int64
		d     time.Duration
	}
	alert := func(chat int64) Item { return Item{ID: chat, Chat: chat, Kind: Private, Class: Alert, Enqueued: t0} }
	tests := []struct {
		name   string
		steps  []step
		cands  []Item
		wantID int64 // 0: none may go
		wait   time.Duration
		ready  map[int64]time.Duration // ChatReadyAt, as offsets from t0
	}{
		{"one chat: only it waits",
			[]step{{0, aigerim, 35 * time.Second}},
			[]Item{alert(aigerim), {ID: 2, Chat: bakyt, Kind: Private, Class: Bulk}}, 2, 0,
			map[int64]time.Duration{aigerim: 35 * time.Second, bakyt: 0}},
		{"one chat alone: wait for its pause",
			[]step{{0, aigerim, 35 * time.Second}, {5 * time.Second, 0, 0}},
			[]Item{alert(aigerim)}, 0, 30 * time.Second, nil},
		{"everything: chat 0",
			[]step{{0, 0, 3 * time.Second}},
			[]Item{alert(aigerim), alert(bakyt)}, 0, 3 * time.Second,
			map[int64]time.Duration{aigerim: 0}}, // a global pause is not the chat's own
		{"a shorter pause does not shorten a longer one",
			[]step{{0, aigerim, 10 * time.Second}, {0, aigerim, time.Second}},
			[]Item{alert(aigerim)}, 0, 10 * time.Second, nil},
		{"a shorter global pause does not shorten a longer one",
			[]step{{0, 0, 10 * time.Second}, {0, 0, time.Second}},
			[]Item{alert(bakyt)}, 0, 10 * time.Second, nil},
		{"zero retry_after counts as a second",
			[]step{{0, aigerim, 0}},
			[]Item{alert(aigerim)}, 0, time.Second, nil},
		{"three chats within a second: everything, until the earliest ends",
			[]step{{0, 11, 5 * time.Second}, {300 * time.Millisecond, 12, 9 * time.Second}, {300 * time.Millisecond, 13, 5 * time.Second}},
			[]Item{alert(bakyt)}, 0, 4400 * time.Millisecond, // 5 s from the first 429, at 0
			map[int64]time.Duration{11: 5 * time.Second, 12: 9300 * time.Millisecond, bakyt: 600 * time.Millisecond}},
		{"two chats within a second: only they wait",
			[]step{{0, 11, 5 * time.Second}, {300 * time.Millisecond, 12, 5 * time.Second}},
			[]Item{alert(11), alert(bakyt)}, bakyt, 0, nil},
		{"one chat three times: only it waits",
			[]step{{0, 11, 5 * time.Second}, {0, 11, 5 * time.Second}, {0, 11, 5 * time.Second}},
			[]Item{alert(bakyt)}, bakyt, 0, nil},
		{"three chats over more than a second: only they wait",
			[]step{{0, 11, 9 * time.Second}, {600 * time.Millisecond, 12, 9 * time.Second}, {600 * time.Millisecond, 13, 9 * time.Second}},
			[]Item{alert(bakyt)}, bakyt, 0, nil},
		{"an absurd retry_after does not overflow",
			[]step{{0, aigerim, math.MaxInt64}, {time.Hour, bakyt, math.MaxInt64 - 5}},
			[]Item{alert(aigerim), alert(bakyt), alert(7)}, 7, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			p := New(Limits{}, c.Now)
			for _, s := range tt.steps {
				c.Advance(s.after)
				if s.chat != 0 || s.d != 0 {
					p.Throttled(s.chat, s.d)
				}
			}
			it, ok, wait := p.Next(tt.cands)
			switch {
			case tt.wantID == 0 && ok:
				t.Errorf("picked %d, want none", it.ID)
			case tt.wantID == 0 && wait != tt.wait:
				t.Errorf("wait %v, want %v", wait, tt.wait)
			case tt.wantID != 0 && (!ok || it.ID != tt.wantID):
				t.Errorf("picked %d (ok %v, wait %v), want %d", it.ID, ok, wait, tt.wantID)
			}
			for chat, want := range tt.ready {
				if got := since(p.ChatReadyAt(chat)); got != want {
					t.Errorf("ChatReadyAt(%d) = %v, want %v", chat, got, want)
				}
			}
			if tt.wantID == 0 && tt.wait > 0 {
				c.Advance(wait)
				if _, ok, wait := p.Next(tt.cands); !ok {
					t.Errorf("still waiting %v after the pause", wait)
				}
			}
		})
	}
}

// TestPaidFlag checks which items count as paid broadcasts.
func TestPaidFlag(t *testing.T) {
	tests := []struct {
		name     string
		paidBulk int
		it       Item
		paid     bool
	}{
		{"paid bulk", 1000, Item{Class: Bulk, Paid: true}, true},
		{"unpaid bulk", 1000, Item{Class: Bulk}, false},
		{"paid sending off", 0, Item{Class: Bulk, Paid: true}, false},
		{"paid alert is paced as unpaid", 1000, Item{Class: Alert, Paid: true}, false},
		{"unknown class ranks as bulk", 1000, Item{Class: 9, Paid: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := New(Limits{Global: 30, PaidBulk: tt.paidBulk}, newClock().Now)
			if got := p.paidItem(&tt.it); got != tt.paid {
				t.Errorf("paid = %v, want %v", got, tt.paid)
			}
		})
	}
}

// TestGlobalBurst checks what goes at one instant: a small burst, then the even pace.
func TestGlobalBurst(t *testing.T) {
	tests := []struct {
		global int
		burst  int
		next   time.Duration
	}{
		{1, 1, time.Second}, // the window allows one a second however large the gcra burst
		{30, 2, 33_333_334},
		{200, 10, 5 * time.Millisecond},
		{1000, 50, time.Millisecond},
	}
	for _, tt := range tests {
		c := newClock()
		p := New(Limits{Global: tt.global}, c.Now)
		n := 0
		for ; n < 2000; n++ {
			if _, ok, _ := p.Take([]Item{{Chat: int64(n), Kind: Private}}); !ok {
				break
			}
		}
		_, _, wait := p.Next([]Item{{Chat: -1, Kind: Private}})
		if n != tt.burst || wait != tt.next {
			t.Errorf("Global %d: %d at once then wait %v, want %d then %v", tt.global, n, wait, tt.burst, tt.next)
		}
	}
}

func TestLimitsDefaults(t *testing.T) {
	tests := []struct {
		name string
		in   Limits
		want Limits
	}{
		{"zero", Limits{}, Limits{Global: 30, ChatPerSecond: 1, ChatBurst: 3, GroupPerMinute: 20}},
		{"config", Limits{Global: 200, PaidBulk: 1000}, Limits{Global: 200, PaidBulk: 1000, ChatPerSecond: 1, ChatBurst: 3, GroupPerMinute: 20}},
		{"negative", Limits{Global: -1, PaidBulk: -1, ChatPerSecond: -1, ChatBurst: -1, GroupPerMinute: -1}, Limits{Global: 30, ChatPerSecond: 1, ChatBurst: 3, GroupPerMinute: 20}},
		{"NaN", Limits{ChatPerSecond: math.NaN()}, Limits{Global: 30, ChatPerSecond: 1, ChatBurst: 3, GroupPerMinute: 20}},
		{"too high", Limits{Global: 5000, PaidBulk: 5000, ChatPerSecond: math.Inf(1), ChatBurst: 1e9, GroupPerMinute: 1e9},
			Limits{Global: 1000, PaidBulk: 1000, ChatPerSecond: 1000, ChatBurst: 1000, GroupPerMinute: 1000}},
		{"paid below global", Limits{Global: 30, PaidBulk: 10}, Limits{Global: 30, PaidBulk: 30, ChatPerSecond: 1, ChatBurst: 3, GroupPerMinute: 20}},
		{"tiny chat rate", Limits{ChatPerSecond: 1e-9}, Limits{Global: 30, ChatPerSecond: 0.001, ChatBurst: 3, GroupPerMinute: 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := New(tt.in, nil)
			if diff := cmp.Diff(tt.want, p.Limits()); diff != "" {
				t.Errorf("Limits (-want +got):\n%s", diff)
			}
		})
	}
}

// TestForget checks chats are forgotten once their state no longer matters, and not before.
func TestForget(t *testing.T) {
	c := newClock()
	p := New(Limits{Global: 1000}, c.Now)
	for i := range 10_000 {
		p.Sent(Item{Chat: int64(i + 1), Kind: Private, Class: Bulk})
	}
	for i := range 50 {
		p.Sent(Item{Chat: -int64(i + 1), Kind: Group, Class: Push})
	}
	p.Throttled(aigerim, time.Hour)
	count := func() int {
		p.mu.Lock()
		defer p.mu.Unlock()
		return len(p.chats)
	}
	steps := []struct {
		after time.Duration
		want  int
	}{
		{0, 10_051},
		{sweepEvery, 51}, // private chats are idle a second after their last send
		{time.Minute, 1}, // groups a minute after
		{time.Hour, 0},   // the paused chat when its pause ends
		{time.Hour, 0},   // nothing comes back
	}
	for i, s := range steps {
		c.Advance(s.after)
		p.ChatReadyAt(1) // any call may sweep
		if got := count(); got != s.want {
			t.Errorf("step %d: %d chats remembered, want %d", i, got, s.want)
		}
	}
	p.mu.Lock()
	peak := p.peak
	p.mu.Unlock()
	if peak > shrinkAbove {
		t.Errorf("map not rebuilt after emptying: peak %d", peak)
	}

	// Forgetting must not change a decision: a group that sent 20 in the last minute is
	// remembered however many sweeps pass.
	c2 := newClock()
	p2 := New(Limits{}, c2.Now)
	for range 20 {
		p2.Sent(Item{Chat: newsKG, Kind: Group})
	}
	c2.Advance(59 * time.Second)
	if _, ok, wait := p2.Next([]Item{{Chat: newsKG, Kind: Group}}); ok || wait != time.Second {
		t.Errorf("group after 59 s: ok %v, wait %v, want a 1 s wait", ok, wait)
	}
}

// TestConcurrentTake checks concurrent callers never spend more than the budget between
// them, under the race detector.
func TestConcurrentTake(t *testing.T) {
	c := newClock()
	p := New(Limits{Global: 200}, c.Now)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		taken int
	)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				chat := int64(g*1000 + i)
				if _, ok, _ := p.Take([]Item{{Chat: chat, Kind: Private, Class: Class(i % 4)}}); ok {
					mu.Lock()
					taken++
					mu.Unlock()
				}
				p.ChatReadyAt(chat)
				if i%50 == 0 {
					p.Throttled(aigerim, time.Second) // one chat: no global flood
				}
			}
		}()
	}
	wg.Wait()
	if taken != 10 { // the budget's burst at one instant
		t.Errorf("%d taken at one instant, want 10", taken)
	}
}

func TestStrings(t *testing.T) {
	got := []string{Reply.String(), Alert.String(), Push.String(), Bulk.String(), Class(7).String(),
		Private.String(), Group.String(), Channel.String(), ChatKind(0).String()}
	want := []string{"reply", "alert", "push", "bulk", "class(7)", "private", "group", "channel", "chatkind(0)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}
