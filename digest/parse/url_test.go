package parse

import (
	"net/url"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	base, err := url.Parse("https://Orda.kz/feed/?lang=ru#top")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		raw     string
		base    *url.URL
		want    string
		wantErr bool
	}{
		{"absolute unchanged", "https://orda.kz/news/2024/tokaev-astana/", nil, "https://orda.kz/news/2024/tokaev-astana/", false},
		{"scheme and host lowercased", "HTTPS://Orda.KZ/News/Tokaev", nil, "https://orda.kz/News/Tokaev", false},
		{"default http port dropped", "http://24.kg:80/rss/", nil, "http://24.kg/rss/", false},
		{"default https port dropped", "https://kun.uz:443/news/1", nil, "https://kun.uz/news/1", false},
		{"other port kept", "https://kun.uz:8443/news/1", nil, "https://kun.uz:8443/news/1", false},
		{"fragment dropped", "https://vlast.kz/novosti/123.html#comments", nil, "https://vlast.kz/novosti/123.html", false},
		{"empty path is slash", "https://tengrinews.kz", nil, "https://tengrinews.kz/", false},
		{"utm removed, order kept", "https://kapital.kz/economic/1?b=2&utm_source=rss&a=1&utm_medium=feed&UTM_Campaign=x", nil, "https://kapital.kz/economic/1?b=2&a=1", false},
		{"click ids removed", "https://lsm.kz/a?id=7&fbclid=abc&gclid=def&yclid=1&_openstat=2&ysclid=3", nil, "https://lsm.kz/a?id=7", false},
		{"only tracking leaves no query", "https://lsm.kz/a?utm_source=rss", nil, "https://lsm.kz/a", false},
		{"encoded param kept verbatim", "https://inform.kz/search?q=%D0%90%D1%81%D1%82%D0%B0%D0%BD%D0%B0&page=2", nil, "https://inform.kz/search?q=%D0%90%D1%81%D1%82%D0%B0%D0%BD%D0%B0&page=2", false},
		{"empty params dropped", "https://inform.kz/a?x=1&&y=2&", nil, "https://inform.kz/a?x=1&y=2", false},
		{"double escaped ampersand", "https://www.inform.kz/ru/article?id=1&amp;amp;lang=ru", nil, "https://www.inform.kz/ru/article?id=1&lang=ru", false},
		{"spaces and newlines trimmed", "\n  https://asiaplustj.info/ru/news/\n  tajikistan/1  ", nil, "https://asiaplustj.info/ru/news/tajikistan/1", false},
		{"inner space escaped", "https://24.kg/files/a b.jpg", nil, "https://24.kg/files/a%20b.jpg", false},
		{"root-relative resolved", "/ru/news/1", base, "https://orda.kz/ru/news/1", false},
		{"path-relative resolved", "2024/05/item", base, "https://orda.kz/feed/2024/05/item", false},
		{"protocol-relative resolved", "//en.orda.kz/x?utm_source=tg", base, "https://en.orda.kz/x", false},
		{"fragment-only resolves to base", "#x", base, "https://orda.kz/feed/?lang=ru", false},
		{"ipv6 host", "http://[2001:DB8::1]:80/a", nil, "http://[2001:db8::1]/a", false},
		{"relative without base", "/ru/news/1", nil, "", true},
		{"empty", "  ", base, "", true},
		{"mailto rejected", "mailto:editor@orda.kz", base, "", true},
		{"javascript rejected", "javascript:alert(1)", base, "", true},
		{"ftp rejected", "ftp://files.example.kz/a", nil, "", true},
		{"no host", "http:///path", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalURL(tt.raw, tt.base)
			if (err != nil) != tt.wantErr {
				t.Fatalf("CanonicalURL(%q) error = %v, wantErr %v", tt.raw, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("CanonicalURL(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}
