package pace

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

// sim is a model of the delivery engine driving a Pacer the way the package documentation
// says: per class a FIFO queue, of which it passes the oldest message of each of the first
// perClass chats as candidates; Take; sleep for the returned wait, waking early when a message
// is enqueued.
type sim struct {
	clock    *fakeClock
	p        *Pacer
	queues   [Bulk + 1][]Item
	heads    [Bulk + 1]int
	sent     []bool // by Item.ID
	perClass int
	// late returns how late the dispatcher wakes after a wait; nil means exactly on time.
	late   func() time.Duration
	events []event // sorted by at
	log    []sendRec
	seen   map[int64]bool
	buf    []Item
}

type event struct {
	at   time.Time
	item Item
}

type sendRec struct {
	at   time.Time
	item Item
}

func newSim(l Limits) *sim {
	c := newClock()
	return &sim{clock: c, p: New(l, c.Now), perClass: 500, seen: map[int64]bool{}}
}

// add queues it now and returns it with its ID set.
func (s *sim) add(it Item) Item {
	it.ID = int64(len(s.sent))
	if it.Enqueued.IsZero() {
		it.Enqueued = s.clock.Now()
	}
	s.sent = append(s.sent, false)
	cl := it.Class.norm()
	s.queues[cl] = append(s.queues[cl], it)
	return it
}

// addAt queues it when the clock reaches at.
func (s *sim) addAt(at time.Time, it Item) {
	it.Enqueued = at
	s.events = append(s.events, event{at: at, item: it})
	sort.SliceStable(s.events, func(i, j int) bool { return s.events[i].at.Before(s.events[j].at) })
}

func (s *sim) candidates() []Item {
	c := s.buf[:0]
	for cl := range s.queues {
		q := s.queues[cl]
		for s.heads[cl] < len(q) && s.sent[q[s.heads[cl]].ID] {
			s.heads[cl]++
		}
		clear(s.seen)
		for i := s.heads[cl]; i < len(q) && len(s.seen) < s.perClass; i++ {
			if it := q[i]; !s.sent[it.ID] && !s.seen[it.Chat] {
				s.seen[it.Chat] = true
				c = append(c, it)
			}
		}
	}
	s.buf = c
	return c
}

// run dispatches until the clock reaches end or nothing is left to send.
func (s *sim) run(t testing.TB, end time.Time) {
	t.Helper()
	for {
		now := s.clock.Now()
		for len(s.events) > 0 && !s.events[0].at.After(now) {
			s.add(s.events[0].item)
			s.events = s.events[1:]
		}
		if !now.Before(end) {
			return
		}
		it, ok, wait := s.p.Take(s.candidates())
		if ok {
			if s.sent[it.ID] {
				t.Fatalf("item %d sent twice", it.ID)
			}
			s.sent[it.ID] = true
			s.log = append(s.log, sendRec{at: now, item: it})
			continue
		}
		if wait < 0 {
			t.Fatalf("negative wait %v", wait)
		}
		wake := end
		if wait > 0 {
			d := wait
			if s.late != nil {
				d += s.late()
			}
			wake = now.Add(d)
		} else if len(s.events) == 0 {
			return // nothing queued, nothing coming
		}
		if len(s.events) > 0 && s.events[0].at.Before(wake) {
			wake = s.events[0].at
		}
		s.clock.Set(earlier(wake, end))
	}
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// times returns the send times of the records for which keep is true (all when nil).
func (s *sim) times(keep func(Item) bool) []time.Time {
	var ts []time.Time
	for _, r := range s.log {
		if keep == nil || keep(r.item) {
			ts = append(ts, r.at)
		}
	}
	return ts
}

// maxIn returns the most of the sorted times that fall in any half-open window of length span.
func maxIn(ts []time.Time, span time.Duration) int {
	most, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= span {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}

// countIn returns how many of ts fall in [from, to).
func countIn(ts []time.Time, from, to time.Time) int {
	n := 0
	for _, t := range ts {
		if !t.Before(from) && t.Before(to) {
			n++
		}
	}
	return n
}

// checkChats asserts every chat's sends keep to l: no more than ChatBurst+k-1 in any k
// intervals of ChatPerSecond (after the burst, one per interval), and for groups and channels
// no more than GroupPerMinute in any minute.
func checkChats(t *testing.T, log []sendRec, l Limits) {
	t.Helper()
	l = l.withDefaults()
	iv := interval(time.Second, l.ChatPerSecond)
	byChat := map[int64][]time.Time{}
	kind := map[int64]ChatKind{}
	for _, r := range log {
		byChat[r.item.Chat] = append(byChat[r.item.Chat], r.at)
		kind[r.item.Chat] = r.item.Kind
	}
	for chat, ts := range byChat {
		for i := range ts {
			for j := i + l.ChatBurst; j < len(ts); j++ {
				// The (j-i+1) sends from i to j need j-i+1-ChatBurst intervals.
				if need := time.Duration(j-i+1-l.ChatBurst) * iv; ts[j].Sub(ts[i]) < need {
					t.Fatalf("chat %d: sends %d..%d %v apart, want at least %v", chat, i, j, ts[j].Sub(ts[i]), need)
				}
			}
		}
		if kind[chat] != Private {
			if n := maxIn(ts, time.Minute); n > l.GroupPerMinute {
				t.Fatalf("%v %d: %d sends in one minute, limit %d", kind[chat], chat, n, l.GroupPerMinute)
			}
		}
	}
}

// TestSimulatedRate drives a Pacer as the dispatcher does over a simulated stretch with a deep
// queue and checks the one-second window is never exceeded while the achieved rate stays
// within 5% of what the limits allow.
func TestSimulatedRate(t *testing.T) {
	type mix struct {
		chats      int     // distinct chats, queued round-robin (each chat's messages spread)
		adjacent   bool    // each chat's messages queued together instead
		groupShare float64 // share of chats that are groups or channels
	}
	tests := []struct {
		name   string
		lim    Limits
		items  int
		mix    mix
		run    time.Duration
		late   time.Duration // the dispatcher wakes up to this late
		expect float64       // sends per second the limits allow
	}{
		{"30/s, 10,000 distinct private chats", Limits{Global: 30}, 10_000, mix{chats: 10_000}, time.Minute, 0, 30},
		{"30/s, 2,000 chats × 5, adjacent", Limits{Global: 30}, 10_000, mix{chats: 2_000, adjacent: true}, time.Minute, 0, 30},
		{"30/s, 20% groups", Limits{Global: 30}, 10_000, mix{chats: 3_000, groupShare: 0.2}, time.Minute, 0, 30},
		{"30/s, dispatcher up to 20 ms late", Limits{Global: 30}, 10_000, mix{chats: 10_000}, time.Minute, 20 * time.Millisecond, 30},
		{"1/s", Limits{Global: 1}, 10_000, mix{chats: 10_000}, time.Minute, 0, 1},
		{"7/s", Limits{Global: 7}, 10_000, mix{chats: 500}, time.Minute, time.Millisecond, 7},
		{"200/s, 10% groups", Limits{Global: 200}, 13_000, mix{chats: 13_000, groupShare: 0.1}, time.Minute, 0, 200},
		{"200/s, dispatcher up to 3 ms late", Limits{Global: 200}, 13_000, mix{chats: 4_000}, time.Minute, 3 * time.Millisecond, 200},
		{"1000/s", Limits{Global: 1000}, 22_000, mix{chats: 22_000}, 20 * time.Second, 0, 1000},
		// Too few chats to fill the global rate: each chat's pace is the limit, a burst of 3
		// and then one a second (62 in the minute), or 20 a minute for a group.
		{"30/s over 10 chats", Limits{Global: 30}, 10_000, mix{chats: 10}, time.Minute, 0, 10 * 62 / 60.0},
		{"30/s over 10 chats, adjacent", Limits{Global: 30}, 10_000, mix{chats: 10, adjacent: true}, time.Minute, 0, 10 * 62 / 60.0},
		{"30/s over 10 groups", Limits{Global: 30}, 10_000, mix{chats: 10, groupShare: 1}, 2 * time.Minute, 0, 10 * 40 / 120.0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSim(tt.lim)
			rng := rand.New(rand.NewPCG(1, 2))
			if tt.late > 0 {
				s.late = func() time.Duration { return time.Duration(rng.Int64N(int64(tt.late))) }
			}
			groups := int(float64(tt.mix.chats) * tt.mix.groupShare)
			for i := range tt.items {
				c := i % tt.mix.chats
				if tt.mix.adjacent {
					c = i / (tt.items / tt.mix.chats)
				}
				it := Item{Chat: int64(100_000 + c), Kind: Private, Class: Bulk}
				if c < groups {
					it.Chat = -1001_000_000_000 - int64(c)
					it.Kind = []ChatKind{Group, Channel}[c%2]
				}
				s.add(it)
			}
			s.run(t, t0.Add(tt.run))

			global := s.p.Limits().Global
			all := s.times(nil)
			if n := maxIn(all, time.Second); n > global {
				t.Errorf("%d sends in one second, limit %d", n, global)
			}
			checkChats(t, s.log, tt.lim)
			achieved := float64(countIn(all, t0, t0.Add(tt.run))) / tt.run.Seconds()
			ratio := achieved / tt.expect
			t.Logf("achieved %.2f/s of %.2f/s allowed: %.4f", achieved, tt.expect, ratio)
			if ratio < 0.95 || ratio > 1.0001 {
				t.Errorf("achieved/allowed = %.4f, want 0.95..1", ratio)
			}
		})
	}
}

// TestSimulatedPriority queues a 100,000-chat digest and checks messages of higher classes
// jump it: an alert waits about one send interval, not behind the digest, and the digest
// keeps the full rate when nothing else is waiting.
func TestSimulatedPriority(t *testing.T) {
	tests := []struct {
		name       string
		global     int
		alertChat  int64 // 0: a chat with nothing else queued
		maxLatency time.Duration
	}{
		{"30/s, fresh chat", 30, 0, 2 * time.Second / 30},
		{"200/s, fresh chat", 200, 0, 2 * time.Second / 200},
		{"1000/s, fresh chat", 1000, 0, 2 * time.Second / 1000},
		// The alert's chat has just received a burst: its own pace, not the digest, is what it
		// waits for.
		{"30/s, chat just had a burst", 30, -1, time.Second + 2*time.Second/30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSim(Limits{Global: tt.global})
			for i := range 100_000 {
				s.add(Item{Chat: int64(1_000_000 + i), Kind: Private, Class: Bulk})
			}
			s.run(t, t0.Add(10*time.Second))
			bulk := countIn(s.times(nil), t0, t0.Add(10*time.Second))
			if want := float64(tt.global) * 10 * 0.95; float64(bulk) < want {
				t.Errorf("digest alone: %d sends in 10 s, want at least %.0f", bulk, want)
			}

			chat := tt.alertChat
			if chat == 0 {
				chat = 42
			}
			start := t0.Add(10*time.Second + 7*time.Millisecond)
			if chat == -1 {
				// Three command replies to the chat go first and spend its burst: the alert
				// waits for the chat's pace, and the digest goes on meanwhile.
				chat = 43
				for range 3 {
					s.addAt(start, Item{Chat: chat, Kind: Private, Class: Reply})
				}
			}
			s.addAt(start, Item{Chat: chat, Kind: Private, Class: Alert})
			alerts := []time.Time{start}
			// A steady trickle of alerts to other chats while the digest runs.
			for i := 1; i <= 40; i++ {
				at := start.Add(time.Duration(i) * 250 * time.Millisecond)
				s.addAt(at, Item{Chat: int64(500 + i), Kind: Private, Class: Alert})
				alerts = append(alerts, at)
			}
			n := len(s.log)
			s.run(t, t0.Add(25*time.Second))

			var worst time.Duration
			got := 0
			for _, r := range s.log[n:] {
				if r.item.Class == Alert {
					if r.item.Chat == chat {
						t.Logf("the alert to chat %d waited %v", chat, r.at.Sub(r.item.Enqueued))
					}
					worst = max(worst, r.at.Sub(r.item.Enqueued))
					got++
				}
			}
			if got != len(alerts) {
				t.Fatalf("%d alerts sent, want %d", got, len(alerts))
			}
			t.Logf("worst alert latency behind the digest: %v (limit %v)", worst, tt.maxLatency)
			if worst > tt.maxLatency {
				t.Errorf("an alert waited %v, want at most %v", worst, tt.maxLatency)
			}
			all := s.times(nil)
			if m := maxIn(all, time.Second); m > tt.global {
				t.Errorf("%d sends in one second, limit %d", m, tt.global)
			}
			// Alerts take slots from the digest, not on top of it.
			if total := countIn(all, t0.Add(11*time.Second), t0.Add(21*time.Second)); float64(total) < float64(tt.global)*10*0.95 {
				t.Errorf("%d sends in 10 s with alerts, want the full rate", total)
			}
			checkChats(t, s.log, Limits{Global: tt.global})
		})
	}
}

// TestSimulatedPaidBulk checks paid broadcasts lift the bulk rate to PaidBulk while every
// other send stays within Global, and that without PaidBulk the Paid flag changes nothing.
func TestSimulatedPaidBulk(t *testing.T) {
	tests := []struct {
		name     string
		lim      Limits
		paidBulk float64 // bulk sends per second expected
	}{
		{"paid on", Limits{Global: 30, PaidBulk: 1000}, 1000 - 20},
		{"paid off", Limits{Global: 30}, 30 - 20},
		{"paid raised to global", Limits{Global: 30, PaidBulk: 10}, 30 - 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSim(tt.lim)
			for i := range 30_000 {
				s.add(Item{Chat: int64(1_000_000 + i), Kind: Private, Class: Bulk, Paid: true})
			}
			// Twenty alerts a second to other chats, unpaid.
			var alerts []time.Time
			for i := range 200 {
				at := t0.Add(time.Duration(i) * 50 * time.Millisecond)
				s.addAt(at, Item{Chat: int64(7_000 + i), Kind: Private, Class: Alert, Paid: true})
				alerts = append(alerts, at)
			}
			s.run(t, t0.Add(11*time.Second)) // a second more for the last alerts

			lim := s.p.Limits()
			isPaid := func(it Item) bool { return it.Paid && it.Class == Bulk && lim.PaidBulk > 0 }
			all := s.times(nil)
			unpaid := s.times(func(it Item) bool { return !isPaid(it) })
			if n := maxIn(unpaid, time.Second); n > lim.Global {
				t.Errorf("%d unpaid sends in one second, limit %d", n, lim.Global)
			}
			if total := max(lim.PaidBulk, lim.Global); maxIn(all, time.Second) > total {
				t.Errorf("%d sends in one second, limit %d", maxIn(all, time.Second), total)
			}
			bulk := float64(countIn(s.times(func(it Item) bool { return it.Class == Bulk }), t0, t0.Add(10*time.Second))) / 10
			ratio := bulk / tt.paidBulk
			t.Logf("bulk %.1f/s of %.1f/s left by the alerts: %.4f", bulk, tt.paidBulk, ratio)
			if ratio < 0.95 || ratio > 1.02 {
				t.Errorf("bulk/expected = %.4f, want 0.95..1", ratio)
			}
			if got := len(s.times(func(it Item) bool { return it.Class == Alert })); got != len(alerts) {
				t.Errorf("%d alerts sent, want %d", got, len(alerts))
			}
			checkChats(t, s.log, tt.lim)
		})
	}
}

func TestMaxIn(t *testing.T) {
	ms := func(v ...int) []time.Time {
		var ts []time.Time
		for _, x := range v {
			ts = append(ts, t0.Add(time.Duration(x)*time.Millisecond))
		}
		return ts
	}
	tests := []struct {
		ts   []time.Time
		want int
	}{
		{nil, 0},
		{ms(0), 1},
		{ms(0, 0, 0), 3},
		{ms(0, 999), 2},
		{ms(0, 1000), 1},
		{ms(0, 500, 1000, 1499), 3},
	}
	for _, tt := range tests {
		if got := maxIn(tt.ts, time.Second); got != tt.want {
			t.Errorf("maxIn(%v) = %d, want %d", tt.ts, got, tt.want)
		}
	}
}
