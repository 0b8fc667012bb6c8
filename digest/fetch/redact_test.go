package fetch

import "testing"

func TestRedact(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"https://orda.kz/feed/", "https://orda.kz/feed/"},
		{"https://reader:s3cret@kun.uz/news/rss", "https://kun.uz/news/rss"},
		{"https://reader@kun.uz/news/rss", "https://kun.uz/news/rss"},
		{"https://api.example.kz/rss?lang=ru&token=abc123&page=2", "https://api.example.kz/rss?lang=ru&token=REDACTED&page=2"},
		{"https://api.example.kz/rss?api_key=k1&Access_Token=t2&X-Amz-Signature=s3", "https://api.example.kz/rss?api_key=REDACTED&Access_Token=REDACTED&X-Amz-Signature=REDACTED"},
		{"https://api.example.kz/rss?key=k1&sig=s2&auth=a3", "https://api.example.kz/rss?key=REDACTED&sig=REDACTED&auth=REDACTED"},
		{"https://api.example.kz/rss?%74oken=abc", "https://api.example.kz/rss?%74oken=REDACTED"},
		{"https://vlast.kz/feed/?author=orda&format=rss", "https://vlast.kz/feed/?author=orda&format=rss"},
		{"https://vlast.kz/feed/?token", "https://vlast.kz/feed/?token"},
		{"https://vlast.kz/feed/#section", "https://vlast.kz/feed/"},
		{"https://tengrinews.kz/news.rss?q=%D0%A2%D0%BE%D2%9B%D0%B0%D0%B5%D0%B2", "https://tengrinews.kz/news.rss?q=%D0%A2%D0%BE%D2%9B%D0%B0%D0%B5%D0%B2"},
		{"http://[::1", "(invalid URL)"},
	}
	for _, tt := range tests {
		if got := Redact(tt.raw); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}
