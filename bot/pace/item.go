package pace

import (
	"strconv"
	"time"
)

// Class is a message's priority class. Candidates of a higher class (a lower value) are always
// chosen before those of a lower class that could go at the same moment. A value outside
// Reply..Bulk is paced as Bulk.
type Class int

// The classes, highest priority first. The values are 0..3, in this order.
const (
	Reply Class = iota // answers to commands: a person is waiting
	Alert              // alerts a chat asked for
	Push               // topic stories
	Bulk               // digests and broadcasts
)

// String returns the class's lowercase name, for logs and metrics.
func (c Class) String() string {
	switch c {
	case Reply:
		return "reply"
	case Alert:
		return "alert"
	case Push:
		return "push"
	case Bulk:
		return "bulk"
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

func (c Class) norm() Class {
	if c < Reply || c > Bulk {
		return Bulk
	}
	return c
}

// ChatKind says which of Telegram's per-chat limits apply to a chat.
//
// The zero ChatKind, like any unknown one, is paced as a group, the stricter of the two.
type ChatKind int

// The chat kinds.
const (
	Private ChatKind = iota + 1 // one-to-one chats with a user
	Group                       // groups and supergroups
	Channel                     // channels: paced as groups
)

// String returns the kind's lowercase name, for logs and metrics.
func (k ChatKind) String() string {
	switch k {
	case Private:
		return "private"
	case Group:
		return "group"
	case Channel:
		return "channel"
	}
	return "chatkind(" + strconv.Itoa(int(k)) + ")"
}

// Item is a candidate message: the dispatcher passes the heads of its queues.
type Item struct {
	ID       int64 // the outbox row; breaks ties between items of one class and age
	Chat     int64 // Telegram chat id
	Kind     ChatKind
	Class    Class
	Enqueued time.Time // when the message was queued; older goes first within a class
	// Paid marks a Bulk message that will be sent with allow_paid_broadcast=true. It counts
	// against Limits.PaidBulk instead of Limits.Global, and only when PaidBulk is set and the
	// class is Bulk; otherwise the item is paced as an unpaid one, which is always safe.
	Paid bool
}

// before reports whether a goes before b: by class, then age, then ID.
func before(a, b *Item) bool {
	if ca, cb := a.Class.norm(), b.Class.norm(); ca != cb {
		return ca < cb
	}
	if !a.Enqueued.Equal(b.Enqueued) {
		return a.Enqueued.Before(b.Enqueued)
	}
	return a.ID < b.ID
}
