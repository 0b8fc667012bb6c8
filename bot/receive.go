package bot

import (
	"context"
	"log/slog"

	tg "github.com/go-telegram/bot"
)

// receive takes updates from Telegram until ctx ends: by long polling. A webhook left set (by
// an earlier webhook-mode run) makes getUpdates fail with 409 forever, so polling mode removes
// it first, keeping the updates Telegram holds.
func (b *Bot) receive(ctx context.Context) error {
	if _, err := b.tg.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
		b.log.Warn("bot: delete webhook", slog.String("error", err.Error()))
	}
	b.log.Info("bot: polling Telegram", slog.String("username", b.Username()))
	b.tg.Start(ctx)
	return nil
}
