package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"newsbot/bot/pace"
	"newsbot/bot/texts"
	"newsbot/digest"
	"newsbot/subscriptions"
	"newsbot/subscriptions/alerts"
)

// Config configures the Telegram side.
type Config struct {
	Token     string
	APIURL    string // Bot API server: Telegram's, a self-hosted one or a test fake
	RateLimit int    // messages per second at most
	Admins    []int64
	// Location is the zone of chats that have not chosen one with /timezone.
	Location *time.Location
	// Sources names the outlets by source id, for rendering.
	Sources map[string]string
	Log     *slog.Logger
	Now     func() time.Time // nil = time.Now
	// ShutdownGrace bounds how long Run takes to return after ctx ends, waiting for running
	// handlers and the sends in flight (8s if 0: with the rest of the shutdown the process
	// exits within the 10 s interface.md promises).
	ShutdownGrace time.Duration
	// AlertLimits bounds /alert queries (alerts.Parse's defaults when zero).
	AlertLimits alerts.Limits
	// PaidBroadcast lets bulk messages (digests, broadcasts) go at up to 1000 a second with
	// Telegram's paid broadcasts (allow_paid_broadcast, costs Stars).
	PaidBroadcast bool
	// RouteEvery is how often stories stored but not routed are looked for (1m if 0): those a
	// failed delivery left, and those `newsbot fetch` stored while the bot ran.
	RouteEvery time.Duration
	// WebhookURL, when set, switches from long polling to webhook mode: Telegram posts updates
	// to this https URL, which a proxy forwards to WebhookListen (plain HTTP), and every request
	// must carry WebhookSecret in X-Telegram-Bot-Api-Secret-Token.
	WebhookURL    string
	WebhookListen string
	WebhookSecret string
	// Digest is the daily digest.
	Digest DigestConfig
	// NextPoll tells /sources when a source is polled next (nil: the state's own floor).
	NextPoll func(id string, st digest.SourceState, now time.Time) time.Time
	// Metrics receives what the bot does, for Prometheus (nil: nothing is counted).
	Metrics Metrics
}

// withDefaults fills in cfg's zero values.
func withDefaults(cfg Config) Config {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = 8 * time.Second
	}
	if cfg.RouteEvery <= 0 {
		cfg.RouteEvery = time.Minute
	}
	if cfg.Digest.Location == nil {
		cfg.Digest.Location = cfg.Location
	}
	if cfg.Digest.MaxStories <= 0 {
		cfg.Digest.MaxStories = 10
	}
	return cfg
}

// Bot is newsbot on Telegram: it receives updates (long polling or a webhook), answers commands
// and buttons, pushes new stories to the chats that follow their topics, and sends the daily
// digest and admins' broadcasts.
type Bot struct {
	cfg     Config
	log     *slog.Logger
	now     func() time.Time
	tg      *tg.Bot
	sender  *Sender
	texts   *texts.Catalog
	subs    *subscriptions.Store
	stories *digest.Store
	admins  map[int64]bool

	mu       sync.Mutex
	username string
	// handlerCtx outlives the polling context so that handlers running at shutdown can finish
	// their replies; Run cancels it after they finished or the grace period ran out.
	handlerCtx context.Context
	handlers   sync.WaitGroup
	queues     map[int64][]*models.Update // per chat, waiting to be handled; a key exists while its runner runs
	dispatch   *dispatcher
	digests    *Digester
	// runCtx is Run's context: the progress reports of bulk sends live as long as it.
	runCtx        context.Context
	reports       sync.WaitGroup
	reporting     map[int64]bool // runs whose progress is being reported
	reportsClosed bool           // Run is returning: no new reports

	received receiveErrors // failures to receive updates, for ReceiveHealth

	alertsMu   sync.Mutex
	alerts     *alerts.Index // nil until loaded
	alertEdits sync.Mutex    // held over storing or deleting alerts and updating the index
}

// New returns a bot. It makes no request yet: Run does.
func New(cfg Config, subs *subscriptions.Store, stories *digest.Store, catalog *texts.Catalog) (*Bot, error) {
	cfg = withDefaults(cfg)
	digests, err := NewDigester(cfg, subs, stories, catalog)
	if err != nil {
		return nil, err
	}
	b := &Bot{cfg: cfg, log: cfg.Log, now: cfg.Now, texts: catalog, subs: subs, stories: stories,
		admins: map[int64]bool{}, handlerCtx: context.Background(), runCtx: context.Background(), queues: map[int64][]*models.Update{}}
	for _, id := range cfg.Admins {
		b.admins[id] = true
	}
	b.digests = digests
	client, err := tg.New(cfg.Token,
		tg.WithServerURL(strings.TrimRight(cfg.APIURL, "/")),
		tg.WithSkipGetMe(), // Run asks getMe itself, retrying: Telegram may be unreachable at start
		// Updates are taken in order by one worker and queued per chat: a chat's updates are
		// answered in the order they were sent, different chats' at the same time.
		tg.WithNotAsyncHandlers(),
		tg.WithWorkers(1),
		tg.WithDefaultHandler(b.enqueue),
		tg.WithErrorsHandler(func(err error) {
			cfg.Log.Warn("telegram: polling", slog.String("error", err.Error()))
			b.received.add(cfg.Now(), err)
		}),
		tg.WithAllowedUpdates(allowedUpdates),
	)
	if err != nil {
		return nil, fmt.Errorf("bot: new: %w", err)
	}
	b.tg = client
	// Paced a little under the configured ceiling: sends leave at an even pace but reach
	// Telegram with the network's jitter, and a window it counts must still hold no more than
	// rate_limit of them.
	limits := pace.Limits{Global: max(1, cfg.RateLimit-max(1, cfg.RateLimit*4/100))}
	if cfg.PaidBroadcast {
		limits.PaidBulk = 960 // 1000/s, with the same headroom
	}
	b.dispatch = newDispatcher(b, pace.New(limits, cfg.Now), cfg.PaidBroadcast)
	b.digests.poke = b.dispatch.poke
	b.sender = NewSender(client, SenderConfig{
		RateLimit: cfg.RateLimit,
		Log:       cfg.Log,
		// Replies and every further request share the delivery engine's pacer.
		Pace: func(ctx context.Context, chatID int64) error { return b.dispatch.turn(ctx, chatID, pace.Reply) },
		OnThrottle: func(chatID int64, d time.Duration) {
			b.dispatch.pacer.Throttled(chatID, d)
			// Replies and edits are not outbox sends; their 429s still count.
			b.metrics().Sent(subscriptions.KindReply, Throttled)
		},
		OnGone: func(ctx context.Context, chatID int64, reason string) {
			if err := subs.SetActive(ctx, chatID, false, reason); err != nil && !errors.Is(err, subscriptions.ErrNoChat) {
				cfg.Log.Error("bot: deactivate chat", slog.Int64("chat_id", chatID), slog.String("error", err.Error()))
			}
		},
		OnMigrate: func(ctx context.Context, from, to int64) {
			if err := subs.MoveChat(ctx, from, to); err != nil {
				cfg.Log.Error("bot: move migrated chat", slog.Int64("chat_id", from), slog.Int64("new_chat_id", to),
					slog.String("error", err.Error()))
			}
		},
	})
	return b, nil
}

// Run serves until ctx ends: it learns the bot's username (retrying while Telegram is
// unreachable), publishes the command menu in every language, receives updates (long polling,
// or a webhook when WebhookURL is set), sends the outbox (the delivery engine), and routes
// stories left unrouted (at start and every RouteEvery). After ctx ends it stops receiving and
// dispatching, then lets running handlers and the sends in flight finish, for at most
// ShutdownGrace, before returning; what is still queued stays in the outbox for the next start.
// When updates cannot be received at all (the webhook listener cannot bind), Run stops the same
// way at once and returns that error.
func (b *Bot) Run(ctx context.Context) error {
	hctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	// A receive error ends the workers as ctx ending does.
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	stoppedAt := make(chan time.Time, 1)
	context.AfterFunc(ctx, func() { stoppedAt <- time.Now() })
	b.mu.Lock()
	b.handlerCtx, b.runCtx = hctx, ctx
	b.mu.Unlock()

	if err := b.hello(ctx); err != nil || ctx.Err() != nil {
		return err
	}
	b.publishCommands(ctx)
	var workers sync.WaitGroup
	pushesDone := make(chan struct{})
	workers.Go(func() {
		b.dispatch.run(ctx, hctx)
		close(pushesDone)
	})
	workers.Go(func() { b.digests.run(ctx) })
	workers.Go(func() { b.resumeRuns(ctx) })
	workers.Go(func() {
		b.routeLeftovers(ctx)
		b.pruneDeliveries(ctx)
		lastPrune := b.now()
		t := time.NewTicker(b.cfg.RouteEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				b.routeLeftovers(ctx)
				if b.now().Sub(lastPrune) >= 24*time.Hour {
					b.pruneDeliveries(ctx)
					lastPrune = b.now()
				}
			}
		}
	})
	err := b.receive(ctx)
	if err != nil {
		b.log.Error("bot: receiving updates", slog.String("error", err.Error()))
	}
	stop() // receiving ends only when stopping, or when it cannot go on

	// The grace period counts from the stop, not from here: receiving may have spent some of
	// it (a webhook server draining its requests).
	allDone := make(chan struct{})
	go func() { b.handlers.Wait(); close(allDone) }()
	handlersDone := allDone
	grace := time.After(b.cfg.ShutdownGrace - time.Since(<-stoppedAt))
	for handlersDone != nil || pushesDone != nil {
		select {
		case <-handlersDone:
			handlersDone = nil
		case <-pushesDone:
			pushesDone = nil
		case <-grace:
			b.log.Warn("bot: shutdown grace period over", slog.Bool("handlers_running", handlersDone != nil),
				slog.Bool("sends_in_flight", pushesDone != nil))
			handlersDone, pushesDone = nil, nil
		}
	}
	cancel()
	workers.Wait()
	b.mu.Lock()
	b.reportsClosed = true
	b.mu.Unlock()
	b.reports.Wait()
	return err
}

// keepDeliveries is how long the record that a chat got a story cluster is kept. It must
// outlast any cluster's growth: a report joining a cluster whose records are gone would reach
// its chats again. Clusters form within digest.ClusterWindow of their stories.
const keepDeliveries = 14 * 24 * time.Hour

// keepOutbox is how long finished outbox messages (sent, failed, dropped) are kept, for the
// delivery counters and for looking into what happened.
const keepOutbox = 7 * 24 * time.Hour

// keepDigests is how long digest records, finished bulk runs and pins are kept: longer than
// any digest's window (a week) and than the outbox rows that name a run.
const keepDigests = 14 * 24 * time.Hour

// pruneDeliveries forgets delivery records older than keepDeliveries, finished outbox
// messages older than keepOutbox, and digest records (but each chat's latest), finished runs
// and pins older than keepDigests. The audit is kept.
func (b *Bot) pruneDeliveries(ctx context.Context) {
	n, err := b.subs.PruneDeliveries(ctx, b.now().Add(-keepDeliveries))
	if err != nil {
		b.log.Warn("bot: prune deliveries", slog.String("error", err.Error()))
		return
	}
	m, err := b.subs.PruneOutbox(ctx, b.now().Add(-keepOutbox))
	if err != nil {
		b.log.Warn("bot: prune outbox", slog.String("error", err.Error()))
		return
	}
	d, err := b.subs.PruneDigests(ctx, b.now().Add(-keepDigests))
	if err != nil {
		b.log.Warn("bot: prune digests", slog.String("error", err.Error()))
		return
	}
	p, err := b.stories.PrunePins(ctx, b.now().Add(-keepDigests))
	if err != nil {
		b.log.Warn("bot: prune pins", slog.String("error", err.Error()))
		return
	}
	if n+m+d+p > 0 {
		b.log.Info("bot: pruned old records", slog.Int64("deliveries", n), slog.Int64("outbox", m),
			slog.Int64("digests", d), slog.Int64("pins", p))
	}
}

// Username is the bot's @username (without @), known once Run has greeted Telegram.
func (b *Bot) Username() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.username
}

// hello calls getMe until it succeeds or ctx ends, backing off up to a minute.
func (b *Bot) hello(ctx context.Context) error {
	wait := time.Second
	for {
		me, err := b.tg.GetMe(ctx)
		if err == nil {
			b.mu.Lock()
			b.username = me.Username
			b.mu.Unlock()
			return nil
		}
		if errors.Is(err, tg.ErrorUnauthorized) || errors.Is(err, tg.ErrorNotFound) {
			return fmt.Errorf("bot: telegram refused the token (check telegram.token / NEWSBOT_TELEGRAM_TOKEN): %w", err)
		}
		b.log.Warn("bot: cannot reach Telegram, retrying", slog.String("error", err.Error()), slog.Duration("retry_in", wait))
		if err := sleep(ctx, wait); err != nil {
			return nil // shutting down before ever starting is not an error
		}
		wait = min(2*wait, time.Minute)
	}
}

// menu is the command menu, in the order Telegram shows it.
var menu = []struct{ command, text string }{
	{"start", texts.MenuStart}, {"topics", texts.MenuTopics}, {"latest", texts.MenuLatest},
	{"search", texts.MenuSearch}, {"subscribe", texts.MenuSubscribe}, {"unsubscribe", texts.MenuUnsubscribe},
	{"digest", texts.MenuDigest}, {"timezone", texts.MenuTimezone}, {"language", texts.MenuLanguage}, {"stop", texts.MenuStop},
	{"help", texts.MenuHelp},
}

// publishCommands sets the command menu per interface language; English is also the default
// for every other language. A failure is logged: the bot works without a menu.
func (b *Bot) publishCommands(ctx context.Context) {
	for _, lang := range append([]string{""}, b.texts.Languages()...) {
		l := lang
		if l == "" {
			l = "en"
		}
		var cmds []models.BotCommand
		for _, m := range menu {
			cmds = append(cmds, models.BotCommand{Command: m.command, Description: texts.Plain(b.texts.T(l, m.text, nil))})
		}
		if _, err := b.tg.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: cmds, LanguageCode: lang}); err != nil {
			b.log.Warn("bot: set command menu", slog.String("language", lang), slog.String("error", err.Error()))
		}
	}
}

// enqueue queues an update behind the earlier ones of its chat and makes sure a goroutine is
// handling that chat's queue. It never blocks on handling.
func (b *Bot) enqueue(_ context.Context, _ *tg.Bot, u *models.Update) {
	key := updateChat(u)
	b.handlers.Add(1)
	b.mu.Lock()
	q, running := b.queues[key]
	b.queues[key] = append(q, u)
	b.mu.Unlock()
	if !running {
		go b.drain(key)
	}
}

// drain handles a chat's queued updates in order until the queue is empty.
func (b *Bot) drain(key int64) {
	for {
		b.mu.Lock()
		q := b.queues[key]
		if len(q) == 0 {
			delete(b.queues, key)
			b.mu.Unlock()
			return
		}
		u := q[0]
		b.queues[key] = q[1:]
		ctx := b.handlerCtx
		b.mu.Unlock()
		b.safely(ctx, u)
		b.handlers.Done()
	}
}

// safely handles u, keeping a panicking handler from killing the process (go-telegram/bot has
// no recover of its own).
func (b *Bot) safely(ctx context.Context, u *models.Update) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("bot: handler panicked", slog.Int64("update_id", u.ID), slog.Any("panic", r),
				slog.String("stack", string(debug.Stack())))
		}
	}()
	b.handle(ctx, u)
}

// updateChat is the chat an update belongs to, for ordering; 0 for updates without one.
func updateChat(u *models.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.ChannelPost != nil:
		return u.ChannelPost.Chat.ID
	case u.CallbackQuery != nil:
		if m := u.CallbackQuery.Message.Message; m != nil {
			return m.Chat.ID
		}
		return u.CallbackQuery.From.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return 0
}
