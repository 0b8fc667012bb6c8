package bot

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"

	"newsbot/bot/telegramtest"
	"newsbot/bot/texts"
	"newsbot/digest"
	"newsbot/migrations"
	"newsbot/subscriptions"
)

// hookSecret is the webhook secret of these tests: Telegram's alphabet, near its usual length.
const hookSecret = "nb_Astana-2026_kZ9x7Qw3vL1mPz8Rt4Yh6Uj2Ik5Ol0"

var (
	dana   = telegramtest.User{ID: 2001, FirstName: "Дана", LanguageCode: "ru"}
	nurlan = telegramtest.User{ID: 2002, FirstName: "Нұрлан", LanguageCode: "kk"}
	emma   = telegramtest.User{ID: 2003, FirstName: "Emma", LanguageCode: "en"}
)

// hookStores are the database-backed stores a bot runs on; one set can outlive a bot, as the
// database outlives a process.
type hookStores struct {
	subs    *subscriptions.Store
	stories *digest.Store
}

func newHookStores(t *testing.T) hookStores {
	t.Helper()
	db, err := migrations.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	var topics []subscriptions.Topic
	for _, tp := range e2eTopics {
		topics = append(topics, subscriptions.Topic{ID: tp.ID, Title: tp.Title})
	}
	catalog, err := subscriptions.NewCatalog(topics)
	if err != nil {
		t.Fatal(err)
	}
	return hookStores{subs: subscriptions.NewStore(db, catalog, subscriptions.Limits{}, nil), stories: digest.NewStore(db)}
}

// runningBot is a Bot whose Run goes on in the background.
type runningBot struct {
	t      *testing.T
	bot    *Bot
	cancel context.CancelFunc
	done   chan error
	result error
	ended  bool
}

// startBot runs a Bot on api with cfg (token and API URL filled in); the test's end stops it.
func startBot(t *testing.T, api *telegramtest.Server, st hookStores, cfg Config) *runningBot {
	t.Helper()
	cfg.Token, cfg.APIURL = api.Token(), api.URL()
	if cfg.RateLimit == 0 {
		cfg.RateLimit = 1000
	}
	cfg.Sources = map[string]string{"orda": "Orda.kz"}
	msgs, err := texts.Load()
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(cfg, st.subs, st.stories, msgs)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &runningBot{t: t, bot: b, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- b.Run(ctx) }()
	t.Cleanup(func() { r.stop() })
	return r
}

// wait returns Run's result once it has returned by itself, failing the test after timeout.
func (r *runningBot) wait(timeout time.Duration) error {
	r.t.Helper()
	if r.ended {
		return r.result
	}
	select {
	case r.result = <-r.done:
		r.ended = true
		return r.result
	case <-time.After(timeout):
		r.t.Fatalf("Run did not return within %v", timeout)
		return nil
	}
}

// stop ends Run as SIGTERM would and returns its result.
func (r *runningBot) stop() error {
	r.t.Helper()
	r.cancel()
	return r.wait(10 * time.Second)
}

// freeAddr is a loopback address nobody listens on right now. Another process could take it
// before the bot binds it; on loopback in a test run that does not happen in practice.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// webhookConfig is webhook mode on a free loopback port, at /telegram/hook.
func webhookConfig(t *testing.T) Config {
	addr := freeAddr(t)
	return Config{WebhookURL: "http://" + addr + "/telegram/hook", WebhookListen: addr, WebhookSecret: hookSecret}
}

// startUpdate is the update a user's /start sends, as Telegram posts it.
func startUpdate(id int64, u telegramtest.User) []byte {
	body, err := json.Marshal(models.Update{ID: id, Message: &models.Message{
		ID: int(id % 1000), Date: int(time.Now().Unix()), Text: "/start",
		From:     &models.User{ID: u.ID, FirstName: u.FirstName, LanguageCode: u.LanguageCode},
		Chat:     models.Chat{ID: u.ID, Type: models.ChatTypePrivate, FirstName: u.FirstName},
		Entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: 6}},
	}})
	if err != nil {
		panic(err)
	}
	return body
}

// post sends body to the webhook as Telegram would, with secret ("" for no header), and returns
// the answer's status.
func post(t *testing.T, link, secret string, body io.Reader) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, link, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(secretHeader, secret)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", link, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// deliver has the fake Telegram post its queued updates to the webhook, expecting n of them
// accepted.
func deliver(t *testing.T, api *telegramtest.Server, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got, err := api.DeliverWebhook(ctx)
	if err != nil || got != n {
		t.Fatalf("DeliverWebhook = %d, %v; want %d delivered", got, err, n)
	}
}

// webhookInfo asks the fake Telegram what webhook is set, as an operator would.
func webhookInfo(t *testing.T, api *telegramtest.Server) *models.WebhookInfo {
	t.Helper()
	client, err := tg.New(api.Token(), tg.WithServerURL(api.URL()), tg.WithSkipGetMe(),
		tg.WithDefaultHandler(func(context.Context, *tg.Bot, *models.Update) {}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	info, err := client.GetWebhookInfo(ctx)
	if err != nil {
		t.Fatalf("getWebhookInfo: %v", err)
	}
	return info
}

// helpReply waits for the reply to a /help and fails unless it is the chat's only message:
// handling is in order per chat, so a refused update handled by mistake would show up before.
func helpReply(t *testing.T, api *telegramtest.Server, u telegramtest.User) {
	t.Helper()
	msgs := api.WaitMessages(t, u.ID, 1, 5*time.Second)
	if len(msgs) != 1 || !strings.Contains(msgs[0].PlainText, "/unsubscribe") {
		var got []string
		for _, m := range msgs {
			got = append(got, m.PlainText)
		}
		t.Fatalf("%s's chat holds %q, want the /help reply alone", u.FirstName, got)
	}
}

func TestWebhookSetsTheHookAndAnswersUsers(t *testing.T) {
	api := telegramtest.New(t, telegramtest.Options{})
	cfg := webhookConfig(t)
	startBot(t, api, newHookStores(t), cfg)

	set := api.WaitCalls(t, "setWebhook", 1, 5*time.Second)[0]
	if set.Status != http.StatusOK {
		t.Fatalf("setWebhook answered %d %s", set.Status, set.Error)
	}
	if set.Params["url"] != cfg.WebhookURL || set.Params["secret_token"] != hookSecret {
		t.Errorf("setWebhook url=%q secret_token=%q, want %q and the secret", set.Params["url"], set.Params["secret_token"], cfg.WebhookURL)
	}
	var kinds []string
	if err := json.Unmarshal([]byte(set.Params["allowed_updates"]), &kinds); err != nil {
		t.Fatalf("allowed_updates %q: %v", set.Params["allowed_updates"], err)
	}
	want := []string{"message", "channel_post", "callback_query", "my_chat_member"}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("allowed_updates (-want +got):\n%s", diff)
	}
	if _, ok := set.Params["drop_pending_updates"]; ok {
		t.Error("setWebhook drops the updates Telegram kept while the bot was down")
	}
	for _, m := range []string{"deleteWebhook", "getUpdates"} {
		if n := len(api.Calls(m)); n != 0 {
			t.Errorf("webhook mode made %d %s calls", n, m)
		}
	}

	api.SendText(dana.Chat(), dana, "/help")
	api.SendText(nurlan.Chat(), nurlan, "/start")
	api.SendText(dana.Chat(), dana, "/start")
	deliver(t, api, 3)
	danaMsgs := api.WaitMessages(t, dana.ID, 2, 5*time.Second)
	if !strings.Contains(danaMsgs[0].PlainText, "/unsubscribe") || len(danaMsgs[1].Buttons()) == 0 {
		t.Errorf("Дана's replies out of order or wrong: %q, then %q with buttons %v", danaMsgs[0].PlainText,
			danaMsgs[1].PlainText, danaMsgs[1].Buttons())
	}
	welcome := api.WaitMessages(t, nurlan.ID, 1, 5*time.Second)[0]
	if !strings.Contains(welcome.PlainText, "Нұрлан") || len(welcome.Buttons()) == 0 {
		t.Errorf("Нұрлан's welcome = %q, buttons %v", welcome.PlainText, welcome.Buttons())
	}
	if n := api.Pending(); n != 0 {
		t.Errorf("%d updates left unconfirmed at Telegram", n)
	}
	if info := webhookInfo(t, api); info.URL != cfg.WebhookURL {
		t.Errorf("getWebhookInfo url = %q", info.URL)
	}
}

func TestWebhookRefusesRequestsTelegramWouldNotSend(t *testing.T) {
	api := telegramtest.New(t, telegramtest.Options{})
	cfg := webhookConfig(t)
	startBot(t, api, newHookStores(t), cfg)
	api.WaitCalls(t, "setWebhook", 1, 5*time.Second)
	hook := cfg.WebhookURL
	base := strings.TrimSuffix(hook, "/telegram/hook")
	forged := startUpdate(700001, emma)

	tests := []struct {
		name   string
		method string
		link   string
		secret string
		body   io.Reader
		want   int
	}{
		{"no secret", http.MethodPost, hook, "", bytes.NewReader(forged), http.StatusUnauthorized},
		{"wrong secret", http.MethodPost, hook, "nb_Almaty-2025", bytes.NewReader(forged), http.StatusUnauthorized},
		{"secret with one more character", http.MethodPost, hook, hookSecret + "x", bytes.NewReader(forged), http.StatusUnauthorized},
		{"secret one character short", http.MethodPost, hook, hookSecret[:len(hookSecret)-1], bytes.NewReader(forged), http.StatusUnauthorized},
		{"secret in another case", http.MethodPost, hook, strings.ToUpper(hookSecret), bytes.NewReader(forged), http.StatusUnauthorized},
		{"other path", http.MethodPost, base + "/telegram", hookSecret, bytes.NewReader(forged), http.StatusNotFound},
		{"path with a trailing slash", http.MethodPost, hook + "/", hookSecret, bytes.NewReader(forged), http.StatusNotFound},
		{"root", http.MethodPost, base + "/", hookSecret, bytes.NewReader(forged), http.StatusNotFound},
		{"GET", http.MethodGet, hook, hookSecret, nil, http.StatusMethodNotAllowed},
		{"PUT", http.MethodPut, hook, hookSecret, bytes.NewReader(forged), http.StatusMethodNotAllowed},
		{"garbage", http.MethodPost, hook, hookSecret, strings.NewReader("Казатомпром <html>"), http.StatusBadRequest},
		{"empty body", http.MethodPost, hook, hookSecret, strings.NewReader(""), http.StatusBadRequest},
		{"null", http.MethodPost, hook, hookSecret, strings.NewReader("null"), http.StatusBadRequest},
		{"no update_id", http.MethodPost, hook, hookSecret, strings.NewReader(`{"message":{"text":"/start"}}`), http.StatusBadRequest},
		{"array", http.MethodPost, hook, hookSecret, strings.NewReader("[" + string(forged) + "]"), http.StatusBadRequest},
		{"trailing garbage", http.MethodPost, hook, hookSecret, strings.NewReader(string(forged) + "}"), http.StatusBadRequest},
		{"cut short", http.MethodPost, hook, hookSecret, bytes.NewReader(forged[:len(forged)/2]), http.StatusBadRequest},
		{"over the cap by content length", http.MethodPost, hook, hookSecret,
			bytes.NewReader(append(bytes.Repeat([]byte(" "), maxWebhookBody), forged...)), http.StatusRequestEntityTooLarge},
		{"over the cap, chunked", http.MethodPost, hook, hookSecret,
			io.MultiReader(bytes.NewReader(bytes.Repeat([]byte(" "), maxWebhookBody)), bytes.NewReader(forged)), http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, tt.link, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.secret != "" {
				req.Header.Set(secretHeader, tt.secret)
			}
			resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want == http.StatusMethodNotAllowed && resp.Header.Get("Allow") != http.MethodPost {
				t.Errorf("Allow = %q", resp.Header.Get("Allow"))
			}
		})
	}
	// Had any of them been handled, its reply would come before the one to this /help.
	api.SendText(emma.Chat(), emma, "/help")
	deliver(t, api, 1)
	helpReply(t, api, emma)
}

// TestWebhookRefusesAWrongSecretBeforeTheBody sends "Expect: 100-continue", so the client
// holds the body back until the server asks for it by reading: a refusal must come with no
// "100 Continue" first.
func TestWebhookRefusesAWrongSecretBeforeTheBody(t *testing.T) {
	api := telegramtest.New(t, telegramtest.Options{})
	cfg := webhookConfig(t)
	startBot(t, api, newHookStores(t), cfg)
	api.WaitCalls(t, "setWebhook", 1, 5*time.Second)

	tests := []struct {
		name   string
		header string
		want   int
	}{
		{"no secret", "", http.StatusUnauthorized},
		{"wrong secret", secretHeader + ": " + strings.Repeat("A", len(hookSecret)) + "\r\n", http.StatusUnauthorized},
		// The control: the right secret makes the server ask for the body.
		{"right secret", secretHeader + ": " + hookSecret + "\r\n", http.StatusContinue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", cfg.WebhookListen)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(5 * time.Second))
			fmt.Fprintf(conn, "POST /telegram/hook HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"+
				"Content-Length: 300\r\nExpect: 100-continue\r\n%s\r\n", cfg.WebhookListen, tt.header)
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("first answer %s, want %d", resp.Status, tt.want)
			}
		})
	}
}

func TestWebhookDropsAnUpdateDeliveredTwice(t *testing.T) {
	api := telegramtest.New(t, telegramtest.Options{})
	cfg := webhookConfig(t)
	startBot(t, api, newHookStores(t), cfg)
	api.WaitCalls(t, "setWebhook", 1, 5*time.Second)

	for range 2 {
		if resp := post(t, cfg.WebhookURL, hookSecret, bytes.NewReader(startUpdate(800001, dana))); resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d, want 200", resp.StatusCode)
		}
	}
	api.SendText(dana.Chat(), dana, "/help")
	deliver(t, api, 1)
	msgs := api.WaitMessages(t, dana.ID, 2, 5*time.Second)
	if len(msgs) != 2 || len(msgs[0].Buttons()) == 0 || !strings.Contains(msgs[1].PlainText, "/unsubscribe") {
		var got []string
		for _, m := range msgs {
			got = append(got, m.PlainText)
		}
		t.Errorf("Дана's chat holds %q, want one welcome, then the help", got)
	}
}

func TestWebhookServesWhileSetWebhookIsRetried(t *testing.T) {
	api := telegramtest.New(t, telegramtest.Options{})
	api.Fail("setWebhook", 0, telegramtest.BadGateway(), 1)
	cfg := webhookConfig(t)
	startBot(t, api, newHookStores(t), cfg)

	first := api.WaitCalls(t, "setWebhook", 1, 5*time.Second)[0]
	if first.Status != http.StatusBadGateway {
		t.Fatalf("first setWebhook answered %d", first.Status)
	}
	// Telegram may still hold the webhook of the last run: its deliveries are served meanwhile.
	if resp := post(t, cfg.WebhookURL, hookSecret, bytes.NewReader(startUpdate(800002, nurlan))); resp.StatusCode != http.StatusOK {
		t.Fatalf("update before setWebhook succeeded: status %d", resp.StatusCode)
	}
	api.WaitMessages(t, nurlan.ID, 1, 5*time.Second)

	calls := api.WaitCalls(t, "setWebhook", 2, 5*time.Second)
	if calls[1].Status != http.StatusOK || calls[1].Params["secret_token"] != hookSecret {
		t.Fatalf("retried setWebhook answered %d %s", calls[1].Status, calls[1].Error)
	}
	if gap := calls[1].At.Sub(calls[0].At); gap < 500*time.Millisecond {
		t.Errorf("setWebhook retried after %v: no backoff", gap)
	}
	api.SendText(emma.Chat(), emma, "/help")
	deliver(t, api, 1)
	helpReply(t, api, emma)
}

func TestWebhookStopKeepsTheHookAndPollingRemovesIt(t *testing.T) {
	api := telegramtest.New(t, telegramtest.Options{})
	st := newHookStores(t)
	cfg := webhookConfig(t)
	hooked := startBot(t, api, st, cfg)
	api.WaitCalls(t, "setWebhook", 1, 5*time.Second)

	start := time.Now()
	if err := hooked.stop(); err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("stopping took %v", d)
	}
	if n := len(api.Calls("deleteWebhook")); n != 0 {
		t.Errorf("stopping made %d deleteWebhook calls: Telegram would drop the webhook", n)
	}
	if info := webhookInfo(t, api); info.URL != cfg.WebhookURL {
		t.Errorf("after the stop getWebhookInfo url = %q, want it kept", info.URL)
	}
	if conn, err := net.DialTimeout("tcp", cfg.WebhookListen, time.Second); err == nil {
		conn.Close()
		t.Error("the webhook listener still accepts after Run returned")
	}
	// Telegram keeps what users send meanwhile.
	api.SendText(dana.Chat(), dana, "/help")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if n, err := api.DeliverWebhook(ctx); n != 0 || err == nil {
		t.Fatalf("DeliverWebhook to a stopped bot = %d, %v", n, err)
	}

	startBot(t, api, st, Config{})
	api.WaitCalls(t, "getUpdates", 1, 5*time.Second)
	if info := webhookInfo(t, api); info.URL != "" {
		t.Errorf("polling mode left the webhook %q set", info.URL)
	}
	if calls := api.Calls("getUpdates"); calls[0].Status != http.StatusOK && calls[0].Status != 499 {
		t.Errorf("first getUpdates answered %d %s", calls[0].Status, calls[0].Error)
	}
	helpReply(t, api, dana)
	api.SendText(emma.Chat(), emma, "/start")
	if w := api.WaitMessages(t, emma.ID, 1, 5*time.Second)[0]; len(w.Buttons()) == 0 {
		t.Errorf("welcome by polling = %q without the picker", w.PlainText)
	}
}

func TestWebhookPortInUseStopsRun(t *testing.T) {
	api := telegramtest.New(t, telegramtest.Options{})
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	addr := taken.Addr().String()
	r := startBot(t, api, newHookStores(t), Config{
		WebhookURL: "http://" + addr + "/telegram/hook", WebhookListen: addr, WebhookSecret: hookSecret,
		ShutdownGrace: 5 * time.Second})

	err = r.wait(3 * time.Second)
	if err == nil || !errors.Is(err, syscall.EADDRINUSE) || !strings.Contains(err.Error(), "webhook listen") {
		t.Fatalf("Run = %v, want a webhook listen error wrapping EADDRINUSE", err)
	}
	if n := len(api.Calls("setWebhook")); n != 0 {
		t.Errorf("a bot that cannot serve made %d setWebhook calls", n)
	}
}

func TestWebhookAfterCloseAsksTelegramToRetry(t *testing.T) {
	api := telegramtest.New(t, telegramtest.Options{})
	st := newHookStores(t)
	msgs, err := texts.Load()
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Config{Token: api.Token(), APIURL: api.URL(), RateLimit: 1000}, st.subs, st.stories, msgs)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h := &webhook{b: b, path: "/telegram/hook", secret: []byte(hookSecret), ctx: ctx,
		seen: map[int64]bool{}, ring: make([]int64, recentUpdateIDs)}
	h.close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	defer srv.Close()

	resp := post(t, "http://"+ln.Addr().String()+"/telegram/hook", hookSecret, bytes.NewReader(startUpdate(800003, dana)))
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503", resp.StatusCode)
	}
	b.mu.Lock()
	queued := len(b.queues)
	b.mu.Unlock()
	if queued != 0 {
		t.Errorf("an update arriving at shutdown was queued: Telegram believes it delivered")
	}
}
