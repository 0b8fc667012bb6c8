package bot

import "time"

// Metrics receives what the bot does, for monitoring (Prometheus, in package main). Its methods
// are called on the delivery path from many goroutines at once: an implementation must be safe
// for concurrent use and quick, and must not call back into the Bot.
type Metrics interface {
	// Matched counts what one routing decision queued, one per story and chat: n alert
	// messages (kind MatchAlert) or n stories pushed for topics (kind MatchTopic), before any
	// bundling. A story that both an alert and a topic match is counted once, as the alert it
	// is sent as; routing the same stories again counts nothing.
	Matched(kind string, n int)
	// Sent counts one try at sending one Telegram message from the outbox: the kind of the
	// outbox rows it carries (push, alert, digest, broadcast, reply: subscriptions.KindPush …)
	// and what came of it. A bundle of pushes is one message; a 429 is outcome Throttled.
	Sent(kind string, outcome Outcome)
	// Delivered observes, for every story Telegram accepted for a chat (kind push or alert),
	// the time from the story's publication to that moment; never negative.
	Delivered(kind string, delay time.Duration)
}

// Kinds of Metrics.Matched.
const (
	MatchAlert = "alert"
	MatchTopic = "topic"
)

// noMetrics counts nothing: Config.Metrics left nil.
type noMetrics struct{}

func (noMetrics) Matched(string, int)             {}
func (noMetrics) Sent(string, Outcome)            {}
func (noMetrics) Delivered(string, time.Duration) {}

// metrics is where the bot reports what it does; never nil.
func (b *Bot) metrics() Metrics {
	if b.cfg.Metrics == nil {
		return noMetrics{}
	}
	return b.cfg.Metrics
}
