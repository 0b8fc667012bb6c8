package telegramtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"

	"github.com/go-telegram/bot/models"
)

// webhookState is what setWebhook set.
type webhookState struct {
	url            string
	secret         string
	maxConnections int
	allowed        []string
}

// secretTokenRE is Telegram's rule for setWebhook's secret_token.
var secretTokenRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// setWebhookLocked accepts http URLs as well as https ones, unlike Telegram, so that a test can
// point it at an httptest.Server.
func (s *Server) setWebhookLocked(p map[string]string) reply {
	link := p["url"]
	if link == "" {
		return s.deleteWebhookLocked(p)
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret, hasSecret := p["secret_token"]
	if hasSecret && !secretTokenRE.MatchString(secret) {
		return badRequest("secret token contains unallowed characters")
	}
	v, present := p["allowed_updates"]
	if err := s.setAllowedLocked(v, present); err != nil {
		return badRequest(err.Error())
	}
	if boolParam(p, "drop_pending_updates") {
		s.updates = nil
	}
	s.webhook = webhookState{url: link, secret: secret, maxConnections: int(intParam(p, "max_connections", 40))}
	for k := range s.allowed {
		s.webhook.allowed = append(s.webhook.allowed, k)
	}
	slices.Sort(s.webhook.allowed)
	if s.pollKick != nil {
		close(s.pollKick) // a long poll in progress ends with 409, as in Telegram
		s.pollKick = nil
	}
	return okDescribed(true, "Webhook was set")
}

func (s *Server) deleteWebhookLocked(p map[string]string) reply {
	if boolParam(p, "drop_pending_updates") {
		s.updates = nil
	}
	if s.webhook.url == "" {
		return okDescribed(true, "Webhook is already deleted")
	}
	s.webhook = webhookState{}
	return okDescribed(true, "Webhook was deleted")
}

func (s *Server) getWebhookInfoLocked() reply {
	info := models.WebhookInfo{URL: s.webhook.url, PendingUpdateCount: len(s.updates)}
	if s.webhook.url != "" {
		info.MaxConnections = s.webhook.maxConnections
		info.AllowedUpdates = s.webhook.allowed
		info.IPAddress = "127.0.0.1"
	}
	return okReply(info)
}

// ErrNoWebhook is returned by DeliverWebhook when no webhook is set.
var ErrNoWebhook = errors.New("telegramtest: no webhook is set")

// DeliverWebhook does what Telegram does for a bot in webhook mode, on demand: it POSTs the
// queued updates, oldest first and one at a time, as JSON to the URL given to setWebhook, with
// the X-Telegram-Bot-Api-Secret-Token header when a secret_token was set. An update answered
// 2xx is confirmed and dropped. At the first other answer or transport error it stops and
// returns the error, the update staying queued (Telegram would retry it later). It returns how
// many updates were confirmed.
func (s *Server) DeliverWebhook(ctx context.Context) (int, error) {
	delivered := 0
	for {
		s.mu.Lock()
		hook := s.webhook
		var next queuedUpdate
		if len(s.updates) > 0 {
			next = s.updates[0]
		}
		s.mu.Unlock()
		if hook.url == "" {
			return delivered, ErrNoWebhook
		}
		if next.id == 0 {
			return delivered, nil
		}
		if err := postUpdate(ctx, hook, next.body); err != nil {
			return delivered, fmt.Errorf("telegramtest: deliver update %d: %w", next.id, err)
		}
		s.mu.Lock()
		if len(s.updates) > 0 && s.updates[0].id == next.id {
			s.updates = s.updates[1:]
			s.notifyLocked()
		}
		s.mu.Unlock()
		delivered++
	}
}

func postUpdate(ctx context.Context, hook webhookState, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if hook.secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hook.secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}
