package bot

import (
	"context"
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
// message in flight (at most dispatchWorkers at once).

// dispatchWorkers is how many sends are in flight at once. Telegram answers in ~50-300 ms, so
// this many keeps a 30/s (or a paid 1000/s) limit busy without hammering.
const dispatchWorkers = 16

// maxBundle bounds how many queued pushes for one chat go out together.
const maxBundle = 20

// headBatch is how many chats' next messages the dispatcher considers at once.
const headBatch = 500

// maxTransient is how many tries a message gets against server errors before it is failed.
const maxTransient = 8

type dispatcher struct {
	b     *Bot
	pacer *pace.Pacer
	paid  bool // bulk messages go as paid broadcasts
	wake  chan struct{}
	slots chan struct{}
	sends sync.WaitGroup

	// outcomes counts every try since start, by outcome (Delivered, Throttled, …).
	outcomes [Refused + 1]atomic.Int64
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
	for o := Delivered; o <= Refused; o++ {
		out.Tries[o.String()] = b.dispatch.outcomes[o].Load()
	}
	return out, nil
}

func newDispatcher(b *Bot, p *pace.Pacer) *dispatcher {
	return &dispatcher{b: b, pacer: p, wake: make(chan struct{}, 1), slots: make(chan struct{}, dispatchWorkers)}
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
	if n, err := d.b.subs.RecoverSending(ctx); err != nil {
		d.b.log.Error("bot: recover outbox", slog.String("error", err.Error()))
	} else if n > 0 {
		d.b.log.Warn("bot: messages in flight at the last stop are sent again; some may arrive twice", slog.Int64("messages", n))
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
	heads, err := d.b.subs.Heads(ctx, headBatch)
	if err != nil {
		if ctx.Err() == nil {
			d.b.log.Error("bot: read outbox", slog.String("error", err.Error()))
		}
		return time.Second
	}
	if len(heads) == 0 {
		due, err := d.b.subs.NextDue(ctx)
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
	for len(items) > 0 && ctx.Err() == nil {
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
			// send: it is read again when woken (new messages, a chat's send done) once the
			// list is a little stale, and at least every second.
			woken := d.sleep(ctx, max(wait, time.Millisecond))
			if age := time.Since(refreshed); (woken && age >= refreshAfter) || age >= time.Second {
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
			d.send(stop, claimed, pick)
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
// came of it. it is the pacer's view of them.
func (d *dispatcher) send(ctx context.Context, claimed []subscriptions.Outgoing, it pace.Item) {
	b := d.b
	chatID := claimed[0].ChatID
	chat, err := b.subs.Chat(ctx, chatID)
	if errors.Is(err, subscriptions.ErrNoChat) {
		return // /stop meanwhile: its outbox rows went with it
	}
	if err != nil {
		d.requeue(ctx, claimed, time.Now().Add(time.Second), err.Error())
		return
	}
	if !chat.Active {
		return // deactivation dropped its queue; nothing claimed may go
	}
	parts := d.render(ctx, chat, claimed)
	for i, p := range parts {
		if err := d.turnFor(ctx, it); err != nil {
			return // shutting down: left 'sending', sent again at the next start
		}
		paid := d.paid && paceClass(claimed[0].Class) == pace.Bulk
		a := b.sender.Try(ctx, Message{ChatID: chatID, Text: p.text, Preview: p.preview, Paid: paid})
		d.outcomes[a.Outcome].Add(1)
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
}

// render turns claimed messages into Telegram messages: a text as it is; pushes as one story with
// its link preview, or several bundled under a header and split at story boundaries.
func (d *dispatcher) render(ctx context.Context, chat subscriptions.Chat, claimed []subscriptions.Outgoing) []part {
	b := d.b
	var texts []part
	var stories []digest.Story
	var storyRows []int64
	for _, m := range claimed {
		if m.StoryID == 0 {
			texts = append(texts, part{text: m.Text, ids: []int64{m.ID}})
			continue
		}
		st, err := b.stories.Story(ctx, m.StoryID)
		if err != nil {
			b.log.Warn("bot: story of a queued push is gone", slog.Int64("story_id", m.StoryID), slog.String("error", err.Error()))
			if err := b.subs.Failed(ctx, []int64{m.ID}, "story not found"); err != nil {
				b.log.Error("bot: record outbox failure", slog.String("error", err.Error()))
			}
			continue
		}
		stories = append(stories, st)
		storyRows = append(storyRows, m.ID)
	}
	if len(stories) == 0 {
		return texts
	}
	lang := b.language(chat)
	blocks := b.renderBlocks(chat, lang, stories)
	if len(blocks) == 1 {
		return append(texts, part{text: blocks[0], preview: true, ids: storyRows})
	}
	header := b.texts.N(lang, textsBundleHeader, len(blocks), nil)
	for _, g := range BundleGroups(header, blocks) {
		p := part{text: g.Text}
		for _, i := range g.Blocks {
			p.ids = append(p.ids, storyRows[i])
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
		note(b.subs.Sent(ctx, ids, a.MessageID))
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
		tries := d.attempts(ctx, ids)
		if tries >= maxTransient {
			b.log.Error("bot: giving up on a message after repeated server errors", slog.Int64("chat_id", chat.ID),
				slog.Int("attempts", tries), slog.String("error", a.Err.Error()))
			note(b.subs.Failed(ctx, ids, a.Err.Error()))
			return time.Now(), false
		}
		backoff := min(time.Second<<min(max(tries-1, 0), 6), time.Minute) // 1s, 2s, 4s … 1m
		b.log.Warn("telegram: send failed, will retry", slog.Int64("chat_id", chat.ID), slog.Int("attempts", tries),
			slog.Duration("retry_in", backoff), slog.String("error", a.Err.Error()))
		retryAt = time.Now().Add(backoff)
		note(b.subs.Requeue(ctx, ids, retryAt, a.Err.Error()))
	case Gone:
		b.log.Info("telegram: chat gone", slog.Int64("chat_id", chat.ID), slog.String("reason", a.Err.Error()))
		// Deactivating drops the chat's whole queue, these messages included, with the reason.
		note(b.subs.SetActive(ctx, chat.ID, false, telegramReason(a.Err)))
		return time.Time{}, false
	case Migrated:
		b.log.Info("telegram: group migrated", slog.Int64("chat_id", chat.ID), slog.Int64("new_chat_id", a.MigrateTo))
		if err := b.subs.MoveChat(ctx, chat.ID, a.MigrateTo); err != nil && !errors.Is(err, subscriptions.ErrNoChat) {
			note(err)
		}
		retryAt = time.Now()
		note(b.subs.Requeue(ctx, ids, retryAt, "group migrated to a supergroup"))
	case Refused:
		b.log.Error("bot: Telegram refused a message", slog.Int64("chat_id", chat.ID), slog.String("error", a.Err.Error()))
		note(b.subs.Failed(ctx, ids, a.Err.Error()))
		retryAt = time.Now()
	}
	d.poke()
	return retryAt, false
}

func (d *dispatcher) attempts(ctx context.Context, ids []int64) int {
	return d.b.subs.Attempts(ctx, ids)
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

// telegramReason is the description Telegram gave, for the chat's inactive reason.
func telegramReason(err error) string {
	s := err.Error()
	if i := len(s) - len(ErrChatGone.Error()) - 2; i > 0 && errors.Is(err, ErrChatGone) {
		return s[:i]
	}
	return s
}
