package summary

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
)

// corpusDir is the shared feed corpus, relative to this package.
const corpusDir = "../../../shared/feeds"

// TestSummarizeCorpus summarises every item of the real feeds in the shared
// corpus that gofeed can parse and checks the contract of Summarize on text
// nobody wrote for this package.
func TestSummarizeCorpus(t *testing.T) {
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("feed corpus not available: %v", err)
	}
	items := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || name == "README.md" || name == "manifest.tsv" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(corpusDir, name))
			if err != nil {
				t.Fatal(err)
			}
			feed, err := gofeed.NewParser().Parse(bytes.NewReader(data))
			if err != nil {
				t.Skipf("gofeed cannot parse it: %v", err)
			}
			for i, it := range feed.Items {
				title := plainText(it.Title)
				desc := plainText(it.Description)
				content := plainText(it.Content)
				for _, max := range []int{DefaultMax, 60} {
					got := Summarize(title, desc, content, max)
					if n := utf8.RuneCountInString(got); n > max {
						t.Errorf("item %d: %d runes in %q", i, n, got)
					}
					if got == "" && hasWordRuneString(title+desc+content) {
						t.Errorf("item %d: empty summary for %q / %q", i, title, desc)
					}
					if !utf8.ValidString(got) {
						t.Errorf("item %d: invalid UTF-8 in %q", i, got)
					}
				}
				for _, s := range Sentences(desc) {
					if s == "" {
						t.Errorf("item %d: empty sentence", i)
					}
				}
				if i == 0 {
					t.Logf("%s\n\t%s", title, Summarize(title, desc, content, DefaultMax))
				}
				items++
			}
		})
	}
	t.Logf("summarised %d items", items)
}

// plainText is a stand-in for the parsing stage: it strips tags and decodes
// entities (twice, as CDATA in the corpus keeps them literal) and leaves
// white space to Normalize.
func plainText(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return html.UnescapeString(b.String())
		case html.TextToken:
			b.Write(z.Text())
		default:
			b.WriteByte(' ')
		}
	}
}
