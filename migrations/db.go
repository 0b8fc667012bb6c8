package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver: pure Go, no cgo
)

// DB is newsbot's SQLite database: one writer connection and a pool of readers over the same
// file. SQLite allows one writer at a time; funnelling every write through a single connection
// makes writers queue in Go instead of failing with SQLITE_BUSY, while WAL lets readers proceed
// alongside the writer.
type DB struct {
	// Write has exactly one connection. Every statement that changes data goes here; its
	// transactions start with BEGIN IMMEDIATE so a read-then-write never deadlocks.
	Write *sql.DB
	// Read is for queries only (the connection is query_only) and may run many at once.
	Read *sql.DB
	path string
}

// Open opens (creating if needed) the SQLite file at path. It does not migrate: call Migrate.
// The path must not contain '?' or '#', which would end the file name in SQLite's URI syntax.
func Open(ctx context.Context, path string) (*DB, error) {
	if strings.ContainsAny(path, "?#") || path == "" {
		return nil, fmt.Errorf("db: open %q: the path must be non-empty and contain no '?' or '#'", path)
	}
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("db: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// Switching a new file to WAL needs a moment of exclusive access; another process opening
	// the same new file at that moment gets SQLITE_BUSY despite busy_timeout. Try again briefly.
	for attempt := 0; ; attempt++ {
		err = w.PingContext(ctx)
		if err == nil || attempt == 50 || !strings.Contains(err.Error(), "SQLITE_BUSY") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("db: open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("db: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(max(4, runtime.NumCPU()))
	return &DB{Write: w, Read: r, path: path}, nil
}

// dsn builds the modernc.org/sqlite connection string. The pragmas are set per connection:
//   - journal_mode(WAL): readers never block the writer nor the writer the readers;
//   - synchronous(NORMAL): durable across a process crash, and in WAL mode at most the last
//     commits can be lost on power failure, never corruption; FULL would fsync every commit;
//   - busy_timeout(10000): another process (newsbot backup, sqlite3 shell) holding a lock makes
//     us wait up to 10 s instead of failing at once;
//   - foreign_keys(1): SQLite leaves them off by default;
//   - _txlock=immediate: take the write lock at BEGIN, so a transaction that reads then writes
//     cannot fail halfway with SQLITE_BUSY.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	// SQLite decodes %XX in a URI's path: a literal '%' in the file name is written %25.
	return "file:" + strings.ReplaceAll(path, "%", "%25") + "?" + q.Encode()
}

// Migrate applies pending migrations; see Apply.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	return Apply(ctx, db.Write, timeNow)
}

// Path returns the file the database was opened from.
func (db *DB) Path() string { return db.path }

// Close closes both pools. It checkpoints nothing explicitly: SQLite does that on the last close.
func (db *DB) Close() error {
	rerr := db.Read.Close()
	werr := db.Write.Close()
	if werr != nil {
		return fmt.Errorf("db: close: %w", werr)
	}
	if rerr != nil {
		return fmt.Errorf("db: close: %w", rerr)
	}
	return nil
}
