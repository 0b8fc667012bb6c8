package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"newsbot/bot/texts"
	"newsbot/digest"
	"newsbot/subscriptions"
	"newsbot/subscriptions/alerts"
)

// cbAlertDelete prefixes the delete buttons of /alerts: a:del:<alert id>.
const cbAlertDelete = "a:del:"

// storedLimits parses queries read back from the database: as generous as any configuration
// allows, since a stored query was checked against the limits in force when it was set, and
// its canonical form may be longer than what was typed (Нур-Султан → "нур султан").
var storedLimits = alerts.Limits{MaxLength: 1000, MaxTerms: 50}

// alertIndex returns the matching index, loading every active chat's alerts the first time.
// Until it has loaded, it returns an error and stories wait unrouted (the sweeper retries).
func (b *Bot) alertIndex(ctx context.Context) (*alerts.Index, error) {
	b.alertsMu.Lock()
	defer b.alertsMu.Unlock()
	if b.alerts != nil {
		return b.alerts, nil
	}
	all, err := b.subs.AllAlerts(ctx)
	if err != nil {
		return nil, fmt.Errorf("bot: load alerts: %w", err)
	}
	ix := alerts.NewIndex()
	for _, a := range all {
		q, err := alerts.Parse(a.Query, storedLimits)
		if err != nil {
			// Stored queries were parsed when set; one that no longer parses (the language
			// changed) is skipped, loudly, rather than blocking every other alert.
			b.log.Error("bot: a stored alert no longer parses", slog.Int64("alert_id", a.ID), slog.String("error", err.Error()))
			continue
		}
		ix.Add(a.ID, a.ChatID, q)
	}
	b.alerts = ix
	b.log.Info("bot: alerts loaded", slog.Int("alerts", ix.Len()))
	return ix, nil
}

// alertHits finds the alerts that fire on stories.
func (b *Bot) alertHits(ctx context.Context, stories []digest.Story) ([]subscriptions.AlertHit, error) {
	ix, err := b.alertIndex(ctx)
	if err != nil {
		return nil, err
	}
	var hits []subscriptions.AlertHit
	for _, st := range stories {
		found := ix.Match(st.Title+"\n"+st.Summary, st.Language)
		// The first hit of a chat wins the 🔔 line: the chat's oldest alert, not chance.
		slices.SortFunc(found, func(a, b alerts.Hit) int { return cmp.Compare(a.AlertID, b.AlertID) })
		for _, h := range found {
			hits = append(hits, subscriptions.AlertHit{AlertID: h.AlertID, ChatID: h.ChatID, StoryID: st.ID, ClusterID: st.ClusterID})
		}
	}
	return hits, nil
}

func (b *Bot) cmdAlert(ctx context.Context, r *request) {
	if r.cmd.args == "" {
		b.reply(ctx, r, b.texts.T(r.lang, texts.AlertUsage, nil))
		return
	}
	q, err := alerts.Parse(r.cmd.args, b.cfg.AlertLimits)
	if err != nil {
		var pe *alerts.Error
		if errors.As(err, &pe) && pe.Code == alerts.CodeTooLong {
			b.reply(ctx, r, b.texts.N(r.lang, texts.QueryTooLong, pe.Limit, nil))
			return
		}
		text := b.texts.T(r.lang, texts.AlertInvalid, nil)
		if errors.As(err, &pe) && pe.Fragment != "" {
			text = "<code>" + escape(clip(pe.Fragment, 64)) + "</code> — " + text
		}
		b.reply(ctx, r, text)
		return
	}
	if !b.mayChange(ctx, r) {
		return
	}
	ix, err := b.alertIndex(ctx)
	if err != nil {
		b.log.Error("bot: alerts", slog.String("error", err.Error()))
		b.reply(ctx, r, b.texts.T(r.lang, texts.ErrorGeneric, nil))
		return
	}
	// Storing and indexing are one step against deletions (another admin's /unalert, /stop):
	// otherwise a deleted alert could be indexed after its removal and stay until restart.
	b.alertEdits.Lock()
	defer b.alertEdits.Unlock()
	a, err := b.subs.AddAlert(ctx, r.chat.ID, q.String(), q.Key())
	switch {
	case errors.Is(err, subscriptions.ErrAlertExists):
		b.reply(ctx, r, b.texts.T(r.lang, texts.AlertExists, map[string]any{"Query": q.String()}))
		return
	case errors.Is(err, subscriptions.ErrTooManyAlerts):
		b.reply(ctx, r, b.texts.N(r.lang, texts.AlertLimit, b.subs.MaxAlerts(), nil))
		return
	case err != nil:
		b.log.Error("bot: add alert", slog.Int64("chat_id", r.chat.ID), slog.String("error", err.Error()))
		b.reply(ctx, r, b.texts.T(r.lang, texts.ErrorGeneric, nil))
		return
	}
	ix.Add(a.ID, r.chat.ID, q)
	text := b.texts.T(r.lang, texts.AlertAdded, map[string]any{"Number": a.Number, "Query": a.Query})
	if n, err := b.recentMatches(ctx, q); err == nil {
		text += "\n" + b.texts.N(r.lang, texts.AlertRecent, n, nil)
	}
	b.reply(ctx, r, text)
}

// recentMatches counts the stories of the last 24 hours (one per cluster) that q matches.
func (b *Bot) recentMatches(ctx context.Context, q *alerts.Query) (int, error) {
	recent, err := b.stories.SeenSince(ctx, b.now().Add(-24*time.Hour))
	if err != nil {
		return 0, err
	}
	seen := map[int64]bool{}
	n := 0
	for _, st := range recent {
		if !seen[st.ClusterID] && q.Matches(st.Title+"\n"+st.Summary, st.Language) {
			seen[st.ClusterID] = true
			n++
		}
	}
	return n, nil
}

func (b *Bot) cmdAlerts(ctx context.Context, r *request) {
	list, err := b.subs.Alerts(ctx, r.chat.ID)
	if err != nil {
		b.log.Error("bot: list alerts", slog.Int64("chat_id", r.chat.ID), slog.String("error", err.Error()))
		b.reply(ctx, r, b.texts.T(r.lang, texts.ErrorGeneric, nil))
		return
	}
	text, kb := b.alertList(r.lang, list)
	b.send(ctx, Message{ChatID: r.chat.ID, Text: text, Keyboard: kb})
}

// alertList renders /alerts: the numbered queries, a delete button each.
func (b *Bot) alertList(lang string, list []subscriptions.Alert) (string, *models.InlineKeyboardMarkup) {
	if len(list) == 0 {
		return b.texts.T(lang, texts.AlertsEmpty, nil), nil
	}
	var sb strings.Builder
	sb.WriteString(b.texts.N(lang, texts.AlertsHeader, len(list), nil))
	var rows [][]models.InlineKeyboardButton
	var row []models.InlineKeyboardButton
	for _, a := range list {
		fmt.Fprintf(&sb, "\n%d. <code>%s</code>", a.Number, escape(a.Query))
		row = append(row, models.InlineKeyboardButton{
			Text:         texts.Plain(b.texts.T(lang, texts.AlertDeleteButton, map[string]any{"Number": a.Number})),
			CallbackData: cbAlertDelete + strconv.FormatInt(a.ID, 10),
		})
		if len(row) == 3 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return sb.String(), &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

func (b *Bot) cmdUnalert(ctx context.Context, r *request) {
	n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(r.cmd.args), "#"))
	if r.cmd.args == "" || err != nil {
		b.reply(ctx, r, b.texts.T(r.lang, texts.UnalertUsage, nil))
		return
	}
	if !b.mayChange(ctx, r) {
		return
	}
	b.alertEdits.Lock()
	defer b.alertEdits.Unlock()
	a, err := b.subs.DeleteAlert(ctx, r.chat.ID, n)
	if errors.Is(err, subscriptions.ErrNoAlert) {
		b.reply(ctx, r, b.texts.T(r.lang, texts.UnalertUnknown, map[string]any{"Number": clip(r.cmd.args, 20)}))
		return
	}
	if err != nil {
		b.log.Error("bot: delete alert", slog.Int64("chat_id", r.chat.ID), slog.String("error", err.Error()))
		b.reply(ctx, r, b.texts.T(r.lang, texts.ErrorGeneric, nil))
		return
	}
	b.forgetAlert(ctx, a.ID)
	b.reply(ctx, r, b.texts.T(r.lang, texts.AlertDeleted, map[string]any{"Query": a.Query}))
}

// forgetAlert removes a deleted alert from the index, if it is loaded.
func (b *Bot) forgetAlert(ctx context.Context, id int64) {
	if ix, err := b.alertIndex(ctx); err == nil {
		ix.Remove(id)
	}
}

// onAlertDelete handles a delete button of /alerts: the alert goes, and the list is redrawn.
func (b *Bot) onAlertDelete(ctx context.Context, chatID int64, messageID int, lang, data string) string {
	id, err := strconv.ParseInt(strings.TrimPrefix(data, cbAlertDelete), 10, 64)
	if err != nil {
		return b.texts.T(lang, texts.ButtonExpired, nil)
	}
	b.alertEdits.Lock()
	a, err := b.subs.DeleteAlertByID(ctx, chatID, id)
	if err == nil {
		b.forgetAlert(ctx, a.ID)
	}
	b.alertEdits.Unlock()
	if errors.Is(err, subscriptions.ErrNoAlert) {
		return b.texts.T(lang, texts.ButtonExpired, nil)
	}
	if err != nil {
		b.log.Error("bot: delete alert", slog.Int64("chat_id", chatID), slog.String("error", err.Error()))
		return b.texts.T(lang, texts.ErrorGeneric, nil)
	}
	if list, err := b.subs.Alerts(ctx, chatID); err == nil {
		text, kb := b.alertList(lang, list)
		if err := b.sender.Edit(ctx, chatID, messageID, text, kb); err != nil {
			b.log.Warn("bot: redraw alerts", slog.Int64("chat_id", chatID), slog.String("error", err.Error()))
		}
	}
	return b.texts.T(lang, texts.AlertDeleted, map[string]any{"Query": a.Query})
}

// reindexChat puts chat's alerts (back) into the index under chatID: after the chat came back
// with /start (deactivated chats' alerts are not loaded at start) or a group moved to a new id.
func (b *Bot) reindexChat(ctx context.Context, chatID int64) {
	ix, err := b.alertIndex(ctx)
	if err != nil {
		return // loads everything, this chat included, when it first succeeds
	}
	list, err := b.subs.Alerts(ctx, chatID)
	if err != nil {
		b.log.Error("bot: reindex alerts", slog.Int64("chat_id", chatID), slog.String("error", err.Error()))
		return
	}
	for _, a := range list {
		q, err := alerts.Parse(a.Query, storedLimits)
		if err != nil {
			b.log.Error("bot: a stored alert no longer parses", slog.Int64("alert_id", a.ID), slog.String("error", err.Error()))
			continue
		}
		ix.Add(a.ID, chatID, q)
	}
}

// unindexAlerts removes alerts from the index (the chat said /stop: they are deleted).
func (b *Bot) unindexAlerts(ctx context.Context, list []subscriptions.Alert) {
	if ix, err := b.alertIndex(ctx); err == nil {
		for _, a := range list {
			ix.Remove(a.ID)
		}
	}
}
