package parse

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	longComment := "<!--" + strings.Repeat("x", 5000) + "-->"
	tests := []struct {
		name     string
		body     string
		ct       string
		wantKind Kind
		wantLine int
		wantMsg  string
	}{
		{"nil body", "", "", Empty, 0, "empty body"},
		{"whitespace body", " \r\n\t \n", "application/rss+xml", Empty, 0, "empty body"},
		{"BOM only", "\xEF\xBB\xBF\n", "", Empty, 0, "empty body"},
		{"html page with title", "<!DOCTYPE html>\n<html><head><title>Tengrinews.kz — новости Казахстана</title></head><body>…</body></html>", "text/html", HTML, 0, `not a feed — got an HTML page: "Tengrinews.kz — новости Казахстана"`},
		{"html without doctype", "<html lang=\"ru\"><body><h1>404 Not Found</h1></body></html>", "", HTML, 0, "not a feed — got an HTML page"},
		{"xhtml with xml declaration", `<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x"><html xmlns="http://www.w3.org/1999/xhtml"><head><title>403 Forbidden</title></head></html>`, "", HTML, 0, `not a feed — got an HTML page: "403 Forbidden"`},
		{"html fragment", "<div class=\"error\">Сервис временно недоступен</div>", "", HTML, 0, "not a feed — got an HTML page"},
		{"cloudflare challenge", `<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>`, "text/html", HTML, 0, "not a feed — got an HTML page: a bot challenge"},
		{"ddos-guard challenge", `<html><head><title>DDoS-Guard</title></head><body>Checking your browser before accessing 24.kg</body></html>`, "", HTML, 0, "not a feed — got an HTML page: a bot challenge"},
		{"plain text", "Access denied", "text/plain", NotFeed, 0, `not a feed — got text "Access denied"`},
		{"OPML", `<?xml version="1.0"?><opml version="2.0"><body><outline text="Orda" xmlUrl="https://orda.kz/feed/"/></body></opml>`, "", NotFeed, 0, "not a feed — got an XML document with root <opml>"},
		{"sitemap", `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://kun.uz/</loc></url></urlset>`, "", NotFeed, 0, "not a feed — got an XML document with root <urlset>"},
		{"gzip bytes", "\x1f\x8b\x08\x00\x00\x00\x00\x00", "", NotFeed, 0, "not a feed — got gzip-compressed data"},
		{"binary", "\x00\x01\x02\x03binary\x00", "", NotFeed, 0, "not a feed — got binary data"},
		{"JSON array", `[{"title":"x"}]`, "application/json", NotFeed, 0, "not a feed — got JSON that is not a JSON Feed"},
		{"JSON API error", `{"error":"rate limited"}`, "application/json", NotFeed, 0, "not a feed — got JSON that is not a JSON Feed"},
		{"JSON wrong types", `{"version":"https://jsonfeed.org/version/1.1","items":"none"}`, "", NotFeed, 0, "not a feed — got JSON that is not a JSON Feed"},
		{"malformed JSON", "{\"version\": \"https://jsonfeed.org/version/1.1\",\n\"title\": \"Kun.uz\",\n\"items\": [\n{\"id\": 1,}\n]}", "", Malformed, 4, "malformed JSON at line 4: invalid character '}' looking for beginning of object key string"},
		{"truncated before any item", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n<title>Reuters</title>\n<description>Most read", "", Malformed, 5, "malformed XML at line 5: unexpected EOF"},
		{"unclosed CDATA in first item", "<rss version=\"2.0\">\n<channel>\n<title>Kun.uz</title>\n<item><title><![CD\n", "", Malformed, 4, "malformed XML at line 4: invalid <![ sequence"},
		{"line counted after cut prolog", longComment + "\n\n<rss version=\"2.0\"><channel>\n<title>x</title><item><title>a</title>\n<link>", "", Malformed, 5, "malformed XML at line 5: unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.body), tt.ct, "https://example.kz/feed", Options{})
			if err == nil {
				t.Fatalf("Parse succeeded with %d items, want %v error", len(f.Items), tt.wantKind)
			}
			if f != nil {
				t.Errorf("Parse returned a feed with its error")
			}
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("error %v (%T) is not *Error", err, err)
			}
			if perr.Kind != tt.wantKind {
				t.Errorf("Kind = %v, want %v (%v)", perr.Kind, tt.wantKind, err)
			}
			if perr.Line != tt.wantLine {
				t.Errorf("Line = %d, want %d", perr.Line, tt.wantLine)
			}
			if err.Error() != tt.wantMsg {
				t.Errorf("Error() = %q, want %q", err.Error(), tt.wantMsg)
			}
		})
	}
}

func TestParseMalformedUnwrapsSyntaxError(t *testing.T) {
	_, err := Parse([]byte("<rss><channel><title>x"), "", "", Options{})
	if _, ok := errors.AsType[*xml.SyntaxError](err); !ok {
		t.Errorf("error %v does not wrap *xml.SyntaxError", err)
	}
}

func TestParseRecovers(t *testing.T) {
	const items = `<item><title>Тоқаев Астанада инвесторлармен кездесті</title><link>https://kaz.inform.kz/1</link><guid>kz-1</guid></item>
<item><title>«Казатомпром» увеличил добычу урана</title><link>https://www.inform.kz/2</link><guid>ru-2</guid></item>
`
	tests := []struct {
		name          string
		body          string
		wantItems     []string // GUIDs
		wantRecovered string   // "" when the document was sound
		wantTitle     string
	}{
		{
			name:          "missing </rss>",
			body:          "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n<title>Kazinform</title>\n" + items + "</channel>\n",
			wantItems:     []string{"kz-1", "ru-2"},
			wantRecovered: "malformed XML at line 7: unexpected EOF",
			wantTitle:     "Kazinform",
		},
		{
			name:          "truncated inside the third item",
			body:          "<rss version=\"2.0\">\n<channel>\n<title>Kazinform</title>\n" + items + "<item><title>Обрыв",
			wantItems:     []string{"kz-1", "ru-2"},
			wantRecovered: "malformed XML at line 6: unexpected EOF",
			wantTitle:     "Kazinform",
		},
		{
			name:          "unclosed CDATA after complete items",
			body:          "<rss version=\"2.0\">\n<channel>\n<title>Kazinform</title>\n" + items + "<item><title><![CDATA[Обрыв\n",
			wantItems:     []string{"kz-1", "ru-2"},
			wantRecovered: "malformed XML at line 6: unexpected EOF in CDATA section",
			wantTitle:     "Kazinform",
		},
		{
			name:          "truncated atom entry",
			body:          "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>24.kg</title>\n<entry><id>e1</id><title>Бишкек</title></entry>\n<entry><id>e2</id><title>Ош",
			wantItems:     []string{"e1"},
			wantRecovered: "malformed XML at line 4: unexpected EOF",
			wantTitle:     "24.kg",
		},
		{
			name:          "RDF with prefixed root",
			body:          "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\">\n<channel><title>Golem</title></channel>\n<item><title>A</title><link>https://golem.de/a</link></item>\n<item><title>B",
			wantItems:     []string{""},
			wantRecovered: "malformed XML at line 4: unexpected EOF",
			wantTitle:     "Golem",
		},
		{
			name:          "feed wrapped in XHTML",
			body:          "<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Vlast.kz</title><entry><id>v1</id><title>Новость</title></entry></feed>\n</body></html>",
			wantItems:     []string{"v1"},
			wantRecovered: "not a feed — got an HTML page",
			wantTitle:     "Vlast.kz",
		},
		{
			name:          "PHP warning before the declaration",
			body:          "<br />\n<b>Warning</b>:  Cannot modify header information in <b>/var/www/wp-includes/feed-rss2.php</b> on line <b>8</b><br />\n<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Orda.kz</title>" + items + "</channel></rss>",
			wantItems:     []string{"kz-1", "ru-2"},
			wantRecovered: "not a feed — got an HTML page",
			wantTitle:     "Orda.kz",
		},
		{
			name:      "text before the root",
			body:      "Deprecated: function is deprecated in /var/www/x.php on line 3\n<rss version=\"2.0\"><channel><title>Kursiv</title>" + items + "</channel></rss>",
			wantItems: []string{"kz-1", "ru-2"},
			wantTitle: "Kursiv",
		},
		{
			name:      "root beyond gofeed's detection window",
			body:      "<?xml version=\"1.0\"?>\n<!--" + strings.Repeat("комментарий ", 600) + "-->\n<rss version=\"2.0\"><channel><title>Kapital</title>" + items + "</channel></rss>",
			wantItems: []string{"kz-1", "ru-2"},
			wantTitle: "Kapital",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.body), "", "https://example.kz/feed", Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var guids []string
			for _, it := range f.Items {
				guids = append(guids, it.GUID)
			}
			if strings.Join(guids, ",") != strings.Join(tt.wantItems, ",") {
				t.Errorf("items GUIDs = %q, want %q", guids, tt.wantItems)
			}
			got := ""
			if f.Recovered != nil {
				got = f.Recovered.Error()
			}
			if got != tt.wantRecovered {
				t.Errorf("Recovered = %q, want %q", got, tt.wantRecovered)
			}
			if f.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", f.Title, tt.wantTitle)
			}
		})
	}
}
