package bot

import (
	"github.com/go-telegram/bot/models"

	"newsbot/bot/texts"
	"newsbot/subscriptions"
)

// Callback data. Telegram allows 1-64 bytes; topic ids are at most 32 ASCII bytes.
const (
	cbTopic    = "t:"       // t:<topic id> toggles a topic in the picker
	cbStopYes  = "stop:yes" // confirms /stop
	cbStopNo   = "stop:no"  // cancels /stop
	pickerCols = 2
)

// topicKeyboard is the topic picker: every configured topic, in configuration order, ✅ on the
// chosen ones; a tap toggles it.
func topicKeyboard(cat *subscriptions.Catalog, chosen []string, lang string) *models.InlineKeyboardMarkup {
	on := map[string]bool{}
	for _, id := range chosen {
		on[id] = true
	}
	var rows [][]models.InlineKeyboardButton
	var row []models.InlineKeyboardButton
	for _, t := range cat.All() {
		label := t.TitleIn(lang)
		if on[t.ID] {
			label = "✅ " + label
		}
		row = append(row, models.InlineKeyboardButton{Text: label, CallbackData: cbTopic + t.ID})
		if len(row) == pickerCols {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// stopKeyboard asks to confirm /stop.
func stopKeyboard(c *texts.Catalog, lang string) *models.InlineKeyboardMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: texts.Plain(c.T(lang, texts.StopYes, nil)), CallbackData: cbStopYes},
		{Text: texts.Plain(c.T(lang, texts.StopNo, nil)), CallbackData: cbStopNo},
	}}}
}
