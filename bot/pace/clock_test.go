package pace

import (
	"sync"
	"time"
)

// t0 is the fake clock's start: 06:00 in Almaty, when the morning digest goes out.
var t0 = time.Date(2026, 3, 2, 6, 0, 0, 0, time.FixedZone("ALMT", 5*3600))

// fakeClock is a clock that moves only when told to.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *fakeClock { return &fakeClock{now: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t, never backwards.
func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	if t.After(c.now) {
		c.now = t
	}
	c.mu.Unlock()
}

// since is the offset of t from t0, for readable assertions.
func since(t time.Time) time.Duration { return t.Sub(t0) }
