package bot

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"newsbot/bot/texts"
	"newsbot/subscriptions"
)

// maxQuery bounds a /search query, in characters.
const maxQuery = 200

// latestCount is how many stories /latest and /search show.
const latestCount = 5

// request is one incoming message being answered.
type request struct {
	chat   subscriptions.Chat
	lang   string
	msg    *models.Message
	userID int64 // 0 in channels
	cmd    command
}

// handle answers one update.
func (b *Bot) handle(ctx context.Context, u *models.Update) {
	switch {
	case u.Message != nil:
		b.onMessage(ctx, u.Message)
	case u.ChannelPost != nil:
		b.onMessage(ctx, u.ChannelPost)
	case u.CallbackQuery != nil:
		b.onCallback(ctx, u.CallbackQuery)
	case u.MyChatMember != nil:
		b.onMembership(ctx, u.MyChatMember)
	}
}

func chatInfo(c models.Chat, from *models.User) subscriptions.ChatInfo {
	info := subscriptions.ChatInfo{ID: c.ID, Type: string(c.Type), Title: c.Title}
	if info.Title == "" {
		info.Title = strings.TrimSpace(c.FirstName + " " + c.LastName)
	}
	if from != nil {
		info.LanguageCode = from.LanguageCode
	}
	return info
}

func (b *Bot) onMessage(ctx context.Context, msg *models.Message) {
	// A group upgraded to a supergroup gets a new id; Telegram says so in service messages to
	// both. Its settings move with it.
	if msg.MigrateFromChatID != 0 || msg.MigrateToChatID != 0 {
		from, to := msg.MigrateFromChatID, msg.Chat.ID
		if msg.MigrateToChatID != 0 {
			from, to = msg.Chat.ID, msg.MigrateToChatID
		}
		if err := b.subs.MoveChat(ctx, from, to); err != nil && !errors.Is(err, subscriptions.ErrNoChat) {
			b.log.Error("bot: move migrated chat", slog.Int64("chat_id", from), slog.Int64("new_chat_id", to), slog.String("error", err.Error()))
		}
		b.reindexChat(ctx, to)
		return
	}
	text := strings.TrimSpace(msg.Text)
	if text == "" {
		return // photos, stickers, other service messages
	}
	// A forwarded message is someone else's words: a "/senddigest" in it is not a command of
	// whoever forwarded it.
	forwarded := msg.ForwardOrigin != nil || msg.IsAutomaticForward
	isCmd := strings.HasPrefix(text, "/") && !forwarded
	private := msg.Chat.Type == models.ChatTypePrivate
	if !isCmd && !private {
		return // chatter in groups and channels is not for the bot
	}
	cmd, ok := parseCommand(text, b.Username())
	ok = ok && !forwarded
	if isCmd && !ok && addressedElsewhere(text, b.Username()) {
		return
	}
	if !private && isCmd && (!ok || !cmd.mentioned) && !knownCommands[cmd.name] && !adminCommands[cmd.name] {
		// Every bot in a group receives every /command: answer only those that are ours or
		// addressed to us by name.
		return
	}
	chat, err := b.touch(ctx, msg.Chat, msg.From)
	if err != nil {
		b.log.Error("bot: remember chat", slog.Int64("chat_id", msg.Chat.ID), slog.String("error", err.Error()))
		return
	}
	r := &request{chat: chat, msg: msg, cmd: cmd, lang: b.language(chat)}
	if msg.From != nil {
		r.userID = msg.From.ID
	}
	if !ok {
		if isCmd {
			name, _, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
			b.reply(ctx, r, b.texts.T(r.lang, texts.UnknownCommand, map[string]any{"Command": clip(name, 40)}))
			return
		}
		b.reply(ctx, r, b.texts.T(r.lang, texts.PlainTextHint, nil))
		return
	}
	switch cmd.name {
	case "start":
		b.cmdStart(ctx, r)
	case "help":
		help := b.texts.T(r.lang, texts.Help, nil)
		if b.admins[r.userID] {
			help += "\n\n" + b.texts.T(r.lang, texts.HelpAdmin, nil)
		}
		b.reply(ctx, r, help)
	case "topics":
		b.cmdTopics(ctx, r)
	case "subscribe":
		b.cmdSubscribe(ctx, r, true)
	case "unsubscribe":
		b.cmdSubscribe(ctx, r, false)
	case "latest":
		b.cmdLatest(ctx, r)
	case "search":
		b.cmdSearch(ctx, r)
	case "timezone":
		b.cmdTimezone(ctx, r)
	case "language":
		b.cmdLanguage(ctx, r)
	case "stop":
		b.cmdStop(ctx, r)
	case "alert":
		b.cmdAlert(ctx, r)
	case "alerts":
		b.cmdAlerts(ctx, r)
	case "unalert":
		b.cmdUnalert(ctx, r)
	case "digest":
		b.cmdDigest(ctx, r)
	case "mode":
		b.cmdMode(ctx, r)
	default:
		if adminCommands[cmd.name] {
			b.admin(ctx, r)
			return
		}
		b.reply(ctx, r, b.texts.T(r.lang, texts.UnknownCommand, map[string]any{"Command": cmd.name}))
	}
}

// knownCommands are the commands everyone may use; adminCommands (admin.go) are the others
// this bot answers.
var knownCommands = map[string]bool{
	"start": true, "help": true, "topics": true, "subscribe": true, "unsubscribe": true, "latest": true,
	"search": true, "timezone": true, "language": true, "stop": true, "alert": true, "alerts": true,
	"unalert": true, "digest": true, "mode": true,
}

// touch records the chat and returns it. In a private chat the user's Telegram language is
// remembered as the default; a group or channel takes the language of whoever first spoke to
// the bot there and keeps it, rather than following whoever spoke last.
func (b *Bot) touch(ctx context.Context, c models.Chat, from *models.User) (subscriptions.Chat, error) {
	info := chatInfo(c, from)
	if c.Type != models.ChatTypePrivate {
		known, err := b.subs.Chat(ctx, c.ID)
		switch {
		case err == nil && known.LanguageCode != "":
			info.LanguageCode = ""
		case err != nil && !errors.Is(err, subscriptions.ErrNoChat):
			return subscriptions.Chat{}, err
		}
	}
	chat, _, err := b.subs.Touch(ctx, info)
	return chat, err
}

// addressedElsewhere reports a command for another bot: /start@otherbot.
func addressedElsewhere(text, username string) bool {
	head, _, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
	_, mention, ok := strings.Cut(head, "@")
	return ok && !strings.EqualFold(strings.TrimSpace(mention), username)
}

// language is the chat's interface language.
func (b *Bot) language(c subscriptions.Chat) string {
	return texts.Pick(c.Language, c.LanguageCode)
}

// reply sends an HTML text to the request's chat.
func (b *Bot) reply(ctx context.Context, r *request, text string) {
	b.send(ctx, Message{ChatID: r.chat.ID, Text: text})
}

func (b *Bot) send(ctx context.Context, m Message) int {
	id, err := b.sender.Send(ctx, m)
	if err != nil && !errors.Is(err, ErrChatGone) {
		b.log.Error("bot: send", slog.Int64("chat_id", m.ChatID), slog.String("error", err.Error()))
	}
	return id
}

// mayChange reports whether the sender of r may change the chat's settings: anyone in a private
// chat, admins in groups (an anonymous admin posts as the group itself), and channel posts,
// which only a channel's admins can make. Others are told why not.
func (b *Bot) mayChange(ctx context.Context, r *request) bool {
	switch r.msg.Chat.Type {
	case models.ChatTypePrivate, models.ChatTypeChannel:
		return true
	}
	if r.msg.SenderChat != nil && r.msg.SenderChat.ID == r.chat.ID {
		return true
	}
	if b.isGroupAdmin(ctx, r.chat.ID, r.userID) {
		return true
	}
	b.reply(ctx, r, b.texts.T(r.lang, texts.GroupAdminsOnly, nil))
	return false
}

// anonymousAdmin is the user Telegram shows for a group admin who posts anonymously
// (@GroupAnonymousBot); only admins can post that way.
const anonymousAdmin = 1087968824

// isGroupAdmin reports whether user is an admin of a group or channel.
func (b *Bot) isGroupAdmin(ctx context.Context, chatID, userID int64) bool {
	if userID == anonymousAdmin {
		return true
	}
	if userID == 0 {
		return false
	}
	m, err := b.tg.GetChatMember(ctx, &tg.GetChatMemberParams{ChatID: chatID, UserID: userID})
	if err != nil {
		b.log.Warn("bot: check group admin", slog.Int64("chat_id", chatID), slog.String("error", err.Error()))
		return false
	}
	return m.Type == models.ChatMemberTypeOwner || m.Type == models.ChatMemberTypeAdministrator
}

func (b *Bot) cmdStart(ctx context.Context, r *request) {
	if !r.chat.Active {
		if err := b.subs.SetActive(ctx, r.chat.ID, true, ""); err != nil {
			b.log.Error("bot: reactivate chat", slog.Int64("chat_id", r.chat.ID), slog.String("error", err.Error()))
		}
		b.reindexChat(ctx, r.chat.ID)
	}
	welcome := texts.Welcome
	switch r.msg.Chat.Type {
	case models.ChatTypeGroup, models.ChatTypeSupergroup:
		welcome = texts.GroupWelcome
	case models.ChatTypeChannel:
		welcome = texts.ChannelWelcome
	}
	name := ""
	if r.msg.From != nil && r.msg.Chat.Type == models.ChatTypePrivate {
		name = r.msg.From.FirstName
	}
	text := b.texts.T(r.lang, welcome, map[string]any{"Name": name})
	if arg, ok := strings.CutPrefix(r.cmd.args, "topic_"); ok && b.mayChange(ctx, r) {
		if t, found := b.subs.Topics().Resolve(arg); found {
			if _, err := b.subs.Subscribe(ctx, r.chat.ID, t.ID); err != nil {
				b.log.Error("bot: subscribe", slog.Int64("chat_id", r.chat.ID), slog.String("error", err.Error()))
			} else {
				text = b.texts.T(r.lang, texts.Subscribed, map[string]any{"Topic": t.TitleIn(r.lang)}) + "\n\n" + text
			}
		}
	}
	b.sendPicker(ctx, r, text)
}

func (b *Bot) cmdTopics(ctx context.Context, r *request) {
	if b.subs.Topics().Len() == 0 {
		b.reply(ctx, r, b.texts.T(r.lang, texts.TopicsNoneConfigured, nil))
		return
	}
	b.sendPicker(ctx, r, b.texts.T(r.lang, texts.TopicsHeader, nil))
}

// sendPicker sends text with the topic picker under it.
func (b *Bot) sendPicker(ctx context.Context, r *request, text string) {
	chat, err := b.subs.Chat(ctx, r.chat.ID)
	if err != nil {
		b.log.Error("bot: read chat", slog.Int64("chat_id", r.chat.ID), slog.String("error", err.Error()))
		return
	}
	b.send(ctx, Message{ChatID: r.chat.ID, Text: text, Keyboard: topicKeyboard(b.subs.Topics(), chat.Topics, r.lang)})
}

func (b *Bot) topicIDs() []string {
	var ids []string
	for _, t := range b.subs.Topics().All() {
		ids = append(ids, t.ID)
	}
	return ids
}

func (b *Bot) cmdSubscribe(ctx context.Context, r *request, subscribe bool) {
	ids := b.topicIDs()
	example := ""
	if len(ids) > 0 {
		example = ids[0]
	}
	if r.cmd.args == "" {
		usage, list := texts.SubscribeUsage, ids
		if !subscribe {
			usage, list = texts.UnsubscribeUsage, r.chat.Topics
			if len(list) > 0 {
				example = list[0]
			}
		}
		b.reply(ctx, r, b.texts.T(r.lang, usage, map[string]any{"Example": example, "List": list}))
		return
	}
	t, ok := b.subs.Topics().Resolve(r.cmd.args)
	if !ok {
		b.reply(ctx, r, b.texts.T(r.lang, texts.TopicUnknown, map[string]any{"Name": clip(r.cmd.args, 64), "List": ids}))
		return
	}
	if !b.mayChange(ctx, r) {
		return
	}
	data := map[string]any{"Topic": t.TitleIn(r.lang)}
	if subscribe {
		added, err := b.subs.Subscribe(ctx, r.chat.ID, t.ID)
		switch {
		case err != nil:
			b.log.Error("bot: subscribe", slog.Int64("chat_id", r.chat.ID), slog.String("error", err.Error()))
			b.reply(ctx, r, b.texts.T(r.lang, texts.ErrorGeneric, nil))
		case added:
			b.reply(ctx, r, b.texts.T(r.lang, texts.Subscribed, data))
		default:
			b.reply(ctx, r, b.texts.T(r.lang, texts.AlreadySubscribed, data))
		}
		return
	}
	removed, err := b.subs.Unsubscribe(ctx, r.chat.ID, t.ID)
	switch {
	case err != nil:
		b.log.Error("bot: unsubscribe", slog.Int64("chat_id", r.chat.ID), slog.String("error", err.Error()))
		b.reply(ctx, r, b.texts.T(r.lang, texts.ErrorGeneric, nil))
	case removed:
		b.reply(ctx, r, b.texts.T(r.lang, texts.Unsubscribed, data))
	default:
		b.reply(ctx, r, b.texts.T(r.lang, texts.NotSubscribed, data))
	}
}

func (b *Bot) cmdTimezone(ctx context.Context, r *request) {
	if r.cmd.args == "" {
		b.reply(ctx, r, b.texts.T(r.lang, texts.TimezoneUsage, map[string]any{"TZ": r.chat.Location(b.cfg.Location).String()}))
		return
	}
	if !b.mayChange(ctx, r) {
		return
	}
	tz, err := b.subs.SetTimezone(ctx, r.chat.ID, r.cmd.args)
	if errors.Is(err, subscriptions.ErrBadTimezone) {
		b.reply(ctx, r, b.texts.T(r.lang, texts.TimezoneUnknown, map[string]any{"TZ": clip(r.cmd.args, 64)}))
		return
	}
	if err != nil {
		b.log.Error("bot: set time zone", slog.Int64("chat_id", r.chat.ID), slog.String("error", err.Error()))
		b.reply(ctx, r, b.texts.T(r.lang, texts.ErrorGeneric, nil))
		return
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = b.cfg.Location
	}
	now := b.now().In(loc).Format("15:04")
	b.reply(ctx, r, b.texts.T(r.lang, texts.TimezoneSet, map[string]any{"TZ": tz, "Time": now}))
}

func (b *Bot) cmdLanguage(ctx context.Context, r *request) {
	if r.cmd.args == "" {
		b.reply(ctx, r, b.texts.T(r.lang, texts.LanguageUsage, nil))
		return
	}
	if !b.mayChange(ctx, r) {
		return
	}
	lang, err := b.subs.SetLanguage(ctx, r.chat.ID, r.cmd.args)
	if errors.Is(err, subscriptions.ErrBadLanguage) {
		b.reply(ctx, r, b.texts.T(r.lang, texts.LanguageUnknown, nil))
		return
	}
	if err != nil {
		b.log.Error("bot: set language", slog.Int64("chat_id", r.chat.ID), slog.String("error", err.Error()))
		b.reply(ctx, r, b.texts.T(r.lang, texts.ErrorGeneric, nil))
		return
	}
	b.reply(ctx, r, b.texts.T(lang, texts.LanguageSet, nil))
}

func (b *Bot) cmdStop(ctx context.Context, r *request) {
	if !b.mayChange(ctx, r) {
		return
	}
	b.send(ctx, Message{ChatID: r.chat.ID, Text: b.texts.T(r.lang, texts.StopConfirm, nil), Keyboard: stopKeyboard(b.texts, r.lang)})
}

func (b *Bot) cmdLatest(ctx context.Context, r *request) {
	if len(r.chat.Topics) == 0 {
		b.sendPicker(ctx, r, b.texts.T(r.lang, texts.TopicsNone, nil))
		return
	}
	found, err := b.stories.Latest(ctx, r.chat.Topics, latestCount)
	if err != nil {
		b.log.Error("bot: latest", slog.Int64("chat_id", r.chat.ID), slog.String("error", err.Error()))
		b.reply(ctx, r, b.texts.T(r.lang, texts.ErrorGeneric, nil))
		return
	}
	if len(found) == 0 {
		b.reply(ctx, r, b.texts.T(r.lang, texts.LatestEmpty, nil))
		return
	}
	b.sendStories(ctx, r.chat, r.lang, b.texts.T(r.lang, texts.LatestHeader, nil), found)
}

func (b *Bot) cmdSearch(ctx context.Context, r *request) {
	q := r.cmd.args
	if q == "" {
		b.reply(ctx, r, b.texts.T(r.lang, texts.SearchUsage, nil))
		return
	}
	if utf8.RuneCountInString(q) > maxQuery {
		b.reply(ctx, r, b.texts.N(r.lang, texts.QueryTooLong, maxQuery, nil))
		return
	}
	found, err := b.stories.Search(ctx, q, latestCount)
	if err != nil {
		b.log.Error("bot: search", slog.Int64("chat_id", r.chat.ID), slog.String("error", err.Error()))
		b.reply(ctx, r, b.texts.T(r.lang, texts.ErrorGeneric, nil))
		return
	}
	if len(found) == 0 {
		b.reply(ctx, r, b.texts.T(r.lang, texts.SearchEmpty, map[string]any{"Query": q}))
		return
	}
	header := b.texts.N(r.lang, texts.SearchFound, len(found), map[string]any{"Query": q})
	b.sendStories(ctx, r.chat, r.lang, header, found)
}

// onMembership follows the bot being added to or removed from a chat.
func (b *Bot) onMembership(ctx context.Context, u *models.ChatMemberUpdated) {
	var status models.ChatMemberType = u.NewChatMember.Type
	switch status {
	case models.ChatMemberTypeLeft, models.ChatMemberTypeBanned:
		reason := "bot was removed from the chat"
		if u.Chat.Type == models.ChatTypePrivate {
			reason = "bot was blocked by the user"
		}
		if err := b.subs.SetActive(ctx, u.Chat.ID, false, reason); err != nil && !errors.Is(err, subscriptions.ErrNoChat) {
			b.log.Error("bot: deactivate chat", slog.Int64("chat_id", u.Chat.ID), slog.String("error", err.Error()))
		}
	case models.ChatMemberTypeMember, models.ChatMemberTypeAdministrator:
		chat, err := b.touch(ctx, u.Chat, &u.From)
		if err != nil {
			b.log.Error("bot: remember chat", slog.Int64("chat_id", u.Chat.ID), slog.String("error", err.Error()))
			return
		}
		if !chat.Active {
			if err := b.subs.SetActive(ctx, chat.ID, true, ""); err != nil {
				b.log.Error("bot: reactivate chat", slog.Int64("chat_id", chat.ID), slog.String("error", err.Error()))
			}
			b.reindexChat(ctx, chat.ID)
		}
	}
}
