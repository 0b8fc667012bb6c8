// Command newsbot is a Telegram bot that delivers curated regional news from Central Asia.
// This file only wires the packages together; see README.md for what it does.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	stdlog "log"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // time zones even on machines without /usr/share/zoneinfo

	"newsbot/bot"
	"newsbot/bot/texts"
	"newsbot/digest"
	"newsbot/digest/fetch"
	"newsbot/migrations"
	"newsbot/subscriptions"
	"newsbot/subscriptions/alerts"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `usage:
  newsbot [-config FILE]            run the bot (default FILE: ./config.toml, else built-in defaults)
  newsbot migrate [-config FILE]    apply database migrations and exit
  newsbot fetch [-config FILE]      poll every source once, store new stories, print them, exit
  newsbot digest [-config FILE] [-lang ru|kk|en]
                                    print the digest that would go out now, send nothing, exit
  newsbot backup [-config FILE] OUT write a consistent copy of the database to OUT, safe while running
  newsbot version
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal, restore the default handling: a second Ctrl-C during a slow
		// shutdown ends the process at once.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run is the whole program behind main, with its outside world passed in so tests can drive it.
// It returns the exit status: 0 success, 1 failure, 2 bad usage or configuration.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "", "migrate", "fetch", "digest", "backup":
	case "version":
		fmt.Fprintln(stdout, "newsbot", version)
		return 0
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "newsbot: unknown command %q\n%s", cmd, usage)
		return 2
	}
	fs := flag.NewFlagSet("newsbot "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "config.toml", "configuration `FILE`")
	lang := "en"
	if cmd == "digest" {
		fs.StringVar(&lang, "lang", "en", "interface `language` of the digest: ru, kk or en")
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var out string
	switch {
	case cmd == "backup" && fs.NArg() != 1:
		fmt.Fprintf(stderr, "newsbot: backup needs one argument, the file to write\n%s", usage)
		return 2
	case cmd == "backup":
		out = fs.Arg(0)
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "newsbot: unexpected argument %q\n%s", fs.Arg(0), usage)
		return 2
	}
	if lang != "ru" && lang != "kk" && lang != "en" {
		fmt.Fprintf(stderr, "newsbot: -lang must be ru, kk or en, got %q\n", lang)
		return 2
	}
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	cfg, err := LoadConfig(*configPath, explicit, getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	log := newLogger(cfg.Log, stderr, cfg.Telegram.Token, cfg.Telegram.WebhookSecret)
	// Libraries that write to the standard logger (net/http's transport) go through the same
	// handler, and its redaction, as warnings.
	prevOut, prevFlags := stdlog.Writer(), stdlog.Flags()
	stdlog.SetFlags(0)
	stdlog.SetOutput(slog.NewLogLogger(log.Handler(), slog.LevelWarn).Writer())
	defer func() { stdlog.SetOutput(prevOut); stdlog.SetFlags(prevFlags) }()
	if cmd == "" {
		// One bot per database: two would poll the same sources and send everything twice.
		release, err := lockDatabase(cfg.Storage.Path)
		if err != nil {
			log.Error("newsbot: start", slog.String("error", err.Error()))
			return 1
		}
		defer release()
	}
	if cmd == "backup" {
		// A backup of a file that is not there would create and copy an empty database.
		if _, err := os.Stat(cfg.Storage.Path); err != nil {
			abs, _ := filepath.Abs(cfg.Storage.Path)
			log.Error("newsbot: backup", slog.String("error", fmt.Sprintf(
				"no database at %s (storage.path; a relative path is taken from the working directory)", abs)))
			return 1
		}
	}
	// A backup copies the database as it is: a newer binary must not migrate it under the bot
	// that runs on it. The one-shot commands migrate only when no bot runs on the database.
	app, err := openApp(ctx, cfg, log, cmd != "backup", cmd != "")
	if err != nil {
		log.Error("newsbot: start", slog.String("error", err.Error()))
		return 1
	}
	defer app.Close()
	switch cmd {
	case "migrate":
		err = app.migrate(ctx, stdout)
	case "fetch":
		err = app.fetch(ctx, stdout, stderr)
	case "digest":
		err = app.digest(ctx, lang, stdout)
	case "backup":
		err = app.backup(ctx, out, stdout)
	default:
		err = app.run(ctx)
	}
	if err != nil {
		log.Error("newsbot: "+cmdName(cmd), slog.String("error", err.Error()))
		return 1
	}
	return 0
}

func cmdName(cmd string) string {
	if cmd == "" {
		return "run"
	}
	return cmd
}

// newLogger logs to w as [log] says; none of secrets is ever written (redact.go).
func newLogger(c LogConfig, w io.Writer, secrets ...string) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level)) // validated already
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if c.Format == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(redact(h, secrets...))
}

// app is newsbot's parts, wired from the configuration.
type app struct {
	cfg      *Config
	log      *slog.Logger
	db       *migrations.DB
	store    *digest.Store
	pipeline *digest.Pipeline
	poller   *digest.Poller
	subs     *subscriptions.Store
	bot      *bot.Bot // nil without a token
	metrics  *opsMetrics
	migrated []string
}

// open opens the database, brings its schema up to date and wires the news pipeline.
func open(ctx context.Context, cfg *Config, log *slog.Logger) (*app, error) {
	return openApp(ctx, cfg, log, true, false)
}

// openApp is open, migrating the schema only when migrate is set. With guard (the one-shot
// commands) it refuses to migrate while a bot runs on the database: an older bot would go on
// with a schema it does not know.
func openApp(ctx context.Context, cfg *Config, log *slog.Logger, migrate, guard bool) (*app, error) {
	db, err := migrations.Open(ctx, cfg.Storage.Path)
	if err != nil {
		return nil, err
	}
	var applied []string
	if migrate && guard {
		err = guardMigration(ctx, db, cfg.Storage.Path)
	}
	if migrate && err == nil {
		applied, err = db.Migrate(ctx)
	}
	if err != nil {
		db.Close()
		if errors.Is(err, migrations.ErrTooNew) {
			return nil, fmt.Errorf("%w; upgrade newsbot or point storage.path at another file", err)
		}
		return nil, err
	}
	for _, name := range applied {
		log.Info("db: migrated", slog.String("migration", name), slog.String("path", cfg.Storage.Path))
	}
	a := &app{cfg: cfg, log: log, db: db, store: digest.NewStore(db), migrated: applied, metrics: newMetrics(cfg, db)}
	a.pipeline = digest.NewPipeline(a.store, topics(cfg), nil)
	catalog, err := subscriptions.NewCatalog(subscriptionTopics(cfg))
	if err != nil {
		db.Close()
		return nil, &ConfigError{Key: "topics", Problem: err.Error()}
	}
	a.subs = subscriptions.NewStore(db, catalog, subscriptions.Limits{MaxAlerts: cfg.Alerts.MaxPerChat}, nil)
	var onStories func(context.Context, []digest.Story)
	if cfg.Telegram.Token != "" {
		msgs, err := texts.Load()
		if err != nil {
			db.Close()
			return nil, err
		}
		names := map[string]string{}
		for _, s := range cfg.Sources {
			names[s.ID] = s.Title
		}
		a.bot, err = bot.New(bot.Config{
			Token:         cfg.Telegram.Token,
			APIURL:        cfg.Telegram.APIURL,
			RateLimit:     cfg.Telegram.RateLimit,
			PaidBroadcast: cfg.Telegram.AllowPaidBroadcast,
			Admins:        cfg.Telegram.Admins,
			Location:      cfg.Location(),
			Sources:       names,
			Log:           log,
			AlertLimits:   alerts.Limits{MaxLength: cfg.Alerts.MaxLength, MaxTerms: cfg.Alerts.MaxTerms},
			WebhookURL:    cfg.Telegram.WebhookURL,
			WebhookListen: cfg.Telegram.WebhookListen,
			WebhookSecret: cfg.Telegram.WebhookSecret,
			Digest: bot.DigestConfig{Schedule: cfg.Digest.Schedule, MaxStories: cfg.Digest.MaxStories,
				QuietNote: cfg.Digest.QuietNote},
			NextPoll: func(id string, st digest.SourceState, now time.Time) time.Time {
				return a.poller.NextPoll(id, st, now)
			},
			Metrics: a.metrics,
		}, a.subs, a.store, msgs)
		if err != nil {
			db.Close()
			return nil, err
		}
		onStories = func(ctx context.Context, st []digest.Story) {
			if err := a.bot.Deliver(ctx, st); err != nil {
				log.Error("newsbot: deliver", slog.String("error", err.Error()))
			}
		}
	}
	ua := cfg.Poll.UserAgent
	if ua == "" {
		ua = "newsbot/" + version + " (RSS reader)"
	}
	a.poller = digest.NewPoller(digest.PollerConfig{
		Sources:     sources(cfg),
		Schedule:    cfg.Poll.Schedule,
		Location:    cfg.Location(),
		MaxInterval: cfg.Poll.MaxInterval,
		Fetcher: fetch.New(fetch.Options{
			Timeout:      cfg.Poll.Timeout,
			MaxBodyBytes: cfg.Poll.MaxBodyBytes,
			UserAgent:    ua,
			PerHost:      cfg.Poll.PerHost,
		}),
		Pipeline:  a.pipeline,
		Store:     a.store,
		Log:       log,
		OnStories: onStories,
		Observe:   a.metrics.polled,
	})
	return a, nil
}

func subscriptionTopics(cfg *Config) []subscriptions.Topic {
	out := make([]subscriptions.Topic, 0, len(cfg.Topics))
	for _, t := range cfg.Topics {
		out = append(out, subscriptions.Topic{ID: t.ID, Title: t.Title, Titles: t.Titles})
	}
	return out
}

func (a *app) Close() error { return a.db.Close() }

func topics(cfg *Config) []digest.Topic {
	out := make([]digest.Topic, 0, len(cfg.Topics))
	for _, t := range cfg.Topics {
		out = append(out, digest.Topic{ID: t.ID, Title: t.Title, Keywords: t.Keywords})
	}
	return out
}

func sources(cfg *Config) []digest.Source {
	out := make([]digest.Source, 0, len(cfg.Sources))
	for _, s := range cfg.Sources {
		src := digest.Source{ID: s.ID, Title: s.Title, URL: s.URL, Language: s.Language, Topics: s.Topics, Schedule: s.Schedule}
		if s.Timezone != "" {
			src.Location, _ = time.LoadLocation(s.Timezone) // validated already
		}
		out = append(out, src)
	}
	return out
}

func (a *app) migrate(ctx context.Context, stdout io.Writer) error {
	v, err := migrations.Version(ctx, a.db.Read)
	if err != nil {
		return err
	}
	if len(a.migrated) == 0 {
		fmt.Fprintf(stdout, "%s: schema is current (version %d)\n", a.cfg.Storage.Path, v)
		return nil
	}
	fmt.Fprintf(stdout, "%s: applied %s; schema version %d\n", a.cfg.Storage.Path, strings.Join(a.migrated, ", "), v)
	return nil
}

// run runs the bot until ctx is cancelled: the poller and, with a token, the Telegram side.
// If either stops with an error, the other is stopped too.
func (a *app) run(ctx context.Context) error {
	ops, err := a.listenOps() // nil when http.listen is ""
	if err != nil {
		return err
	}
	if a.bot == nil {
		a.log.Warn("telegram.token is empty: polling news only, nothing is sent to Telegram; " +
			"set NEWSBOT_TELEGRAM_TOKEN to the token from @BotFather")
	}
	a.log.Info("newsbot: started", slog.String("version", version), slog.Int("sources", len(a.cfg.Sources)),
		slog.String("schedule", a.cfg.Poll.Schedule), slog.String("db", a.cfg.Storage.Path))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 3)
	parts := 1
	go func() { errs <- a.poller.Run(ctx) }()
	if a.bot != nil {
		parts++
		go func() { errs <- a.bot.Run(ctx) }()
	}
	if ops != nil {
		parts++
		go func() { errs <- ops.Serve(ctx) }()
	}
	var first error
	for range parts {
		if err := <-errs; err != nil && first == nil {
			first = err
			cancel()
		}
	}
	a.log.Info("newsbot: stopped")
	return first
}
