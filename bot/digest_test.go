package bot

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsbot/bot/telegramtest"
	"newsbot/bot/texts"
	"newsbot/digest"
	"newsbot/digest/parse"
	"newsbot/migrations"
	"newsbot/subscriptions"
)

// fakeClock is a settable clock shared by every part of a digest test.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// digestWorld is the stores, a Digester and a clock, with no Telegram: what deciding digests
// needs.
type digestWorld struct {
	t        *testing.T
	clock    *fakeClock
	db       *migrations.DB
	subs     *subscriptions.Store
	stories  *digest.Store
	pipeline *digest.Pipeline
	cfg      Config
}

func newDigestWorld(t *testing.T, start time.Time, cfg Config) *digestWorld {
	t.Helper()
	ctx := context.Background()
	db, err := migrations.Open(ctx, filepath.Join(t.TempDir(), "digest.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	w := &digestWorld{t: t, clock: &fakeClock{t: start}, db: db}
	var subTopics []subscriptions.Topic
	for _, tp := range e2eTopics {
		subTopics = append(subTopics, subscriptions.Topic{ID: tp.ID, Title: tp.Title})
	}
	catalog, err := subscriptions.NewCatalog(subTopics)
	if err != nil {
		t.Fatal(err)
	}
	w.subs = subscriptions.NewStore(db, catalog, subscriptions.Limits{}, w.clock.Now)
	w.stories = digest.NewStore(db)
	w.pipeline = digest.NewPipeline(w.stories, e2eTopics, w.clock.Now)
	cfg.Now = w.clock.Now
	if cfg.Sources == nil {
		cfg.Sources = map[string]string{"orda": "Orda.kz", "kursiv": "Kursiv", "vlast": "Vlast.kz"}
	}
	w.cfg = cfg
	return w
}

// digester returns a new Digester over the world, as a (re)started process would make it.
func (w *digestWorld) digester() *Digester {
	w.t.Helper()
	msgs, err := texts.Load()
	if err != nil {
		w.t.Fatal(err)
	}
	d, err := NewDigester(w.cfg, w.subs, w.stories, msgs)
	if err != nil {
		w.t.Fatal(err)
	}
	return d
}

// store stores news items of source at the clock's time, not as backlog.
func (w *digestWorld) store(source string, items ...parse.Item) []digest.Story {
	w.t.Helper()
	ctx := context.Background()
	st, err := w.stories.SourceState(ctx, source)
	if err != nil {
		w.t.Fatal(err)
	}
	st.Seeded = true
	out, err := w.pipeline.Process(ctx, digest.Source{ID: source, Title: w.cfg.Sources[source], Language: "ru"},
		&parse.Feed{Items: items}, false, st)
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

func item(key, title, desc string) parse.Item {
	return parse.Item{Key: "guid:" + key, GUID: key, Title: title, Description: desc,
		Link: "https://example.kz/" + key}
}

// chat creates a subscribed chat.
func (w *digestWorld) chat(id int64, lang string, topics ...string) {
	w.t.Helper()
	ctx := context.Background()
	if _, _, err := w.subs.Touch(ctx, subscriptions.ChatInfo{ID: id, Type: subscriptions.TypePrivate, LanguageCode: lang}); err != nil {
		w.t.Fatal(err)
	}
	for _, tp := range topics {
		if _, err := w.subs.Subscribe(ctx, id, tp); err != nil {
			w.t.Fatal(err)
		}
	}
}

// queued returns the digest texts queued per chat, in order.
func (w *digestWorld) queued() map[int64][]string {
	w.t.Helper()
	rows, err := w.db.Read.Query(`SELECT o.chat_id, x.text FROM outbox o JOIN outbox_texts x ON x.id = o.text_id
		WHERE o.kind = 'digest' ORDER BY o.id`)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var chat int64
		var text string
		if err := rows.Scan(&chat, &text); err != nil {
			w.t.Fatal(err)
		}
		out[chat] = append(out[chat], text)
	}
	return out
}

func (w *digestWorld) due(d *Digester, at time.Time) int {
	w.t.Helper()
	w.clock.Set(at)
	n, err := d.DigestsDue(context.Background(), at)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

// TestDigestScheduleAcrossZones runs one day of the schedule minute by minute where it matters,
// with chats on the bot's 08:00 Asia/Almaty, on their own 07:30 in Asia/Tashkent, on 09:00 UTC,
// and one with its digest off; restarts at 08:01 and later must not send anything twice.
func TestDigestScheduleAcrossZones(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	tashkent, _ := time.LoadLocation("Asia/Tashkent")
	day := func(d, h, m int, loc *time.Location) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, loc) }
	w := newDigestWorld(t, day(9, 12, 0, almaty), Config{Location: almaty,
		Digest: DigestConfig{Schedule: "0 8 * * *", Location: almaty, MaxStories: 10, QuietNote: true}})
	ctx := context.Background()
	const (
		bakyt  = 501 // the bot's 08:00 Almaty
		dilnoz = 502 // her own 07:30, in Tashkent
		emma   = 503 // her own 09:00, UTC
		farid  = 504 // digest off
		gulnar = 505 // no topics: no digest
	)
	w.chat(bakyt, "ru", "energy")
	w.chat(dilnoz, "ru", "economy")
	w.chat(emma, "en", "energy", "economy")
	w.chat(farid, "ru", "energy")
	w.chat(gulnar, "ru")
	for _, c := range []struct {
		id       int64
		tz, time string
	}{{dilnoz, "Asia/Tashkent", "07:30"}, {emma, "UTC", "09:00"}, {farid, "", "off"}} {
		if c.tz != "" {
			if _, err := w.subs.SetTimezone(ctx, c.id, c.tz); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.subs.SetDigestTime(ctx, c.id, c.time); err != nil {
			t.Fatal(err)
		}
	}
	// Stories during the afternoon and night before.
	w.clock.Set(day(9, 18, 0, almaty))
	w.store("orda", item("u1", "«Казатомпром» увеличил добычу урана", "Компания отчиталась о росте добычи. Подробности в отчёте."))
	w.clock.Set(day(10, 6, 0, almaty))
	w.store("kursiv", item("t1", "Курс тенге укрепился", "Нацбанк сообщил об итогах торгов."))

	d := w.digester()
	type step struct {
		at   time.Time
		want []int64 // chats that get their digest now
	}
	for _, s := range []step{
		{day(10, 7, 29, tashkent), nil},
		{day(10, 7, 30, tashkent), []int64{dilnoz}},
		{day(10, 7, 59, almaty), nil},
		{day(10, 8, 0, almaty), []int64{bakyt}},
		{day(10, 8, 1, almaty), nil}, // a restart at 08:01: nothing again
		{day(10, 8, 59, time.UTC), nil},
		{day(10, 9, 0, time.UTC), []int64{emma}},
		{day(10, 23, 59, almaty), nil},
	} {
		before := w.queued()
		w.due(w.digester(), s.at) // a fresh Digester each time, as after a restart
		after := w.queued()
		var got []int64
		for chat, msgs := range after {
			if len(msgs) > len(before[chat]) {
				got = append(got, chat)
			}
		}
		if diff := cmp.Diff(s.want, got); diff != "" {
			t.Errorf("at %s: digests (-want +got):\n%s", s.at.Format(time.RFC3339), diff)
		}
	}
	q := w.queued()
	if len(q[farid]) != 0 || len(q[gulnar]) != 0 {
		t.Errorf("digest off or no topics still got one: %v %v", q[farid], q[gulnar])
	}
	// Each digest carries its chat's topics only.
	if !strings.Contains(q[bakyt][0], "урана") || strings.Contains(q[bakyt][0], "тенге") {
		t.Errorf("bakyt (energy) got %q", q[bakyt][0])
	}
	if !strings.Contains(q[dilnoz][0], "тенге") || strings.Contains(q[dilnoz][0], "урана") {
		t.Errorf("dilnoz (economy) got %q", q[dilnoz][0])
	}
	if !strings.Contains(q[emma][0], "урана") || !strings.Contains(q[emma][0], "тенге") || !strings.Contains(q[emma][0], "Your digest") {
		t.Errorf("emma (energy, economy, English) got %q", q[emma][0])
	}

	// The next day: only what is new since each chat's last digest.
	w.clock.Set(day(10, 15, 0, almaty))
	w.store("vlast", item("u2", "Экспорт урана вырос на 10%", "Данные таможни."))
	// Jumping to 08:00 also catches up dilnoz's 07:30.
	if n := w.due(d, day(11, 8, 0, almaty)); n != 2 {
		t.Fatalf("second morning queued %d messages, want 2 (bakyt's, dilnoz's)", n)
	}
	q = w.queued()
	if got := q[bakyt][1]; !strings.Contains(got, "Экспорт урана") || strings.Contains(got, "Казатомпром") {
		t.Errorf("bakyt's second digest: %q", got)
	}
	// Changing one's time to one already passed today does not send a second digest today, nor
	// one at once.
	if _, err := w.subs.SetDigestTime(ctx, bakyt, "08:30"); err != nil {
		t.Fatal(err)
	}
	if n := w.due(d, day(11, 8, 30, almaty)); n != 0 {
		t.Errorf("new time on a day already served queued %d", n)
	}
}

// TestDigestCatchUpAndQuietDay: a bot down at 08:00 sends the digest when back within the
// catch-up window, not later; a chat with nothing new gets the quiet note, or nothing.
func TestDigestCatchUpAndQuietDay(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, almaty) }
	w := newDigestWorld(t, at(9, 12, 0), Config{Location: almaty,
		Digest: DigestConfig{Schedule: "0 8 * * *", MaxStories: 10, QuietNote: true}})
	w.chat(1, "en", "politics")
	if n := w.due(w.digester(), at(10, 13, 59)); n != 1 {
		t.Fatalf("back at 13:59 queued %d, want the missed 08:00 digest", n)
	}
	if got := w.queued()[1][0]; !strings.Contains(got, "Nothing new on your topics") {
		t.Errorf("quiet day: %q", got)
	}
	if n := w.due(w.digester(), at(11, 14, 1)); n != 0 {
		t.Errorf("back at 14:01 queued %d, want none: six hours late is too late", n)
	}

	w.cfg.Digest.QuietNote = false
	if n := w.due(w.digester(), at(12, 8, 0)); n != 0 {
		t.Errorf("quiet day without the note queued %d", n)
	}
	var recorded int
	w.db.Read.QueryRow(`SELECT COUNT(*) FROM digests WHERE chat_id = 1 AND day = '2026-03-12 Asia/Almaty'`).Scan(&recorded)
	if recorded != 1 {
		t.Errorf("a quiet day without a note must still count as the day's digest")
	}
}

// TestDigestRanksPinsOutletsAndRecency checks what goes in and in which order: pins first,
// then news carried by more outlets, then the newest; at most max_stories; grouped by topic.
func TestDigestRanksPinsOutletsAndRecency(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	at := func(h, m int) time.Time { return time.Date(2026, 3, 10, h, m, 0, 0, almaty) }
	w := newDigestWorld(t, at(0, 30), Config{Location: almaty,
		Digest: DigestConfig{Schedule: "0 8 * * *", MaxStories: 4, QuietNote: true}})
	w.chat(1, "en", "energy", "economy")
	w.store("orda", item("a", "Нефть подорожала до 90 долларов", "Цены на нефть выросли на фоне сокращения добычи ОПЕК+."))
	w.clock.Set(at(1, 0))
	w.store("orda", item("b", "Инфляция в Казахстане замедлилась до 8,4%", "Бюро национальной статистики опубликовало данные."))
	w.store("kursiv", item("b2", "Инфляция в Казахстане замедлилась до 8,4 процента", "Бюро национальной статистики опубликовало данные за февраль."))
	w.store("vlast", item("b3", "Инфляция в Казахстане замедлилась до 8,4%: данные", "Бюро национальной статистики опубликовало данные."))
	w.clock.Set(at(2, 0))
	w.store("orda", item("c", "Парламент одобрил поправки в Налоговый кодекс", "Депутаты приняли закон во втором чтении."))
	w.clock.Set(at(3, 0))
	w.store("orda", item("d", "Добыча урана на юге выросла", "Рудник нарастил выпуск."))
	w.clock.Set(at(4, 0))
	w.store("orda", item("e", "Тенге ослаб к доллару", "Итоги торгов на KASE."))
	w.clock.Set(at(5, 0))
	w.store("orda", item("f", "Уран дорожает на мировых рынках", "Спотовая цена выросла."))
	pinned, err := w.stories.FindStory(context.Background(), "https://example.kz/c/")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.stories.PinStory(context.Background(), pinned.ID, 9, at(6, 0)); err != nil {
		t.Fatal(err)
	}
	if n := w.due(w.digester(), at(8, 0)); n != 1 {
		t.Fatalf("queued %d messages", n)
	}
	got := texts.Plain(w.queued()[1][0])
	var titles []string
	for _, line := range strings.Split(got, "\n") {
		if strings.HasPrefix(line, "• ") {
			titles = append(titles, strings.TrimPrefix(line, "• "))
		}
	}
	want := []string{
		"Парламент одобрил поправки в Налоговый кодекс", // pinned, though politics is not a topic of hers
		"Уран дорожает на мировых рынках",               // energy, newest of the single-outlet news
		"Инфляция в Казахстане замедлилась до 8,4%",     // economy: three outlets, ranked first of the rest
		"Тенге ослаб к доллару",                         // newer than the uranium output story, which is left out
	}
	if diff := cmp.Diff(want, titles); diff != "" {
		t.Errorf("digest stories (-want +got):\n%s\n%s", diff, got)
	}
	for _, frag := range []string{"📌 Top story", "Energy", "Economy", "Orda.kz, Kursiv, Vlast.kz"} {
		if !strings.Contains(got, frag) {
			t.Errorf("digest lacks %q:\n%s", frag, got)
		}
	}
	if strings.Index(got, "Energy") > strings.Index(got, "Economy") {
		t.Errorf("topics out of configuration order:\n%s", got)
	}
}

func TestRenderDigestSplitsAtStories(t *testing.T) {
	var items []DigestItem
	for i := range 60 {
		items = append(items, DigestItem{Title: strings.Repeat("Тоқаев Астанада инвесторлармен кездесті ", 3) + string(rune('A'+i%26)),
			Link: "https://kz.kursiv.media/x?a=1&b=<2>", Sources: []string{"Kursiv <KZ>", "Orda", "Vlast", "24.kg"},
			Summary: strings.Repeat("Президент шетелдік инвесторлармен кездесіп, жаңа жобаларды талқылады. ", 2)})
	}
	parts := RenderDigest("☀️ <b>Your digest</b> · 10 March 2026", []DigestSection{
		{Title: "Politics & <Power>", Items: items[:30]}, {Title: "Economy", Items: items[30:]},
	})
	if len(parts) < 2 {
		t.Fatalf("%d parts for 60 long stories", len(parts))
	}
	total := 0
	for i, p := range parts {
		if n := TextLength(p); n > MaxText {
			t.Errorf("part %d is %d long", i, n)
		}
		if err := telegramtest.ValidateHTML(p); err != nil {
			t.Errorf("part %d: %v", i, err)
		}
		if i > 0 && !strings.HasPrefix(p, "<b>") {
			t.Errorf("part %d does not open with its section title: %.80q", i, p)
		}
		total += strings.Count(p, "• ")
	}
	if total != 60 {
		t.Errorf("%d stories rendered, want 60", total)
	}
	if !strings.Contains(parts[0], "Politics &amp; &lt;Power&gt;") || !strings.Contains(parts[0], "Kursiv &lt;KZ&gt;, Orda, Vlast +1") ||
		!strings.Contains(parts[0], `href="https://kz.kursiv.media/x?a=1&amp;b=&lt;2&gt;"`) {
		t.Errorf("escaping or outlets: %.600s", parts[0])
	}
	if strings.Count(parts[0], "кездесіп") != strings.Count(parts[0], "• ") {
		t.Errorf("more than one sentence of summary per story")
	}
}
