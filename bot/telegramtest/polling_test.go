package telegramtest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// received collects the updates a bot's handlers saw.
type received struct {
	mu  sync.Mutex
	ups []*models.Update
	ch  chan struct{}
}

func newReceived() *received { return &received{ch: make(chan struct{}, 100)} }

func (r *received) handler(_ context.Context, _ *bot.Bot, u *models.Update) {
	r.mu.Lock()
	r.ups = append(r.ups, u)
	r.mu.Unlock()
	r.ch <- struct{}{}
}

func (r *received) wait(t *testing.T, n int) []*models.Update {
	t.Helper()
	for {
		r.mu.Lock()
		got := append([]*models.Update(nil), r.ups...)
		r.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-r.ch:
		case <-time.After(time.Second):
			t.Fatalf("handlers saw %d updates, want %d", len(got), n)
		}
	}
}

func TestLongPollingWithRealClient(t *testing.T) {
	srv := newServer(t, Options{})
	got := newReceived()
	b := newBot(t, srv, bot.WithDefaultHandler(got.handler), bot.WithNotAsyncHandlers())
	stop := startBot(t, b) // default poll timeout: getUpdates waits up to 59 s

	waitPolling(t, srv)
	id1 := srv.SendText(aliya.Chat(), aliya, "/start")
	if ups := got.wait(t, 1); ups[0].ID != id1 || ups[0].Message.Text != "/start" {
		t.Fatalf("first update = %+v", ups[0])
	}
	waitPolling(t, srv)
	id2 := srv.SendText(aliya.Chat(), aliya, "/topics")
	ups := got.wait(t, 2)
	if id1 != 1 || id2 != 2 || ups[1].ID != 2 {
		t.Fatalf("update ids = %d, %d; second received %+v", id1, id2, ups[1])
	}
	waitPolling(t, srv) // this poll carries offset 3: both updates are confirmed
	if n := srv.Pending(); n != 0 {
		t.Errorf("Pending = %d after the bot confirmed everything", n)
	}
	var offsets []string
	for _, c := range srv.Calls("getUpdates") {
		offsets = append(offsets, c.Params["offset"])
		if c.Params["timeout"] != "59" {
			t.Errorf("getUpdates timeout = %q", c.Params["timeout"])
		}
	}
	if strings.Join(offsets, ",") != "1,2" {
		t.Errorf("offsets of the finished polls = %v, want [1 2]", offsets)
	}

	stop() // fails the test unless Start returns within 1s although a 59 s poll is waiting
	time.Sleep(20 * time.Millisecond)
	if got := len(got.wait(t, 2)); got != 2 {
		t.Errorf("handlers saw %d updates, want 2: an update was delivered twice", got)
	}
	calls := srv.WaitCalls(t, "getUpdates", 3, time.Second)
	if last := calls[len(calls)-1]; last.Status != statusClientClosed {
		t.Errorf("abandoned poll recorded as %d", last.Status)
	}
}

func TestGetUpdatesWire(t *testing.T) {
	srv := newServer(t, Options{})
	for _, text := range []string{"a", "b", "c"} {
		srv.SendText(timur.Chat(), timur, text)
	}
	ids := func(body string) []int64 {
		t.Helper()
		var r struct {
			OK     bool            `json:"ok"`
			Result []models.Update `json:"result"`
		}
		if err := json.Unmarshal([]byte(body), &r); err != nil || !r.OK {
			t.Fatalf("getUpdates answered %s (%v)", body, err)
		}
		var out []int64
		for _, u := range r.Result {
			out = append(out, u.ID)
		}
		return out
	}
	call := func(form string) []int64 {
		t.Helper()
		body, err := srv.rawCall(t, "getUpdates", form)
		if err != nil {
			t.Fatal(err)
		}
		return ids(body)
	}
	if got := call(""); len(got) != 3 || got[0] != 1 || got[2] != 3 {
		t.Errorf("no offset: %v", got)
	}
	if got := call("limit=1"); len(got) != 1 || got[0] != 1 {
		t.Errorf("limit=1: %v", got)
	}
	if got := call("offset=2"); len(got) != 2 || got[0] != 2 {
		t.Errorf("offset=2: %v", got)
	}
	if srv.Pending() != 2 {
		t.Errorf("update 1 was not forgotten: Pending = %d", srv.Pending())
	}
	if got := call("offset=-1"); len(got) != 1 || got[0] != 3 {
		t.Errorf("offset=-1: %v", got)
	}
	if got := call("offset=4&timeout=0"); len(got) != 0 {
		t.Errorf("all confirmed: %v", got)
	}

	// allowed_updates is sticky and decides which updates Telegram creates.
	if got := call(`offset=4&allowed_updates=["callback_query"]`); len(got) != 0 {
		t.Errorf("got %v", got)
	}
	if id := srv.SendText(timur.Chat(), timur, "/help"); id != 0 {
		t.Errorf("a message was queued although only callback queries are allowed: id %d", id)
	}
	if id := srv.PressButton(timur.Chat(), timur, 1, "t:energy"); id == "" || srv.Pending() != 1 {
		t.Errorf("callback query not queued")
	}
	call("allowed_updates=[]") // back to the default
	if id := srv.SendText(timur.Chat(), timur, "/help"); id != 5 {
		t.Errorf("message update id = %d, want 5", id)
	}
	joined := &models.ChatMemberUpdated{
		Chat: models.Chat{ID: almaty.ID, Type: models.ChatTypeSupergroup}, From: timur.model(), Date: 1,
		OldChatMember: models.ChatMember{Type: models.ChatMemberTypeLeft, Left: &models.ChatMemberLeft{User: &models.User{ID: timur.ID}}},
		NewChatMember: models.ChatMember{Type: models.ChatMemberTypeMember, Member: &models.ChatMemberMember{User: &models.User{ID: timur.ID}}},
	}
	if id := srv.AddUpdate(models.Update{ChatMember: joined}); id != 0 {
		t.Errorf("chat_member is not created by default, got id %d", id)
	}
	call(`allowed_updates=["chat_member"]`)
	if id := srv.AddUpdate(models.Update{ChatMember: joined}); id != 6 {
		t.Errorf("chat_member update id = %d, want 6 once allowed", id)
	}
}

func TestGetUpdatesWaitsAndWakes(t *testing.T) {
	srv := newServer(t, Options{})
	type result struct {
		body string
		err  error
		took time.Duration
	}
	done := make(chan result, 1)
	go func() {
		start := time.Now()
		body, err := srv.rawCall(t, "getUpdates", "timeout=30")
		done <- result{body, err, time.Since(start)}
	}()
	waitPolling(t, srv)
	srv.SendText(bakyt.Chat(), bakyt, "Бишкек")
	r := <-done
	if r.err != nil || !strings.Contains(r.body, `"text":"Бишкек"`) {
		t.Fatalf("poll answered %s %v", r.body, r.err)
	}
	if r.took > time.Second {
		t.Errorf("the poll took %v to wake", r.took)
	}

	// timeout=1 with nothing to deliver waits about a second, then answers [].
	start := time.Now()
	body, err := srv.rawCall(t, "getUpdates", "offset=2&timeout=1")
	if took := time.Since(start); err != nil || body != `{"ok":true,"result":[]}` || took < 900*time.Millisecond || took > 1500*time.Millisecond {
		t.Errorf("empty long poll: %s %v after %v", body, err, took)
	}
}

func TestGetUpdatesConflicts(t *testing.T) {
	srv := newServer(t, Options{})
	first := make(chan string, 1)
	go func() {
		body, _ := srv.rawCall(t, "getUpdates", "timeout=30")
		first <- body
	}()
	waitPolling(t, srv)
	second := make(chan string, 1)
	go func() {
		body, _ := srv.rawCall(t, "getUpdates", "timeout=30")
		second <- body
	}()
	want := `{"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}`
	if got := <-first; got != want {
		t.Errorf("first poll answered %s", got)
	}
	srv.SendText(aliya.Chat(), aliya, "x")
	if got := <-second; !strings.Contains(got, `"ok":true`) {
		t.Errorf("second poll answered %s", got)
	}

	if body, _ := srv.rawCall(t, "setWebhook", "url=https://bot.example.org/telegram"); !strings.Contains(body, `"description":"Webhook was set"`) {
		t.Fatalf("setWebhook: %s", body)
	}
	if body, _ := srv.rawCall(t, "getUpdates", ""); !strings.Contains(body, "can't use getUpdates method while webhook is active") {
		t.Errorf("getUpdates with a webhook: %s", body)
	}
}

func TestCloseEndsLongPolls(t *testing.T) {
	srv := New(t, Options{})
	done := make(chan string, 1)
	go func() {
		body, _ := srv.rawCall(t, "getUpdates", "timeout=50")
		done <- body
	}()
	waitPolling(t, srv)
	start := time.Now()
	srv.close()
	if took := time.Since(start); took > time.Second {
		t.Errorf("close took %v", took)
	}
	if body := <-done; body != `{"ok":true,"result":[]}` {
		t.Errorf("poll answered %s", body)
	}
}

func TestWebhookDelivery(t *testing.T) {
	srv := newServer(t, Options{})
	got := newReceived()
	b := newBot(t, srv, bot.WithDefaultHandler(got.handler), bot.WithNotAsyncHandlers(), bot.WithWebhookSecretToken("s3cret-Token_1"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go b.StartWebhook(ctx)
	hook := newHTTPServer(t, b.WebhookHandler())

	if _, err := b.SetWebhook(ctxTimeout(t), &bot.SetWebhookParams{URL: hook + "/telegram", SecretToken: "s3cret-Token_1"}); err != nil {
		t.Fatalf("SetWebhook: %v", err)
	}
	srv.SendText(aliya.Chat(), aliya, "/latest")
	srv.SendText(aliya.Chat(), aliya, "/alerts")
	info, err := b.GetWebhookInfo(ctxTimeout(t))
	if err != nil || info.URL != hook+"/telegram" || info.PendingUpdateCount != 2 {
		t.Errorf("GetWebhookInfo = %+v, %v", info, err)
	}
	n, err := srv.DeliverWebhook(ctxTimeout(t))
	if err != nil || n != 2 {
		t.Fatalf("DeliverWebhook = %d, %v", n, err)
	}
	if ups := got.wait(t, 2); ups[0].Message.Text != "/latest" || ups[1].Message.Text != "/alerts" {
		t.Errorf("bot received %+v", ups)
	}

	ok, err := b.DeleteWebhook(ctxTimeout(t), &bot.DeleteWebhookParams{})
	if err != nil || !ok {
		t.Errorf("DeleteWebhook = %v, %v", ok, err)
	}
	if _, err := srv.DeliverWebhook(ctxTimeout(t)); err != ErrNoWebhook {
		t.Errorf("DeliverWebhook without a webhook: %v", err)
	}
}

func TestWebhookRefused(t *testing.T) {
	srv := newServer(t, Options{})
	hook := newHTTPServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "right" {
			http.Error(w, "forbidden", http.StatusForbidden)
		}
	}))
	if body, _ := srv.rawCall(t, "setWebhook", "url="+hook+"&secret_token=wrong"); !strings.Contains(body, `"ok":true`) {
		t.Fatal(body)
	}
	srv.SendText(aliya.Chat(), aliya, "x")
	if n, err := srv.DeliverWebhook(ctxTimeout(t)); n != 0 || err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("DeliverWebhook = %d, %v", n, err)
	}
	if srv.Pending() != 1 {
		t.Errorf("a refused update was dropped")
	}
	if body, _ := srv.rawCall(t, "setWebhook", "url="+hook+"&secret_token=no%20spaces"); !strings.Contains(body, "secret token contains unallowed characters") {
		t.Errorf("bad secret accepted: %s", body)
	}
}
