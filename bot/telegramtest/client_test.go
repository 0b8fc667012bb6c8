package telegramtest

import (
	"errors"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"
)

func TestGetMe(t *testing.T) {
	srv := newServer(t, Options{BotUsername: "ortalyq_news_bot"})
	b, err := bot.New(srv.Token(), bot.WithServerURL(srv.URL())) // calls getMe
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	if n := len(srv.Calls("getMe")); n != 1 {
		t.Errorf("getMe calls = %d, want 1", n)
	}
	me, err := b.GetMe(ctxTimeout(t))
	if err != nil {
		t.Fatal(err)
	}
	want := &models.User{ID: 7000000001, IsBot: true, FirstName: "Newsbot Test", Username: "ortalyq_news_bot", CanJoinGroups: true}
	if diff := cmp.Diff(want, me); diff != "" {
		t.Errorf("getMe (-want +got):\n%s", diff)
	}
	if b.ID() != me.ID {
		t.Errorf("token's bot id %d, getMe id %d", b.ID(), me.ID)
	}
}

func TestWrongToken(t *testing.T) {
	srv := newServer(t, Options{})
	_, err := bot.New("7000000001:AAWrongTokenWrongTokenWrongToken012", bot.WithServerURL(srv.URL()))
	if !errors.Is(err, bot.ErrorUnauthorized) {
		t.Errorf("bot.New with a wrong token: %v, want ErrorUnauthorized", err)
	}
}

func TestSendMessage(t *testing.T) {
	srv := newServer(t, Options{})
	b := newBot(t, srv)
	ctx := ctxTimeout(t)
	text := "<b>«Казатомпром» увеличил добычу урана</b>\nOrda.kz · 08:15\n<a href=\"https://orda.kz/a?x=1&amp;y=2\">Подробнее</a>"
	markup := models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
		{{Text: "✅ Энергетика", CallbackData: "t:energy"}, {Text: "Orda.kz", URL: "https://orda.kz/"}},
	}}
	msg, err := b.SendMessage(ctx, &bot.SendMessageParams{
		ChatID:             aliya.ID,
		Text:               text,
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: bot.True()},
		ReplyMarkup:        markup,
	})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	plain := "«Казатомпром» увеличил добычу урана\nOrda.kz · 08:15\nПодробнее"
	if msg.ID != 1 || msg.Chat.ID != aliya.ID || msg.Chat.Type != models.ChatTypePrivate || msg.Text != plain ||
		msg.Date != int(fixedNow.Unix()) || msg.From == nil || !msg.From.IsBot || msg.Entities != nil {
		t.Errorf("result message = %+v", msg)
	}
	if msg.ReplyMarkup == nil || msg.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "t:energy" {
		t.Errorf("result reply_markup = %+v", msg.ReplyMarkup)
	}

	calls := srv.Calls("sendMessage")
	if len(calls) != 1 {
		t.Fatalf("sendMessage calls = %d, want 1", len(calls))
	}
	c := calls[0]
	if c.Status != 200 || c.ChatID != aliya.ID || c.Params["chat_id"] != "1001" || c.Params["text"] != text ||
		c.Params["parse_mode"] != "HTML" || c.Params["link_preview_options"] != `{"is_disabled":true}` {
		t.Errorf("recorded call = %+v", c)
	}
	if !strings.Contains(c.Params["reply_markup"], `"callback_data":"t:energy"`) {
		t.Errorf("reply_markup param = %s", c.Params["reply_markup"])
	}

	sent := srv.Messages(aliya.ID)
	if len(sent) != 1 {
		t.Fatalf("Messages = %d, want 1", len(sent))
	}
	s := sent[0]
	if s.MessageID != 1 || s.Method != "sendMessage" || s.Text != text || s.PlainText != plain || s.ParseMode != "HTML" ||
		!s.LinkPreviewDisabled || s.Edits != 0 || s.ReplyMarkup != c.Params["reply_markup"] {
		t.Errorf("Sent = %+v", s)
	}
	wantButtons := []Button{
		{Row: 0, Col: 0, Text: "✅ Энергетика", CallbackData: "t:energy"},
		{Row: 0, Col: 1, Text: "Orda.kz", URL: "https://orda.kz/"},
	}
	if diff := cmp.Diff(wantButtons, s.Buttons()); diff != "" {
		t.Errorf("Buttons (-want +got):\n%s", diff)
	}

	// Message ids increase per chat.
	for i, chat := range []int64{aliya.ID, timur.ID, aliya.ID} {
		m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat, Text: "Tengrinews: погода в Астане"})
		if err != nil {
			t.Fatal(err)
		}
		if want := []int{2, 1, 3}[i]; m.ID != want {
			t.Errorf("send %d to %d: message_id %d, want %d", i, chat, m.ID, want)
		}
	}
	if got := srv.WaitMessages(t, aliya.ID, 3, 0); len(got) != 3 || got[2].MessageID != 3 {
		t.Errorf("WaitMessages = %+v", got)
	}
}

func TestSendMessageRejected(t *testing.T) {
	cyrillic33 := strings.Repeat("ж", 33) // 66 bytes of callback_data
	tests := []struct {
		name   string
		params bot.SendMessageParams
		want   string // the description after "bad request, "
	}{
		{name: "unescaped less-than", params: bot.SendMessageParams{Text: "Нефть < $70", ParseMode: models.ParseModeHTML},
			want: `Bad Request: can't parse entities: Unsupported start tag "" at byte offset 11`},
		{name: "unbalanced", params: bot.SendMessageParams{Text: "<b>Ташкент", ParseMode: models.ParseModeHTML},
			want: `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{name: "too long", params: bot.SendMessageParams{Text: strings.Repeat("ә", 4097)},
			want: "Bad Request: message is too long"},
		{name: "empty after parsing", params: bot.SendMessageParams{Text: "<b> </b>", ParseMode: models.ParseModeHTML},
			want: "Bad Request: message text is empty"},
		{name: "empty", params: bot.SendMessageParams{Text: ""},
			want: "Bad Request: message text is empty"},
		{name: "unknown parse mode", params: bot.SendMessageParams{Text: "x", ParseMode: "XML"},
			want: "Bad Request: unsupported parse_mode"},
		{name: "callback data over 64 bytes", params: bot.SendMessageParams{Text: "x", ReplyMarkup: models.InlineKeyboardMarkup{
			InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "x", CallbackData: cyrillic33}}}}},
			want: "Bad Request: BUTTON_DATA_INVALID"},
		{name: "button without action", params: bot.SendMessageParams{Text: "x", ReplyMarkup: models.InlineKeyboardMarkup{
			InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "x"}}}}},
			want: "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"},
		{name: "relative button URL", params: bot.SendMessageParams{Text: "x", ReplyMarkup: models.InlineKeyboardMarkup{
			InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "x", URL: "/news/1"}}}}},
			want: "Bad Request: BUTTON_URL_INVALID"},
	}
	srv := newServer(t, Options{})
	b := newBot(t, srv)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.params
			p.ChatID = aliya.ID
			_, err := b.SendMessage(ctxTimeout(t), &p)
			if !errors.Is(err, bot.ErrorBadRequest) {
				t.Fatalf("err = %v, want ErrorBadRequest", err)
			}
			if !strings.HasSuffix(err.Error(), ", "+tt.want) {
				t.Errorf("err = %q, want description %q", err, tt.want)
			}
			calls := srv.Calls("sendMessage")
			if last := calls[len(calls)-1]; last.Status != 400 || last.Error != tt.want {
				t.Errorf("recorded %d %q", last.Status, last.Error)
			}
		})
	}
	if n := len(srv.Messages(aliya.ID)); n != 0 {
		t.Errorf("%d rejected messages were kept", n)
	}
}

func TestChatIDRequired(t *testing.T) {
	srv := newServer(t, Options{})
	b := newBot(t, srv)
	_, err := b.SendMessage(ctxTimeout(t), &bot.SendMessageParams{ChatID: "", Text: "x"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.HasSuffix(err.Error(), "chat_id is empty") {
		t.Errorf("err = %v", err)
	}
	_, err = b.SendMessage(ctxTimeout(t), &bot.SendMessageParams{ChatID: "@no_such_channel", Text: "x"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.HasSuffix(err.Error(), "chat not found") {
		t.Errorf("err = %v", err)
	}
}
