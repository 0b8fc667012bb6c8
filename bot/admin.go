package bot

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"newsbot/bot/texts"
	"newsbot/subscriptions"
)

// Callback data of the broadcast preview's buttons: b:send:<run id>, b:cancel:<run id>.
const (
	cbBroadcastSend   = "b:send:"
	cbBroadcastCancel = "b:cancel:"
)

// progressEvery is how often a bulk send's progress message is edited at most.
const progressEvery = 3 * time.Second

// adminCommands are the commands only telegram.admins may use.
var adminCommands = map[string]bool{
	"broadcast": true, "senddigest": true, "stats": true, "sources": true, "pin": true, "unpin": true,
}

// admin answers an admin command: for admins, in a private chat, it runs it; others get a
// polite refusal, and admins in a group or channel are asked to use a private chat. Either way
// it is recorded in the audit table.
func (b *Bot) admin(ctx context.Context, r *request) {
	if !b.admins[r.userID] {
		b.audit(ctx, r.userID, r.chat.ID, r.cmd.name, r.cmd.args, "refused")
		b.reply(ctx, r, b.texts.T(r.lang, texts.AdminOnly, map[string]any{"Command": r.cmd.name}))
		return
	}
	if r.msg.Chat.Type != models.ChatTypePrivate {
		// Statistics, drafts and progress are for the admin, not for a group's members.
		b.audit(ctx, r.userID, r.chat.ID, r.cmd.name, r.cmd.args, "not private")
		b.reply(ctx, r, b.texts.T(r.lang, texts.AdminPrivateOnly, map[string]any{"Command": r.cmd.name}))
		return
	}
	outcome := "done"
	switch r.cmd.name {
	case "broadcast":
		outcome = b.cmdBroadcast(ctx, r)
	case "senddigest":
		outcome = b.cmdSendDigest(ctx, r)
	case "stats":
		outcome = b.cmdStats(ctx, r)
	case "sources":
		outcome = b.cmdSources(ctx, r)
	case "pin":
		outcome = b.cmdPin(ctx, r, true)
	case "unpin":
		outcome = b.cmdPin(ctx, r, false)
	}
	b.audit(ctx, r.userID, r.chat.ID, r.cmd.name, r.cmd.args, outcome)
}

// audit records an admin action; a failure to record is logged, not shown.
func (b *Bot) audit(ctx context.Context, userID, chatID int64, action, detail, outcome string) {
	err := b.subs.Audit(ctx, subscriptions.AuditEntry{UserID: userID, ChatID: chatID, Action: action, Detail: detail, Outcome: outcome})
	if err != nil {
		b.log.Error("bot: audit", slog.String("action", action), slog.String("error", err.Error()))
	}
	b.log.Info("bot: admin action", slog.Int64("user_id", userID), slog.Int64("chat_id", chatID),
		slog.String("action", action), slog.String("outcome", outcome))
}

// cmdBroadcast shows the broadcast as it will look and asks, with Send and Cancel buttons,
// whether to send it to every active chat. The draft is stored, so the buttons work after a
// restart.
func (b *Bot) cmdBroadcast(ctx context.Context, r *request) string {
	text := broadcastHTML(r.msg)
	if strings.TrimSpace(texts.Plain(text)) == "" {
		b.reply(ctx, r, b.texts.T(r.lang, texts.BroadcastUsage, nil))
		return "usage"
	}
	if TextLength(text) > MaxText {
		b.reply(ctx, r, b.texts.N(r.lang, texts.QueryTooLong, MaxText, nil))
		return "too long"
	}
	st, err := b.subs.Stats(ctx)
	if err != nil {
		b.fail(ctx, r, "count chats", err)
		return "failed"
	}
	if st.Active == 0 {
		b.reply(ctx, r, b.texts.T(r.lang, texts.BroadcastEmpty, nil))
		return "no chats"
	}
	run, err := b.subs.CreateRun(ctx, subscriptions.RunBroadcast, r.userID, r.chat.ID, text)
	if err != nil {
		b.fail(ctx, r, "store broadcast", err)
		return "failed"
	}
	if b.send(ctx, Message{ChatID: r.chat.ID, Text: text}) == 0 {
		return "failed"
	}
	id := strconv.FormatInt(run.ID, 10)
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: texts.Plain(b.texts.T(r.lang, texts.BroadcastSend, nil)), CallbackData: cbBroadcastSend + id},
		{Text: texts.Plain(b.texts.T(r.lang, texts.BroadcastCancel, nil)), CallbackData: cbBroadcastCancel + id},
	}}}
	b.send(ctx, Message{ChatID: r.chat.ID, Text: b.texts.N(r.lang, texts.BroadcastPreview, st.Active, nil), Keyboard: kb})
	return fmt.Sprintf("draft %d", run.ID)
}

// onBroadcastButton handles the preview's Send and Cancel buttons and returns the note to
// answer the press with. Only admins may press them; a draft is sent or cancelled once.
func (b *Bot) onBroadcastButton(ctx context.Context, cq *models.CallbackQuery, chatID int64, msgID int, lang, data string) string {
	send := strings.HasPrefix(data, cbBroadcastSend)
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimPrefix(data, cbBroadcastSend), cbBroadcastCancel), 10, 64)
	action := "broadcast_cancel"
	if send {
		action = "broadcast_send"
	}
	if !b.admins[cq.From.ID] {
		b.audit(ctx, cq.From.ID, chatID, action, strings.TrimPrefix(data, "b:"), "refused")
		return b.texts.T(lang, texts.AdminOnly, map[string]any{"Command": "broadcast"})
	}
	if err != nil {
		b.audit(ctx, cq.From.ID, chatID, action, strings.TrimPrefix(data, "b:"), "bad button")
		return b.texts.T(lang, texts.ButtonExpired, nil)
	}
	if !send {
		if err := b.subs.CancelRun(ctx, id); err != nil {
			if !errors.Is(err, subscriptions.ErrRunState) {
				b.log.Error("bot: cancel broadcast", slog.Int64("run", id), slog.String("error", err.Error()))
			}
			b.audit(ctx, cq.From.ID, chatID, action, strconv.FormatInt(id, 10), "expired")
			return b.texts.T(lang, texts.ButtonExpired, nil)
		}
		b.audit(ctx, cq.From.ID, chatID, action, strconv.FormatInt(id, 10), "cancelled")
		b.edit(ctx, chatID, msgID, b.texts.T(lang, texts.BroadcastCancelled, nil))
		return ""
	}
	run, err := b.subs.StartBroadcast(ctx, id)
	if err != nil {
		if !errors.Is(err, subscriptions.ErrRunState) && !errors.Is(err, sql.ErrNoRows) {
			b.log.Error("bot: start broadcast", slog.Int64("run", id), slog.String("error", err.Error()))
			b.audit(ctx, cq.From.ID, chatID, action, strconv.FormatInt(id, 10), "failed")
			return b.texts.T(lang, texts.ErrorGeneric, nil)
		}
		b.audit(ctx, cq.From.ID, chatID, action, strconv.FormatInt(id, 10), "expired")
		return b.texts.T(lang, texts.ButtonExpired, nil)
	}
	b.audit(ctx, cq.From.ID, chatID, action, fmt.Sprintf("%d: %d chats", id, run.Total), "done")
	b.dispatch.poke()
	// The question becomes the progress report.
	b.edit(ctx, chatID, msgID, b.texts.N(lang, texts.BroadcastStarted, run.Total, nil))
	if err := b.subs.SetRunMessage(ctx, id, msgID); err != nil {
		b.log.Error("bot: remember progress message", slog.Int64("run", id), slog.String("error", err.Error()))
	}
	run.ProgressMessage = msgID
	b.startReport(run)
	return ""
}

// cmdSendDigest decides today's digest now for every chat that has not had it, and reports
// the sending's progress in one message.
func (b *Bot) cmdSendDigest(ctx context.Context, r *request) string {
	run, err := b.subs.CreateRun(ctx, subscriptions.RunDigest, r.userID, r.chat.ID, "")
	if err != nil {
		b.fail(ctx, r, "store digest run", err)
		return "failed"
	}
	// The run's total grows as digests are queued (QueueDigests): if deciding stops half-way
	// (an error, a shutdown), what was queued is still sent and reported.
	chats, messages, err := b.digests.SendDigestsNow(ctx, run.ID)
	if err != nil {
		b.log.Error("bot: send digests", slog.Int64("run", run.ID), slog.Int("chats", chats), slog.String("error", err.Error()))
		b.reply(ctx, r, b.texts.T(r.lang, texts.ErrorGeneric, nil))
		if messages > 0 {
			b.startReport(run)
		}
		return fmt.Sprintf("failed after %d chats", chats)
	}
	if messages == 0 {
		if err := b.subs.FinishRun(ctx, run.ID); err != nil {
			b.log.Error("bot: finish digest run", slog.Int64("run", run.ID), slog.String("error", err.Error()))
		}
		b.reply(ctx, r, b.texts.T(r.lang, texts.SendDigestNone, nil))
		return "nothing to send"
	}
	id := b.send(ctx, Message{ChatID: r.chat.ID, Text: b.texts.N(r.lang, texts.SendDigestStarted, chats, nil)})
	if id != 0 {
		if err := b.subs.SetRunMessage(ctx, run.ID, id); err != nil {
			b.log.Error("bot: remember progress message", slog.Int64("run", run.ID), slog.String("error", err.Error()))
		}
	}
	run.ProgressMessage = id
	b.startReport(run)
	return fmt.Sprintf("run %d: %d chats, %d messages", run.ID, chats, messages)
}

// fail logs a failed admin command and tells the admin.
func (b *Bot) fail(ctx context.Context, r *request, what string, err error) {
	b.log.Error("bot: "+what, slog.Int64("chat_id", r.chat.ID), slog.String("error", err.Error()))
	b.reply(ctx, r, b.texts.T(r.lang, texts.ErrorGeneric, nil))
}

// resumeRuns reports the progress of bulk sends a restart interrupted.
func (b *Bot) resumeRuns(ctx context.Context) {
	runs, err := b.subs.RunsSending(ctx)
	if err != nil {
		b.log.Error("bot: read bulk sends", slog.String("error", err.Error()))
		return
	}
	for _, run := range runs {
		b.startReport(run)
	}
}

// startReport follows run until all its messages have an outcome, editing its progress
// message ("sent 1,200 of 5,000") at most every progressEvery and finally with the totals. It
// stops with the bot; the next start resumes it.
func (b *Bot) startReport(run subscriptions.Run) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.reporting == nil {
		b.reporting = map[int64]bool{}
	}
	if b.reportsClosed || b.reporting[run.ID] {
		return // shutting down (the next start resumes it), or already followed
	}
	b.reporting[run.ID] = true
	ctx := b.runCtx
	b.reports.Go(func() {
		defer func() {
			b.mu.Lock()
			delete(b.reporting, run.ID)
			b.mu.Unlock()
		}()
		b.report(ctx, run)
	})
}

func (b *Bot) report(ctx context.Context, run subscriptions.Run) {
	lang := "en"
	if chat, err := b.subs.Chat(ctx, run.AdminChatID); err == nil {
		lang = b.language(chat)
	}
	progressID, doneID := texts.BroadcastProgress, texts.BroadcastDone
	if run.Kind == subscriptions.RunDigest {
		progressID, doneID = texts.SendDigestProgress, texts.SendDigestDone
	}
	show := func(text string) {
		if run.ProgressMessage == 0 {
			run.ProgressMessage = b.send(ctx, Message{ChatID: run.AdminChatID, Text: text})
			if run.ProgressMessage != 0 {
				if err := b.subs.SetRunMessage(ctx, run.ID, run.ProgressMessage); err != nil {
					b.log.Error("bot: remember progress message", slog.Int64("run", run.ID), slog.String("error", err.Error()))
				}
			}
			return
		}
		if err := b.sender.Edit(ctx, run.AdminChatID, run.ProgressMessage, text, nil); err != nil && ctx.Err() == nil {
			b.log.Warn("bot: edit progress", slog.Int64("run", run.ID), slog.String("error", err.Error()))
		}
	}
	lastSent := -1
	for {
		p, err := b.subs.RunProgress(ctx, run.ID)
		if err != nil {
			if ctx.Err() == nil {
				b.log.Error("bot: bulk send progress", slog.Int64("run", run.ID), slog.String("error", err.Error()))
			}
		} else {
			data := map[string]any{"Sent": formatCount(lang, p.Sent), "Total": formatCount(lang, p.Total),
				"Blocked": formatCount(lang, p.Blocked), "Failed": formatCount(lang, p.Failed)}
			if p.Done() {
				if err := b.subs.FinishRun(ctx, run.ID); err != nil && !errors.Is(err, subscriptions.ErrRunState) {
					b.log.Error("bot: finish bulk send", slog.Int64("run", run.ID), slog.String("error", err.Error()))
					return
				}
				show(b.texts.T(lang, doneID, data))
				b.log.Info("bot: bulk send finished", slog.Int64("run", run.ID), slog.String("kind", run.Kind),
					slog.Int("sent", p.Sent), slog.Int("blocked", p.Blocked), slog.Int("failed", p.Failed))
				return
			}
			if p.Sent != lastSent {
				show(b.texts.T(lang, progressID, data))
				lastSent = p.Sent
			}
		}
		if sleep(ctx, progressEvery) != nil {
			return
		}
	}
}

// formatCount writes n with thousands grouped the way lang does: 1,200 in English, 1 200 in
// Russian and Kazakh.
func formatCount(lang string, n int) string {
	s := strconv.Itoa(n)
	sep := "\u00a0"
	if lang == "en" {
		sep = ","
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out.WriteString(sep)
		}
		out.WriteRune(r)
	}
	if neg {
		return "-" + out.String()
	}
	return out.String()
}
