package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"

	"newsbot/migrations"
)

// backup writes a consistent copy of the database to out while the bot may be running, then
// reads the copy back and prints one line: where it went, its size and its schema version. It
// never overwrites out (see migrations.DB.Backup).
func (a *app) backup(ctx context.Context, out string, stdout io.Writer) error {
	if v, err := migrations.Version(ctx, a.db.Read); err != nil || v == 0 {
		return fmt.Errorf("backup: %s holds no newsbot database (schema version %d, %v)", a.cfg.Storage.Path, v, err)
	}
	if err := a.db.Backup(ctx, out); err != nil {
		return err
	}
	st, err := os.Stat(out)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// Reading the version from the copy, not the live database, proves the copy opens.
	v, err := fileVersion(ctx, out)
	if err != nil {
		return fmt.Errorf("backup: %s was written but cannot be read back: %w", out, err)
	}
	fmt.Fprintf(stdout, "%s: backup written to %s (%s, schema version %d)\n", a.cfg.Storage.Path, out, byteSize(st.Size()), v)
	return nil
}

// fileVersion returns the schema version of the database file at path, opened read-only so
// that reading it changes nothing (migrations.Open would switch a backup to WAL mode).
func fileVersion(ctx context.Context, path string) (int, error) {
	uri, err := readOnlyURI(path)
	if err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return migrations.Version(ctx, db)
}

// readOnlyURI names the SQLite file at path for a read-only connection. Any '?', '#' or '%' in
// the name is escaped, where a plain "file:" DSN would parse them.
func readOnlyURI(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	u := &url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(abs), RawQuery: "mode=ro"}
	return u.String(), nil
}

// byteSize formats n bytes for people: 512 B, 40.0 KiB, 12.3 MiB, 1.2 GiB.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 3; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGT"[exp])
}
