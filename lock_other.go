//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || illumos)

package main

import (
	"errors"
	"os"
)

// haveFlock is false where syscall.Flock is missing (Windows, AIX, Solaris, Plan 9, wasm): there
// lockDatabase does nothing, and nothing stops a second bot on the same database, which would
// send every story twice. SQLite still keeps the data itself consistent.
const haveFlock = false

var errLocked = errors.New("locked")

func tryLock(*os.File) error { return errors.ErrUnsupported }

func unlock(*os.File) error { return errors.ErrUnsupported }
