package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// unitFile is a systemd unit: section name → key → values in order (a key may repeat).
type unitFile map[string]map[string][]string

// parseUnit reads the subset of systemd's unit syntax our unit uses: [Sections], Key=Value
// lines, '#' and ';' comments, and lines continued with a trailing backslash.
func parseUnit(t *testing.T, path string) unitFile {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u := unitFile{}
	section := ""
	sc := bufio.NewScanner(f)
	var pending string
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if pending != "" {
			line = pending + " " + line
			pending = ""
		}
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if strings.HasSuffix(line, `\`) {
			pending = strings.TrimSuffix(line, `\`)
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = line[1 : len(line)-1]
			u[section] = map[string][]string{}
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok || section == "" {
			t.Fatalf("%s:%d: %q is neither a section nor Key=Value inside one", path, n, line)
		}
		key = strings.TrimSpace(key)
		u[section][key] = append(u[section][key], strings.TrimSpace(value))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return u
}

// one returns the single value of key in section, failing the test when it is absent.
func (u unitFile) one(t *testing.T, section, key string) string {
	t.Helper()
	vs := u[section][key]
	if len(vs) == 0 {
		t.Fatalf("[%s] %s= is missing", section, key)
	}
	return vs[len(vs)-1] // systemd: a later assignment wins
}

func TestDeployUnit(t *testing.T) {
	path := filepath.Join("deploy", "newsbot.service")
	u := parseUnit(t, path)
	for _, s := range []string{"Unit", "Service", "Install"} {
		if _, ok := u[s]; !ok {
			t.Errorf("section [%s] is missing", s)
		}
	}

	argv := strings.Fields(u.one(t, "Service", "ExecStart"))
	if len(argv) != 3 || !filepath.IsAbs(argv[0]) || filepath.Base(argv[0]) != "newsbot" ||
		argv[1] != "-config" || !filepath.IsAbs(argv[2]) || !strings.HasSuffix(argv[2], ".toml") {
		t.Errorf("ExecStart = %q, want /abs/path/newsbot -config /abs/config.toml (run mode, no command)", argv)
	}
	env := strings.TrimPrefix(u.one(t, "Service", "EnvironmentFile"), "-")
	if !filepath.IsAbs(env) {
		t.Errorf("EnvironmentFile = %q, want an absolute path: the token comes from there", env)
	}
	for _, e := range u["Service"]["Environment"] {
		if strings.Contains(e, "TOKEN") {
			t.Errorf("Environment=%s: secrets belong in the EnvironmentFile", e)
		}
	}

	for _, tc := range []struct{ key, want string }{
		{"Type", "simple"},
		{"Restart", "on-failure"},
		{"KillSignal", "SIGTERM"},
		{"NoNewPrivileges", "yes"},
		{"ProtectSystem", "strict"},
		{"CapabilityBoundingSet", ""},
	} {
		if got := u.one(t, "Service", tc.key); got != tc.want {
			t.Errorf("%s=%s, want %s", tc.key, got, tc.want)
		}
	}
	// Exit status 2 is a bad configuration but also any Go panic: a crash loop is bounded by
	// the start limit instead of never restarting after a panic.
	if got := u["Service"]["RestartPreventExitStatus"]; len(got) != 0 {
		t.Errorf("RestartPreventExitStatus=%v: a panic (exit 2) would never be restarted", got)
	}
	if u.one(t, "Unit", "StartLimitBurst") == "" || u.one(t, "Unit", "StartLimitIntervalSec") == "" {
		t.Error("no start limit: a bad configuration would restart forever")
	}
	// The bot stops within 10 s of SIGTERM; systemd must not SIGKILL it sooner.
	timeout := u.one(t, "Service", "TimeoutStopSec")
	if strings.Trim(timeout, "0123456789") == "" {
		timeout += "s" // systemd reads a bare number as seconds
	}
	stop, err := time.ParseDuration(timeout)
	if err != nil || stop <= 10*time.Second {
		t.Errorf("TimeoutStopSec = %v (%v), want more than 10s", stop, err)
	}
	// The database is written in the working directory: it must be the state directory.
	if wd, sd := u.one(t, "Service", "WorkingDirectory"), u.one(t, "Service", "StateDirectory"); wd != "/var/lib/"+sd {
		t.Errorf("WorkingDirectory=%s is not the StateDirectory /var/lib/%s", wd, sd)
	}

	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A Bot API token is "<bot id>:<35 characters>"; none may be committed, even in a comment.
	if tok := regexp.MustCompile(`\d{5,}:[A-Za-z0-9_-]{30,}`).Find(body); tok != nil {
		t.Errorf("the unit contains something like a bot token: %q", tok)
	}
}
