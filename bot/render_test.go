package bot

import (
	"strings"
	"testing"
	"time"
)

var almaty = time.FixedZone("Asia/Almaty", 5*3600)

func TestRenderStory(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		v    StoryView
		want string
	}{
		{
			name: "interface.md format, local time today",
			v: StoryView{Title: "«Казатомпром» увеличил добычу урана", Source: "Orda.kz", Summary: "Добыча выросла на 5%.",
				Link: "https://orda.kz/1/", Published: time.Date(2026, 11, 26, 4, 15, 0, 0, time.UTC)},
			want: "<b>«Казатомпром» увеличил добычу урана</b>\nOrda.kz · 09:15\nДобыча выросла на 5%.\n<a href=\"https://orda.kz/1/\">Читать далее</a>",
		},
		{
			name: "everything escaped, another day shows the date",
			v: StoryView{Title: "Prices < 5% & \"rising\"", Source: "A&B <News>", Summary: "<script>alert(1)</script>",
				Link: "https://x.kz/?a=1&b=\"2\"", Published: time.Date(2026, 11, 20, 4, 15, 0, 0, time.UTC)},
			want: "<b>Prices &lt; 5% &amp; &#34;rising&#34;</b>\nA&amp;B &lt;News&gt; · 20.11 09:15\n&lt;script&gt;alert(1)&lt;/script&gt;\n<a href=\"https://x.kz/?a=1&amp;b=&#34;2&#34;\">Читать далее</a>",
		},
		{
			name: "summary repeating the title and a non-web link are left out",
			v:    StoryView{Title: "Oil exports rise", Source: "Kursiv", Summary: "Oil exports rise", Link: "javascript:alert(1)", Published: now},
			want: "<b>Oil exports rise</b>\nKursiv · 15:00",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := RenderStory(tc.v, almaty, now, "Читать далее")
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestRenderClipsHugeTitles(t *testing.T) {
	v := StoryView{Title: strings.Repeat("очень длинный заголовок ", 500), Source: "X", Link: "https://x.kz/1"}
	got := RenderStory(v, almaty, time.Now(), "more")
	if n := TextLength(got); n > 1000 {
		t.Fatalf("a huge title renders to %d characters", n)
	}
	if !strings.Contains(got, "…</b>") {
		t.Fatalf("the clipped title has no ellipsis: %q", got[:200])
	}
}

func TestBundleSplitsAtStoryBoundaries(t *testing.T) {
	var blocks []string
	for i := range 40 {
		blocks = append(blocks, RenderStory(StoryView{
			Title:   strings.Repeat("Заголовок ", 20) + string(rune('A'+i%26)),
			Source:  "Tengrinews",
			Summary: strings.Repeat("Предложение summary. ", 14),
			Link:    "https://tengrinews.kz/news/1",
		}, almaty, time.Now(), "Читать"))
	}
	msgs := Bundle("<b>40 новостей</b>", blocks)
	if len(msgs) < 2 {
		t.Fatalf("40 long stories fit in %d message(s)", len(msgs))
	}
	var joined []string
	for i, m := range msgs {
		if n := TextLength(m); n > MaxText {
			t.Errorf("message %d has %d characters", i, n)
		}
		joined = append(joined, m)
	}
	all := strings.Join(joined, "\n\n")
	if all != "<b>40 новостей</b>\n\n"+strings.Join(blocks, "\n\n") {
		t.Fatal("bundling lost, reordered or cut a story")
	}
	if !strings.HasPrefix(msgs[0], "<b>40 новостей</b>\n\n<b>") {
		t.Errorf("the header does not open the first message")
	}
}

func TestTextLengthCountsUTF16AfterParsing(t *testing.T) {
	for in, want := range map[string]int{
		"<b>abc</b>":                3,
		"&lt;b&gt;":                 3,
		"Қазақстан":                 9,
		"😀":                         2,
		`<a href="https://x">y</a>`: 1,
	} {
		if got := TextLength(in); got != want {
			t.Errorf("TextLength(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestAlertLineEscapesTheQuery(t *testing.T) {
	if got := AlertLine(`"Kazatomprom" -Trump <b>`); got != "🔔 <code>&#34;Kazatomprom&#34; -Trump &lt;b&gt;</code>" {
		t.Fatalf("AlertLine = %q", got)
	}
}
