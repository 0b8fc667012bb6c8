package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"newsbot/migrations"
)

// lockDatabase makes sure one newsbot at a time runs the bot on the database at dbPath: two
// would poll the same sources and send every story twice. It takes an exclusive advisory lock
// (flock) on the file dbPath+".lock", creating it if needed, and writes the process id into it.
// When the lock is held, by this process or another, it returns a *runningError naming dbPath
// and the holder's pid; other failures are wrapped with "lock: ".
//
// The kernel drops the lock when the process exits, however it exits, so a crash never leaves
// a stale lock, whatever the file still says. The file is never deleted: removing a locked file
// would let the next newsbot lock a new file of the same name while this one still runs.
// release drops the lock and empties the file; calling it again does nothing. The lock is not
// inherited by child processes (Go opens files close-on-exec). On network file systems flock
// may be local to one machine, and systems without flock (Windows) get no lock at all: run one
// bot per database there by other means.
//
// Only the bot takes it. The one-shot commands (fetch, migrate, digest, backup) may run beside
// it: SQLite keeps their writes consistent with the bot's.
func lockDatabase(dbPath string) (release func() error, err error) {
	if !haveFlock {
		return func() error { return nil }, nil
	}
	target := dbPath
	// A symlink to the database, or to its directory (systemd's DynamicUser state directory),
	// must meet the same lock as the database's own name, also before the file exists.
	if resolved, err := filepath.EvalSymlinks(dbPath); err == nil {
		target = resolved
	} else if dir, err := filepath.EvalSymlinks(filepath.Dir(dbPath)); err == nil {
		target = filepath.Join(dir, filepath.Base(dbPath))
	}
	lockPath := target + ".lock"
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	if err := tryLock(f); err != nil {
		defer f.Close()
		if errors.Is(err, errLocked) {
			return nil, &runningError{Path: dbPath, PID: holderPID(f)}
		}
		return nil, fmt.Errorf("lock: %s: %w", lockPath, err)
	}
	// The pid is only for people and for the message above; the lock itself is the flock.
	if err := writePID(f, strconv.Itoa(os.Getpid())+"\n"); err != nil {
		f.Close() // closing drops the lock
		return nil, fmt.Errorf("lock: %s: %w", lockPath, err)
	}
	var once sync.Once
	return func() error {
		var err error
		once.Do(func() {
			// Emptied while still locked, so a stopped bot leaves no pid that looks alive.
			err = errors.Join(f.Truncate(0), unlock(f), f.Close())
			if err != nil {
				err = fmt.Errorf("lock: release %s: %w", lockPath, err)
			}
		})
		return err
	}, nil
}

// runningError reports that another newsbot holds the database's lock.
type runningError struct {
	Path string // the database, as configured
	PID  int    // 0 when the holder's pid could not be read
}

func (e *runningError) Error() string {
	who := "another newsbot"
	if e.PID > 0 {
		who = fmt.Sprintf("another newsbot (pid %d)", e.PID)
	}
	return fmt.Sprintf("%s is running on %s; stop it first, or point storage.path at another file", who, e.Path)
}

func writePID(f *os.File, pid string) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(pid), 0)
	return err
}

// holderPID reads the pid the lock's holder wrote. The holder writes it just after locking, so an
// empty file may mean it is about to; wait a moment for it rather than report no pid.
func holderPID(f *os.File) int {
	for attempt := 0; attempt < 20; attempt++ {
		buf := make([]byte, 32)
		n, err := f.ReadAt(buf, 0)
		if err != nil && err != io.EOF {
			return 0
		}
		if pid, err := strconv.Atoi(strings.TrimSpace(string(buf[:n]))); err == nil && pid > 0 {
			return pid
		}
		time.Sleep(5 * time.Millisecond)
	}
	return 0
}

// guardMigration returns an error when db has migrations to apply and a bot runs on it
// (it holds the lock of dbPath): applying them under a running older bot could break it. A bot
// of this version migrates at its start, so a bot that holds the lock is given migrationWait to
// bring the schema up to date first. With nothing to apply, or no bot running, it returns nil;
// the lock is released again at once.
func guardMigration(ctx context.Context, db *migrations.DB, dbPath string) error {
	all, err := migrations.All()
	if err != nil || len(all) == 0 {
		return err
	}
	latest := all[len(all)-1].Version
	deadline := time.Now().Add(migrationWait)
	for {
		v, err := migrations.Version(ctx, db.Read)
		if err != nil || v >= latest {
			return err
		}
		release, err := lockDatabase(dbPath)
		var running *runningError
		switch {
		case err == nil:
			return release()
		case !errors.As(err, &running):
			return err
		case time.Now().After(deadline):
			return fmt.Errorf("the database needs migrating (schema version %d → %d) but %w; stop the bot, then run `newsbot migrate` or start the new version",
				v, latest, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// migrationWait is how long a one-shot command waits for a bot that is starting to migrate.
const migrationWait = 5 * time.Second
