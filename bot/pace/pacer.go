package pace

import (
	"sync"
	"time"
)

// Pacer decides which message may be sent now under Telegram's limits. It is safe for
// concurrent use; see the package documentation for the protocol a dispatcher follows.
type Pacer struct {
	now      func() time.Time
	epoch    time.Time
	lim      Limits
	chatPace gcra

	mu        sync.Mutex
	free      *budget // unpaid sends
	paid      *budget // every send, while paid Bulk is on; nil when it is off
	pausedAll time.Duration
	chats     map[int64]chatState
	peak      int     // the largest len(chats) since the map was last rebuilt
	floods    []flood // recent 429s of distinct chats, fewer than floodChats
	nextSweep time.Duration
}

// flood is a chat's recent 429.
type flood struct {
	chat      int64
	at, until time.Duration
}

// A global flood shows as 429s for several chats at once: this many distinct chats within
// floodSpan pause every chat.
const (
	floodChats = 3
	floodSpan  = time.Second
)

// New returns a Pacer keeping to l (zero fields take their defaults, see Limits) and reading
// the time from now; a nil now means time.Now.
func New(l Limits, now func() time.Time) *Pacer {
	if now == nil {
		now = time.Now
	}
	l = l.withDefaults()
	p := &Pacer{
		now:       now,
		epoch:     now(),
		lim:       l,
		chatPace:  newGCRA(interval(time.Second, l.ChatPerSecond), l.ChatBurst),
		free:      newBudget(l.Global),
		pausedAll: never,
		chats:     make(map[int64]chatState),
		nextSweep: sweepEvery,
	}
	if l.PaidBulk > 0 {
		p.paid = newBudget(l.PaidBulk)
	}
	return p
}

// Limits returns the limits p keeps to, with defaults filled in.
func (p *Pacer) Limits() Limits { return p.lim }

// Next returns the candidate to send now, or ok false and how long until one of the candidates
// could go (zero when there are none). It chooses among those that every limit and pause allows
// now the one of the highest class, then the oldest, then the lowest ID.
//
// Next spends nothing: call Sent when the message goes, and use Take instead when more than one
// goroutine chooses messages.
func (p *Pacer) Next(candidates []Item) (pick Item, ok bool, wait time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	i, wait := p.pick(p.clock(), candidates)
	if i < 0 {
		return Item{}, false, wait
	}
	return candidates[i], true, 0
}

// Take is Next and Sent at once: the chosen message's budget is spent before the lock is
// released, so concurrent callers never overspend it. The caller must send the message it
// returns now, or waste that slot.
func (p *Pacer) Take(candidates []Item) (pick Item, ok bool, wait time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock()
	i, wait := p.pick(now, candidates)
	if i < 0 {
		return Item{}, false, wait
	}
	p.record(now, &candidates[i])
	return candidates[i], true, 0
}

// Sent records that it was sent (or its request started) now, spending its share of the
// global, per-chat and per-group limits. Call it right after Next chose it. A send Next did
// not allow is recorded all the same, so later decisions account for it, but it may itself
// have broken a limit: a message sent outside the dispatcher (a command reply sent directly)
// should instead loop on Take with that one candidate, sleeping for the wait.
func (p *Pacer) Sent(it Item) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.record(p.clock(), &it)
}

// Throttled records a 429 from Telegram: chat may receive nothing for d; chat 0 pauses every
// chat. A d of zero or less counts as one second, since Telegram has just refused a send.
// The third distinct chat throttled within a second also pauses every chat, until the
// earliest of those chats' pauses ends.
func (p *Pacer) Throttled(chat int64, d time.Duration) {
	if d <= 0 {
		d = time.Second
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock()
	until := after(now, d)
	if chat == 0 {
		p.pausedAll = max(p.pausedAll, until)
		return
	}
	st, ok := p.chats[chat]
	if !ok {
		st = newChat()
	}
	st.paused = max(st.paused, until)
	p.store(chat, st)

	kept := p.floods[:0]
	for _, f := range p.floods {
		if f.chat != chat && now-f.at < floodSpan {
			kept = append(kept, f)
		}
	}
	p.floods = append(kept, flood{chat: chat, at: now, until: until})
	if len(p.floods) >= floodChats {
		end := until
		for _, f := range p.floods {
			end = min(end, f.until)
		}
		p.pausedAll = max(p.pausedAll, end)
		p.floods = p.floods[:0]
	}
}

// ChatReadyAt returns the earliest time, not before now, at which chat may receive its next
// message under its own limits and its own 429 pause. The global rate and a global pause are
// not included: they change with every send, and Next accounts for them.
func (p *Pacer) ChatReadyAt(chat int64) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	at := p.clock()
	if st, ok := p.chats[chat]; ok {
		at = max(at, p.chatReadyAt(&st))
	}
	return p.epoch.Add(at)
}

// clock returns the current offset from the epoch, forgetting idle chats when a sweep is due.
func (p *Pacer) clock() time.Duration {
	now := p.now().Sub(p.epoch)
	if now >= p.nextSweep {
		p.sweep(now)
		p.nextSweep = after(now, sweepEvery)
	}
	return now
}

// paidItem reports whether it is paced as a paid broadcast.
func (p *Pacer) paidItem(it *Item) bool {
	return it.Paid && p.paid != nil && it.Class.norm() == Bulk
}

// pick returns the index of the candidate to send now, or -1 and the wait until the earliest
// could go.
func (p *Pacer) pick(now time.Duration, candidates []Item) (int, time.Duration) {
	if len(candidates) == 0 {
		return -1, 0
	}
	freeAt := max(p.free.readyAt(), p.pausedAll)
	paidAt := freeAt
	if p.paid != nil {
		paidAt = max(p.paid.readyAt(), p.pausedAll)
		freeAt = max(freeAt, paidAt) // unpaid sends count against the paid total too
	}
	best, earliest := -1, forever
	for i := range candidates {
		c := &candidates[i]
		if best >= 0 && !before(c, &candidates[best]) {
			continue // cannot beat the one already chosen, so its wait does not matter
		}
		at := freeAt
		if p.paidItem(c) {
			at = paidAt
		}
		if st, ok := p.chats[c.Chat]; ok {
			at = max(at, p.chatReadyAt(&st))
		}
		if at <= now {
			best = i
		} else {
			earliest = min(earliest, at)
		}
	}
	if best >= 0 {
		return best, 0
	}
	return -1, earliest - now
}

// record spends its share of every limit at now.
func (p *Pacer) record(now time.Duration, it *Item) {
	if p.paidItem(it) {
		p.paid.record(now)
	} else {
		p.free.record(now)
		if p.paid != nil {
			p.paid.record(now)
		}
	}
	st, ok := p.chats[it.Chat]
	if !ok {
		st = newChat()
	}
	st.tat = p.chatPace.advance(st.tat, now)
	if it.Kind != Private {
		if st.recent.sends == nil {
			st.recent = newWindow(p.lim.GroupPerMinute)
		}
		st.recent.record(now)
	}
	p.store(it.Chat, st)
}

func (p *Pacer) store(chat int64, st chatState) {
	p.chats[chat] = st
	p.peak = max(p.peak, len(p.chats))
}
