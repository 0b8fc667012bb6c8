package pace

import (
	"math"
	"time"
)

// Times inside a Pacer are offsets from its epoch (the clock reading at New). Offsets compare
// with the monotonic clock when the clock provides one, and take 8 bytes instead of 24.

// never is an offset before any clock reading, yet safe to add a minute to or subtract a
// tolerance from.
const never = time.Duration(math.MinInt64 / 2)

// forever is the latest offset; a pause that overflows ends there.
const forever = time.Duration(math.MaxInt64)

// after returns t+d, saturating at forever.
func after(t, d time.Duration) time.Duration {
	if d > 0 && t > forever-d {
		return forever
	}
	return t + d
}

// window is a hard cap of len(sends) events per span. It remembers the last len(sends) events
// and allows one more only once the oldest of them is a full span old; then any span-long
// window [a, a+span) holds at most len(sends) events, however they were bunched.
type window struct {
	sends []time.Duration // a ring; the oldest at next
	next  int
}

func newWindow(n int) window {
	s := make([]time.Duration, n)
	for i := range s {
		s[i] = never
	}
	return window{sends: s}
}

func (w *window) readyAt(span time.Duration) time.Duration { return w.sends[w.next] + span }

func (w *window) record(now time.Duration) {
	w.sends[w.next] = now
	if w.next++; w.next == len(w.sends) {
		w.next = 0
	}
}

func (w *window) newest() time.Duration {
	i := w.next - 1
	if i < 0 {
		i = len(w.sends) - 1
	}
	return w.sends[i]
}

// gcra spreads events at one per interval (the generic cell rate algorithm). Its state is a
// theoretical arrival time, tat: the moment the next event would be due at a steady pace. An
// event may go up to tolerance before its tat, which allows a burst of tolerance/interval+1
// events after a quiet spell and, just as important, lets a dispatcher that wakes a little late
// make up for it, so that lateness does not lower the long-run rate.
type gcra struct {
	interval, tolerance time.Duration
}

func newGCRA(interval time.Duration, burst int) gcra {
	return gcra{interval: interval, tolerance: time.Duration(burst-1) * interval}
}

func (g gcra) readyAt(tat time.Duration) time.Duration { return tat - g.tolerance }

func (g gcra) advance(tat, now time.Duration) time.Duration { return max(tat, now) + g.interval }

// budget is a global rate of n sends per second: the one-second window is the guarantee, the
// gcra spreads the sends over the second so that a message of a higher class never finds the
// whole second already spent on Bulk.
type budget struct {
	pace gcra
	tat  time.Duration
	win  window
}

// budgetSlack is how much dispatcher lateness a budget makes up for; it is also the longest
// burst the budget sends at once after a quiet spell.
const budgetSlack = 50 * time.Millisecond

func newBudget(n int) *budget {
	iv := interval(time.Second, float64(n))
	burst := max(2, int(budgetSlack/iv))
	return &budget{pace: newGCRA(iv, burst), tat: never, win: newWindow(n)}
}

func (b *budget) readyAt() time.Duration {
	return max(b.pace.readyAt(b.tat), b.win.readyAt(time.Second))
}

func (b *budget) record(now time.Duration) {
	b.tat = b.pace.advance(b.tat, now)
	b.win.record(now)
}
