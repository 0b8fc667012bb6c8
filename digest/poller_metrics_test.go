package digest

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsbot/digest/fetch"
)

// pollEvents records what a poller's Observe is told, from any goroutine.
type pollEvents struct {
	mu  sync.Mutex
	evs []PollEvent
}

func (e *pollEvents) observe(ev PollEvent) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.evs = append(e.evs, ev)
}

// take returns the events so far and forgets them.
func (e *pollEvents) take() []PollEvent {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.evs
	e.evs = nil
	return out
}

// observedPoller is a poller over r's store and clock that reports to the returned events.
func observedPoller(r *rig, sources []Source) (*Poller, *pollEvents) {
	evs := &pollEvents{}
	return NewPoller(PollerConfig{
		Sources:     sources,
		Schedule:    "@every 1m",
		Location:    time.UTC,
		MaxInterval: time.Hour,
		Fetcher:     fetch.New(fetch.Options{Timeout: 5 * time.Second}),
		Pipeline:    r.pipeline,
		Store:       r.store,
		Now:         r.clock.Now,
		Observe:     evs.observe,
	}), evs
}

func TestObserveToldEveryPollOutcome(t *testing.T) {
	ctx := context.Background()
	fs := newFeedServer(t, rss(
		item{guid: "1", title: "Казатомпром увеличил добычу урана", link: "https://orda.kz/1/", pub: day},
		item{guid: "2", title: "Курс тенге укрепился", link: "https://orda.kz/2/", pub: day},
	))
	src := Source{ID: "orda", Title: "Orda.kz", URL: fs.URL, Language: "ru"}
	r := newRig(t, []Source{src}, fetch.Options{})
	p, evs := observedPoller(r, []Source{src})

	steps := []struct {
		name  string
		setup func()
		force bool
		want  []PollEvent
	}{
		{"first poll stores the backlog", nil, false,
			[]PollEvent{{Source: "orda", Outcome: PollOK, New: 2}}},
		{"same ETag", func() { r.clock.Advance(time.Minute) }, false,
			[]PollEvent{{Source: "orda", Outcome: PollNotModified}}},
		{"a new story", func() {
			fs.set(rss(item{guid: "3", title: "Тоқаев Астанада парламентпен кездесті", link: "https://orda.kz/3/", pub: day},
				item{guid: "1", title: "Казатомпром увеличил добычу урана", link: "https://orda.kz/1/", pub: day}), `"v2"`)
			r.clock.Advance(time.Minute)
		}, false,
			[]PollEvent{{Source: "orda", Outcome: PollOK, New: 1}}},
		{"nothing new", func() {
			fs.set(rss(item{guid: "3", title: "Тоқаев Астанада парламентпен кездесті", link: "https://orda.kz/3/", pub: day}), `"v3"`)
			r.clock.Advance(time.Minute)
		}, false,
			[]PollEvent{{Source: "orda", Outcome: PollOK}}},
		{"an HTML page instead of the feed", func() {
			fs.setHandler(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				fmt.Fprint(w, "<!DOCTYPE html><html><body>Access denied</body></html>")
			})
			r.clock.Advance(time.Minute)
		}, false,
			[]PollEvent{{Source: "orda", Outcome: PollFailed, ErrorKind: "html"}}},
		{"backing off: not due, not a poll", nil, false, nil},
		{"a server error, forced", func() {
			fs.setHandler(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) })
		}, true,
			[]PollEvent{{Source: "orda", Outcome: PollFailed, ErrorKind: "status"}}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if s.setup != nil {
				s.setup()
			}
			if _, err := p.Poll(ctx, src, s.force); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(s.want, evs.take()); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestObserveNotToldOfPollsCutShortByShutdown(t *testing.T) {
	fs := newFeedServer(t, rss(item{guid: "1", title: "Uranium output rises", link: "https://timesca.com/1/", pub: day}))
	src := Source{ID: "timesca", Title: "TCA", URL: fs.URL, Language: "en"}
	r := newRig(t, []Source{src}, fetch.Options{})
	p, evs := observedPoller(r, []Source{src})
	ctx, cancel := context.WithCancel(context.Background())
	fs.setHandler(func(w http.ResponseWriter, req *http.Request) {
		cancel()
		<-req.Context().Done()
	})
	if _, err := p.Poll(ctx, src, true); err == nil {
		t.Fatal("a poll cut short by ctx ending returned no error")
	}
	if got := evs.take(); len(got) != 0 {
		t.Errorf("events %+v, want none: shutting down is not the source's failure", got)
	}
}

func TestObserveToldWhenThePollCannotBeRecorded(t *testing.T) {
	fs := newFeedServer(t, rss(item{guid: "1", title: "Uranium output rises", link: "https://timesca.com/1/", pub: day}))
	src := Source{ID: "timesca", Title: "TCA", URL: fs.URL, Language: "en"}
	r := newRig(t, []Source{src}, fetch.Options{})
	p, evs := observedPoller(r, []Source{src})
	r.store.db.Close()
	if _, err := p.Poll(context.Background(), src, true); err == nil {
		t.Fatal("a poll on a closed database returned no error")
	}
	want := []PollEvent{{Source: "timesca", Outcome: PollFailed, ErrorKind: "store"}}
	if diff := cmp.Diff(want, evs.take()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestObserveCalledConcurrentlyByPollAll(t *testing.T) {
	var sources []Source
	for i := range 6 {
		fs := newFeedServer(t, rss(item{guid: "1", title: fmt.Sprintf("Жаңалық %d", i), link: fmt.Sprintf("https://kaz.example/%d", i), pub: day}))
		sources = append(sources, Source{ID: fmt.Sprintf("s%d", i), Title: "S", URL: fs.URL, Language: "kk"})
	}
	r := newRig(t, sources, fetch.Options{})
	p, evs := observedPoller(r, sources)
	if _, err := p.PollAll(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	got := evs.take()
	sort.Slice(got, func(i, j int) bool { return got[i].Source < got[j].Source })
	var want []PollEvent
	for _, s := range sources {
		want = append(want, PollEvent{Source: s.ID, Outcome: PollOK, New: 1})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
