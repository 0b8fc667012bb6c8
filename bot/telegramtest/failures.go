package telegramtest

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Failure is an answer to inject in place of a method's own (see Fail).
type Failure struct {
	// Code is the HTTP status and error_code, e.g. 429, 403, 400, 502. 0 injects no error: the
	// call is answered normally, only late (see Delay).
	Code int
	// Description is the error text; empty gives Telegram's usual one for Code: "Too Many
	// Requests: retry after N", "Forbidden: bot was blocked by the user", "Bad Request: group chat
	// was upgraded to a supergroup chat" (with MigrateTo), else "Bad Request", or the HTTP status
	// text.
	Description string
	// RetryAfter is parameters.retry_after, in seconds.
	RetryAfter int
	// MigrateTo is parameters.migrate_to_chat_id.
	MigrateTo int64
	// Body, when set, is the whole response body instead of the JSON envelope (served as
	// text/html), e.g. the HTML page nginx sends with a 502: clients must survive non-JSON.
	Body string
	// Delay holds the answer back this long after the call has taken effect, or until the client
	// gives up. With Code 0 the message is delivered but a client whose deadline is shorter sees
	// a timeout: the case where retrying sends a duplicate. Delay does not apply to getUpdates.
	Delay time.Duration
}

// TooManyRequests is Telegram's flood-control answer: 429, wait retryAfter seconds.
func TooManyRequests(retryAfter int) Failure {
	return Failure{Code: http.StatusTooManyRequests, RetryAfter: retryAfter}
}

// BlockedByUser is the 403 for a user who blocked the bot.
func BlockedByUser() Failure {
	return Failure{Code: http.StatusForbidden, Description: "Forbidden: bot was blocked by the user"}
}

// ChatNotFound is the 400 for a chat the bot cannot reach.
func ChatNotFound() Failure {
	return Failure{Code: http.StatusBadRequest, Description: "Bad Request: chat not found"}
}

// MigratedTo is the 400 for a group that became the supergroup newID.
func MigratedTo(newID int64) Failure {
	return Failure{Code: http.StatusBadRequest, MigrateTo: newID}
}

// BadGateway is a 502 with the HTML page Telegram's nginx front sends, not JSON.
func BadGateway() Failure {
	return Failure{Code: http.StatusBadGateway, Body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"}
}

func (f Failure) description() string {
	if f.Description != "" {
		return f.Description
	}
	switch {
	case f.Code == http.StatusTooManyRequests:
		return fmt.Sprintf("Too Many Requests: retry after %d", f.RetryAfter)
	case f.Code == http.StatusForbidden:
		return "Forbidden: bot was blocked by the user"
	case f.Code == http.StatusBadRequest && f.MigrateTo != 0:
		return "Bad Request: group chat was upgraded to a supergroup chat"
	case http.StatusText(f.Code) != "":
		return http.StatusText(f.Code)
	}
	return "Error"
}

func (f Failure) reply() reply {
	if f.Body != "" {
		return reply{status: f.Code, body: []byte(f.Body), contentType: "text/html",
			description: fmt.Sprintf("%d %s (non-JSON body)", f.Code, http.StatusText(f.Code))}
	}
	var params *responseParameters
	if f.RetryAfter != 0 || f.MigrateTo != 0 {
		params = &responseParameters{RetryAfter: f.RetryAfter, MigrateToChatID: f.MigrateTo}
	}
	return errorReply(f.Code, f.description(), params)
}

// failureRule is one Fail call still in force.
type failureRule struct {
	method string
	chatID int64
	f      Failure
	left   int // < 0: until ClearFailures
}

// Fail makes the next times calls of method for chatID answer f instead of running; times < 0
// keeps failing until ClearFailures, times == 0 does nothing. method "" matches every method
// except getUpdates (fail that by name); chatID 0 matches every call, with or without a chat_id.
// Rules apply in the order they were added, each call consuming at most one. Injected failures
// come before blocked and migrated chats and before the rate limiter; they are counted in
// Stats.Injected. An unknown method name fails the test at once.
func (s *Server) Fail(method string, chatID int64, f Failure, times int) {
	s.tb.Helper()
	if method != "" {
		canonical, ok := lookupMethod(method)
		if !ok {
			s.tb.Fatalf("telegramtest: Fail: unknown method %q", method)
			return
		}
		method = canonical
	}
	if times == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, &failureRule{method: method, chatID: chatID, f: f, left: times})
}

// ClearFailures removes every rule Fail added. Blocked users (BlockBot) and migrated chats
// (MigrateChat) are chat state, not failures, and stay.
func (s *Server) ClearFailures() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = nil
}

func (s *Server) takeFailureLocked(method string, chatID int64) (Failure, bool) {
	for i, r := range s.failures {
		if r.method == "" && method == "getUpdates" || r.method != "" && !strings.EqualFold(r.method, method) {
			continue
		}
		if r.chatID != 0 && r.chatID != chatID {
			continue
		}
		if r.left > 0 {
			r.left--
			if r.left == 0 {
				s.failures = append(s.failures[:i:i], s.failures[i+1:]...)
			}
		}
		return r.f, true
	}
	return Failure{}, false
}
