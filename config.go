package main

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/robfig/cron/v3"

	"newsbot/subscriptions"
)

// defaultConfigTOML is config.example.toml itself: the documented example and the built-in
// defaults can never drift apart.
//
//go:embed config.example.toml
var defaultConfigTOML string

// Config is newsbot's whole configuration, decoded from one TOML file. Its names are fixed by
// docs/interface.md.
type Config struct {
	Telegram TelegramConfig `toml:"telegram"`
	Storage  StorageConfig  `toml:"storage"`
	HTTP     HTTPConfig     `toml:"http"`
	Poll     PollConfig     `toml:"poll"`
	Digest   DigestConfig   `toml:"digest"`
	Log      LogConfig      `toml:"log"`
	Alerts   AlertsConfig   `toml:"alerts"`
	Topics   []TopicConfig  `toml:"topics"`
	Sources  []SourceConfig `toml:"sources"`
}

// TelegramConfig says how to reach the Bot API and who administers the bot.
type TelegramConfig struct {
	Token     string  `toml:"token"`
	APIURL    string  `toml:"api_url"`
	Admins    []int64 `toml:"admins"`
	RateLimit int     `toml:"rate_limit"`
	// AllowPaidBroadcast lets digests and broadcasts go past the free rate as paid broadcasts.
	AllowPaidBroadcast bool   `toml:"allow_paid_broadcast"`
	WebhookURL         string `toml:"webhook_url"`
	WebhookListen      string `toml:"webhook_listen"`
	WebhookSecret      string `toml:"webhook_secret"`
}

// StorageConfig locates the SQLite database.
type StorageConfig struct {
	Path string `toml:"path"`
}

// HTTPConfig is the operator's HTTP endpoint (/healthz, /metrics).
type HTTPConfig struct {
	Listen string `toml:"listen"`
}

// PollConfig governs how feeds are fetched.
type PollConfig struct {
	Schedule     string        `toml:"schedule"`
	Timeout      time.Duration `toml:"timeout"`
	MaxBodyBytes int64         `toml:"max_body_bytes"`
	UserAgent    string        `toml:"user_agent"`
	PerHost      int           `toml:"per_host"`
	MaxInterval  time.Duration `toml:"max_interval"`
}

// DigestConfig is the morning digest.
type DigestConfig struct {
	Schedule   string `toml:"schedule"`
	Timezone   string `toml:"timezone"`
	MaxStories int    `toml:"max_stories"`
	QuietNote  bool   `toml:"quiet_note"`
}

// AlertsConfig bounds keyword alerts.
type AlertsConfig struct {
	MaxPerChat int `toml:"max_per_chat"`
	MaxLength  int `toml:"max_length"`
	MaxTerms   int `toml:"max_terms"`
}

// LogConfig shapes the log.
type LogConfig struct {
	Level  string `toml:"level"`
	Format string `toml:"format"`
}

// TopicConfig is one topic users subscribe to.
type TopicConfig struct {
	ID       string            `toml:"id"`
	Title    string            `toml:"title"`
	Titles   map[string]string `toml:"titles"`
	Keywords []string          `toml:"keywords"`
}

// SourceConfig is one feed.
type SourceConfig struct {
	ID       string   `toml:"id"`
	Title    string   `toml:"title"`
	URL      string   `toml:"url"`
	Language string   `toml:"language"`
	Topics   []string `toml:"topics"`
	Schedule string   `toml:"schedule"`
	Timezone string   `toml:"timezone"`
}

// ConfigError is a configuration problem, reported to the operator as one line naming the key.
type ConfigError struct {
	Key     string // "sources[2].url"; empty when the file as a whole is at fault
	Problem string
}

func (e *ConfigError) Error() string {
	if e.Key == "" {
		return "config: " + e.Problem
	}
	return "config: " + e.Key + ": " + e.Problem
}

// LoadConfig reads the configuration. With explicit set, path must exist; otherwise a missing
// path means the built-in defaults (config.example.toml). Keys the file does not set keep their
// built-in values; [[topics]] and [[sources]] in a file replace the built-in lists as a whole.
// NEWSBOT_TELEGRAM_TOKEN, when set, replaces telegram.token. The result is validated; every
// failure is a *ConfigError.
func LoadConfig(path string, explicit bool, getenv func(string) string) (*Config, error) {
	cfg, err := parseConfig(defaultConfigTOML, "built-in defaults", defaults())
	if err != nil {
		return nil, err
	}
	body, err := os.ReadFile(path)
	switch {
	case err == nil:
		if cfg, err = parseConfig(string(body), path, cfg); err != nil {
			return nil, err
		}
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		// built-in defaults
	default:
		return nil, &ConfigError{Problem: fmt.Sprintf("cannot read %s: %v", path, unwrapPathError(err))}
	}
	if tok := getenv("NEWSBOT_TELEGRAM_TOKEN"); tok != "" {
		cfg.Telegram.Token = tok
	}
	// The webhook secret is a secret too: like the token it can stay out of the file.
	if secret := getenv("NEWSBOT_TELEGRAM_WEBHOOK_SECRET"); secret != "" {
		cfg.Telegram.WebhookSecret = secret
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// parseConfig decodes one TOML document over base, which it changes and returns. Arrays of
// tables the document has ([[topics]], [[sources]]) replace base's whole: decoding over them
// would merge each table into the built-in entry at its position. Unknown keys are errors: a
// typo such as `shedule` would otherwise silently keep the default.
func parseConfig(doc, name string, base *Config) (*Config, error) {
	var probe Config
	md, err := toml.Decode(doc, &probe)
	if err != nil {
		return nil, tomlError(name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, &ConfigError{Key: und[0].String(), Problem: "unknown key"}
	}
	if md.IsDefined("topics") {
		base.Topics = nil
	}
	if md.IsDefined("sources") {
		base.Sources = nil
	}
	if _, err := toml.Decode(doc, base); err != nil {
		return nil, tomlError(name, err)
	}
	return base, nil
}

// lastKey finds the key BurntSushi/toml names in its type errors, which are not ParseErrors.
var lastKey = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// tomlError makes a decoding error a one-line *ConfigError naming the key.
func tomlError(name string, err error) *ConfigError {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return &ConfigError{Key: pe.LastKey, Problem: fmt.Sprintf("%s line %d: %s", name, pe.Position.Line, firstLine(pe.Message))}
	}
	if m := lastKey.FindStringSubmatch(err.Error()); m != nil {
		return &ConfigError{Key: m[2], Problem: fmt.Sprintf("%s line %s: %s", name, m[1], firstLine(m[3]))}
	}
	return &ConfigError{Problem: fmt.Sprintf("%s: %s", name, firstLine(err.Error()))}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// defaults are the values a key takes when the file leaves it out.
func defaults() *Config {
	return &Config{
		Telegram: TelegramConfig{APIURL: "https://api.telegram.org", RateLimit: 30},
		Storage:  StorageConfig{Path: "newsbot.db"},
		HTTP:     HTTPConfig{Listen: "127.0.0.1:9090"},
		Poll: PollConfig{
			Schedule:     "@every 5m",
			Timeout:      20 * time.Second,
			MaxBodyBytes: 5 << 20,
			PerHost:      2,
			MaxInterval:  time.Hour,
		},
		Digest: DigestConfig{Schedule: "0 8 * * *", Timezone: "Asia/Almaty", MaxStories: 10, QuietNote: true},
		Log:    LogConfig{Level: "info", Format: "text"},
		Alerts: AlertsConfig{MaxPerChat: 20, MaxLength: 200, MaxTerms: 10},
	}
}

var (
	idPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9_]{0,31}$`)
	secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	languages     = map[string]bool{"ru": true, "kk": true, "en": true, "uz": true, "ky": true, "tg": true}
)

// cronParser accepts what robfig/cron's default parser accepts: five fields or a descriptor.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Validate checks every key and returns a *ConfigError naming the first bad one.
func (c *Config) Validate() error {
	bad := func(key, format string, args ...any) error {
		return &ConfigError{Key: key, Problem: fmt.Sprintf(format, args...)}
	}
	t := c.Telegram
	if strings.ContainsAny(t.Token, " \t\r\n") {
		return bad("telegram.token", "must not contain spaces or line breaks")
	}
	if t.Token != "" && !strings.Contains(t.Token, ":") {
		return bad("telegram.token", "does not look like a bot token from @BotFather (123456:ABC…)")
	}
	if err := checkHTTPURL(t.APIURL); err != nil {
		return bad("telegram.api_url", "%v", err)
	}
	for i, id := range t.Admins {
		if id <= 0 {
			return bad(fmt.Sprintf("telegram.admins[%d]", i), "must be a positive Telegram user id, got %d", id)
		}
	}
	if t.RateLimit < 1 || t.RateLimit > 1000 {
		return bad("telegram.rate_limit", "must be between 1 and 1000 messages per second, got %d", t.RateLimit)
	}
	if t.WebhookURL != "" {
		u, err := url.Parse(t.WebhookURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return bad("telegram.webhook_url", "must be an https:// URL (Telegram only calls https webhooks)")
		}
		if t.WebhookListen == "" {
			return bad("telegram.webhook_listen", "is required with telegram.webhook_url")
		}
		if t.WebhookSecret == "" {
			return bad("telegram.webhook_secret", "is required with telegram.webhook_url")
		}
	}
	if t.WebhookListen != "" {
		if _, _, err := net.SplitHostPort(t.WebhookListen); err != nil {
			return bad("telegram.webhook_listen", "must be host:port, got %q", t.WebhookListen)
		}
	}
	if t.WebhookSecret != "" && !secretPattern.MatchString(t.WebhookSecret) {
		return bad("telegram.webhook_secret", "must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
	}
	if strings.TrimSpace(c.Storage.Path) == "" || strings.ContainsAny(c.Storage.Path, "?#") {
		return bad("storage.path", "must be a file name without '?' or '#', got %q", c.Storage.Path)
	}
	if p := c.Storage.Path; p == ":memory:" || strings.HasPrefix(p, "file:") {
		// An in-memory database would be a different, empty one on every connection.
		return bad("storage.path", "must be a file name (the database is a file that outlives the process), got %q", p)
	}
	if c.HTTP.Listen != "" {
		if _, _, err := net.SplitHostPort(c.HTTP.Listen); err != nil {
			return bad("http.listen", "must be host:port or \"\", got %q", c.HTTP.Listen)
		}
	}
	p := c.Poll
	if _, err := cronParser.Parse(p.Schedule); err != nil {
		return bad("poll.schedule", "%v", err)
	}
	if p.Timeout < time.Second || p.Timeout > 5*time.Minute {
		return bad("poll.timeout", "must be between 1s and 5m, got %s", p.Timeout)
	}
	if p.MaxBodyBytes < 1024 || p.MaxBodyBytes > 100<<20 {
		return bad("poll.max_body_bytes", "must be between 1024 and 104857600, got %d", p.MaxBodyBytes)
	}
	if p.PerHost < 1 || p.PerHost > 64 {
		return bad("poll.per_host", "must be between 1 and 64, got %d", p.PerHost)
	}
	if p.MaxInterval < time.Minute || p.MaxInterval > 24*time.Hour {
		return bad("poll.max_interval", "must be between 1m and 24h, got %s", p.MaxInterval)
	}
	d := c.Digest
	if _, err := cronParser.Parse(d.Schedule); err != nil {
		return bad("digest.schedule", "%v", err)
	}
	if _, err := time.LoadLocation(d.Timezone); err != nil || d.Timezone == "" || d.Timezone == "Local" {
		return bad("digest.timezone", "unknown time zone %q (use an IANA name such as Asia/Almaty)", d.Timezone)
	}
	if d.MaxStories < 1 || d.MaxStories > 50 {
		return bad("digest.max_stories", "must be between 1 and 50, got %d", d.MaxStories)
	}
	if a := c.Alerts; a.MaxPerChat < 1 || a.MaxPerChat > 1000 {
		return bad("alerts.max_per_chat", "must be between 1 and 1000, got %d", a.MaxPerChat)
	}
	if a := c.Alerts; a.MaxLength < 10 || a.MaxLength > 1000 {
		return bad("alerts.max_length", "must be between 10 and 1000 characters, got %d", a.MaxLength)
	}
	if a := c.Alerts; a.MaxTerms < 1 || a.MaxTerms > 50 {
		return bad("alerts.max_terms", "must be between 1 and 50, got %d", a.MaxTerms)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return bad("log.level", "must be debug, info, warn or error, got %q", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		return bad("log.format", "must be text or json, got %q", c.Log.Format)
	}
	topics := map[string]bool{}
	for i, tp := range c.Topics {
		key := fmt.Sprintf("topics[%d]", i)
		if !idPattern.MatchString(tp.ID) {
			return bad(key+".id", "must be 1-32 characters of a-z, 0-9 and _, starting with a letter or digit, got %q", tp.ID)
		}
		if topics[tp.ID] {
			return bad(key+".id", "%q is used by two topics", tp.ID)
		}
		topics[tp.ID] = true
		if strings.TrimSpace(tp.Title) == "" {
			return bad(key+".title", "must not be empty")
		}
		for lang, title := range tp.Titles {
			if !languages[lang] {
				return bad(key+".titles."+lang, "unknown language (use ru, kk, en, uz, ky or tg)")
			}
			if strings.TrimSpace(title) == "" {
				return bad(key+".titles."+lang, "must not be empty")
			}
		}
		for j, kw := range tp.Keywords {
			if strings.TrimSpace(kw) == "" {
				return bad(fmt.Sprintf("%s.keywords[%d]", key, j), "must not be empty")
			}
		}
	}
	// Users name topics by id or any title: one name must not stand for two topics.
	if _, err := subscriptions.NewCatalog(subscriptionTopics(c)); err != nil {
		return bad("topics", "%s", strings.TrimPrefix(err.Error(), "subscriptions: "))
	}
	if len(c.Sources) == 0 {
		return bad("sources", "at least one source is needed")
	}
	sources := map[string]bool{}
	for i, s := range c.Sources {
		key := fmt.Sprintf("sources[%d]", i)
		if !idPattern.MatchString(s.ID) {
			return bad(key+".id", "must be 1-32 characters of a-z, 0-9 and _, starting with a letter or digit, got %q", s.ID)
		}
		if sources[s.ID] {
			return bad(key+".id", "%q is used by two sources", s.ID)
		}
		sources[s.ID] = true
		if strings.TrimSpace(s.Title) == "" {
			return bad(key+".title", "must not be empty")
		}
		if err := checkHTTPURL(s.URL); err != nil {
			return bad(key+".url", "%v", err)
		}
		if s.Language != "" && !languages[s.Language] {
			return bad(key+".language", "must be one of ru, kk, en, uz, ky, tg, got %q", s.Language)
		}
		for j, tp := range s.Topics {
			if !topics[tp] {
				return bad(fmt.Sprintf("%s.topics[%d]", key, j), "no topic has id %q (a source's topics must be ids of [[topics]])", tp)
			}
		}
		if s.Schedule != "" {
			if _, err := cronParser.Parse(s.Schedule); err != nil {
				return bad(key+".schedule", "%v", err)
			}
		}
		if s.Timezone != "" {
			if _, err := time.LoadLocation(s.Timezone); err != nil || s.Timezone == "Local" {
				return bad(key+".timezone", "unknown time zone %q", s.Timezone)
			}
		}
	}
	return nil
}

func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("must be an absolute http(s) URL, got %q", raw)
	}
	return nil
}

// Location returns the zone of digest.timezone, validated already.
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Digest.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}
