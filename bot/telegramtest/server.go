package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// DefaultToken is the bot token a Server accepts when Options.Token is empty. It has the shape
// of a real token (bot id, colon, 35 characters), and its bot id is 7000000001.
const DefaultToken = "7000000001:AAFakeTokenForNewsbotTestsOnly01234"

// DefaultBotUsername is the bot's username when Options.BotUsername is empty.
const DefaultBotUsername = "newsbot_test_bot"

// Options configure a Server. The zero value is a working server with no rate limits.
type Options struct {
	// Token is the only token the server accepts; default DefaultToken. A request with another
	// token is answered 401 Unauthorized. The part before ':' is the bot's user id.
	Token string
	// BotUsername is the username getMe reports, without '@'; default DefaultBotUsername.
	BotUsername string
	// Now gives the "date" of messages and updates (Unix seconds); default time.Now. It is
	// called from the server's goroutines, so it must be safe for concurrent use. It does not
	// drive long-poll timeouts, rate limits, Call.At or Sent.At, which use the real clock because
	// the HTTP traffic is real.
	Now func() time.Time

	// GlobalPerSecond, when > 0, answers 429 to a send (see Stats) that would make more than
	// this many successful sends, over all chats, within any one-second sliding window.
	GlobalPerSecond int
	// PerChatPerSecond, when > 0, is the same limit for each chat on its own.
	PerChatPerSecond int
	// GroupPerMinute, when > 0, limits successful sends to each group or supergroup within any
	// 60-second sliding window.
	GroupPerMinute int
}

// Server is a fake Telegram Bot API server on an httptest server. It is safe for concurrent use;
// every method may be called while a bot talks to it. Create it with New.
type Server struct {
	tb      testing.TB
	opts    Options
	bot     models.User
	ts      *httptest.Server
	closed  chan struct{}
	closing sync.Once

	mu            sync.Mutex
	changed       chan struct{} // closed and replaced when calls, messages or updates change
	calls         []Call
	unimplemented []string
	updates       []queuedUpdate
	nextUpdateID  int64
	allowed       map[string]bool // update kinds Telegram creates; nil means the default set
	pollKick      chan struct{}   // closed to end the running getUpdates with 409
	webhook       webhookState
	chats         map[int64]*chatState
	users         map[int64]models.User
	callbacks     map[string]bool // callback query id -> answered
	nextCallback  int64
	blocked       map[int64]bool  // users who blocked the bot
	migrated      map[int64]int64 // group id -> supergroup id
	commands      map[string][]models.BotCommand
	failures      []*failureRule
	limits        limiter
	stats         counters
}

// New starts a Server and registers tb.Cleanup to close it. Closing first ends every long poll
// in progress (it answers an empty list), so a bot still polling cannot block the cleanup.
func New(tb testing.TB, opts Options) *Server {
	tb.Helper()
	if opts.Token == "" {
		opts.Token = DefaultToken
	}
	if strings.ContainsAny(opts.Token, "/?#% ") {
		tb.Fatalf("telegramtest: token %q cannot appear in a URL path", opts.Token)
	}
	if opts.BotUsername == "" {
		opts.BotUsername = DefaultBotUsername
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	botID, _ := strconv.ParseInt(strings.SplitN(opts.Token, ":", 2)[0], 10, 64)
	s := &Server{
		tb:   tb,
		opts: opts,
		bot: models.User{
			ID:            botID,
			IsBot:         true,
			FirstName:     "Newsbot Test",
			Username:      opts.BotUsername,
			CanJoinGroups: true,
		},
		closed:    make(chan struct{}),
		chats:     make(map[int64]*chatState),
		users:     make(map[int64]models.User),
		callbacks: make(map[string]bool),
		blocked:   make(map[int64]bool),
		migrated:  make(map[int64]int64),
		commands:  make(map[string][]models.BotCommand),
		limits:    newLimiter(opts),
	}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	tb.Cleanup(s.close)
	return s
}

// URL returns the server's base URL, to be used as telegram.api_url or with bot.WithServerURL.
// Requests go to URL()+"/bot"+Token()+"/"+method.
func (s *Server) URL() string { return s.ts.URL }

// Token returns the token the server accepts.
func (s *Server) Token() string { return s.opts.Token }

// Bot returns the bot's own user, as getMe reports it.
func (s *Server) Bot() models.User { return s.bot }

func (s *Server) close() {
	s.closing.Do(func() {
		close(s.closed)
		s.ts.Close()
	})
}

// now is the date of a new message or update. It is never 0: go-telegram/bot takes a message
// with date 0 for an inaccessible one.
func (s *Server) now() int {
	d := int(s.opts.Now().Unix())
	if d < 1 {
		d = 1
	}
	return d
}

// notifyLocked wakes everyone waiting for a change. s.mu must be held.
func (s *Server) notifyLocked() {
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
}

// waitChanLocked returns a channel closed at the next change. s.mu must be held.
func (s *Server) waitChanLocked() <-chan struct{} {
	if s.changed == nil {
		s.changed = make(chan struct{})
	}
	return s.changed
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	token, name, ok := splitPath(r.URL.Path)
	if !ok {
		s.finish(w, Call{Method: strings.TrimPrefix(r.URL.Path, "/"), At: at}, errorReply(http.StatusNotFound, "Not Found", nil))
		return
	}
	if token != s.opts.Token {
		s.finish(w, Call{Method: name, At: at}, errorReply(http.StatusUnauthorized, "Unauthorized", nil))
		return
	}
	method, known := lookupMethod(name)
	if !known {
		s.finish(w, Call{Method: name, At: at}, errorReply(http.StatusNotFound, "Not Found", nil))
		return
	}
	params, err := readParams(r)
	call := Call{Method: method, Params: params, ChatID: chatIDParam(params), At: at}
	if err != nil {
		s.finish(w, call, errorReply(http.StatusBadRequest, "Bad Request: "+err.Error(), nil))
		return
	}
	if method == "getUpdates" {
		s.getUpdates(w, r, call)
		return
	}

	s.mu.Lock()
	rep, delay := s.answerLocked(call)
	s.recordLocked(call, rep)
	s.mu.Unlock()
	if delay > 0 {
		s.sleepCtx(r.Context(), delay)
	}
	rep.write(w)
}

// finish records a call answered without touching the fake's state, and answers it.
func (s *Server) finish(w http.ResponseWriter, call Call, rep reply) {
	s.mu.Lock()
	s.recordLocked(call, rep)
	s.mu.Unlock()
	rep.write(w)
}

// answerLocked decides the answer to one call, in the order Telegram would: an injected
// failure, the chat's state (blocked, migrated), flood control, then the method itself.
func (s *Server) answerLocked(call Call) (reply, time.Duration) {
	var delay time.Duration
	if f, ok := s.takeFailureLocked(call.Method, call.ChatID); ok {
		delay = f.Delay
		if f.Code != 0 {
			s.stats.injected++
			return f.reply(), delay
		}
	}
	if call.ChatID != 0 {
		if to, ok := s.migrated[call.ChatID]; ok {
			return errorReply(http.StatusBadRequest, "Bad Request: group chat was upgraded to a supergroup chat",
				&responseParameters{MigrateToChatID: to}), delay
		}
		if s.blocked[call.ChatID] {
			return errorReply(http.StatusForbidden, "Forbidden: bot was blocked by the user", nil), delay
		}
	}
	send := isSendMethod(call.Method)
	now := time.Now()
	if send && call.ChatID != 0 {
		if retry, limited := s.limits.check(now, call.ChatID, s.isGroupLocked(call.ChatID)); limited {
			s.stats.limited++
			return tooManyRequests(retry), delay
		}
	}
	rep := s.dispatchLocked(call.Method, call.Params)
	if send && rep.status == http.StatusOK {
		group := s.isGroupLocked(call.ChatID)
		s.limits.commit(now, call.ChatID, group)
		s.stats.sends = append(s.stats.sends, sendRecord{at: now, chat: call.ChatID, group: group})
	}
	return rep, delay
}

// splitPath splits "/bot<token>/<method>".
func splitPath(path string) (token, method string, ok bool) {
	rest, ok := strings.CutPrefix(path, "/bot")
	if !ok {
		return "", "", false
	}
	token, method, ok = strings.Cut(rest, "/")
	if !ok || token == "" || method == "" || strings.Contains(method, "/") {
		return "", "", false
	}
	return token, method, true
}

// responseParameters is the Bot API's ResponseParameters.
type responseParameters struct {
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
	RetryAfter      int   `json:"retry_after,omitempty"`
}

// apiResponse is the Bot API's reply envelope; the field order is Telegram's.
type apiResponse struct {
	OK          bool                `json:"ok"`
	Result      any                 `json:"result,omitempty"`
	ErrorCode   int                 `json:"error_code,omitempty"`
	Description string              `json:"description,omitempty"`
	Parameters  *responseParameters `json:"parameters,omitempty"`
}

// reply is one HTTP answer.
type reply struct {
	status      int
	body        []byte
	contentType string
	description string // for Call.Error
}

func (r reply) write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", r.contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(r.body)))
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body)
}

func jsonReply(status int, v apiResponse) reply {
	body, err := json.Marshal(v)
	if err != nil {
		// A bug in the fake, not in the bot: make it loud in the bot's error.
		body = fmt.Appendf(nil, `{"ok":false,"error_code":500,"description":%q}`, "Internal Server Error: telegramtest: "+err.Error())
		return reply{status: http.StatusInternalServerError, body: body, contentType: "application/json", description: "telegramtest: " + err.Error()}
	}
	return reply{status: status, body: body, contentType: "application/json", description: v.Description}
}

func okReply(result any) reply {
	return jsonReply(http.StatusOK, apiResponse{OK: true, Result: result})
}

// okDescribed is a success with a description, as setWebhook and deleteWebhook answer.
func okDescribed(result any, description string) reply {
	return jsonReply(http.StatusOK, apiResponse{OK: true, Result: result, Description: description})
}

func errorReply(code int, description string, params *responseParameters) reply {
	return jsonReply(code, apiResponse{ErrorCode: code, Description: description, Parameters: params})
}

func badRequest(description string) reply {
	return errorReply(http.StatusBadRequest, "Bad Request: "+description, nil)
}

func tooManyRequests(retryAfter int) reply {
	return errorReply(http.StatusTooManyRequests, fmt.Sprintf("Too Many Requests: retry after %d", retryAfter),
		&responseParameters{RetryAfter: retryAfter})
}

// sleepCtx waits d, or less when ctx ends or the server closes; it reports whether d passed.
func (s *Server) sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.closed:
	}
	return false
}
