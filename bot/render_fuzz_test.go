package bot

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"newsbot/bot/telegramtest"
)

// FuzzRenderStory: any title, summary, source and link render to HTML that Telegram accepts,
// within its length limit, alone and bundled.
func FuzzRenderStory(f *testing.F) {
	f.Add("«Казатомпром» <b>увеличил</b> добычу & урана", "Prices < 5% & rising > 3", "A&B", "https://orda.kz/?a=1&b=\"2\"")
	f.Add("</b><script>", "&amp;&lt;&#x27;", "<i>", "javascript:alert(1)")
	f.Add(strings.Repeat("Қазақстан ", 800), strings.Repeat("ж", 5000), "", "http://x")
	f.Add("\x00\xff\xfe", "\u202e\u200b", "\t\n", "https://x.kz/\n")
	f.Fuzz(func(t *testing.T, title, summary, source, link string) {
		v := StoryView{Title: title, Summary: summary, Source: source, Link: link, Published: time.Unix(1764000000, 0)}
		block := RenderStory(v, almaty, time.Unix(1764100000, 0), "Read more")
		if strings.TrimSpace(title) == "" {
			return // the pipeline never stores an untitled story
		}
		if err := telegramtest.ValidateHTML(block); err != nil {
			t.Fatalf("Telegram would refuse %q: %v", block, err)
		}
		if n := TextLength(block); n > MaxText {
			t.Fatalf("one story renders to %d characters", n)
		}
		for _, m := range Bundle("<b>3 news</b>", []string{block, block, block}) {
			if err := telegramtest.ValidateHTML(m); err != nil {
				t.Fatalf("Telegram would refuse a bundle: %v", err)
			}
			if n := TextLength(m); n > MaxText {
				t.Fatalf("a bundle of %d characters", n)
			}
		}
	})
}

func TestPanickingHandlerIsRecovered(t *testing.T) {
	var logs bytes.Buffer
	b := &Bot{log: slog.New(slog.NewTextHandler(&logs, nil))} // no stores: handling panics
	u := &models.Update{ID: 7, Message: &models.Message{Text: "/start", Chat: models.Chat{ID: 1, Type: models.ChatTypePrivate}}}
	b.safely(t.Context(), u)
	if !strings.Contains(logs.String(), "handler panicked") || !strings.Contains(logs.String(), "update_id=7") {
		t.Fatalf("the panic was not logged: %s", logs.String())
	}
}
