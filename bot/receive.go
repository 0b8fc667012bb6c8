package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// allowedUpdates are the update kinds newsbot asks Telegram for, by long polling and by webhook
// alike: Telegram keeps the last list it was given, so the two modes must not differ.
var allowedUpdates = tg.AllowedUpdates{
	models.AllowedUpdateMessage,
	models.AllowedUpdateChannelPost,
	models.AllowedUpdateCallbackQuery,
	models.AllowedUpdateMyChatMember,
}

const (
	// secretHeader carries setWebhook's secret_token on every request Telegram makes.
	secretHeader = "X-Telegram-Bot-Api-Secret-Token"
	// maxWebhookBody caps a webhook request's body. An update is a few KiB: a 4096-character
	// message with its entities, a reply and a keyboard stays far below it.
	maxWebhookBody = 1 << 20
	// webhookShutdown bounds how long stopping waits for webhook requests in progress.
	webhookShutdown = 5 * time.Second
	// recentUpdateIDs is how many handled update ids the webhook remembers to drop redeliveries.
	recentUpdateIDs = 1024
)

// receive takes updates from Telegram until ctx ends, by webhook when Config.WebhookURL is set,
// else by long polling. It returns nil when ctx ends, and an error only when updates cannot be
// received at all (the webhook's listener cannot bind, or stops serving).
func (b *Bot) receive(ctx context.Context) error {
	if b.cfg.WebhookURL != "" {
		return b.serveWebhook(ctx)
	}
	return b.longPoll(ctx)
}

// longPoll takes updates by getUpdates. A webhook left set (by an earlier webhook-mode run)
// makes getUpdates fail with 409 forever, so it removes it first, keeping the updates Telegram
// holds.
func (b *Bot) longPoll(ctx context.Context) error {
	if _, err := b.tg.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
		b.log.Warn("bot: delete webhook", slog.String("error", err.Error()))
	}
	b.log.Info("bot: polling Telegram", slog.String("username", b.Username()))
	b.tg.Start(ctx)
	return nil
}

// serveWebhook serves Telegram's webhook requests on WebhookListen, at WebhookURL's path, and
// (re)registers the webhook with setWebhook, retrying until Telegram accepts it. The listener
// binds first: a bot that cannot serve does not point Telegram at itself. When ctx ends it
// stops accepting and returns; the webhook stays set, so Telegram keeps the updates that
// arrive meanwhile for the next start.
//
// go-telegram/bot's WebhookHandler is not used: it answers 200 to a wrong secret (only logging
// it) and to a body it cannot decode, reads bodies of any size, and parks updates in a channel
// that StartWebhook drains only while running: when that channel is full it holds the answer
// until the request's context ends, and an update acknowledged at shutdown is lost.
func (b *Bot) serveWebhook(ctx context.Context) error {
	u, err := url.Parse(b.cfg.WebhookURL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("bot: webhook url %q is not an absolute URL", b.cfg.WebhookURL)
	}
	if b.cfg.WebhookSecret == "" {
		return errors.New("bot: webhook mode needs a secret: anyone could post updates otherwise")
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	ln, err := net.Listen("tcp", b.cfg.WebhookListen)
	if err != nil {
		return fmt.Errorf("bot: webhook listen: %w", err)
	}
	hook := &webhook{b: b, path: path, secret: []byte(b.cfg.WebhookSecret), ctx: ctx,
		seen: make(map[int64]bool, recentUpdateIDs), ring: make([]int64, recentUpdateIDs)}
	srv := &http.Server{
		Handler: hook,
		// Telegram sends small requests at once; these only bound what a slow or hostile client
		// can hold.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(b.log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	b.log.Info("bot: serving the webhook", slog.String("listen", ln.Addr().String()),
		slog.String("host", u.Host), slog.String("username", b.Username()))

	var register sync.WaitGroup
	regCtx, stopRegister := context.WithCancel(ctx)
	register.Go(func() { b.setWebhook(regCtx) })

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
	}
	stopRegister()
	register.Wait()
	hook.close()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), webhookShutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		b.log.Warn("bot: webhook requests still running at shutdown", slog.String("error", err.Error()))
		_ = srv.Close()
	}
	if serveErr != nil {
		return fmt.Errorf("bot: webhook serve: %w", serveErr)
	}
	return nil
}

// setWebhook points Telegram at WebhookURL with the secret and allowedUpdates, retrying with
// backoff (up to a minute) until Telegram accepts or ctx ends. It is repeated at every start:
// the URL, secret or update kinds may have changed since the last run.
func (b *Bot) setWebhook(ctx context.Context) {
	wait := time.Second
	for {
		_, err := b.tg.SetWebhook(ctx, &tg.SetWebhookParams{
			URL:            b.cfg.WebhookURL,
			SecretToken:    b.cfg.WebhookSecret,
			AllowedUpdates: allowedUpdates,
		})
		if err == nil {
			b.log.Info("bot: webhook set")
			return
		}
		if ctx.Err() != nil {
			return
		}
		b.log.Warn("bot: set webhook, retrying", slog.String("error", err.Error()), slog.Duration("retry_in", wait))
		b.received.add(b.now(), err)
		if sleep(ctx, wait) != nil {
			return
		}
		wait = min(2*wait, time.Minute)
	}
}

// webhook is the HTTP handler Telegram posts updates to.
type webhook struct {
	b      *Bot
	path   string
	secret []byte
	ctx    context.Context // receive's: passed on to the handlers as polling does

	// mu orders handing updates over against close: once close returned, nothing more is handed
	// over, so Run may wait for the handlers.
	mu     sync.Mutex
	closed bool
	seen   map[int64]bool // ids of the last recentUpdateIDs updates handed over
	ring   []int64        // the same ids; next is where the oldest is, to be replaced
	next   int
}

// ServeHTTP hands one update to the bot's handlers. Requests for another path get 404, other
// methods than POST 405, a missing or wrong secret header 401 before anything of the body is
// read, a body over maxWebhookBody 413, and a body that is not one JSON update 400; each of
// them is handled by nothing. A valid update is queued behind its chat's earlier ones and
// answered 200 at once; an update id seen lately is answered 200 and dropped (Telegram resends
// an update whose answer it did not get). While shutting down, updates are answered 503, so
// that Telegram delivers them again after the restart.
func (h *webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != h.path {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get(secretHeader)), h.secret) != 1 {
		h.b.log.Warn("bot: webhook request without the right secret refused", slog.String("remote_addr", r.RemoteAddr),
			slog.Bool("has_secret", r.Header.Get(secretHeader) != ""))
		http.Error(w, http.StatusText(http.StatusUnauthorized), http.StatusUnauthorized)
		return
	}
	if r.ContentLength > maxWebhookBody {
		h.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Errorf("content length %d over %d", r.ContentLength, maxWebhookBody))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			h.refuse(w, r, http.StatusRequestEntityTooLarge, err)
			return
		}
		h.refuse(w, r, http.StatusBadRequest, err)
		return
	}
	var u models.Update
	if err := json.Unmarshal(body, &u); err != nil {
		h.refuse(w, r, http.StatusBadRequest, err)
		return
	}
	if u.ID <= 0 {
		h.refuse(w, r, http.StatusBadRequest, errors.New("no update_id"))
		return
	}
	if !h.handOver(&u) {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// refuse answers status for a request Telegram would never make, and logs why.
func (h *webhook) refuse(w http.ResponseWriter, r *http.Request, status int, cause error) {
	h.b.log.Warn("bot: webhook request refused", slog.Int("status", status), slog.String("remote_addr", r.RemoteAddr),
		slog.String("error", cause.Error()))
	http.Error(w, http.StatusText(status), status)
}

// handOver gives u to the same handler path as polling, unless it was handed over lately. It
// reports false once close was called. The bot's handlers are not asynchronous (New), so
// ProcessUpdate only queues u and returns: the HTTP answer is not held up by handling, and u is
// queued before Telegram, which sends a chat's next update only after this one's answer, learns
// it arrived; the chat's order is kept.
func (h *webhook) handOver(u *models.Update) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	if h.seen[u.ID] {
		h.b.log.Info("bot: webhook update delivered again, dropped", slog.Int64("update_id", u.ID))
		return true
	}
	delete(h.seen, h.ring[h.next]) // 0 while the ring fills: no update has that id
	h.ring[h.next] = u.ID
	h.next = (h.next + 1) % len(h.ring)
	h.seen[u.ID] = true
	h.b.tg.ProcessUpdate(h.ctx, u)
	return true
}

// close makes every later request answer 503 instead of handing its update over.
func (h *webhook) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
}
