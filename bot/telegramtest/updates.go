package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// queuedUpdate is an update not yet confirmed by the bot.
type queuedUpdate struct {
	id   int64
	kind string // "message", "callback_query", …
	body json.RawMessage
}

// maxUpdatesLimit is getUpdates' largest and default limit.
const maxUpdatesLimit = 100

// defaultExcluded are the update kinds Telegram does not create unless the bot asks for them
// in allowed_updates.
var defaultExcluded = map[string]bool{
	models.AllowedUpdateChatMember:           true,
	models.AllowedUpdateMessageReaction:      true,
	models.AllowedUpdateMessageReactionCount: true,
}

// AddUpdate queues u for the bot, with the next update id (ids start at 1 and increase; u.ID is
// ignored), and returns that id. Like Telegram, it creates no update of a kind the bot excluded
// with allowed_updates (getUpdates or setWebhook; by default chat_member, message_reaction and
// message_reaction_count are excluded): then it queues nothing and returns 0.
func (s *Server) AddUpdate(u models.Update) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enqueueLocked(u)
}

func (s *Server) enqueueLocked(u models.Update) int64 {
	u.ID = s.nextUpdateID + 1
	body, err := json.Marshal(&u)
	if err != nil {
		s.tb.Errorf("telegramtest: marshal update: %v", err)
		return 0
	}
	kind := updateKind(body)
	if !s.allowedLocked(kind) {
		return 0
	}
	s.nextUpdateID = u.ID
	s.updates = append(s.updates, queuedUpdate{id: u.ID, kind: kind, body: body})
	s.notifyLocked()
	return u.ID
}

// updateKind is the name of the one field of an update besides update_id.
func updateKind(body []byte) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return ""
	}
	for k := range fields {
		if k != "update_id" {
			return k
		}
	}
	return ""
}

func (s *Server) allowedLocked(kind string) bool {
	if s.allowed == nil {
		return !defaultExcluded[kind]
	}
	return s.allowed[kind]
}

// setAllowedLocked applies an allowed_updates parameter: absent keeps the previous setting, an
// empty list restores the default.
func (s *Server) setAllowedLocked(raw string, present bool) error {
	if !present {
		return nil
	}
	var kinds []string
	if err := json.Unmarshal([]byte(raw), &kinds); err != nil {
		return fmt.Errorf("can't parse allowed updates: %w", err)
	}
	if len(kinds) == 0 {
		s.allowed = nil
		return nil
	}
	s.allowed = make(map[string]bool, len(kinds))
	for _, k := range kinds {
		s.allowed[k] = true
	}
	return nil
}

// Pending returns how many updates are queued and not yet confirmed by the bot.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// SendText queues a text message from a user in a chat, as Telegram delivers it, and returns
// its update id (0 if allowed_updates excludes messages). Bot commands get their bot_command
// entities as Telegram marks them: "/start", "/start@newsbot_test_bot" and "/digest 08:30" all
// begin with one at offset 0; offsets and lengths are in UTF-16 code units. In a channel the
// update is a channel_post with the channel as sender_chat, and from is ignored. Privacy mode is not modelled: group messages are
// delivered whether or not they are commands.
func (s *Server) SendText(chat Chat, from User, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.registerLocked(chat, nil)
	if cs.chat.Type != models.ChatTypeChannel {
		cs = s.registerLocked(chat, &from)
	}
	msg := &models.Message{
		ID: cs.nextMessageID(), Date: s.now(), Chat: cs.chat, Text: text,
		Entities: botCommandEntities(text),
	}
	cs.msgs[msg.ID] = &message{date: msg.Date}
	if cs.chat.Type == models.ChatTypeChannel {
		sender := cs.chat
		msg.SenderChat = &sender
		return s.enqueueLocked(models.Update{ChannelPost: msg})
	}
	u := s.users[from.ID]
	msg.From = &u
	cs.msgs[msg.ID].from = &u
	return s.enqueueLocked(models.Update{Message: msg})
}

// ForwardText queues a message that from forwarded into a private chat with the bot: text
// written by origin, with forward_origin naming them (and, like Telegram, the entities of the
// original, so a forwarded "/start" still carries a bot_command entity). It returns the update id.
func (s *Server) ForwardText(from, origin User, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.registerLocked(from.Chat(), &from)
	msg := &models.Message{
		ID: cs.nextMessageID(), Date: s.now(), Chat: cs.chat, Text: text,
		Entities: botCommandEntities(text),
		ForwardOrigin: &models.MessageOrigin{Type: models.MessageOriginTypeUser, MessageOriginUser: &models.MessageOriginUser{
			Type: models.MessageOriginTypeUser, Date: s.now() - 60, SenderUser: origin.model(),
		}},
	}
	u := s.users[from.ID]
	msg.From = &u
	cs.msgs[msg.ID] = &message{date: msg.Date, from: &u}
	return s.enqueueLocked(models.Update{Message: msg})
}

// PressButton queues the callback_query a user's press on an inline button sends, and returns
// its id, which answerCallbackQuery must use once. The query's message is the bot's message
// messageID in chat as it is now (text, keyboard and a date, so that go-telegram/bot sees an
// accessible message). A message that does not exist there (never sent, or deleted) comes as
// Telegram sends an inaccessible one: date 0, so cq.Message.Message is nil. data is not checked
// against the message's buttons, so tests can send stale or forged data.
func (s *Server) PressButton(chat Chat, from User, messageID int, data string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.registerLocked(chat, &from)
	s.nextCallback++
	id := strconv.FormatInt(4_000_000_000_000_000_000+s.nextCallback, 10)
	s.callbacks[id] = false
	cq := &models.CallbackQuery{
		ID: id, From: s.users[from.ID], Data: data,
		ChatInstance: strconv.FormatInt(-7_000_000_000_000_000_000+cs.chat.ID, 10),
	}
	if m, ok := cs.msgs[messageID]; ok {
		msg := &models.Message{ID: messageID, Date: m.date, EditDate: m.editDate, Chat: cs.chat, From: m.from}
		if m.fromBot {
			msg.From = &s.bot
			msg.Text, msg.ReplyMarkup = m.sent.PlainText, m.markup
		}
		cq.Message = models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: msg}
	} else {
		cq.Message = models.MaybeInaccessibleMessage{
			Type:                models.MaybeInaccessibleMessageTypeInaccessibleMessage,
			InaccessibleMessage: &models.InaccessibleMessage{Chat: cs.chat, MessageID: messageID},
		}
	}
	s.enqueueLocked(models.Update{CallbackQuery: cq})
	return id
}

// botCommandEntities marks bot commands the way TDLib's match_bot_commands does:
// /[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,32})?, not preceded or followed by a letter, a digit, '_',
// '/', '<' or '>'.
func botCommandEntities(text string) []models.MessageEntity {
	var out []models.MessageEntity
	boundary := func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' || r == '/' || r == '<' || r == '>')
	}
	word := func(c byte) bool { return isAlnum(c) || c == '_' }
	for i := 0; i < len(text); {
		if text[i] != '/' {
			i++
			continue
		}
		start := i
		if start > 0 {
			if prev, _ := utf8.DecodeLastRuneInString(text[:start]); !boundary(prev) {
				i++
				continue
			}
		}
		end := start + 1
		for end < len(text) && word(text[end]) {
			end++
		}
		if n := end - start - 1; n < 1 || n > 64 {
			i = end
			continue
		}
		if end < len(text) && text[end] == '@' {
			m := end + 1
			for m < len(text) && word(text[m]) {
				m++
			}
			if n := m - end - 1; n < 3 || n > 32 {
				i = m
				continue
			}
			end = m
		}
		if end < len(text) {
			if next, _ := utf8.DecodeRuneInString(text[end:]); !boundary(next) {
				i = end
				continue
			}
		}
		out = append(out, models.MessageEntity{
			Type:   models.MessageEntityTypeBotCommand,
			Offset: utf16Len(text[:start]),
			Length: utf16Len(text[start:end]),
		})
		i = end
	}
	return out
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// getUpdates is real long polling: confirm the updates below offset, answer at once if any are
// queued, else wait up to timeout seconds for one. A newer getUpdates ends a waiting one with
// 409, as Telegram does when two bot instances poll.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, call Call) {
	if rep, ok := s.poll(r.Context(), call); ok {
		rep.write(w)
	}
}

// poll decides a getUpdates answer and records the call; ok is false when the client left.
func (s *Server) poll(ctx context.Context, call Call) (rep reply, ok bool) {
	p := call.Params
	offset := intParam(p, "offset", 0)
	limit := int(intParam(p, "limit", maxUpdatesLimit))
	if limit < 1 || limit > maxUpdatesLimit {
		limit = maxUpdatesLimit
	}
	timeout := time.Duration(max(intParam(p, "timeout", 0), 0)) * time.Second
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()

	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() { s.recordLocked(call, rep) }()
	if f, hit := s.takeFailureLocked(call.Method, 0); hit && f.Code != 0 {
		s.stats.injected++
		return f.reply(), true
	}
	if s.webhook.url != "" {
		return errorReply(http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", nil), true
	}
	v, present := p["allowed_updates"]
	if err := s.setAllowedLocked(v, present); err != nil {
		return badRequest(err.Error()), true
	}
	if s.pollKick != nil {
		close(s.pollKick)
	}
	kick := make(chan struct{})
	s.pollKick = kick
	defer func() {
		if s.pollKick == kick {
			s.pollKick = nil
		}
	}()
	s.confirmLocked(offset)
	for {
		if batch := s.batchLocked(limit); len(batch) > 0 {
			return okReply(batch), true
		}
		changed := s.waitChanLocked()
		s.mu.Unlock()
		select {
		case <-changed:
			s.mu.Lock()
		case <-deadline.C:
			s.mu.Lock()
			return okReply([]json.RawMessage{}), true
		case <-s.closed:
			s.mu.Lock()
			return okReply([]json.RawMessage{}), true
		case <-kick:
			s.mu.Lock()
			if s.webhook.url != "" {
				return errorReply(http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", nil), true
			}
			return errorReply(http.StatusConflict, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", nil), true
		case <-ctx.Done():
			s.mu.Lock()
			return reply{status: statusClientClosed, description: "client went away: " + ctx.Err().Error()}, false
		}
	}
}

// statusClientClosed is Call.Status for a long poll the client abandoned (nginx's 499).
const statusClientClosed = 499

// confirmLocked applies a getUpdates offset: updates with smaller ids are confirmed and
// forgotten; a negative offset keeps only the last -offset updates.
func (s *Server) confirmLocked(offset int64) {
	drop := 0
	switch {
	case offset > 0:
		for drop < len(s.updates) && s.updates[drop].id < offset {
			drop++
		}
	case offset < 0:
		drop = max(len(s.updates)+int(offset), 0)
	}
	if drop > 0 {
		s.updates = append(s.updates[:0:0], s.updates[drop:]...)
		s.notifyLocked()
	}
}

func (s *Server) batchLocked(limit int) []json.RawMessage {
	n := min(limit, len(s.updates))
	batch := make([]json.RawMessage, n)
	for i := range n {
		batch[i] = s.updates[i].body
	}
	return batch
}
