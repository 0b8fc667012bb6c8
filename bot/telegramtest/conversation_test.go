package telegramtest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"
)

func TestCallbackQueryRoundTrip(t *testing.T) {
	srv := newServer(t, Options{})
	b := newBot(t, srv)
	type press struct {
		data    string
		message *models.Message
		answer  error
		edit    error
	}
	presses := make(chan press, 4)
	b.RegisterHandler(bot.HandlerTypeCallbackQueryData, "t:", bot.MatchTypePrefix, func(ctx context.Context, b *bot.Bot, u *models.Update) {
		cq := u.CallbackQuery
		p := press{data: cq.Data, message: cq.Message.Message}
		_, p.answer = b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: cq.ID, Text: "Подписка оформлена"})
		if m := cq.Message.Message; m != nil {
			_, p.edit = b.EditMessageText(ctx, &bot.EditMessageTextParams{
				ChatID: m.Chat.ID, MessageID: m.ID, Text: "✅ <b>Энергетика</b>", ParseMode: models.ParseModeHTML,
			})
		}
		presses <- p
	})
	startBot(t, b)

	picker, err := b.SendMessage(ctxTimeout(t), &bot.SendMessageParams{
		ChatID: aliya.ID, Text: "Выберите темы:",
		ReplyMarkup: models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
			{{Text: "Энергетика", CallbackData: "t:energy"}, {Text: "Экономика", CallbackData: "t:economy"}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	sent := srv.Messages(aliya.ID)[0]
	cbID := srv.PressButton(aliya.Chat(), aliya, picker.ID, sent.Buttons()[0].CallbackData)

	var p press
	select {
	case p = <-presses:
	case <-time.After(time.Second):
		t.Fatal("the callback handler did not run")
	}
	if p.data != "t:energy" || p.message == nil {
		t.Fatalf("handler saw data %q, message %v", p.data, p.message)
	}
	if p.message.ID != picker.ID || p.message.Text != "Выберите темы:" || p.message.Date != int(fixedNow.Unix()) ||
		p.message.From == nil || !p.message.From.IsBot || p.message.ReplyMarkup == nil || len(p.message.ReplyMarkup.InlineKeyboard[0]) != 2 {
		t.Errorf("callback message = %+v", p.message)
	}
	if p.answer != nil || p.edit != nil {
		t.Fatalf("answer: %v, edit: %v", p.answer, p.edit)
	}
	answers := srv.Calls("answerCallbackQuery")
	if len(answers) != 1 || answers[0].Params["callback_query_id"] != cbID || answers[0].Params["text"] != "Подписка оформлена" {
		t.Errorf("answerCallbackQuery calls = %+v", answers)
	}
	edited := srv.Messages(aliya.ID)[0]
	if edited.PlainText != "✅ Энергетика" || edited.Edits != 1 || edited.ReplyMarkup != "" || edited.Buttons() != nil {
		t.Errorf("after the edit, the user sees %+v (editing without reply_markup removes the keyboard)", edited)
	}

	// A second answer to the same query is refused.
	_, err = b.AnswerCallbackQuery(ctxTimeout(t), &bot.AnswerCallbackQueryParams{CallbackQueryID: cbID})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "query is too old") {
		t.Errorf("second answer: %v", err)
	}

	// A press on a message that is gone arrives as an inaccessible message.
	srv.PressButton(aliya.Chat(), aliya, 999, "t:gone")
	select {
	case p = <-presses:
	case <-time.After(time.Second):
		t.Fatal("the callback handler did not run")
	}
	if p.message != nil || p.answer != nil {
		t.Errorf("inaccessible press: message %+v, answer %v", p.message, p.answer)
	}
}

func TestCommandReachesHandler(t *testing.T) {
	srv := newServer(t, Options{})
	b := newBot(t, srv)
	got := newReceived()
	b.RegisterHandler(bot.HandlerTypeMessageText, "digest", bot.MatchTypeCommandStartOnly, got.handler)
	startBot(t, b)
	srv.SendText(aliya.Chat(), aliya, "/digest 08:30")
	u := got.wait(t, 1)[0]
	want := []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: 7}}
	if diff := cmp.Diff(want, u.Message.Entities); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	if u.Message.From.ID != aliya.ID || u.Message.From.LanguageCode != "kk" || u.Message.Chat.Username != "aliya_kz" ||
		u.Message.Chat.Type != models.ChatTypePrivate || u.Message.ID != 1 {
		t.Errorf("message = %+v", u.Message)
	}
}

func TestBotCommandEntities(t *testing.T) {
	type ent struct{ Off, Len int }
	tests := []struct {
		text string
		want []ent
	}{
		{"/start", []ent{{0, 6}}},
		{"/start topic_energy", []ent{{0, 6}}},
		{"/start@newsbot_test_bot", []ent{{0, 23}}},
		{"/digest 08:30", []ent{{0, 7}}},
		{"hello /help, /stop", []ent{{6, 5}, {13, 5}}},
		{"Тоқаев /search уран", []ent{{7, 7}}},
		{"😀 /help", []ent{{3, 5}}},
		{"/a@bc", nil},
		{"/start/x", nil},
		{"path/start", nil},
		{"/старт", nil},
		{"/", nil},
		{"<b>/start</b>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got []ent
			for _, e := range botCommandEntities(tt.text) {
				if e.Type != models.MessageEntityTypeBotCommand {
					t.Errorf("type %q", e.Type)
				}
				got = append(got, ent{e.Offset, e.Length})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("entities (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGroupAndChannelMessages(t *testing.T) {
	srv := newServer(t, Options{})
	srv.SendText(almaty, aliya, "/start@newsbot_test_bot")
	srv.SendText(Chat{ID: -1001111111111, Type: "channel", Title: "Kursiv"}, User{}, "Пост")
	ups := srv.pendingUpdates(t)
	if m := ups[0].Message; m == nil || m.Chat.Title != "Алматы жаңалықтары" || m.Chat.Type != models.ChatTypeSupergroup || m.From.ID != aliya.ID {
		t.Errorf("group message = %+v", ups[0])
	}
	if p := ups[1].ChannelPost; p == nil || p.From != nil || p.SenderChat == nil || p.SenderChat.Title != "Kursiv" {
		t.Errorf("channel post = %+v", ups[1])
	}
}

func TestEditAndDelete(t *testing.T) {
	srv := newServer(t, Options{})
	b := newBot(t, srv)
	ctx := ctxTimeout(t)
	kb := models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Send", CallbackData: "b:send"}}}}
	m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: timur.ID, Text: "<i>Предпросмотр</i>", ParseMode: models.ParseModeHTML, ReplyMarkup: kb})
	if err != nil {
		t.Fatal(err)
	}
	badReq := func(err error, desc string) {
		t.Helper()
		if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), desc) {
			t.Errorf("err = %v, want %q", err, desc)
		}
	}
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: timur.ID, MessageID: m.ID, Text: "<i>Предпросмотр</i>", ParseMode: models.ParseModeHTML, ReplyMarkup: kb})
	badReq(err, "message is not modified")
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: timur.ID, MessageID: m.ID + 1, Text: "x"})
	badReq(err, "message to edit not found")
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: timur.ID, MessageID: m.ID, Text: "<i>broken", ParseMode: models.ParseModeHTML})
	badReq(err, "can't parse entities")

	edited, err := b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: timur.ID, MessageID: m.ID,
		ReplyMarkup: models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Sent ✓", CallbackData: "b:done"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if edited.EditDate == 0 || edited.Text != "Предпросмотр" || edited.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "b:done" {
		t.Errorf("edited = %+v", edited)
	}
	if s := srv.Messages(timur.ID)[0]; s.Edits != 1 || s.Buttons()[0].Text != "Sent ✓" || s.Text != "<i>Предпросмотр</i>" {
		t.Errorf("after editMessageReplyMarkup: %+v", s)
	}

	srv.SendText(timur.Chat(), timur, "/stats")
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: timur.ID, MessageID: m.ID + 1, Text: "x"})
	badReq(err, "message can't be edited")

	if ok, err := b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: timur.ID, MessageID: m.ID}); err != nil || !ok {
		t.Fatalf("DeleteMessage = %v, %v", ok, err)
	}
	if n := len(srv.Messages(timur.ID)); n != 0 {
		t.Errorf("a deleted message is still shown")
	}
	_, err = b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: timur.ID, MessageID: m.ID})
	badReq(err, "message to delete not found")
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: timur.ID, MessageID: m.ID, Text: "x"})
	badReq(err, "message to edit not found")
}

func TestChatMembers(t *testing.T) {
	srv := newServer(t, Options{})
	b := newBot(t, srv)
	ctx := ctxTimeout(t)
	srv.SendText(almaty, bakyt, "/stats") // makes Бакыт known by name
	srv.SetAdmins(almaty.ID, aliya.ID, bakyt.ID)

	statuses := map[int64]models.ChatMemberType{}
	for _, id := range []int64{aliya.ID, bakyt.ID, timur.ID} {
		m, err := b.GetChatMember(ctx, &bot.GetChatMemberParams{ChatID: almaty.ID, UserID: id})
		if err != nil {
			t.Fatal(err)
		}
		statuses[id] = m.Type
	}
	want := map[int64]models.ChatMemberType{aliya.ID: models.ChatMemberTypeOwner, bakyt.ID: models.ChatMemberTypeAdministrator, timur.ID: models.ChatMemberTypeMember}
	if diff := cmp.Diff(want, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	admins, err := b.GetChatAdministrators(ctx, &bot.GetChatAdministratorsParams{ChatID: almaty.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(admins) != 2 || admins[0].Owner.User.ID != aliya.ID || admins[1].Administrator.User.FirstName != "Бакыт" {
		t.Errorf("admins = %+v", admins)
	}
	if _, err := b.GetChatAdministrators(ctx, &bot.GetChatAdministratorsParams{ChatID: timur.ID}); !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("administrators of a private chat: %v", err)
	}
	chat, err := b.GetChat(ctx, &bot.GetChatParams{ChatID: almaty.ID})
	if err != nil || chat.Title != almaty.Title || chat.Type != models.ChatTypeSupergroup {
		t.Errorf("GetChat = %+v, %v", chat, err)
	}
}

func TestMyCommands(t *testing.T) {
	srv := newServer(t, Options{})
	b := newBot(t, srv)
	ctx := ctxTimeout(t)
	ru := []models.BotCommand{{Command: "start", Description: "Начать"}, {Command: "topics", Description: "Темы"}}
	if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: ru, LanguageCode: "ru"}); err != nil {
		t.Fatal(err)
	}
	admin := []models.BotCommand{{Command: "broadcast", Description: "Рассылка"}}
	if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: admin, Scope: &models.BotCommandScopeChat{ChatID: aliya.ID}}); err != nil {
		t.Fatal(err)
	}
	got, err := b.GetMyCommands(ctx, &bot.GetMyCommandsParams{LanguageCode: "ru"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ru, got); diff != "" {
		t.Errorf("ru commands (-want +got):\n%s", diff)
	}
	if got, _ := b.GetMyCommands(ctx, &bot.GetMyCommandsParams{Scope: &models.BotCommandScopeChat{ChatID: aliya.ID}}); !cmp.Equal(admin, got) {
		t.Errorf("chat-scoped commands = %+v", got)
	}
	if got, err := b.GetMyCommands(ctx, &bot.GetMyCommandsParams{}); err != nil || len(got) != 0 {
		t.Errorf("default commands = %+v, %v", got, err)
	}
	for _, bad := range []models.BotCommand{{Command: "Start", Description: "x"}, {Command: "/start", Description: "x"}, {Command: "start", Description: ""}} {
		if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: []models.BotCommand{bad}}); !errors.Is(err, bot.ErrorBadRequest) {
			t.Errorf("SetMyCommands(%+v) = %v, want a 400", bad, err)
		}
	}
	if _, err := b.DeleteMyCommands(ctx, &bot.DeleteMyCommandsParams{LanguageCode: "ru"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.GetMyCommands(ctx, &bot.GetMyCommandsParams{LanguageCode: "ru"}); len(got) != 0 {
		t.Errorf("after delete: %+v", got)
	}
}

func TestChatActionAndUnimplemented(t *testing.T) {
	srv := newServer(t, Options{})
	b := newBot(t, srv)
	ctx := ctxTimeout(t)
	if ok, err := b.SendChatAction(ctx, &bot.SendChatActionParams{ChatID: aliya.ID, Action: models.ChatActionTyping}); err != nil || !ok {
		t.Errorf("typing: %v %v", ok, err)
	}
	if _, err := b.SendChatAction(ctx, &bot.SendChatActionParams{ChatID: aliya.ID, Action: "dancing"}); !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("bad action: %v", err)
	}
	if got := srv.Unimplemented(); len(got) != 0 {
		t.Errorf("Unimplemented = %v before any", got)
	}
	photo, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: aliya.ID, Photo: &models.InputFileString{Data: "https://orda.kz/a.jpg"}, Caption: "Астана"})
	if err != nil || photo.ID != 1 || photo.Caption != "Астана" {
		t.Errorf("SendPhoto = %+v, %v", photo, err)
	}
	if ok, err := b.SetMyDescription(ctx, &bot.SetMyDescriptionParams{Description: "Новости"}); err != nil || !ok {
		t.Errorf("SetMyDescription = %v, %v", ok, err)
	}
	if diff := cmp.Diff([]string{"sendPhoto", "setMyDescription"}, srv.Unimplemented()); diff != "" {
		t.Errorf("Unimplemented (-want +got):\n%s", diff)
	}
	if s := srv.Messages(aliya.ID); len(s) != 1 || s[0].Method != "sendPhoto" {
		t.Errorf("Messages = %+v", s)
	}
}
