package migrations

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestApplyIsIdempotentAndRecorded(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	ms, err := All()
	if err != nil {
		t.Fatal(err)
	}
	first, err := db.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != len(ms) || first[0] != "0001_init.sql" {
		t.Fatalf("first run applied %v, want all %d migrations", first, len(ms))
	}
	again, err := db.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 0 {
		t.Fatalf("second run applied %v, want nothing", again)
	}
	v, err := Version(ctx, db.Read)
	if err != nil {
		t.Fatal(err)
	}
	if v != ms[len(ms)-1].Version {
		t.Fatalf("version = %d, want %d", v, ms[len(ms)-1].Version)
	}
}

func TestNewerDatabaseIsRefused(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Write.ExecContext(ctx,
		`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	_, err := db.Migrate(ctx)
	if !errors.Is(err, ErrTooNew) {
		t.Fatalf("Migrate on a newer database: err = %v, want ErrTooNew", err)
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if _, err := Apply(ctx, db.Write, time.Now); err != nil {
		t.Fatal(err)
	}
	bad := Migration{Version: 9998, Name: "9998_bad.sql", SQL: `CREATE TABLE half (x INTEGER); SELECT nope FROM nowhere;`}
	if err := applyOne(ctx, db.Write, bad, time.Now()); err == nil {
		t.Fatal("applying a broken migration succeeded")
	}
	var n int
	if err := db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE name = 'half'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatal("a failed migration left its first statement applied")
	}
	v, _ := Version(ctx, db.Read)
	if v == 9998 {
		t.Fatal("a failed migration was recorded")
	}
}

func TestPragmas(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	for _, tc := range []struct{ pragma, want string }{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "1"}, // NORMAL
		{"busy_timeout", "10000"},
	} {
		var got string
		if err := db.Write.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("PRAGMA %s = %s, want %s", tc.pragma, got, tc.want)
		}
	}
	if _, err := db.Read.ExecContext(ctx, `CREATE TABLE x (y INTEGER)`); err == nil {
		t.Error("the read pool accepted a write")
	}
}

func TestFTSFoldsCaseAndYo(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := db.Write.ExecContext(ctx, `INSERT INTO stories
		(source_id, item_key, cluster_id, title, summary, link, published_at, first_seen_at, language)
		VALUES ('s', 'k', 1, 'Всё ещё растёт добыча УРАНА', 'Қазақстан экспорттық баждарды', 'https://x', 0, 0, 'ru')`)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"урана", "растет", "ВСЕ", "ЕЩЕ", "қазақстан", "экспорттық"} {
		var n int
		if err := db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM stories_fts WHERE stories_fts MATCH ?`, `"`+q+`"`).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n != 1 {
			t.Errorf("FTS query %q found %d rows, want 1", q, n)
		}
	}
}

func TestFTSFollowsUpdatesAndDeletes(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Write.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM stories_fts WHERE stories_fts MATCH ?`, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	exec(`INSERT INTO stories (id, source_id, item_key, cluster_id, title, summary, link, published_at, first_seen_at, language)
		VALUES (1, 's', 'k', 1, 'Ёлка в Астане', 'старый текст', 'https://x', 0, 0, 'ru')`)
	exec(`INSERT INTO stories (id, source_id, item_key, cluster_id, title, summary, link, published_at, first_seen_at, language)
		VALUES (2, 's', 'k2', 2, 'Ещё одна ёлка', 'текст', 'https://y', 0, 0, 'ru')`)
	exec(`UPDATE stories SET summary = 'новый текст' WHERE id = 1`)
	if count("старый") != 0 || count("новый") != 1 || count("елка") != 2 {
		t.Fatal("the index did not follow an update")
	}
	// integrity-check fails when the index's own structures disagree.
	exec(`INSERT INTO stories_fts (stories_fts, rank) VALUES ('integrity-check', 0)`)
	exec(`DELETE FROM stories WHERE id = 1`)
	if count("елка") != 1 || count("новый") != 0 {
		t.Fatal("the index kept a deleted story")
	}
	exec(`INSERT INTO stories_fts (stories_fts, rank) VALUES ('integrity-check', 0)`)
}

func TestTwoProcessesMigratingAtOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			db, err := Open(ctx, path)
			if err != nil {
				errs <- err
				return
			}
			defer db.Close()
			_, err = db.Migrate(ctx)
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent open and migrate: %v", err)
		}
	}
}

func TestOpenRefusesURISyntaxInPath(t *testing.T) {
	for _, p := range []string{"news?x.db", "news#1.db", ""} {
		if db, err := Open(context.Background(), filepath.Join(t.TempDir(), p)); err == nil && p != "" {
			db.Close()
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

func TestOpenPathWithPercent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "новости 50%20off.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the database is not at the path given: %v", err)
	}
}
