package main

import (
	"errors"

	"github.com/google/go-cmp/cmp"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func noEnv(string) string { return "" }

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBuiltInDefaults(t *testing.T) {
	cfg, err := LoadConfig(filepath.Join(t.TempDir(), "absent.toml"), false, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Poll.Schedule != "@every 5m" || cfg.Poll.Timeout != 20*time.Second || cfg.Poll.MaxBodyBytes != 5242880 {
		t.Errorf("poll defaults = %+v", cfg.Poll)
	}
	if cfg.Telegram.RateLimit != 30 || cfg.Telegram.APIURL != "https://api.telegram.org" || len(cfg.Telegram.Admins) != 0 {
		t.Errorf("telegram defaults = %+v", cfg.Telegram)
	}
	if cfg.Storage.Path != "newsbot.db" || cfg.Digest.Timezone != "Asia/Almaty" || cfg.Digest.MaxStories != 10 {
		t.Errorf("storage/digest defaults = %+v %+v", cfg.Storage, cfg.Digest)
	}
	topics := map[string]TopicConfig{}
	for _, tp := range cfg.Topics {
		topics[tp.ID] = tp
	}
	for _, id := range []string{"politics", "economy", "energy", "security", "society", "regions", "world"} {
		tp, ok := topics[id]
		if !ok {
			t.Errorf("built-in topic %q missing", id)
			continue
		}
		var ru, kk, en bool
		for _, kw := range tp.Keywords {
			ru = ru || strings.ContainsAny(kw, "абвгдежзийклмнопрстуфхцчшщыэюяАБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ")
			kk = kk || strings.ContainsAny(kw, "әғқңөұүһіӘҒҚҢӨҰҮҺІ")
			en = en || strings.ContainsAny(kw, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
		}
		if !ru || !kk || !en {
			t.Errorf("topic %q keywords: russian %v, kazakh %v, english %v; want all three", id, ru, kk, en)
		}
	}
	want := []string{"orda.kz", "kursiv.media", "vlast.kz", "inform.kz", "tengrinews.kz", "timesca.com", "24.kg", "kun.uz"}
	var urls []string
	for _, s := range cfg.Sources {
		urls = append(urls, s.URL)
	}
	all := strings.Join(urls, " ")
	for _, host := range want {
		if !strings.Contains(all, host) {
			t.Errorf("built-in sources lack %s", host)
		}
	}
}

func TestFileOverridesAndKeepsBuiltInLists(t *testing.T) {
	path := writeConfig(t, `
[telegram]
token = "123:abc"
admins = [42]
[poll]
timeout = "7s"
`)
	cfg, err := LoadConfig(path, true, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Telegram.Token != "123:abc" || cfg.Telegram.Admins[0] != 42 || cfg.Poll.Timeout != 7*time.Second {
		t.Errorf("file values not applied: %+v %+v", cfg.Telegram, cfg.Poll)
	}
	if cfg.Poll.Schedule != "@every 5m" || len(cfg.Sources) < 10 || len(cfg.Topics) < 7 {
		t.Errorf("unset keys lost their built-in values: schedule %q, %d sources, %d topics",
			cfg.Poll.Schedule, len(cfg.Sources), len(cfg.Topics))
	}
}

func TestFileSourcesReplaceBuiltIn(t *testing.T) {
	path := writeConfig(t, `
[[topics]]
id = "energy"
title = "Energy"
keywords = ["uranium"]

[[sources]]
id = "local"
title = "Local"
url = "http://127.0.0.1:1/feed"
topics = ["energy"]
`)
	cfg, err := LoadConfig(path, true, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	wantTopics := []TopicConfig{{ID: "energy", Title: "Energy", Keywords: []string{"uranium"}}}
	wantSources := []SourceConfig{{ID: "local", Title: "Local", URL: "http://127.0.0.1:1/feed", Topics: []string{"energy"}}}
	if diff := cmp.Diff(wantTopics, cfg.Topics); diff != "" {
		t.Errorf("topics (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantSources, cfg.Sources); diff != "" {
		t.Errorf("sources (-want +got): nothing of the built-in entries may leak in\n%s", diff)
	}
}

func TestFileTopicsAloneKeepBuiltInSourcesConsistent(t *testing.T) {
	// A file with its own topics but the built-in sources: the built-in sources name built-in
	// topics, so the file must say which topics it has. The error names the source's key.
	path := writeConfig(t, "[[topics]]\nid = \"sport\"\ntitle = \"Sport\"\n")
	_, err := LoadConfig(path, true, noEnv)
	var ce *ConfigError
	if !errors.As(err, &ce) || !strings.HasPrefix(ce.Key, "sources[") {
		t.Fatalf("err = %v, want a sources[i].topics error", err)
	}
}

func TestEnvTokenWins(t *testing.T) {
	path := writeConfig(t, "[telegram]\ntoken = \"1:file\"\n")
	cfg, err := LoadConfig(path, true, func(k string) string {
		if k == "NEWSBOT_TELEGRAM_TOKEN" {
			return "2:env"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Telegram.Token != "2:env" {
		t.Fatalf("token = %q, want the environment's", cfg.Telegram.Token)
	}
}

func TestEnvWebhookSecretWins(t *testing.T) {
	path := writeConfig(t, "[telegram]\nwebhook_url = \"https://bot.example.org/tg\"\nwebhook_listen = \"127.0.0.1:8443\"\n")
	env := func(k string) string {
		if k == "NEWSBOT_TELEGRAM_WEBHOOK_SECRET" {
			return "from-env_1"
		}
		return ""
	}
	cfg, err := LoadConfig(path, true, env)
	if err != nil || cfg.Telegram.WebhookSecret != "from-env_1" {
		t.Fatalf("secret = %q, %v; want the environment's", cfg.Telegram.WebhookSecret, err)
	}
	if _, err := LoadConfig(path, true, noEnv); err == nil || !strings.Contains(err.Error(), "telegram.webhook_secret") {
		t.Errorf("without a secret anywhere: %v", err)
	}
}

func TestLoadConfigErrorsNameTheKey(t *testing.T) {
	tests := []struct {
		name, body, wantKey string
	}{
		{"unknown key", "[poll]\nshedule = \"@every 1m\"\n", "poll.shedule"},
		{"bad schedule", "[poll]\nschedule = \"every five minutes\"\n", "poll.schedule"},
		{"short timeout", "[poll]\ntimeout = \"10ms\"\n", "poll.timeout"},
		{"bad duration", "[poll]\ntimeout = \"soon\"\n", "poll.timeout"},
		{"wrong type", "[telegram]\nrate_limit = \"fast\"\n", "telegram.rate_limit"},
		{"local zone", "[digest]\ntimezone = \"Local\"\n", "digest.timezone"},
		{"uri path", "[storage]\npath = \"news?mode=ro\"\n", "storage.path"},
		{"rate limit", "[telegram]\nrate_limit = 0\n", "telegram.rate_limit"},
		{"negative admin", "[telegram]\nadmins = [1, -5]\n", "telegram.admins[1]"},
		{"token with space", "[telegram]\ntoken = \"12:ab cd\"\n", "telegram.token"},
		{"api url", "[telegram]\napi_url = \"ftp://x\"\n", "telegram.api_url"},
		{"webhook http", "[telegram]\nwebhook_url = \"http://x/y\"\n", "telegram.webhook_url"},
		{"webhook without secret", "[telegram]\nwebhook_url = \"https://x/y\"\nwebhook_listen = \"127.0.0.1:8443\"\n", "telegram.webhook_secret"},
		{"listen", "[http]\nlisten = \"9090\"\n", "http.listen"},
		{"timezone", "[digest]\ntimezone = \"Mars/Olympus\"\n", "digest.timezone"},
		{"max stories", "[digest]\nmax_stories = 0\n", "digest.max_stories"},
		{"memory database", "[storage]\npath = \":memory:\"\n", "storage.path"},
		{"two topics, one title", "[[topics]]\nid = \"oil\"\ntitle = \"Energy\"\n[[topics]]\nid = \"power\"\ntitle = \"energy\"\n[[sources]]\nid = \"a\"\ntitle = \"A\"\nurl = \"http://a/\"\n", "topics"},
		{"uri database", "[storage]\npath = \"file:news.db\"\n", "storage.path"},
		{"log level", "[log]\nlevel = \"loud\"\n", "log.level"},
		{"topic id", "[[topics]]\nid = \"Energy!\"\ntitle = \"E\"\n[[sources]]\nid = \"a\"\ntitle = \"A\"\nurl = \"http://a/\"\n", "topics[0].id"},
		{"duplicate source", "[[sources]]\nid = \"a\"\ntitle = \"A\"\nurl = \"http://a/\"\n[[sources]]\nid = \"a\"\ntitle = \"B\"\nurl = \"http://b/\"\n", "sources[1].id"},
		{"source url", "[[sources]]\nid = \"a\"\ntitle = \"A\"\nurl = \"orda.kz/feed\"\n", "sources[0].url"},
		{"source topic", "[[sources]]\nid = \"a\"\ntitle = \"A\"\nurl = \"http://a/\"\ntopics = [\"sport\"]\n", "sources[0].topics[0]"},
		{"source language", "[[sources]]\nid = \"a\"\ntitle = \"A\"\nurl = \"http://a/\"\nlanguage = \"russian\"\n", "sources[0].language"},
		{"source schedule", "[[sources]]\nid = \"a\"\ntitle = \"A\"\nurl = \"http://a/\"\nschedule = \"@sometimes\"\n", "sources[0].schedule"},
		{"syntax", "[poll\nschedule = 1\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadConfig(writeConfig(t, tc.body), true, noEnv)
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *ConfigError", err)
			}
			if tc.wantKey != "" && ce.Key != tc.wantKey {
				t.Errorf("key = %q, want %q (error: %v)", ce.Key, tc.wantKey, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans several lines: %q", err)
			}
		})
	}
}

func TestExplicitMissingFileIsAnError(t *testing.T) {
	_, err := LoadConfig(filepath.Join(t.TempDir(), "nope.toml"), true, noEnv)
	var ce *ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "nope.toml") {
		t.Fatalf("err = %v, want a *ConfigError naming the file", err)
	}
}

func TestAlertLimitsAreValidated(t *testing.T) {
	for key, body := range map[string]string{
		"alerts.max_per_chat": "[alerts]\nmax_per_chat = 0\n",
		"alerts.max_length":   "[alerts]\nmax_length = 5\n",
		"alerts.max_terms":    "[alerts]\nmax_terms = 500\n",
	} {
		_, err := LoadConfig(writeConfig(t, body), true, noEnv)
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Key != key {
			t.Errorf("%s: err = %v", key, err)
		}
	}
}
