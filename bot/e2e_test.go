package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/bot/telegramtest"
	"newsbot/bot/texts"
	"newsbot/digest"
	"newsbot/digest/fetch"
	"newsbot/migrations"
	"newsbot/subscriptions"
)

// feed is an RSS feed served over HTTP whose items a test changes.
type feed struct {
	*httptest.Server
	mu    sync.Mutex
	items []string
}

func newFeed(t *testing.T) *feed {
	f := &feed{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Orda</title>%s</channel></rss>`,
			strings.Join(f.items, ""))
	}))
	t.Cleanup(f.Close)
	return f
}

// add puts an item published now at the top of the feed; link may be relative.
func (f *feed) add(guid, title, link, desc string) { f.addAt(guid, title, link, desc, time.Now()) }

// addAt puts an item published at published at the top of the feed.
func (f *feed) addAt(guid, title, link, desc string, published time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	it := fmt.Sprintf(`<item><guid>%s</guid><title>%s</title><link>%s</link><description><![CDATA[%s]]></description><pubDate>%s</pubDate></item>`,
		guid, html.EscapeString(title), html.EscapeString(link), desc, published.UTC().Format(time.RFC1123Z))
	f.items = append([]string{it}, f.items...)
}

// harness is the real bot, news pipeline and database, against a fake Bot API and a feed server.
type harness struct {
	t        *testing.T
	api      *telegramtest.Server
	feed     *feed
	bot      *Bot
	subs     *subscriptions.Store
	stories  *digest.Store
	poller   *digest.Poller
	pipeline *digest.Pipeline
	src      digest.Source
	done     chan error
	cancel   context.CancelFunc
	stopped  bool
	db       *migrations.DB
	// ignoreRefusals turns off the check that Telegram refused nothing, for tests that inject
	// refusals themselves.
	ignoreRefusals bool
}

// restart starts a new Bot on the same database and fake Telegram, as a new process would.
func (h *harness) restart() {
	h.t.Helper()
	h.stop()
	msgs, err := texts.Load()
	if err != nil {
		h.t.Fatal(err)
	}
	h.bot, err = New(h.bot.cfg, h.subs, h.stories, msgs)
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.stopped = cancel, false
	go func() { h.done <- h.bot.Run(ctx) }()
}

// stop ends Run as SIGTERM would and waits for it to return.
func (h *harness) stop() {
	h.t.Helper()
	if h.stopped {
		return
	}
	h.stopped = true
	h.cancel()
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		h.t.Error("Run did not return after cancel")
	}
}

var e2eTopics = []digest.Topic{
	{ID: "energy", Title: "Energy", Keywords: []string{"уран", "uranium", "нефть", "мұнай"}},
	{ID: "economy", Title: "Economy", Keywords: []string{"тенге", "tenge", "инфляция"}},
	{ID: "politics", Title: "Politics", Keywords: []string{"парламент", "parliament"}},
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessWith(t, nil)
}

// newHarnessWith is newHarness with the bot's configuration adjusted by tweak.
func newHarnessWith(t *testing.T, tweak func(*Config)) *harness {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	db, err := migrations.Open(ctx, filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, api: telegramtest.New(t, telegramtest.Options{}), feed: newFeed(t), done: make(chan error, 1), cancel: cancel, db: db}
	var subTopics []subscriptions.Topic
	for _, tp := range e2eTopics {
		subTopics = append(subTopics, subscriptions.Topic{ID: tp.ID, Title: tp.Title,
			Titles: map[string]string{"ru": map[string]string{"energy": "Энергетика", "economy": "Экономика", "politics": "Политика"}[tp.ID]}})
	}
	catalog, err := subscriptions.NewCatalog(subTopics)
	if err != nil {
		t.Fatal(err)
	}
	h.subs = subscriptions.NewStore(db, catalog, subscriptions.Limits{}, nil)
	h.stories = digest.NewStore(db)
	msgs, err := texts.Load()
	if err != nil {
		t.Fatal(err)
	}
	almaty, _ := time.LoadLocation("Asia/Almaty")
	cfg := Config{Token: h.api.Token(), APIURL: h.api.URL(), RateLimit: 1000, Location: almaty,
		Sources: map[string]string{"orda": "Orda.kz"}, RouteEvery: 100 * time.Millisecond}
	if tweak != nil {
		tweak(&cfg)
	}
	h.bot, err = New(cfg, h.subs, h.stories, msgs)
	if err != nil {
		t.Fatal(err)
	}
	h.src = digest.Source{ID: "orda", Title: "Orda.kz", URL: h.feed.URL + "/feed/", Language: "ru"}
	h.pipeline = digest.NewPipeline(h.stories, e2eTopics, nil)
	h.poller = digest.NewPoller(digest.PollerConfig{
		Sources:  []digest.Source{h.src},
		Fetcher:  fetch.New(fetch.Options{Timeout: 5 * time.Second}),
		Pipeline: h.pipeline,
		Store:    h.stories,
		OnStories: func(ctx context.Context, st []digest.Story) {
			if err := h.bot.Deliver(ctx, st); err != nil {
				t.Errorf("deliver: %v", err)
			}
		},
	})
	go func() { h.done <- h.bot.Run(ctx) }()
	t.Cleanup(func() {
		// The Sender resends rejected HTML as plain text so users still get it; a test must not
		// let that hide a rendering bug.
		for _, c := range h.api.Calls("") {
			if h.ignoreRefusals {
				break
			}
			if strings.Contains(c.Error, "can't parse entities") || strings.Contains(c.Error, "too long") {
				t.Errorf("Telegram refused %s: %s", c.Method, c.Error)
			}
		}
		h.stop()
		db.Close()
	})
	h.api.WaitCalls(t, "setMyCommands", 4, 5*time.Second)
	// The feed's first poll seeds its backlog: nothing of it is ever pushed.
	h.feed.add("old-1", "Старая новость про уран", "/old/1", "Архив.")
	h.poll()
	return h
}

// poll polls the feed now, as the poller's schedule would.
func (h *harness) poll() {
	h.t.Helper()
	res, err := h.poller.Poll(context.Background(), h.src, true)
	if err != nil || res.Err != nil {
		h.t.Fatalf("poll: %v / %v", err, res.Err)
	}
}

var (
	aigerim = telegramtest.User{ID: 1001, FirstName: "Айгерім", LanguageCode: "kk"}
	ivan    = telegramtest.User{ID: 1002, FirstName: "Ivan", LanguageCode: "ru"}
	john    = telegramtest.User{ID: 1003, FirstName: "John <3", LanguageCode: "en"}
)

func TestSubscriberPicksTopicsAndGetsStoriesOnce(t *testing.T) {
	h := newHarness(t)
	chat := john.Chat()
	h.api.SendText(chat, john, "/start")
	msgs := h.api.WaitMessages(t, chat.ID, 1, 5*time.Second)
	welcome := msgs[0]
	if !strings.Contains(welcome.PlainText, "John <3") || !strings.Contains(welcome.PlainText, "/start") {
		t.Errorf("welcome = %q", welcome.PlainText)
	}
	if b := welcome.Buttons(); len(b) != 3 || b[0].Text != "Energy" || b[0].CallbackData != "t:energy" {
		t.Fatalf("picker buttons = %+v", b)
	}
	h.api.PressButton(chat, john, welcome.MessageID, "t:energy")
	h.api.WaitCalls(t, "editMessageReplyMarkup", 1, 5*time.Second)
	if b := h.api.Messages(chat.ID)[0].Buttons(); b[0].Text != "✅ Energy" || b[1].Text != "Economy" {
		t.Fatalf("after the tap the picker shows %+v", b)
	}
	if c, err := h.subs.Chat(context.Background(), chat.ID); err != nil || len(c.Topics) != 1 || c.Topics[0] != "energy" {
		t.Fatalf("chat after the tap: %+v, %v", c, err)
	}

	h.feed.add("n-1", "Казатомпром увеличил добычу урана", "/news/uranium?utm_source=rss",
		"<p>Добыча урана выросла на 5%. Об этом сообщила компания. Прогноз сохранён.</p>")
	h.feed.add("n-2", "Курс тенге укрепился", "/news/tenge", "Тенге укрепился к доллару.")
	h.poll()
	msgs = h.api.WaitMessages(t, chat.ID, 2, 5*time.Second)
	push := msgs[1]
	for _, want := range []string{
		"Казатомпром увеличил добычу урана",
		"Orda.kz · ",
		"Добыча урана выросла на 5%. Об этом сообщила компания.",
	} {
		if !strings.Contains(push.PlainText, want) {
			t.Errorf("push lacks %q:\n%s", want, push.PlainText)
		}
	}
	if !strings.Contains(push.Text, `<a href="`+h.feed.URL+`/news/uranium">Read more</a>`) {
		t.Errorf("push has no absolute, canonical link: %s", push.Text)
	}
	if strings.Contains(push.PlainText, "Старая") || strings.Contains(push.PlainText, "тенге") {
		t.Errorf("push carries the backlog or an off-topic story: %s", push.PlainText)
	}
	if push.LinkPreviewDisabled {
		t.Error("a single story is sent without its link preview")
	}
	// Polling again, and another outlet's report of the same news, send nothing more.
	h.poll()
	time.Sleep(200 * time.Millisecond)
	if n := len(h.api.Messages(chat.ID)); n != 2 {
		t.Fatalf("chat holds %d messages after a second poll, want 2", n)
	}

	h.api.SendText(chat, john, "/latest")
	latest := h.api.WaitMessages(t, chat.ID, 3, 5*time.Second)[2]
	if !strings.Contains(latest.PlainText, "Казатомпром увеличил добычу урана") || strings.Contains(latest.PlainText, "тенге") {
		t.Errorf("/latest = %q", latest.PlainText)
	}
	h.api.SendText(chat, john, "/search урана")
	found := h.api.WaitMessages(t, chat.ID, 4, 5*time.Second)[3]
	if !strings.Contains(found.PlainText, "Казатомпром увеличил добычу урана") || !strings.Contains(found.PlainText, "Старая новость про уран") {
		t.Errorf("/search урана = %q", found.PlainText)
	}
	h.api.SendText(chat, john, "/search марсоход")
	if nothing := h.api.WaitMessages(t, chat.ID, 5, 5*time.Second)[4]; !strings.Contains(nothing.PlainText, "марсоход") {
		t.Errorf("/search without results = %q", nothing.PlainText)
	}
}

func TestStopForgetsTheChat(t *testing.T) {
	h := newHarness(t)
	chat := ivan.Chat()
	h.api.SendText(chat, ivan, "/start topic_energy")
	first := h.api.WaitMessages(t, chat.ID, 1, 5*time.Second)[0]
	if !strings.Contains(first.PlainText, "Энергетика") || !strings.Contains(first.PlainText, "Здравствуйте, Ivan") {
		t.Fatalf("/start topic_energy = %q", first.PlainText)
	}
	h.api.SendText(chat, ivan, "/stop")
	confirm := h.api.WaitMessages(t, chat.ID, 2, 5*time.Second)[1]
	if b := confirm.Buttons(); len(b) != 2 || b[0].CallbackData != "stop:yes" {
		t.Fatalf("/stop buttons = %+v", b)
	}
	h.api.PressButton(chat, ivan, confirm.MessageID, "stop:yes")
	h.api.WaitCalls(t, "editMessageText", 1, 5*time.Second)
	if _, err := h.subs.Chat(context.Background(), chat.ID); !errors.Is(err, subscriptions.ErrNoChat) {
		t.Fatalf("after /stop the chat is still stored: %v", err)
	}
	h.feed.add("n-1", "Нефть подорожала", "/news/oil", "Цены на нефть выросли.")
	h.poll()
	time.Sleep(200 * time.Millisecond)
	if msgs := h.api.Messages(chat.ID); len(msgs) != 2 || !strings.Contains(msgs[1].PlainText, "/start") {
		t.Fatalf("after /stop: %+v", msgs)
	}
	// Coming back starts fresh: no topics.
	h.api.SendText(chat, ivan, "/start")
	h.api.WaitMessages(t, chat.ID, 3, 5*time.Second)
	if c, err := h.subs.Chat(context.Background(), chat.ID); err != nil || len(c.Topics) != 0 {
		t.Fatalf("returning chat: %+v, %v", c, err)
	}
}

func TestGroupCommandsWithMentionAndAdminsOnly(t *testing.T) {
	h := newHarness(t)
	group := telegramtest.Chat{ID: -100777, Type: "supergroup", Title: "Newsroom <KZ>"}
	h.api.SetAdmins(group.ID, ivan.ID)
	h.api.SendText(group, john, "/start@"+telegramtest.DefaultBotUsername)
	h.api.WaitMessages(t, group.ID, 1, 5*time.Second)
	h.api.SendText(group, john, "/subscribe@"+telegramtest.DefaultBotUsername+" energy")
	refusal := h.api.WaitMessages(t, group.ID, 2, 5*time.Second)[1]
	if c, _ := h.subs.Chat(context.Background(), group.ID); len(c.Topics) != 0 {
		t.Fatalf("a non-admin changed the group's topics: %v (reply %q)", c.Topics, refusal.PlainText)
	}
	h.api.SendText(group, ivan, "/subscribe Энергетика")
	ok := h.api.WaitMessages(t, group.ID, 3, 5*time.Second)[2]
	if c, _ := h.subs.Chat(context.Background(), group.ID); len(c.Topics) != 1 {
		t.Fatalf("the admin could not subscribe the group: %q", ok.PlainText)
	}
	// Commands for another bot and group chatter are ignored.
	h.api.SendText(group, john, "/start@some_other_bot")
	h.api.SendText(group, john, "доброе утро всем")
	h.feed.add("n-1", "Uranium exports rise", "/en/uranium", "Exports rose 7%.")
	h.poll()
	msgs := h.api.WaitMessages(t, group.ID, 4, 5*time.Second)
	time.Sleep(200 * time.Millisecond)
	msgs = h.api.Messages(group.ID)
	if len(msgs) != 4 || !strings.Contains(msgs[3].PlainText, "Uranium exports rise") {
		t.Fatalf("group messages: %d, last %q", len(msgs), msgs[len(msgs)-1].PlainText)
	}
}

func TestKazakhAndRussianTexts(t *testing.T) {
	h := newHarness(t)
	chat := aigerim.Chat()
	h.api.SendText(chat, aigerim, "/start")
	kk := h.api.WaitMessages(t, chat.ID, 1, 5*time.Second)[0]
	if !strings.Contains(kk.PlainText, "Сәлем") && !strings.Contains(kk.PlainText, "Қош") {
		t.Errorf("welcome for language_code kk is not Kazakh: %q", kk.PlainText)
	}
	h.api.SendText(chat, aigerim, "/язык")
	h.api.SendText(chat, aigerim, "сәлем")
	msgs := h.api.WaitMessages(t, chat.ID, 3, 5*time.Second)
	if !strings.Contains(msgs[1].PlainText, "/язык") || !strings.Contains(msgs[1].PlainText, "/help") {
		t.Errorf("unknown command reply = %q", msgs[1].PlainText)
	}
	if !strings.Contains(msgs[2].PlainText, "/search") {
		t.Errorf("plain text reply = %q", msgs[2].PlainText)
	}
	h.api.SendText(chat, aigerim, "/language ru")
	ru := h.api.WaitMessages(t, chat.ID, 4, 5*time.Second)[3]
	if c, _ := h.subs.Chat(context.Background(), chat.ID); c.Language != "ru" || !strings.Contains(ru.PlainText, "Язык интерфейса") {
		t.Errorf("/language ru: stored %q, reply %q", c.Language, ru.PlainText)
	}
	h.api.SendText(chat, aigerim, "/timezone asia/almaty")
	tz := h.api.WaitMessages(t, chat.ID, 5, 5*time.Second)[4]
	if c, _ := h.subs.Chat(context.Background(), chat.ID); c.Timezone != "Asia/Almaty" || !strings.Contains(tz.PlainText, "Asia/Almaty") {
		t.Errorf("/timezone: stored %q, reply %q", c.Timezone, tz.PlainText)
	}
	h.api.SendText(chat, aigerim, "/timezone Mars/Olympus")
	bad := h.api.WaitMessages(t, chat.ID, 6, 5*time.Second)[5]
	if !strings.Contains(bad.PlainText, "Mars/Olympus") {
		t.Errorf("/timezone Mars/Olympus = %q", bad.PlainText)
	}
}

func TestStoriesStoredElsewhereAreRoutedByTheRunningBot(t *testing.T) {
	h := newHarness(t)
	chat := john.Chat()
	h.api.SendText(chat, john, "/start topic_economy")
	h.api.WaitMessages(t, chat.ID, 1, 5*time.Second)
	// Another process (newsbot fetch) stores a story: no OnStories callback reaches this bot.
	other := digest.NewPoller(digest.PollerConfig{
		Sources:  []digest.Source{h.src},
		Fetcher:  fetch.New(fetch.Options{Timeout: 5 * time.Second}),
		Pipeline: digest.NewPipeline(h.stories, e2eTopics, nil),
		Store:    h.stories,
	})
	h.feed.add("n-9", "Инфляция замедлилась", "/news/inflation", "Годовая инфляция замедлилась до 8%.")
	if res, err := other.Poll(context.Background(), h.src, true); err != nil || len(res.New) != 1 {
		t.Fatalf("other process's poll: %+v %v", res, err)
	}
	got := h.api.WaitMessages(t, chat.ID, 2, 5*time.Second)[1]
	if !strings.Contains(got.PlainText, "Инфляция замедлилась") {
		t.Fatalf("pushed %q", got.PlainText)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(h.api.Messages(chat.ID)); n != 2 {
		t.Fatalf("%d messages: the sweeper sent the story again", n)
	}
}

func TestBlockedChatIsDeactivatedAndStartRevivesIt(t *testing.T) {
	h := newHarness(t)
	chat := ivan.Chat()
	h.api.SendText(chat, ivan, "/start topic_energy")
	h.api.WaitMessages(t, chat.ID, 1, 5*time.Second)
	h.api.BlockBot(ivan)
	h.feed.add("n-1", "Нефть подорожала", "/news/oil", "Цены на нефть выросли.")
	h.poll()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := h.subs.Chat(context.Background(), chat.ID)
		if err == nil && !c.Active {
			if !strings.Contains(c.InactiveReason, "blocked") {
				t.Errorf("inactive reason %q", c.InactiveReason)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a blocked chat stays active: %+v %v", c, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	before := len(h.api.Calls("sendMessage"))
	h.feed.add("n-2", "Уран подешевел", "/news/uranium", "Цены на уран снизились.")
	h.poll()
	time.Sleep(200 * time.Millisecond)
	if after := len(h.api.Calls("sendMessage")); after != before {
		t.Fatalf("%d sends were attempted to an inactive chat", after-before)
	}
	h.api.UnblockBot(ivan)
	h.api.SendText(chat, ivan, "/start")
	h.api.WaitMessages(t, chat.ID, 2, 5*time.Second)
	if c, _ := h.subs.Chat(context.Background(), chat.ID); !c.Active || len(c.Topics) != 1 {
		t.Fatalf("after /start: %+v", c)
	}
	h.feed.add("n-3", "Нефть снова дорожает", "/news/oil2", "Цены на нефть растут.")
	h.poll()
	last := h.api.WaitMessages(t, chat.ID, 3, 5*time.Second)[2]
	if !strings.Contains(last.PlainText, "Нефть снова дорожает") {
		t.Fatalf("after reviving: %q", last.PlainText)
	}
}

func TestChannelAdministeredByTheBot(t *testing.T) {
	h := newHarness(t)
	channel := telegramtest.Chat{ID: -100555, Type: "channel", Title: "KZ Energy Watch"}
	// In a channel only its admins can post: the posts are the commands.
	h.api.SendText(channel, telegramtest.User{}, "/start")
	h.api.WaitMessages(t, channel.ID, 1, 5*time.Second)
	h.api.SendText(channel, telegramtest.User{}, "/subscribe energy")
	h.api.WaitMessages(t, channel.ID, 2, 5*time.Second)
	h.feed.add("n-1", "Уран дорожает", "/news/u", "Цены на уран выросли.")
	h.poll()
	post := h.api.WaitMessages(t, channel.ID, 3, 5*time.Second)[2]
	if !strings.Contains(post.PlainText, "Уран дорожает") {
		t.Fatalf("channel post = %q", post.PlainText)
	}
}

func TestPushShowsTimeInTheChatsZone(t *testing.T) {
	h := newHarness(t)
	chat := john.Chat()
	h.api.SendText(chat, john, "/start topic_energy")
	h.api.SendText(chat, john, "/timezone Asia/Tokyo")
	h.api.WaitMessages(t, chat.ID, 2, 5*time.Second)
	h.feed.add("n-1", "Uranium prices rise", "/news/u3o8", "Spot uranium rose 3%.")
	h.poll()
	push := h.api.WaitMessages(t, chat.ID, 3, 5*time.Second)[2]
	st, err := h.stories.Latest(context.Background(), []string{"energy"}, 1)
	if err != nil || len(st) != 1 {
		t.Fatal(st, err)
	}
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	want := "Orda.kz · " + localTime(st[0].Published, tokyo, time.Now())
	if !strings.Contains(push.PlainText, want) {
		t.Fatalf("push %q lacks %q", push.PlainText, want)
	}
}

func TestSeveralStoriesAreBundledWithoutPreviews(t *testing.T) {
	h := newHarness(t)
	chat := ivan.Chat()
	h.api.SendText(chat, ivan, "/start topic_energy")
	h.api.WaitMessages(t, chat.ID, 1, 5*time.Second)
	for i := range 12 {
		h.feed.add(fmt.Sprintf("b-%d", i), fmt.Sprintf("Нефть: сводка номер %d о добыче и ценах <%d>", i, i), fmt.Sprintf("/news/%d", i),
			strings.Repeat("Добыча нефти в регионе растёт, цены держатся. ", 6))
	}
	h.poll()
	msgs := h.api.WaitMessages(t, chat.ID, 2, 5*time.Second)
	time.Sleep(200 * time.Millisecond)
	msgs = h.api.Messages(chat.ID)[1:]
	var all string
	for _, m := range msgs {
		if !m.LinkPreviewDisabled {
			t.Error("a bundle was sent with a link preview")
		}
		all += m.PlainText
	}
	if !strings.Contains(msgs[0].PlainText, "12") {
		t.Errorf("the bundle header does not count the stories: %q", msgs[0].PlainText[:80])
	}
	for i := range 12 {
		if !strings.Contains(all, fmt.Sprintf("сводка номер %d о добыче и ценах <%d>", i, i)) {
			t.Errorf("story %d missing from the bundles", i)
		}
	}
}

func TestOnlyAdminsPressAGroupsOrChannelsButtons(t *testing.T) {
	h := newHarness(t)
	for _, chat := range []telegramtest.Chat{
		{ID: -100888, Type: "supergroup", Title: "Group"},
		{ID: -100999, Type: "channel", Title: "Channel"},
	} {
		h.api.SetAdmins(chat.ID, ivan.ID)
		h.api.SendText(chat, ivan, "/topics")
		picker := h.api.WaitMessages(t, chat.ID, 1, 5*time.Second)[0]
		h.api.PressButton(chat, john, picker.MessageID, "t:energy")
		h.api.PressButton(chat, john, picker.MessageID, "stop:yes")
		time.Sleep(200 * time.Millisecond)
		c, err := h.subs.Chat(context.Background(), chat.ID)
		if err != nil || len(c.Topics) != 0 {
			t.Fatalf("%s: a reader changed the chat: %+v %v", chat.Type, c, err)
		}
		h.api.PressButton(chat, ivan, picker.MessageID, "t:energy")
		deadline := time.Now().Add(5 * time.Second)
		for c.Topics == nil || len(c.Topics) == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the admin's tap did nothing", chat.Type)
			}
			time.Sleep(20 * time.Millisecond)
			c, _ = h.subs.Chat(context.Background(), chat.ID)
		}
	}
}

func TestGroupIgnoresOtherBotsCommands(t *testing.T) {
	h := newHarness(t)
	group := telegramtest.Chat{ID: -100321, Type: "supergroup", Title: "Chat"}
	h.api.SendText(group, john, "/ban spammer")
	h.api.SendText(group, john, "/warn")
	h.api.SendText(group, john, "/frobnicate@"+telegramtest.DefaultBotUsername)
	msgs := h.api.WaitMessages(t, group.ID, 1, 5*time.Second)
	time.Sleep(200 * time.Millisecond)
	msgs = h.api.Messages(group.ID)
	if len(msgs) != 1 || !strings.Contains(msgs[0].PlainText, "/frobnicate") {
		t.Fatalf("group messages %+v: want only the answer to the command addressed to this bot", msgs)
	}
}

func TestUpgradedGroupKeepsItsSettings(t *testing.T) {
	h := newHarness(t)
	group := telegramtest.Chat{ID: -4100, Type: "group", Title: "Newsroom"}
	h.api.SetAdmins(group.ID, ivan.ID)
	h.api.SendText(group, ivan, "/subscribe energy")
	h.api.WaitMessages(t, group.ID, 1, 5*time.Second)
	h.api.MigrateChat(group.ID, -1004100)
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := h.subs.Chat(context.Background(), -1004100)
		if err == nil && len(c.Topics) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the supergroup did not inherit the group's topics: %+v %v", c, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.feed.add("n-1", "Уран подорожал", "/news/u", "Цены выросли.")
	h.poll()
	if got := h.api.WaitMessages(t, -1004100, 1, 5*time.Second)[0]; !strings.Contains(got.PlainText, "Уран подорожал") {
		t.Fatalf("supergroup got %q", got.PlainText)
	}
}

func TestOneStoryFromTwoOutletsArrivesOnce(t *testing.T) {
	h := newHarness(t)
	chat := john.Chat()
	h.api.SendText(chat, john, "/start topic_energy")
	h.api.WaitMessages(t, chat.ID, 1, 5*time.Second)
	second := newFeed(t)
	src2 := digest.Source{ID: "timesca", Title: "TCA", URL: second.URL + "/feed/", Language: "en"}
	p2 := digest.NewPoller(digest.PollerConfig{
		Sources: []digest.Source{src2}, Fetcher: fetch.New(fetch.Options{Timeout: 5 * time.Second}),
		Pipeline: h.pipeline, Store: h.stories, // one pipeline for all sources, as in newsbot
		OnStories: func(ctx context.Context, st []digest.Story) { h.bot.Deliver(ctx, st) },
	})
	poll2 := func() {
		if res, err := p2.Poll(context.Background(), src2, true); err != nil || res.Err != nil {
			t.Fatalf("poll: %v %v", err, res.Err)
		}
	}
	second.add("old", "Archive", "/a", "Archive.")
	poll2() // seeds the second outlet
	h.feed.add("n-1", "Kazatomprom signs uranium supply deal with China's CNNC",
		"/en/kap-cnnc", "Kazatomprom has signed a long-term contract to supply uranium concentrate to CNNC.")
	h.poll()
	h.api.WaitMessages(t, chat.ID, 2, 5*time.Second)
	second.add("n-1", "Kazakhstan to supply uranium to China under new Kazatomprom contract",
		"/2026/kazatomprom-cnnc", "Kazatomprom and CNNC agreed a long-term uranium supply contract.")
	poll2()
	time.Sleep(300 * time.Millisecond)
	if msgs := h.api.Messages(chat.ID); len(msgs) != 2 {
		t.Fatalf("%d messages: the second outlet's report of the same news was pushed again", len(msgs))
	}
}

func TestPushesDecidedWhileDownAreSentAfterRestart(t *testing.T) {
	h := newHarness(t)
	var chats []telegramtest.User
	for i := range 20 {
		u := telegramtest.User{ID: int64(5000 + i), FirstName: "U", LanguageCode: "ru"}
		chats = append(chats, u)
		h.api.SendText(u.Chat(), u, "/start topic_energy")
	}
	for _, u := range chats {
		h.api.WaitMessages(t, u.ID, 1, 5*time.Second)
	}
	h.stop()
	// The poller decides and queues the pushes while the Telegram side is down.
	h.feed.add("n-1", "Уран подорожал", "/news/u", "Цены выросли.")
	h.poll()
	time.Sleep(100 * time.Millisecond)
	if n := len(h.api.Messages(chats[0].ID)); n != 1 {
		t.Fatalf("sent while down: %d", n)
	}
	h.restart()
	for _, u := range chats {
		msgs := h.api.WaitMessages(t, u.ID, 2, 10*time.Second)
		if !strings.Contains(msgs[1].PlainText, "Уран подорожал") {
			t.Errorf("chat %d got %q", u.ID, msgs[1].PlainText)
		}
	}
}

// TestStopWhileTelegramHangs: a reply stuck in a Telegram call that never answers must not keep
// Run past its grace period, nor crash the process when it ends after it.
func TestStopWhileTelegramHangs(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) { c.ShutdownGrace = time.Second })
	h.api.Fail("sendMessage", ivan.ID, telegramtest.Failure{Delay: time.Minute}, 1)
	h.api.SendText(ivan.Chat(), ivan, "/help")
	h.api.WaitCalls(t, "sendMessage", 1, 5*time.Second)
	start := time.Now()
	h.stop()
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Run took %s to return with a grace of 1s", d)
	}
	time.Sleep(500 * time.Millisecond) // the stuck handler ends now; a panic would end the test binary
}

// TestReceiveHealthWhenAnotherProcessPolls: a second poller with the same token makes every
// getUpdates fail with 409; the bot reports it, and recovers when the other one stops.
func TestReceiveHealthWhenAnotherProcessPolls(t *testing.T) {
	h := newHarness(t)
	if err := h.bot.ReceiveHealth(time.Now()); err != nil {
		t.Fatalf("healthy bot: %v", err)
	}
	h.api.Fail("getUpdates", 0, telegramtest.Failure{Code: 409, Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}, 3)
	// The long poll waiting now ends with this message; the next ones fail.
	h.api.SendText(ivan.Chat(), ivan, "/help")
	deadline := time.Now().Add(20 * time.Second)
	for h.bot.ReceiveHealth(time.Now()) == nil {
		if time.Now().After(deadline) {
			t.Fatal("three failed getUpdates in a row went unreported")
		}
		time.Sleep(50 * time.Millisecond)
	}
	err := h.bot.ReceiveHealth(time.Now())
	if !strings.Contains(err.Error(), "Conflict") {
		t.Errorf("ReceiveHealth = %v", err)
	}
	if h.bot.ReceiveHealth(time.Now().Add(3*time.Minute)) != nil {
		t.Error("still failing when the failures are minutes old")
	}
}
