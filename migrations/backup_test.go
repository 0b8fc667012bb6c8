package migrations

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var headlines = []string{
	"«Казатомпром» увеличил добычу урана на 5%",
	"Тоқаев Астанада шетелдік инвесторлармен кездесті",
	"Kazatomprom signs uranium supply deal with Chinese buyer",
	"Кыргызстан и Узбекистан подписали соглашение о границе",
	"Өзбекстан экспорттық баждарды төмендетті",
	"Ещё одна ёлка появилась на площади в Бишкеке",
}

// migratedTemp opens a migrated database in a temporary directory.
func migratedTemp(t *testing.T) *DB {
	t.Helper()
	db := openTemp(t)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// addStories inserts n stories of source src in one transaction.
func addStories(t *testing.T, db *DB, src string, n int, summary string) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for i := range n {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stories
			(source_id, item_key, cluster_id, title, summary, link, published_at, first_seen_at, language)
			VALUES (?, ?, 1, ?, ?, ?, ?, ?, 'ru')`,
			src, fmt.Sprintf("%s-%d", src, i), headlines[i%len(headlines)], summary,
			fmt.Sprintf("https://orda.kz/news/%s/%d", src, i), 1764150000+i, 1764150000+i); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// dump renders every row of every table in db, so two databases can be compared.
func dump(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	out := map[string][]string{}
	for _, table := range tables {
		rows, err := db.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		out[table] = []string{} // an empty table must be there in both
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], fmt.Sprintf("%q", vals))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		sort.Strings(out[table])
	}
	return out
}

// checkIntact fails the test unless the database at path passes SQLite's and FTS5's own checks.
func checkIntact(t *testing.T, path string) {
	t.Helper()
	// Read-write: FTS5 runs its check as an INSERT, though it changes nothing.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check of %s: %q, %v", path, res, err)
	}
	if _, err := db.Exec(`INSERT INTO stories_fts (stories_fts, rank) VALUES ('integrity-check', 0)`); err != nil {
		t.Fatalf("FTS integrity-check of %s: %v", path, err)
	}
}

// leftovers lists the files in dir other than keep.
func leftovers(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		if !contains(keep, e.Name()) {
			names = append(names, e.Name())
		}
	}
	return names
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestBackupCopiesEverything(t *testing.T) {
	ctx := context.Background()
	db := migratedTemp(t)
	addStories(t, db, "orda", 200, "Добыча урана выросла. Об этом сообщила компания.")
	if _, err := db.Write.ExecContext(ctx, `DELETE FROM stories WHERE id % 7 = 0`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Write.ExecContext(ctx, `INSERT INTO sources (id, etag, seeded) VALUES ('orda', '"abc"', 1)`); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "newsbot-2026-11-26.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	if got := leftovers(t, dir, "newsbot-2026-11-26.db"); len(got) != 0 {
		t.Errorf("files left beside the backup: %v", got)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600: it holds chat ids", st.Mode().Perm())
	}
	checkIntact(t, out)

	// Compare before Open touches the copy; Open switches it to WAL, which changes no rows.
	plain, err := sql.Open("sqlite", "file:"+out+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if diff := cmp.Diff(dump(t, db.Read), dump(t, plain)); diff != "" {
		t.Errorf("the copy differs from the database (-live +copy):\n%s", diff)
	}

	cp, err := Open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	applied, err := cp.Migrate(ctx)
	if err != nil || len(applied) != 0 {
		t.Fatalf("Migrate on the copy applied %v, %v; want nothing", applied, err)
	}
	want, _ := Version(ctx, db.Read)
	if got, err := Version(ctx, cp.Read); err != nil || got != want {
		t.Errorf("copy schema version %d (%v), want %d", got, err, want)
	}
	var n int
	if err := cp.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM stories_fts WHERE stories_fts MATCH '"урана"'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 200-200/7 {
		t.Errorf("full-text search in the copy found %d stories, want %d", n, 200-200/7)
	}
	// The copy keeps AUTOINCREMENT's memory: a new story never reuses a deleted id.
	var id int64
	if err := cp.Write.QueryRowContext(ctx, `INSERT INTO stories
		(source_id, item_key, cluster_id, title, summary, link, published_at, first_seen_at, language)
		VALUES ('orda', 'new', 1, 't', 's', 'l', 0, 0, 'ru') RETURNING id`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if id != 201 {
		t.Errorf("first story added to the copy got id %d, want 201", id)
	}
}

// TestBackupWhileWriting takes backups while a writer commits stories two to a transaction; a
// copy that caught half a transaction would hold an odd number of them.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	db := migratedTemp(t)
	// A few megabytes, so that each copy takes long enough for commits to land during it. The
	// bulk is in the link, which the full-text index skips: indexing is slow under -race.
	if _, err := db.Write.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
		INSERT INTO stories (source_id, item_key, cluster_id, title, summary, link, published_at, first_seen_at, language)
		SELECT 'seed', i, i, 'Тоқаев Астанада инвесторлармен кездесті', 'Kazatomprom signs uranium deal',
			'https://orda.kz/' || hex(randomblob(1500)), i, i, 'kk' FROM n`); err != nil {
		t.Fatal(err)
	}

	wctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var commits atomic.Int64
	werr := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; wctx.Err() == nil; i++ {
			if err := insertPair(wctx, db, i); err != nil {
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
	for commits.Load() < 10 && len(werr) == 0 {
		time.Sleep(time.Millisecond)
	}

	dir := t.TempDir()
	var outs []string
	overlapped := 0
	for i := range 5 {
		out := filepath.Join(dir, fmt.Sprintf("copy%d.db", i))
		before := commits.Load()
		if err := db.Backup(ctx, out); err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		if commits.Load() != before {
			overlapped++
		}
		outs = append(outs, out)
	}
	stop()
	wg.Wait()
	select {
	case err := <-werr:
		t.Fatalf("the writer failed during backups: %v", err)
	default:
	}
	if overlapped == 0 {
		t.Error("the writer committed nothing while any backup ran: was it blocked?")
	}
	for i, out := range outs {
		checkIntact(t, out)
		cp, err := sql.Open("sqlite", "file:"+out+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var pairs, seed int
		err = cp.QueryRow(`SELECT COUNT(*) FILTER (WHERE source_id = 'writer'), COUNT(*) FILTER (WHERE source_id = 'seed') FROM stories`).Scan(&pairs, &seed)
		cp.Close()
		if err != nil {
			t.Fatal(err)
		}
		if pairs%2 != 0 || pairs == 0 || seed != 1000 {
			t.Errorf("backup %d holds %d writer stories and %d seed stories; want an even, non-zero number and 1000", i, pairs, seed)
		}
	}
}

// pairWriterEnv, set to a database path, turns the test binary into a process that commits
// writer stories two to a transaction on that database until it is killed, like a running bot.
const pairWriterEnv = "NEWSBOT_TEST_PAIR_WRITER"

func TestBackupPairWriterProcess(t *testing.T) {
	path := os.Getenv(pairWriterEnv)
	if path == "" {
		return // an ordinary test run: nothing to do
	}
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	for i := 0; ; i++ {
		if err := insertPair(ctx, db, i); err != nil {
			fmt.Println("error:", err)
			os.Exit(3)
		}
		if i == 20 {
			fmt.Println("writing")
		}
	}
}

// insertPair commits two writer stories in one transaction: a consistent copy holds both or
// neither.
func insertPair(ctx context.Context, db *DB, i int) error {
	tx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, half := range []string{"a", "b"} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stories
			(source_id, item_key, cluster_id, title, summary, link, published_at, first_seen_at, language)
			VALUES ('writer', ?, 1, 'Kazatomprom signs uranium deal', 'pair', 'https://orda.kz/en/1', 0, 0, 'en')`,
			fmt.Sprintf("%d-%s", i, half)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// TestBackupBesideAnotherProcess backs up while another process commits pairs of stories, as
// `newsbot backup` does beside the running bot: SQLite's locks between processes differ from
// those between connections of one process.
func TestBackupBesideAnotherProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	ctx := context.Background()
	db := migratedTemp(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestBackupPairWriterProcess$")
	cmd.Env = append(os.Environ(), pairWriterEnv+"="+db.Path())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- s
	}()
	select {
	case s := <-line:
		if s != "writing\n" {
			t.Fatalf("writer process said %q", s)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the writer process did not start writing within 30s")
	}
	dir := t.TempDir()
	for i := range 3 {
		out := filepath.Join(dir, fmt.Sprintf("copy%d.db", i))
		if err := db.Backup(ctx, out); err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		checkIntact(t, out)
		cp, err := sql.Open("sqlite", "file:"+out+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var n int
		err = cp.QueryRow(`SELECT COUNT(*) FROM stories WHERE source_id = 'writer'`).Scan(&n)
		cp.Close()
		if err != nil || n%2 != 0 || n < 42 {
			t.Errorf("backup %d holds %d writer stories (%v), want an even number, at least 42", i, n, err)
		}
	}
}

func TestBackupRefusesExistingOut(t *testing.T) {
	ctx := context.Background()
	db := migratedTemp(t)
	for _, tc := range []struct {
		name   string
		create func(path string) error
	}{
		{"file", func(p string) error { return os.WriteFile(p, []byte("earlier backup"), 0o600) }},
		{"empty file", func(p string) error { return os.WriteFile(p, nil, 0o600) }},
		{"directory", func(p string) error { return os.Mkdir(p, 0o700) }},
		{"dangling symlink", func(p string) error { return os.Symlink(filepath.Join(filepath.Dir(p), "nowhere"), p) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out.db")
			if err := tc.create(out); err != nil {
				t.Skip(err) // symlinks may need privileges on Windows
			}
			before, _ := os.Lstat(out)
			err := db.Backup(ctx, out)
			if !errors.Is(err, fs.ErrExist) || !strings.HasPrefix(err.Error(), "backup: refusing to overwrite "+out) {
				t.Fatalf("Backup onto an existing %s: %v, want a refusal wrapping fs.ErrExist", tc.name, err)
			}
			after, _ := os.Lstat(out)
			if !os.SameFile(before, after) || before.Size() != after.Size() || !before.ModTime().Equal(after.ModTime()) {
				t.Errorf("the existing %s was touched", tc.name)
			}
			if got := leftovers(t, dir, "out.db"); len(got) != 0 {
				t.Errorf("files left: %v", got)
			}
		})
	}
	t.Run("the database itself", func(t *testing.T) {
		if err := db.Backup(ctx, db.Path()); !errors.Is(err, fs.ErrExist) {
			t.Fatalf("Backup onto the live database: %v", err)
		}
		checkIntact(t, db.Path())
	})
}

func TestBackupFailureLeavesNothing(t *testing.T) {
	db := migratedTemp(t)
	addStories(t, db, "seed", 500, strings.Repeat("Кыргызстан и Узбекистан подписали соглашение. ", 10))
	t.Run("cancelled", func(t *testing.T) {
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := db.Backup(ctx, filepath.Join(dir, "out.db"))
		if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "backup: ") {
			t.Fatalf("cancelled backup: %v", err)
		}
		if got := leftovers(t, dir); len(got) != 0 {
			t.Errorf("a cancelled backup left %v", got)
		}
	})
	t.Run("cancelled midway", func(t *testing.T) {
		// Whether the copy finishes first is up to the scheduler; either way no partial file.
		for i := range 20 {
			dir := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			go func() {
				time.Sleep(time.Duration(i) * 200 * time.Microsecond)
				cancel()
			}()
			err := db.Backup(ctx, filepath.Join(dir, "out.db"))
			cancel()
			got := leftovers(t, dir)
			switch {
			case err == nil && (len(got) != 1 || got[0] != "out.db"):
				t.Errorf("successful backup left %v", got)
			case err == nil:
				checkIntact(t, filepath.Join(dir, "out.db"))
			case len(got) != 0:
				t.Errorf("failed backup (%v) left %v", err, got)
			}
		}
	})
	t.Run("missing directory", func(t *testing.T) {
		dir := t.TempDir()
		err := db.Backup(context.Background(), filepath.Join(dir, "no", "such", "out.db"))
		if err == nil || !strings.HasPrefix(err.Error(), "backup: ") {
			t.Fatalf("backup into a missing directory: %v", err)
		}
		if got := leftovers(t, dir); len(got) != 0 {
			t.Errorf("left %v", got)
		}
	})
	t.Run("read-only directory", func(t *testing.T) {
		if runtime.GOOS == "windows" || os.Geteuid() == 0 {
			t.Skip("root and Windows ignore directory permissions")
		}
		dir := t.TempDir()
		os.Chmod(dir, 0o500)
		defer os.Chmod(dir, 0o700)
		if err := db.Backup(context.Background(), filepath.Join(dir, "out.db")); err == nil {
			t.Fatal("backup into a read-only directory succeeded")
		}
	})
}

func TestBackupTwoAtOnceToOneFile(t *testing.T) {
	db := migratedTemp(t)
	addStories(t, db, "seed", 300, "Тоқаев Астанада")
	dir := t.TempDir()
	out := filepath.Join(dir, "out.db")
	errs := make(chan error, 2)
	for range 2 {
		go func() { errs <- db.Backup(context.Background(), out) }()
	}
	var ok, refused int
	for range 2 {
		switch err := <-errs; {
		case err == nil:
			ok++
		case errors.Is(err, fs.ErrExist):
			refused++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 || refused != 1 {
		t.Fatalf("%d succeeded and %d were refused; want one each", ok, refused)
	}
	checkIntact(t, out)
	if got := leftovers(t, dir, "out.db"); len(got) != 0 {
		t.Errorf("left %v", got)
	}
}

func TestBackupRelativeOut(t *testing.T) {
	db := migratedTemp(t) // its path is absolute, so changing directory leaves it usable
	dir := t.TempDir()
	t.Chdir(dir)
	if err := db.Backup(context.Background(), "copy.db"); err != nil {
		t.Fatal(err)
	}
	checkIntact(t, filepath.Join(dir, "copy.db"))
}

// BenchmarkBackup copies a database of about 50 MB (some 45,000 stories with their full-text
// index, a year of a busy bot): the number for the README's capacity section.
func BenchmarkBackup(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "big.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Write.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 45000)
		INSERT INTO stories (source_id, item_key, cluster_id, title, summary, link, published_at, first_seen_at, language)
		SELECT 'src' || (i % 40), 'https://orda.kz/news/' || i, i,
			'«Казатомпром» увеличил добычу урана ' || i,
			'Тоқаев Астанада шетелдік инвесторлармен кездесті ' || hex(randomblob(8)) || '. Добыча урана в Казахстане выросла на ' || (i % 97) || '%, сообщила компания; Kazatomprom signs uranium supply deal ' || hex(randomblob(100)),
			'https://orda.kz/news/' || i || '/' || hex(randomblob(16)), 1764150000 + i, 1764150000 + i, 'ru' FROM n`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(db.Path())
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	i := 0
	for b.Loop() {
		i++
		if err := db.Backup(ctx, filepath.Join(dir, fmt.Sprintf("copy%d.db", i))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(st.Size())/1e6, "MB")
	b.SetBytes(st.Size())
}
