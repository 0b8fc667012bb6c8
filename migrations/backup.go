package migrations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database to the file out, which must not exist: Backup
// never overwrites a file, and fails with an error wrapping fs.ErrExist when out is there, even
// empty, a directory or a dangling symlink. It is safe while the bot runs, in this process or
// another: the copy is one snapshot of the database (as of a single moment, every transaction
// wholly in or wholly out), and writers carry on while it is taken.
//
// The copy is a complete, compacted SQLite database in rollback-journal mode with the same schema
// version and rows, readable by the sqlite3 shell and by Open. It is created with mode 0600 (it
// holds chat ids and alert queries), synced to disk before it appears under its name, and
// appears whole or not at all: a failed or cancelled backup leaves no out file and removes its
// temporary file (a process killed mid-backup leaves an out.*.tmp file beside out).
func (db *DB) Backup(ctx context.Context, out string) error {
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("backup: refusing to overwrite %s: %w", out, fs.ErrExist)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// Write beside out, then link into place: the same directory keeps the final step a
	// metadata operation on one file system, and out never names a half-written file.
	tmp, err := os.CreateTemp(filepath.Dir(abs), filepath.Base(abs)+".*.tmp")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmpName := tmp.Name()
	published := false
	defer func() {
		if !published {
			os.Remove(tmpName)
		}
	}()
	// VACUUM INTO accepts an empty existing file and keeps its mode, so CreateTemp's 0600 stays.
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := db.vacuumInto(ctx, tmpName); err != nil {
		return err
	}
	if err := syncFile(tmpName); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := publish(tmpName, abs); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("backup: refusing to overwrite %s, created meanwhile: %w", out, fs.ErrExist)
		}
		return fmt.Errorf("backup: %w", err)
	}
	published = true
	// Best effort: the copy itself is on disk already, and some systems (Windows, some network
	// file systems) cannot sync a directory; without it a power cut may lose only the new name.
	_ = syncFile(filepath.Dir(abs))
	return nil
}

// vacuumInto runs VACUUM INTO on a connection of its own. The read pool cannot (its connections
// are query_only, and SQLite counts writing the copy as a write), and the single writer must not
// be tied up for the length of a copy. VACUUM INTO only reads the source, inside one read
// transaction: that is what makes the copy a snapshot, and in WAL mode it does not block writers.
func (db *DB) vacuumInto(ctx context.Context, dst string) error {
	conn, err := sql.Open("sqlite", dsn(db.path, false))
	if err != nil {
		return fmt.Errorf("backup: open %s: %w", db.path, err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	// dst is absolute, so SQLite cannot take it for a "file:" URI.
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("backup: copy %s: %w", db.path, ctxErr)
		}
		return fmt.Errorf("backup: copy %s: %w", db.path, err)
	}
	return nil
}

// publish gives the finished file tmp the name out without ever replacing an existing out. A
// hard link fails when out exists, which a rename would silently replace; file systems without
// hard links fall back to a check and a rename, which leaves a short race with another writer.
func publish(tmp, out string) error {
	err := os.Link(tmp, out)
	if err == nil {
		return os.Remove(tmp)
	}
	if errors.Is(err, fs.ErrExist) {
		return err
	}
	if _, statErr := os.Lstat(out); !errors.Is(statErr, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", out, fs.ErrExist)
	}
	return os.Rename(tmp, out)
}

// syncFile flushes a file or a directory to stable storage. SQLite does not fsync what VACUUM
// INTO writes.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
