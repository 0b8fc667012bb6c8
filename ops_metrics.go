package main

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"newsbot/bot"
	"newsbot/digest"
	"newsbot/migrations"
	"newsbot/subscriptions"
)

// opsMetrics are newsbot's Prometheus metrics, in a registry of their own (not client_golang's
// global one): counters that the poller and the bot feed as things happen (it is the bot's
// bot.Metrics and the poller's Observe), and, once the endpoint serves, gauges read from the
// database at each scrape (dbCollector). Every label value comes from a small fixed set: source
// ids from the configuration, outbox kinds, outcome words.
type opsMetrics struct {
	reg *prometheus.Registry

	polls     *prometheus.CounterVec
	pollErrs  *prometheus.CounterVec
	stored    *prometheus.CounterVec
	matches   *prometheus.CounterVec
	sends     *prometheus.CounterVec
	throttled prometheus.Counter
	delay     *prometheus.HistogramVec
}

// outboxKinds are the kinds of outbox messages, for labels; anything else is counted as "other".
var outboxKinds = []string{subscriptions.KindReply, subscriptions.KindAlert, subscriptions.KindPush,
	subscriptions.KindDigest, subscriptions.KindBroadcast}

// delayBuckets spread the publication-to-delivery delay from an alert sent within one poll
// interval to a story that waited hours (a feed that dates stories late, a bot that was down).
var delayBuckets = []float64{10, 30, 60, 120, 300, 600, 900, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600}

// newMetrics creates the counters for cfg's sources, with the Go runtime, process, SQL pool
// and build-info collectors, in a new registry.
func newMetrics(cfg *Config, db *migrations.DB) *opsMetrics {
	m := &opsMetrics{
		reg: prometheus.NewRegistry(),
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsbot_polls_total",
			Help: "Polls of a source by outcome: ok, not_modified (HTTP 304) or error. Polls skipped as not due are not counted."},
			[]string{"source", "outcome"}),
		pollErrs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsbot_poll_errors_total",
			Help: "Failed polls of a source by kind of failure (timeout, network, status, html, malformed, …; store: the poll could not be recorded)."},
			[]string{"source", "kind"}),
		stored: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsbot_stories_stored_total",
			Help: "New stories stored from a source, a new source's first-poll backlog included."},
			[]string{"source"}),
		matches: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsbot_matches_total",
			Help: "Story deliveries decided: alert hits and topic pushes queued for a chat (a story both match counts once, as alert)."},
			[]string{"kind"}),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsbot_sends_total",
			Help: "Tries at sending a Telegram message from the outbox, by the kind of message and outcome (delivered, throttled, transient, gone, migrated, refused, halted)."},
			[]string{"kind", "outcome"}),
		throttled: prometheus.NewCounter(prometheus.CounterOpts{Name: "newsbot_telegram_429_total",
			Help: "Requests Telegram answered with 429 Too Many Requests: outbox sends, replies and edits."}),
		delay: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "newsbot_delivery_delay_seconds",
			Help:    "Time from a story's publication (its feed's date, else when first seen) to its delivery to a chat, by kind (push, alert).",
			Buckets: delayBuckets},
			[]string{"kind"}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{Name: "newsbot_build_info",
		Help:        "Always 1; the labels say which newsbot is running.",
		ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version()}})
	build.Set(1)
	m.reg.MustRegister(m.polls, m.pollErrs, m.stored, m.matches, m.sends, m.throttled, m.delay, build,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db.Write, "write"),
		collectors.NewDBStatsCollector(db.Read, "read"))
	// Series that exist from the start, so that rate() and alerts see a 0 before the first event.
	for _, s := range cfg.Sources {
		for _, o := range []string{digest.PollOK, digest.PollNotModified, digest.PollFailed} {
			m.polls.WithLabelValues(s.ID, o)
		}
		m.stored.WithLabelValues(s.ID)
	}
	m.matches.WithLabelValues(bot.MatchAlert)
	m.matches.WithLabelValues(bot.MatchTopic)
	return m
}

// polled counts one poll; it is the poller's Observe.
func (m *opsMetrics) polled(ev digest.PollEvent) {
	m.polls.WithLabelValues(ev.Source, ev.Outcome).Inc()
	if ev.Outcome == digest.PollFailed {
		m.pollErrs.WithLabelValues(ev.Source, ev.ErrorKind).Inc()
	}
	if ev.New > 0 {
		m.stored.WithLabelValues(ev.Source).Add(float64(ev.New))
	}
}

// Matched counts routing decisions (bot.Metrics).
func (m *opsMetrics) Matched(kind string, n int) {
	if kind != bot.MatchAlert && kind != bot.MatchTopic {
		kind = "other"
	}
	if n > 0 {
		m.matches.WithLabelValues(kind).Add(float64(n))
	}
}

// Sent counts a try at sending (bot.Metrics). Replies and edits are not sent through the
// outbox and only their 429s are reported: they count in newsbot_telegram_429_total alone, so
// that newsbot_sends_total's ratios stay those of the outbox.
func (m *opsMetrics) Sent(kind string, o bot.Outcome) {
	if o == bot.Throttled {
		m.throttled.Inc()
	}
	if kind == subscriptions.KindReply && o == bot.Throttled {
		return
	}
	m.sends.WithLabelValues(knownKind(kind), o.String()).Inc()
}

// Delivered observes a story's delivery delay (bot.Metrics).
func (m *opsMetrics) Delivered(kind string, d time.Duration) {
	m.delay.WithLabelValues(knownKind(kind)).Observe(d.Seconds())
}

func knownKind(kind string) string {
	for _, k := range outboxKinds {
		if k == kind {
			return k
		}
	}
	return "other"
}

// scrapeTimeout bounds the database reads of one /metrics scrape, well within Prometheus'
// default scrape timeout of 10 s.
const scrapeTimeout = 5 * time.Second

// dbCollector reads at every scrape the gauges whose truth is the database: whether it answers,
// the outbox queue, and every configured source's last success, failures and stories. A few
// small queries: the sources table has a row per source, and the outbox is read through its
// index of queued rows.
type dbCollector struct {
	db      *migrations.DB
	store   *digest.Store
	sources []string // configured source ids: the only label values exported
	now     func() time.Time
	log     *slog.Logger

	up, queued, oldest, lastSuccess, failures, sourceStories *prometheus.Desc
}

func newDBCollector(db *migrations.DB, store *digest.Store, sources []string, now func() time.Time, log *slog.Logger) *dbCollector {
	return &dbCollector{db: db, store: store, sources: sources, now: now, log: log,
		up: prometheus.NewDesc("newsbot_database_up",
			"1 when the database answered a read at this scrape (within "+dbTimeout.String()+"), else 0.", nil, nil),
		queued: prometheus.NewDesc("newsbot_outbox_queued",
			"Messages waiting in the outbox, by kind (reply, alert, push, digest, broadcast).", []string{"kind"}, nil),
		oldest: prometheus.NewDesc("newsbot_outbox_oldest_seconds",
			"Age of the oldest outbox message of a kind that is due (not waiting out a 429 or backoff) but not sent yet; 0 when none.",
			[]string{"kind"}, nil),
		lastSuccess: prometheus.NewDesc("newsbot_source_last_success_seconds",
			"Seconds since the source was last polled successfully (a 304 counts); absent for a source never polled successfully.",
			[]string{"source"}, nil),
		failures: prometheus.NewDesc("newsbot_source_failures",
			"Consecutive failed polls of the source; 0 when its last poll succeeded.", []string{"source"}, nil),
		sourceStories: prometheus.NewDesc("newsbot_source_stories",
			"Stories stored from the source since it was added, as the database counts them (survives restarts).",
			[]string{"source"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.up, c.queued, c.oldest, c.lastSuccess, c.failures, c.sourceStories} {
		ch <- d
	}
}

// Collect implements prometheus.Collector. A part that cannot be read is reported to the
// handler (which logs it and serves the rest), not guessed.
func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	if err := pingDB(ctx, c.db); err != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	now := c.now()
	queue, err := readOutbox(ctx, c.db, now)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.queued, err)
	} else {
		for _, k := range outboxKinds {
			ch <- prometheus.MustNewConstMetric(c.queued, prometheus.GaugeValue, float64(queue[k].queued), k)
			ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, queue[k].oldestDue.Seconds(), k)
		}
	}
	states, err := c.store.SourceStates(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.lastSuccess, err)
		return
	}
	byID := make(map[string]digest.SourceState, len(states))
	for _, st := range states {
		byID[st.ID] = st
	}
	for _, id := range c.sources {
		st := byID[id] // a source never polled has no row: zero state
		if !st.LastSuccess.IsZero() {
			ch <- prometheus.MustNewConstMetric(c.lastSuccess, prometheus.GaugeValue, max(now.Sub(st.LastSuccess), 0).Seconds(), id)
		}
		ch <- prometheus.MustNewConstMetric(c.failures, prometheus.GaugeValue, float64(st.Failures), id)
		ch <- prometheus.MustNewConstMetric(c.sourceStories, prometheus.GaugeValue, float64(st.StoriesTotal), id)
	}
}

// promLogger passes promhttp's errors (a collector that failed) to the log.
type promLogger struct{ log *slog.Logger }

func (l promLogger) Println(v ...any) {
	l.log.Warn("ops: metrics", slog.String("error", fmt.Sprint(v...)))
}
