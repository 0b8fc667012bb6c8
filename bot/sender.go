package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"golang.org/x/time/rate"
)

// Message is one outgoing Telegram message in HTML parse mode.
type Message struct {
	ChatID   int64
	Text     string // Telegram HTML; every interpolated string already escaped
	Keyboard *models.InlineKeyboardMarkup
	Preview  bool // show a link preview (single stories); off for bundles and service texts
	// Paid sends it as a paid broadcast (allow_paid_broadcast): past the free 30 a second, for
	// Stars. Only bulk messages, and only when the operator turned it on.
	Paid bool
}

// ErrChatGone means Telegram will not deliver to the chat any more (the bot was blocked or
// kicked, the user deactivated, the chat does not exist). The chat has been reported through
// SenderConfig.OnGone; its /start brings it back.
var ErrChatGone = errors.New("bot: chat is gone")

// SenderConfig configures a Sender.
type SenderConfig struct {
	RateLimit int // messages per second at most, over all chats; unused when Pace is set
	Log       *slog.Logger
	// OnGone is told when Telegram refuses a chat for good (403, chat not found).
	OnGone func(ctx context.Context, chatID int64, reason string)
	// OnMigrate is told when a group became a supergroup with a new id; the message is then
	// resent to the new id.
	OnMigrate func(ctx context.Context, from, to int64)
	// Sleep waits d or until ctx ends; nil uses a timer. Tests pass a fake.
	Sleep func(ctx context.Context, d time.Duration) error
	// Pace, when set, is asked before every request that sends a message and returns when it
	// may go (or ctx ends): the delivery engine's pacer, shared by everything that sends. When
	// nil, RateLimit paces this Sender alone.
	Pace func(ctx context.Context, chatID int64) error
	// OnThrottle is told of every 429 (chatID, retry_after), so that the pacer pauses the chat.
	OnThrottle func(chatID int64, d time.Duration)
}

// Sender is the one way messages leave newsbot. It paces sends under the global rate limit and
// handles Telegram's answers: it waits out 429s and retries, retries 5xx and network errors with
// capped backoff, reports blocked chats and migrated groups, and resends as plain text a message
// whose HTML Telegram rejected (a rendering bug, logged as such). It is safe for concurrent use.
//
// Send and Edit are for command replies, which go direct; queued messages go through Try, one
// attempt at a time, with the delivery engine deciding what follows.
type Sender struct {
	tg      *tg.Bot
	cfg     SenderConfig
	limiter *rate.Limiter
}

// maxAttempts bounds tries of one message on 5xx and network errors. Flood control (429) is
// waited out however long it lasts: Telegram's only correct answer to it is to wait and send.
const maxAttempts = 5

// NewSender returns a Sender over a go-telegram/bot client.
func NewSender(client *tg.Bot, cfg SenderConfig) *Sender {
	if cfg.RateLimit <= 0 {
		cfg.RateLimit = 30
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	return &Sender{tg: client, cfg: cfg, limiter: rate.NewLimiter(rate.Limit(cfg.RateLimit), 1)}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Send sends m and returns the id of the message Telegram created.
func (s *Sender) Send(ctx context.Context, m Message) (int, error) {
	params := &tg.SendMessageParams{
		ChatID:             m.ChatID,
		Text:               m.Text,
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()},
	}
	if m.Preview {
		params.LinkPreviewOptions = nil
	}
	if m.Keyboard != nil {
		params.ReplyMarkup = m.Keyboard
	}
	var sent *models.Message
	err := s.do(ctx, &m.ChatID, true, func(ctx context.Context) error {
		params.ChatID = m.ChatID
		var err error
		sent, err = s.tg.SendMessage(ctx, params)
		return err
	}, func() {
		params.Text = plainText(params.Text)
		params.ParseMode = ""
	})
	if err != nil {
		return 0, err
	}
	return sent.ID, nil
}

// Edit replaces the text and keyboard of message id in chat.
func (s *Sender) Edit(ctx context.Context, chatID int64, id int, text string, kb *models.InlineKeyboardMarkup) error {
	params := &tg.EditMessageTextParams{
		ChatID:             chatID,
		MessageID:          id,
		Text:               text,
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()},
	}
	if kb != nil {
		params.ReplyMarkup = kb
	}
	return s.do(ctx, &chatID, false, func(ctx context.Context) error {
		_, err := s.tg.EditMessageText(ctx, params)
		if err != nil && strings.Contains(err.Error(), "message is not modified") {
			return nil // a double tap: the message already shows this
		}
		return err
	}, func() {
		params.Text = plainText(params.Text)
		params.ParseMode = ""
	})
}

// EditMarkup replaces the inline keyboard of message id in chat.
func (s *Sender) EditMarkup(ctx context.Context, chatID int64, id int, kb *models.InlineKeyboardMarkup) error {
	params := &tg.EditMessageReplyMarkupParams{ChatID: chatID, MessageID: id, ReplyMarkup: kb}
	return s.do(ctx, &chatID, false, func(ctx context.Context) error {
		_, err := s.tg.EditMessageReplyMarkup(ctx, params)
		if err != nil && strings.Contains(err.Error(), "message is not modified") {
			return nil
		}
		return err
	}, func() {})
}

// do runs call under the rate limit until it succeeds or fails for good. follow says whether a
// migrated group's new id is tried next (a new message can go there; an edit cannot, message
// ids do not carry over).
//
// A network failure after the request was sent is retried, and Telegram may have delivered the
// first try: such a message can arrive twice. The durable outbox will record sends to bound this.
func (s *Sender) do(ctx context.Context, chatID *int64, follow bool, call func(context.Context) error, asPlain func()) error {
	backoff := time.Second
	plain := false
	for attempt := 1; ; attempt++ {
		if err := s.wait(ctx, *chatID); err != nil {
			return fmt.Errorf("bot: send: %w", err)
		}
		err := call(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("bot: send: %w", ctx.Err())
		}
		var tooMany *tg.TooManyRequestsError
		var migrate *tg.MigrateError
		switch {
		case errors.As(err, &tooMany):
			// Several senders waiting out one 429 would all wake at once; a little jitter
			// spreads them.
			wait := time.Duration(max(tooMany.RetryAfter, 1))*time.Second + time.Duration(rand.IntN(500))*time.Millisecond
			s.cfg.Log.Warn("telegram: flood control", slog.Int64("chat_id", *chatID), slog.Duration("retry_after", wait))
			if s.cfg.OnThrottle != nil {
				s.cfg.OnThrottle(*chatID, wait)
			}
			if err := s.cfg.Sleep(ctx, wait); err != nil {
				return fmt.Errorf("bot: send: %w", err)
			}
			attempt-- // waiting out flood control is not a failed try
			continue
		case errors.As(err, &migrate):
			to := int64(migrate.MigrateToChatID)
			s.cfg.Log.Info("telegram: group migrated", slog.Int64("chat_id", *chatID), slog.Int64("new_chat_id", to))
			if s.cfg.OnMigrate != nil {
				s.cfg.OnMigrate(ctx, *chatID, to)
			}
			if !follow || attempt >= maxAttempts {
				return fmt.Errorf("bot: send to %d: %w", *chatID, err)
			}
			*chatID = to
			continue
		case errors.Is(err, tg.ErrorForbidden) || isChatNotFound(err) || isNoRights(err):
			reason := telegramDescription(err)
			s.cfg.Log.Info("telegram: chat gone", slog.Int64("chat_id", *chatID), slog.String("reason", reason))
			if s.cfg.OnGone != nil {
				s.cfg.OnGone(ctx, *chatID, reason)
			}
			return fmt.Errorf("bot: send to %d: %s: %w", *chatID, reason, ErrChatGone)
		case errors.Is(err, tg.ErrorBadRequest) && strings.Contains(err.Error(), "can't parse entities") && !plain:
			s.cfg.Log.Error("bot: rendered HTML rejected by Telegram, resending as plain text (a rendering bug)",
				slog.Int64("chat_id", *chatID), slog.String("error", telegramDescription(err)))
			asPlain()
			plain = true
			continue
		case retryable(err) && attempt < maxAttempts:
			s.cfg.Log.Warn("telegram: send failed, retrying", slog.Int64("chat_id", *chatID),
				slog.Int("attempt", attempt), slog.String("error", err.Error()))
			if err := s.cfg.Sleep(ctx, backoff); err != nil {
				return fmt.Errorf("bot: send: %w", err)
			}
			backoff = min(2*backoff, 30*time.Second)
			continue
		}
		return fmt.Errorf("bot: send to %d: %w", *chatID, err)
	}
}

var serverError = regexp.MustCompile(`error response from telegram for method \w+, (\d{3}) `)

// retryable reports errors worth another try: 5xx answers, unreadable answers (a proxy's HTML
// error page), and network failures. Client errors (4xx) are not.
func retryable(err error) bool {
	for _, known := range []error{tg.ErrorBadRequest, tg.ErrorForbidden, tg.ErrorUnauthorized, tg.ErrorNotFound, tg.ErrorConflict} {
		if errors.Is(err, known) {
			return false
		}
	}
	if m := serverError.FindStringSubmatch(err.Error()); m != nil {
		code, _ := strconv.Atoi(m[1])
		return code >= 500
	}
	return true
}

// isNoRights is a group or channel where the bot may no longer post ("not enough rights to send
// text messages to the chat"): like a 403, retrying cannot help until an admin acts.
func isNoRights(err error) bool {
	return errors.Is(err, tg.ErrorBadRequest) && strings.Contains(err.Error(), "not enough rights")
}

func isChatNotFound(err error) bool {
	return errors.Is(err, tg.ErrorBadRequest) && strings.Contains(err.Error(), "chat not found")
}

// telegramDescription is the description Telegram gave, without the library's prefixes.
func telegramDescription(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ", "); i >= 0 {
		return s[i+2:]
	}
	return s
}

// plainText turns Telegram HTML into the text a user would have seen, for a resend without
// parse mode.
func plainText(h string) string {
	var b strings.Builder
	inTag := false
	for _, r := range h {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	return html.UnescapeString(b.String())
}

// Outcome is what one try at sending a message came to.
type Outcome int

// Outcomes of Try.
const (
	Delivered Outcome = iota // Telegram accepted it
	Throttled                // 429: wait RetryAfter, then send again
	Transient                // 5xx, network, unreadable answer: try again later
	Gone                     // blocked, kicked, deactivated, chat not found, no rights: never again
	Migrated                 // the group became supergroup MigrateTo: send there
	Refused                  // any other 4xx: sending again cannot help
	Halted                   // 401, 404, 409: the bot itself cannot send (token, api_url); nothing is the message's fault
)

func (o Outcome) String() string {
	return [...]string{"delivered", "throttled", "transient", "gone", "migrated", "refused", "halted"}[o]
}

// Attempt is the result of Try.
type Attempt struct {
	Outcome    Outcome
	MessageID  int
	RetryAfter time.Duration
	MigrateTo  int64
	Reason     string // Telegram's description, when Gone: the chat's inactive reason
	Err        error  // nil when delivered
}

// wait paces one request to chatID.
func (s *Sender) wait(ctx context.Context, chatID int64) error {
	if s.cfg.Pace != nil {
		return s.cfg.Pace(ctx, chatID)
	}
	return s.limiter.Wait(ctx)
}

// Try sends m once and says what came of it, without waiting or retrying: the delivery engine
// decides what happens next. Only a message whose HTML Telegram refused is sent a second time,
// as plain text (logged as the rendering bug it is), paced like any send. The first request is
// not paced here: the caller has taken its turn.
func (s *Sender) Try(ctx context.Context, m Message) Attempt {
	params := &tg.SendMessageParams{
		ChatID:             m.ChatID,
		Text:               m.Text,
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()},
	}
	if m.Preview {
		params.LinkPreviewOptions = nil
	}
	if m.Keyboard != nil {
		params.ReplyMarkup = m.Keyboard
	}
	params.AllowPaidBroadcast = m.Paid
	sent, err := s.tg.SendMessage(ctx, params)
	if err != nil && errors.Is(err, tg.ErrorBadRequest) && strings.Contains(err.Error(), "can't parse entities") {
		s.cfg.Log.Error("bot: rendered HTML rejected by Telegram, resending as plain text (a rendering bug)",
			slog.Int64("chat_id", m.ChatID), slog.String("error", telegramDescription(err)))
		params.Text, params.ParseMode = plainText(params.Text), ""
		if err = s.wait(ctx, m.ChatID); err == nil {
			sent, err = s.tg.SendMessage(ctx, params)
		}
	}
	if err == nil {
		return Attempt{Outcome: Delivered, MessageID: sent.ID}
	}
	var tooMany *tg.TooManyRequestsError
	var migrate *tg.MigrateError
	switch {
	case errors.As(err, &tooMany):
		return Attempt{Outcome: Throttled, RetryAfter: time.Duration(max(tooMany.RetryAfter, 1)) * time.Second, Err: err}
	case errors.As(err, &migrate):
		return Attempt{Outcome: Migrated, MigrateTo: int64(migrate.MigrateToChatID), Err: err}
	case errors.Is(err, tg.ErrorForbidden) || isChatNotFound(err) || isNoRights(err):
		reason := telegramDescription(err)
		return Attempt{Outcome: Gone, Reason: reason, Err: fmt.Errorf("%s: %w", reason, ErrChatGone)}
	case errors.Is(err, tg.ErrorUnauthorized) || errors.Is(err, tg.ErrorNotFound) || errors.Is(err, tg.ErrorConflict):
		return Attempt{Outcome: Halted, Err: err}
	case ctx.Err() != nil || retryable(err):
		return Attempt{Outcome: Transient, Err: err}
	}
	return Attempt{Outcome: Refused, Err: err}
}
