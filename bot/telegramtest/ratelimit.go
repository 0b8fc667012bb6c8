package telegramtest

import (
	"math"
	"time"
)

// limiter is the optional flood control of Options: sliding windows over successful sends.
type limiter struct {
	global, perChat, perGroup int
	all                       []time.Time
	chat                      map[int64][]time.Time
	group                     map[int64][]time.Time
}

func newLimiter(o Options) limiter {
	return limiter{
		global: o.GlobalPerSecond, perChat: o.PerChatPerSecond, perGroup: o.GroupPerMinute,
		chat: make(map[int64][]time.Time), group: make(map[int64][]time.Time),
	}
}

// windowWait prunes times to the window ending at now and returns how long until one more send
// fits under limit, 0 if it fits now.
func windowWait(times *[]time.Time, now time.Time, window time.Duration, limit int) time.Duration {
	t := *times
	i := 0
	for i < len(t) && !t[i].Add(window).After(now) {
		i++
	}
	t = t[i:]
	*times = t
	if len(t) < limit {
		return 0
	}
	return t[len(t)-limit].Add(window).Sub(now)
}

// check reports whether a send to chat now exceeds a limit, and the retry_after to answer:
// the whole seconds until every exceeded window has room again, at least 1.
func (l *limiter) check(now time.Time, chat int64, isGroup bool) (retryAfter int, limited bool) {
	var wait time.Duration
	if l.global > 0 {
		wait = max(wait, windowWait(&l.all, now, time.Second, l.global))
	}
	if l.perChat > 0 {
		t := l.chat[chat]
		wait = max(wait, windowWait(&t, now, time.Second, l.perChat))
		l.chat[chat] = t
	}
	if l.perGroup > 0 && isGroup {
		t := l.group[chat]
		wait = max(wait, windowWait(&t, now, time.Minute, l.perGroup))
		l.group[chat] = t
	}
	if wait <= 0 {
		return 0, false
	}
	return max(int(math.Ceil(wait.Seconds())), 1), true
}

// commit counts a successful send in the windows that are on.
func (l *limiter) commit(now time.Time, chat int64, isGroup bool) {
	if l.global > 0 {
		l.all = append(l.all, now)
	}
	if l.perChat > 0 {
		l.chat[chat] = append(l.chat[chat], now)
	}
	if l.perGroup > 0 && isGroup {
		l.group[chat] = append(l.group[chat], now)
	}
}

// sendRecord is one successful send, for Stats.
type sendRecord struct {
	at    time.Time
	chat  int64
	group bool
}

// counters are what Stats reports, kept under Server.mu.
type counters struct {
	sends    []sendRecord
	limited  int
	injected int
}

// Stats describes the sends the server answered. A send is a call of sendMessage, any other
// send* method except sendChatAction, forwardMessage(s) or copyMessage(s); edits, deletions and
// chat actions are not sends. Windows are sliding and half-open, on the server's wall clock at
// the moment it answered.
type Stats struct {
	// Sends counts sends answered ok.
	Sends int
	// RateLimited counts 429s answered by the limits in Options.
	RateLimited int
	// Injected counts answers that came from Fail rules.
	Injected int
	// MaxPerSecond is the most ok sends, all chats together, within any one-second window:
	// compare it with a configured ceiling such as telegram.rate_limit.
	MaxPerSecond int
	// MaxChatPerSecond is the most ok sends to a single chat within any one-second window.
	MaxChatPerSecond int
	// MaxGroupPerMinute is the most ok sends to a single group or supergroup within any
	// 60-second window.
	MaxGroupPerMinute int
	// PerSecond[i] is the number of ok sends in the i-th whole second after the first one.
	PerSecond []int
}

// Stats returns the counters since the server started or since ResetStats.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	sends := append([]sendRecord(nil), s.stats.sends...)
	st := Stats{Sends: len(sends), RateLimited: s.stats.limited, Injected: s.stats.injected}
	s.mu.Unlock()
	if len(sends) == 0 {
		return st
	}
	all := make([]time.Time, len(sends))
	byChat := make(map[int64][]time.Time)
	for i, r := range sends {
		all[i] = r.at
		byChat[r.chat] = append(byChat[r.chat], r.at)
	}
	st.MaxPerSecond = maxInWindow(all, time.Second)
	for chat, times := range byChat {
		st.MaxChatPerSecond = max(st.MaxChatPerSecond, maxInWindow(times, time.Second))
		if isGroupSend(sends, chat) {
			st.MaxGroupPerMinute = max(st.MaxGroupPerMinute, maxInWindow(times, time.Minute))
		}
	}
	first := all[0]
	for _, at := range all {
		i := int(at.Sub(first) / time.Second)
		for len(st.PerSecond) <= i {
			st.PerSecond = append(st.PerSecond, 0)
		}
		st.PerSecond[i]++
	}
	return st
}

func isGroupSend(sends []sendRecord, chat int64) bool {
	for _, r := range sends {
		if r.chat == chat {
			return r.group
		}
	}
	return false
}

// maxInWindow is the most of the non-decreasing times within any window [t, t+w).
func maxInWindow(times []time.Time, w time.Duration) int {
	best, lo := 0, 0
	for hi := range times {
		for times[lo].Add(w).Compare(times[hi]) <= 0 {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

// ResetStats zeroes the counters Stats reports, e.g. between benchmark rounds. The rate
// limiter's windows are not reset.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = counters{}
}
