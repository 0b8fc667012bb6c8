package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/bot/telegramtest"
)

// fakeToken is recognisable in any output: a bot id, and a secret half with the characters
// BotFather uses.
const fakeToken = "7357000123:AAH-fake_Secret-TokenNewsbot0123456789"

// leaks lists every form in which a token could show up in a log.
func leaks(out, token string) []string {
	_, half, _ := strings.Cut(token, ":")
	var found []string
	for _, form := range []string{token, "bot" + token, url.PathEscape(token), url.QueryEscape(token), half} {
		if strings.Contains(out, form) {
			found = append(found, form)
		}
	}
	return found
}

// cuttingProxy forwards to the fake Bot API, or, while cutting, drops every connection without
// an answer: go-telegram/bot then fails with a *url.Error carrying the request URL, the token
// in its path.
type cuttingProxy struct {
	*httptest.Server
	mu      sync.Mutex
	cutting bool
	cut     int
}

func newCuttingProxy(t *testing.T, target string) *cuttingProxy {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &cuttingProxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		cutting := p.cutting
		if cutting {
			p.cut++
		}
		p.mu.Unlock()
		if !cutting {
			rp.ServeHTTP(w, r)
			return
		}
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *cuttingProxy) setCutting(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutting = on
}

func (p *cuttingProxy) cuts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cut
}

func TestTokenNeverLogged(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			api := telegramtest.New(t, telegramtest.Options{Token: fakeToken})
			proxy := newCuttingProxy(t, api.URL())
			site := newFeedSite(t, `<item><guid>1</guid><title>Старое про уран</title><link>https://orda.kz/1</link></item>`)
			path := opsConfig(t, proxy.URL, site.URL, format, "")
			env := func(k string) string {
				if k == "NEWSBOT_TELEGRAM_TOKEN" {
					return fakeToken
				}
				return ""
			}
			ctx, cancel := context.WithCancel(context.Background())
			var stdout, stderr syncBuffer
			done := make(chan int, 1)
			go func() { done <- run(ctx, []string{"-config", path}, &stdout, &stderr, env) }()
			defer func() {
				cancel()
				select {
				case code := <-done:
					if code != 0 {
						t.Errorf("exit %d", code)
					}
				case <-time.After(15 * time.Second):
					t.Fatal("the bot did not stop")
				}
				out := stdout.String() + stderr.String()
				if found := leaks(out, fakeToken); len(found) > 0 {
					t.Errorf("the log shows the token as %q:\n%s", found, out)
				}
				if !strings.Contains(out, "bot***") && !strings.Contains(out, redacted) {
					t.Errorf("no masked request URL in the log: the failure path that quotes one was not exercised:\n%s", out)
				}
			}()

			aliya := telegramtest.User{ID: 5151, FirstName: "Әлия", LanguageCode: "kk"}
			api.SendText(aliya.Chat(), aliya, "/start topic_energy")
			api.WaitMessages(t, aliya.ID, 1, 10*time.Second)

			// Telegram unreachable mid-conversation: the long poll and a push both fail with
			// the request URL in their errors.
			proxy.setCutting(true)
			site.set(`<item><guid>2</guid><title>Казатомпром увеличил добычу урана</title><link>https://orda.kz/2</link></item>
				<item><guid>1</guid><title>Старое про уран</title><link>https://orda.kz/1</link></item>`)
			deadline := time.Now().Add(15 * time.Second)
			for !strings.Contains(stderr.String(), "send failed") {
				if time.Now().After(deadline) {
					t.Fatalf("the push never failed (%d connections cut); log:\n%s", proxy.cuts(), stderr.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			proxy.setCutting(false)
			api.WaitMessages(t, aliya.ID, 2, 15*time.Second)
		})
	}
}

func TestRedactorHidesSecretsEverywhere(t *testing.T) {
	const secret = "hook-Secret_42xyz"
	type card struct{ Token string }
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			log := newLogger(LogConfig{Level: "debug", Format: format}, &buf, fakeToken, secret, "")
			reqErr := &url.Error{Op: "Post", URL: "https://api.telegram.org/bot" + fakeToken + "/getMe", Err: errors.New("EOF")}
			log = log.With(slog.String("bound", "with "+fakeToken))
			log.WithGroup("g").Debug("message with "+fakeToken,
				slog.String("plain", fakeToken),
				slog.String("path_escaped", "/bot"+url.PathEscape(fakeToken)),
				slog.String("query_escaped", "token="+url.QueryEscape(fakeToken)),
				slog.String("half", "secret half "+strings.SplitN(fakeToken, ":", 2)[1]),
				slog.Any("error", fmt.Errorf("bot: hello: %w", reqErr)),
				slog.Any("panic", card{Token: fakeToken}),
				slog.Group("nested", slog.String("webhook_secret", secret)),
				slog.Int("chat_id", 5151),
				slog.Duration("retry_in", time.Second),
			)
			out := buf.String()
			if found := leaks(out, fakeToken); len(found) > 0 {
				t.Errorf("token shown as %q in %s", found, out)
			}
			if strings.Contains(out, secret) {
				t.Errorf("webhook secret shown in %s", out)
			}
			for _, keep := range []string{"5151", redacted, "getMe"} {
				if !strings.Contains(out, keep) {
					t.Errorf("%q lost from %s", keep, out)
				}
			}
		})
	}
}

func TestRedactorLeavesLogsWithoutSecretsAlone(t *testing.T) {
	var plain, wrapped bytes.Buffer
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	write := func(h slog.Handler) {
		r := slog.NewRecord(at, slog.LevelInfo, "poll: new stories", 0)
		r.AddAttrs(slog.String("source_id", "orda"), slog.Int("stories", 3), slog.Any("error", errors.New("timed out after 20s")))
		h.Handle(context.Background(), r)
	}
	write(slog.NewJSONHandler(&plain, nil))
	write(redact(slog.NewJSONHandler(&wrapped, nil), fakeToken))
	if plain.String() != wrapped.String() {
		t.Errorf("redacting changed a line without secrets:\n%s\n%s", plain.String(), wrapped.String())
	}
	if h := slog.NewTextHandler(&plain, nil); redact(h, "", "short") != slog.Handler(h) {
		t.Error("with no secret worth hiding, redact must return the handler itself")
	}
}
