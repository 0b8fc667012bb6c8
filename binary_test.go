package main

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"newsbot/bot/telegramtest"
)

// The tests that run the real binary (kill -9 mid-send, SIGTERM mid-broadcast) share this: the
// binary built once per test run, a process started with the token in its environment, and
// waits that fail the test with what they were waiting for.

var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
	binaryOut  []byte
)

// newsbotBinary builds the program once for every test of this run that needs it, and skips in
// -short mode.
func newsbotBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "newsbot-bin")
		if err != nil {
			binaryErr = err
			return
		}
		binaryPath = filepath.Join(dir, "newsbot")
		binaryOut, binaryErr = exec.Command("go", "build", "-o", binaryPath, ".").CombinedOutput()
	})
	if binaryErr != nil {
		t.Fatalf("build: %v\n%s", binaryErr, binaryOut)
	}
	return binaryPath
}

// binaryRig is a config and database for the binary, against a fake Bot API.
type binaryRig struct {
	t   *testing.T
	bin string
	api *telegramtest.Server
	cfg string // config file
	db  string // database file
	sql *sql.DB
}

// newBinaryRig writes config (a whole TOML file) into dir, runs
// `newsbot migrate` on it and opens the database for the test to seed and inspect.
func newBinaryRig(t *testing.T, api *telegramtest.Server, dir, config string) *binaryRig {
	t.Helper()
	r := &binaryRig{t: t, bin: newsbotBinary(t), api: api, cfg: filepath.Join(dir, "config.toml"), db: filepath.Join(dir, "news.db")}
	if err := os.WriteFile(r.cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(r.bin, "migrate", "-config", r.cfg).CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	db, err := sql.Open("sqlite", r.db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r.sql = db
	return r
}

// exec runs statements on the rig's database, failing the test on an error.
func (r *binaryRig) exec(query string, args ...any) {
	r.t.Helper()
	if _, err := r.sql.Exec(query, args...); err != nil {
		r.t.Fatal(err)
	}
}

// addChats adds n private chats with ids from first, following topic unless it is "".
func (r *binaryRig) addChats(first int64, n int, topic string) {
	r.t.Helper()
	for i := range int64(n) {
		r.exec(`INSERT INTO chats (id, type, title, created_at, updated_at) VALUES (?, 'private', 'u', 0, 0)`, first+i)
		if topic != "" {
			r.exec(`INSERT INTO chat_topics (chat_id, topic_id, created_at) VALUES (?, ?, 0)`, first+i, topic)
		}
	}
}

// start starts the bot with the fake API's token in its environment.
func (r *binaryRig) start() *exec.Cmd {
	r.t.Helper()
	cmd := exec.Command(r.bin, "-config", r.cfg)
	cmd.Env = append(os.Environ(), "NEWSBOT_TELEGRAM_TOKEN="+r.api.Token())
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	return cmd
}

// stop sends SIGTERM and fails unless the process exits 0 within limit; it returns how long
// the exit took.
func (r *binaryRig) stop(cmd *exec.Cmd, limit time.Duration) time.Duration {
	r.t.Helper()
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		r.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			r.t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(limit):
		cmd.Process.Kill()
		r.t.Fatalf("no exit within %s of SIGTERM", limit)
	}
	return time.Since(start)
}

// kill ends the process with SIGKILL, as a crash would.
func (r *binaryRig) kill(cmd *exec.Cmd) {
	r.t.Helper()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		r.t.Fatal(err)
	}
	cmd.Wait()
}

// received counts the bot's messages in chats first … first+n-1: how many chats have any, and
// how many there are in all.
func (r *binaryRig) received(first int64, n int) (chatsWith, total int) {
	for i := range int64(n) {
		m := len(r.api.Messages(first + i))
		total += m
		if m > 0 {
			chatsWith++
		}
	}
	return chatsWith, total
}

// waitFor polls ok until it holds, failing the test with what after timeout.
func waitFor(t *testing.T, what string, timeout time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestMain removes the binary built for the run.
func TestMain(m *testing.M) {
	code := m.Run()
	if binaryPath != "" {
		os.RemoveAll(filepath.Dir(binaryPath))
	}
	os.Exit(code)
}
