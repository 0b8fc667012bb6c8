package bot

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"newsbot/bot/texts"
	"newsbot/digest"
)

// statsWindow is the window of /stats' "last 24 hours" figures; perDayWindow the one /sources
// averages stories a day over.
const (
	statsWindow  = 24 * time.Hour
	perDayWindow = 7 * 24 * time.Hour
)

// cmdStats answers /stats: chats, languages, topics, digests, alerts, stories, the queue and
// what was delivered in the last 24 hours.
func (b *Bot) cmdStats(ctx context.Context, r *request) string {
	st, err := b.subs.Stats(ctx)
	if err != nil {
		b.fail(ctx, r, "stats", err)
		return "failed"
	}
	now := b.now()
	day, err := b.stories.StoriesSince(ctx, now.Add(-statsWindow))
	if err != nil {
		b.fail(ctx, r, "stats", err)
		return "failed"
	}
	local := now.In(b.cfg.Location)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, b.cfg.Location)
	today, err := b.stories.StoriesSince(ctx, midnight)
	if err != nil {
		b.fail(ctx, r, "stats", err)
		return "failed"
	}
	del, err := b.DeliveryStats(ctx, now.Add(-statsWindow))
	if err != nil {
		b.fail(ctx, r, "stats", err)
		return "failed"
	}
	states, err := b.stories.SourceStates(ctx)
	if err != nil {
		b.fail(ctx, r, "stats", err)
		return "failed"
	}
	failing := 0
	for _, s := range states {
		if _, ours := b.cfg.Sources[s.ID]; ours && !s.Healthy() {
			failing++
		}
	}
	lang := r.lang
	n := func(v int) string { return formatCount(lang, v) }
	inactive := 0
	for _, v := range st.Inactive {
		inactive += v
	}
	langs := map[string]int{}
	for key, v := range st.Languages {
		chosen, code, _ := strings.Cut(key, "|")
		langs[texts.Pick(chosen, code)] += v
	}
	topics := map[string]int{}
	for id, v := range st.Topics {
		title := id
		if t, ok := b.subs.Topics().Topic(id); ok {
			title = t.TitleIn(lang)
		}
		topics[title] = v
	}
	queue := map[string]int{}
	for kind, v := range del.Queued {
		queue[kind] = v
	}
	if del.Sending > 0 {
		queue["sending"] = del.Sending
	}
	b.reply(ctx, r, b.texts.T(lang, texts.Stats, map[string]any{
		"Chats":        n(st.Active),
		"Types":        countList(lang, st.ByType),
		"Blocked":      n(inactive),
		"Languages":    countList(lang, langs),
		"Topics":       countList(lang, topics),
		"Scheduled":    n(st.Digest["scheduled"]),
		"OwnTime":      n(st.Digest["own"]),
		"DigestOff":    n(st.Digest["off"]),
		"DigestOnly":   n(st.ModeDigest),
		"Alerts":       n(st.Alerts),
		"StoriesToday": n(sum(today)),
		"Stories":      n(sum(day)),
		"Queue":        countList(lang, queue),
		"Sent":         n(del.Sent),
		"Failed":       n(del.Failed),
		"Dropped":      n(del.Dropped),
		"Sources":      n(len(b.cfg.Sources)),
		"Failing":      n(failing),
	}))
	return "done"
}

func sum(m map[string]int) int {
	t := 0
	for _, v := range m {
		t += v
	}
	return t
}

// countList writes counts as "a 12, b 3", largest first; "—" when there are none.
func countList(lang string, m map[string]int) string {
	type kv struct {
		k string
		v int
	}
	var list []kv
	for k, v := range m {
		if v > 0 {
			list = append(list, kv{k, v})
		}
	}
	if len(list) == 0 {
		return "—"
	}
	slices.SortFunc(list, func(a, b kv) int { return cmp.Or(cmp.Compare(b.v, a.v), strings.Compare(a.k, b.k)) })
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = e.k + " " + formatCount(lang, e.v)
	}
	return strings.Join(parts, ", ")
}

// cmdSources answers /sources: every configured source with its last success, its error in
// words when failing, stories a day over the last week and its next poll.
func (b *Bot) cmdSources(ctx context.Context, r *request) string {
	if len(b.cfg.Sources) == 0 {
		b.reply(ctx, r, b.texts.T(r.lang, texts.SourcesNone, nil))
		return "done"
	}
	states, err := b.stories.SourceStates(ctx)
	if err != nil {
		b.fail(ctx, r, "sources", err)
		return "failed"
	}
	now := b.now()
	week, err := b.stories.StoriesSince(ctx, now.Add(-perDayWindow))
	if err != nil {
		b.fail(ctx, r, "sources", err)
		return "failed"
	}
	byID := map[string]digest.SourceState{}
	for _, s := range states {
		byID[s.ID] = s
	}
	ids := make([]string, 0, len(b.cfg.Sources))
	for id := range b.cfg.Sources {
		ids = append(ids, id)
	}
	// Failing sources first, then by name.
	slices.SortFunc(ids, func(x, y string) int {
		return cmp.Or(cmp.Compare(byID[y].Failures, byID[x].Failures), strings.Compare(b.sourceTitle(x), b.sourceTitle(y)))
	})
	loc := r.chat.Location(b.cfg.Location)
	when := func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return localTime(t, loc, now)
	}
	blocks := []string{}
	for _, id := range ids {
		st, ok := byID[id]
		if !ok {
			st = digest.SourceState{ID: id}
		}
		next := st.NextPoll
		if b.cfg.NextPoll != nil {
			next = b.cfg.NextPoll(id, st, now)
		}
		data := map[string]any{"Source": b.sourceTitle(id), "Next": when(next), "Time": when(st.LastSuccess),
			"LastOK": when(st.LastSuccess), "Error": clip(st.LastError, 200), "Failures": st.Failures,
			"PerDay": perDay(week[id])}
		switch {
		case st.LastPoll.IsZero():
			blocks = append(blocks, b.texts.T(r.lang, texts.SourceWaiting, data))
		case !st.Healthy():
			blocks = append(blocks, b.texts.T(r.lang, texts.SourceFailing, data))
		default:
			blocks = append(blocks, b.texts.T(r.lang, texts.SourceOK, data))
		}
	}
	for _, text := range Bundle(b.texts.T(r.lang, texts.SourcesHeader, nil), blocks) {
		b.reply(ctx, r, text)
	}
	return "done"
}

// perDay is a week's count as stories a day: whole numbers, one decimal under ten.
func perDay(week int) string {
	v := float64(week) / (float64(perDayWindow) / float64(24*time.Hour))
	if v < 10 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.Itoa(int(v + 0.5))
}

// maxPinsListed bounds the /pin list, newest first: it stays one message.
const maxPinsListed = 20

// cmdPin answers /pin and /unpin. Without an argument /pin lists the stories pinned for the
// next digest (those of the last day) and explains itself.
func (b *Bot) cmdPin(ctx context.Context, r *request, pin bool) string {
	if r.cmd.args == "" {
		text := b.texts.T(r.lang, texts.PinUsage, nil)
		pins, err := b.stories.Pins(ctx, b.now().Add(-digestFirstWindow), b.now().Add(time.Second))
		if err == nil && len(pins) > 0 {
			var lines []string
			if len(pins) > maxPinsListed {
				pins = pins[:maxPinsListed]
			}
			for _, p := range pins {
				if st, err := b.stories.Story(ctx, p.StoryID); err == nil {
					lines = append(lines, fmt.Sprintf("• %s (%d)", escape(clip(collapse(st.Title), 120)), st.ID))
				}
			}
			text = b.texts.T(r.lang, texts.PinList, nil) + "\n" + strings.Join(lines, "\n") + "\n\n" + text
		}
		b.reply(ctx, r, text)
		return "usage"
	}
	ref := strings.Fields(r.cmd.args)[0]
	st, err := b.stories.FindStory(ctx, ref)
	if errors.Is(err, sql.ErrNoRows) {
		b.reply(ctx, r, b.texts.T(r.lang, texts.PinUnknown, map[string]any{"Ref": clip(ref, 200)}))
		return "unknown story"
	}
	if err != nil {
		b.fail(ctx, r, "find story", err)
		return "failed"
	}
	title := clip(collapse(st.Title), 200)
	if !pin {
		ok, err := b.stories.Unpin(ctx, st.ID)
		if err != nil {
			b.fail(ctx, r, "unpin", err)
			return "failed"
		}
		if !ok {
			b.reply(ctx, r, b.texts.T(r.lang, texts.UnpinNone, nil))
			return "not pinned"
		}
		b.reply(ctx, r, b.texts.T(r.lang, texts.UnpinDone, map[string]any{"Title": title}))
		return fmt.Sprintf("story %d", st.ID)
	}
	if err := b.stories.PinStory(ctx, st.ID, r.userID, b.now()); err != nil {
		b.fail(ctx, r, "pin", err)
		return "failed"
	}
	b.reply(ctx, r, b.texts.T(r.lang, texts.PinDone, map[string]any{"Title": title, "ID": st.ID}))
	return fmt.Sprintf("story %d", st.ID)
}
