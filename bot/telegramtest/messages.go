package telegramtest

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// Sent is a message the bot sent, as the user sees it now: edits applied, deleted messages gone.
type Sent struct {
	ChatID    int64
	MessageID int
	// Method is the call that sent it: "sendMessage", or another send method answered generically.
	Method string
	// Text is the text as the bot sent it: the HTML source when ParseMode is "HTML".
	Text string
	// PlainText is what the user reads: tags removed, entities decoded, trimmed (see CheckText).
	PlainText string
	ParseMode string
	// ReplyMarkup is the reply_markup JSON as sent, "" for none. Editing a message's text without
	// a reply_markup removes its inline keyboard, as in Telegram.
	ReplyMarkup         string
	LinkPreviewDisabled bool
	// Edits counts successful editMessageText and editMessageReplyMarkup calls.
	Edits int
	// At is when the message was sent or last edited (wall clock).
	At time.Time
}

// Button is one inline keyboard button of a Sent message.
type Button struct {
	Row, Col     int
	Text         string
	CallbackData string
	URL          string
}

// Buttons returns the inline keyboard buttons of m row by row, or nil when it has none.
func (m Sent) Buttons() []Button {
	var kb models.InlineKeyboardMarkup
	if m.ReplyMarkup == "" || json.Unmarshal([]byte(m.ReplyMarkup), &kb) != nil {
		return nil
	}
	var out []Button
	for r, row := range kb.InlineKeyboard {
		for c, b := range row {
			out = append(out, Button{Row: r, Col: c, Text: b.Text, CallbackData: b.CallbackData, URL: b.URL})
		}
	}
	return out
}

// Messages returns the bot's messages in chatID that still exist, oldest first.
func (s *Server) Messages(chatID int64) []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.messagesLocked(chatID)
}

func (s *Server) messagesLocked(chatID int64) []Sent {
	cs, ok := s.chats[chatID]
	if !ok {
		return nil
	}
	var out []Sent
	for _, m := range cs.msgs {
		if m.fromBot {
			out = append(out, m.sent)
		}
	}
	slices.SortFunc(out, func(a, b Sent) int { return a.MessageID - b.MessageID })
	return out
}

// WaitMessages waits until chatID holds at least n of the bot's messages and returns them all.
// On timeout it fails the test with what the chat holds; call it from the test's goroutine.
func (s *Server) WaitMessages(tb testing.TB, chatID int64, n int, timeout time.Duration) []Sent {
	tb.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		msgs := s.messagesLocked(chatID)
		changed := s.waitChanLocked()
		s.mu.Unlock()
		if len(msgs) >= n {
			return msgs
		}
		select {
		case <-changed:
		case <-deadline.C:
			var texts []string
			for _, m := range msgs {
				texts = append(texts, m.PlainText)
			}
			tb.Fatalf("telegramtest: chat %d: want %d bot messages within %v, have %d: %q", chatID, n, timeout, len(msgs), texts)
			return nil
		}
	}
}

// renderText checks a message text the way sendMessage and editMessageText do and returns
// the text as the user reads it.
func renderText(text, parseMode string) (string, reply, bool) {
	if text == "" {
		return "", badRequest("message text is empty"), false
	}
	plain := text
	switch strings.ToLower(parseMode) {
	case "":
	case "html":
		var err error
		if plain, err = ParseHTML(text); err != nil {
			return "", textError(err), false
		}
	case "markdown", "markdownv2":
		// Not modelled: the text is taken as it is.
	default:
		return "", badRequest("unsupported parse_mode"), false
	}
	plain, err := CheckText(plain)
	if err != nil {
		return "", textError(err), false
	}
	return plain, reply{}, true
}

func textError(err error) reply {
	if errors.Is(err, ErrNotUTF8) {
		return badRequest("strings must be encoded in UTF-8")
	}
	return badRequest(err.Error())
}

func linkPreviewDisabled(p map[string]string) bool {
	if boolParam(p, "disable_web_page_preview") {
		return true
	}
	var lp models.LinkPreviewOptions
	if json.Unmarshal([]byte(p["link_preview_options"]), &lp) == nil && lp.IsDisabled != nil {
		return *lp.IsDisabled
	}
	return false
}

func (s *Server) sendMessageLocked(p map[string]string) reply {
	cs, rep := s.targetChatLocked(p)
	if cs == nil {
		return rep
	}
	plain, rep, ok := renderText(p["text"], p["parse_mode"])
	if !ok {
		return rep
	}
	markup, canon, rep, ok := parseReplyMarkup(p["reply_markup"])
	if !ok {
		return rep
	}
	m := &message{
		fromBot: true,
		date:    s.now(),
		markup:  markup,
		canon:   canon,
		sent: Sent{
			ChatID: cs.chat.ID, MessageID: cs.nextMessageID(), Method: "sendMessage",
			Text: p["text"], PlainText: plain, ParseMode: p["parse_mode"], ReplyMarkup: p["reply_markup"],
			LinkPreviewDisabled: linkPreviewDisabled(p), At: time.Now(),
		},
	}
	cs.msgs[m.sent.MessageID] = m
	s.notifyLocked()
	return okReply(s.messageModelLocked(cs, m))
}

// addBotMessageLocked records a message sent by a method the fake answers generically; its
// text is the caption, if any.
func (s *Server) addBotMessageLocked(cs *chatState, method string, p map[string]string) *models.Message {
	m := &message{
		fromBot: true,
		date:    s.now(),
		sent: Sent{
			ChatID: cs.chat.ID, MessageID: cs.nextMessageID(), Method: method,
			Text: p["caption"], PlainText: p["caption"], ParseMode: p["parse_mode"],
			ReplyMarkup: p["reply_markup"], At: time.Now(),
		},
	}
	cs.msgs[m.sent.MessageID] = m
	s.notifyLocked()
	msg := s.messageModelLocked(cs, m)
	msg.Text, msg.Caption = "", m.sent.PlainText
	return msg
}

// messageModelLocked is the Message Telegram returns for one of the bot's messages. Like
// the real API it carries the plain text; unlike it, no entities.
func (s *Server) messageModelLocked(cs *chatState, m *message) *models.Message {
	bot := s.bot
	return &models.Message{
		ID: m.sent.MessageID, From: &bot, Date: m.date, EditDate: m.editDate, Chat: cs.chat,
		Text: m.sent.PlainText, ReplyMarkup: m.markup,
	}
}

// editTargetLocked finds the bot's message an edit is for.
func (s *Server) editTargetLocked(p map[string]string) (*chatState, *message, reply) {
	cs, rep := s.targetChatLocked(p)
	if cs == nil {
		return nil, nil, rep
	}
	id := intParam(p, "message_id", 0)
	if id == 0 {
		return nil, nil, badRequest("message identifier is not specified")
	}
	m, ok := cs.msgs[int(id)]
	switch {
	case !ok:
		return nil, nil, badRequest("message to edit not found")
	case !m.fromBot:
		return nil, nil, badRequest("message can't be edited")
	}
	return cs, m, reply{}
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

func (s *Server) editMessageTextLocked(p map[string]string) reply {
	if p["inline_message_id"] != "" {
		if _, rep, ok := renderText(p["text"], p["parse_mode"]); !ok {
			return rep
		}
		return okReply(true)
	}
	cs, m, rep := s.editTargetLocked(p)
	if m == nil {
		return rep
	}
	plain, rep, ok := renderText(p["text"], p["parse_mode"])
	if !ok {
		return rep
	}
	markup, canon, rep, ok := parseReplyMarkup(p["reply_markup"])
	if !ok {
		return rep
	}
	if plain == m.sent.PlainText && p["text"] == m.sent.Text && canon == m.canon {
		return badRequest(notModified)
	}
	m.sent.Text, m.sent.PlainText, m.sent.ParseMode = p["text"], plain, p["parse_mode"]
	m.sent.ReplyMarkup, m.markup, m.canon = p["reply_markup"], markup, canon
	m.sent.LinkPreviewDisabled = linkPreviewDisabled(p)
	s.editedLocked(m)
	return okReply(s.messageModelLocked(cs, m))
}

func (s *Server) editMessageReplyMarkupLocked(p map[string]string) reply {
	markup, canon, rep, ok := parseReplyMarkup(p["reply_markup"])
	if !ok {
		return rep
	}
	if p["inline_message_id"] != "" {
		return okReply(true)
	}
	cs, m, rep := s.editTargetLocked(p)
	if m == nil {
		return rep
	}
	if canon == m.canon {
		return badRequest(notModified)
	}
	m.sent.ReplyMarkup, m.markup, m.canon = p["reply_markup"], markup, canon
	s.editedLocked(m)
	return okReply(s.messageModelLocked(cs, m))
}

func (s *Server) editedLocked(m *message) {
	m.editDate = s.now()
	m.sent.Edits++
	m.sent.At = time.Now()
	s.notifyLocked()
}

func (s *Server) deleteMessageLocked(p map[string]string) reply {
	cs, rep := s.targetChatLocked(p)
	if cs == nil {
		return rep
	}
	id := int(intParam(p, "message_id", 0))
	if _, ok := cs.msgs[id]; !ok {
		return badRequest("message to delete not found")
	}
	delete(cs.msgs, id)
	s.notifyLocked()
	return okReply(true)
}

func (s *Server) answerCallbackQueryLocked(p map[string]string) reply {
	id := p["callback_query_id"]
	answered, ok := s.callbacks[id]
	if !ok || answered {
		return badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	s.callbacks[id] = true
	return okReply(true)
}

var chatActions = map[string]bool{
	"typing": true, "upload_photo": true, "record_video": true, "upload_video": true,
	"record_voice": true, "upload_voice": true, "upload_document": true, "choose_sticker": true,
	"find_location": true, "record_video_note": true, "upload_video_note": true,
}

func (s *Server) sendChatActionLocked(p map[string]string) reply {
	if cs, rep := s.targetChatLocked(p); cs == nil {
		return rep
	}
	if !chatActions[p["action"]] {
		return badRequest("wrong parameter action in request")
	}
	return okReply(true)
}
