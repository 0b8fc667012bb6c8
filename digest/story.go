package digest

import "time"

// Story is one stored feed item.
type Story struct {
	ID        int64
	SourceID  string
	Key       string // identity within the source: "guid:…", "link:…" or "hash:…"
	ClusterID int64  // id of the first story reporting the same news; ID itself for that one
	Title     string
	Summary   string
	Link      string // absolute and canonical; "" when the feed gave none
	Published time.Time
	FirstSeen time.Time
	Language  string
	Topics    []string // sorted
	// Backlog marks a story stored by its source's first successful poll: it is searchable but
	// never pushed, so adding a source does not flood subscribers with its archive.
	Backlog bool
}

// StartsCluster reports whether s is the first story of its cluster, rather than another
// outlet's report of news already stored. It is not a routing rule: a chat may not have been
// sent the first story (another topic, or backlog), so delivery is decided per chat and
// cluster.
func (s Story) StartsCluster() bool { return s.ClusterID == s.ID }

// Link is one outlet's link to a story of a cluster.
type Link struct {
	StoryID  int64
	SourceID string
	URL      string
}
