package fetch

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// concurrencyProbe is a handler that records the most requests it ever served at once.
type concurrencyProbe struct {
	cur, max atomic.Int32
	hold     time.Duration
}

func (p *concurrencyProbe) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := p.cur.Add(1)
	defer p.cur.Add(-1)
	for {
		m := p.max.Load()
		if n <= m || p.max.CompareAndSwap(m, n) {
			break
		}
	}
	select {
	case <-time.After(p.hold):
	case <-r.Context().Done():
		return
	}
	_, _ = w.Write([]byte(rssDoc))
}

func TestFetchPerHostLimit(t *testing.T) {
	for _, perHost := range []int{1, 2} {
		t.Run("PerHost="+strconv.Itoa(perHost), func(t *testing.T) {
			probe := &concurrencyProbe{hold: 40 * time.Millisecond}
			srv := newServer(t, probe.ServeHTTP)
			c := newClient(t, Options{PerHost: perHost})

			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for range 4 {
				wg.Go(func() {
					_, err := c.Fetch(context.Background(), Request{URL: srv.URL + "/rss/"})
					errs <- err
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Error(err)
				}
			}
			if got := probe.max.Load(); got > int32(perHost) || got < 1 {
				t.Errorf("max concurrent requests = %d, want 1..%d", got, perHost)
			}
		})
	}
}

func TestFetchSaturatedHostDoesNotBlockOthers(t *testing.T) {
	entered := make(chan struct{}, 4)
	unblock := make(chan struct{})
	slow := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		select {
		case <-unblock:
		case <-r.Context().Done():
			return
		}
		_, _ = w.Write([]byte(rssDoc))
	})
	fast := newServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(rssDoc)) })
	var once sync.Once
	release := func() { once.Do(func() { close(unblock) }) }
	t.Cleanup(release)
	c := newClient(t, Options{PerHost: 1})

	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for range 2 {
		wg.Go(func() {
			_, err := c.Fetch(context.Background(), Request{URL: slow.URL})
			errs <- err
		})
	}
	<-entered // the slow host's only slot is taken; the other request queues behind it

	t.Run("another host answers at once", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		if _, err := c.Fetch(ctx, Request{URL: fast.URL}); err != nil {
			t.Fatalf("fetch from an idle host while another is saturated: %v", err)
		}
	})
	t.Run("waiting for the slot respects the deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.Fetch(ctx, Request{URL: slow.URL})
		fe := asError(t, err, Timeout)
		if fe.Error() != "timed out waiting for other requests to the same host" {
			t.Errorf("Error() = %q", fe.Error())
		}
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("gave up after %v, want about 100ms", d)
		}
	})
	t.Run("waiting for the slot stops on cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, err := c.Fetch(ctx, Request{URL: slow.URL})
		asError(t, err, Canceled)
	})
	select {
	case <-entered:
		t.Error("a second request reached the saturated host with PerHost=1")
	default:
	}

	release()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("queued fetch: %v", err)
		}
	}
}

func TestFetchQueueWaitIsNotTimeout(t *testing.T) {
	probe := &concurrencyProbe{hold: 150 * time.Millisecond}
	srv := newServer(t, probe.ServeHTTP)
	c := newClient(t, Options{PerHost: 1, Timeout: 250 * time.Millisecond})

	// Three requests of 150ms each through one slot: the last waits 300ms, longer than the
	// timeout, and must still succeed because only its own request is timed.
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 3 {
		wg.Go(func() {
			_, err := c.Fetch(context.Background(), Request{URL: srv.URL})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestHostLimiter(t *testing.T) {
	l := newHostLimiter(1)
	ctx := context.Background()

	rel, err := l.acquire(ctx, "orda.kz:443")
	if err != nil {
		t.Fatal(err)
	}
	// A different host has its own slot.
	relOther, err := l.acquire(ctx, "24.kg:443")
	if err != nil {
		t.Fatal(err)
	}
	relOther()

	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := l.acquire(short, "orda.kz:443"); err == nil {
		t.Fatal("second acquire on a full host succeeded")
	}
	rel()
	rel() // a second release must not free a slot someone else holds

	rel2, err := l.acquire(ctx, "orda.kz:443")
	if err != nil {
		t.Fatal(err)
	}
	rel2()

	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.hosts) != 0 {
		t.Errorf("limiter still tracks %d hosts after every slot was released", len(l.hosts))
	}
}

func TestHostKey(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"https://Orda.KZ/feed/", "orda.kz:443"},
		{"https://orda.kz:443/feed/", "orda.kz:443"},
		{"http://orda.kz/feed/", "orda.kz:80"},
		{"http://127.0.0.1:8080/rss", "127.0.0.1:8080"},
		{"https://[2001:db8::1]/rss", "[2001:db8::1]:443"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := hostKey(u); got != tt.want {
			t.Errorf("hostKey(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}
