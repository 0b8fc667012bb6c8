package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Class is a message's priority, highest first: a waiting alert goes before any topic push, and
// a push before any message of a 100,000-chat digest.
type Class int

// Priority classes.
const (
	ClassReply Class = iota // answers to commands
	ClassAlert              // keyword alerts
	ClassPush               // topic stories as they arrive
	ClassBulk               // digests and broadcasts
)

// Message kinds in the outbox.
const (
	KindPush      = "push"
	KindAlert     = "alert"
	KindDigest    = "digest"
	KindBroadcast = "broadcast"
	KindReply     = "reply"
)

// Outgoing is one message in the outbox.
type Outgoing struct {
	ID       int64
	ChatID   int64
	ChatType string // private, group, supergroup, channel
	Kind     string
	Class    Class
	StoryID  int64  // the story to render (push, alert); 0 for texts
	Text     string // pre-rendered Telegram HTML; "" for stories
	Attempts int
	Created  time.Time
	RunID    int64 // the admin's bulk send (broadcast, /senddigest) it belongs to; 0 = none
}

// enqueuePushesSQL queues a push per (chat, story) of ?1, a JSON array of {"c": chat, "s": story}.
const enqueuePushesSQL = `INSERT INTO outbox (chat_id, kind, class, story_id, created_at, updated_at)
	SELECT value ->> 'c', 'push', 2, value ->> 's', ?2, ?2 FROM json_each(?1)`

// ErrInactive is returned when a message is queued for a chat the bot cannot reach.
var ErrInactive = errors.New("chat is inactive")

// EnqueueText queues a pre-rendered message for an active chat; ErrNoChat or ErrInactive
// otherwise. Features that decide to send (alerts, digests, broadcasts) should queue in the
// transaction of their decision; this is the single-message form.
func (s *Store) EnqueueText(ctx context.Context, chatID int64, kind string, class Class, text string) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.now().Unix()
		var active bool
		if err := tx.QueryRowContext(ctx, `SELECT active FROM chats WHERE id = ?`, chatID).Scan(&active); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNoChat
			}
			return err
		}
		if !active {
			return ErrInactive
		}
		return tx.QueryRowContext(ctx, `INSERT INTO outbox (chat_id, kind, class, text, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, chatID, kind, int(class), text, now, now).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("subscriptions: enqueue %s for %d: %w", kind, chatID, err)
	}
	return id, nil
}

// outgoingColumns selects an outbox row; a shared text (outbox_texts) is read in place of its own.
const outgoingColumns = `o.id, o.chat_id, c.type, o.kind, o.class, o.story_id,
	CASE WHEN o.text_id > 0 THEN COALESCE((SELECT x.text FROM outbox_texts x WHERE x.id = o.text_id), '') ELSE o.text END,
	o.attempts, o.created_at, o.run_id`

func scanOutgoing(rows *sql.Rows) ([]Outgoing, error) {
	defer rows.Close()
	var out []Outgoing
	for rows.Next() {
		var m Outgoing
		var created int64
		var class int
		if err := rows.Scan(&m.ID, &m.ChatID, &m.ChatType, &m.Kind, &class, &m.StoryID, &m.Text, &m.Attempts, &created, &m.RunID); err != nil {
			return nil, err
		}
		m.Class, m.Created = Class(class), fromUnix(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Heads returns, for up to limit active chats with no message in flight, that chat's first
// queued message by class and age, when it is due (its not_before passed); the whole list ordered
// by class and age. These are the dispatcher's candidates: a chat's messages go out one at a
// time and in order — a message waiting out a 429 holds back the chat's later ones — and
// different chats' in parallel. The scan is driven by outbox_due: without statistics SQLite would
// otherwise pick another index and sort every queued row.
func (s *Store) Heads(ctx context.Context, limit int) ([]Outgoing, error) {
	now := s.now().Unix()
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+outgoingColumns+`
		FROM outbox o INDEXED BY outbox_due JOIN chats c ON c.id = o.chat_id
		WHERE o.state = 'queued' AND o.not_before <= ?1 AND c.active = 1
		  AND o.id = (SELECT h.id FROM outbox h
		              WHERE h.chat_id = o.chat_id AND h.state = 'queued'
		              ORDER BY h.class, h.id LIMIT 1)
		  AND NOT EXISTS (SELECT 1 FROM outbox f WHERE f.chat_id = o.chat_id AND f.state = 'sending')
		ORDER BY o.class, o.id
		LIMIT ?2`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: outbox heads: %w", err)
	}
	out, err := scanOutgoing(rows)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: outbox heads: %w", err)
	}
	return out, nil
}

// NextDue returns when the earliest queued message that was not due at since becomes due (it
// may be due already), or the zero time when there is none. Pass the time the queue was last
// read (Heads): a message that came due between that reading and this call is then not missed,
// where the dispatcher would otherwise sleep until woken. Times are stored to the second.
func (s *Store) NextDue(ctx context.Context, since time.Time) (time.Time, error) {
	var at sql.NullInt64
	if err := s.db.Read.QueryRowContext(ctx, `SELECT MIN(not_before) FROM outbox WHERE state = 'queued' AND not_before > ?`,
		since.Unix()).Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("subscriptions: outbox next due: %w", err)
	}
	return fromUnix(at.Int64), nil
}

// Claim marks head and, when it is a push, up to max-1 more queued pushes of the same chat as
// being sent, and returns them in order: pushes for one chat are sent bundled. A message another
// dispatcher claimed meanwhile is left out; an empty result means head was taken.
func (s *Store) Claim(ctx context.Context, head Outgoing, max int) ([]Outgoing, error) {
	var out []Outgoing
	err := s.write(ctx, func(tx *sql.Tx) error {
		limit := 1
		if head.Kind == KindPush {
			limit = max
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+outgoingColumns+`
			FROM outbox o JOIN chats c ON c.id = o.chat_id
			WHERE o.chat_id = ?1 AND o.state = 'queued' AND o.not_before <= ?2
			  AND (o.id = ?3 OR (?4 = 'push' AND o.kind = 'push'))
			ORDER BY o.id LIMIT ?5`, head.ChatID, s.now().Unix(), head.ID, head.Kind, limit)
		if err != nil {
			return err
		}
		if out, err = scanOutgoing(rows); err != nil {
			return err
		}
		ids := idsOf(out)
		if len(ids) == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?
			WHERE id IN (`+placeholders(len(ids))+`)`, append([]any{s.now().Unix()}, anys(ids)...)...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("subscriptions: claim %d: %w", head.ID, err)
	}
	for i := range out {
		out[i].Attempts++
	}
	return out, nil
}

// Sent records that the messages with ids went out as Telegram message messageID.
func (s *Store) Sent(ctx context.Context, ids []int64, messageID int) error {
	return s.finish(ctx, "sent", ids, `message_id = ?`, messageID)
}

// Requeue puts the messages with ids back in the queue, not to be sent before notBefore, with
// why they were not sent.
func (s *Store) Requeue(ctx context.Context, ids []int64, notBefore time.Time, why string) error {
	return s.finish(ctx, "queued", ids, `not_before = ?, error = ?`, notBefore.Unix(), clipError(why))
}

// Failed records that the messages with ids were given up on, and why.
func (s *Store) Failed(ctx context.Context, ids []int64, why string) error {
	return s.finish(ctx, "failed", ids, `error = ?`, clipError(why))
}

// Dropped records that the messages with ids will not be sent (their chat cannot be reached),
// and why.
func (s *Store) Dropped(ctx context.Context, ids []int64, why string) error {
	return s.finish(ctx, "dropped", ids, `error = ?`, clipError(why))
}

// finish moves messages that are being sent to state. Only rows still 'sending' change: a late
// answer must not bring back a message that was dropped (its chat blocked the bot) meanwhile.
func (s *Store) finish(ctx context.Context, state string, ids []int64, set string, args ...any) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		q := `UPDATE outbox SET state = ?, updated_at = ?, ` + set + ` WHERE state = 'sending' AND id IN (` + placeholders(len(ids)) + `)`
		all := append(append([]any{state, s.now().Unix()}, args...), anys(ids)...)
		_, err := tx.ExecContext(ctx, q, all...)
		return err
	})
	if err != nil {
		return fmt.Errorf("subscriptions: outbox %s: %w", state, err)
	}
	return nil
}

// RecoverSending queues again the messages a crash left in flight, and returns how many. Run it
// once at start, before dispatching. Those whose send reached Telegram before the crash will
// arrive twice: at most one duplicate per message in flight.
func (s *Store) RecoverSending(ctx context.Context) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'queued', updated_at = ?,
			error = 'interrupted: resent after a restart' WHERE state = 'sending'`, s.now().Unix())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("subscriptions: recover outbox: %w", err)
	}
	return n, nil
}

// dropQueue marks a chat's unsent messages dropped, with why. Called where the chat becomes
// inactive.
func dropQueue(ctx context.Context, tx *sql.Tx, chatID int64, why string, now int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'dropped', error = ?, updated_at = ?
		WHERE chat_id = ? AND state IN ('queued', 'sending')`, clipError(why), now, chatID)
	return err
}

// OutboxStats describes the queue for /stats and metrics.
type OutboxStats struct {
	Queued       map[string]int // waiting, by kind
	Sending      int
	Sent         int // in the window
	Failed       int // in the window
	Dropped      int // in the window
	Retried      int // sent or waiting after more than one attempt, in the window
	OldestQueued time.Duration
}

// OutboxStats counts the queue now, and what was finished since since.
func (s *Store) OutboxStats(ctx context.Context, since time.Time) (OutboxStats, error) {
	st := OutboxStats{Queued: map[string]int{}}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT kind, COUNT(*) FROM outbox WHERE state = 'queued' GROUP BY kind`)
	if err != nil {
		return st, fmt.Errorf("subscriptions: outbox stats: %w", err)
	}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			rows.Close()
			return st, fmt.Errorf("subscriptions: outbox stats: %w", err)
		}
		st.Queued[kind] = n
	}
	rows.Close()
	var oldest sql.NullInt64
	err = s.db.Read.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM outbox WHERE state = 'sending'),
			(SELECT COUNT(*) FROM outbox WHERE state = 'sent' AND updated_at >= ?1),
			(SELECT COUNT(*) FROM outbox WHERE state = 'failed' AND updated_at >= ?1),
			(SELECT COUNT(*) FROM outbox WHERE state = 'dropped' AND updated_at >= ?1),
			(SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'sending', 'sent', 'failed', 'dropped')
				AND updated_at >= ?1 AND attempts > 1),
			(SELECT MIN(created_at) FROM outbox WHERE state = 'queued')`, since.Unix()).
		Scan(&st.Sending, &st.Sent, &st.Failed, &st.Dropped, &st.Retried, &oldest)
	if err != nil {
		return st, fmt.Errorf("subscriptions: outbox stats: %w", err)
	}
	if oldest.Valid {
		st.OldestQueued = s.now().Sub(fromUnix(oldest.Int64))
	}
	return st, nil
}

// PruneOutbox forgets messages finished (sent, failed, dropped) before before.
func (s *Store) PruneOutbox(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE state IN ('sent', 'failed', 'dropped') AND updated_at < ?`, before.Unix())
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		// Shared texts go with the last row that used them.
		_, err = tx.ExecContext(ctx, `DELETE FROM outbox_texts WHERE id NOT IN (SELECT text_id FROM outbox WHERE text_id > 0)`)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("subscriptions: prune outbox: %w", err)
	}
	return n, nil
}

func idsOf(ms []Outgoing) []int64 {
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}

func anys(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

func clipError(s string) string {
	if len(s) > 500 {
		return s[:500]
	}
	return s
}

// Attempts returns the most tries any of the messages with ids has had, and when the oldest of
// them was queued.
func (s *Store) Attempts(ctx context.Context, ids []int64) (int, time.Time) {
	if len(ids) == 0 {
		return 0, s.now()
	}
	var n, created sql.NullInt64
	_ = s.db.Read.QueryRowContext(ctx, `SELECT MAX(attempts), MIN(created_at) FROM outbox WHERE id IN (`+placeholders(len(ids))+`)`,
		anys(ids)...).Scan(&n, &created)
	if !created.Valid {
		return int(n.Int64), s.now()
	}
	return int(n.Int64), fromUnix(created.Int64)
}
