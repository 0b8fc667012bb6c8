package digest

import "time"

// Source is one configured feed.
type Source struct {
	ID       string
	Title    string
	URL      string
	Language string   // language of its stories ("ru", "kk", "en", …); "" = decided per story
	Topics   []string // topics every story of this source belongs to
	Schedule string   // robfig/cron spec; "" = the poller's default
	// Location is the zone assumed for dates the feed writes without one; nil = the poller's.
	Location *time.Location
}

// Topic is a subject users subscribe to; stories are tagged with it by keyword.
type Topic struct {
	ID       string
	Title    string
	Keywords []string
}

// SourceState is what the poller remembers about a source between polls, and its health.
type SourceState struct {
	ID            string
	ETag          string
	LastModified  string
	Seeded        bool // a poll has succeeded: new items from now on are news, not backlog
	LastPoll      time.Time
	LastSuccess   time.Time
	LastError     string // for people: "HTTP 503 Service Unavailable", "malformed XML at line 12: …"
	LastErrorKind string // short and stable: "timeout", "status", "html", "malformed", …
	LastErrorAt   time.Time
	Failures      int           // consecutive failed polls
	NextPoll      time.Time     // no scheduled poll before this
	TTL           time.Duration // the feed's RSS <ttl>, a floor between polls kept across 304s
	StoriesTotal  int
}

// Healthy reports whether the last poll of the source succeeded.
func (s SourceState) Healthy() bool { return s.Failures == 0 }
