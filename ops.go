package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/robfig/cron/v3"

	"newsbot/digest"
	"newsbot/migrations"
	"newsbot/subscriptions"
)

// The operator's endpoint on http.listen: GET /healthz for load balancers, supervisors and
// uptime checks, GET /metrics for Prometheus.
//
// /healthz answers 200 when newsbot does its job and 503 when it does not, with a JSON body
// listing every check and, for a failed one, the reason. It is unhealthy when:
//   - the database does not answer a read within dbTimeout (closed, locked by another process,
//     a hung disk), or its file is gone (writes would go to a deleted file);
//   - no configured source has been polled successfully for longer than its staleness limit
//     (staleTicks of its schedule's longest gap, at least minStale). One source failing is the
//     outlet's problem, reported in /metrics and /sources; every source failing at once is
//     ours (network, DNS, a stuck poller). Right after start every source has its limit to
//     succeed, and a server-requested pause (RSS ttl, Cache-Control) counts as on time;
//   - with a token: a reply, alert or push that is due has waited in the outbox longer than
//     maxOutboxLag while nothing was sent for sendingWindow (Telegram unreachable, the token
//     revoked, the delivery engine stuck);
//   - with a token: receiving updates keeps failing (bot.Bot.ReceiveHealth: another process
//     polls with the same token, Telegram refuses setWebhook).

// Health thresholds.
const (
	// dbTimeout bounds the database check. SQLite answers a read in microseconds; waiting longer
	// than this means a lock held by another process (busy_timeout lets reads wait 10 s) or a
	// disk that hangs.
	dbTimeout = 2 * time.Second
	// minStale is the least time without any successful poll that makes newsbot unhealthy:
	// short schedules ("@every 1m") would otherwise turn a blip of the network into an alarm.
	minStale = 30 * time.Minute
	// staleTicks is how many scheduled polls a source may miss in a row before it is stale:
	// one failure is backed off (1m, 2m, 4m…) and may skip a tick or two.
	staleTicks = 3
	// maxOutboxLag is how long a due reply, alert or push may wait. They go before any bulk
	// message and a handful leave per second, so a quarter of an hour means nothing is being
	// sent. Digests and broadcasts are left out: 100,000 chats at 30 a second take about an
	// hour by design (their lag is in newsbot_outbox_oldest_seconds).
	maxOutboxLag = 15 * time.Minute
	// sendingWindow: a queue older than maxOutboxLag is healthy while something was sent this
	// recently (a long queue draining at Telegram's pace).
	sendingWindow = 2 * time.Minute
	// opsShutdownGrace bounds how long requests in flight may finish at shutdown.
	opsShutdownGrace = 5 * time.Second
)

// opsServer serves /healthz and /metrics on a bound listener.
type opsServer struct {
	ln  net.Listener
	srv *http.Server
	log *slog.Logger
}

// listenOps binds http.listen for run and returns the endpoint to Serve; nil when http.listen is
// "" (turned off). Binding comes before anything starts, so that a taken port is a startup
// error naming the key rather than a silent gap in monitoring.
func (a *app) listenOps() (*opsServer, error) {
	if a.cfg.HTTP.Listen == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", a.cfg.HTTP.Listen)
	if err != nil {
		return nil, fmt.Errorf("ops: cannot serve /healthz and /metrics on http.listen %q (choose another host:port, or \"\" to turn them off): %w",
			a.cfg.HTTP.Listen, err)
	}
	h := newHealth(a.cfg, a.db, a.store, a.bot != nil, time.Now)
	if a.bot != nil {
		h.receiving = a.bot.ReceiveHealth
	}
	ids := make([]string, 0, len(a.cfg.Sources))
	for _, s := range a.cfg.Sources {
		ids = append(ids, s.ID)
	}
	if err := a.metrics.reg.Register(newDBCollector(a.db, a.store, ids, time.Now, a.log)); err != nil {
		ln.Close()
		return nil, fmt.Errorf("ops: register metrics: %w", err)
	}
	return newOpsServer(ln, opsHandler(h, a.metrics.reg, a.log), a.log), nil
}

func newOpsServer(ln net.Listener, h http.Handler, log *slog.Logger) *opsServer {
	return &opsServer{ln: ln, log: log, srv: &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}}
}

// opsHandler routes the endpoint's two paths.
func opsHandler(h *health, reg *prometheus.Registry, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", h)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog:      promLogger{log},
		ErrorHandling: promhttp.ContinueOnError, // a failed database read must not hide the rest
		// Scrapes read the database: a misconfigured scraper must not pile them up.
		MaxRequestsInFlight: 4,
		Timeout:             2 * scrapeTimeout,
	}))
	return mux
}

// Serve serves until ctx ends, then lets requests in flight finish for opsShutdownGrace. It
// returns an error only when serving broke (the listener failed).
func (s *opsServer) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	s.log.Info("ops: serving /healthz and /metrics", slog.String("listen", s.ln.Addr().String()))
	select {
	case err := <-errc:
		return fmt.Errorf("ops: serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opsShutdownGrace)
	defer cancel()
	if err := s.srv.Shutdown(sctx); err != nil {
		s.srv.Close()
	}
	<-errc // http.ErrServerClosed
	return nil
}

// health runs /healthz's checks.
type health struct {
	db      *migrations.DB
	store   *digest.Store
	sources []sourceLimit
	sending bool // a bot drains the outbox
	// receiving reports whether the bot receives updates (bot.Bot.ReceiveHealth); nil without
	// a token.
	receiving func(now time.Time) error
	now       func() time.Time
	started   time.Time
	timeout   time.Duration // of the database check
}

// sourceLimit is how long a source may go without a successful poll.
type sourceLimit struct {
	id    string
	stale time.Duration
}

func newHealth(cfg *Config, db *migrations.DB, store *digest.Store, sending bool, now func() time.Time) *health {
	h := &health{db: db, store: store, sending: sending, now: now, started: now(), timeout: dbTimeout}
	for _, s := range cfg.Sources {
		spec := s.Schedule
		if spec == "" {
			spec = cfg.Poll.Schedule
		}
		h.sources = append(h.sources, sourceLimit{id: s.ID, stale: staleAfter(spec, cfg.Location(), h.started)})
	}
	return h
}

// staleAfter is how long a source polled on spec may go without a successful poll: staleTicks of
// the schedule's longest gap between two polls (over the coming week, so "*/5 9-18 * * *" counts
// its night), and at least minStale.
func staleAfter(spec string, loc *time.Location, from time.Time) time.Duration {
	sched, err := cronParser.Parse(spec)
	if err != nil {
		return minStale // validated already
	}
	var gap time.Duration
	if every, ok := sched.(cron.ConstantDelaySchedule); ok {
		gap = every.Delay
	} else {
		t := sched.Next(from.In(loc))
		end := t.Add(8 * 24 * time.Hour)
		for i := 0; i < 20000 && !t.IsZero() && t.Before(end); i++ {
			next := sched.Next(t)
			if next.IsZero() {
				break
			}
			gap = max(gap, next.Sub(t))
			t = next
		}
	}
	return max(minStale, staleTicks*gap)
}

// healthCheck is one line of /healthz.
type healthCheck struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// healthReport is /healthz's body.
type healthReport struct {
	Status string        `json:"status"` // "ok" or "unhealthy"
	Checks []healthCheck `json:"checks"`
}

func (h *health) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rep := h.check(r.Context())
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if rep.Status != "ok" {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(rep)
}

// check runs the checks: the database first, and the others only when it answers (they read
// it).
func (h *health) check(ctx context.Context) healthReport {
	ctx, cancelAll := context.WithTimeout(ctx, scrapeTimeout)
	defer cancelAll()
	rep := healthReport{Status: "ok"}
	add := func(name string, err error, ok string) {
		c := healthCheck{Name: name, OK: err == nil, Detail: ok}
		if err != nil {
			c.Detail = err.Error()
			rep.Status = "unhealthy"
		}
		rep.Checks = append(rep.Checks, c)
	}
	dctx, cancel := context.WithTimeout(ctx, h.timeout)
	err := pingDB(dctx, h.db)
	cancel()
	add("database", err, "answers")
	if err != nil {
		return rep
	}
	detail, err := h.checkPolls(ctx)
	add("polls", err, detail)
	if h.sending {
		detail, err = h.checkOutbox(ctx)
		add("outbox", err, detail)
	} else {
		add("outbox", nil, "not sending: no telegram token")
	}
	if h.receiving != nil {
		add("telegram", h.receiving(h.now()), "receiving updates")
	}
	return rep
}

// pingDB checks that the database answers a read and that its file is still there.
func pingDB(ctx context.Context, db *migrations.DB) error {
	var n int
	// sqlite_schema, not a bare SELECT 1: the read has to take SQLite's read lock on the file.
	if err := db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema`).Scan(&n); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("database: no answer in time (locked by another process? a hung disk?): %w", err)
		}
		return fmt.Errorf("database: %w", err)
	}
	if _, err := os.Stat(db.Path()); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("database: file %s was removed while open: writes go to a deleted file", db.Path())
	}
	return nil
}

// checkPolls fails when every source is stale: not polled successfully within its limit,
// counted from its last success, the end of a pause its server asked for, or the start of this
// process, whichever is latest.
func (h *health) checkPolls(ctx context.Context) (string, error) {
	if len(h.sources) == 0 {
		return "no sources configured", nil
	}
	states, err := h.store.SourceStates(ctx)
	if err != nil {
		return "", fmt.Errorf("polls: %w", err)
	}
	byID := make(map[string]digest.SourceState, len(states))
	for _, st := range states {
		byID[st.ID] = st
	}
	now := h.now()
	var stale []string
	for _, s := range h.sources {
		st := byID[s.id]
		since := st.LastSuccess
		if st.Failures == 0 && st.NextPoll.After(since) {
			since = st.NextPoll
		}
		since = latest(since, h.started)
		if now.Sub(since) <= s.stale {
			continue
		}
		stale = append(stale, describeStale(s.id, st, now))
	}
	if len(stale) == len(h.sources) {
		return "", fmt.Errorf("polls: no source polled successfully in time: %s", listSome(stale, 5))
	}
	fresh := fmt.Sprintf("%d of %d sources polled on time", len(h.sources)-len(stale), len(h.sources))
	if len(stale) > 0 {
		fresh += "; stale: " + listSome(stale, 5)
	}
	return fresh, nil
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// describeStale says how long a source has gone without success and why, in the stable words of
// the error kinds: error texts may carry a feed URL with its query.
func describeStale(id string, st digest.SourceState, now time.Time) string {
	s := id + " never succeeded"
	if !st.LastSuccess.IsZero() {
		s = fmt.Sprintf("%s last succeeded %s ago", id, now.Sub(st.LastSuccess).Round(time.Second))
	}
	if st.Failures > 0 {
		s += fmt.Sprintf(" (%d failures, %s)", st.Failures, st.LastErrorKind)
	}
	return s
}

func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, "; ")
	}
	return strings.Join(items[:n], "; ") + fmt.Sprintf("; and %d more", len(items)-n)
}

// lagKinds are the outbox kinds whose waiting makes newsbot unhealthy (see maxOutboxLag).
var lagKinds = []string{subscriptions.KindReply, subscriptions.KindAlert, subscriptions.KindPush}

// checkOutbox fails when a due reply, alert or push has waited longer than maxOutboxLag.
func (h *health) checkOutbox(ctx context.Context) (string, error) {
	queue, err := readOutbox(ctx, h.db, h.now())
	if err != nil {
		return "", fmt.Errorf("outbox: %w", err)
	}
	var worst string
	for _, k := range lagKinds {
		if worst == "" || queue[k].oldestDue > queue[worst].oldestDue {
			worst = k
		}
	}
	lag := queue[worst].oldestDue.Round(time.Second)
	if lag > maxOutboxLag {
		// A long queue drains at 29 messages a second: a story for 50,000 chats keeps its last
		// push waiting half an hour while everything works. Unhealthy is waiting with nothing
		// going out.
		var sending bool
		err := h.db.Read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'sent' AND updated_at >= ?)`,
			h.now().Add(-sendingWindow).Unix()).Scan(&sending)
		if err != nil {
			return "", fmt.Errorf("outbox: %w", err)
		}
		if !sending {
			return "", fmt.Errorf("outbox: a due %s has waited %s (more than %s) and nothing was sent in the last %s",
				worst, lag, maxOutboxLag, sendingWindow)
		}
	}
	var parts []string
	kinds := make([]string, 0, len(queue))
	for k := range queue {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%s %d", k, queue[k].queued))
	}
	if len(parts) == 0 {
		return "empty", nil
	}
	return fmt.Sprintf("queued: %s; longest wait of a due reply, alert or push: %s", strings.Join(parts, ", "), lag), nil
}

// outboxKind is the queue of one kind of outbox message.
type outboxKind struct {
	queued    int
	oldestDue time.Duration // age of the oldest queued message that is due (not_before passed)
}

// readOutbox reads the queue by kind in one pass over the queued rows, found by index: the cost
// is in what waits, not in the week of finished messages. It reads subscriptions' outbox table
// directly because OutboxStats also counts a window of finished messages, one of them
// (attempts > 1) by scanning the whole table: too slow for every scrape.
func readOutbox(ctx context.Context, db *migrations.DB, now time.Time) (map[string]outboxKind, error) {
	rows, err := db.Read.QueryContext(ctx, `SELECT kind, COUNT(*), MIN(CASE WHEN not_before <= ?1 THEN created_at END)
		FROM outbox WHERE state = 'queued' GROUP BY kind`, now.Unix())
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	out := map[string]outboxKind{}
	for rows.Next() {
		var kind string
		var n int
		var oldest sql.NullInt64
		if err := rows.Scan(&kind, &n, &oldest); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		k := outboxKind{queued: n}
		if oldest.Valid {
			k.oldestDue = max(now.Sub(time.Unix(oldest.Int64, 0)), 0)
		}
		out[kind] = k
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return out, nil
}
