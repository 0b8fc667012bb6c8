package bot

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"newsbot/bot/texts"
	"newsbot/subscriptions"
)

// cmdDigest answers /digest: alone, the chat's digest as it stands now (nothing is recorded:
// the daily one still comes); with HH:MM, off or on, when the daily one comes.
func (b *Bot) cmdDigest(ctx context.Context, r *request) {
	arg := strings.ToLower(strings.TrimSpace(r.cmd.args))
	if arg == "" {
		if len(r.chat.Topics) == 0 {
			b.sendPicker(ctx, r, b.texts.T(r.lang, texts.TopicsNone, nil))
			return
		}
		parts, err := b.digests.Preview(ctx, r.chat, r.lang)
		if err != nil {
			b.fail(ctx, r, "digest preview", err)
			return
		}
		for _, p := range parts {
			if b.send(ctx, Message{ChatID: r.chat.ID, Text: p}) == 0 && ctx.Err() != nil {
				return
			}
		}
		return
	}
	switch arg {
	case "help", "?":
		b.reply(ctx, r, b.digestUsage(r))
		return
	}
	if !b.mayChange(ctx, r) {
		return
	}
	value := arg
	switch arg {
	case "on", "вкл", "қосу":
		value = subscriptions.DigestScheduled
	case "off", "выкл", "өшіру":
		value = subscriptions.DigestOff
	}
	stored, err := b.subs.SetDigestTime(ctx, r.chat.ID, value)
	if errors.Is(err, subscriptions.ErrBadDigestTime) {
		b.reply(ctx, r, b.texts.T(r.lang, texts.DigestTimeInvalid, map[string]any{"Value": clip(r.cmd.args, 40)}))
		return
	}
	if err != nil {
		b.fail(ctx, r, "set digest time", err)
		return
	}
	loc := r.chat.Location(b.cfg.Location)
	defer func() {
		if len(r.chat.Topics) == 0 && stored != subscriptions.DigestOff {
			// A digest needs topics: say so rather than promise one that will not come.
			b.sendPicker(ctx, r, b.texts.T(r.lang, texts.TopicsNone, nil))
		}
	}()
	switch stored {
	case subscriptions.DigestOff:
		text := b.texts.T(r.lang, texts.DigestOff, nil)
		if r.chat.Mode == subscriptions.ModeDigest {
			text += "\n" + b.texts.T(r.lang, texts.ModeInstant, nil) // SetDigestTime put it back
		}
		b.reply(ctx, r, text)
	case subscriptions.DigestScheduled:
		b.reply(ctx, r, b.texts.T(r.lang, texts.DigestOn, map[string]any{"Time": b.scheduledTime(loc), "TZ": loc.String()}))
	default:
		b.reply(ctx, r, b.texts.T(r.lang, texts.DigestTimeSet, map[string]any{"Time": stored, "TZ": loc.String()}))
	}
}

// scheduledTime is the time of day the scheduled digest comes, in loc ("08:00"); "—" when there
// is no schedule.
func (b *Bot) scheduledTime(loc *time.Location) string {
	next := b.digests.nextScheduled(b.now())
	if next.IsZero() {
		return "—"
	}
	return next.In(loc).Format("15:04")
}

// digestUsage explains /digest with the chat's own setting.
func (b *Bot) digestUsage(r *request) string {
	loc := r.chat.Location(b.cfg.Location)
	current := r.chat.DigestTime
	switch current {
	case subscriptions.DigestScheduled:
		current = b.scheduledTime(loc)
	case subscriptions.DigestOff:
		current = "off"
	}
	return b.texts.T(r.lang, texts.DigestUsage, map[string]any{"TZ": loc.String(), "Time": b.scheduledTime(loc), "Current": current})
}

// cmdMode answers /mode instant|digest.
func (b *Bot) cmdMode(ctx context.Context, r *request) {
	mode := strings.ToLower(strings.TrimSpace(r.cmd.args))
	if mode != subscriptions.ModeInstant && mode != subscriptions.ModeDigest {
		b.reply(ctx, r, b.texts.T(r.lang, texts.ModeUsage, nil))
		return
	}
	if !b.mayChange(ctx, r) {
		return
	}
	chat, err := b.subs.SetMode(ctx, r.chat.ID, mode)
	if err != nil {
		b.fail(ctx, r, "set mode", err)
		return
	}
	if mode == subscriptions.ModeInstant {
		b.reply(ctx, r, b.texts.T(r.lang, texts.ModeInstant, nil))
		return
	}
	loc := chat.Location(b.cfg.Location)
	at := chat.DigestTime
	if at == subscriptions.DigestScheduled {
		at = b.scheduledTime(loc)
	}
	b.reply(ctx, r, b.texts.T(r.lang, texts.ModeDigest, map[string]any{"Time": at}))
	b.log.Debug("bot: mode", slog.Int64("chat_id", chat.ID), slog.String("mode", mode))
}
