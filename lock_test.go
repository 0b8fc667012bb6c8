package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// lockHelperEnv, set to a database path, turns the test binary into a process that locks that
// database, prints "locked" and holds the lock until its stdin closes.
const lockHelperEnv = "NEWSBOT_TEST_LOCK_HELPER"

func TestLockHelperProcess(t *testing.T) {
	path := os.Getenv(lockHelperEnv)
	if path == "" {
		return // an ordinary test run: nothing to do
	}
	release, err := lockDatabase(path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin)
	if err := release(); err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	os.Exit(0)
}

// needFlock skips tests of a lock this system cannot take.
func needFlock(t *testing.T) {
	t.Helper()
	if !haveFlock {
		t.Skip("no flock on this system: lockDatabase does nothing")
	}
}

func wantRunning(t *testing.T, err error, path string, pid int) {
	t.Helper()
	var re *runningError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a runningError", err)
	}
	want := fmt.Sprintf("another newsbot (pid %d) is running on %s; stop it first, or point storage.path at another file", pid, path)
	if err.Error() != want {
		t.Fatalf("err = %q\nwant  %q", err, want)
	}
}

func TestLockRefusesSecondInstanceInProcess(t *testing.T) {
	needFlock(t)
	path := filepath.Join(t.TempDir(), "newsbot.db")
	release, err := lockDatabase(path)
	if err != nil {
		t.Fatal(err)
	}
	if body, _ := os.ReadFile(path + ".lock"); string(body) != strconv.Itoa(os.Getpid())+"\n" {
		t.Errorf("lock file holds %q, want this pid", body)
	}
	// Two opens of one file are two open file descriptions: flock makes them conflict even
	// within a process, so this stands for a second process.
	_, err = lockDatabase(path)
	wantRunning(t, err, path, os.Getpid())

	if err := release(); err != nil {
		t.Fatal(err)
	}
	if err := release(); err != nil {
		t.Errorf("second release: %v", err)
	}
	if body, err := os.ReadFile(path + ".lock"); err != nil || len(body) != 0 {
		t.Errorf("after release the lock file holds %q (%v); want it kept and empty", body, err)
	}
	again, err := lockDatabase(path)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again()
}

func TestLockDifferentDatabasesDoNotConflict(t *testing.T) {
	needFlock(t)
	dir := t.TempDir()
	var releases []func() error
	for _, name := range []string{"newsbot.db", "staging.db", "newsbot.db.old"} {
		release, err := lockDatabase(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		releases = append(releases, release)
	}
	for _, r := range releases {
		if err := r(); err != nil {
			t.Error(err)
		}
	}
}

func TestLockSeesThroughSymlinks(t *testing.T) {
	needFlock(t)
	dir := t.TempDir()
	real := filepath.Join(dir, "newsbot.db")
	if err := os.WriteFile(real, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "current.db")
	if err := os.Symlink(real, link); err != nil {
		t.Skip(err)
	}
	release, err := lockDatabase(real)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	_, err = lockDatabase(link)
	wantRunning(t, err, link, os.Getpid())
}

func TestLockIgnoresStalePid(t *testing.T) {
	needFlock(t)
	path := filepath.Join(t.TempDir(), "newsbot.db")
	// What a killed bot leaves: its pid, but no lock.
	if err := os.WriteFile(path+".lock", []byte("4194304\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	release, err := lockDatabase(path)
	if err != nil {
		t.Fatalf("a stale pid blocked the lock: %v", err)
	}
	defer release()
	if body, _ := os.ReadFile(path + ".lock"); string(body) != strconv.Itoa(os.Getpid())+"\n" {
		t.Errorf("lock file holds %q, want this pid only", body)
	}
}

func TestLockErrorsOtherwiseSayWhy(t *testing.T) {
	needFlock(t)
	path := filepath.Join(t.TempDir(), "no-such-dir", "newsbot.db")
	_, err := lockDatabase(path)
	var re *runningError
	if err == nil || errors.As(err, &re) || !strings.HasPrefix(err.Error(), "lock: ") || !strings.Contains(err.Error(), path+".lock") {
		t.Fatalf("lock in a missing directory: %v", err)
	}
}

// TestLockHeldByAnotherProcess locks the database from a child process, checks that this one
// is refused with the child's pid, then kills the child with SIGKILL: the kernel must drop the
// lock without any cleanup by the dead process.
func TestLockHeldByAnotherProcess(t *testing.T) {
	needFlock(t)
	if testing.Short() {
		t.Skip("starts a process")
	}
	path := filepath.Join(t.TempDir(), "newsbot.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$")
	cmd.Env = append(os.Environ(), lockHelperEnv+"="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
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
		if s != "locked\n" {
			t.Fatalf("helper said %q", s)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the helper did not lock within 30s")
	}

	_, err = lockDatabase(path)
	wantRunning(t, err, path, cmd.Process.Pid)

	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	release, err := lockDatabase(path)
	if err != nil {
		t.Fatalf("lock after the holder was killed: %v", err)
	}
	release()
}

func TestLockMessageWithoutPid(t *testing.T) {
	err := &runningError{Path: "newsbot.db"}
	want := "another newsbot is running on newsbot.db; stop it first, or point storage.path at another file"
	if err.Error() != want {
		t.Errorf("%q, want %q", err, want)
	}
}
