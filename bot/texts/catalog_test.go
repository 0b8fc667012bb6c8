package texts

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
)

// telegramLimit is the most characters (UTF-16 code units, after entity parsing) a message may
// have.
const telegramLimit = 4096

// callbackAnswerLimit is the most characters of an answerCallbackQuery text.
const callbackAnswerLimit = 200

func loadCatalog(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

// telegramLen counts s as Telegram does: UTF-16 code units of the text after tags and entities.
func telegramLen(s string) int {
	return len(utf16.Encode([]rune(Plain(s))))
}

// sampleData returns realistic values for every key message id reads in lang.
func sampleData(c *Catalog, lang, id string) map[string]any {
	realistic := map[string]any{
		"Name":          "Айгерим",
		"Command":       "weather",
		"Topic":         "Энергетика",
		"List":          []string{"energy", "economy", "politics"},
		"Example":       "energy",
		"Query":         "«Казатомпром» уран",
		"Number":        2,
		"Date":          "12 March 2025",
		"Time":          "08:30",
		"TZ":            "Asia/Almaty",
		"Value":         "25:61",
		"Sources":       []HTML{`<a href="https://orda.kz/">Orda.kz</a>`, `<a href="https://kursiv.media/">Kursiv</a>`},
		"Sent":          98211,
		"Failed":        17,
		"Chats":         98228,
		"Blocked":       1203,
		"Subscriptions": 230411,
		"Alerts":        5120,
		"Stories":       1432,
		"Source":        "Kazinform",
		"Since":         "12.03 06:00",
		"Error":         "HTTP 503 Service Unavailable",
	}
	if id == Stats {
		realistic["Sources"], realistic["Failing"] = 42, 3
	}
	data := map[string]any{}
	for k := range c.messages[id].byLang[lang] {
		if k == "Count" {
			continue
		}
		v, ok := realistic[k]
		if !ok {
			v = "sample " + k
		}
		data[k] = v
	}
	return data
}

func render(c *Catalog, lang, id string, data map[string]any) string {
	if c.messages[id].plural {
		return c.N(lang, id, 21, data)
	}
	return c.T(lang, id, data)
}

func TestLoad(t *testing.T) {
	c := loadCatalog(t)
	if diff := cmp.Diff([]string{"en", "kk", "ru"}, c.Languages()); diff != "" {
		t.Errorf("Languages() (-want +got):\n%s", diff)
	}
	c.Languages()[0] = "xx"
	if c.Languages()[0] != "en" {
		t.Error("Languages() returns the catalogue's own slice")
	}
	seen := map[string]bool{}
	for _, id := range allIDs {
		if seen[id] {
			t.Errorf("id %q is listed twice in allIDs", id)
		}
		seen[id] = true
	}
	if len(c.messages) != len(allIDs) {
		t.Errorf("catalogue has %d messages, allIDs %d", len(c.messages), len(allIDs))
	}
}

func TestEveryMessageRendersInEveryLanguage(t *testing.T) {
	c := loadCatalog(t)
	for _, id := range allIDs {
		for _, lang := range c.Languages() {
			t.Run(id+"/"+lang, func(t *testing.T) {
				for name, data := range map[string]map[string]any{
					"sample": sampleData(c, lang, id),
					"nil":    nil,
				} {
					got := render(c, lang, id, data)
					if strings.TrimSpace(Plain(got)) == "" {
						t.Errorf("%s data: empty text", name)
					}
					if strings.Contains(got, "no value") || strings.Contains(got, "%!") {
						t.Errorf("%s data: template artefact in %q", name, got)
					}
					if err := ValidateHTML(got); err != nil {
						t.Errorf("%s data: %v in %q", name, err, got)
					}
					if n := telegramLen(got); n > telegramLimit {
						t.Errorf("%s data: %d characters, over Telegram's %d", name, n, telegramLimit)
					}
				}
			})
		}
	}
}

func TestEveryInterpolatedValueIsEscaped(t *testing.T) {
	c := loadCatalog(t)
	for _, id := range allIDs {
		for _, lang := range c.Languages() {
			t.Run(id+"/"+lang, func(t *testing.T) {
				data := map[string]any{}
				for k := range c.messages[id].byLang[lang] {
					data[k] = "<script>&" + k
				}
				got := render(c, lang, id, data)
				if strings.Contains(got, "<script>") {
					t.Fatalf("raw value in %q", got)
				}
				for k := range c.messages[id].byLang[lang] {
					if k == "Count" {
						continue
					}
					if want := "&lt;script&gt;&amp;" + k; !strings.Contains(got, want) {
						t.Errorf("%q lacks %q", got, want)
					}
				}
				if err := ValidateHTML(got); err != nil {
					t.Error(err)
				}
			})
		}
	}
}

func TestTranslationsAreReal(t *testing.T) {
	c := loadCatalog(t)
	const kazakhLetters = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
	var kk strings.Builder
	for _, id := range allIDs {
		en, ru, kz := render(c, "en", id, nil), render(c, "ru", id, nil), render(c, "kk", id, nil)
		if ru == en || kz == en || ru == kz {
			t.Errorf("%s: not translated: en %q, ru %q, kk %q", id, en, ru, kz)
		}
		for lang, s := range map[string]string{"ru": ru, "kk": kz} {
			if !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) {
				t.Errorf("%s/%s: no Cyrillic in %q", id, lang, s)
			}
		}
		// The Kazakh language's own name is the one Kazakh word a Russian text may hold.
		if strings.ContainsAny(strings.ReplaceAll(ru, "Қазақша", ""), kazakhLetters) {
			t.Errorf("%s/ru: Kazakh letters in %q", id, ru)
		}
		kk.WriteString(kz)
	}
	// Kazakh written with Russian letters only would be a transliteration, not Kazakh.
	if n := strings.Count(kk.String(), "і") + strings.Count(kk.String(), "ә") + strings.Count(kk.String(), "ұ"); n < 100 {
		t.Errorf("the Kazakh catalogue has only %d і/ә/ұ letters", n)
	}
}

func TestTexts(t *testing.T) {
	c := loadCatalog(t)
	tests := []struct {
		lang, id string
		count    int // 0: rendered with T
		data     map[string]any
		want     string
	}{
		{"en", Subscribed, 0, map[string]any{"Topic": "<script>&"},
			"✅ Subscribed to <b>&lt;script&gt;&amp;</b>. New stories on it will come here."},
		{"ru", Subscribed, 0, map[string]any{"Topic": "Нефть & газ"},
			"✅ Вы подписались на тему <b>Нефть &amp; газ</b>. Новые материалы по ней будут приходить сюда."},
		{"kk", Unsubscribed, 0, map[string]any{"Topic": "Энергетика"},
			"<b>Энергетика</b> тақырыбына жазылым тоқтатылды."},
		{"en", UnknownCommand, 0, map[string]any{"Command": "weather"},
			"I don't know /weather. /help lists what I can do."},
		{"en", TopicUnknown, 0, map[string]any{"Name": "sport", "List": []string{"energy", "economy"}},
			"I don't know the topic <b>sport</b>. Topics are: energy, economy."},
		{"en", AlsoReported, 0, map[string]any{"Sources": []HTML{`<a href="https://orda.kz/a?x=1&amp;y=2">Orda.kz</a>`, "Kursiv"}},
			`Also reported by <a href="https://orda.kz/a?x=1&amp;y=2">Orda.kz</a>, Kursiv.`},
		{"en", TimezoneSet, 0, map[string]any{"TZ": "Asia/Almaty", "Time": "14:05"},
			"🕒 Time zone set to <b>Asia/Almaty</b>. Your time is now 14:05."},
		{"en", TimezoneUsage, 0, nil,
			"/timezone needs a time zone name, e.g. <code>/timezone Asia/Almaty</code>."},
		{"en", TimezoneUsage, 0, map[string]any{"TZ": "Asia/Tashkent"},
			"/timezone needs a time zone name, e.g. <code>/timezone Asia/Almaty</code>. Yours is Asia/Tashkent."},
		{"en", Welcome, 0, nil, "👋 Hello! I'm <b>newsbot</b>"},
		{"ru", Welcome, 0, map[string]any{"Name": "Ерлан"}, "👋 Здравствуйте, Ерлан! Я <b>newsbot</b>"},
		{"en", SearchFound, 1, map[string]any{"Query": "uranium"}, "🔎 Found 1 story for “uranium”"},
		{"en", SearchFound, 0, map[string]any{"Query": "uranium"}, "🔎 Found 0 stories for “uranium”"},
		{"ru", SearchFound, 5, map[string]any{"Query": `"уран" OR нефть`}, "🔎 По запросу «&#34;уран&#34; OR нефть» найдено 5 новостей"},
		{"kk", SearchFound, 3, map[string]any{"Query": "уран"}, "🔎 «уран» сұранысы бойынша 3 жаңалық табылды"},
		{"en", LanguageSet, 0, nil, "Interface language: English."},
		{"kk", LanguageName, 0, nil, "Қазақша"},
		{"ru", LanguageName, 0, nil, "Русский"},
		{"en", StopYes, 0, nil, "Yes, delete everything"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.id, func(t *testing.T) {
			var got string
			if tt.count != 0 || c.messages[tt.id].plural {
				got = c.N(tt.lang, tt.id, tt.count, tt.data)
			} else {
				got = c.T(tt.lang, tt.id, tt.data)
			}
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("got  %q\nwant %q…", got, tt.want)
			}
		})
	}
}

type topicID string

type stringer struct{}

func (stringer) String() string { return "Oil & Gas" }

type panicky struct{}

func (*panicky) String() string { panic("boom") }

func TestValueKinds(t *testing.T) {
	c := loadCatalog(t)
	var nilStringer *panicky
	tests := []struct {
		name  string
		value any
		want  string
	}{
		{"string", "a<b>&c\"d'e", "a&lt;b&gt;&amp;c&#34;d&#39;e"},
		{"HTML", HTML(`<i>Kun.uz</i>`), `<i>Kun.uz</i>`},
		{"strings", []string{"Oil & Gas", "<Energy>"}, "Oil &amp; Gas, &lt;Energy&gt;"},
		{"HTMLs", []HTML{"<b>a</b>", "<i>b</i>"}, "<b>a</b>, <i>b</i>"},
		{"empty strings", []string{}, ""},
		{"int", 42, "42"},
		{"int64", int64(-7), "-7"},
		{"bool", true, "true"},
		{"named string", topicID("<energy>"), "&lt;energy&gt;"},
		{"Stringer", stringer{}, "Oil &amp; Gas"},
		{"error", errors.New(`bad "x" <y>`), "bad &#34;x&#34; &lt;y&gt;"},
		{"nil", nil, ""},
		{"panicking Stringer", nilStringer, "&lt;nil&gt;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.T("en", TopicsYours, map[string]any{"List": tt.value})
			if want := "Your topics: " + tt.want + "."; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

func TestPlurals(t *testing.T) {
	c := loadCatalog(t)
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"ru", 1, "📰 <b>1 свежая новость</b>"},
		{"ru", 2, "📰 <b>2 свежие новости</b>"},
		{"ru", 5, "📰 <b>5 свежих новостей</b>"},
		{"ru", 11, "📰 <b>11 свежих новостей</b>"},
		{"ru", 21, "📰 <b>21 свежая новость</b>"},
		{"ru", 22, "📰 <b>22 свежие новости</b>"},
		{"ru", 25, "📰 <b>25 свежих новостей</b>"},
		{"ru", 101, "📰 <b>101 свежая новость</b>"},
		{"ru", 111, "📰 <b>111 свежих новостей</b>"},
		{"ru", 0, "📰 <b>0 свежих новостей</b>"},
		{"kk", 1, "📰 <b>1 жаңа материал</b>"},
		{"kk", 2, "📰 <b>2 жаңа материал</b>"},
		{"kk", 5, "📰 <b>5 жаңа материал</b>"},
		{"kk", 11, "📰 <b>11 жаңа материал</b>"},
		{"kk", 21, "📰 <b>21 жаңа материал</b>"},
		{"kk", 22, "📰 <b>22 жаңа материал</b>"},
		{"kk", 25, "📰 <b>25 жаңа материал</b>"},
		{"kk", 101, "📰 <b>101 жаңа материал</b>"},
		{"en", 1, "📰 <b>1 new story</b>"},
		{"en", 2, "📰 <b>2 new stories</b>"},
		{"en", 5, "📰 <b>5 new stories</b>"},
		{"en", 11, "📰 <b>11 new stories</b>"},
		{"en", 21, "📰 <b>21 new stories</b>"},
		{"en", 22, "📰 <b>22 new stories</b>"},
		{"en", 25, "📰 <b>25 new stories</b>"},
		{"en", 101, "📰 <b>101 new stories</b>"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.lang, tt.n), func(t *testing.T) {
			if got := c.N(tt.lang, BundleHeader, tt.n, nil); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}

	ruSearch := map[int]string{
		1: "найдена 1 новость", 2: "найдены 2 новости", 5: "найдено 5 новостей", 11: "найдено 11 новостей",
		21: "найдена 21 новость", 22: "найдены 22 новости", 25: "найдено 25 новостей", 101: "найдена 101 новость",
	}
	for n, want := range ruSearch {
		if got := c.N("ru", SearchFound, n, map[string]any{"Query": "уран"}); !strings.HasSuffix(got, want) {
			t.Errorf("ru SearchFound %d: got %q, want …%q", n, got, want)
		}
	}
	alerts := map[int]string{1: "оповещение", 3: "оповещения", 7: "оповещений", 12: "оповещений", 24: "оповещения"}
	for n, want := range alerts {
		if got := c.N("ru", AlertsHeader, n, nil); !strings.Contains(got, fmt.Sprintf("%d %s<", n, want)) {
			t.Errorf("ru AlertsHeader %d: got %q, want %d %s", n, got, n, want)
		}
	}
}

func TestPluralFormsAreGoI18nCLDR(t *testing.T) {
	p, err := newPluralProbe(languages)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[int]string{
		"ru": {1: "one", 2: "few", 5: "many", 11: "many", 21: "one", 22: "few", 25: "many", 101: "one", 0: "many", 12: "many", 14: "many", 104: "few"},
		"kk": {1: "one", 2: "other", 5: "other", 11: "other", 21: "other", 22: "other", 25: "other", 101: "other", 0: "other"},
		"en": {1: "one", 2: "other", 5: "other", 11: "other", 21: "other", 22: "other", 25: "other", 101: "other", 0: "other"},
	}
	for lang, cases := range want {
		for n, form := range cases {
			got, err := p.form(lang, n)
			if err != nil || got != form {
				t.Errorf("%s %d: got %q (%v), want %q", lang, n, got, err, form)
			}
		}
	}
	for lang, forms := range map[string][]string{"ru": {"few", "many", "one", "other"}, "kk": {"one", "other"}, "en": {"one", "other"}} {
		need, err := p.requiredForms(lang)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(forms, sortedKeys(need)); diff != "" {
			t.Errorf("%s required forms (-want +got):\n%s", lang, diff)
		}
	}
}

func TestNSetsCount(t *testing.T) {
	c := loadCatalog(t)
	if got, want := c.N("en", SearchFound, 3, map[string]any{"Count": 99, "Query": "q"}), "🔎 Found 3 stories for “q”"; got != want {
		t.Errorf("N overriding Count: got %q, want %q", got, want)
	}
	if got, want := c.N("en", Subscribed, 3, map[string]any{"Topic": "Energy"}), c.T("en", Subscribed, map[string]any{"Topic": "Energy"}); got != want {
		t.Errorf("N on a message without plural forms: got %q, want %q", got, want)
	}
	// T on a plural message takes "other" and never fails.
	if got := c.T("ru", BundleHeader, nil); got != "📰 <b> свежей новости</b>" {
		t.Errorf("T on a plural message: %q", got)
	}
}

func TestFallbacks(t *testing.T) {
	c := loadCatalog(t)
	tests := []struct{ lang, id, want string }{
		{"en", ReadMore, "Read more"},
		{"ru", ReadMore, "Подробнее"},
		{"kk", ReadMore, "Толығырақ"},
		{"ru-RU", ReadMore, "Подробнее"},
		{"KK", ReadMore, "Толығырақ"},
		{"de", ReadMore, "Read more"},
		{"", ReadMore, "Read more"},
		{"en", "no_such_message", "no_such_message"},
		{"ru", "<no such>", "&lt;no such&gt;"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.id, func(t *testing.T) {
			if got := c.T(tt.lang, tt.id, nil); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHelpFitsOneMessage(t *testing.T) {
	c := loadCatalog(t)
	// The commands that work today; /digest and /mode join the help with the feature that
	// implements them, and must not be promised before.
	commands := []string{"/start", "/help", "/topics", "/subscribe", "/unsubscribe", "/latest", "/digest", "/mode",
		"/search", "/alert", "/alerts", "/unalert", "/timezone", "/language ru", "/stop"}
	notYet := []string{}
	admin := []string{"/broadcast", "/senddigest", "/stats", "/sources", "/pin"}
	for _, lang := range c.Languages() {
		help, helpAdmin := c.T(lang, Help, nil), c.T(lang, HelpAdmin, nil)
		for _, cmd := range commands {
			if !strings.Contains(Plain(help), cmd) {
				t.Errorf("%s help lacks %s", lang, cmd)
			}
		}
		for _, cmd := range notYet {
			if strings.Contains(Plain(help), cmd) {
				t.Errorf("%s help promises %s, which does not exist yet", lang, cmd)
			}
		}
		for _, cmd := range admin {
			if strings.Contains(help, cmd) {
				t.Errorf("%s help shows admin command %s to everyone", lang, cmd)
			}
			if !strings.Contains(helpAdmin, cmd) {
				t.Errorf("%s admin help lacks %s", lang, cmd)
			}
		}
		if n := telegramLen(help + "\n\n" + helpAdmin); n > telegramLimit/2 {
			t.Errorf("%s: help with admin help is %d characters; keep it well under %d", lang, n, telegramLimit)
		}
	}
}

func TestCallbackAnswersFit(t *testing.T) {
	c := loadCatalog(t)
	topic := map[string]any{"Topic": "Экономика и финансы Центральной Азии"}
	for _, lang := range c.Languages() {
		for _, id := range []string{Subscribed, Unsubscribed, AlreadySubscribed, NotSubscribed, ButtonExpired,
			GroupAdminsOnly, ErrorGeneric, ErrorRateLimited, StopCancelled, LanguageSet} {
			if n := telegramLen(c.T(lang, id, topic)); n > callbackAnswerLimit {
				t.Errorf("%s/%s: %d characters, over a callback answer's %d", lang, id, n, callbackAnswerLimit)
			}
		}
		for _, id := range []string{StopYes, StopNo, BroadcastSend, BroadcastCancel, LanguageName, AlertDeleteButton} {
			if got := c.T(lang, id, map[string]any{"Number": 3}); strings.ContainsAny(got, "<>&\n") || telegramLen(got) > 32 {
				t.Errorf("%s/%s: %q is no short plain button label", lang, id, got)
			}
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	c := loadCatalog(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i, id := range allIDs {
				lang := languages[(g+i)%len(languages)]
				if got := render(c, lang, id, sampleData(c, lang, id)); got == "" {
					t.Errorf("%s/%s: empty", lang, id)
				}
			}
		})
	}
	wg.Wait()
}
