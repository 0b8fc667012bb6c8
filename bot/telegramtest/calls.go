package telegramtest

import (
	"maps"
	"strings"
	"testing"
	"time"
)

// Call is one request the bot made.
type Call struct {
	// Method is the method's documented spelling ("sendMessage") whatever case the client used;
	// for an unknown method or a wrong token, the name as requested.
	Method string
	// Params are the request's parameters as strings; nested objects (reply_markup,
	// link_preview_options, commands) are their JSON text.
	Params map[string]string
	// ChatID is the numeric chat_id parameter, 0 when absent.
	ChatID int64
	// Status is the HTTP status answered: 200, an error_code, or 499 for a long poll the client
	// abandoned.
	Status int
	// Error is the error description answered, "" on success.
	Error string
	// At is when the request arrived (wall clock).
	At time.Time
}

func (s *Server) recordLocked(call Call, rep reply) {
	call.Status = rep.status
	if rep.status != 200 {
		call.Error = rep.description
	}
	s.calls = append(s.calls, call)
	s.notifyLocked()
}

// Calls returns the calls of method (case-insensitive; "" for all) in the order the server
// answered them. A call is recorded when its answer is decided, a long poll when it ends.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callsLocked(method)
}

func (s *Server) callsLocked(method string) []Call {
	var out []Call
	for _, c := range s.calls {
		if method == "" || strings.EqualFold(c.Method, method) {
			c.Params = maps.Clone(c.Params)
			out = append(out, c)
		}
	}
	return out
}

// WaitCalls waits until at least n calls of method ("" for any) have been recorded, failed ones
// included, and returns all of them. On timeout it fails the test listing the calls seen; call
// it from the test's goroutine.
func (s *Server) WaitCalls(tb testing.TB, method string, n int, timeout time.Duration) []Call {
	tb.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		calls := s.callsLocked(method)
		changed := s.waitChanLocked()
		var seen []string
		if len(calls) < n {
			for _, c := range s.calls {
				seen = append(seen, c.Method)
			}
		}
		s.mu.Unlock()
		if len(calls) >= n {
			return calls
		}
		select {
		case <-changed:
		case <-deadline.C:
			tb.Fatalf("telegramtest: want %d %q calls within %v, have %d; all calls: %v", n, method, timeout, len(calls), seen)
			return nil
		}
	}
}
