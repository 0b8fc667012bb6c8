package digest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"newsbot/digest/fetch"
	"newsbot/digest/parse"
)

// Backoff bounds: a failing source is retried after BackoffBase, then twice as long after each
// further failure, never later than the poller's MaxInterval.
const BackoffBase = time.Minute

// retryAfterCap bounds how long a server's Retry-After can silence a source.
const retryAfterCap = 24 * time.Hour

// PollerConfig configures a Poller.
type PollerConfig struct {
	Sources     []Source
	Schedule    string         // default robfig/cron spec for sources without their own
	Location    *time.Location // zone of cron schedules and of zone-less feed dates
	MaxInterval time.Duration  // cap on backoff and on ttl / Cache-Control floors
	Fetcher     *fetch.Client
	Pipeline    *Pipeline
	Store       *Store
	Log         *slog.Logger
	Now         func() time.Time // nil = time.Now
	// OnStories, when set, is called after a poll has committed new stories (never backlog)
	// with those stories. The stories are in SQLite, unrouted, before it is called: a crash
	// before or during the call loses nothing.
	OnStories func(ctx context.Context, stories []Story)
	// Observe, when set, is told what every poll came to, for monitoring: not the polls
	// skipped (not due, already running) nor those cut short by ctx ending. It is called on the
	// polling goroutine after the poll is recorded (and after OnStories): it must be quick and
	// safe for concurrent use, as sources are polled at the same time.
	Observe func(PollEvent)
}

// PollEvent is what one poll came to, for monitoring. Its strings come from small fixed sets, so
// they can be metric labels.
type PollEvent struct {
	Source  string // the source's id
	Outcome string // PollOK, PollNotModified or PollFailed
	// ErrorKind says why a poll failed: ErrorKind of the source's failure ("timeout",
	// "status", "html" …), or "store" when the poll could not be recorded (the database).
	ErrorKind string
	New       int // stories stored by the poll, backlog included
}

// Outcomes of a poll in PollEvent.
const (
	PollOK          = "ok"
	PollNotModified = "not_modified"
	PollFailed      = "error"
)

// pollEvent describes a finished poll: res and err as Poll returns them.
func pollEvent(res Result, err error) PollEvent {
	ev := PollEvent{Source: res.Source.ID, Outcome: PollOK, New: len(res.New)}
	switch {
	case res.Err != nil:
		ev.Outcome, ev.ErrorKind = PollFailed, ErrorKind(res.Err)
	case err != nil:
		ev.Outcome, ev.ErrorKind = PollFailed, "store"
	case res.NotModified:
		ev.Outcome = PollNotModified
	}
	return ev
}

// Poller polls sources on their schedules and feeds what they return through the pipeline.
// Its methods are safe for concurrent use; within one process a source is polled by one
// goroutine at a time (a second concurrent Poll of it is skipped). Two processes polling the same
// database (newsbot fetch beside a running bot) are safe for the data — items are never stored
// twice — but each clusters only against what its own pipeline has seen.
type Poller struct {
	cfg  PollerConfig
	now  func() time.Time
	log  *slog.Logger
	work chan struct{} // slots for parsing and storing

	running sync.Map // source id → *sync.Mutex held while that source is being polled
}

// NewPoller returns a poller; call Run to start polling or PollAll for one round.
func NewPoller(cfg PollerConfig) *Poller {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.MaxInterval <= 0 {
		cfg.MaxInterval = time.Hour
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Poller{cfg: cfg, now: cfg.Now, log: cfg.Log, work: make(chan struct{}, 2*runtime.GOMAXPROCS(0))}
}

// Result is the outcome of polling one source.
type Result struct {
	Source      Source
	Skipped     bool // not due yet (backoff, Retry-After, ttl), or already being polled
	NotModified bool
	Items       int     // items in the feed
	New         []Story // stories stored by this poll, backlog included
	Err         error   // why the poll failed; also recorded in the source's state
}

// ErrorKind names the kind of a poll failure in one stable word ("timeout", "status", "html"…).
func ErrorKind(err error) string {
	var fe *fetch.Error
	if errors.As(err, &fe) {
		return fe.Kind.String()
	}
	var pe *parse.Error
	if errors.As(err, &pe) {
		return pe.Kind.String()
	}
	if errors.Is(err, context.Canceled) {
		return "canceled"
	}
	return "internal"
}

// Poll polls src once: unless force is set it does nothing while the source is not due or is
// being polled already. Failures are recorded in the source's state and returned in Result.Err;
// the returned error is only for failures to record anything at all (the database).
func (p *Poller) Poll(ctx context.Context, src Source, force bool) (Result, error) {
	res, err := p.poll(ctx, src, force)
	if p.cfg.Observe != nil && !res.Skipped && ctx.Err() == nil {
		p.cfg.Observe(pollEvent(res, err))
	}
	return res, err
}

func (p *Poller) poll(ctx context.Context, src Source, force bool) (Result, error) {
	res := Result{Source: src}
	mu, _ := p.running.LoadOrStore(src.ID, &sync.Mutex{})
	if !mu.(*sync.Mutex).TryLock() {
		res.Skipped = true
		return res, nil
	}
	defer mu.(*sync.Mutex).Unlock()

	state, err := p.cfg.Store.SourceState(ctx, src.ID)
	if err != nil {
		return res, err
	}
	now := p.now().UTC()
	if !force && now.Before(state.NextPoll) {
		res.Skipped = true
		return res, nil
	}
	state.LastPoll = now
	resp, ferr := p.cfg.Fetcher.Fetch(ctx, fetch.Request{URL: src.URL, ETag: state.ETag, LastModified: state.LastModified})
	if ferr != nil {
		if ctx.Err() != nil {
			return res, ctx.Err() // shutting down: not the source's fault
		}
		res.Err = ferr
		return res, p.fail(ctx, src, state, ferr, now)
	}
	if resp.NotModified {
		res.NotModified = true
		p.succeed(&state, resp, now)
		return res, p.cfg.Store.SaveSourceState(ctx, state)
	}

	// Parsing and storing are CPU and memory work: a bounded number run at once, however many
	// fetches finish together. Fetches themselves are bounded per host only, so a slow host
	// never holds a slot here.
	select {
	case p.work <- struct{}{}:
	case <-ctx.Done():
		return res, ctx.Err()
	}
	defer func() { <-p.work }()
	loc := src.Location
	if loc == nil {
		loc = p.cfg.Location
	}
	feed, perr := parse.Parse(resp.Body, resp.ContentType, resp.FinalURL, parse.Options{Location: loc, Now: p.now, MaxContent: LeadContentBytes})
	if perr != nil {
		res.Err = perr
		return res, p.fail(ctx, src, state, perr, now)
	}
	res.Items = len(feed.Items)
	backlog := !state.Seeded
	state.TTL = feed.TTL
	if feed.Recovered != nil {
		// Keep the old validators: the next poll must fetch the whole document again rather
		// than hear 304 and never read the items after the damage.
		p.log.Warn("poll: damaged feed, complete items kept", slog.String("source_id", src.ID),
			slog.String("problem", feed.Recovered.Error()))
		resp.ETag, resp.LastModified = state.ETag, state.LastModified
	}
	p.succeed(&state, resp, now)
	// The backlog is seeded by the first whole, non-empty document: an empty or damaged first
	// answer must not make the rest of the archive arrive later as news.
	state.Seeded = state.Seeded || (feed.Recovered == nil && len(feed.Items) > 0)
	stored, err := p.cfg.Pipeline.Process(ctx, src, feed, backlog, state)
	if err != nil {
		return res, err
	}
	res.New = stored
	if len(stored) > 0 {
		p.log.Info("poll: new stories", slog.String("source_id", src.ID), slog.Int("stories", len(stored)),
			slog.Bool("backlog", backlog), slog.Int("items", len(feed.Items)))
	}
	if !backlog && len(stored) > 0 && p.cfg.OnStories != nil {
		p.cfg.OnStories(ctx, stored)
	}
	return res, nil
}

// succeed updates state for a successful poll: validators, health, and the earliest next poll
// the server asked for (Cache-Control max-age, the feed's remembered RSS ttl), capped at
// MaxInterval.
func (p *Poller) succeed(state *SourceState, resp *fetch.Response, now time.Time) {
	if state.Failures > 0 {
		p.log.Info("poll: source recovered", slog.String("source_id", state.ID),
			slog.Int("failures", state.Failures), slog.String("last_error", state.LastError))
	}
	state.ETag, state.LastModified = resp.ETag, resp.LastModified
	state.LastSuccess = now
	state.Failures = 0
	state.LastError, state.LastErrorKind, state.LastErrorAt = "", "", time.Time{}
	wait := max(resp.FreshFor, state.TTL)
	state.NextPoll = now.Add(min(wait, p.cfg.MaxInterval))
}

// fail records a failed poll and backs the source off exponentially.
func (p *Poller) fail(ctx context.Context, src Source, state SourceState, err error, now time.Time) error {
	state.Failures++
	state.LastError = err.Error()
	state.LastErrorKind = ErrorKind(err)
	state.LastErrorAt = now
	wait := p.Backoff(state.Failures)
	var fe *fetch.Error
	if errors.As(err, &fe) && fe.RetryAfter > wait {
		wait = min(fe.RetryAfter, retryAfterCap)
	}
	state.NextPoll = now.Add(wait)
	p.log.Warn("poll: source failed", slog.String("source_id", src.ID), slog.String("error_kind", state.LastErrorKind),
		slog.String("error", state.LastError), slog.Int("failures", state.Failures), slog.Duration("retry_in", wait))
	return p.cfg.Store.SaveSourceState(ctx, state)
}

// Backoff is how long a source waits after its n-th consecutive failure: BackoffBase doubled
// for each failure after the first, capped at MaxInterval.
func (p *Poller) Backoff(n int) time.Duration {
	d := BackoffBase
	for i := 1; i < n && d < p.cfg.MaxInterval; i++ {
		d *= 2
	}
	return min(d, p.cfg.MaxInterval)
}

// PollAll polls every source once, concurrently (the fetcher's per-host limit applies), and
// returns the results in configuration order, also when err is not nil. err joins the failures
// to record a poll at all (the database, or ctx ending); a source's own failure is in its
// Result.Err.
func (p *Poller) PollAll(ctx context.Context, force bool) ([]Result, error) {
	results := make([]Result, len(p.cfg.Sources))
	errs := make([]error, len(p.cfg.Sources))
	var wg sync.WaitGroup
	for i, src := range p.cfg.Sources {
		wg.Go(func() { results[i], errs[i] = p.Poll(ctx, src, force) })
	}
	wg.Wait()
	return results, errors.Join(errs...)
}

// Run polls every source on its schedule until ctx is cancelled, starting with one round of the
// sources that are due. Each source is its own cron job, so a slow or failing source never
// delays another; a job still running when its next turn comes is skipped, and a panic in one
// is logged and recovered. Run returns after the polls in flight have finished.
func (p *Poller) Run(ctx context.Context) error {
	logger := cronLogger{p.log}
	c := cron.New(
		cron.WithLocation(p.cfg.Location),
		cron.WithParser(cron.NewParser(cron.Minute|cron.Hour|cron.Dom|cron.Month|cron.Dow|cron.Descriptor)),
		cron.WithLogger(logger),
	)
	var jobs []cron.Job
	for _, src := range p.cfg.Sources {
		spec := src.Schedule
		if spec == "" {
			spec = p.cfg.Schedule
		}
		job := cron.NewChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)).Then(cron.FuncJob(func() {
			if _, err := p.Poll(ctx, src, false); err != nil && ctx.Err() == nil {
				p.log.Error("poll: cannot record poll", slog.String("source_id", src.ID), slog.String("error", err.Error()))
			}
		}))
		if _, err := c.AddJob(spec, job); err != nil {
			return fmt.Errorf("digest: schedule source %s: %w", src.ID, err)
		}
		jobs = append(jobs, job)
	}
	// The first round now rather than one interval after start; a cron tick that comes while
	// it runs is skipped by SkipIfStillRunning.
	var first sync.WaitGroup
	for _, job := range jobs {
		first.Go(job.Run)
	}
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	first.Wait()
	return nil
}

// cronLogger adapts slog to robfig/cron's logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append([]any{slog.String("error", err.Error())}, kv...)...)
}

// NextPoll returns when source id will next be polled, given its state: the first tick of its
// schedule at or after both now and the state's NextPoll floor (backoff, Retry-After, ttl). It
// returns the zero time for a source it does not poll.
func (p *Poller) NextPoll(id string, st SourceState, now time.Time) time.Time {
	for _, src := range p.cfg.Sources {
		if src.ID != id {
			continue
		}
		spec := src.Schedule
		if spec == "" {
			spec = p.cfg.Schedule
		}
		sched, err := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor).Parse(spec)
		if err != nil {
			return time.Time{}
		}
		if every, ok := sched.(cron.ConstantDelaySchedule); ok && !st.LastPoll.IsZero() {
			// @every ticks count from the poller's start: the last poll plus the interval is
			// as close as the state tells, past the floor by whole intervals.
			next := st.LastPoll.Add(every.Delay)
			for next.Before(st.NextPoll) {
				next = next.Add(every.Delay)
			}
			if next.Before(now) {
				return now
			}
			return next
		}
		from := now
		if st.NextPoll.After(from) {
			from = st.NextPoll
		}
		return sched.Next(from.In(p.cfg.Location).Add(-time.Second))
	}
	return time.Time{}
}
