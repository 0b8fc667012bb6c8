package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"newsbot/bot/texts"
	"newsbot/digest"
	"newsbot/subscriptions"
)

// DigestConfig is the daily digest.
type DigestConfig struct {
	// Schedule is a robfig/cron spec (5 fields or a descriptor) in Location: the first time it
	// fires each day is when chats without a time of their own get their digest. "" = none.
	Schedule   string
	Location   *time.Location // the zone of Schedule; nil = Config.Location
	MaxStories int            // stories per digest at most (10 if 0)
	// QuietNote sends a short "nothing new" note to a chat whose digest would be empty; without
	// it such a chat gets nothing that day.
	QuietNote bool
}

// Digester decides, renders and queues digests. It needs no Telegram connection: `newsbot
// digest` uses one to print what would go out; a Bot uses one to send.
type Digester struct {
	cfg      Config
	schedule cron.Schedule // nil: no scheduled digest
	texts    *texts.Catalog
	subs     *subscriptions.Store
	stories  *digest.Store
	log      *slog.Logger
	now      func() time.Time
	poke     func() // wakes the delivery engine after messages were queued
}

// NewDigester returns a Digester for cfg (its Digest, Location, Sources, Log and Now; zero
// values as New fills them in). It fails on a bad digest schedule.
func NewDigester(cfg Config, subs *subscriptions.Store, stories *digest.Store, catalog *texts.Catalog) (*Digester, error) {
	cfg = withDefaults(cfg)
	sched, err := parseDigestSchedule(cfg.Digest.Schedule)
	if err != nil {
		return nil, err
	}
	return &Digester{cfg: cfg, schedule: sched, texts: catalog, subs: subs, stories: stories,
		log: cfg.Log, now: cfg.Now, poke: func() {}}, nil
}

func (d *Digester) sourceTitle(id string) string {
	if t := d.cfg.Sources[id]; t != "" {
		return t
	}
	return id
}

// digestCatchUp is how late a digest may still go out after a restart: a bot down at 08:00
// sends the morning digest when it comes back before 14:00, not in the evening.
const digestCatchUp = 6 * time.Hour

// digestFirstWindow is what a chat's first digest covers; digestMaxWindow bounds what any
// covers (a chat whose last digest was a month ago gets the last week).
const (
	digestFirstWindow = 24 * time.Hour
	digestMaxWindow   = 7 * 24 * time.Hour
)

// digestBatch is how many chats' digests are decided and queued in one transaction.
const digestBatch = 200

// parseDigestSchedule parses the digest schedule ("" = none).
func parseDigestSchedule(spec string) (cron.Schedule, error) {
	if spec == "" {
		return nil, nil
	}
	s, err := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor).Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("bot: digest schedule %q: %w", spec, err)
	}
	return s, nil
}

// digestSlot is one day's digest moment for a group of chats.
type digestSlot struct {
	day string    // local date, YYYY-MM-DD
	at  time.Time // when it was due
}

// dueSlots returns the digest moments of group g that have come by now and are less than
// digestCatchUp old: today's and, just after midnight, yesterday's.
func (d *Digester) dueSlots(g subscriptions.DigestGroup, now time.Time) []digestSlot {
	loc := d.groupLocation(g)
	local := now.In(loc)
	var out []digestSlot
	for _, back := range []int{1, 0} {
		midnight := time.Date(local.Year(), local.Month(), local.Day()-back, 0, 0, 0, 0, loc)
		at, ok := d.slotOn(g, midnight)
		if ok && !at.After(now) && now.Sub(at) < digestCatchUp {
			out = append(out, digestSlot{day: midnight.Format(time.DateOnly), at: at})
		}
	}
	return out
}

// slotOn returns group g's digest moment on the day starting at midnight (in g's zone).
func (d *Digester) slotOn(g subscriptions.DigestGroup, midnight time.Time) (time.Time, bool) {
	if g.Time == subscriptions.DigestScheduled {
		if d.schedule == nil {
			return time.Time{}, false
		}
		// Next gives the first activation after its argument, rounded to the second.
		at := d.schedule.Next(midnight.Add(-time.Nanosecond))
		y1, m1, d1 := at.In(midnight.Location()).Date()
		y2, m2, d2 := midnight.Date()
		return at, y1 == y2 && m1 == m2 && d1 == d2
	}
	var hh, mm int
	if _, err := fmt.Sscanf(g.Time, "%d:%d", &hh, &mm); err != nil {
		return time.Time{}, false
	}
	return time.Date(midnight.Year(), midnight.Month(), midnight.Day(), hh, mm, 0, 0, midnight.Location()), true
}

// nextScheduled is the next time the scheduled digest comes after now; zero without a schedule.
func (d *Digester) nextScheduled(now time.Time) time.Time {
	if d.schedule == nil {
		return time.Time{}
	}
	return d.schedule.Next(now.In(d.cfg.Digest.Location))
}

// groupLocation is the zone a group's digest time is kept in.
func (d *Digester) groupLocation(g subscriptions.DigestGroup) *time.Location {
	if g.Time == subscriptions.DigestScheduled {
		return d.cfg.Digest.Location
	}
	return subscriptions.Chat{Timezone: g.Timezone}.Location(d.cfg.Location)
}

// run decides the digests due until ctx ends: at start (catching up a digest missed
// while the bot was down) and then at the start of every minute.
func (d *Digester) run(ctx context.Context) {
	for {
		if _, err := d.DigestsDue(ctx, d.now()); err != nil && ctx.Err() == nil {
			d.log.Error("bot: digests", slog.String("error", err.Error()))
		}
		now := d.now()
		next := now.Truncate(time.Minute).Add(time.Minute)
		if sleep(ctx, next.Sub(now)) != nil {
			return
		}
	}
}

// DigestsDue decides and queues every digest due at now — the scheduled one and chats' own
// times — for the chats that have not had that day's digest, and returns how many messages it
// queued. Calling it again (a restart at 08:01) queues nothing more: what was decided is
// recorded with its messages in one transaction.
func (d *Digester) DigestsDue(ctx context.Context, now time.Time) (int, error) {
	groups, err := d.subs.DigestGroups(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, g := range groups {
		for _, s := range d.dueSlots(g, now) {
			n, _, err := d.decideDigests(ctx, g, s.day, s.at, s.at, 0)
			total += n
			if err != nil {
				return total, err
			}
		}
	}
	return total, nil
}

// SendDigestsNow decides today's digest now, for every chat that has not had it yet whatever
// its time, as part of run runID (0: none), and returns how many chats and messages it queued.
func (d *Digester) SendDigestsNow(ctx context.Context, runID int64) (chats, messages int, err error) {
	groups, err := d.subs.DigestGroups(ctx)
	if err != nil {
		return 0, 0, err
	}
	// Times are stored to the second: a digest ends where the current second starts, and what
	// is stored during it goes in the next one.
	now := d.now().Truncate(time.Second)
	for _, g := range groups {
		day := now.In(d.groupLocation(g)).Format(time.DateOnly)
		m, c, err := d.decideDigests(ctx, g, day, time.Time{}, now, runID)
		chats, messages = chats+c, messages+m
		if err != nil {
			return chats, messages, err
		}
	}
	return chats, messages, nil
}

// decideDigests decides the digest for day (a local date, YYYY-MM-DD, in g's zone) of every
// chat of g that lacks one (and, when slot is set, was there for it), covering each chat's
// stories up to until, and queues them in batches, waking the delivery engine after each. It
// returns the messages and chats queued.
func (d *Digester) decideDigests(ctx context.Context, g subscriptions.DigestGroup, day string, slot, until time.Time, runID int64) (messages, chats int, err error) {
	// A chat's day is a date where its digest time is kept: a chat that moves to another zone
	// starts that zone's days afresh rather than lose one (MinDigestGap keeps two digests apart).
	key := day + " " + d.groupLocation(g).String()
	var cands []digest.Candidate
	var loadedFrom time.Time // cands cover [loadedFrom, until); zero: not loaded
	type rendered struct {
		parts   []string
		stories int
	}
	memo := map[string]rendered{}
	var after int64
	for {
		due, err := d.subs.DueForDigest(ctx, subscriptions.DigestQuery{Group: g, Day: key, Slot: slot, AfterID: after, Limit: digestBatch})
		if err != nil {
			return messages, chats, err
		}
		if len(due) == 0 {
			return messages, chats, nil
		}
		// The stories of the page's windows, loaded once and again only for an older window.
		from := until
		for _, c := range due {
			if s := digestSince(c.Since, until); s.Before(from) {
				from = s
			}
		}
		if loadedFrom.IsZero() || from.Before(loadedFrom) {
			if loadedFrom.IsZero() {
				// Whatever is stamped before until must be committed before it is read.
				if err := d.stories.WriteBarrier(ctx); err != nil {
					return messages, chats, err
				}
			}
			if cands, err = d.stories.DigestCandidates(ctx, from, until); err != nil {
				return messages, chats, err
			}
			loadedFrom = from
		}
		decisions := make([]subscriptions.DigestDecision, 0, len(due))
		for _, c := range due {
			since := digestSince(c.Since, until)
			lang := texts.Pick(c.Language, c.LanguageCode)
			same := fmt.Sprint(strings.Join(c.Topics, ","), "|", lang, "|", since.Unix()) // chats that get the same digest
			m, ok := memo[same]
			if !ok {
				picks := digest.Pick(cands, c.Topics, since, until, d.cfg.Digest.MaxStories)
				m = rendered{parts: d.renderDigestParts(lang, day, c.Topics, picks), stories: len(picks)}
				memo[same] = m
			}
			decisions = append(decisions, subscriptions.DigestDecision{
				ChatID: c.ID, Day: key, Since: since, Until: until, Stories: m.stories, Parts: m.parts, RunID: runID,
			})
			after = c.ID
		}
		n, err := d.subs.QueueDigests(ctx, decisions)
		if err != nil {
			return messages, chats, err
		}
		messages += n
		chats += len(decisions)
		d.poke()
		d.log.Info("bot: digests queued", slog.String("day", day), slog.String("time", g.Time),
			slog.String("timezone", g.Timezone), slog.Int("chats", len(decisions)), slog.Int("messages", n))
	}
}

// digestSince is where a digest ending at until starts: where the chat's last one ended
// (last), or digestFirstWindow before until for a first one; never more than digestMaxWindow
// before until.
func digestSince(last, until time.Time) time.Time {
	switch {
	case last.IsZero():
		return until.Add(-digestFirstWindow)
	case last.Before(until.Add(-digestMaxWindow)):
		return until.Add(-digestMaxWindow)
	case last.After(until):
		return until
	}
	return last
}

// renderDigestParts renders a digest of picks for a chat following topics, in lang, for day
// (YYYY-MM-DD). No picks give the quiet-day note, or nothing when QuietNote is off.
func (d *Digester) renderDigestParts(lang, day string, topics []string, picks []digest.Candidate) []string {
	header := d.texts.T(lang, texts.DigestHeader, map[string]any{"Date": displayDate(lang, day)})
	if len(picks) == 0 {
		if !d.cfg.Digest.QuietNote {
			return nil
		}
		return []string{header + "\n" + d.texts.T(lang, texts.DigestEmpty, nil)}
	}
	return RenderDigest(header, d.digestSections(lang, topics, picks))
}

// digestSections groups picks: the pinned ones first, then under the first of the chat's
// topics (in configuration order) each belongs to, topics in configuration order.
func (d *Digester) digestSections(lang string, topics []string, picks []digest.Candidate) []DigestSection {
	var pinned DigestSection
	byTopic := map[string]*DigestSection{}
	for _, p := range picks {
		it := DigestItem{Title: p.Story.Title, Link: p.Story.Link, Summary: p.Story.Summary}
		for _, src := range p.Sources {
			it.Sources = append(it.Sources, d.sourceTitle(src))
		}
		if len(it.Sources) == 0 {
			it.Sources = []string{d.sourceTitle(p.Story.SourceID)}
		}
		if !p.PinnedAt.IsZero() {
			pinned.Items = append(pinned.Items, it)
			continue
		}
		for _, t := range topics {
			if contains(p.Topics, t) {
				sec := byTopic[t]
				if sec == nil {
					title := t
					if tp, ok := d.subs.Topics().Topic(t); ok {
						title = tp.TitleIn(lang)
					}
					sec = &DigestSection{Title: title}
					byTopic[t] = sec
				}
				sec.Items = append(sec.Items, it)
				break
			}
		}
	}
	var out []DigestSection
	if len(pinned.Items) > 0 {
		pinned.Title = texts.Plain(d.texts.N(lang, texts.DigestPinned, len(pinned.Items), nil))
		out = append(out, pinned)
	}
	for _, t := range topics {
		if sec := byTopic[t]; sec != nil {
			out = append(out, *sec)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// displayDate shows a YYYY-MM-DD day the way the language writes dates.
func displayDate(lang, day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	if lang == "en" {
		return t.Format("2 January 2006")
	}
	return t.Format("02.01.2006")
}

// Preview renders chat's digest as it stands now (since its last digest), without
// recording anything: /digest.
func (d *Digester) Preview(ctx context.Context, chat subscriptions.Chat, lang string) ([]string, error) {
	last, err := d.subs.LastDigest(ctx, chat.ID)
	if err != nil {
		return nil, err
	}
	now := d.now()
	// Up to the end of this second: what was stored or pinned a moment ago belongs in it.
	until := now.Truncate(time.Second).Add(time.Second)
	since := digestSince(last, until)
	cands, err := d.stories.DigestCandidates(ctx, since, until)
	if err != nil {
		return nil, err
	}
	picks := digest.Pick(cands, chat.Topics, since, until, d.cfg.Digest.MaxStories)
	day := now.In(chat.Location(d.cfg.Location)).Format(time.DateOnly)
	header := d.texts.T(lang, texts.DigestHeader, map[string]any{"Date": displayDate(lang, day)})
	if len(picks) == 0 {
		return []string{header + "\n" + d.texts.T(lang, texts.DigestEmpty, nil)}, nil
	}
	return RenderDigest(header, d.digestSections(lang, chat.Topics, picks)), nil
}

// Digest renders the digest a chat following every configured topic would get now, in lang,
// covering the last day: what `newsbot digest` prints. Nothing is recorded or sent.
func (d *Digester) Digest(ctx context.Context, lang string) ([]string, error) {
	var all []string
	for _, t := range d.subs.Topics().All() {
		all = append(all, t.ID)
	}
	return d.Preview(ctx, subscriptions.Chat{Topics: all}, lang)
}
