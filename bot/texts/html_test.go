package texts

import (
	"strings"
	"testing"
)

func TestValidateHTML(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string // "" when valid
	}{
		{"", ""},
		{"plain text, no markup", ""},
		{"<b>Kazatomprom</b> signs uranium deal", ""},
		{"<strong>a</strong><i>b</i><em>c</em><u>d</u><ins>e</ins><s>f</s><strike>g</strike><del>h</del>", ""},
		{`<span class="tg-spoiler">x</span><tg-spoiler>y</tg-spoiler>`, ""},
		{`<a href="https://orda.kz/news?id=1&amp;lang=ru">Orda.kz</a>`, ""},
		{`<pre><code class="language-go">x := 1</code></pre>`, ""},
		{"<blockquote>Тоқаев Астанада</blockquote><blockquote expandable>…</blockquote>", ""},
		{`<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, ""},
		{"&lt;script&gt; &amp; &quot; &#39; &#x1F600; &#34;", ""},
		{"<b><i>nested</i></b>", ""},
		{"<b>bold", "never closed"},
		{"bold</b>", "unexpected </b>"},
		{"<b><i>crossed</b></i>", "unexpected </b>"},
		{"line<br>break", "tag <br> is not allowed"},
		{"<br/>", "self-closing"},
		{"<b/>", "self-closing"},
		{"<script>alert(1)</script>", "tag <script> is not allowed"},
		{"<B>upper</B>", "tag <B> is not allowed"},
		{"<a>no href</a>", "<a> without href"},
		{`<span>plain span</span>`, "tg-spoiler"},
		{`<tg-emoji>👍</tg-emoji>`, "emoji-id"},
		{"Oil & Gas", "bare '&'"},
		{"&nbsp;", "bare '&'"},
		{"&copy;", "bare '&'"},
		{"a < b", "bare '<'"},
		{"a > b", "bare '>'"},
		{"1<2", "bare '<'"},
		{"<b", "bare '<'"},
		{`<a href="x>y">t</a>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			err := ValidateHTML(tt.in)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tt.wantErr != "" && err == nil:
				t.Errorf("no error, want one containing %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("error %q, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestPlain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"✅ Subscribed to <b>Oil &amp; Gas</b>.", "✅ Subscribed to Oil & Gas."},
		{`<a href="https://kun.uz/?a=1&amp;b=2">Read more</a>`, "Read more"},
		{"&lt;script&gt; &#34;q&#34; &#39;s&#39;", `<script> "q" 's'`},
		{"<b>Темы</b>\nНажмите на тему", "Темы\nНажмите на тему"},
		{"1 < 2", "1 < 2"},
		{"<b>unclosed", "unclosed"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Plain(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestPlainUndoesEscaping checks the contract buttons rely on: Plain of a rendered text shows
// the interpolated value exactly as given, whatever characters it holds.
func TestPlainUndoesEscaping(t *testing.T) {
	c := loadCatalog(t)
	for _, v := range []string{"Oil & Gas", "<Energy>", `"Kun.uz" & 'Vlast'`, "a&amp;b", "Тоқаев & Мирзиёев"} {
		got := Plain(c.T("en", AlertDeleted, map[string]any{"Query": v}))
		if want := "Alert “" + v + "” deleted."; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
