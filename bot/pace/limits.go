package pace

import (
	"math"
	"time"
)

// Limits are the rates a Pacer keeps to. A zero or negative field takes its default, so
// Limits{Global: cfg.RateLimit} is a complete configuration.
type Limits struct {
	// Global is the most sends per second over all chats (telegram.rate_limit), at most
	// MaxRate. Default 30.
	Global int
	// PaidBulk is the most sends per second over all chats, paid and unpaid together, while
	// paid Bulk messages are being sent (telegram.allow_paid_broadcast); unpaid sends stay
	// within Global as well. 0 turns paid sending off. A value below Global is raised to
	// Global, and one above MaxRate lowered to it.
	PaidBulk int
	// ChatPerSecond is the sustained pace of one chat of any kind. Default 1; at least one
	// message per 1000 s and at most 1000 per second.
	ChatPerSecond float64
	// ChatBurst is how many messages one chat may receive back to back before ChatPerSecond
	// applies. Default 3, at most 1000.
	ChatBurst int
	// GroupPerMinute caps the messages to one group or channel in any 60-second window.
	// Default 20, at most 1000.
	GroupPerMinute int
}

// MaxRate is the highest global rate Telegram allows, with paid broadcasts.
const MaxRate = 1000

func (l Limits) withDefaults() Limits {
	if l.Global <= 0 {
		l.Global = 30
	}
	l.Global = min(l.Global, MaxRate)
	if l.PaidBulk < 0 {
		l.PaidBulk = 0
	}
	if l.PaidBulk > 0 {
		l.PaidBulk = min(max(l.PaidBulk, l.Global), MaxRate)
	}
	if !(l.ChatPerSecond > 0) { // also NaN
		l.ChatPerSecond = 1
	}
	l.ChatPerSecond = min(max(l.ChatPerSecond, 0.001), 1000)
	if l.ChatBurst <= 0 {
		l.ChatBurst = 3
	}
	l.ChatBurst = min(l.ChatBurst, 1000)
	if l.GroupPerMinute <= 0 {
		l.GroupPerMinute = 20
	}
	l.GroupPerMinute = min(l.GroupPerMinute, 1000)
	return l
}

// interval is the spacing of n events per period, rounded up so that n intervals are never
// shorter than the period.
func interval(period time.Duration, n float64) time.Duration {
	return time.Duration(math.Ceil(float64(period) / n))
}
