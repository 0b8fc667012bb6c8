package words

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// corpusDir is the shared feed corpus, relative to this package's directory.
const corpusDir = "../../../shared/feeds"

func readCorpus(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, name))
	if os.IsNotExist(err) {
		t.Skipf("feed corpus not present at %s", corpusDir)
	}
	if err != nil {
		t.Fatalf("read corpus: %v", err)
	}
	return b
}

// TestCorpusRussianNews matches keywords against the titles of a real Russian regional news feed
// (oren.ru, windows-1251).
func TestCorpusRussianNews(t *testing.T) {
	raw := readCorpus(t, "nfp_iconv_windows-1251.xml")
	doc, err := charmap.Windows1251.NewDecoder().Bytes(raw)
	if err != nil {
		t.Fatalf("decode windows-1251: %v", err)
	}
	var titles []string
	for _, m := range regexp.MustCompile(`<title>(.*?)</title>`).FindAllSubmatch(doc, -1) {
		titles = append(titles, string(m[1]))
	}
	if len(titles) < 10 {
		t.Fatalf("found %d titles, want at least 10", len(titles))
	}
	m := NewMatcher(map[string][]string{
		"orenburg": {"Оренбург"},
		"drugs":    {"героин"},
		"rail":     {"вокзал", "железная дорога"},
		"gas":      {"газ"},
	})
	want := map[string][]string{
		"ЧОПовцы в Оренбурге избили молодого человека":                                 {"orenburg"},
		"Два оренбуржца перевозили героин в автомобиле":                                {"drugs"},
		"В Орске граждан эвакуировали с железнодорожного вокзала ":                     {"rail"},
		"Профилактическое мероприятие &quot;Горка&quot; прошло в Оренбургской области": nil,
	}
	for _, title := range titles {
		got := m.Match(title, "ru")
		if w, ok := want[title]; ok {
			if !slices.Equal(got, w) {
				t.Errorf("Match(%q) = %q, want %q", title, got, w)
			}
			delete(want, title)
		} else if slices.Contains(got, "gas") {
			t.Errorf("Match(%q) = %q: no title of this feed is about gas", title, got)
		}
	}
	for title := range want {
		t.Errorf("title %q not found in the feed", title)
	}
}

// TestCorpusTokenizeInvariants tokenizes every corpus file as it stands (other encodings, invalid
// UTF-8, Urdu with combining marks, HTML) and checks the token invariants.
func TestCorpusTokenizeInvariants(t *testing.T) {
	entries, err := os.ReadDir(corpusDir)
	if os.IsNotExist(err) {
		t.Skipf("feed corpus not present at %s", corpusDir)
	}
	if err != nil {
		t.Fatalf("read corpus: %v", err)
	}
	for _, e := range entries {
		b := readCorpus(t, e.Name())
		for _, tok := range Tokenize(string(b)) {
			if tok == "" || !utf8.ValidString(tok) || Fold(tok) != tok {
				t.Errorf("%s: bad token %q", e.Name(), tok)
				break
			}
		}
		Terms(string(b), "")
	}
	koi, err := charmap.KOI8R.NewDecoder().Bytes(readCorpus(t, "mf_koi8r.xml"))
	if err != nil {
		t.Fatalf("decode koi8-r: %v", err)
	}
	if toks := Tokenize(string(koi)); !slices.Contains(toks, "ежик") {
		t.Errorf("KOI8-R feed: Ёжик not tokenized as ежик in %q", toks)
	}
}
