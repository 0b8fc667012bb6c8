package bot

import (
	"fmt"
	"sync"
	"time"
)

// Receiving is judged failing when receiveFailures errors (failed getUpdates calls, refused
// setWebhook calls) came within receiveWindow and the last of them less than receiveRecent ago:
// a long poll that fails now and then is the network; one that fails every time (another
// process polls with the same token: 409 Conflict; the token revoked) is an outage nobody sees
// in the chats, since a quiet bot receives nothing either way.
const (
	receiveFailures = 3
	receiveWindow   = 5 * time.Minute
	receiveRecent   = 2 * time.Minute
)

// receiveErrors remembers the recent failures to receive updates.
type receiveErrors struct {
	mu   sync.Mutex
	at   []time.Time // the last receiveFailures failures, oldest first
	last string      // the last failure in words
}

func (r *receiveErrors) add(at time.Time, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.at = append(r.at, at)
	if len(r.at) > receiveFailures {
		r.at = r.at[len(r.at)-receiveFailures:]
	}
	r.last = err.Error()
}

// ReceiveHealth reports whether the bot is receiving updates from Telegram, as of now: an
// error describes the failure when the recent attempts all failed (see receiveFailures).
func (b *Bot) ReceiveHealth(now time.Time) error {
	r := &b.received
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.at) < receiveFailures {
		return nil
	}
	first, last := r.at[0], r.at[len(r.at)-1]
	if now.Sub(first) > receiveWindow || now.Sub(last) > receiveRecent {
		return nil
	}
	return fmt.Errorf("receiving updates from Telegram keeps failing (%d times since %s): %s",
		len(r.at), first.UTC().Format(time.TimeOnly), r.last)
}
