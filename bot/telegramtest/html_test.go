package telegramtest

import (
	"errors"
	"html"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseHTML(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string // plain text when wantErr is ""
		wantErr string // the error's exact text
	}{
		{name: "plain", in: "Kazatomprom signs uranium deal", want: "Kazatomprom signs uranium deal"},
		{name: "story", in: "<b>«Казатомпром» увеличил добычу урана</b>\nOrda.kz · 08:15\n<a href=\"https://orda.kz/uranium?utm=x&amp;page=2\">Подробнее</a>",
			want: "«Казатомпром» увеличил добычу урана\nOrda.kz · 08:15\nПодробнее"},
		{name: "every allowed tag", in: `<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del><span class="tg-spoiler">p</span><tg-spoiler>t</tg-spoiler><code>c</code><pre>p</pre><blockquote>q</blockquote><a href="https://kun.uz">a</a>`,
			want: "bsieunskdptcpqa"},
		{name: "nested", in: "<b>Тоқаев <i>Астанада</i></b>", want: "Тоқаев Астанада"},
		{name: "tags are case-insensitive", in: "<B>x</B>", want: "x"},
		{name: "empty end tag closes the innermost", in: "<b><i>x</></>", want: "x"},
		{name: "pre with language", in: `<pre><code class="language-go">x := 1</code></pre>`, want: "x := 1"},
		{name: "expandable blockquote", in: "<blockquote expandable>Бишкек</blockquote>", want: "Бишкек"},
		{name: "custom emoji", in: `<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, want: "👍"},
		{name: "single-quoted and token attributes", in: `<a href='https://24.kg/'>a</a><code class=language-python>b</code>`, want: "ab"},
		{name: "amp lt gt quot", in: "&lt;b&gt; &amp; &quot;x&quot;", want: `<b> & "x"`},
		{name: "semicolon is optional", in: "&lt &amp", want: "< &"},
		{name: "numeric references", in: "&#1179;&#x49B;&#39;", want: "ққ'"},
		{name: "bare ampersand stays", in: "AT&T, R&D", want: "AT&T, R&D"},
		{name: "nbsp is shown literally", in: "a&nbsp;b", want: "a&nbsp;b"},
		{name: "apos is not supported", in: "&apos;", want: "&apos;"},
		{name: "too long numeric reference stays", in: "&#00000001234;", want: "&#00000001234;"},
		{name: "lone greater-than", in: "5 > 3", want: "5 > 3"},

		{name: "stray less-than", in: "a < b", wantErr: `can't parse entities: Unsupported start tag "" at byte offset 2`},
		{name: "unknown tag", in: "<p>x</p>", wantErr: `can't parse entities: Unsupported start tag "p" at byte offset 0`},
		{name: "br", in: "x<br>y", wantErr: `can't parse entities: Unsupported start tag "br" at byte offset 1`},
		{name: "byte offset counts UTF-8 bytes", in: "Тоқаев <p>", wantErr: `can't parse entities: Unsupported start tag "p" at byte offset 13`},
		{name: "unclosed start tag", in: "x <b", wantErr: "can't parse entities: Unclosed start tag at byte offset 2"},
		{name: "unclosed attribute", in: `<a href`, wantErr: `can't parse entities: Unclosed start tag "a" at byte offset 0`},
		{name: "unterminated value", in: `<a href="x`, wantErr: "can't parse entities: Unclosed start tag at byte offset 0"},
		{name: "empty attribute name", in: `<a ="x">y</a>`, wantErr: `can't parse entities: Empty attribute name in the tag "a" at byte offset 0`},
		{name: "unquoted URL", in: `<a href=https://x>y</a>`, wantErr: "can't parse entities: Unexpected end of name token at byte offset 8"},
		{name: "plain span", in: "<span>x</span>", wantErr: `can't parse entities: Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{name: "unexpected end tag", in: "x</b>", wantErr: "can't parse entities: Unexpected end tag at byte offset 1"},
		{name: "unclosed end tag", in: "<b>x</b", wantErr: "can't parse entities: Unclosed end tag at byte offset 4"},
		{name: "crossed tags", in: "<b>x<i>y</b></i>", wantErr: `can't parse entities: Unmatched end tag at byte offset 8, expected "</i>", found "</b>"`},
		{name: "missing end tag", in: "<b>x", wantErr: `can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{name: "bad emoji id", in: `<tg-emoji emoji-id="x">y</tg-emoji>`, wantErr: "can't parse entities: Invalid custom emoji identifier specified"},
		{name: "surrogate reference", in: "&#xD800;", wantErr: "can't parse entities: Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units"},
		{name: "invalid UTF-8", in: "\xff", wantErr: "strings must be encoded in UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseHTML(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseHTML(%q) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				if !strings.HasPrefix(tt.wantErr, "strings") && !errors.Is(err, ErrCantParseEntities) {
					t.Errorf("error %v does not wrap ErrCantParseEntities", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseHTML(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseHTML(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidateHTML(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{name: "ok", in: "<b>Kyrgyzstan</b> raises gold output", want: nil},
		{name: "empty", in: "", want: ErrMessageEmpty},
		{name: "only tags", in: "<b></b><i> </i>", want: ErrMessageEmpty},
		{name: "only whitespace", in: " \n \n", want: ErrMessageEmpty},
		{name: "control characters become spaces", in: "\t\x01", want: ErrMessageEmpty},
		{name: "4096 Cyrillic letters", in: strings.Repeat("я", 4096), want: nil},
		{name: "4097 Cyrillic letters", in: strings.Repeat("я", 4097), want: ErrMessageTooLong},
		{name: "length is counted after parsing", in: "<b>" + strings.Repeat("&lt;", 4096) + "</b>", want: nil},
		{name: "tags do not count", in: strings.Repeat("<i>ж</i>", 4096), want: nil},
		{name: "emoji count as one character", in: strings.Repeat("😀", 4096), want: nil},
		{name: "4097 emoji", in: strings.Repeat("😀", 4097), want: ErrMessageTooLong},
		{name: "surrounding whitespace is trimmed first", in: "\n  " + strings.Repeat("a", 4096) + " \n", want: nil},
		{name: "carriage returns are dropped", in: strings.Repeat("a\r", 4096), want: nil},
		{name: "malformed", in: "1 < 2", want: ErrCantParseEntities},
		{name: "not UTF-8", in: "caf\xe9", want: ErrNotUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateHTML(tt.in)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("ValidateHTML(%.40q…) = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}

func TestCheckText(t *testing.T) {
	got, err := CheckText("\n  Тоқаев\r\n Астанада\u2028 \t \n")
	if err != nil {
		t.Fatal(err)
	}
	if want := "Тоқаев\n Астанада"; got != want {
		t.Errorf("CheckText = %q, want %q", got, want)
	}
}

// FuzzParseHTML checks that escaping any text with html.EscapeString gives HTML Telegram reads
// back as that very text, and that no input makes the parser panic.
func FuzzParseHTML(f *testing.F) {
	for _, seed := range []string{"", "AT&T <b>", "&amp;", "Тоқаев <Астана> & \"кеңес\"", "<a href='x'>", "&#x;&#;", "\x00<"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = ParseHTML(s)
		if !utf8.ValidString(s) {
			return
		}
		got, err := ParseHTML(html.EscapeString(s))
		if err != nil {
			t.Fatalf("ParseHTML(EscapeString(%q)): %v", s, err)
		}
		if got != s {
			t.Fatalf("ParseHTML(EscapeString(%q)) = %q", s, got)
		}
	})
}
