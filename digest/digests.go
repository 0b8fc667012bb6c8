package digest

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Candidate is a piece of news a digest may carry: a story cluster, shown by its first report
// (or by the story an admin pinned).
type Candidate struct {
	Story    Story
	Topics   []string  // the topics of every report of the cluster, sorted
	Sources  []string  // the outlets that carried it, by source id, first report first
	PinnedAt time.Time // when an admin pinned it; zero if not pinned
}

// DigestCandidates returns the news of [since, until): every cluster whose first report was
// first seen then (backlog excepted), and every story pinned then, whatever its age. Pick
// chooses a chat's digest from them.
func (s *Store) DigestCandidates(ctx context.Context, since, until time.Time) ([]Candidate, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+storyColumns+` FROM stories s
		WHERE s.first_seen_at >= ? AND s.first_seen_at < ? AND s.id = s.cluster_id AND s.backlog = 0
		ORDER BY s.id`, unix(since), unix(until))
	if err != nil {
		return nil, fmt.Errorf("digest: candidates: %w", err)
	}
	firsts, err := scanStories(rows)
	if err != nil {
		return nil, fmt.Errorf("digest: candidates: %w", err)
	}
	out := make([]Candidate, 0, len(firsts))
	byCluster := make(map[int64]int, len(firsts))
	for _, st := range firsts {
		byCluster[st.ClusterID] = len(out)
		out = append(out, Candidate{Story: st})
	}
	pins, err := s.Pins(ctx, since, until)
	if err != nil {
		return nil, fmt.Errorf("digest: candidates: %w", err)
	}
	for _, p := range pins {
		st, err := s.Story(ctx, p.StoryID)
		if errors.Is(err, sql.ErrNoRows) {
			continue // pruned since
		}
		if err != nil {
			return nil, fmt.Errorf("digest: candidates: %w", err)
		}
		i, ok := byCluster[st.ClusterID]
		if !ok {
			i = len(out)
			byCluster[st.ClusterID] = i
			out = append(out, Candidate{})
		}
		out[i].Story, out[i].PinnedAt = st, p.PinnedAt
	}
	if err := s.clusterFacts(ctx, out, byCluster); err != nil {
		return nil, fmt.Errorf("digest: candidates: %w", err)
	}
	return out, nil
}

// clusterFacts fills in the topics and outlets of every candidate's cluster.
func (s *Store) clusterFacts(ctx context.Context, cands []Candidate, byCluster map[int64]int) error {
	ids := make([]int64, 0, len(byCluster))
	for id := range byCluster {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	topics := make([]map[string]bool, len(cands))
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := s.db.Read.QueryContext(ctx, `SELECT s.cluster_id, s.source_id,
				COALESCE((SELECT group_concat(t.topic_id, ',') FROM story_topics t WHERE t.story_id = s.id), '')
			FROM stories s WHERE s.cluster_id IN (`+placeholders(len(part))+`) ORDER BY s.id`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var cluster int64
			var source, tps string
			if err := rows.Scan(&cluster, &source, &tps); err != nil {
				rows.Close()
				return err
			}
			i := byCluster[cluster]
			if !slices.Contains(cands[i].Sources, source) {
				cands[i].Sources = append(cands[i].Sources, source)
			}
			if topics[i] == nil {
				topics[i] = map[string]bool{}
			}
			for t := range strings.SplitSeq(tps, ",") {
				if t != "" {
					topics[i][t] = true
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for i := range cands {
		for t := range topics[i] {
			cands[i].Topics = append(cands[i].Topics, t)
		}
		slices.Sort(cands[i].Topics)
	}
	return nil
}

// Pick chooses a chat's digest from cands: at most max of them, ranked. First the stories
// pinned in [since, until), newest pin first, whatever their topics; then the clusters first
// seen in [since, until) on any of topics, by how many outlets carried them, then by recency
// (publication, newest first). One per cluster.
func Pick(cands []Candidate, topics []string, since, until time.Time, max int) []Candidate {
	var pinned, rest []Candidate
	for _, c := range cands {
		switch {
		case !c.PinnedAt.IsZero() && !c.PinnedAt.Before(since) && c.PinnedAt.Before(until):
			pinned = append(pinned, c)
		case !c.Story.FirstSeen.Before(since) && c.Story.FirstSeen.Before(until) && overlaps(c.Topics, topics):
			c.PinnedAt = time.Time{} // pinned for another window: ranked like the rest here
			rest = append(rest, c)
		}
	}
	slices.SortStableFunc(pinned, func(a, b Candidate) int {
		return cmp.Or(b.PinnedAt.Compare(a.PinnedAt), cmp.Compare(b.Story.ID, a.Story.ID))
	})
	slices.SortStableFunc(rest, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(len(b.Sources), len(a.Sources)), b.Story.Published.Compare(a.Story.Published),
			cmp.Compare(b.Story.ID, a.Story.ID))
	})
	out := append(pinned, rest...)
	if len(out) > max {
		out = out[:max]
	}
	return out
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// Pin is a story an admin put at the top of the next digest.
type Pin struct {
	StoryID  int64
	AdminID  int64
	PinnedAt time.Time
}

// PinStory pins story id (ErrNoRows, wrapped, when there is none) for the next digest of every
// chat; pinning it again moves it to the top again.
func (s *Store) PinStory(ctx context.Context, storyID, adminID int64, at time.Time) error {
	tx, err := s.db.Write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("digest: pin %d: %w", storyID, err)
	}
	defer tx.Rollback()
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM stories WHERE id = ?)`, storyID).Scan(&exists); err != nil {
		return fmt.Errorf("digest: pin %d: %w", storyID, err)
	}
	if !exists {
		return fmt.Errorf("digest: pin %d: %w", storyID, sql.ErrNoRows)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO pins (story_id, admin_id, pinned_at) VALUES (?, ?, ?)
		ON CONFLICT (story_id) DO UPDATE SET admin_id = excluded.admin_id, pinned_at = excluded.pinned_at`,
		storyID, adminID, unix(at)); err != nil {
		return fmt.Errorf("digest: pin %d: %w", storyID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("digest: pin %d: %w", storyID, err)
	}
	return nil
}

// Unpin removes the pin of story id and reports whether there was one.
func (s *Store) Unpin(ctx context.Context, storyID int64) (bool, error) {
	res, err := s.db.Write.ExecContext(ctx, `DELETE FROM pins WHERE story_id = ?`, storyID)
	if err != nil {
		return false, fmt.Errorf("digest: unpin %d: %w", storyID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("digest: unpin %d: %w", storyID, err)
	}
	return n > 0, nil
}

// Pins returns the pins made in [since, until), newest first.
func (s *Store) Pins(ctx context.Context, since, until time.Time) ([]Pin, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT story_id, admin_id, pinned_at FROM pins
		WHERE pinned_at >= ? AND pinned_at < ? ORDER BY pinned_at DESC, story_id DESC`, unix(since), unix(until))
	if err != nil {
		return nil, fmt.Errorf("digest: pins: %w", err)
	}
	defer rows.Close()
	var out []Pin
	for rows.Next() {
		var p Pin
		var at int64
		if err := rows.Scan(&p.StoryID, &p.AdminID, &at); err != nil {
			return nil, fmt.Errorf("digest: pins: %w", err)
		}
		p.PinnedAt = fromUnix(at)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digest: pins: %w", err)
	}
	return out, nil
}

// FindStory finds the story ref names: a story id ("1234", "#1234") or its link as the feed
// gave it (a trailing slash or its absence, and http for https, do not matter). The newest story
// with that link wins. An error wraps sql.ErrNoRows when none matches.
func (s *Store) FindStory(ctx context.Context, ref string) (Story, error) {
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(strings.TrimPrefix(ref, "#"), 10, 64); err == nil && id > 0 {
		return s.Story(ctx, id)
	}
	if !strings.HasPrefix(ref, "http://") && !strings.HasPrefix(ref, "https://") {
		return Story{}, fmt.Errorf("digest: find story %q: %w", ref, sql.ErrNoRows)
	}
	base := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(ref, "https://"), "http://"), "/")
	var links []any
	for _, scheme := range []string{"https://", "http://"} {
		links = append(links, scheme+base, scheme+base+"/")
	}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+storyColumns+` FROM stories s
		WHERE s.link IN (?, ?, ?, ?) ORDER BY s.id DESC LIMIT 1`, links...)
	if err != nil {
		return Story{}, fmt.Errorf("digest: find story %q: %w", ref, err)
	}
	out, err := scanStories(rows)
	if err != nil {
		return Story{}, fmt.Errorf("digest: find story %q: %w", ref, err)
	}
	if len(out) == 0 {
		return Story{}, fmt.Errorf("digest: find story %q: %w", ref, sql.ErrNoRows)
	}
	return out[0], nil
}

// StoriesSince counts the stories first seen at or after since, backlog excepted, by source.
func (s *Store) StoriesSince(ctx context.Context, since time.Time) (map[string]int, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT source_id, COUNT(*) FROM stories
		WHERE first_seen_at >= ? AND backlog = 0 GROUP BY source_id`, unix(since))
	if err != nil {
		return nil, fmt.Errorf("digest: stories since: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var src string
		var n int
		if err := rows.Scan(&src, &n); err != nil {
			return nil, fmt.Errorf("digest: stories since: %w", err)
		}
		out[src] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digest: stories since: %w", err)
	}
	return out, nil
}

// WriteBarrier returns once every write transaction that began before it has ended. Stories are
// stamped first seen when their transaction takes the write lock, so after WriteBarrier(T') every
// story first seen before T ≤ T' is readable: a digest covering [since, T) calls it before
// reading, and a story committed a moment after the digest read cannot carry a time inside the
// digest's window.
func (s *Store) WriteBarrier(ctx context.Context) error {
	tx, err := s.db.Write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("digest: write barrier: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("digest: write barrier: %w", err)
	}
	return nil
}

// PrunePins forgets pins made before before and returns how many: a pin leads the digests of
// the day after it at most (digests cover at most a week).
func (s *Store) PrunePins(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.Write.ExecContext(ctx, `DELETE FROM pins WHERE pinned_at < ?`, unix(before))
	if err != nil {
		return 0, fmt.Errorf("digest: prune pins: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("digest: prune pins: %w", err)
	}
	return n, nil
}
