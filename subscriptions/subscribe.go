package subscriptions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Subscribe makes chat id follow the topic with id topicID, which must be a catalog id exactly
// (turn what users type into one with Catalog.Resolve). added is false when the chat followed it
// already. Errors wrap ErrUnknownTopic, ErrNoChat, or ErrTooManyTopics when the chat already
// follows Limits.MaxTopics topics.
func (s *Store) Subscribe(ctx context.Context, id int64, topicID string) (added bool, err error) {
	if _, ok := s.topics.Topic(topicID); !ok {
		return false, fmt.Errorf("subscriptions: subscribe %d to %q: %w", id, topicID, ErrUnknownTopic)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		have, err := chatTopics(ctx, tx, id)
		if err != nil {
			return err
		}
		if slices.Contains(have, topicID) {
			return nil
		}
		added = true
		return s.add(ctx, tx, id, topicID, have)
	})
	if err != nil {
		return false, fmt.Errorf("subscriptions: subscribe %d to %q: %w", id, topicID, err)
	}
	return added, nil
}

// Unsubscribe makes chat id stop following topic topicID. removed is false when it did not
// follow it. A topicID the catalog does not know is an error wrapping ErrUnknownTopic unless the
// chat follows it (a topic since removed from the configuration); an unknown chat is an error
// wrapping ErrNoChat.
func (s *Store) Unsubscribe(ctx context.Context, id int64, topicID string) (removed bool, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		have, err := chatTopics(ctx, tx, id)
		if err != nil {
			return err
		}
		if !slices.Contains(have, topicID) {
			if _, ok := s.topics.Topic(topicID); !ok {
				return ErrUnknownTopic
			}
			return nil
		}
		removed = true
		return s.remove(ctx, tx, id, topicID)
	})
	if err != nil {
		return false, fmt.Errorf("subscriptions: unsubscribe %d from %q: %w", id, topicID, err)
	}
	return removed, nil
}

// Toggle flips whether chat id follows topic topicID, for the inline picker, and returns whether
// it follows it now. Errors are those of Subscribe and Unsubscribe.
func (s *Store) Toggle(ctx context.Context, id int64, topicID string) (subscribed bool, err error) {
	_, known := s.topics.Topic(topicID)
	err = s.write(ctx, func(tx *sql.Tx) error {
		have, err := chatTopics(ctx, tx, id)
		if err != nil {
			return err
		}
		if slices.Contains(have, topicID) {
			return s.remove(ctx, tx, id, topicID)
		}
		if !known {
			return ErrUnknownTopic
		}
		subscribed = true
		return s.add(ctx, tx, id, topicID, have)
	})
	if err != nil {
		return false, fmt.Errorf("subscriptions: toggle %q for %d: %w", topicID, id, err)
	}
	return subscribed, nil
}

// chatTopics returns the topic ids chat id follows as stored, or ErrNoChat.
func chatTopics(ctx context.Context, tx *sql.Tx, id int64) ([]string, error) {
	var raw string
	err := tx.QueryRowContext(ctx, `SELECT (SELECT json_group_array(t.topic_id) FROM chat_topics AS t
		WHERE t.chat_id = c.id) FROM chats AS c WHERE c.id = ?`, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoChat
	}
	if err != nil {
		return nil, err
	}
	var ids []string
	if err := json.Unmarshal([]byte(raw), &ids); err != nil {
		return nil, fmt.Errorf("topics of chat %d: %w", id, err)
	}
	return ids, nil
}

// add subscribes chat id to topicID, which it does not follow, given the topics it has.
func (s *Store) add(ctx context.Context, tx *sql.Tx, id int64, topicID string, have []string) error {
	// Topics removed from the configuration do not count: the user can neither see nor drop them.
	if len(s.topics.order(have)) >= s.limits.MaxTopics {
		return fmt.Errorf("%w (at most %d)", ErrTooManyTopics, s.limits.MaxTopics)
	}
	now := s.now().Unix()
	if _, err := tx.ExecContext(ctx, `INSERT INTO chat_topics (chat_id, topic_id, created_at) VALUES (?, ?, ?)`,
		id, topicID, now); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE chats SET updated_at = ? WHERE id = ?`, now, id)
	return err
}

// remove unsubscribes chat id from topicID, which it follows.
func (s *Store) remove(ctx context.Context, tx *sql.Tx, id int64, topicID string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM chat_topics WHERE chat_id = ? AND topic_id = ?`, id, topicID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE chats SET updated_at = ? WHERE id = ?`, s.now().Unix(), id)
	return err
}
