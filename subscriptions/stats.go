package subscriptions

import (
	"context"
	"database/sql"
	"fmt"
)

// ActiveChatIDs returns the ids of every active chat, private and group alike, in id order: the
// audience of /broadcast.
func (s *Store) ActiveChatIDs(ctx context.Context) ([]int64, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id FROM chats WHERE active = 1 ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: active chats: %w", err)
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("subscriptions: active chats: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: active chats: %w", err)
	}
	return ids, nil
}

// Stats counts the chats, for /stats.
type Stats struct {
	Chats    int            // every known chat
	Active   int            // the chats stories go to
	ByType   map[string]int // active chats by type (TypePrivate, TypeGroup, …)
	Inactive map[string]int // inactive chats by reason
	Topics   map[string]int // active chats following each configured topic; every topic has an entry
	// Languages counts active chats by interface language as chosen with /language, "" for
	// those that chose none, keyed "lang|language_code" so the caller can tell what they get.
	Languages map[string]int
	// Digest counts active chats by digest time: "scheduled", "own" (a time of their own) and
	// "off"; ModeDigest those that get topic stories only in their digest.
	Digest     map[string]int
	ModeDigest int
	Alerts     int // alerts of active chats
}

// Stats returns the counts as of one moment.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	st := Stats{ByType: map[string]int{}, Inactive: map[string]int{}, Topics: map[string]int{},
		Languages: map[string]int{}, Digest: map[string]int{}}
	for _, t := range s.topics.topics {
		st.Topics[t.ID] = 0
	}
	// One read transaction: the three counts see the same snapshot.
	tx, err := s.db.Read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Stats{}, fmt.Errorf("subscriptions: stats: %w", err)
	}
	defer tx.Rollback()
	count := func(query string, add func(key string, n int)) error {
		rows, err := tx.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var key string
			var n int
			if err := rows.Scan(&key, &n); err != nil {
				return err
			}
			add(key, n)
		}
		return rows.Err()
	}
	err = count(`SELECT type, COUNT(*) FROM chats WHERE active = 1 GROUP BY type`, func(k string, n int) {
		st.ByType[k] = n
		st.Active += n
		st.Chats += n
	})
	if err == nil {
		err = count(`SELECT inactive_reason, COUNT(*) FROM chats WHERE active = 0 GROUP BY inactive_reason`, func(k string, n int) {
			st.Inactive[k] = n
			st.Chats += n
		})
	}
	if err == nil {
		err = count(`SELECT t.topic_id, COUNT(*) FROM chat_topics AS t JOIN chats AS c ON c.id = t.chat_id
			WHERE c.active = 1 GROUP BY t.topic_id`, func(k string, n int) {
			if _, ok := st.Topics[k]; ok {
				st.Topics[k] = n
			}
		})
	}
	if err == nil {
		err = count(`SELECT language || '|' || language_code, COUNT(*) FROM chats WHERE active = 1 GROUP BY 1`,
			func(k string, n int) { st.Languages[k] = n })
	}
	if err == nil {
		err = count(`SELECT CASE digest_time WHEN '' THEN 'scheduled' WHEN 'off' THEN 'off' ELSE 'own' END, COUNT(*)
			FROM chats WHERE active = 1 GROUP BY 1`, func(k string, n int) { st.Digest[k] = n })
	}
	if err == nil {
		err = count(`SELECT 'digest', COUNT(*) FROM chats WHERE active = 1 AND mode = 'digest'`, func(_ string, n int) { st.ModeDigest = n })
	}
	if err == nil {
		err = count(`SELECT 'alerts', COUNT(*) FROM alerts a JOIN chats c ON c.id = a.chat_id WHERE c.active = 1`,
			func(_ string, n int) { st.Alerts = n })
	}
	if err != nil {
		return Stats{}, fmt.Errorf("subscriptions: stats: %w", err)
	}
	return st, nil
}
