package subscriptions

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// StoryRef is what routing needs to know of a new story.
type StoryRef struct {
	StoryID   int64
	ClusterID int64    // the cluster's first story; 0 means the story starts its own (StoryID)
	Topics    []string // the topics it belongs to
}

// Push is the stories one chat is to be sent.
type Push struct {
	ChatID   int64
	StoryIDs []int64 // in the order of the stories given to Route
}

// routeSQL decides deliveries for the stories in ?1, a JSON array of {"s": story, "c": cluster,
// "t": [topics]}, at time ?2, and returns those it recorded. For each active chat following any
// topic of a story it picks, per cluster, the story that comes first in the input (in SQLite
// the bare story_id of a GROUP BY row with MIN(pos) comes from the row that has the minimum),
// and the primary key of deliveries drops the chat×cluster pairs decided before. input is
// MATERIALIZED because, flattened into the join, its JSON would be parsed again for every
// joined row, which doubles the time.
const routeSQL = `WITH input (pos, story_id, cluster_id, topic_id) AS MATERIALIZED (
		SELECT s.key, s.value ->> 's', s.value ->> 'c', t.value
		FROM json_each(?1) AS s, json_each(s.value, '$.t') AS t
	),
	matched (chat_id, cluster_id, story_id, pos) AS (
		SELECT ct.chat_id, i.cluster_id, i.story_id, MIN(i.pos)
		FROM input AS i
		JOIN chat_topics AS ct ON ct.topic_id = i.topic_id
		JOIN chats AS c ON c.id = ct.chat_id
		WHERE c.active = 1 AND c.mode = 'instant'
		GROUP BY ct.chat_id, i.cluster_id
	)
	INSERT INTO deliveries (chat_id, cluster_id, story_id, decided_at)
	SELECT chat_id, cluster_id, story_id, ?2 FROM matched WHERE true
	ON CONFLICT (chat_id, cluster_id) DO NOTHING
	RETURNING chat_id, story_id`

// routeInput is one story as routeSQL reads it.
type routeInput struct {
	Story   int64    `json:"s"`
	Cluster int64    `json:"c"`
	Topics  []string `json:"t"`
}

// Route decides which active chats get which of stories, and records the decision before
// anything is sent: in one write transaction, every active chat in instant mode (ModeInstant)
// following any topic of a story gets the story (chats in ModeDigest read it in their digest),
// unless it already has a story of the same cluster, from an earlier Route or from an earlier
// story of this one. So a story reaches a chat at most once per cluster, however
// many of its topics the chat follows and however often the stories are routed: a second call
// with the same stories returns nothing. The pushes come ordered by chat id, each chat's stories
// in the order of stories. Each push is queued in the outbox in the same transaction, for the
// delivery engine to send: a crash after Route loses nothing.
//
// The cost is in the deliveries decided, a few µs each (BenchmarkRoute: 100 stories to 10,000
// chats that follow every topic decide 720,000 in 2 to 3 s), and the writer is held meanwhile;
// callers with very large batches may route them in parts.
func (s *Store) Route(ctx context.Context, stories []StoryRef) ([]Push, error) {
	if len(stories) == 0 {
		return nil, nil
	}
	in := make([]routeInput, len(stories))
	pos := make(map[int64]int, len(stories)) // story id → its first place in stories
	for i, st := range stories {
		if st.StoryID <= 0 || st.ClusterID < 0 {
			return nil, fmt.Errorf("subscriptions: route: story %d of cluster %d: ids must be positive", st.StoryID, st.ClusterID)
		}
		cluster := st.ClusterID
		if cluster == 0 {
			cluster = st.StoryID
		}
		topics := st.Topics
		if topics == nil {
			topics = []string{}
		}
		in[i] = routeInput{Story: st.StoryID, Cluster: cluster, Topics: topics}
		if _, seen := pos[st.StoryID]; !seen {
			pos[st.StoryID] = i
		}
	}
	arg, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: route: %w", err)
	}
	byChat := map[int64][]int64{}
	err = s.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, routeSQL, string(arg), s.now().Unix())
		if err != nil {
			return err
		}
		type pair struct {
			Chat  int64 `json:"c"`
			Story int64 `json:"s"`
		}
		var decided []pair
		for rows.Next() {
			var p pair
			if err := rows.Scan(&p.Chat, &p.Story); err != nil {
				rows.Close()
				return err
			}
			byChat[p.Chat] = append(byChat[p.Chat], p.Story)
			decided = append(decided, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(decided) == 0 {
			return nil
		}
		// The pushes go into the outbox in the same transaction as the decision: a crash
		// after it loses nothing, and the delivery engine sends them. Queued in the order of
		// the input stories, so older news goes first and a chat's bundle reads in order.
		slices.SortFunc(decided, func(x, y pair) int {
			return cmp.Or(cmp.Compare(pos[x.Story], pos[y.Story]), cmp.Compare(x.Chat, y.Chat))
		})
		q, err := json.Marshal(decided)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, enqueuePushesSQL, string(q), s.now().Unix())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("subscriptions: route: %w", err)
	}
	pushes := make([]Push, 0, len(byChat))
	for chat, ids := range byChat {
		slices.SortFunc(ids, func(a, b int64) int { return cmp.Compare(pos[a], pos[b]) })
		pushes = append(pushes, Push{ChatID: chat, StoryIDs: ids})
	}
	slices.SortFunc(pushes, func(a, b Push) int { return cmp.Compare(a.ChatID, b.ChatID) })
	return pushes, nil
}

// Delivered reports whether chat chatID has been given a story of cluster clusterID.
func (s *Store) Delivered(ctx context.Context, chatID, clusterID int64) (bool, error) {
	var ok bool
	err := s.db.Read.QueryRowContext(ctx,
		`SELECT EXISTS (SELECT 1 FROM deliveries WHERE chat_id = ? AND cluster_id = ?)`, chatID, clusterID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("subscriptions: delivered %d/%d: %w", chatID, clusterID, err)
	}
	return ok, nil
}

// PruneDeliveries forgets the deliveries decided before before, and returns how many. They only
// matter while their cluster can still take stories: a report joins a cluster when it is within
// digest.ClusterWindow (48 hours) of one of the cluster's stories, so a cluster that keeps
// growing outlives that window. Keep a week or more: a story joining a cluster whose deliveries
// were pruned reaches its chats again.
func (s *Store) PruneDeliveries(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM deliveries WHERE decided_at < ?`, before.Unix())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("subscriptions: prune deliveries: %w", err)
	}
	return n, nil
}
