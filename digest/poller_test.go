package digest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsbot/digest/fetch"
)

const day = "Thu, 26 Nov 2026 08:00:00 +0500"

func TestFirstPollSeedsBacklogThenPushesNews(t *testing.T) {
	ctx := context.Background()
	fs := newFeedServer(t, rss(
		item{guid: "1", title: "Казатомпром увеличил добычу урана", link: "https://orda.kz/1/", pub: day},
		item{guid: "2", title: "Курс тенге укрепился", link: "https://orda.kz/2/", pub: day},
	))
	src := Source{ID: "orda", Title: "Orda.kz", URL: fs.URL, Language: "ru"}
	r := newRig(t, []Source{src}, fetch.Options{})

	res, err := r.poller.Poll(ctx, src, false)
	if err != nil || res.Err != nil {
		t.Fatalf("first poll: %v / %v", err, res.Err)
	}
	if len(res.New) != 2 || !res.New[0].Backlog || !res.New[1].Backlog {
		t.Fatalf("first poll stored %+v, want 2 backlog stories", res.New)
	}
	if got := r.notifiedTitles(); len(got) != 0 {
		t.Fatalf("backlog was pushed: %v", got)
	}

	fs.set(rss(
		item{guid: "3", title: "Токаев подписал закон о парламенте", link: "https://orda.kz/3/?utm_source=tg", pub: day},
		item{guid: "1", title: "Казатомпром увеличил добычу урана", link: "https://orda.kz/1/", pub: day},
		item{guid: "2", title: "Курс тенге укрепился", link: "https://orda.kz/2/", pub: day},
	), `"v2"`)
	r.clock.Advance(5 * time.Minute)
	res, err = r.poller.Poll(ctx, src, false)
	if err != nil || res.Err != nil {
		t.Fatalf("second poll: %v / %v", err, res.Err)
	}
	if len(res.New) != 1 || res.New[0].Backlog {
		t.Fatalf("second poll stored %+v, want the one new story, not backlog", res.New)
	}
	st := res.New[0]
	if st.Link != "https://orda.kz/3/" {
		t.Errorf("link = %q, want it canonical (no utm_*)", st.Link)
	}
	if diff := cmp.Diff([]string{"politics"}, st.Topics); diff != "" {
		t.Errorf("topics (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Токаев подписал закон о парламенте"}, r.notifiedTitles()); diff != "" {
		t.Errorf("pushed (-want +got):\n%s", diff)
	}
	state, _ := r.store.SourceState(ctx, "orda")
	if !state.Seeded || state.StoriesTotal != 3 || state.ETag != `"v2"` || !state.Healthy() {
		t.Errorf("state = %+v", state)
	}
}

func TestNotModifiedParsesNothing(t *testing.T) {
	ctx := context.Background()
	fs := newFeedServer(t, rss(item{guid: "1", title: "Uranium output rises", link: "https://timesca.com/1/", pub: day}))
	src := Source{ID: "timesca", Title: "TCA", URL: fs.URL, Language: "en"}
	r := newRig(t, []Source{src}, fetch.Options{})
	if _, err := r.poller.Poll(ctx, src, false); err != nil {
		t.Fatal(err)
	}
	// Were the body parsed again, this broken document would fail the poll.
	fs.set("<rss><channel><item>", `"v1"`)
	r.clock.Advance(10 * time.Minute)
	res, err := r.poller.Poll(ctx, src, false)
	if err != nil || res.Err != nil {
		t.Fatalf("poll: %v / %v", err, res.Err)
	}
	if !res.NotModified || len(res.New) != 0 {
		t.Fatalf("result = %+v, want not modified", res)
	}
	if _, cond := fs.counts(); cond != 1 {
		t.Fatalf("conditional requests = %d, want 1 (ETag sent back)", cond)
	}
	state, _ := r.store.SourceState(ctx, "timesca")
	if state.LastSuccess != r.clock.Now() {
		t.Errorf("a 304 is a success: last success %v, want %v", state.LastSuccess, r.clock.Now())
	}
}

func TestFailuresAreClassifiedAndBackOff(t *testing.T) {
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		opts     fetch.Options
		wantKind string
		wantText string
	}{
		{"server error", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}, fetch.Options{}, "status", "500"},
		{"html page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>checking your browser</body></html>")
		}, fetch.Options{}, "html", "HTML"},
		{"empty body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
		}, fetch.Options{}, "empty", "empty"},
		{"oversized body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, rss(item{guid: "1", title: strings.Repeat("длинный заголовок ", 400)}))
		}, fetch.Options{MaxBodyBytes: 2048}, "too_large", "larger"},
		{"malformed xml", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n<title>x</title>\n<item><title><![CDATA[broken</title></item>\n")
		}, fetch.Options{}, "malformed", "line"},
		{"timeout", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, fetch.Options{Timeout: 200 * time.Millisecond}, "timeout", "timed out"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			fs := newFeedServer(t, "")
			fs.setHandler(tc.handler)
			src := Source{ID: "bad", Title: "Bad", URL: fs.URL}
			r := newRig(t, []Source{src}, tc.opts)
			res, err := r.poller.Poll(ctx, src, false)
			if err != nil {
				t.Fatal(err)
			}
			if res.Err == nil {
				t.Fatalf("poll succeeded: %+v", res)
			}
			state, _ := r.store.SourceState(ctx, "bad")
			if state.LastErrorKind != tc.wantKind || !strings.Contains(state.LastError, tc.wantText) {
				t.Errorf("recorded error %q (%s), want kind %q mentioning %q", state.LastError, state.LastErrorKind, tc.wantKind, tc.wantText)
			}
			if state.Failures != 1 || !state.NextPoll.Equal(r.clock.Now().Add(BackoffBase)) {
				t.Errorf("failures %d, next poll %v; want 1 and now+%v", state.Failures, state.NextPoll, BackoffBase)
			}
		})
	}
}

func TestBackoffGrowsCapsAndRecovers(t *testing.T) {
	ctx := context.Background()
	var fail atomic.Bool
	fail.Store(true)
	fs := newFeedServer(t, "")
	fs.setHandler(func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, rss(item{guid: "1", title: "Back online", link: "https://vlast.kz/1"}))
	})
	src := Source{ID: "vlast", Title: "Vlast", URL: fs.URL}
	r := newRig(t, []Source{src}, fetch.Options{})
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour}
	for i, w := range want {
		res, err := r.poller.Poll(ctx, src, false)
		if err != nil || res.Skipped {
			t.Fatalf("poll %d: %v skipped=%v", i, err, res.Skipped)
		}
		state, _ := r.store.SourceState(ctx, "vlast")
		if got := state.NextPoll.Sub(r.clock.Now()); got != w {
			t.Fatalf("after failure %d the source waits %v, want %v", i+1, got, w)
		}
		if res, _ := r.poller.Poll(ctx, src, false); !res.Skipped {
			t.Fatalf("a backed-off source was polled before it was due")
		}
		r.clock.Advance(w)
	}
	fail.Store(false)
	res, err := r.poller.Poll(ctx, src, false)
	if err != nil || res.Err != nil {
		t.Fatalf("recovery poll: %v / %v", err, res.Err)
	}
	state, _ := r.store.SourceState(ctx, "vlast")
	if state.Failures != 0 || state.LastError != "" || state.LastSuccess != r.clock.Now() {
		t.Fatalf("the source did not recover: %+v", state)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	ctx := context.Background()
	fs := newFeedServer(t, "")
	fs.setHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7200")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	src := Source{ID: "akipress", Title: "AKIpress", URL: fs.URL}
	r := newRig(t, []Source{src}, fetch.Options{})
	if _, err := r.poller.Poll(ctx, src, false); err != nil {
		t.Fatal(err)
	}
	state, _ := r.store.SourceState(ctx, "akipress")
	if got := state.NextPoll.Sub(r.clock.Now()); got != 2*time.Hour {
		t.Fatalf("next poll in %v, want the server's Retry-After of 2h", got)
	}
}

func TestCacheControlAndTTLDelayNextPoll(t *testing.T) {
	ctx := context.Background()
	fs := newFeedServer(t, "")
	fs.setHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=600")
		fmt.Fprint(w, strings.Replace(rss(item{guid: "1", title: "x"}), "<channel>", "<channel><ttl>30</ttl>", 1))
	})
	src := Source{ID: "kazinform", Title: "Kazinform", URL: fs.URL}
	r := newRig(t, []Source{src}, fetch.Options{})
	if _, err := r.poller.Poll(ctx, src, false); err != nil {
		t.Fatal(err)
	}
	state, _ := r.store.SourceState(ctx, "kazinform")
	if got := state.NextPoll.Sub(r.clock.Now()); got != 30*time.Minute {
		t.Fatalf("next poll in %v, want the feed's ttl of 30m (longer than max-age 10m)", got)
	}
	r.clock.Advance(29 * time.Minute)
	if res, _ := r.poller.Poll(ctx, src, false); !res.Skipped {
		t.Fatal("polled before the ttl ran out")
	}
	if res, _ := r.poller.Poll(ctx, src, true); res.Skipped {
		t.Fatal("a forced poll (newsbot fetch) was skipped")
	}
}

func TestRedirectedFeedResolvesLinksAgainstFinalURL(t *testing.T) {
	ctx := context.Background()
	fs := newFeedServer(t, "")
	fs.setHandler(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/news/feed/", http.StatusMovedPermanently)
			return
		}
		fmt.Fprint(w, rss(item{guid: "a", title: "Relative", link: "../2026/11/story.html#comments"}))
	})
	src := Source{ID: "rel", Title: "Rel", URL: fs.URL + "/old"}
	r := newRig(t, []Source{src}, fetch.Options{})
	res, err := r.poller.Poll(ctx, src, false)
	if err != nil || res.Err != nil {
		t.Fatalf("poll: %v / %v", err, res.Err)
	}
	if len(res.New) != 1 || res.New[0].Link != fs.URL+"/news/2026/11/story.html" {
		t.Fatalf("stories %+v, want the link resolved against the redirected URL, without fragment", res.New)
	}
}

func TestSlowSourceDoesNotDelayOthers(t *testing.T) {
	ctx := context.Background()
	release := make(chan struct{})
	slow := newFeedServer(t, "")
	slow.setHandler(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	var fast []Source
	var servers []*feedServer
	for i := range 3 {
		fs := newFeedServer(t, rss(item{guid: "1", title: fmt.Sprintf("Fast story %d", i), link: fmt.Sprintf("https://fast%d.example/1", i)}))
		servers = append(servers, fs)
		fast = append(fast, Source{ID: fmt.Sprintf("fast%d", i), Title: "Fast", URL: fs.URL})
	}
	all := append([]Source{{ID: "slow", Title: "Slow", URL: slow.URL}}, fast...)
	r := newRig(t, all, fetch.Options{Timeout: 10 * time.Second})
	done := make(chan []Result)
	go func() {
		res, _ := r.poller.PollAll(ctx, false)
		done <- res
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		states, err := r.store.SourceStates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ok := 0
		for _, s := range states {
			if strings.HasPrefix(s.ID, "fast") && s.StoriesTotal == 1 {
				ok++
			}
		}
		if ok == 3 {
			break
		}
		if time.Now().After(deadline) {
			close(release)
			t.Fatalf("fast sources were not stored while the slow one hung (%d of 3)", ok)
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	res := <-done
	for _, r := range res[1:] {
		if r.Err != nil || len(r.New) != 1 {
			t.Errorf("%s: %+v", r.Source.ID, r)
		}
	}
}

func TestRunPollsOnStartAndStopsWithContext(t *testing.T) {
	fs := newFeedServer(t, rss(item{guid: "1", title: "Hello", link: "https://a.example/1"}))
	src := Source{ID: "a", Title: "A", URL: fs.URL}
	r := newRig(t, []Source{src}, fetch.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.poller.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, _ := r.store.SourceState(context.Background(), "a")
		if st.Seeded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Run did not poll on start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestRunRejectsBadSchedule(t *testing.T) {
	r := newRig(t, []Source{{ID: "a", Title: "A", URL: "http://127.0.0.1:1/", Schedule: "every now and then"}}, fetch.Options{})
	if err := r.poller.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "schedule source a") {
		t.Fatalf("err = %v, want a schedule error naming the source", err)
	}
}

func TestEmptyOrDamagedFirstPollDoesNotSeed(t *testing.T) {
	ctx := context.Background()
	archive := []item{
		{guid: "1", title: "Old one", link: "https://x.kz/1", pub: day},
		{guid: "2", title: "Old two", link: "https://x.kz/2", pub: day},
	}
	for _, first := range []struct{ name, body string }{
		{"empty channel", rss()},
		{"truncated after one item", strings.TrimSuffix(rss(archive...), "</channel></rss>")[:strings.Index(rss(archive...), "<item><guid>2")]},
	} {
		t.Run(first.name, func(t *testing.T) {
			fs := newFeedServer(t, first.body)
			src := Source{ID: "x", Title: "X", URL: fs.URL, Language: "en"}
			r := newRig(t, []Source{src}, fetch.Options{})
			if res, err := r.poller.Poll(ctx, src, false); err != nil || res.Err != nil {
				t.Fatalf("first poll: %v / %v", err, res.Err)
			}
			state, _ := r.store.SourceState(ctx, "x")
			if state.Seeded {
				t.Fatalf("seeded after an %s", first.name)
			}
			if damaged := strings.HasPrefix(first.name, "truncated"); damaged && state.ETag != "" {
				t.Fatalf("the validators of a damaged document were kept: %q", state.ETag)
			}
			fs.set(rss(archive...), `"v2"`)
			r.clock.Advance(10 * time.Minute)
			res, err := r.poller.Poll(ctx, src, false)
			if err != nil || res.Err != nil {
				t.Fatalf("second poll: %v / %v", err, res.Err)
			}
			for _, st := range res.New {
				if !st.Backlog {
					t.Errorf("archive item %q was stored as news", st.Title)
				}
			}
			if got := r.notifiedTitles(); len(got) != 0 {
				t.Errorf("the archive was pushed: %v", got)
			}
		})
	}
}

func TestTTLSurvivesNotModified(t *testing.T) {
	ctx := context.Background()
	body := strings.Replace(rss(item{guid: "1", title: "x"}), "<channel>", "<channel><ttl>45</ttl>", 1)
	fs := newFeedServer(t, body)
	src := Source{ID: "k", Title: "K", URL: fs.URL}
	r := newRig(t, []Source{src}, fetch.Options{})
	for i := range 3 {
		if res, err := r.poller.Poll(ctx, src, false); err != nil || res.Err != nil || res.Skipped {
			t.Fatalf("poll %d: %+v %v", i, res, err)
		}
		state, _ := r.store.SourceState(ctx, "k")
		if got := state.NextPoll.Sub(r.clock.Now()); got != 45*time.Minute {
			t.Fatalf("poll %d (304 after the first): next poll in %v, want the ttl of 45m", i, got)
		}
		r.clock.Advance(45 * time.Minute)
	}
}

func TestSourceZoneAppliesToZonelessDates(t *testing.T) {
	ctx := context.Background()
	fs := newFeedServer(t, rss(item{guid: "1", title: "Жаңалық", link: "https://24.kg/1", pub: "26.11.2026 09:00"}))
	bishkek, err := time.LoadLocation("Asia/Bishkek")
	if err != nil {
		t.Fatal(err)
	}
	src := Source{ID: "24kg", Title: "24.kg", URL: fs.URL, Location: bishkek}
	r := newRig(t, []Source{src}, fetch.Options{})
	res, err := r.poller.Poll(ctx, src, false)
	if err != nil || res.Err != nil || len(res.New) != 1 {
		t.Fatalf("poll: %+v %v", res, err)
	}
	if want := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC); !res.New[0].Published.Equal(want) {
		t.Fatalf("published %v, want 09:00 Bishkek = %v", res.New[0].Published, want)
	}
}

func TestShutdownDuringPollIsNotAFailure(t *testing.T) {
	fs := newFeedServer(t, "")
	started := make(chan struct{})
	fs.setHandler(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done()
	})
	src := Source{ID: "s", Title: "S", URL: fs.URL}
	r := newRig(t, []Source{src}, fetch.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	if _, err := r.poller.Poll(ctx, src, false); err == nil {
		t.Fatal("a cancelled poll reported success")
	}
	state, _ := r.store.SourceState(context.Background(), "s")
	if state.Failures != 0 || state.LastError != "" {
		t.Fatalf("shutdown was recorded as the source's failure: %+v", state)
	}
}
