package bot

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"newsbot/bot/telegramtest"
	"newsbot/subscriptions"
)

// waitFor polls ok until it holds or timeout passes.
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

func lastText(api *telegramtest.Server, chatID int64) string {
	msgs := api.Messages(chatID)
	if len(msgs) == 0 {
		return ""
	}
	return msgs[len(msgs)-1].PlainText
}

// auditActions lists the audit log, oldest first, as "action outcome" by user.
func auditActions(t *testing.T, s *subscriptions.Store) []string {
	t.Helper()
	log, err := s.AuditLog(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(log) - 1; i >= 0; i-- {
		out = append(out, fmt.Sprintf("%d %s %s", log[i].UserID, log[i].Action, log[i].Outcome))
	}
	return out
}

func TestAdminCommandsRefuseOthers(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) { c.Admins = []int64{john.ID} })
	for i, cmd := range []string{"/broadcast Всем привет", "/senddigest", "/stats", "/sources", "/pin 1", "/unpin 1"} {
		h.api.SendText(ivan.Chat(), ivan, cmd)
		msgs := h.api.WaitMessages(t, ivan.ID, i+1, 5*time.Second)
		name := strings.Fields(strings.TrimPrefix(cmd, "/"))[0]
		if got := msgs[i].PlainText; got != "Извините, команда /"+name+" доступна только администраторам бота." {
			t.Errorf("%s by a non-admin: %q", cmd, got)
		}
	}
	log := auditActions(t, h.subs)
	if len(log) != 6 || log[0] != fmt.Sprintf("%d broadcast refused", ivan.ID) {
		t.Errorf("audit = %q", log)
	}
	// /help shows admin commands to admins only.
	h.api.SendText(ivan.Chat(), ivan, "/help")
	if got := h.api.WaitMessages(t, ivan.ID, 7, 5*time.Second)[6].PlainText; strings.Contains(got, "/broadcast") {
		t.Errorf("non-admin /help lists /broadcast")
	}
	h.api.SendText(john.Chat(), john, "/help")
	if got := h.api.WaitMessages(t, john.ID, 1, 5*time.Second)[0].PlainText; !strings.Contains(got, "/broadcast") || !strings.Contains(got, "/pin") {
		t.Errorf("admin /help: %q", got)
	}
}

// TestBroadcastToAThousandChats: an admin's /broadcast is previewed, sent once to every active
// chat after Send, with progress edited into one message and the totals at the end.
func TestBroadcastToAThousandChats(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) { c.Admins = []int64{john.ID}; c.RateLimit = 300 })
	ctx := context.Background()
	const n = 1000
	var users []telegramtest.User
	for i := range n {
		u := telegramtest.User{ID: int64(20_000 + i), FirstName: "Reader", LanguageCode: "ru"}
		users = append(users, u)
		if _, _, err := h.subs.Touch(ctx, subscriptions.ChatInfo{ID: u.ID, Type: subscriptions.TypePrivate, LanguageCode: "ru"}); err != nil {
			t.Fatal(err)
		}
	}
	// Ten readers blocked the bot while it was not running: it learns when it sends.
	for _, u := range users[:10] {
		h.api.Fail("sendMessage", u.ID, telegramtest.BlockedByUser(), 1)
	}
	h.api.SendText(john.Chat(), john, "/start")
	h.api.WaitMessages(t, john.ID, 1, 5*time.Second)

	text := "Важно: бот будет недоступен 12.03 с 03:00 до 03:30 <техработы> & обновление."
	h.api.SendText(john.Chat(), john, "/broadcast "+text)
	msgs := h.api.WaitMessages(t, john.ID, 3, 5*time.Second)
	if msgs[1].PlainText != text {
		t.Errorf("preview = %q, want the text as it will go", msgs[1].PlainText)
	}
	question := msgs[2]
	if !strings.Contains(question.PlainText, "1001 chats?") || len(question.Buttons()) != 2 {
		t.Fatalf("question = %q, buttons %v", question.PlainText, question.Buttons())
	}
	if len(h.api.Messages(users[500].ID)) != 0 {
		t.Fatal("sent before Send was pressed")
	}
	send := question.Buttons()[0].CallbackData
	h.api.PressButton(john.Chat(), john, question.MessageID, send)

	final := regexp.MustCompile(`^📣 Broadcast finished: delivered 991 of 1,001; blocked or left 10, failed 0\.$`)
	waitFor(t, "the broadcast's totals", 60*time.Second, func() bool {
		for _, m := range h.api.Messages(john.ID) {
			if m.MessageID == question.MessageID && final.MatchString(m.PlainText) {
				return true
			}
		}
		return false
	})
	progress := regexp.MustCompile(`^📣 Broadcast: sent [0-9,]+ of 1,001…$`)
	seen := false
	for _, c := range h.api.Calls("editMessageText") {
		if c.ChatID == john.ID && c.Params["message_id"] == fmt.Sprint(question.MessageID) && progress.MatchString(c.Params["text"]) {
			seen = true
		}
	}
	if !seen {
		t.Error("no progress edit of the question message")
	}
	for _, u := range users[10:] {
		got := h.api.Messages(u.ID)
		if len(got) != 1 || got[0].PlainText != text {
			t.Fatalf("reader %d got %d messages: %+v", u.ID, len(got), got)
		}
	}
	// The admin, an active chat too, got it as well; pressing Send again sends nothing.
	if got := lastText(h.api, john.ID); got == "" {
		t.Fatal("admin chat empty")
	}
	cq := h.api.PressButton(john.Chat(), john, question.MessageID, send)
	waitFor(t, "the second Send's answer", 5*time.Second, func() bool {
		for _, c := range h.api.Calls("answerCallbackQuery") {
			if c.Params["callback_query_id"] == cq {
				if !strings.Contains(c.Params["text"], "out of date") {
					t.Errorf("second Send answered %q", c.Params["text"])
				}
				return true
			}
		}
		return false
	})
	time.Sleep(300 * time.Millisecond)
	if got := len(h.api.Messages(users[999].ID)); got != 1 {
		t.Errorf("a second Send sent again: %d messages", got)
	}
	for _, u := range users[:10] {
		if c, _ := h.subs.Chat(ctx, u.ID); c.Active {
			t.Errorf("blocked reader %d still active", u.ID)
		}
	}
	log := strings.Join(auditActions(t, h.subs), "\n")
	if !strings.Contains(log, fmt.Sprintf("%d broadcast draft", john.ID)) || !strings.Contains(log, fmt.Sprintf("%d broadcast_send done", john.ID)) {
		t.Errorf("audit:\n%s", log)
	}
}

func TestBroadcastCancelAndFormatting(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) { c.Admins = []int64{john.ID} })
	h.api.SendText(ivan.Chat(), ivan, "/start")
	h.api.WaitMessages(t, ivan.ID, 1, 5*time.Second)
	h.api.SendText(john.Chat(), john, "/broadcast")
	if got := h.api.WaitMessages(t, john.ID, 1, 5*time.Second)[0].PlainText; !strings.Contains(got, "/broadcast needs the text") {
		t.Errorf("empty /broadcast: %q", got)
	}
	h.api.SendText(john.Chat(), john, "/broadcast Plans for tomorrow")
	msgs := h.api.WaitMessages(t, john.ID, 3, 5*time.Second)
	h.api.PressButton(john.Chat(), john, msgs[2].MessageID, msgs[2].Buttons()[1].CallbackData)
	waitFor(t, "the cancel", 5*time.Second, func() bool {
		return strings.HasPrefix(h.api.Messages(john.ID)[2].PlainText, "Broadcast cancelled")
	})
	// Send after Cancel does nothing.
	h.api.PressButton(john.Chat(), john, msgs[2].MessageID, msgs[2].Buttons()[0].CallbackData)
	time.Sleep(300 * time.Millisecond)
	if n := len(h.api.Messages(ivan.ID)); n != 1 {
		t.Errorf("ivan got %d messages after a cancelled broadcast", n)
	}

	// Formatting survives: entities become tags.
	msg := &models.Message{Text: "/broadcast Важно: новый раздел «Энергетика» https://orda.kz",
		Entities: []models.MessageEntity{
			{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: 10},
			{Type: models.MessageEntityTypeBold, Offset: 11, Length: 6},
			{Type: models.MessageEntityTypeTextLink, Offset: 31, Length: 12, URL: "https://orda.kz/energy?a=1&b=2"},
			{Type: models.MessageEntityTypeItalic, Offset: 32, Length: 10},
		}}
	got := broadcastHTML(msg)
	want := `<b>Важно:</b> новый раздел <a href="https://orda.kz/energy?a=1&amp;b=2">«<i>Энергетика</i>»</a> https://orda.kz`
	if got != want {
		t.Errorf("broadcastHTML =\n%s\nwant\n%s", got, want)
	}
	if err := telegramtest.ValidateHTML(got); err != nil {
		t.Error(err)
	}
}

func TestEntitiesHTMLCrossingSpans(t *testing.T) {
	// Bold "ab", italic "bc": Telegram may send overlapping spans; the tags must still balance.
	msg := &models.Message{Text: "/broadcast abc <d>", Entities: []models.MessageEntity{
		{Type: models.MessageEntityTypeBold, Offset: 11, Length: 2},
		{Type: models.MessageEntityTypeItalic, Offset: 12, Length: 2},
		{Type: models.MessageEntityTypeMention, Offset: 15, Length: 3},
	}}
	got := broadcastHTML(msg)
	if err := telegramtest.ValidateHTML(got); err != nil {
		t.Errorf("%s: %v", got, err)
	}
	if plain, _ := telegramtest.ParseHTML(got); plain != "abc <d>" {
		t.Errorf("text %q", plain)
	}
}

// TestSendDigestMatchesEachChatsTopics: /senddigest sends every subscriber the digest of its
// own topics, once; /digest shows one's own; /mode digest holds pushes for it.
func TestSendDigestMatchesEachChatsTopics(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) {
		c.Admins = []int64{john.ID}
		c.Digest = DigestConfig{Schedule: "0 8 * * *", MaxStories: 10, QuietNote: true}
	})
	for _, c := range []struct {
		u     telegramtest.User
		topic string
	}{{aigerim, "energy"}, {ivan, "economy"}} {
		h.api.SendText(c.u.Chat(), c.u, "/subscribe "+c.topic)
		h.api.WaitMessages(t, c.u.ID, 1, 5*time.Second)
	}
	h.api.SendText(ivan.Chat(), ivan, "/mode digest")
	if got := h.api.WaitMessages(t, ivan.ID, 2, 5*time.Second)[1].PlainText; !strings.Contains(got, "главное из них соберёт ежедневный дайджест в 08:00") {
		t.Errorf("/mode digest: %q", got)
	}
	h.feed.add("n1", "Добыча урана выросла на 5%", "https://orda.kz/n1", "Казатомпром отчитался. Рост продолжится.")
	h.feed.add("n2", "Курс тенге: итоги недели", "https://orda.kz/n2", "Тенге укрепился к доллару.")
	h.poll()
	h.api.WaitMessages(t, aigerim.ID, 2, 5*time.Second) // the uranium story, pushed at once
	time.Sleep(300 * time.Millisecond)
	if n := len(h.api.Messages(ivan.ID)); n != 2 {
		t.Errorf("ivan in digest mode got a push: %d messages", n)
	}
	h.api.SendText(ivan.Chat(), ivan, "/digest")
	if got := h.api.WaitMessages(t, ivan.ID, 3, 5*time.Second)[2].PlainText; !strings.Contains(got, "Курс тенге") || strings.Contains(got, "урана") {
		t.Errorf("ivan's /digest: %q", got)
	}

	time.Sleep(1100 * time.Millisecond) // a digest covers whole seconds before it is decided
	h.api.SendText(john.Chat(), john, "/senddigest")
	h.api.WaitMessages(t, john.ID, 1, 5*time.Second)
	// The answer, before the progress report edits it.
	var answer string
	for _, c := range h.api.Calls("sendMessage") {
		if c.ChatID == john.ID && answer == "" {
			answer = c.Params["text"]
		}
	}
	if answer != "☀️ Sending the digest to 2 chats…" {
		t.Errorf("/senddigest answered %q", answer)
	}
	a := h.api.WaitMessages(t, aigerim.ID, 3, 5*time.Second)[2].PlainText
	i := h.api.WaitMessages(t, ivan.ID, 4, 5*time.Second)[3].PlainText
	if !strings.Contains(a, "Добыча урана") || strings.Contains(a, "тенге") || !strings.Contains(a, "дайджест") {
		t.Errorf("aigerim's digest: %q", a)
	}
	if !strings.Contains(i, "Курс тенге") || strings.Contains(i, "урана") || !strings.Contains(i, "Экономика") {
		t.Errorf("ivan's digest: %q", i)
	}
	waitFor(t, "the digest totals", 10*time.Second, func() bool {
		return h.api.Messages(john.ID)[0].PlainText == "☀️ Digest sent: delivered 2 of 2; blocked or left 0, failed 0."
	})
	// Today's digest is done: neither a second /senddigest nor the schedule sends it again.
	h.api.SendText(john.Chat(), john, "/senddigest")
	if got := h.api.WaitMessages(t, john.ID, 2, 5*time.Second)[1].PlainText; !strings.Contains(got, "already") {
		t.Errorf("second /senddigest: %q", got)
	}
	if n, err := h.bot.digests.DigestsDue(context.Background(), time.Now()); err != nil || n != 0 {
		t.Errorf("schedule after /senddigest queued %d, %v", n, err)
	}
}

func TestDigestSettingsCommands(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) { c.Digest = DigestConfig{Schedule: "0 8 * * *"} })
	chat := john.Chat()
	n := 0
	for _, c := range []struct {
		cmd  string
		want []string // the replies, in order
	}{
		{"/digest", []string{"Choose some with /topics"}},
		{"/digest 9:00", []string{"every day at 09:00", "Choose some with /topics"}},
		{"/subscribe energy", []string{"Subscribed to Energy"}},
		{"/digest 7:45", []string{"Your digest will come every day at 07:45 (Asia/Almaty)."}},
		{"/digest 25:00", []string{"“25:00” isn't a time."}},
		{"/digest off", []string{"Daily digest turned off."}},
		{"/mode digest", []string{"your daily digest at 08:00 brings the top ones"}},
		{"/digest off", []string{"Stories on your topics will come as soon as they're published."}},
		{"/digest on", []string{"Your digest will come with everyone's, every day at 08:00 (Asia/Almaty)."}},
		{"/mode weekly", []string{"/mode instant — stories as they arrive"}},
	} {
		h.api.SendText(chat, john, c.cmd)
		msgs := h.api.WaitMessages(t, chat.ID, n+len(c.want), 5*time.Second)
		for i, want := range c.want {
			if got := msgs[n+i].PlainText; !strings.Contains(got, want) {
				t.Errorf("%s: reply %d is %q, want it to contain %q", c.cmd, i+1, got, want)
			}
		}
		n += len(c.want)
	}
}

func TestPinStatsSources(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) { c.Admins = []int64{john.ID} })
	h.api.SendText(aigerim.Chat(), aigerim, "/subscribe energy")
	h.api.WaitMessages(t, aigerim.ID, 1, 5*time.Second)
	h.feed.add("p1", "Тоқаев жаңа Парламент туралы заңға қол қойды", "https://orda.kz/p1", "Заң ресми жарияланды.")
	h.poll()
	n := 0
	say := func(cmd string) string {
		h.api.SendText(john.Chat(), john, cmd)
		n++
		return h.api.WaitMessages(t, john.ID, n, 5*time.Second)[n-1].PlainText
	}
	if got := say("/pin http://orda.kz/p1/"); !strings.HasPrefix(got, "📌 Pinned “Тоқаев жаңа Парламент") {
		t.Errorf("/pin: %q", got)
	}
	if got := say("/pin"); !strings.Contains(got, "Pinned for the next digest") || !strings.Contains(got, "Тоқаев") {
		t.Errorf("/pin alone: %q", got)
	}
	if got := say("/pin https://orda.kz/nothing"); !strings.Contains(got, "I have no story for") {
		t.Errorf("/pin unknown: %q", got)
	}
	// Aigerim follows energy only, yet the pinned politics story leads her digest.
	parts, err := h.bot.digests.Preview(context.Background(), subscriptions.Chat{ID: aigerim.ID, Topics: []string{"energy"}}, "kk")
	if err != nil || !strings.Contains(parts[0], "📌 Басты жаңалық") || !strings.Contains(parts[0], "Тоқаев") {
		t.Errorf("digest after /pin: %q, %v", parts, err)
	}
	if got := say("/unpin https://orda.kz/p1"); !strings.HasPrefix(got, "Unpinned") {
		t.Errorf("/unpin: %q", got)
	}
	stats := say("/stats")
	for _, want := range []string{"Chats: 2 active (private 2), 0 inactive", "Energy 1", "Stories today: 1", "Sources: 1, failing: 0"} {
		if !strings.Contains(stats, want) {
			t.Errorf("/stats lacks %q:\n%s", want, stats)
		}
	}
	sources := say("/sources")
	if !strings.Contains(sources, "✅ Orda.kz — ok") || !strings.Contains(sources, "stories a day") {
		t.Errorf("/sources:\n%s", sources)
	}
}

func TestForwardedCommandsAreNotRun(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) { c.Admins = []int64{john.ID} })
	h.api.ForwardText(john, ivan, "/senddigest")
	got := h.api.WaitMessages(t, john.ID, 1, 5*time.Second)[0].PlainText
	if !strings.Contains(got, "I work with commands") {
		t.Errorf("a forwarded /senddigest was answered %q, want the plain-text hint", got)
	}
	if log := auditActions(t, h.subs); len(log) != 0 {
		t.Errorf("audit: %q", log)
	}
}

func TestAdminCommandsOnlyInPrivate(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) { c.Admins = []int64{john.ID} })
	group := telegramtest.Chat{ID: -1002200300400, Type: "supergroup", Title: "Newsroom"}
	h.api.SetAdmins(group.ID, john.ID)
	h.api.SendText(group, john, "/stats")
	got := h.api.WaitMessages(t, group.ID, 1, 5*time.Second)[0].PlainText
	if !strings.Contains(got, "works in a private chat") {
		t.Errorf("/stats in a group answered %q", got)
	}
	if log := auditActions(t, h.subs); len(log) != 1 || log[0] != fmt.Sprintf("%d stats not private", john.ID) {
		t.Errorf("audit = %q", log)
	}
}
