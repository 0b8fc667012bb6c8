package fetch

import (
	"context"
	"sync"
)

// hostLimiter bounds concurrent requests per host. Each host has its own semaphore, so a
// saturated host never delays another; an entry lives only while someone holds or awaits it, so
// the map does not grow with every host ever fetched.
type hostLimiter struct {
	limit int

	mu    sync.Mutex
	hosts map[string]*hostSlot
}

type hostSlot struct {
	sem  chan struct{}
	refs int // holders plus waiters; guarded by hostLimiter.mu
}

func newHostLimiter(limit int) *hostLimiter {
	return &hostLimiter{limit: limit, hosts: make(map[string]*hostSlot)}
}

// acquire waits for a slot on host, in arrival order, until ctx is done. The returned release
// must be called exactly once; further calls do nothing.
func (l *hostLimiter) acquire(ctx context.Context, host string) (release func(), err error) {
	l.mu.Lock()
	s := l.hosts[host]
	if s == nil {
		s = &hostSlot{sem: make(chan struct{}, l.limit)}
		l.hosts[host] = s
	}
	s.refs++
	l.mu.Unlock()

	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		l.unref(host, s)
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-s.sem
			l.unref(host, s)
		})
	}, nil
}

func (l *hostLimiter) unref(host string, s *hostSlot) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s.refs--
	if s.refs == 0 {
		delete(l.hosts, host)
	}
}
