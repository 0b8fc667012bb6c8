package parse

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

var (
	almaty = time.FixedZone("Asia/Almaty", 5*3600)
	// now is the fixed clock of these tests.
	now = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
)

func fixedOpts() Options {
	return Options{Location: almaty, Now: func() time.Time { return now }}
}

func mustParse(t *testing.T, body, finalURL string) *Feed {
	t.Helper()
	f, err := Parse([]byte(body), "application/rss+xml; charset=utf-8", finalURL, fixedOpts())
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func TestParseRSS(t *testing.T) {
	const body = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Orda.kz &#8211; Новости</title>
  <link>/</link>
  <language>ru_RU</language>
  <ttl>15</ttl>
  <item>
    <title><![CDATA[«Казатомпром» увеличил добычу урана]]></title>
    <link>/news/kazatomprom-uran/?utm_source=rss&amp;utm_medium=feed#comments</link>
    <guid isPermaLink="false">https://orda.kz/?p=101</guid>
    <pubDate>5 марта 2024 г., 14:30</pubDate>
    <description><![CDATA[<p>Компания сообщила о росте добычи&nbsp;на 15% [&hellip;]</p><p>The post <a href="https://orda.kz/news/kazatomprom-uran/">«Казатомпром» увеличил добычу урана</a> appeared first on <a href="https://orda.kz">Orda.kz</a>.</p>]]></description>
    <content:encoded><![CDATA[<p>Полный текст о &amp;laquo;Казатомпроме&amp;raquo;.</p><figure><img src="/a.jpg"><figcaption>Фото: пресс-служба</figcaption></figure>]]></content:encoded>
    <enclosure url="/wp-content/uploads/uran.jpg" type="image/jpeg" length="12345"/>
  </item>
  <item>
    <title>Тоқаев Астанада шетелдік инвесторлармен кездесті</title>
    <guid>https://kaz.inform.kz/news/tokaev-astana</guid>
    <dc:language>kk</dc:language>
    <pubDate>Fri, 15 Mar 2024 12:00:00 +0500</pubDate>
  </item>
  <item>
    <title>Kazatomprom signs uranium deal with China</title>
    <link>https://en.orda.kz/kazatomprom-china/</link>
    <dc:date>1709625600</dc:date>
  </item>
  <item>
    <title>Дата из будущего</title>
    <link>https://orda.kz/future</link>
    <pubDate>Mon, 01 Jan 2035 10:00:00 +0500</pubDate>
  </item>
  <item>
    <title>Без даты и ссылки</title>
    <pubDate>вчера</pubDate>
  </item>
</channel>
</rss>`
	f := mustParse(t, body, "https://Orda.kz:443/feed/")

	want := &Feed{
		Title:    "Orda.kz – Новости",
		Link:     "https://orda.kz/",
		Language: "ru-ru",
		TTL:      15 * time.Minute,
		Charset:  "utf-8",
		Items: []Item{
			{
				Key:         "guid:https://orda.kz/?p=101",
				GUID:        "https://orda.kz/?p=101",
				Link:        "https://orda.kz/news/kazatomprom-uran/",
				Title:       "«Казатомпром» увеличил добычу урана",
				Description: "Компания сообщила о росте добычи на 15%",
				Content:     "Полный текст о «Казатомпроме».",
				Published:   time.Date(2024, 3, 5, 14, 30, 0, 0, almaty),
				Language:    "ru-ru",
				Enclosures:  []Enclosure{{URL: "https://orda.kz/wp-content/uploads/uran.jpg", Type: "image/jpeg", Length: 12345}},
				Image:       "https://orda.kz/wp-content/uploads/uran.jpg",
			},
			{
				Key:       "guid:https://kaz.inform.kz/news/tokaev-astana",
				GUID:      "https://kaz.inform.kz/news/tokaev-astana",
				Link:      "https://kaz.inform.kz/news/tokaev-astana",
				Title:     "Тоқаев Астанада шетелдік инвесторлармен кездесті",
				Published: time.Date(2024, 3, 15, 12, 0, 0, 0, time.FixedZone("", 5*3600)),
				Language:  "kk",
			},
			{
				Key:       "link:https://en.orda.kz/kazatomprom-china/",
				Link:      "https://en.orda.kz/kazatomprom-china/",
				Title:     "Kazatomprom signs uranium deal with China",
				Published: time.Unix(1709625600, 0).UTC(),
				Language:  "ru-ru",
			},
			{
				Key:      "link:https://orda.kz/future",
				Link:     "https://orda.kz/future",
				Title:    "Дата из будущего",
				Language: "ru-ru",
			},
			{
				Key:      "hash:" + sha256Hex("Без даты и ссылки\x00вчера"),
				Title:    "Без даты и ссылки",
				Language: "ru-ru",
			},
		},
	}
	if diff := cmp.Diff(want, f, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("Parse mismatch (-want +got):\n%s", diff)
	}
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestParseLinks(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		finalURL string
		want     []string
	}{
		{
			name:     "relative RSS links resolve against the final URL",
			body:     `<rss version="2.0"><channel><title>24.kg</title><item><title>a</title><link>/rus/news/1/</link></item><item><title>b</title><link>news/2?id=5&amp;utm_campaign=x</link></item></channel></rss>`,
			finalURL: "https://24.kg/rss/",
			want:     []string{"https://24.kg/rus/news/1/", "https://24.kg/rss/news/2?id=5"},
		},
		{
			name:     "xml:base wins over the final URL",
			body:     `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://rus.azattyq.org/"><title>Azattyq</title><entry><id>a1</id><title>a</title><link href="a/32900001.html"/></entry></feed>`,
			finalURL: "https://rus.azattyq.org/api/zgroqe_uoq",
			want:     []string{"https://rus.azattyq.org/a/32900001.html"},
		},
		{
			name:     "fragment xml:base falls back to the final URL",
			body:     `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="#fragment"><title>TCA</title><entry><id>t1</id><title>a</title><link rel="alternate" href="/news/tajikistan-rogun/"/></entry></feed>`,
			finalURL: "https://timesca.com/feed/",
			want:     []string{"https://timesca.com/news/tajikistan-rogun/"},
		},
		{
			name:     "atom link without rel",
			body:     `<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><entry><id>x1</id><title>a</title><link href="https://eurasianet.org/uzbekistan-reform"/></entry></feed>`,
			finalURL: "https://eurasianet.org/rss.xml",
			want:     []string{"https://eurasianet.org/uzbekistan-reform"},
		},
		{
			name:     "permalink GUID stands in for a missing link",
			body:     `<rss version="2.0"><channel><title>x</title><item><title>a</title><guid>https://kun.uz/news/2024/06/01/a</guid></item><item><title>b</title><guid isPermaLink="false">https://kun.uz/?p=2</guid></item><item><title>c</title><guid>kun-3</guid></item></channel></rss>`,
			finalURL: "https://kun.uz/news/rss",
			want:     []string{"https://kun.uz/news/2024/06/01/a", "", ""},
		},
		{
			name:     "no final URL: feed self link is the base",
			body:     `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>x</title><atom:link rel="self" href="https://lsm.kz/rss"/><item><title>a</title><link>/a/1</link></item></channel></rss>`,
			finalURL: "",
			want:     []string{"https://lsm.kz/a/1"},
		},
		{
			name:     "no base at all leaves no link",
			body:     `<rss version="2.0"><channel><title>x</title><item><title>a</title><link>/a/1</link></item></channel></rss>`,
			finalURL: "not a url",
			want:     []string{""},
		},
		{
			name:     "non-http link dropped",
			body:     `<rss version="2.0"><channel><title>x</title><item><title>a</title><link>javascript:void(0)</link></item></channel></rss>`,
			finalURL: "https://example.kz/rss",
			want:     []string{""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, tt.body, tt.finalURL)
			var got []string
			for _, it := range f.Items {
				got = append(got, it.Link)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("links mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseDates(t *testing.T) {
	item := func(inner string) string {
		return `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>x</title><item><title>a</title>` + inner + `</item></channel></rss>`
	}
	tests := []struct {
		name string
		body string
		want time.Time
	}{
		{"zone-less pubDate is Almaty time, not UTC", item(`<pubDate>2024-05-31 09:00:00</pubDate>`), time.Date(2024, 5, 31, 9, 0, 0, 0, almaty)},
		{"RFC1123 zone-less re-read in Almaty", item(`<pubDate>Fri, 31 May 2024 09:00:00</pubDate>`), time.Date(2024, 5, 31, 9, 0, 0, 0, almaty)},
		{"zoned pubDate kept", item(`<pubDate>Fri, 31 May 2024 09:00:00 GMT</pubDate>`), time.Date(2024, 5, 31, 9, 0, 0, 0, time.UTC)},
		{"kazakh pubDate", item(`<pubDate>2024 жылғы 31 мамыр 09:00</pubDate>`), time.Date(2024, 5, 31, 9, 0, 0, 0, almaty)},
		{"dc:date when pubDate unreadable", item(`<pubDate>вчера</pubDate><dc:date>2024-05-30T10:00:00+05:00</dc:date>`), time.Date(2024, 5, 30, 5, 0, 0, 0, time.UTC)},
		{"epoch dc:date", item(`<dc:date>1717200000</dc:date>`), time.Unix(1717200000, 0)},
		{"updated when published missing", item(`<atom:updated>2024-05-29T08:00:00Z</atom:updated>`), time.Date(2024, 5, 29, 8, 0, 0, 0, time.UTC)},
		{"gofeed layout we lack, zone-less, re-read in Almaty", item(`<pubDate>Fri, 31, May 2024 09:5</pubDate>`), time.Date(2024, 5, 31, 9, 5, 0, 0, almaty)},
		{"gofeed layout we lack, zoned, kept", item(`<pubDate>Fri, 31 May 2024 09:5:7 -0700 GMT</pubDate>`), time.Date(2024, 5, 31, 16, 5, 7, 0, time.UTC)},
		{"within a day ahead is kept", item(`<pubDate>Sat, 01 Jun 2024 20:00:00 +0000</pubDate>`), time.Date(2024, 6, 1, 20, 0, 0, 0, time.UTC)},
		{"more than a day ahead is unknown", item(`<pubDate>Mon, 03 Jun 2024 20:00:00 +0000</pubDate>`), time.Time{}},
		{"before 1995 is unknown", item(`<pubDate>Thu, 01 Jan 1970 00:00:00 +0000</pubDate>`), time.Time{}},
		{"future pubDate falls back to dc:date", item(`<pubDate>Mon, 01 Jan 2035 10:00:00 +0500</pubDate><dc:date>2024-05-30T10:00:00Z</dc:date>`), time.Date(2024, 5, 30, 10, 0, 0, 0, time.UTC)},
		{"nothing readable", item(`<pubDate>Seg, 24 Set 2018</pubDate>`), time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, tt.body, "https://example.kz/rss")
			if len(f.Items) != 1 {
				t.Fatalf("got %d items", len(f.Items))
			}
			if got := f.Items[0].Published; !got.Equal(tt.want) {
				t.Errorf("Published = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseIdentity(t *testing.T) {
	rss := func(items string) string {
		return `<rss version="2.0"><channel><title>x</title>` + items + `</channel></rss>`
	}
	tests := []struct {
		name string
		body string
		want []string // keys, in order
	}{
		{
			"GUID, else link, else hash",
			rss(`<item><title>a</title><link>https://tengrinews.kz/1</link><guid>t-1</guid></item>
				<item><title>b</title><link>https://tengrinews.kz/2?utm_source=rss</link></item>
				<item><title>c</title><pubDate>Fri, 31 May 2024 09:00:00 +0500</pubDate></item>`),
			[]string{"guid:t-1", "link:https://tengrinews.kz/2", "hash:" + sha256Hex("c\x00Fri, 31 May 2024 09:00:00 +0500")},
		},
		{
			"untitled item hashes its description",
			rss(`<item><description>Только текст</description></item>`),
			[]string{"hash:" + sha256Hex("\x00\x00Только текст")},
		},
		{
			"repeated copy of one item kept once",
			rss(`<item><title>a</title><link>https://24.kg/1</link><guid>g</guid></item>
				<item><title>a</title><link>https://24.kg/1</link><guid>g</guid></item>`),
			[]string{"guid:g"},
		},
		{
			"shared GUID with different links uses links",
			rss(`<item><title>a</title><link>https://24.kg/1</link><guid>g</guid></item>
				<item><title>b</title><link>https://24.kg/2</link><guid>g</guid></item>
				<item><title>c</title><link>https://24.kg/3</link><guid>h</guid></item>`),
			[]string{"link:https://24.kg/1", "link:https://24.kg/2", "guid:h"},
		},
		{
			"shared GUID and link with different titles uses hashes",
			rss(`<item><title>Episode 1</title><link>https://pod.kz/</link><guid>ep.mp3</guid><pubDate>Tue, 2 Aug 2011 01:30:00 EST</pubDate></item>
				<item><title>Episode 1 (extended)</title><link>https://pod.kz/</link><guid>ep.mp3</guid><pubDate>Tue, 2 Aug 2011 01:30:00 EST</pubDate></item>`),
			[]string{"hash:" + sha256Hex("Episode 1\x00Tue, 2 Aug 2011 01:30:00 EST"), "hash:" + sha256Hex("Episode 1 (extended)\x00Tue, 2 Aug 2011 01:30:00 EST")},
		},
		{
			"same canonical link kept once",
			rss(`<item><title>a</title><link>https://kapital.kz/1?utm_source=tg</link></item>
				<item><title>a (upd)</title><link>https://kapital.kz/1#x</link></item>`),
			[]string{"link:https://kapital.kz/1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, tt.body, "https://example.kz/rss")
			var got []string
			for _, it := range f.Items {
				got = append(got, it.Key)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("keys mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseJSONFeed(t *testing.T) {
	const body = `{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Kursiv &#8211; Новости",
  "home_page_url": "https://kz.kursiv.media/",
  "language": "ru",
  "items": [
    {"id": "k-1", "url": "/2024-06-01/tenge/?utm_source=json", "title": "Тенге укрепился &amp; нефть подорожала",
     "content_html": "<p>Курс&nbsp;тенге</p>", "date_published": "2024-06-01T09:00:00+05:00",
     "attachments": [{"url": "/img/tenge.jpg", "mime_type": "image/jpeg", "size_in_bytes": 2048}]},
    {"title": "Без идентификатора", "url": "https://kz.kursiv.media/b"}
  ]
}`
	f := mustParse(t, body, "https://kz.kursiv.media/feed.json")
	want := &Feed{
		Title:    "Kursiv – Новости",
		Link:     "https://kz.kursiv.media/",
		Language: "ru",
		Charset:  "utf-8",
		Items: []Item{
			{
				Key: "guid:k-1", GUID: "k-1", Link: "https://kz.kursiv.media/2024-06-01/tenge/",
				Title: "Тенге укрепился & нефть подорожала", Content: "Курс тенге",
				Published:  time.Date(2024, 6, 1, 4, 0, 0, 0, time.UTC),
				Language:   "ru",
				Enclosures: []Enclosure{{URL: "https://kz.kursiv.media/img/tenge.jpg", Type: "image/jpeg", Length: 2048}},
				Image:      "https://kz.kursiv.media/img/tenge.jpg",
			},
			{Key: "link:https://kz.kursiv.media/b", Link: "https://kz.kursiv.media/b", Title: "Без идентификатора", Language: "ru"},
		},
	}
	if diff := cmp.Diff(want, f, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("Parse mismatch (-want +got):\n%s", diff)
	}
}

func TestParseTTL(t *testing.T) {
	tests := []struct {
		ttl  string
		want time.Duration
	}{
		{"60", time.Hour},
		{" 5 ", 5 * time.Minute},
		{"0", 0},
		{"-5", 0},
		{"soon", 0},
		{"999999999", maxTTL},
	}
	for _, tt := range tests {
		t.Run(tt.ttl, func(t *testing.T) {
			f := mustParse(t, `<rss version="2.0"><channel><title>x</title><ttl>`+tt.ttl+`</ttl></channel></rss>`, "https://example.kz/rss")
			if f.TTL != tt.want {
				t.Errorf("TTL = %v, want %v", f.TTL, tt.want)
			}
		})
	}
}

func TestParseEmptyFeedIsNotAnError(t *testing.T) {
	f := mustParse(t, `<rss version="2.0"><channel><title>Azattyq</title></channel></rss>`, "https://rus.azattyq.org/api/x")
	if f.Title != "Azattyq" || len(f.Items) != 0 {
		t.Errorf("got title %q and %d items, want Azattyq and none", f.Title, len(f.Items))
	}
}

func TestParseDropsEmptyItems(t *testing.T) {
	f := mustParse(t, `<rss version="2.0"><channel><title>x</title>
<item><title></title><link></link><description></description><pubDate>Wed, 17 Oct 2018 10:30:00 GMT</pubDate></item>
<item><description>Только текст, без заголовка</description></item>
</channel></rss>`, "https://example.kz/rss")
	if len(f.Items) != 1 || f.Items[0].Description != "Только текст, без заголовка" {
		t.Errorf("items = %+v, want only the one with a description", f.Items)
	}
}

func TestParseDoesNotModifyBody(t *testing.T) {
	body := []byte(`<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>Euro €</title></channel></rss>`)
	orig := string(body)
	if _, err := Parse(body, "", "", Options{}); err != nil {
		t.Fatal(err)
	}
	if string(body) != orig {
		t.Errorf("Parse modified its input:\n%s", body)
	}
}

// TestParseConcurrent runs Parse from many goroutines; with -race it shows
// the package keeps no shared mutable state.
func TestParseConcurrent(t *testing.T) {
	body := []byte(`<rss version="2.0"><channel><title>Kun.uz</title><item><title>Toshkentda yangi metro bekati ochildi</title><link>/news/1?utm_source=rss</link><pubDate>12 iyul 2024 09:30</pubDate></item></channel></rss>`)
	done := make(chan error)
	for range 8 {
		go func() {
			var err error
			for range 20 {
				var f *Feed
				if f, err = Parse(body, "", "https://kun.uz/news/rss", fixedOpts()); err != nil {
					break
				}
				if f.Items[0].Link != "https://kun.uz/news/1" {
					t.Errorf("link = %q", f.Items[0].Link)
				}
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func TestMaxContentCleansOnlyTheStart(t *testing.T) {
	article := "<p>Первый абзац статьи о добыче урана.</p>" + strings.Repeat("<p>Дальше длинный текст статьи, который для лида не нужен.</p>", 2000)
	body := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>
<item><guid>1</guid><title>Уран</title><content:encoded><![CDATA[` + article + `]]></content:encoded></item></channel></rss>`
	full, err := Parse([]byte(body), "application/rss+xml", "https://orda.kz/feed/", Options{})
	if err != nil {
		t.Fatal(err)
	}
	lead, err := Parse([]byte(body), "application/rss+xml", "https://orda.kz/feed/", Options{MaxContent: 100})
	if err != nil {
		t.Fatal(err)
	}
	got := lead.Items[0].Content
	if !strings.HasPrefix(got, "Первый абзац статьи") || len(got) > 100 || !utf8.ValidString(got) {
		t.Errorf("MaxContent 100: content %q", got)
	}
	if len(full.Items[0].Content) < 100_000 {
		t.Errorf("MaxContent 0 kept %d bytes, want the whole article", len(full.Items[0].Content))
	}
}
