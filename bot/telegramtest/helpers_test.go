package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

var (
	aliya  = User{ID: 1001, FirstName: "Әлия", Username: "aliya_kz", LanguageCode: "kk"}
	timur  = User{ID: 1002, FirstName: "Timur", LanguageCode: "ru"}
	bakyt  = User{ID: 1003, FirstName: "Бакыт", LanguageCode: "ru"}
	almaty = Chat{ID: -1001234567890, Type: "supergroup", Title: "Алматы жаңалықтары"}
	// fixedNow is the fake's clock in tests: message dates are its Unix seconds.
	fixedNow = time.Date(2025, 3, 14, 8, 0, 0, 0, time.UTC)
)

func newServer(t *testing.T, opts Options) *Server {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	return New(t, opts)
}

// errorLog collects the errors go-telegram/bot reports from its own goroutines, which may
// outlive the test and so must not call t.Log.
type errorLog struct {
	mu   sync.Mutex
	errs []error
}

func (l *errorLog) add(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errs = append(l.errs, err)
}

// newBot is the real client pointed at srv, quiet by default.
func newBot(t *testing.T, srv *Server, opts ...bot.Option) *bot.Bot {
	t.Helper()
	log := &errorLog{}
	all := []bot.Option{
		bot.WithServerURL(srv.URL()),
		bot.WithSkipGetMe(),
		bot.WithDefaultHandler(func(context.Context, *bot.Bot, *models.Update) {}),
		bot.WithErrorsHandler(log.add),
	}
	b, err := bot.New(srv.Token(), append(all, opts...)...)
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return b
}

// startBot runs b.Start until the test ends and checks it returns promptly when cancelled.
func startBot(t *testing.T, b *bot.Bot) (cancel func()) {
	t.Helper()
	ctx, cancelCtx := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		b.Start(ctx)
		close(done)
	}()
	stop := func() {
		cancelCtx()
		select {
		case <-done:
		case <-time.After(time.Second):
			t.Errorf("b.Start did not return within 1s of cancellation")
		}
	}
	t.Cleanup(func() {
		select {
		case <-done:
		default:
			stop()
		}
	})
	return stop
}

// waitPolling waits until a getUpdates request is waiting in the server.
func waitPolling(t *testing.T, s *Server) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		polling := s.pollKick != nil
		s.mu.Unlock()
		if polling {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("no getUpdates request is waiting")
}

func ctxTimeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// rawCall posts a form-encoded request and returns the body.
func (s *Server) rawCall(t *testing.T, method, form string) (string, error) {
	t.Helper()
	resp, err := http.Post(s.URL()+"/bot"+s.Token()+"/"+method, "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}

// pendingUpdates decodes the queued updates without confirming them.
func (s *Server) pendingUpdates(t *testing.T) []models.Update {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []models.Update
	for _, u := range s.updates {
		var upd models.Update
		if err := json.Unmarshal(u.body, &upd); err != nil {
			t.Fatalf("update %d: %v", u.id, err)
		}
		out = append(out, upd)
	}
	return out
}

// newHTTPServer serves h for the test and returns its URL.
func newHTTPServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}
