package subscriptions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"newsbot/migrations"
)

// Limits bound what one chat may have.
type Limits struct {
	// MaxTopics is the most topics one chat may follow; 0 (or less) means every configured topic.
	MaxTopics int
	// MaxAlerts is the most keyword alerts one chat may have; 0 means DefaultMaxAlerts.
	MaxAlerts int
}

// Store keeps chats, their settings, topics and deliveries in SQLite. It is safe for concurrent
// use: writes are serialised by the database's single writer connection, and each method is one
// transaction.
type Store struct {
	db     *migrations.DB
	topics *Catalog
	limits Limits
	now    func() time.Time
}

// NewStore returns a Store over an opened, migrated database. topics is the configured catalog
// (nil: none); limits with zero fields take the defaults documented on Limits; now is the clock
// (nil: time.Now).
func NewStore(db *migrations.DB, topics *Catalog, limits Limits, now func() time.Time) *Store {
	if topics == nil {
		topics, _ = NewCatalog(nil)
	}
	if limits.MaxTopics <= 0 {
		limits.MaxTopics = topics.Len()
	}
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, topics: topics, limits: limits, now: now}
}

// Topics returns the catalog the store checks topic ids against.
func (s *Store) Topics() *Catalog { return s.topics }

// Now is the store's clock: the time its methods take as now.
func (s *Store) Now() time.Time { return s.now() }

// Limits returns the limits in force, defaults filled in.
func (s *Store) Limits() Limits { return s.limits }

// write runs fn in a write transaction and commits it when fn succeeds.
func (s *Store) write(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.Write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// chatColumns selects a chat with its topics as a JSON array.
const chatColumns = `c.id, c.type, c.title, c.language, c.language_code, c.timezone, c.active,
	c.inactive_reason, c.inactive_since, c.created_at, c.updated_at, c.digest_time, c.digest_changed_at, c.mode,
	(SELECT json_group_array(t.topic_id) FROM chat_topics AS t WHERE t.chat_id = c.id)`

// chat reads chat id through q, or returns ErrNoChat.
func (s *Store) chat(ctx context.Context, q queryer, id int64) (Chat, error) {
	c, err := s.scanChat(q.QueryRowContext(ctx, `SELECT `+chatColumns+` FROM chats AS c WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Chat{}, ErrNoChat
	}
	return c, err
}

// scanChat reads a row of chatColumns (plus extra, scanned after them).
func (s *Store) scanChat(row interface{ Scan(...any) error }, extra ...any) (Chat, error) {
	var c Chat
	var active int
	var since, created, updated, digestChanged int64
	var topics string
	err := row.Scan(append([]any{&c.ID, &c.Type, &c.Title, &c.Language, &c.LanguageCode, &c.Timezone, &active,
		&c.InactiveReason, &since, &created, &updated, &c.DigestTime, &digestChanged, &c.Mode, &topics}, extra...)...)
	if err != nil {
		return Chat{}, err
	}
	var ids []string
	if err := json.Unmarshal([]byte(topics), &ids); err != nil {
		return Chat{}, fmt.Errorf("topics of chat %d: %w", c.ID, err)
	}
	c.Active = active != 0
	c.InactiveSince, c.CreatedAt, c.UpdatedAt = fromUnix(since), fromUnix(created), fromUnix(updated)
	c.DigestChangedAt = fromUnix(digestChanged)
	c.Topics = s.topics.order(ids)
	return c, nil
}

// Chat returns chat id, or an error wrapping ErrNoChat when it is unknown.
func (s *Store) Chat(ctx context.Context, id int64) (Chat, error) {
	c, err := s.chat(ctx, s.db.Read, id)
	if err != nil {
		return Chat{}, fmt.Errorf("subscriptions: chat %d: %w", id, err)
	}
	return c, nil
}

// Touch records that an update came from the chat info describes, and returns the chat as
// stored. An unknown chat is created active, with no topics, no language and no time zone, and
// created is true: the bot greets it. A known chat gets its type, and its title and language
// code when info has them, refreshed; nothing else changes. In particular Touch does not
// reactivate an inactive chat: that takes an explicit SetActive (on /start). Call it for every
// update: when nothing changed it only reads, so it does not wait for the writer.
func (s *Store) Touch(ctx context.Context, info ChatInfo) (chat Chat, created bool, err error) {
	if info.ID == 0 {
		return Chat{}, false, errors.New("subscriptions: touch: chat id 0")
	}
	if !knownType(info.Type) {
		return Chat{}, false, fmt.Errorf("subscriptions: touch %d: unknown chat type %q", info.ID, info.Type)
	}
	if c, err := s.chat(ctx, s.db.Read, info.ID); err == nil && current(c, info) {
		return c, false, nil
	}
	now := s.now().Unix()
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO chats (id, type, title, language_code, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`,
			info.ID, info.Type, info.Title, info.LanguageCode, now, now)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		created = n > 0
		if !created {
			if _, err := tx.ExecContext(ctx, `UPDATE chats SET type = ?2,
					title = CASE WHEN ?3 = '' THEN title ELSE ?3 END,
					language_code = CASE WHEN ?4 = '' THEN language_code ELSE ?4 END,
					updated_at = ?5
				WHERE id = ?1 AND (type != ?2 OR (?3 != '' AND title != ?3) OR (?4 != '' AND language_code != ?4))`,
				info.ID, info.Type, info.Title, info.LanguageCode, now); err != nil {
				return err
			}
		}
		chat, err = s.chat(ctx, tx, info.ID)
		return err
	})
	if err != nil {
		return Chat{}, false, fmt.Errorf("subscriptions: touch %d: %w", info.ID, err)
	}
	return chat, created, nil
}

// current reports whether c already holds everything info says.
func current(c Chat, info ChatInfo) bool {
	return c.Type == info.Type &&
		(info.Title == "" || c.Title == info.Title) &&
		(info.LanguageCode == "" || c.LanguageCode == info.LanguageCode)
}

// SetActive marks chat id active or inactive. An inactive chat keeps its settings and topics but
// is left out of routing and broadcasts: the bot calls SetActive(false, reason) when Telegram
// answers 403 (reason in a word, e.g. "blocked", "kicked"), and SetActive(true, "") on /start.
// Reactivating clears the reason; deactivating an inactive chat again keeps the time it
// stopped but takes the new reason. It returns an error wrapping ErrNoChat for an unknown chat.
func (s *Store) SetActive(ctx context.Context, id int64, active bool, reason string) error {
	if active {
		reason = ""
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.now().Unix()
		if err := updateOne(ctx, tx, `UPDATE chats SET active = ?2,
				inactive_reason = ?3,
				inactive_since = CASE WHEN ?2 THEN 0 WHEN active = 1 THEN ?4 ELSE inactive_since END,
				updated_at = ?4
			WHERE id = ?1`, id, active, reason, now); err != nil {
			return err
		}
		if active {
			return nil
		}
		// Nothing more can reach it: its queue is dropped, with the reason, not left to rot.
		return dropQueue(ctx, tx, id, reason, now)
	})
	if err != nil {
		return fmt.Errorf("subscriptions: set active %d: %w", id, err)
	}
	return nil
}

// updateOne runs a statement that changes the row of one chat, and returns ErrNoChat when it
// changed none.
func updateOne(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNoChat
	}
	return nil
}

// Forget deletes chat id and everything about it: settings, topics and the record of what it
// was sent (/stop). A later Touch creates it afresh. It returns an error wrapping ErrNoChat when
// the chat is unknown, for instance because it was forgotten already.
func (s *Store) Forget(ctx context.Context, id int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		// The rest goes by ON DELETE CASCADE.
		return updateOne(ctx, tx, `DELETE FROM chats WHERE id = ?`, id)
	})
	if err != nil {
		return fmt.Errorf("subscriptions: forget %d: %w", id, err)
	}
	return nil
}

// MoveChat carries chat from over to chat to, for a group Telegram upgraded to a supergroup
// (which gets a new id: the old one answers "group chat was upgraded", with migrate_to_chat_id).
// The topics and the record of deliveries move; so do the language, time zone and active state
// unless to is already known, in which case its own settings win where it has any. Chat from is
// deleted. It returns an error wrapping ErrNoChat when from is unknown.
func (s *Store) MoveChat(ctx context.Context, from, to int64) error {
	if to == 0 {
		return errors.New("subscriptions: move chat: chat id 0")
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if from == to {
			_, err := s.chat(ctx, tx, from)
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO chats (id, type, title, language, language_code, timezone,
				active, inactive_reason, inactive_since, created_at, updated_at, digest_time, digest_changed_at, mode)
			SELECT ?2, type, title, language, language_code, timezone,
				active, inactive_reason, inactive_since, created_at, ?3, digest_time, digest_changed_at, mode
			FROM chats WHERE id = ?1
			ON CONFLICT (id) DO UPDATE SET
				language = CASE WHEN chats.language = '' THEN excluded.language ELSE chats.language END,
				timezone = CASE WHEN chats.timezone = '' THEN excluded.timezone ELSE chats.timezone END,
				digest_time = CASE WHEN chats.digest_changed_at = 0 THEN excluded.digest_time ELSE chats.digest_time END,
				digest_changed_at = MAX(chats.digest_changed_at, excluded.digest_changed_at),
				mode = CASE WHEN chats.mode = 'instant' THEN excluded.mode ELSE chats.mode END,
				updated_at = excluded.updated_at`,
			from, to, s.now().Unix())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNoChat
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO chat_topics (chat_id, topic_id, created_at)
			SELECT ?2, topic_id, created_at FROM chat_topics WHERE chat_id = ?1
			ON CONFLICT (chat_id, topic_id) DO NOTHING`, from, to); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO deliveries (chat_id, cluster_id, story_id, decided_at)
			SELECT ?2, cluster_id, story_id, decided_at FROM deliveries WHERE chat_id = ?1
			ON CONFLICT (chat_id, cluster_id) DO NOTHING`, from, to); err != nil {
			return err
		}
		// So does the record of its digests: the day's digest is not sent again under the new id.
		if _, err := tx.ExecContext(ctx, `INSERT INTO digests (chat_id, day, since, until, stories, messages, decided_at)
			SELECT ?2, day, since, until, stories, messages, decided_at FROM digests WHERE chat_id = ?1
			ON CONFLICT (chat_id, day) DO NOTHING`, from, to); err != nil {
			return err
		}
		// Its queue and its alerts follow it: they are for the same people.
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET chat_id = ?2 WHERE chat_id = ?1`, from, to); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE alerts SET chat_id = ?2 WHERE chat_id = ?1
			AND key NOT IN (SELECT key FROM alerts WHERE chat_id = ?2)`, from, to); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM chats WHERE id = ?`, from)
		return err
	})
	if err != nil {
		return fmt.Errorf("subscriptions: move chat %d to %d: %w", from, to, err)
	}
	return nil
}
