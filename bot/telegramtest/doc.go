// Package telegramtest is a fake Telegram Bot API server for tests: an httptest server that
// speaks the real wire format, so that a bot built on github.com/go-telegram/bot runs against it
// end to end with no network.
//
// Point the bot at it and script the users:
//
//	srv := telegramtest.New(t, telegramtest.Options{})
//	b, err := bot.New(srv.Token(), bot.WithServerURL(srv.URL()))
//	...
//	alice := telegramtest.User{ID: 1001, FirstName: "Әлия", LanguageCode: "kk"}
//	srv.SendText(alice.Chat(), alice, "/start")
//	msgs := srv.WaitMessages(t, alice.ID, 1, time.Second)
//	srv.PressButton(alice.Chat(), alice, msgs[0].MessageID, msgs[0].Buttons()[0].CallbackData)
//
// What it models, as Telegram behaves:
//   - requests: POST or GET {URL}/bot{token}/{method}, method names case-insensitive; bodies as
//     multipart/form-data (go-telegram/bot), application/json or form-urlencoded; wrong token
//     401, unknown method 404; replies {"ok":true,"result":…} or {"ok":false,"error_code":N,
//     "description":…,"parameters":{…}} with the HTTP status equal to error_code;
//   - updates: real long polling in getUpdates (offset confirms, timeout waits, limit, sticky
//     allowed_updates, 409 for a second poller or an active webhook), webhook delivery on demand
//     (DeliverWebhook);
//   - messages: per-chat message ids, HTML parsed and checked like TDLib (ValidateHTML), 4096
//     characters, inline keyboards checked (callback_data 1–64 bytes), edits that remove the
//     keyboard when reply_markup is omitted, "message is not modified", deletions, callback
//     queries answered once;
//   - chats: admins for getChatMember and getChatAdministrators (SetAdmins), users who block
//     the bot (BlockBot), groups upgraded to supergroups (MigrateChat);
//   - failures on demand (Fail: 429, 403, 400, migrate, 5xx, non-JSON bodies, slow answers) and
//     optional flood control (Options) with counters to check a sender's pace (Stats).
//
// Every call is recorded (Calls, WaitCalls); the bot's messages are kept as the user would see
// them (Messages, WaitMessages). Known methods the fake does not model are answered
// generically and listed by Unimplemented. MarkdownV2 text is not parsed.
package telegramtest
