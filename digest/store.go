package digest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"newsbot/digest/words"
	"newsbot/migrations"
)

// Store keeps sources' polling state and stories in SQLite. Its methods are safe for concurrent
// use: all writes go through the database's single writer connection. Stories are stored only
// through a Pipeline, which clusters them against its in-memory index of recent stories.
type Store struct {
	db *migrations.DB
}

// NewStore returns a Store over an opened, migrated database.
func NewStore(db *migrations.DB) *Store { return &Store{db: db} }

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

const sourceColumns = `id, etag, last_modified, seeded, last_poll_at, last_success_at, last_error,
	last_error_kind, last_error_at, failures, next_poll_at, ttl_seconds, stories_total`

func scanSource(row interface{ Scan(...any) error }) (SourceState, error) {
	var s SourceState
	var seeded int
	var poll, success, errAt, next, ttl int64
	err := row.Scan(&s.ID, &s.ETag, &s.LastModified, &seeded, &poll, &success, &s.LastError,
		&s.LastErrorKind, &errAt, &s.Failures, &next, &ttl, &s.StoriesTotal)
	if err != nil {
		return SourceState{}, err
	}
	s.Seeded = seeded != 0
	s.TTL = time.Duration(ttl) * time.Second
	s.LastPoll, s.LastSuccess, s.LastErrorAt, s.NextPoll = fromUnix(poll), fromUnix(success), fromUnix(errAt), fromUnix(next)
	return s, nil
}

// SourceState returns the remembered state of source id; a source never polled has the zero
// state (with ID set), not an error.
func (s *Store) SourceState(ctx context.Context, id string) (SourceState, error) {
	st, err := scanSource(s.db.Read.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return SourceState{ID: id}, nil
	}
	if err != nil {
		return SourceState{}, fmt.Errorf("digest: source state %s: %w", id, err)
	}
	return st, nil
}

// SourceStates returns the state of every source ever polled, by id.
func (s *Store) SourceStates(ctx context.Context) ([]SourceState, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+sourceColumns+` FROM sources ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("digest: source states: %w", err)
	}
	defer rows.Close()
	var out []SourceState
	for rows.Next() {
		st, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("digest: source states: %w", err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digest: source states: %w", err)
	}
	return out, nil
}

// SaveSourceState records st, replacing what was remembered about the source.
func (s *Store) SaveSourceState(ctx context.Context, st SourceState) error {
	tx, err := s.db.Write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("digest: save source %s: %w", st.ID, err)
	}
	defer tx.Rollback()
	if err := saveSource(ctx, tx, st); err != nil {
		return fmt.Errorf("digest: save source %s: %w", st.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("digest: save source %s: %w", st.ID, err)
	}
	return nil
}

func saveSource(ctx context.Context, tx *sql.Tx, st SourceState) error {
	seeded := 0
	if st.Seeded {
		seeded = 1
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO sources (`+sourceColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
			seeded = excluded.seeded, last_poll_at = excluded.last_poll_at,
			last_success_at = excluded.last_success_at, last_error = excluded.last_error,
			last_error_kind = excluded.last_error_kind, last_error_at = excluded.last_error_at,
			failures = excluded.failures, next_poll_at = excluded.next_poll_at,
			ttl_seconds = excluded.ttl_seconds, stories_total = excluded.stories_total`,
		st.ID, st.ETag, st.LastModified, seeded, unix(st.LastPoll), unix(st.LastSuccess), st.LastError,
		st.LastErrorKind, unix(st.LastErrorAt), st.Failures, unix(st.NextPoll), int64(st.TTL/time.Second), st.StoriesTotal)
	return err
}

// chunk bounds the number of ? placeholders in one IN list, well under SQLite's limit.
const chunk = 400

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// KnownKeys returns which of keys are already stored for source sourceID.
func (s *Store) KnownKeys(ctx context.Context, sourceID string, keys []string) (map[string]bool, error) {
	return knownKeys(ctx, s.db.Read, sourceID, keys)
}

func knownKeys(ctx context.Context, q querier, sourceID string, keys []string) (map[string]bool, error) {
	known := map[string]bool{}
	for start := 0; start < len(keys); start += chunk {
		part := keys[start:min(start+chunk, len(keys))]
		args := []any{sourceID}
		for _, k := range part {
			args = append(args, k)
		}
		if err := collect(ctx, q, known,
			`SELECT item_key FROM stories WHERE source_id = ? AND item_key IN (`+placeholders(len(part))+`)`, args...); err != nil {
			return nil, fmt.Errorf("digest: known keys: %w", err)
		}
	}
	return known, nil
}

// KnownLinks returns which of links a source other than sourceID has stored already.
func (s *Store) KnownLinks(ctx context.Context, sourceID string, links []string) (map[string]bool, error) {
	return knownLinks(ctx, s.db.Read, sourceID, links)
}

// querier is what both *sql.DB and *sql.Tx offer for reading.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func knownLinks(ctx context.Context, q querier, sourceID string, links []string) (map[string]bool, error) {
	known := map[string]bool{}
	for start := 0; start < len(links); start += chunk {
		part := links[start:min(start+chunk, len(links))]
		args := []any{sourceID}
		for _, l := range part {
			args = append(args, l)
		}
		if err := collect(ctx, q, known,
			`SELECT link FROM stories WHERE source_id != ? AND link IN (`+placeholders(len(part))+`)`, args...); err != nil {
			return nil, fmt.Errorf("digest: known links: %w", err)
		}
	}
	return known, nil
}

func collect(ctx context.Context, q querier, into map[string]bool, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		into[v] = true
	}
	return rows.Err()
}

// nextStoryID is the id the next stored story gets. Ids are assigned in Go rather than by SQLite
// so that a story starting its own cluster is stored with cluster_id = id at once, and a batch
// is inserted in a few statements. The caller's transaction holds the write lock, so no other
// writer can take the same ids. sqlite_sequence is AUTOINCREMENT's high-water mark: an id is
// never handed out twice, even after the newest story is deleted.
func nextStoryID(ctx context.Context, tx *sql.Tx) (int64, error) {
	var next int64
	err := tx.QueryRowContext(ctx, `SELECT MAX(
			COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'stories'), 0),
			COALESCE((SELECT MAX(id) FROM stories), 0)) + 1`).Scan(&next)
	return next, err
}

// rowsPerInsert bounds a multi-row INSERT: 12 placeholders a story stay far below SQLite's limit.
const rowsPerInsert = 50

// insertStories stores stories, whose ids and clusters are set, and their topics, in a few
// multi-row statements. The caller has made sure none of them is stored already.
func insertStories(ctx context.Context, tx *sql.Tx, stories []Story) error {
	for start := 0; start < len(stories); start += rowsPerInsert {
		part := stories[start:min(start+rowsPerInsert, len(stories))]
		args := make([]any, 0, 12*len(part))
		var topicArgs []any
		for _, st := range part {
			backlog, routed := 0, int64(0)
			if st.Backlog {
				// Backlog is never routed to chats: it is marked routed as it is stored.
				backlog, routed = 1, unix(st.FirstSeen)
			}
			args = append(args, st.ID, st.SourceID, st.Key, st.ClusterID, st.Title, st.Summary, st.Link,
				unix(st.Published), unix(st.FirstSeen), st.Language, backlog, routed)
			for _, tp := range st.Topics {
				topicArgs = append(topicArgs, st.ID, tp)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO stories
			(id, source_id, item_key, cluster_id, title, summary, link, published_at, first_seen_at, language, backlog, routed_at)
			VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?),", len(part)), ","),
			args...); err != nil {
			return fmt.Errorf("insert stories: %w", err)
		}
		if len(topicArgs) > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO story_topics (story_id, topic_id) VALUES `+
				strings.TrimSuffix(strings.Repeat("(?, ?),", len(topicArgs)/2), ","), topicArgs...); err != nil {
				return fmt.Errorf("tag stories: %w", err)
			}
		}
	}
	return nil
}

// storyColumns selects a story with its topics as a comma-separated list.
const storyColumns = `s.id, s.source_id, s.item_key, s.cluster_id, s.title, s.summary, s.link,
	s.published_at, s.first_seen_at, s.language, s.backlog,
	COALESCE((SELECT group_concat(topic_id, ',') FROM story_topics t WHERE t.story_id = s.id), '')`

func scanStories(rows *sql.Rows) ([]Story, error) {
	defer rows.Close()
	var out []Story
	for rows.Next() {
		var st Story
		var pub, seen int64
		var backlog int
		var topics string
		if err := rows.Scan(&st.ID, &st.SourceID, &st.Key, &st.ClusterID, &st.Title, &st.Summary, &st.Link,
			&pub, &seen, &st.Language, &backlog, &topics); err != nil {
			return nil, err
		}
		st.Published, st.FirstSeen, st.Backlog = fromUnix(pub), fromUnix(seen), backlog != 0
		if topics != "" {
			st.Topics = strings.Split(topics, ",")
			sort.Strings(st.Topics)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// Story returns the story with the given id, or an error wrapping sql.ErrNoRows.
func (s *Store) Story(ctx context.Context, id int64) (Story, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+storyColumns+` FROM stories s WHERE s.id = ?`, id)
	if err != nil {
		return Story{}, fmt.Errorf("digest: story %d: %w", id, err)
	}
	out, err := scanStories(rows)
	if err != nil {
		return Story{}, fmt.Errorf("digest: story %d: %w", id, err)
	}
	if len(out) == 0 {
		return Story{}, fmt.Errorf("digest: story %d: %w", id, sql.ErrNoRows)
	}
	return out[0], nil
}

// SeenSince returns the stories first seen at or after since, oldest first.
func (s *Store) SeenSince(ctx context.Context, since time.Time) ([]Story, error) {
	rows, err := s.db.Read.QueryContext(ctx,
		`SELECT `+storyColumns+` FROM stories s WHERE s.first_seen_at >= ? ORDER BY s.first_seen_at, s.id`, unix(since))
	if err != nil {
		return nil, fmt.Errorf("digest: stories since: %w", err)
	}
	out, err := scanStories(rows)
	if err != nil {
		return nil, fmt.Errorf("digest: stories since: %w", err)
	}
	return out, nil
}

// Latest returns up to limit newest stories, one per cluster, on any of topics (all topics when
// topics is empty), newest published first. Of a cluster it returns the first stored story that
// is on the topics: another outlet's report can carry a topic the first one lacked.
func (s *Store) Latest(ctx context.Context, topics []string, limit int) ([]Story, error) {
	match := `1`
	var args []any
	if len(topics) > 0 {
		match = `EXISTS (SELECT 1 FROM story_topics t WHERE t.story_id = x.id AND t.topic_id IN (` + placeholders(len(topics)) + `))`
		for _, tp := range topics {
			args = append(args, tp)
		}
	}
	q := `SELECT ` + storyColumns + ` FROM stories s WHERE s.id IN (
			SELECT MIN(x.id) FROM stories x WHERE ` + match + ` GROUP BY x.cluster_id)
		ORDER BY s.published_at DESC, s.id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("digest: latest: %w", err)
	}
	out, err := scanStories(rows)
	if err != nil {
		return nil, fmt.Errorf("digest: latest: %w", err)
	}
	return out, nil
}

// ClusterLinks returns every outlet's link to the news of cluster id, first stored first.
func (s *Store) ClusterLinks(ctx context.Context, clusterID int64) ([]Link, error) {
	rows, err := s.db.Read.QueryContext(ctx,
		`SELECT id, source_id, link FROM stories WHERE cluster_id = ? ORDER BY id`, clusterID)
	if err != nil {
		return nil, fmt.Errorf("digest: cluster links: %w", err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		var l Link
		if err := rows.Scan(&l.StoryID, &l.SourceID, &l.URL); err != nil {
			return nil, fmt.Errorf("digest: cluster links: %w", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digest: cluster links: %w", err)
	}
	return out, nil
}

// commit clusters and stores fresh stories and saves the source's state, in one transaction.
// Clustering happens under the pipeline's lock so that concurrent polls see each other's stories.
// byLink[i] says fresh[i]'s link identifies it: it is skipped when another source stored that
// link meanwhile (checked again here, inside the write transaction, since the check before it
// ran without the lock).
func (p *Pipeline) commit(ctx context.Context, fresh []Story, byLink []bool, state SourceState) ([]Story, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.ensureIndex(ctx, p.now().UTC()); err != nil {
		return nil, err
	}
	var added []*clusterDoc
	stored, err := p.store.store(ctx, p.now, p.index, p.terms, fresh, byLink, state, func(d *clusterDoc) { added = append(added, d) })
	if err != nil {
		// The index learnt stories that were rolled back: forget them again.
		p.index.remove(added)
		return nil, err
	}
	return stored, nil
}

func (s *Store) store(ctx context.Context, now func() time.Time, ix *clusterIndex, terms *words.TermCache, fresh []Story, byLink []bool, state SourceState, added func(*clusterDoc)) ([]Story, error) {
	tx, err := s.db.Write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("digest: store stories: %w", err)
	}
	defer tx.Rollback()
	// First seen is when the write lock was taken, not when the poll began: a digest that
	// covers stories first seen before T reads them after WriteBarrier, and every transaction
	// that stamped a time before T has then committed (see WriteBarrier).
	seen := now().UTC().Truncate(time.Second)
	// Keys and links stored meanwhile (a concurrent poll, another process), read again under
	// the write lock: after this nothing of fresh can conflict.
	var keys, links []string
	for i, st := range fresh {
		keys = append(keys, st.Key)
		if i < len(byLink) && byLink[i] {
			links = append(links, st.Link)
		}
	}
	takenKeys, err := knownKeys(ctx, tx, state.ID, keys)
	if err != nil {
		return nil, fmt.Errorf("digest: store stories: %w", err)
	}
	takenLinks, err := knownLinks(ctx, tx, state.ID, links)
	if err != nil {
		return nil, fmt.Errorf("digest: store stories: %w", err)
	}
	next, err := nextStoryID(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("digest: store stories: %w", err)
	}
	var stored []Story
	for i, st := range fresh {
		if takenKeys[st.Key] || (i < len(byLink) && byLink[i] && takenLinks[st.Link]) {
			continue
		}
		takenKeys[st.Key] = true
		if st.Published.Equal(st.FirstSeen) {
			st.Published = seen // an undated item is dated when it was first seen
		}
		st.FirstSeen = seen
		d := storyDoc(st, terms)
		st.ID, st.ClusterID = next, ix.match(d)
		next++
		if st.ClusterID == 0 {
			st.ClusterID = st.ID
		}
		d.id, d.cluster = st.ID, st.ClusterID
		ix.add(d)
		added(d)
		stored = append(stored, st)
	}
	if err := insertStories(ctx, tx, stored); err != nil {
		return nil, fmt.Errorf("digest: store stories: %w", err)
	}
	state.StoriesTotal += len(stored)
	if err := saveSource(ctx, tx, state); err != nil {
		return nil, fmt.Errorf("digest: save source %s: %w", state.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("digest: store stories: %w", err)
	}
	return stored, nil
}

// Unrouted returns up to limit stories, oldest first, that are neither backlog nor routed to
// chats yet: after a crash between storing and routing, these are what is left to route.
func (s *Store) Unrouted(ctx context.Context, limit int) ([]Story, error) {
	rows, err := s.db.Read.QueryContext(ctx,
		`SELECT `+storyColumns+` FROM stories s WHERE s.routed_at = 0 ORDER BY s.id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("digest: unrouted: %w", err)
	}
	out, err := scanStories(rows)
	if err != nil {
		return nil, fmt.Errorf("digest: unrouted: %w", err)
	}
	return out, nil
}

// MarkRouted records that deliveries of the stories with ids have been decided.
func (s *Store) MarkRouted(ctx context.Context, ids []int64, at time.Time) error {
	tx, err := s.db.Write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("digest: mark routed: %w", err)
	}
	defer tx.Rollback()
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args := []any{max(unix(at), 1)}
		for _, id := range part {
			args = append(args, id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE stories SET routed_at = ? WHERE routed_at = 0 AND id IN (`+placeholders(len(part))+`)`, args...); err != nil {
			return fmt.Errorf("digest: mark routed: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("digest: mark routed: %w", err)
	}
	return nil
}
