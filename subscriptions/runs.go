package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// Run kinds and states.
const (
	RunBroadcast = "broadcast"
	RunDigest    = "digest"

	RunDraft     = "draft"
	RunSending   = "sending"
	RunDone      = "done"
	RunCancelled = "cancelled"
)

// ErrRunState: the run is not in the state the action needs (a draft already sent or
// cancelled, say: a button pressed twice).
var ErrRunState = errors.New("run is not in that state")

// Run is a bulk send an admin started: a broadcast or a /senddigest.
type Run struct {
	ID              int64
	Kind            string // RunBroadcast, RunDigest
	AdminID         int64
	AdminChatID     int64
	Text            string // a broadcast's text
	State           string // RunDraft, RunSending, RunDone, RunCancelled
	Total           int    // messages queued when it started
	ProgressMessage int    // the admin's message its progress is edited into; 0 = none yet
	Created         time.Time
	Started         time.Time
	Finished        time.Time
}

const runColumns = `id, kind, admin_id, admin_chat_id, text, state, total, progress_message_id, created_at, started_at, finished_at`

func scanRun(row interface{ Scan(...any) error }) (Run, error) {
	var r Run
	var created, started, finished int64
	err := row.Scan(&r.ID, &r.Kind, &r.AdminID, &r.AdminChatID, &r.Text, &r.State, &r.Total, &r.ProgressMessage,
		&created, &started, &finished)
	r.Created, r.Started, r.Finished = fromUnix(created), fromUnix(started), fromUnix(finished)
	return r, err
}

// CreateRun records a new run in state RunDraft (a broadcast awaiting its Send button) or, for
// RunDigest, RunSending at once.
func (s *Store) CreateRun(ctx context.Context, kind string, adminID, adminChatID int64, text string) (Run, error) {
	state := RunDraft
	if kind == RunDigest {
		state = RunSending
	}
	var r Run
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.now().Unix()
		var err error
		r, err = scanRun(tx.QueryRowContext(ctx, `INSERT INTO runs (kind, admin_id, admin_chat_id, text, state, created_at, started_at)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?5 = 'sending' THEN ?6 ELSE 0 END) RETURNING `+runColumns,
			kind, adminID, adminChatID, text, state, now))
		return err
	})
	if err != nil {
		return Run{}, fmt.Errorf("subscriptions: create %s run: %w", kind, err)
	}
	return r, nil
}

// RunsSending returns the runs still sending, oldest first: their progress is reported again
// after a restart.
func (s *Store) RunsSending(ctx context.Context) ([]Run, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+runColumns+` FROM runs WHERE state = 'sending' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: runs sending: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("subscriptions: runs sending: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// StartBroadcast turns draft id into a sending broadcast: in one transaction its text is queued
// (class ClassBulk, once, shared by every row) for every active chat, and the run records how
// many. A run that is not a draft is an error wrapping ErrRunState, and nothing is queued: a
// Send button pressed twice sends once.
func (s *Store) StartBroadcast(ctx context.Context, id int64) (Run, error) {
	var r Run
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = scanRun(tx.QueryRowContext(ctx, `SELECT `+runColumns+` FROM runs WHERE id = ?`, id))
		if err != nil {
			return err
		}
		if r.Kind != RunBroadcast || r.State != RunDraft {
			return ErrRunState
		}
		textID, err := sharedText(ctx, tx, map[string]int64{}, r.Text)
		if err != nil {
			return err
		}
		now := s.now().Unix()
		res, err := tx.ExecContext(ctx, `INSERT INTO outbox (chat_id, kind, class, text_id, run_id, created_at, updated_at)
			SELECT id, 'broadcast', ?, ?, ?, ?, ? FROM chats WHERE active = 1 ORDER BY id`,
			int(ClassBulk), textID, id, now, now)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		r.State, r.Total, r.Started = RunSending, int(n), fromUnix(now)
		_, err = tx.ExecContext(ctx, `UPDATE runs SET state = 'sending', total = ?, started_at = ? WHERE id = ?`, n, now, id)
		return err
	})
	if err != nil {
		return Run{}, fmt.Errorf("subscriptions: start broadcast %d: %w", id, err)
	}
	return r, nil
}

// CancelRun cancels draft id; a run that is not a draft is an error wrapping ErrRunState.
func (s *Store) CancelRun(ctx context.Context, id int64) error {
	return s.moveRun(ctx, id, RunDraft, RunCancelled)
}

// FinishRun marks sending run id done.
func (s *Store) FinishRun(ctx context.Context, id int64) error {
	return s.moveRun(ctx, id, RunSending, RunDone)
}

func (s *Store) moveRun(ctx context.Context, id int64, from, to string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE runs SET state = ?, finished_at = ? WHERE id = ? AND state = ?`,
			to, s.now().Unix(), id, from)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrRunState
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("subscriptions: run %d %s: %w", id, to, err)
	}
	return nil
}

// SetRunMessage records the admin's message that run id's progress is edited into.
func (s *Store) SetRunMessage(ctx context.Context, id int64, messageID int) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE runs SET progress_message_id = ? WHERE id = ?`, messageID, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("subscriptions: run %d message: %w", id, err)
	}
	return nil
}

// RunProgress is how far a run got.
type RunProgress struct {
	Total   int // queued when it started
	Waiting int // still queued or being sent
	Sent    int
	Blocked int // not sent: the chat blocked the bot, left, or said /stop meanwhile
	Failed  int // not sent: Telegram refused it or kept failing
}

// Done reports whether every message of the run has an outcome.
func (p RunProgress) Done() bool { return p.Waiting == 0 }

// RunProgress counts run id's messages by outcome. Rows gone with their chat (/stop deletes
// them) count as blocked.
func (s *Store) RunProgress(ctx context.Context, id int64) (RunProgress, error) {
	var p RunProgress
	// Counted through the partial index outbox_run, which only a literal run_id > 0 selects:
	// the outbox holds a week of every chat's messages.
	err := s.db.Read.QueryRowContext(ctx, `SELECT (SELECT total FROM runs WHERE id = ?1),
			COALESCE(SUM(o.state IN ('queued', 'sending')), 0),
			COALESCE(SUM(o.state = 'sent'), 0),
			COALESCE(SUM(o.state = 'dropped'), 0),
			COALESCE(SUM(o.state = 'failed'), 0)
		FROM outbox o WHERE o.run_id = ?1 AND o.run_id > 0`, id).Scan(&p.Total, &p.Waiting, &p.Sent, &p.Blocked, &p.Failed)
	if err != nil {
		return RunProgress{}, fmt.Errorf("subscriptions: run %d progress: %w", id, err)
	}
	if gone := p.Total - p.Waiting - p.Sent - p.Blocked - p.Failed; gone > 0 {
		p.Blocked += gone
	}
	return p, nil
}

// AuditEntry is one admin command, or an attempt at one by someone else.
type AuditEntry struct {
	At      time.Time
	UserID  int64
	ChatID  int64
	Action  string // the command or button: broadcast, broadcast_send, senddigest, pin, stats, …
	Detail  string // its argument; clipped to 500 characters
	Outcome string // done, refused, failed, cancelled, …
}

// Audit records e (At zero: now).
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	if utf8.RuneCountInString(e.Detail) > 500 {
		e.Detail = string([]rune(e.Detail)[:500]) + "…"
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, user_id, chat_id, action, detail, outcome) VALUES (?, ?, ?, ?, ?, ?)`,
			e.At.Unix(), e.UserID, e.ChatID, e.Action, e.Detail, e.Outcome)
		return err
	})
	if err != nil {
		return fmt.Errorf("subscriptions: audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditLog returns the latest limit audit entries, newest first.
func (s *Store) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT at, user_id, chat_id, action, detail, outcome FROM audit
		ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&at, &e.UserID, &e.ChatID, &e.Action, &e.Detail, &e.Outcome); err != nil {
			return nil, fmt.Errorf("subscriptions: audit log: %w", err)
		}
		e.At = fromUnix(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
