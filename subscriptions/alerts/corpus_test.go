package alerts

import (
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"newsbot/digest/words"
)

// corpusDir is the shared feed corpus, relative to this package's directory.
const corpusDir = "../../../shared/feeds"

// corpusFiles are the corpus feeds with Russian and English news text, and their languages.
var corpusFiles = []struct {
	name, lang string
	cp1251     bool
}{
	{"nfp_iconv_windows-1251.xml", "ru", true},   // oren.ru regional news
	{"mf_encoding_WINDOWS-1251.xml", "ru", true}, // ibash.org.ru quotes
	{"nfp_tpm-with-fragment-base.atom", "en", false},
	{"nfp_illegally-nested.xml", "en", false},
}

var (
	corpusElem = regexp.MustCompile(`(?s)<(title|description|summary|content)[^>]*>(.*?)</(title|description|summary|content)>`)
	corpusTag  = regexp.MustCompile(`(?s)<[^>]*>|<!\[CDATA\[|\]\]>`)
)

// corpusStory is one title or summary of the corpus.
type corpusStory struct{ text, lang string }

// corpusStories returns the titles and summaries of corpusFiles, or nil when the corpus is absent.
func corpusStories(t *testing.T) []corpusStory {
	t.Helper()
	var out []corpusStory
	for _, f := range corpusFiles {
		raw, err := os.ReadFile(filepath.Join(corpusDir, f.name))
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			t.Fatalf("read corpus: %v", err)
		}
		if f.cp1251 {
			if raw, err = charmap.Windows1251.NewDecoder().Bytes(raw); err != nil {
				t.Fatalf("decode %s: %v", f.name, err)
			}
		}
		for _, m := range corpusElem.FindAllStringSubmatch(string(raw), -1) {
			// Entities are often escaped twice in feeds.
			text := html.UnescapeString(html.UnescapeString(m[2]))
			text = html.UnescapeString(corpusTag.ReplaceAllString(text, " "))
			// A story is matched on its title and summary: keep summary-sized texts.
			if r := []rune(text); len(r) > 400 {
				text = string(r[:400])
			}
			if text = strings.TrimSpace(text); text != "" {
				out = append(out, corpusStory{text: text, lang: f.lang})
			}
		}
	}
	return out
}

// corpusTexts returns the texts of corpusStories.
func corpusTexts(t *testing.T) []string {
	var out []string
	for _, s := range corpusStories(t) {
		out = append(out, s.text)
	}
	return out
}

// TestIndexCorpus builds alerts from the words of real Russian and English feeds and checks the
// Index against Query.Matches on every story of those feeds, with the feed's language and with
// the language unknown.
func TestIndexCorpus(t *testing.T) {
	stories := corpusStories(t)
	if stories == nil {
		t.Skipf("feed corpus not present at %s", corpusDir)
	}
	r := rand.New(rand.NewPCG(5, 1))
	var vocab []string // with repeats, so that frequent words are picked more often
	for _, s := range stories {
		for _, w := range words.Tokenize(s.text) {
			if !isCommon(w) {
				vocab = append(vocab, w)
			}
		}
	}
	// Query words are corpus words, some cut short so that they match other forms, some made
	// phrases of neighbouring words so that phrases fire.
	pick := func() string {
		if r.IntN(6) == 0 {
			s := stories[r.IntN(len(stories))]
			toks := words.Tokenize(s.text)
			if len(toks) >= 2 {
				i := r.IntN(len(toks) - 1)
				return `"` + toks[i] + " " + toks[i+1] + `"`
			}
		}
		w := []rune(vocab[r.IntN(len(vocab))])
		if len(w) > 5 && r.IntN(3) == 0 {
			w = w[:len(w)-1-r.IntN(2)]
		}
		return string(w)
	}
	ix := NewIndex()
	var qs []*Query
	for range 600 {
		var parts []string
		for range 1 + r.IntN(2) {
			p := pick()
			if r.IntN(4) == 0 {
				p += " OR " + pick()
			}
			parts = append(parts, p)
		}
		if r.IntN(5) == 0 {
			parts = append(parts, "-"+pick())
		}
		q, err := Parse(strings.Join(parts, " "), Limits{})
		if err != nil {
			continue
		}
		ix.Add(int64(len(qs)), int64(len(qs)%100), q)
		qs = append(qs, q)
	}
	total := 0
	for _, s := range stories {
		for _, lang := range []string{s.lang, ""} {
			var want []Hit
			for i, q := range qs {
				if q.Matches(s.text, lang) {
					want = append(want, Hit{AlertID: int64(i), ChatID: int64(i % 100)})
				}
			}
			total += len(want)
			checkHits(t, ix.Match(s.text, lang), want, "story %.60q (%s)", s.text, lang)
		}
	}
	t.Logf("%d alerts, %d stories, %d hits", len(qs), len(stories), total)
	if total < len(stories) {
		t.Errorf("only %d hits over %d stories: the test checks too little", total, len(stories))
	}
}
