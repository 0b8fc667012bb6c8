package subscriptions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Alert is one keyword alert of a chat.
type Alert struct {
	ID      int64
	ChatID  int64
	Number  int    // 1, 2, 3 … in the chat's /alerts list
	Query   string // canonical form
	Created time.Time
}

// ErrTooManyAlerts is returned when a chat already has Limits.MaxAlerts alerts.
var ErrTooManyAlerts = errors.New("too many alerts")

// ErrAlertExists is returned when the chat has an alert with the same canonical query.
var ErrAlertExists = errors.New("alert exists")

// ErrNoAlert is returned when a chat has no alert with the number given.
var ErrNoAlert = errors.New("no such alert")

// DefaultMaxAlerts is how many alerts a chat may have when Limits.MaxAlerts is 0.
const DefaultMaxAlerts = 20

func (s *Store) maxAlerts() int {
	if s.limits.MaxAlerts > 0 {
		return s.limits.MaxAlerts
	}
	return DefaultMaxAlerts
}

// AddAlert stores an alert for chat with query in canonical form and key its order-free form
// (two alerts with one key are the same alert), and returns it with its number. ErrNoChat,
// ErrAlertExists or ErrTooManyAlerts when it cannot be added.
func (s *Store) AddAlert(ctx context.Context, chatID int64, query, key string) (Alert, error) {
	query = strings.TrimSpace(query)
	a := Alert{ChatID: chatID, Query: query, Created: s.now().UTC().Truncate(time.Second)}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM chats WHERE id = ?)`, chatID).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return ErrNoChat
		}
		var n int
		var dup bool
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(key = ?), 0) FROM alerts WHERE chat_id = ?`,
			key, chatID).Scan(&n, &dup); err != nil {
			return err
		}
		if dup {
			return ErrAlertExists
		}
		if n >= s.maxAlerts() {
			return ErrTooManyAlerts
		}
		a.Number = n + 1
		return tx.QueryRowContext(ctx, `INSERT INTO alerts (chat_id, query, key, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			chatID, query, key, a.Created.Unix()).Scan(&a.ID)
	})
	if err != nil {
		return Alert{}, fmt.Errorf("subscriptions: add alert for %d: %w", chatID, err)
	}
	return a, nil
}

// Alerts returns chat's alerts, numbered from 1 in the order they were set.
func (s *Store) Alerts(ctx context.Context, chatID int64) ([]Alert, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id, chat_id, query, created_at FROM alerts WHERE chat_id = ? ORDER BY id`, chatID)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: alerts of %d: %w", chatID, err)
	}
	out, err := scanAlerts(rows)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: alerts of %d: %w", chatID, err)
	}
	return out, nil
}

// AllAlerts returns every alert of every active chat, for building the matching index. Numbers
// are not set.
func (s *Store) AllAlerts(ctx context.Context) ([]Alert, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT a.id, a.chat_id, a.query, a.created_at
		FROM alerts a JOIN chats c ON c.id = a.chat_id WHERE c.active = 1 ORDER BY a.id`)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: all alerts: %w", err)
	}
	out, err := scanAlerts(rows)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: all alerts: %w", err)
	}
	for i := range out {
		out[i].Number = 0
	}
	return out, nil
}

func scanAlerts(rows *sql.Rows) ([]Alert, error) {
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		var a Alert
		var created int64
		if err := rows.Scan(&a.ID, &a.ChatID, &a.Query, &created); err != nil {
			return nil, err
		}
		a.Created = fromUnix(created)
		a.Number = len(out) + 1
		out = append(out, a)
	}
	return out, rows.Err()
}

// DeleteAlert deletes the alert that chat's /alerts list shows as number, and returns it.
// ErrNoAlert when there is none.
func (s *Store) DeleteAlert(ctx context.Context, chatID int64, number int) (Alert, error) {
	var a Alert
	err := s.write(ctx, func(tx *sql.Tx) error {
		if number < 1 {
			return ErrNoAlert
		}
		var created int64
		err := tx.QueryRowContext(ctx, `SELECT id, chat_id, query, created_at FROM alerts WHERE chat_id = ?
			ORDER BY id LIMIT 1 OFFSET ?`, chatID, number-1).Scan(&a.ID, &a.ChatID, &a.Query, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoAlert
		}
		if err != nil {
			return err
		}
		a.Created, a.Number = fromUnix(created), number
		_, err = tx.ExecContext(ctx, `DELETE FROM alerts WHERE id = ?`, a.ID)
		return err
	})
	if err != nil {
		return Alert{}, fmt.Errorf("subscriptions: delete alert %d of %d: %w", number, chatID, err)
	}
	return a, nil
}

// AlertHit is an alert that fired on a story.
type AlertHit struct {
	AlertID   int64
	ChatID    int64
	StoryID   int64
	ClusterID int64 // 0: the story starts its own cluster
}

// routeAlertsSQL records a delivery per chat and cluster for the hits in ?1, a JSON array of
// {"a": alert, "c": chat, "s": story, "k": cluster}, at ?2, for active chats only; the first hit
// of a chat and cluster (in input order) wins, and a chat that had the cluster already (from a
// topic push or an earlier alert) gets nothing. A hit of an alert that is gone or no longer the
// chat's (a stale index entry) is ignored. It returns the decided hits.
const routeAlertsSQL = `WITH input (pos, alert_id, chat_id, story_id, cluster_id) AS MATERIALIZED (
		SELECT key, value ->> 'a', value ->> 'c', value ->> 's', value ->> 'k' FROM json_each(?1)
	),
	first (chat_id, cluster_id, story_id, alert_id, pos) AS (
		SELECT i.chat_id, i.cluster_id, i.story_id, i.alert_id, MIN(i.pos)
		FROM input i JOIN chats c ON c.id = i.chat_id
		JOIN alerts a ON a.id = i.alert_id AND a.chat_id = i.chat_id
		WHERE c.active = 1
		GROUP BY i.chat_id, i.cluster_id
	)
	INSERT INTO deliveries (chat_id, cluster_id, story_id, decided_at)
	SELECT chat_id, cluster_id, story_id, ?2 FROM first WHERE true
	ON CONFLICT (chat_id, cluster_id) DO NOTHING
	RETURNING chat_id, cluster_id`

// RouteAlerts decides which alert hits are sent and queues them at alert priority, in one
// transaction: a story reaches a chat at most once per cluster, however many alerts and topics
// match (route alerts before topics, so that a story both match arrives as the instant alert).
// Each queued message carries the query of the alert that fired, for the 🔔 line. It returns
// how many were queued.
func (s *Store) RouteAlerts(ctx context.Context, hits []AlertHit) (int, error) {
	if len(hits) == 0 {
		return 0, nil
	}
	type in struct {
		Alert   int64 `json:"a"`
		Chat    int64 `json:"c"`
		Story   int64 `json:"s"`
		Cluster int64 `json:"k"`
	}
	input := make([]in, len(hits))
	for i, h := range hits {
		cluster := h.ClusterID
		if cluster == 0 {
			cluster = h.StoryID
		}
		input[i] = in{h.AlertID, h.ChatID, h.StoryID, cluster}
	}
	var queued int
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.now().Unix()
		// Only hits of alerts that still exist and are still their chat's count: a stale index
		// entry must neither fire nor decide which alert a live hit is reported under.
		valid, err := liveAlerts(ctx, tx, hits)
		if err != nil {
			return err
		}
		var live []in
		byKey := map[[2]int64]in{}
		for _, h := range input {
			if valid[[2]int64{h.Alert, h.Chat}] {
				live = append(live, h)
				if _, ok := byKey[[2]int64{h.Chat, h.Cluster}]; !ok {
					byKey[[2]int64{h.Chat, h.Cluster}] = h
				}
			}
		}
		if len(live) == 0 {
			return nil
		}
		arg, err := json.Marshal(live)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, routeAlertsSQL, string(arg), now)
		if err != nil {
			return err
		}
		var decided []in
		for rows.Next() {
			var chat, cluster int64
			if err := rows.Scan(&chat, &cluster); err != nil {
				rows.Close()
				return err
			}
			decided = append(decided, byKey[[2]int64{chat, cluster}])
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range decided {
			res, err := tx.ExecContext(ctx, `INSERT INTO outbox (chat_id, kind, class, story_id, text, created_at, updated_at)
				SELECT ?, 'alert', 1, ?, query, ?, ? FROM alerts WHERE id = ?`, d.Chat, d.Story, now, now, d.Alert)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return fmt.Errorf("queue alert %d for chat %d: %d rows, %v", d.Alert, d.Chat, n, err)
			}
		}
		queued = len(decided)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("subscriptions: route alerts: %w", err)
	}
	return queued, nil
}

// DeleteAlertByID deletes chat's alert id (a delete button names the id: numbers shift as
// alerts go). ErrNoAlert when the chat has no such alert.
func (s *Store) DeleteAlertByID(ctx context.Context, chatID, id int64) (Alert, error) {
	var a Alert
	err := s.write(ctx, func(tx *sql.Tx) error {
		var created int64
		err := tx.QueryRowContext(ctx, `SELECT id, chat_id, query, created_at FROM alerts WHERE chat_id = ? AND id = ?`,
			chatID, id).Scan(&a.ID, &a.ChatID, &a.Query, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoAlert
		}
		if err != nil {
			return err
		}
		a.Created = fromUnix(created)
		_, err = tx.ExecContext(ctx, `DELETE FROM alerts WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return Alert{}, fmt.Errorf("subscriptions: delete alert %d of %d: %w", id, chatID, err)
	}
	return a, nil
}

// MaxAlerts is the most alerts one chat may have.
func (s *Store) MaxAlerts() int { return s.maxAlerts() }

// liveAlerts returns which (alert, chat) pairs of hits are alerts that exist and belong to that chat.
func liveAlerts(ctx context.Context, tx *sql.Tx, hits []AlertHit) (map[[2]int64]bool, error) {
	ids := map[int64]bool{}
	var args []any
	for _, h := range hits {
		if !ids[h.AlertID] {
			ids[h.AlertID] = true
			args = append(args, h.AlertID)
		}
	}
	live := map[[2]int64]bool{}
	for start := 0; start < len(args); start += 500 {
		part := args[start:min(start+500, len(args))]
		rows, err := tx.QueryContext(ctx, `SELECT id, chat_id FROM alerts WHERE id IN (`+placeholders(len(part))+`)`, part...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, chat int64
			if err := rows.Scan(&id, &chat); err != nil {
				rows.Close()
				return nil, err
			}
			live[[2]int64{id, chat}] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return live, nil
}
