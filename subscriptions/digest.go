package subscriptions

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Digest times and modes, as Chat.DigestTime and Chat.Mode hold them.
const (
	DigestScheduled = ""    // the bot's digest.schedule, in digest.timezone
	DigestOff       = "off" // no digest
	ModeInstant     = "instant"
	ModeDigest      = "digest"
)

// ErrBadDigestTime: not a time of day such as 08:30.
var ErrBadDigestTime = errors.New("not a time of day")

// ParseDigestTime reads a time of day as people type it — "8:30", "08:30", "8.30", "0830", "8" —
// and returns it as "HH:MM"; anything else is an error wrapping ErrBadDigestTime.
func ParseDigestTime(s string) (string, error) {
	s = strings.TrimSpace(s)
	h, m, ok := strings.Cut(s, ":")
	if !ok {
		h, m, ok = strings.Cut(s, ".")
	}
	if !ok {
		switch len(s) {
		case 1, 2:
			h, m = s, "0"
		case 4:
			h, m = s[:2], s[2:]
		default:
			return "", fmt.Errorf("%w: %q", ErrBadDigestTime, s)
		}
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || len(h) > 2 || len(m) > 2 || (ok && len(m) != 2) || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return "", fmt.Errorf("%w: %q", ErrBadDigestTime, s)
	}
	return fmt.Sprintf("%02d:%02d", hh, mm), nil
}

// SetDigestTime sets when chat id gets its digest: DigestScheduled, DigestOff or a time of day
// that ParseDigestTime reads (stored as "HH:MM", meant in the chat's own zone). It returns what
// was stored. Turning the digest off while the chat is in ModeDigest puts it back in
// ModeInstant: its stories would otherwise never come. An unknown chat is an error wrapping
// ErrNoChat; a bad time one wrapping ErrBadDigestTime.
func (s *Store) SetDigestTime(ctx context.Context, id int64, value string) (string, error) {
	if value != DigestScheduled && value != DigestOff {
		t, err := ParseDigestTime(value)
		if err != nil {
			return "", fmt.Errorf("subscriptions: set digest time %d: %w", id, err)
		}
		value = t
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.now().Unix()
		return updateOne(ctx, tx, `UPDATE chats SET digest_time = ?2,
				digest_changed_at = CASE WHEN digest_time = ?2 THEN digest_changed_at ELSE ?3 END,
				mode = CASE WHEN ?2 = 'off' THEN 'instant' ELSE mode END,
				updated_at = ?3
			WHERE id = ?1`, id, value, now)
	})
	if err != nil {
		return "", fmt.Errorf("subscriptions: set digest time %d: %w", id, err)
	}
	return value, nil
}

// SetMode sets whether chat id gets its topic stories as they arrive (ModeInstant) or only in
// its digest (ModeDigest). ModeDigest turns a digest that was off back on at the bot's schedule:
// the stories must come some time. It returns the chat as it is now.
func (s *Store) SetMode(ctx context.Context, id int64, mode string) (Chat, error) {
	if mode != ModeInstant && mode != ModeDigest {
		return Chat{}, fmt.Errorf("subscriptions: set mode %d: unknown mode %q", id, mode)
	}
	var c Chat
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.now().Unix()
		err := updateOne(ctx, tx, `UPDATE chats SET mode = ?2,
				digest_time = CASE WHEN ?2 = 'digest' AND digest_time = 'off' THEN '' ELSE digest_time END,
				digest_changed_at = CASE WHEN ?2 = 'digest' AND digest_time = 'off' THEN ?3 ELSE digest_changed_at END,
				updated_at = ?3
			WHERE id = ?1`, id, mode, now)
		if err != nil {
			return err
		}
		c, err = s.chat(ctx, tx, id)
		return err
	})
	if err != nil {
		return Chat{}, fmt.Errorf("subscriptions: set mode %d: %w", id, err)
	}
	return c, nil
}

// DigestGroup is a set of chats whose digests are due at the same moment: those on the bot's
// schedule (Time DigestScheduled, Timezone ""), or those with the same own time in the same
// zone (Timezone "" = the bot's default zone).
type DigestGroup struct {
	Time     string
	Timezone string
}

// DigestGroups returns the groups of active chats that follow a topic and get a digest: the
// scheduled group first (always, even when empty), then every own time and zone in use.
func (s *Store) DigestGroups(ctx context.Context) ([]DigestGroup, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT DISTINCT c.digest_time, c.timezone FROM chats c
		WHERE c.active = 1 AND c.digest_time NOT IN ('', 'off')
		  AND EXISTS (SELECT 1 FROM chat_topics t WHERE t.chat_id = c.id)
		ORDER BY c.digest_time, c.timezone`)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: digest groups: %w", err)
	}
	defer rows.Close()
	out := []DigestGroup{{}}
	for rows.Next() {
		var g DigestGroup
		if err := rows.Scan(&g.Time, &g.Timezone); err != nil {
			return nil, fmt.Errorf("subscriptions: digest groups: %w", err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: digest groups: %w", err)
	}
	return out, nil
}

// MinDigestGap is the least time between the end of a chat's last digest and a scheduled one.
// A chat's day is its local date where its digest time is kept, so changing the zone or the
// time (from the bot's schedule in Asia/Almaty to one's own evening in New York) can start a
// new "day" an hour after the last digest; the gap keeps that from sending a second one.
// An admin's /senddigest is not held back by it.
const MinDigestGap = 6 * time.Hour

// DigestChat is a chat a digest is due for.
type DigestChat struct {
	Chat
	// Since is where its last digest ended (zero: it never had one).
	Since time.Time
}

// DigestQuery selects the chats of a group that still lack their digest for a day.
type DigestQuery struct {
	Group DigestGroup
	Day   string // the day's key: its local date and zone, "YYYY-MM-DD Zone/Name"
	// Slot, when set, is the moment the digest was due: chats that had no topic yet then, or
	// changed their digest time after it, are left out (they did not miss it). Zero for an
	// admin's /senddigest, which is for everyone now.
	Slot    time.Time
	AfterID int64 // page: chats with a greater id; 0 = from the first (group ids are negative)
	Limit   int
}

// DueForDigest returns, in id order, up to q.Limit active chats of q.Group that follow a topic
// and have no digest recorded for q.Day (and, for a scheduled slot, none that ended within
// MinDigestGap before it).
func (s *Store) DueForDigest(ctx context.Context, q DigestQuery) ([]DigestChat, error) {
	slot := int64(1 << 62)
	if !q.Slot.IsZero() {
		slot = q.Slot.Unix()
	}
	after := q.AfterID
	if after == 0 {
		after = math.MinInt64 // no chat has id 0: it cannot be a page's last
	}
	group := `c.digest_time = ''`
	gap := int64(0)
	if !q.Slot.IsZero() {
		gap = int64(MinDigestGap / time.Second)
	}
	args := []any{q.Day, slot, after, q.Limit, q.Group.Time, q.Group.Timezone, gap}
	if q.Group.Time != DigestScheduled {
		// The literal NOT IN lets SQLite use the partial index chats_own_digest.
		group = `c.digest_time = ?5 AND c.timezone = ?6 AND c.digest_time NOT IN ('', 'off')`
	}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+chatColumns+`,
			COALESCE((SELECT MAX(d.until) FROM digests d WHERE d.chat_id = c.id), 0)
		FROM chats c
		WHERE c.id > ?3 AND c.active = 1 AND `+group+`
		  AND c.digest_changed_at <= ?2
		  AND EXISTS (SELECT 1 FROM chat_topics t WHERE t.chat_id = c.id AND t.created_at <= ?2)
		  AND NOT EXISTS (SELECT 1 FROM digests d WHERE d.chat_id = c.id AND d.day = ?1)
		  AND NOT EXISTS (SELECT 1 FROM digests d WHERE d.chat_id = c.id AND d.until > ?2 - ?7)
		ORDER BY c.id LIMIT ?4`, args...)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: chats due for a digest: %w", err)
	}
	defer rows.Close()
	var out []DigestChat
	for rows.Next() {
		var since int64
		c, err := s.scanChat(rows, &since)
		if err != nil {
			return nil, fmt.Errorf("subscriptions: chats due for a digest: %w", err)
		}
		out = append(out, DigestChat{Chat: c, Since: fromUnix(since)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: chats due for a digest: %w", err)
	}
	return out, nil
}

// LastDigest returns where chat id's last digest ended (zero: it never had one).
func (s *Store) LastDigest(ctx context.Context, id int64) (time.Time, error) {
	var until int64
	err := s.db.Read.QueryRowContext(ctx, `SELECT COALESCE(MAX(until), 0) FROM digests WHERE chat_id = ?`, id).Scan(&until)
	if err != nil {
		return time.Time{}, fmt.Errorf("subscriptions: last digest %d: %w", id, err)
	}
	return fromUnix(until), nil
}

// DigestDecision is a digest decided for one chat: the messages to send (Telegram HTML, in
// order; none for a quiet day without a note) and what it covered.
type DigestDecision struct {
	ChatID       int64
	Day          string // the day's key: the chat's local date and zone, "YYYY-MM-DD Zone/Name"
	Since, Until time.Time
	Stories      int
	Parts        []string
	RunID        int64 // the /senddigest that decided it; 0 for the schedule
}

// QueueDigests records the decided digests and queues their messages (class ClassBulk) in one
// transaction, and returns how many messages were queued. A chat that already has a digest for
// the day, or is no longer active, is skipped: whoever decides a digest, and however often, a
// chat gets one a day. Texts repeated across chats are stored once.
func (s *Store) QueueDigests(ctx context.Context, ds []DigestDecision) (int, error) {
	queued := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		queued = 0
		now := s.now().Unix()
		texts := map[string]int64{}
		record, err := tx.PrepareContext(ctx, `INSERT INTO digests (chat_id, day, since, until, stories, messages, decided_at)
			SELECT id, ?2, ?3, ?4, ?5, ?6, ?7 FROM chats WHERE id = ?1 AND active = 1
			ON CONFLICT (chat_id, day) DO NOTHING`)
		if err != nil {
			return err
		}
		defer record.Close()
		enqueue, err := tx.PrepareContext(ctx, `INSERT INTO outbox (chat_id, kind, class, text_id, run_id, created_at, updated_at)
			VALUES (?, 'digest', ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer enqueue.Close()
		for _, d := range ds {
			res, err := record.ExecContext(ctx, d.ChatID, d.Day, d.Since.Unix(), d.Until.Unix(), d.Stories, len(d.Parts), now)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				continue
			}
			for _, p := range d.Parts {
				id, err := sharedText(ctx, tx, texts, p)
				if err != nil {
					return err
				}
				if _, err := enqueue.ExecContext(ctx, d.ChatID, int(ClassBulk), id, d.RunID, now, now); err != nil {
					return err
				}
				queued++
			}
			if d.RunID > 0 && len(d.Parts) > 0 {
				// The run's total grows with what it queued, in the same transaction: an
				// interrupted /senddigest reports what it did queue.
				if _, err := tx.ExecContext(ctx, `UPDATE runs SET total = total + ? WHERE id = ?`, len(d.Parts), d.RunID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("subscriptions: queue digests: %w", err)
	}
	return queued, nil
}

// sharedText stores text once in outbox_texts and returns its id; seen caches the ids of this
// transaction.
func sharedText(ctx context.Context, tx *sql.Tx, seen map[string]int64, text string) (int64, error) {
	sum := sha256.Sum256([]byte(text))
	hash := hex.EncodeToString(sum[:])
	if id, ok := seen[hash]; ok {
		return id, nil
	}
	// Most texts were stored by an earlier batch of the same run: look before writing.
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM outbox_texts WHERE hash = ?`, hash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = tx.QueryRowContext(ctx, `INSERT INTO outbox_texts (hash, text) VALUES (?, ?) RETURNING id`, hash, text).Scan(&id)
	}
	if err != nil {
		return 0, err
	}
	seen[hash] = id
	return id, nil
}

// PruneDigests forgets digest records decided before before, except each chat's latest (where
// its next digest starts), and finished bulk runs older than before; it returns how many rows
// went. Keep more than a day and MinDigestGap: the records of the last days are what stop a
// second digest on one day.
func (s *Store) PruneDigests(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM digests WHERE decided_at < ?1
			AND until < (SELECT MAX(l.until) FROM digests l WHERE l.chat_id = digests.chat_id)`, before.Unix())
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		res, err = tx.ExecContext(ctx, `DELETE FROM runs WHERE state IN ('done', 'cancelled') AND finished_at < ?1
			AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.run_id = runs.id AND o.run_id > 0)`, before.Unix())
		if err != nil {
			return err
		}
		m, err := res.RowsAffected()
		n += m
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("subscriptions: prune digests: %w", err)
	}
	return n, nil
}
