package parse

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// corpusDir is the shared feed corpus, relative to the package directory
// (the working directory of tests). Tests skip when it is absent.
const corpusDir = "../../../shared/feeds"

// corpusFile is what one file of the shared corpus must give.
type corpusFile struct {
	items   int  // exact item count when err is 0
	err     Kind // expected failure, 0 for success
	line    int  // expected Error.Line (or Recovered.Line)
	recover Kind // expected Feed.Recovered kind, 0 for none
	check   func(t *testing.T, f *Feed)
}

// corpusFinalURL stands in for the URL the file was fetched from.
const corpusFinalURL = "https://news.example.kz/feed/"

var corpusWant = map[string]corpusFile{
	"fj_DuplicateContentAtomFeed_html_wrapped.xml": {items: 10, recover: HTML, check: func(t *testing.T, f *Feed) {
		wantTitle(t, f, "Avian’s Blog")
		wantItem(t, f, 0, "Down time", "http://www.tablix.org/~avian/blog/archives/2014/07/down_time/")
	}},
	// Only </rss> is missing: line 20 is "</channel>", the last line with text.
	"fj_InvalidDateFormat.xml": {items: 2, recover: Malformed, line: 20, check: func(t *testing.T, f *Feed) {
		wantItem(t, f, 0, "Item 0 with an invalid date", "http://example.com/item0")
		wantDate(t, f, 0, time.Date(2017, 10, 16, 15, 10, 0, 0, time.UTC))
		wantItem(t, f, 1, "Item 1 with all valid dates", "http://example.com/item1")
	}},
	"fp_http_high_bit_date.xml": {items: 0},
	"fp_koi8r_no_declaration.xml": {items: 1, check: func(t *testing.T, f *Feed) {
		wantCharset(t, f, "koi8-r")
		wantItem(t, f, 0, "Как пережить новогоднюю ночь", "")
		wantContains(t, f.Items[0].Description, `"нового счастья"`)
	}},
	"fp_rss_incomplete_cdata.xml": {err: Malformed, line: 13},
	"fp_utf-16le-bom.xml":         {items: 0, check: func(t *testing.T, f *Feed) { wantCharset(t, f, "utf-16le") }},
	"frs_atom_mediarss_youtube_1.xml": {items: 1, check: func(t *testing.T, f *Feed) {
		wantItem(t, f, 0, "Navigating with Quantum Entanglement", "https://www.youtube.com/watch?v=0A1ouV7iD8o")
	}},
	"frs_atom_relative.xml": {items: 1, check: func(t *testing.T, f *Feed) {
		wantItem(t, f, 0, "Atom-Powered Robots Run Amok", "https://news.example.kz/blog/2003/12/13/atom03")
	}},
	"frs_atom_xml_base.xml": {items: 1, check: func(t *testing.T, f *Feed) {
		// No link element: the http id stands in.
		wantItem(t, f, 0, "my cool entry title", "https://numi.st/post/2022/travel-uke")
	}},
	"frs_jsonfeed_elastic_1.1.json": {items: 3, check: func(t *testing.T, f *Feed) { wantTitle(t, f, "Blog – InfluxData") }},
	"frs_rss_1.0_iso8859.xml": {items: 1, check: func(t *testing.T, f *Feed) {
		wantItem(t, f, 0, "Digitalministerium: Neue Glasfaserförderung mit Schnellkasse", "https://www.golem.de/news/digitalministerium-neue-glasfaserfoerderung-mit-schnellkasse-2301-171451.html")
	}},
	"frs_rss_2.0_dbengines.xml": {items: 1, check: func(t *testing.T, f *Feed) {
		wantDate(t, f, 0, time.Date(2023, 1, 3, 15, 0, 0, 0, time.UTC))
	}},
	"frs_rss_2.0_encoding_1.xml": {items: 1, check: func(t *testing.T, f *Feed) { wantTitle(t, f, "RSS Feed do Site Inovação Tecnológica") }},
	"frs_rss_2.0_ilgiornale.xml": {items: 1},
	"frs_rss_2.0_ilmessaggero.xml": {items: 1, check: func(t *testing.T, f *Feed) {
		wantDate(t, f, 0, time.Date(2022, 11, 15, 23, 38, 15, 0, time.UTC))
	}},
	"frs_rss_2.0_invalid_1.xml": {err: Malformed, line: 19},
	"frs_rss_2.0_nbcny.xml": {items: 1, check: func(t *testing.T, f *Feed) {
		// No zone in the file: read in Options.Location.
		wantDate(t, f, 0, time.Date(2023, 12, 16, 14, 2, 33, 0, almaty))
	}},
	"frs_rss_2.0_relurl_2.xml": {items: 1, check: func(t *testing.T, f *Feed) {
		if e := f.Items[0].Enclosures; len(e) != 1 || e[0].URL != "https://news.example.kz/images/me/hackergotchi-simpler.png" {
			t.Errorf("enclosures = %+v, want the relative URL resolved", e)
		}
	}},
	"gf_issue_305_bare_ampersand.xml": {items: 0, check: func(t *testing.T, f *Feed) { wantTitle(t, f, "Fish & Chips & more <3") }},
	"gf_rss_channel_item_illegal_char.xml": {items: 1, check: func(t *testing.T, f *Feed) {
		wantItem(t, f, 0, "abcd", "")
	}},
	"mf_encoding_ISO-8859-1.xml": {items: 40},
	"mf_encoding_WINDOWS-1251.xml": {items: 50, check: func(t *testing.T, f *Feed) {
		wantCharset(t, f, "windows-1251")
		wantItem(t, f, 0, "Цитата #17703", "http://ibash.org.ru/quote.php?id=17703")
		wantContains(t, f.Items[0].Description, "xxx: есть у кого жаба программер xxx: кот немного пхп знает?")
		wantContains(t, f.Items[1].Description, "бо'льшая")
	}},
	"mf_invalid-prolog.xml": {items: 1, check: func(t *testing.T, f *Feed) {
		wantTitle(t, f, "테스트 피드")
		wantItem(t, f, 0, "Café", "")
	}},
	"mf_koi8r.xml": {items: 2, check: func(t *testing.T, f *Feed) {
		wantCharset(t, f, "koi8-r")
		wantTitle(t, f, "Пример RSS ленты")
		wantItem(t, f, 0, "Первая новость", "http://example.com/post1")
		wantContains(t, f.Items[0].Description, "Ёжик, чай, Москва, Санкт-Петербург")
	}},
	"mf_large_atom.xml": {items: 25},
	"mf_large_rss.xml":  {items: 25},
	// The fourth of its ten items is empty and dropped.
	"mf_no_encoding_ISO-8859-1.xml": {items: 9, check: func(t *testing.T, f *Feed) {
		wantCharset(t, f, "windows-1252")
		wantItem(t, f, 0, "Perturbateurs endocriniens : quels effets sur le cerveau ?", "https://le-cercle-psy.scienceshumaines.com/perturbateurs-endocriniens-quels-effets-sur-le-cerveau_sh_39995")
	}},
	"mf_rdf_UTF8.xml": {items: 60, check: func(t *testing.T, f *Feed) {
		// heise's wt_mc tracking parameter is removed.
		wantItem(t, f, 0, "OLED-TVs: Vorsichtsmaßnahmen gegen Einbrennen", "https://www.heise.de/newsticker/meldung/OLED-TVs-Vorsichtsmassnahmen-gegen-Einbrennen-4205274.html")
	}},
	"mf_urdu_UTF8.xml": {items: 26},
	"mf_utf8-incorrect-prolog.xml": {items: 1, check: func(t *testing.T, f *Feed) {
		wantTitle(t, f, "테스트 피드")
		wantItem(t, f, 0, "Café", "")
	}},
	"mf_windows-1252-incorrect-prolog.xml": {items: 0, check: func(t *testing.T, f *Feed) { wantTitle(t, f, "Euro €") }},
	"nfp_guid-dupes.xml": {items: 1, check: func(t *testing.T, f *Feed) {
		wantKey(t, f, 0, "guid:http://www.braingle.com/50366.html")
	}},
	"nfp_iconv_windows-1251.xml": {items: 10, check: func(t *testing.T, f *Feed) {
		wantCharset(t, f, "windows-1251")
		wantTitle(t, f, "Новости Оренбурга и области / Раздел Новости")
		wantItem(t, f, 1, "ЧОПовцы в Оренбурге избили молодого человека", "http://www.oren.ru/news/2743420/")
		wantContains(t, f.Items[1].Description, "уголовное дело (видео)")
		wantKey(t, f, 1, "link:http://www.oren.ru/news/2743420/")
		wantDate(t, f, 0, time.Date(2014, 1, 22, 14, 31, 31, 0, time.UTC))
		for _, it := range f.Items {
			if strings.Contains(it.Description, "&") || strings.Contains(it.Description, "\u00a0") {
				t.Errorf("description of %q keeps an entity or NBSP: %q", it.Title, it.Description)
			}
		}
	}},
	"nfp_illegally-nested.xml": {items: 10, check: func(t *testing.T, f *Feed) {
		wantDate(t, f, 0, time.Date(2018, 1, 17, 20, 50, 0, 0, time.UTC)) // EST is UTC−5
	}},
	"nfp_mediacontent-dupes.xml": {items: 1, check: func(t *testing.T, f *Feed) {
		if n := len(f.Items[0].Enclosures); n != 2 {
			t.Errorf("got %d enclosures, want 2", n)
		}
	}},
	"nfp_rss-with-relative-urls.xml": {items: 2, check: func(t *testing.T, f *Feed) {
		wantItem(t, f, 0, "Neverwinter & Jingle Jam Humble Bundle!", "https://news.example.kz/en/games/neverwinter/news/detail/10743874-neverwinter-%26-jingle-jam-humble-bundle%21")
		wantDate(t, f, 0, time.Date(2017, 12, 7, 18, 0, 29, 0, time.UTC))
	}},
	"nfp_saxerror.xml": {items: 3, check: func(t *testing.T, f *Feed) {
		wantItem(t, f, 1, "Bad Item", "http://example.com/bad?foo=1&bar=2")
	}},
	"nfp_tpm-with-fragment-base.atom": {items: 20, check: func(t *testing.T, f *Feed) {
		wantItem(t, f, 0, "Hannity Announces Fox Has Hired Sebastian Gorka As NatSec Strategist", "https://news.example.kz/livewire/hannity-announces-fox-hired-sebastian-gorka-national-security-strategist")
	}},
	"rp_heraldsun.rss": {items: 2},
	"rp_itunes-missing-image.rss": {items: 131, check: func(t *testing.T, f *Feed) {
		// Two different episodes share one GUID and the show's home page
		// as link: both are kept, under hash keys.
		var shared []string
		for _, it := range f.Items {
			if it.GUID == "http://taverncast.com/shows/geekistry-2.mp3" {
				shared = append(shared, it.Key)
			}
		}
		if len(shared) != 2 || shared[0] == shared[1] || !strings.HasPrefix(shared[0], "hash:") {
			t.Errorf("items sharing a GUID have keys %q, want two distinct hash keys", shared)
		}
	}},
	"rp_uolNoticias.rss": {items: 15, check: func(t *testing.T, f *Feed) {
		wantCharset(t, f, "windows-1252")
		wantItem(t, f, 0, "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno", "https://noticias.uol.com.br/politica/eleicoes/2018/noticias/2018/09/24/ibope-bolsonaro-perde-de-haddad-ciro-e-alckmin-em-simulacoes-de-2-turno.htm")
	}},
}

// TestCorpus parses every feed of the shared corpus: none may panic, each
// gives items with a title or link or a classified *Error, and the quirks
// listed in the corpus README come out right.
func TestCorpus(t *testing.T) {
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("feed corpus not available: %v", err)
	}
	seen := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || name == "README.md" || name == "manifest.tsv" {
			continue
		}
		seen++
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(corpusDir, name))
			if err != nil {
				t.Fatal(err)
			}
			opts := Options{Location: almaty, Now: func() time.Time { return now }}
			f, err := Parse(body, "", corpusFinalURL, opts)
			want, known := corpusWant[name]
			if err != nil {
				var perr *Error
				if !errors.As(err, &perr) {
					t.Fatalf("error %v (%T) is not *Error", err, err)
				}
				if !known || want.err == 0 {
					t.Fatalf("Parse: %v", err)
				}
				if perr.Kind != want.err || perr.Line != want.line {
					t.Errorf("error kind %v line %d (%v), want %v line %d", perr.Kind, perr.Line, err, want.err, want.line)
				}
				return
			}
			if known && want.err != 0 {
				t.Fatalf("Parse succeeded, want %v error", want.err)
			}
			if known {
				if len(f.Items) != want.items {
					t.Errorf("got %d items, want %d", len(f.Items), want.items)
				}
			} else if len(f.Items) == 0 {
				t.Errorf("no items and no error")
			}
			switch {
			case want.recover == 0 && f.Recovered != nil:
				t.Errorf("Recovered = %v, want nil", f.Recovered)
			case want.recover != 0 && (f.Recovered == nil || f.Recovered.Kind != want.recover || f.Recovered.Line != want.line):
				t.Errorf("Recovered = %#v, want kind %v line %d", f.Recovered, want.recover, want.line)
			}
			checkInvariants(t, f)
			if want.check != nil && !t.Failed() {
				want.check(t, f)
			}
		})
	}
	if seen == 0 {
		t.Skip("feed corpus is empty")
	}
}

// checkInvariants holds for every parsed feed.
func checkInvariants(t *testing.T, f *Feed) {
	t.Helper()
	if strings.Contains(f.Title, "&#") || strings.Contains(f.Title, "&amp;") {
		t.Errorf("feed title keeps an entity: %q", f.Title)
	}
	keys := map[string]bool{}
	for i, it := range f.Items {
		if it.Title == "" && it.Link == "" && it.Description == "" {
			t.Errorf("item %d has no title, link or description", i)
		}
		if strings.Contains(it.Title, "&#") || strings.Contains(it.Title, "&amp;") {
			t.Errorf("item %d title keeps an entity: %q", i, it.Title)
		}
		if strings.ContainsAny(it.Title+it.Description, "\uFFFD\x00\x08") {
			t.Errorf("item %d has replacement or control characters: %q", i, it.Title)
		}
		if strings.Contains(it.Title, "Ã") || strings.Contains(it.Title, "â‚¬") {
			t.Errorf("item %d title is mojibake: %q", i, it.Title)
		}
		if it.Link != "" && !strings.HasPrefix(it.Link, "http://") && !strings.HasPrefix(it.Link, "https://") {
			t.Errorf("item %d link is not absolute: %q", i, it.Link)
		}
		if strings.Contains(it.Link, "utm_") || strings.Contains(it.Link, "#") {
			t.Errorf("item %d link is not canonical: %q", i, it.Link)
		}
		if it.Key == "" || keys[it.Key] {
			t.Errorf("item %d key %q is empty or repeated", i, it.Key)
		}
		keys[it.Key] = true
		if it.Published.After(now.Add(MaxFuture)) {
			t.Errorf("item %d published in the future: %v", i, it.Published)
		}
	}
}

func wantTitle(t *testing.T, f *Feed, want string) {
	t.Helper()
	if f.Title != want {
		t.Errorf("feed title = %q, want %q", f.Title, want)
	}
}

func wantCharset(t *testing.T, f *Feed, want string) {
	t.Helper()
	if f.Charset != want {
		t.Errorf("charset = %q, want %q", f.Charset, want)
	}
}

func wantItem(t *testing.T, f *Feed, i int, title, link string) {
	t.Helper()
	if i >= len(f.Items) {
		t.Fatalf("no item %d", i)
	}
	if it := f.Items[i]; it.Title != title || it.Link != link {
		t.Errorf("item %d = %q <%s>, want %q <%s>", i, it.Title, it.Link, title, link)
	}
}

func wantKey(t *testing.T, f *Feed, i int, key string) {
	t.Helper()
	if i >= len(f.Items) {
		t.Fatalf("no item %d", i)
	}
	if got := f.Items[i].Key; got != key {
		t.Errorf("item %d key = %q, want %q", i, got, key)
	}
}

func wantDate(t *testing.T, f *Feed, i int, want time.Time) {
	t.Helper()
	if i >= len(f.Items) {
		t.Fatalf("no item %d", i)
	}
	if got := f.Items[i].Published; !got.Equal(want) {
		t.Errorf("item %d published = %v, want %v", i, got, want)
	}
}

func wantContains(t *testing.T, s, sub string) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Errorf("%q does not contain %q", s, sub)
	}
}
