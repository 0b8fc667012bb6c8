package bot

import (
	"context"
	"sync"
	"time"

	"newsbot/digest"
)

// pushQueue holds decided pushes until they are sent. Stories for one chat that arrive within
// the bundle window of the first are sent together, so a chat following several topics gets one
// message when several sources publish at the same poll tick, not one per source. Sending runs
// on the bot's own workers: the poller only decides and enqueues, and is never held up by
// Telegram.
//
// It is in memory: pushes decided but not yet sent when the process dies are lost. The durable
// outbox of the delivery-engine issue replaces it behind the same enqueue.
type pushQueue struct {
	mu      sync.Mutex
	pending map[int64][]digest.Story
	first   map[int64]time.Time // when the chat's oldest pending story arrived
	order   []int64             // chats in the order their first story arrived
	wake    chan struct{}
	idle    *sync.Cond // signalled whenever a chat's push finished
	busy    int        // pushes being sent
	window  time.Duration
}

// DefaultBundleWindow is how long a chat's first pending story waits for others to join it.
const DefaultBundleWindow = 2 * time.Second

func newPushQueue(window time.Duration) *pushQueue {
	q := &pushQueue{pending: map[int64][]digest.Story{}, first: map[int64]time.Time{}, wake: make(chan struct{}, 1), window: window}
	q.idle = sync.NewCond(&q.mu)
	return q
}

// add queues stories for chat.
func (q *pushQueue) add(chat int64, stories []digest.Story, now time.Time) {
	q.mu.Lock()
	if _, ok := q.pending[chat]; !ok {
		q.first[chat] = now
		q.order = append(q.order, chat)
	}
	q.pending[chat] = append(q.pending[chat], stories...)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// take returns a chat whose window has passed (every chat when flush is set) with its stories,
// or ok false and how long until the next one is ready (0 when nothing is pending).
func (q *pushQueue) take(now time.Time, flush bool) (chat int64, stories []digest.Story, wait time.Duration, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.order) == 0 {
		return 0, nil, 0, false
	}
	c := q.order[0]
	if ready := q.first[c].Add(q.window); !flush && now.Before(ready) {
		return 0, nil, ready.Sub(now), false
	}
	q.order = q.order[1:]
	stories = q.pending[c]
	delete(q.pending, c)
	delete(q.first, c)
	q.busy++
	return c, stories, 0, true
}

// done records that a push taken with take has been sent (or given up).
func (q *pushQueue) done() {
	q.mu.Lock()
	q.busy--
	q.idle.Broadcast()
	q.mu.Unlock()
}

// len is the number of chats with pending or in-flight pushes.
func (q *pushQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.order) + q.busy
}

// run sends pushes with send until ctx ends, then sends what is left at once (flush) until the
// queue is empty or stop ends. workers pushes are sent at a time.
func (q *pushQueue) run(ctx, stop context.Context, workers int, now func() time.Time, send func(context.Context, int64, []digest.Story)) {
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				flush := ctx.Err() != nil
				chat, stories, wait, ok := q.take(now(), flush)
				if ok {
					send(stop, chat, stories)
					q.done()
					continue
				}
				if flush && wait == 0 {
					return // shutting down and nothing left
				}
				if wait <= 0 {
					wait = time.Hour // nothing pending: sleep until woken
				}
				t := time.NewTimer(wait)
				select {
				case <-q.wake:
				case <-t.C:
				case <-ctx.Done():
				case <-stop.Done():
					t.Stop()
					return
				}
				t.Stop()
			}
		})
	}
	wg.Wait()
}
