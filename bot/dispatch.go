package bot

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"newsbot/bot/pace"
	"newsbot/digest"
	"newsbot/subscriptions"
)

// The delivery engine drains the outbox (subscriptions): every push, alert, digest and
// broadcast message is written there in the same transaction as the decision to send it. The
// dispatcher picks what may go now under Telegram's limits (bot/pace: the global rate, a
// private chat's second, a group's minute, 429 pauses, priorities), claims it in SQLite, and a
// worker sends it and records the outcome. A chat's messages go one at a time and in order;
// different chats' in parallel. Pushes queued for one chat are sent as one bundle.
//
// Crash safety: a message is marked 'sending' before the Telegram call and 'sent' after. A crash
// between Telegram's answer and that commit leaves it 'sending'; at the next start it is queued
// again and sent a second time. That is the only duplicate window: at most one duplicate per
// message in flight (at most dispatchWorkers at once; paidWorkers with paid broadcasts).

// dispatchWorkers is how many sends are in flight at once. Telegram answers in ~50-300 ms, so
// 16 keep a free 30/s limit busy with room to spare. Paid broadcasts go at up to 960/s, which
// takes rate × round trip in flight (96 at 100 ms): paidWorkers keep it busy up to ~130 ms.
// Each is also the most messages a crash can duplicate (see above).
const (
	dispatchWorkers = 16
	paidWorkers     = 128
)

// maxBundle bounds how many queued pushes for one chat go out together.
const maxBundle = 20

// headBatch is how many chats' next messages the dispatcher considers at once.
const headBatch = 500

// maxAge is how long a message keeps being retried through server errors and outages before it
// is failed: news a day old is not worth sending.
const maxAge = 24 * time.Hour

type dispatcher struct {
	b     *Bot
	pacer *pace.Pacer
	paid  bool // bulk messages go as paid broadcasts
	wake  chan struct{}
	slots chan struct{}
	sends sync.WaitGroup

	// outcomes counts every try since start, by outcome (Delivered, Throttled, …).
	outcomes [Halted + 1]atomic.Int64
}

// DeliveryStats is the state of the delivery engine, for /stats and metrics.
type DeliveryStats struct {
	subscriptions.OutboxStats
	// Tries since start by outcome: delivered, throttled (429), transient (5xx, network),
	// gone (blocked, not found), migrated, refused.
	Tries map[string]int64
}

// DeliveryStats reports the outbox (now, and what finished since since) and the outcomes of
// every send tried since start.
func (b *Bot) DeliveryStats(ctx context.Context, since time.Time) (DeliveryStats, error) {
	st, err := b.subs.OutboxStats(ctx, since)
	if err != nil {
		return DeliveryStats{}, err
	}
	out := DeliveryStats{OutboxStats: st, Tries: map[string]int64{}}
	for o := Delivered; o <= Halted; o++ {
		out.Tries[o.String()] = b.dispatch.outcomes[o].Load()
	}
	return out, nil
}

func newDispatcher(b *Bot, p *pace.Pacer, paid bool) *dispatcher {
	workers := dispatchWorkers
	if paid {
		workers = paidWorkers
	}
	return &dispatcher{b: b, pacer: p, paid: paid, wake: make(chan struct{}, 1), slots: make(chan struct{}, workers)}
}

// poke tells the dispatcher there may be new work.
func (d *dispatcher) poke() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// run dispatches until ctx ends, then waits for the sends in flight, which run on stop (a
// context that ends later, at the end of the shutdown grace period).
func (d *dispatcher) run(ctx, stop context.Context) {
	defer d.sends.Wait()
	// Messages left in flight by the last stop must be queued again before anything is
	// dispatched: their chats would stay blocked otherwise.
	for {
		n, err := d.b.subs.RecoverSending(ctx)
		if err == nil {
			if n > 0 {
				d.b.log.Warn("bot: messages in flight at the last stop are sent again; some may arrive twice", slog.Int64("messages", n))
			}
			break
		}
		d.b.log.Error("bot: recover outbox, retrying", slog.String("error", err.Error()))
		if sleep(ctx, time.Second) != nil {
			return
		}
	}
	for ctx.Err() == nil {
		wait := d.round(ctx, stop)
		if wait <= 0 {
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-d.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// round sends what may go now and returns how long to wait before the next round (0: go on).
func (d *dispatcher) round(ctx, stop context.Context) time.Duration {
	read := d.b.subs.Now() // Heads' view of what is due
	heads, err := d.b.subs.Heads(ctx, headBatch)
	if err != nil {
		if ctx.Err() == nil {
			d.b.log.Error("bot: read outbox", slog.String("error", err.Error()))
		}
		return time.Second
	}
	if len(heads) == 0 {
		due, err := d.b.subs.NextDue(ctx, read)
		if err != nil || due.IsZero() {
			return time.Minute // until poked
		}
		return max(time.Until(due), 10*time.Millisecond)
	}
	byID := make(map[int64]subscriptions.Outgoing, len(heads))
	items := make([]pace.Item, 0, len(heads))
	for _, h := range heads {
		byID[h.ID] = h
		it := paceItem(h)
		it.Paid = d.paid && it.Class == pace.Bulk
		items = append(items, it)
	}
	refreshed := time.Now()
	pending := false // woken since refreshed: read the outbox again once refreshAfter has passed
	for len(items) > 0 && ctx.Err() == nil {
		if !pending {
			select {
			case <-d.wake:
				pending = true
			default:
			}
		}
		if pending && time.Since(refreshed) >= refreshAfter {
			return 0
		}
		// A worker first, so that no more is claimed than can be sent at once.
		select {
		case d.slots <- struct{}{}:
		case <-ctx.Done():
			return 0
		}
		pick, ok, wait := d.pacer.Next(items)
		if !ok {
			<-d.slots
			// Wait with the candidates in hand rather than reading the outbox again for every
			// send: it is read again once woken (new messages, a chat's send done) and the list
			// is refreshAfter old, and at least every second. A wake-up is remembered, not lost.
			age := time.Since(refreshed)
			limit := time.Second - age
			if pending {
				limit = refreshAfter - age
			}
			if d.sleep(ctx, min(max(wait, time.Millisecond), max(limit, time.Millisecond))) {
				pending = true
			}
			if age = time.Since(refreshed); age >= time.Second || (pending && age >= refreshAfter) {
				return 0
			}
			continue
		}
		items = removeItem(items, pick.ID)
		claimed, err := d.b.subs.Claim(ctx, byID[pick.ID], maxBundle)
		if err != nil || len(claimed) == 0 {
			<-d.slots
			if err != nil {
				if ctx.Err() == nil {
					d.b.log.Error("bot: claim outbox message", slog.String("error", err.Error()))
				}
				return time.Second
			}
			continue
		}
		d.sends.Add(1)
		go func() {
			// The chat's next message, held back while this one was in flight, may go now.
			defer func() { <-d.slots; d.sends.Done(); d.poke() }()
			d.send(ctx, stop, claimed, pick)
		}()
	}
	return 0
}

// refreshAfter is how stale the candidates may get before a wake-up makes the dispatcher read
// the outbox again: new alerts wait at most about this long for their turn to be considered.
const refreshAfter = 100 * time.Millisecond

// sleep waits d, or until woken (true) or ctx ends.
func (d *dispatcher) sleep(ctx context.Context, dur time.Duration) bool {
	t := time.NewTimer(dur)
	defer t.Stop()
	select {
	case <-d.wake:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}

func paceItem(m subscriptions.Outgoing) pace.Item {
	kind := pace.Private
	switch m.ChatType {
	case subscriptions.TypeGroup, subscriptions.TypeSupergroup:
		kind = pace.Group
	case subscriptions.TypeChannel:
		kind = pace.Channel
	}
	return pace.Item{ID: m.ID, Chat: m.ChatID, Kind: kind, Class: paceClass(m.Class), Enqueued: m.Created}
}

// paceClass maps an outbox priority to the pacer's.
func paceClass(c subscriptions.Class) pace.Class {
	switch c {
	case subscriptions.ClassReply:
		return pace.Reply
	case subscriptions.ClassAlert:
		return pace.Alert
	case subscriptions.ClassPush:
		return pace.Push
	}
	return pace.Bulk
}

// turn waits until it may send one more message of class to chat, and takes that turn.
func (d *dispatcher) turn(ctx context.Context, chat int64, class pace.Class) error {
	kind := pace.Private
	if chat < 0 {
		kind = pace.Group // groups, supergroups and channels: the stricter pace
	}
	return d.turnFor(ctx, pace.Item{ID: -1, Chat: chat, Kind: kind, Class: class, Enqueued: time.Now()})
}

// turnFor waits until it may send it, and takes that turn. Every request that sends a message
// takes one right before it leaves — not when the message was picked or prepared — so that the
// pacer's clock reads when sends really go and they cannot bunch past the limit.
func (d *dispatcher) turnFor(ctx context.Context, it pace.Item) error {
	for {
		_, ok, wait := d.pacer.Take([]pace.Item{it})
		if ok {
			return nil
		}
		if err := sleep(ctx, max(wait, time.Millisecond)); err != nil {
			return err
		}
	}
}

func removeItem(items []pace.Item, id int64) []pace.Item {
	for i, it := range items {
		if it.ID == id {
			return append(items[:i], items[i+1:]...)
		}
	}
	return items
}

// send sends claimed messages of one chat (a bundle of pushes, or one text) and records what
// came of it; it is the pacer's view of them. Every path records an outcome for every claimed
// row: a row left 'sending' would hold back its chat until the next start. Turns are taken on
// ctx (dispatching stops with it); the request and its record run on stop, which outlives ctx
// by the shutdown grace period.
func (d *dispatcher) send(ctx, stop context.Context, claimed []subscriptions.Outgoing, it pace.Item) {
	b := d.b
	chatID := claimed[0].ChatID
	chat, err := b.subs.Chat(stop, chatID)
	if errors.Is(err, subscriptions.ErrNoChat) {
		// /stop meanwhile took the rows with it; or the group moved to a new id, and the rows
		// with it: queue them again there.
		d.requeue(stop, claimed, time.Now(), "chat moved or forgotten while sending")
		return
	}
	if err != nil {
		d.requeue(stop, claimed, time.Now().Add(time.Second), err.Error())
		return
	}
	if !chat.Active {
		if err := b.subs.Dropped(stop, idsOf(claimed), "chat inactive: "+chat.InactiveReason); err != nil {
			b.log.Error("bot: record outbox outcome", slog.Int64("chat_id", chatID), slog.String("error", err.Error()))
		}
		return
	}
	parts := d.render(stop, chat, claimed)
	for i, p := range parts {
		if err := d.turnFor(ctx, it); err != nil {
			// Shutting down before this part left: queue it and the rest for the next start.
			var rest []int64
			for _, q := range parts[i:] {
				rest = append(rest, q.ids...)
			}
			if err := b.subs.Requeue(stop, rest, time.Now(), "shutting down"); err != nil {
				b.log.Error("bot: requeue outbox messages", slog.String("error", err.Error()))
			}
			return
		}
		ctx := stop
		paid := d.paid && paceClass(claimed[0].Class) == pace.Bulk
		a := b.sender.Try(ctx, Message{ChatID: chatID, Text: p.text, Preview: p.preview, Paid: paid})
		d.outcomes[a.Outcome].Add(1)
		d.observe(p, a.Outcome)
		retryAt, ok := d.record(ctx, chat, p.ids, a)
		if ok {
			continue
		}
		// The rest of a bundle waits with the part that could not go (unless the chat is
		// gone, which dropped them all, or shutdown left them in flight).
		var rest []int64
		for _, q := range parts[i+1:] {
			rest = append(rest, q.ids...)
		}
		if len(rest) > 0 && !retryAt.IsZero() {
			if err := b.subs.Requeue(ctx, rest, retryAt, "waiting with the rest of its bundle"); err != nil {
				b.log.Error("bot: requeue outbox messages", slog.String("error", err.Error()))
			}
		}
		return
	}
}

// part is one message of a send, and the outbox rows it carries.
type part struct {
	text    string
	preview bool
	ids     []int64
	kind    string      // the rows' kind (a bundle's rows are all pushes)
	stories []time.Time // when each story it carries was published, for the delivery delay
}

// observe reports one try at sending p to the metrics: the send, and once Telegram accepted
// it, how long after publication each of its stories arrived.
func (d *dispatcher) observe(p part, o Outcome) {
	m := d.b.metrics()
	m.Sent(p.kind, o)
	if o != Delivered {
		return
	}
	now := d.b.now()
	for _, published := range p.stories {
		m.Delivered(p.kind, max(now.Sub(published), 0))
	}
}

// publishedAt is when st was published, or first seen when its feed gave no date.
func publishedAt(st digest.Story) time.Time {
	if st.Published.IsZero() {
		return st.FirstSeen
	}
	return st.Published
}

// render turns claimed messages into Telegram messages: a text as it is; pushes as one story with
// its link preview, or several bundled under a header and split at story boundaries.
func (d *dispatcher) render(ctx context.Context, chat subscriptions.Chat, claimed []subscriptions.Outgoing) []part {
	b := d.b
	var texts []part
	var stories []digest.Story
	var storyRows []int64
	var storyKinds []string
	for _, m := range claimed {
		if m.StoryID == 0 {
			texts = append(texts, part{text: m.Text, ids: []int64{m.ID}, kind: m.Kind})
			continue
		}
		st, err := b.stories.Story(ctx, m.StoryID)
		if errors.Is(err, sql.ErrNoRows) {
			b.log.Warn("bot: story of a queued push is gone", slog.Int64("story_id", m.StoryID))
			if err := b.subs.Failed(ctx, []int64{m.ID}, "story not found"); err != nil {
				b.log.Error("bot: record outbox failure", slog.String("error", err.Error()))
			}
			continue
		}
		if err != nil {
			if err := b.subs.Requeue(ctx, []int64{m.ID}, time.Now().Add(time.Second), err.Error()); err != nil {
				b.log.Error("bot: requeue outbox message", slog.String("error", err.Error()))
			}
			continue
		}
		stories = append(stories, st)
		storyRows = append(storyRows, m.ID)
		storyKinds = append(storyKinds, m.Kind)
	}
	if len(stories) == 0 {
		return texts
	}
	lang := b.language(chat)
	blocks := b.renderBlocks(chat, lang, stories)
	if len(claimed) == 1 && claimed[0].Kind == subscriptions.KindAlert {
		// An alert says which alert fired, then the story: 🔔 уран
		return append(texts, part{text: AlertLine(claimed[0].Text) + "\n" + blocks[0], preview: true, ids: storyRows,
			kind: subscriptions.KindAlert, stories: []time.Time{publishedAt(stories[0])}})
	}
	if len(blocks) == 1 {
		return append(texts, part{text: blocks[0], preview: true, ids: storyRows, kind: storyKinds[0],
			stories: []time.Time{publishedAt(stories[0])}})
	}
	header := b.texts.N(lang, textsBundleHeader, len(blocks), nil)
	for _, g := range BundleGroups(header, blocks) {
		p := part{text: g.Text}
		for _, i := range g.Blocks {
			p.ids = append(p.ids, storyRows[i])
			p.stories = append(p.stories, publishedAt(stories[i]))
			if p.kind == "" {
				p.kind = storyKinds[i]
			}
		}
		texts = append(texts, p)
	}
	return texts
}

// record stores the outcome of one part and reports whether the send may go on; when not, the
// time the rest of it may be tried again (zero: it may not).
func (d *dispatcher) record(ctx context.Context, chat subscriptions.Chat, ids []int64, a Attempt) (time.Time, bool) {
	b := d.b
	note := func(err error) {
		if err != nil && ctx.Err() == nil {
			b.log.Error("bot: record outbox outcome", slog.Int64("chat_id", chat.ID), slog.String("error", err.Error()))
		}
	}
	var retryAt time.Time
	switch a.Outcome {
	case Delivered:
		// Telegram has it: recording that must not fail lightly, or it is sent again.
		for try := 0; ; try++ {
			err := b.subs.Sent(ctx, ids, a.MessageID)
			if err == nil || try == 5 || sleep(ctx, time.Duration(50<<try)*time.Millisecond) != nil {
				note(err)
				break
			}
		}
		return time.Time{}, true
	case Throttled:
		b.log.Warn("telegram: flood control", slog.Int64("chat_id", chat.ID), slog.Duration("retry_after", a.RetryAfter))
		d.pacer.Throttled(chat.ID, a.RetryAfter)
		retryAt = time.Now().Add(a.RetryAfter)
		note(b.subs.Requeue(ctx, ids, retryAt, a.Err.Error()))
	case Transient:
		if ctx.Err() != nil {
			return time.Time{}, false // shutting down mid-send: left 'sending', sent again at the next start
		}
		tries, created := d.attempts(ctx, ids)
		if time.Since(created) > maxAge {
			b.log.Error("bot: giving up on a message a day old after server errors", slog.Int64("chat_id", chat.ID),
				slog.Int("attempts", tries), slog.String("error", a.Err.Error()))
			note(b.subs.Failed(ctx, ids, a.Err.Error()))
			return time.Now(), false
		}
		backoff := min(time.Second<<min(max(tries-1, 0), 6), time.Minute) // 1s, 2s, 4s … 1m
		b.log.Warn("telegram: send failed, will retry", slog.Int64("chat_id", chat.ID), slog.Int("attempts", tries),
			slog.Duration("retry_in", backoff), slog.String("error", a.Err.Error()))
		// Server and network errors are rarely one chat's: everything slows down with them.
		d.pacer.Throttled(0, min(backoff, 10*time.Second))
		retryAt = time.Now().Add(backoff)
		note(b.subs.Requeue(ctx, ids, retryAt, a.Err.Error()))
	case Gone:
		b.log.Info("telegram: chat gone", slog.Int64("chat_id", chat.ID), slog.String("reason", a.Err.Error()))
		// Deactivating drops the chat's whole queue, these messages included, with the reason.
		note(b.subs.SetActive(ctx, chat.ID, false, a.Reason))
		return time.Time{}, false
	case Migrated:
		b.log.Info("telegram: group migrated", slog.Int64("chat_id", chat.ID), slog.Int64("new_chat_id", a.MigrateTo))
		retryAt = time.Now()
		if err := b.subs.MoveChat(ctx, chat.ID, a.MigrateTo); err != nil && !errors.Is(err, subscriptions.ErrNoChat) {
			note(err)
			retryAt = time.Now().Add(10 * time.Second) // try the move again later, not in a loop
		} else {
			b.reindexChat(ctx, a.MigrateTo)
		}
		note(b.subs.Requeue(ctx, ids, retryAt, "group migrated to a supergroup"))
	case Halted:
		b.log.Error("bot: Telegram refuses the bot itself (token revoked? api_url wrong?); sending paused",
			slog.String("error", a.Err.Error()))
		d.pacer.Throttled(0, time.Minute)
		retryAt = time.Now().Add(time.Minute)
		note(b.subs.Requeue(ctx, ids, retryAt, a.Err.Error()))
	case Refused:
		b.log.Error("bot: Telegram refused a message", slog.Int64("chat_id", chat.ID), slog.String("error", a.Err.Error()))
		note(b.subs.Failed(ctx, ids, a.Err.Error()))
		retryAt = time.Now()
	}
	d.poke()
	return retryAt, false
}

func (d *dispatcher) attempts(ctx context.Context, ids []int64) (int, time.Time) {
	return d.b.subs.Attempts(ctx, ids)
}

func idsOf(ms []subscriptions.Outgoing) []int64 {
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}

func (d *dispatcher) requeue(ctx context.Context, ms []subscriptions.Outgoing, at time.Time, why string) {
	var ids []int64
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	if err := d.b.subs.Requeue(ctx, ids, at, why); err != nil {
		d.b.log.Error("bot: requeue outbox messages", slog.String("error", err.Error()))
	}
}
