package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsbot/migrations"
)

// openBackupApp opens an app on a new database in a temporary directory, the way run does for
// the one-shot commands, and returns it with the database's path.
func openBackupApp(t *testing.T, dbPath string) *app {
	t.Helper()
	cfgPath := filepath.Join(t.TempDir(), "config.toml")
	body := fmt.Sprintf("[storage]\npath = %q\n[log]\nlevel = \"warn\"\n", dbPath)
	if err := os.WriteFile(cfgPath, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(cfgPath, true, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	a, err := open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func insertStory(t *testing.T, db *sql.DB, key, title string) {
	t.Helper()
	if _, err := db.Exec(`INSERT INTO stories
		(source_id, item_key, cluster_id, title, summary, link, published_at, first_seen_at, language)
		VALUES ('orda', ?, 1, ?, 'Об этом сообщила компания.', 'https://orda.kz/news/1', 1764150000, 1764150000, 'ru')`,
		key, title); err != nil {
		t.Fatal(err)
	}
}

func latestVersion(t *testing.T) int {
	t.Helper()
	ms, err := migrations.All()
	if err != nil {
		t.Fatal(err)
	}
	return ms[len(ms)-1].Version
}

func TestBackupCommandWritesCopyAndSaysSo(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "newsbot.db")
	a := openBackupApp(t, dbPath)
	insertStory(t, a.db.Write, "1", "«Казатомпром» увеличил добычу урана")
	insertStory(t, a.db.Write, "2", "Тоқаев Астанада инвесторлармен кездесті")

	names := []string{"newsbot-2026-11-26.db"}
	if runtime.GOOS != "windows" {
		names = append(names, "резерв 50%?#.db") // must not be parsed as a URI anywhere
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), name)
			var stdout bytes.Buffer
			if err := a.backup(ctx, out, &stdout); err != nil {
				t.Fatal(err)
			}
			want := regexp.MustCompile(`^` + regexp.QuoteMeta(dbPath+": backup written to "+out+" (") +
				`\d+\.\d KiB, schema version ` + fmt.Sprint(latestVersion(t)) + `\)\n$`)
			if !want.MatchString(stdout.String()) {
				t.Errorf("output %q, want it to match %s", stdout.String(), want)
			}
			uri, err := readOnlyURI(out)
			if err != nil {
				t.Fatal(err)
			}
			cp, err := sql.Open("sqlite", uri)
			if err != nil {
				t.Fatal(err)
			}
			defer cp.Close()
			var n int
			if err := cp.QueryRow(`SELECT COUNT(*) FROM stories_fts WHERE stories_fts MATCH 'Астанада OR урана'`).Scan(&n); err != nil || n != 2 {
				t.Errorf("the copy finds %d stories (%v), want 2", n, err)
			}
			if strings.ContainsAny(name, "?#") {
				return // migrations.Open refuses such names; a restore renames the file anyway
			}
			db, err := migrations.Open(ctx, out)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if applied, err := db.Migrate(ctx); err != nil || len(applied) != 0 {
				t.Fatalf("Migrate on the copy: %v, %v", applied, err)
			}
		})
	}
}

func TestBackupCommandNeverOverwrites(t *testing.T) {
	a := openBackupApp(t, filepath.Join(t.TempDir(), "newsbot.db"))
	out := filepath.Join(t.TempDir(), "yesterday.db")
	if err := os.WriteFile(out, []byte("yesterday's backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	err := a.backup(context.Background(), out, &stdout)
	if !errors.Is(err, fs.ErrExist) || stdout.Len() != 0 {
		t.Fatalf("backup onto an existing file: err %v, output %q; want fs.ErrExist and no output", err, stdout.String())
	}
	if body, _ := os.ReadFile(out); string(body) != "yesterday's backup" {
		t.Errorf("the existing file now holds %q", body)
	}
}

// TestBackupBesideRunningBot opens the database twice, as the bot and `newsbot backup` do from
// two processes, and backs up through one while the other commits stories two at a time.
func TestBackupBesideRunningBot(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "newsbot.db")
	bot := openBackupApp(t, dbPath)
	cmd := openBackupApp(t, dbPath)

	wctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var commits atomic.Int64
	werr := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; wctx.Err() == nil; i++ {
			if err := insertPair(wctx, bot.db.Write, i); err != nil {
				if wctx.Err() == nil {
					werr <- err
				}
				return
			}
			commits.Add(1)
		}
	}()
	defer func() {
		stop()
		wg.Wait()
	}()
	for commits.Load() < 20 {
		select {
		case err := <-werr:
			t.Fatalf("writer: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	outs := make([]string, 3)
	for i := range outs {
		outs[i] = filepath.Join(t.TempDir(), "copy.db")
		if err := cmd.backup(ctx, outs[i], io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	stop()
	wg.Wait()
	if len(werr) > 0 {
		t.Fatalf("writer: %v", <-werr)
	}
	for _, out := range outs {
		db, err := sql.Open("sqlite", "file:"+out+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var n int
		var check string
		db.QueryRow(`PRAGMA integrity_check`).Scan(&check)
		err = db.QueryRow(`SELECT COUNT(*) FROM stories WHERE source_id = 'writer'`).Scan(&n)
		db.Close()
		if err != nil || check != "ok" || n == 0 || n%2 != 0 {
			t.Errorf("copy: %d writer stories, integrity %q, %v; want an even number, ok", n, check, err)
		}
	}
}

func TestBackupSizeFormat(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0 B"},
		{1023, "1023 B"},
		{1024, "1.0 KiB"},
		{180224, "176.0 KiB"},
		{52_428_800, "50.0 MiB"},
		{12_897_484, "12.3 MiB"},
		{3 << 30, "3.0 GiB"},
		{5 << 40, "5.0 TiB"},
		{5 << 50, "5120.0 TiB"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			if got := byteSize(tc.n); got != tc.want {
				t.Errorf("byteSize(%d) = %q, want %q", tc.n, got, tc.want)
			}
		})
	}
}

// insertPair commits two stories in one transaction: a consistent copy holds both or neither.
func insertPair(ctx context.Context, db *sql.DB, i int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, half := range []string{"a", "b"} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stories
			(source_id, item_key, cluster_id, title, summary, link, published_at, first_seen_at, language)
			VALUES ('writer', ?, 1, 'Kazatomprom signs uranium deal', 'pair', 'https://orda.kz/en/1', 0, 0, 'en')`,
			fmt.Sprintf("%d%s", i, half)); err != nil {
			return err
		}
	}
	return tx.Commit()
}
