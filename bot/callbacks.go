package bot

import (
	"context"
	"log/slog"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"newsbot/bot/texts"
)

// onCallback answers a button press. Every press is answered (Telegram shows a spinner until
// it is), with a short note or an alert.
func (b *Bot) onCallback(ctx context.Context, cq *models.CallbackQuery) {
	msg := cq.Message.Message
	answer := func(text string, alert bool) {
		if _, err := b.tg.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{
			CallbackQueryID: cq.ID, Text: texts.Plain(text), ShowAlert: alert,
		}); err != nil {
			b.log.Warn("bot: answer button", slog.String("error", err.Error()))
		}
	}
	if msg == nil {
		// Too old for Telegram to send the message along: nothing to edit.
		answer(b.texts.T(texts.Pick("", cq.From.LanguageCode), texts.ButtonExpired, nil), false)
		return
	}
	chat, err := b.touch(ctx, msg.Chat, &cq.From)
	if err != nil {
		b.log.Error("bot: remember chat", slog.Int64("chat_id", msg.Chat.ID), slog.String("error", err.Error()))
		answer(b.texts.T(texts.Pick("", cq.From.LanguageCode), texts.ErrorGeneric, nil), false)
		return
	}
	lang := b.language(chat)
	if strings.HasPrefix(cq.Data, cbBroadcastSend) || strings.HasPrefix(cq.Data, cbBroadcastCancel) {
		// Bot admins' buttons, wherever they pressed them.
		note := b.onBroadcastButton(ctx, cq, chat.ID, msg.ID, lang, cq.Data)
		answer(note, note != "")
		return
	}
	// Buttons are pressed by a person: in a group or channel (whose readers see the buttons on
	// its posts) only its admins may change it.
	if msg.Chat.Type != models.ChatTypePrivate && !b.isGroupAdmin(ctx, chat.ID, cq.From.ID) {
		answer(b.texts.T(lang, texts.GroupAdminsOnly, nil), true)
		return
	}
	switch data := cq.Data; {
	case strings.HasPrefix(data, cbTopic):
		t, ok := b.subs.Topics().Topic(strings.TrimPrefix(data, cbTopic))
		if !ok {
			answer(b.texts.T(lang, texts.ButtonExpired, nil), false)
			return
		}
		on, err := b.subs.Toggle(ctx, chat.ID, t.ID)
		if err != nil {
			b.log.Error("bot: toggle topic", slog.Int64("chat_id", chat.ID), slog.String("error", err.Error()))
			answer(b.texts.T(lang, texts.ErrorGeneric, nil), false)
			return
		}
		fresh, err := b.subs.Chat(ctx, chat.ID)
		if err != nil {
			b.log.Error("bot: read chat", slog.Int64("chat_id", chat.ID), slog.String("error", err.Error()))
			return
		}
		note := texts.Unsubscribed
		if on {
			note = texts.Subscribed
		}
		answer(b.texts.T(lang, note, map[string]any{"Topic": t.TitleIn(lang)}), false)
		if err := b.sender.EditMarkup(ctx, chat.ID, msg.ID, topicKeyboard(b.subs.Topics(), fresh.Topics, lang)); err != nil {
			b.log.Warn("bot: update picker", slog.Int64("chat_id", chat.ID), slog.String("error", err.Error()))
		}
	case strings.HasPrefix(data, cbAlertDelete):
		answer(b.onAlertDelete(ctx, chat.ID, msg.ID, lang, data), false)
	case data == cbStopYes:
		b.alertEdits.Lock()
		gone, _ := b.subs.Alerts(ctx, chat.ID)
		err := b.subs.Forget(ctx, chat.ID)
		if err == nil {
			b.unindexAlerts(ctx, gone)
		}
		b.alertEdits.Unlock()
		if err != nil {
			b.log.Error("bot: forget chat", slog.Int64("chat_id", chat.ID), slog.String("error", err.Error()))
			answer(b.texts.T(lang, texts.ErrorGeneric, nil), false)
			return
		}
		answer("", false)
		b.edit(ctx, chat.ID, msg.ID, b.texts.T(lang, texts.StopDone, nil))
	case data == cbStopNo:
		answer("", false)
		b.edit(ctx, chat.ID, msg.ID, b.texts.T(lang, texts.StopCancelled, nil))
	default:
		answer(b.texts.T(lang, texts.ButtonExpired, nil), false)
	}
}

// edit replaces a message's text and removes its buttons.
func (b *Bot) edit(ctx context.Context, chatID int64, id int, text string) {
	if err := b.sender.Edit(ctx, chatID, id, text, nil); err != nil {
		b.log.Warn("bot: edit message", slog.Int64("chat_id", chatID), slog.String("error", err.Error()))
	}
}
