package alerts

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// families are word forms that match each other or only look as if they do, in Russian, Kazakh
// and English, so that random queries and texts built from them hit every rule and its traps.
var families = [][]string{
	{"уран", "урана", "ураном", "урану", "Урал", "Урала", "Урале", "урановый", "ура", "Уранус"},
	{"газ", "газа", "газом", "газы", "газета", "газеты", "газеті", "газет", "газды"},
	{"нефть", "нефти", "нефтью", "нефтяной", "нефтяник"},
	{"Астана", "Астаны", "Астане", "Астанада", "Астанаға", "Астананың", "Астанадағы", "астанасы", "Астанаэнерго"},
	{"экспорт", "экспорта", "экспорттық", "экспорттау", "экспортер", "экспорттаушылар"},
	{"баж", "бажды", "бажы", "бажын", "пошлина", "пошлины"},
	{"кот", "кота", "скот", "скота", "котлет", "коты"},
	{"Токаев", "Токаева", "Тоқаев", "Тоқаевтың", "Токаеву"},
	{"қала", "қаласы", "қалады", "қаланы", "қалада"},
	{"халық", "халқы", "халқына", "халықтың"},
	{"Қазақстан", "Қазақстанның", "Казахстан", "Казахстана", "Казахстанский", "Қазақстандық"},
	{"кітап", "кітабы", "кітапты", "кітаптар"},
	{"uranium", "uranium's", "Kazatomprom", "Kazatomprom's", "Kazatomprom’s"},
	{"gas", "gases", "Gaspar", "gasoline", "gassed"},
	{"bank", "banks", "bank's", "central", "Central", "centrally"},
	{"Taliban", "Taliban's", "Taliban’s", "Talibans"},
	{"oil", "oilfield", "oils", "oily"},
	{"export", "exports", "exported", "exporter", "exporting"},
	{"Ұлттық", "ұлттық", "банк", "банктің", "банкінің", "банка", "банки"},
	{"ауа", "райы", "райына", "райында"},
	{"Нур", "Султан", "Султана", "Нурсултан", "Нұр", "Сұлтан"},
	{"2024", "2025", "2024жылы", "20250"},
	{"Мирзиёев", "Мирзиеев", "Мирзиёева", "ёлка", "елка"},
}

// fillers are function words and punctuation that texts put between the words.
var fillers = []string{"и", "в", "the", "and", "және", "мен", ",", ".", " — ", "«", "»", ":", "!", "-", "'"}

// queryGen makes random queries and texts from families.
type queryGen struct {
	r     *rand.Rand
	forms []string
}

func newQueryGen(seed uint64) *queryGen {
	g := &queryGen{r: rand.New(rand.NewPCG(seed, 7))}
	for _, f := range families {
		g.forms = append(g.forms, f...)
	}
	return g
}

func (g *queryGen) form() string {
	// Mostly the first, base form of a family: what people put in alerts.
	f := families[g.r.IntN(len(families))]
	if g.r.IntN(3) == 0 {
		return f[g.r.IntN(len(f))]
	}
	return f[0]
}

func (g *queryGen) term() string {
	if g.r.IntN(5) == 0 {
		quotes := [][2]string{{`"`, `"`}, {"«", "»"}, {"“", "”"}}[g.r.IntN(3)]
		return quotes[0] + g.form() + " " + g.form() + quotes[1]
	}
	return g.form()
}

// query returns a random query text; it may not parse (function words only, contradictions).
func (g *queryGen) query() string {
	var parts []string
	for range 1 + g.r.IntN(3) {
		p := g.term()
		for g.r.IntN(3) == 0 {
			p += " OR " + g.term()
		}
		parts = append(parts, p)
	}
	for g.r.IntN(3) == 0 {
		parts = append(parts, "-"+g.term())
	}
	g.r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
	return strings.Join(parts, " ")
}

// text returns a random story text and language.
func (g *queryGen) text() (string, string) {
	var b strings.Builder
	for range 3 + g.r.IntN(20) {
		if g.r.IntN(3) == 0 {
			b.WriteString(fillers[g.r.IntN(len(fillers))])
		} else {
			b.WriteString(g.forms[g.r.IntN(len(g.forms))])
		}
		b.WriteByte(' ')
	}
	return b.String(), []string{"ru", "kk", "en", "", "kz"}[g.r.IntN(5)]
}

// model is the alerts an Index should hold, for the naive loop.
type model map[int64]struct {
	chat int64
	q    *Query
}

func (m model) match(text, lang string) []Hit {
	var hits []Hit
	for id, a := range m {
		if a.q.Matches(text, lang) {
			hits = append(hits, Hit{AlertID: id, ChatID: a.chat})
		}
	}
	return hits
}

// TestIndexAgreesWithNaiveLoop is the property test: for random alert sets, changed by random
// adds, replacements and removals, the Index's hits equal a loop over all alerts calling
// Query.Matches.
func TestIndexAgreesWithNaiveLoop(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			g := newQueryGen(seed)
			ix := NewIndex()
			m := model{}
			hits := 0
			for round := range 8 {
				for range 60 {
					id := int64(g.r.IntN(150))
					if g.r.IntN(4) == 0 {
						if got, want := ix.Remove(id), m[id].q != nil; got != want {
							t.Fatalf("Remove(%d) = %v, want %v", id, got, want)
						}
						delete(m, id)
						continue
					}
					q, err := Parse(g.query(), Limits{})
					if err != nil {
						continue
					}
					chat := int64(g.r.IntN(20))
					ix.Add(id, chat, q)
					m[id] = struct {
						chat int64
						q    *Query
					}{chat, q}
				}
				if ix.Len() != len(m) {
					t.Fatalf("Len() = %d, want %d", ix.Len(), len(m))
				}
				for range 40 {
					text, lang := g.text()
					want := m.match(text, lang)
					hits += len(want)
					checkHits(t, ix.Match(text, lang), want, "round %d: %q (%s)", round, text, lang)
				}
			}
			t.Logf("%d hits, %d alerts", hits, len(m))
			// Each text should fire a fair share of the ~100 alerts, and not all of them.
			if checks := 8 * 40; hits < checks || hits > checks*len(m)/2 {
				t.Errorf("%d hits in %d checks: the generated alerts and texts test too little", hits, checks)
			}
		})
	}
}

// TestIndexCacheEviction runs the property test's checks with a token cache of a few entries, so
// that it is cleared all the time.
func TestIndexCacheEviction(t *testing.T) {
	g := newQueryGen(99)
	ix := NewIndex()
	ix.words.maxCached = 5
	m := model{}
	for id := range int64(200) {
		if q, err := Parse(g.query(), Limits{}); err == nil {
			ix.Add(id, id%9, q)
			m[id] = struct {
				chat int64
				q    *Query
			}{id % 9, q}
		}
	}
	for range 200 {
		text, lang := g.text()
		checkHits(t, ix.Match(text, lang), m.match(text, lang), "%q (%s)", text, lang)
	}
	if ix.words.cached > 5 {
		t.Errorf("cache holds %d entries, more than its maximum of 5", ix.words.cached)
	}
}

func TestIndexAddRemove(t *testing.T) {
	ix := NewIndex()
	const text = "«Казатомпром» увеличил добычу урана, а нефть подешевела"
	ix.Add(1, 100, mustParse(t, "уран"))
	ix.Add(2, 100, mustParse(t, "нефть -Урал"))
	ix.Add(3, 200, mustParse(t, "уран OR нефть Казатомпром"))
	checkHits(t, ix.Match(text, "ru"), []Hit{{1, 100}, {2, 100}, {3, 200}}, "three alerts")

	ix.Add(2, 300, mustParse(t, "газ")) // replaces alert 2, chat and all
	checkHits(t, ix.Match(text, "ru"), []Hit{{1, 100}, {3, 200}}, "alert 2 replaced")
	checkHits(t, ix.Match("Цены на газ выросли", "ru"), []Hit{{2, 300}}, "alert 2 replaced")
	if ix.Len() != 3 {
		t.Errorf("Len() = %d, want 3", ix.Len())
	}

	if !ix.Remove(1) || ix.Remove(1) || ix.Remove(42) {
		t.Error("Remove reports the wrong presence")
	}
	checkHits(t, ix.Match(text, "ru"), []Hit{{3, 200}}, "alert 1 removed")

	ix.Add(3, 200, nil) // a nil query removes
	ix.Add(4, 200, &Query{})
	checkHits(t, ix.Match(text, "ru"), nil, "alert 3 removed by nil, 4 never matches")
	if ix.Len() != 1 {
		t.Errorf("Len() = %d, want 1 (alert 2)", ix.Len())
	}

	// Group chats have negative ids beyond 32 bits; alert ids may be large too.
	ix.Add(1<<40+3, -1001234567890, mustParse(t, "Казатомпром -Урал"))
	checkHits(t, ix.Match(text, "ru"), []Hit{{1<<40 + 3, -1001234567890}}, "large ids")
	ix.Remove(1<<40 + 3)

	// Words and terms come back after being forgotten, with reused ids.
	ix.Add(5, 500, mustParse(t, `"добычу урана" OR Уран`))
	checkHits(t, ix.Match(text, "ru"), []Hit{{5, 500}}, "re-added words")
	checkHits(t, ix.Match("", "ru"), nil, "empty text")
}

// TestIndexForgetsEverything checks that removing every alert leaves no words, terms, phrases or
// buckets behind, so an Index that lives for months does not grow with alerts long gone.
func TestIndexForgetsEverything(t *testing.T) {
	g := newQueryGen(3)
	ix := NewIndex()
	var ids []int64
	for id := range int64(300) {
		if q, err := Parse(g.query(), Limits{}); err == nil {
			ix.Add(id, 1, q)
			ids = append(ids, id)
		}
	}
	for range 20 {
		text, lang := g.text()
		ix.Match(text, lang)
	}
	for _, id := range ids {
		ix.Remove(id)
	}
	if ix.Len() != 0 || len(ix.termOf) != 0 || len(ix.bigrams) != 0 ||
		len(ix.words.idOf) != 0 || len(ix.words.buckets) != 0 || ix.words.cached != 0 {
		t.Errorf("after removing every alert: %d alerts, %d terms, %d bigrams, %d words, %d buckets, %d cached",
			ix.Len(), len(ix.termOf), len(ix.bigrams), len(ix.words.idOf), len(ix.words.buckets), ix.words.cached)
	}
	if len(ix.home) != 0 || len(ix.freeTerms) != len(ix.termTab) || len(ix.words.free) != len(ix.words.tab) {
		t.Error("some alerts, terms or words are neither used nor free")
	}
}

// TestIndexFiling checks that an alert is filed under its rarest group and still evaluated once
// when several alternatives of that group occur.
func TestIndexFiling(t *testing.T) {
	ix := NewIndex()
	for id := range int64(10) {
		ix.Add(id, id, mustParse(t, "Казахстан"))
	}
	ix.Add(100, 1, mustParse(t, "Казахстан уран OR uranium"))
	kz := &ix.termTab[ix.termOf["казахстан"]]
	if len(kz.simple) != 10 || kz.nFiled != 0 {
		t.Errorf("казахстан has %d single-term alerts and %d others filed under it, want 10 and 0",
			len(kz.simple), kz.nFiled)
	}
	if ur := &ix.termTab[ix.termOf["уран"]]; ur.nFiled != 1 {
		t.Errorf("%d alerts filed under уран, want 1", ur.nFiled)
	}
	hits := ix.Match("Казахстан: uranium и уран дорожают", "ru")
	if len(hits) != 11 {
		t.Errorf("Match = %v, want 11 hits, alert 100 once", hits)
	}
}

// TestIndexConcurrent matches stories while alerts are added, replaced and removed; run with
// -race. Stable alerts never change, so their hits must be exact; churned alerts must only hit
// when their query matches.
func TestIndexConcurrent(t *testing.T) {
	g := newQueryGen(11)
	ix := NewIndex()
	stable := model{}
	for id := range int64(150) {
		if q, err := Parse(g.query(), Limits{}); err == nil {
			ix.Add(id, id%13, q)
			stable[id] = struct {
				chat int64
				q    *Query
			}{id % 13, q}
		}
	}
	// Churned alerts have ids from 1000, each with a query fixed in advance.
	var churn []*Query
	for len(churn) < 100 {
		if q, err := Parse(g.query(), Limits{}); err == nil {
			churn = append(churn, q)
		}
	}
	type story struct {
		text, lang string
		want       []Hit
	}
	var stories []story
	for range 60 {
		text, lang := g.text()
		stories = append(stories, story{text, lang, stable.match(text, lang)})
	}

	var stop atomic.Bool
	var writers, readers sync.WaitGroup
	for w := range 2 {
		writers.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for !stop.Load() {
				i := r.IntN(len(churn))
				if r.IntN(3) == 0 {
					ix.Remove(int64(1000 + i))
				} else {
					ix.Add(int64(1000+i), 7, churn[i])
				}
			}
		})
	}
	for rd := range 4 {
		readers.Go(func() {
			for i := range 150 {
				s := stories[(rd*37+i)%len(stories)]
				var got []Hit
				for _, h := range ix.Match(s.text, s.lang) {
					if h.AlertID < 1000 {
						got = append(got, h)
						continue
					}
					if q := churn[h.AlertID-1000]; h.ChatID != 7 || !q.Matches(s.text, s.lang) {
						t.Errorf("churned alert %d (%q) hit %q (%s)", h.AlertID, q, s.text, s.lang)
					}
				}
				checkHits(t, got, s.want, "stable alerts on %q (%s)", s.text, s.lang)
			}
		})
	}
	readers.Wait()
	stop.Store(true)
	writers.Wait()
}

// fakeTranslit stands in for Kazakh Cyrillic ↔ Latin transliteration: letter by letter, Cyrillic
// to the 2021 Latin alphabet, and Latin back when there is no Cyrillic.
func fakeTranslit(s string) string {
	toLatin := map[rune]string{
		'а': "a", 'ә': "ä", 'б': "b", 'в': "v", 'г': "g", 'ғ': "ğ", 'д': "d", 'е': "e", 'ж': "j",
		'з': "z", 'и': "i", 'й': "i", 'к': "k", 'қ': "q", 'л': "l", 'м': "m", 'н': "n", 'ң': "ñ",
		'о': "o", 'ө': "ö", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ұ': "ū", 'ү': "ü",
		'ф': "f", 'х': "h", 'һ': "h", 'ц': "ts", 'ч': "ch", 'ш': "ş", 'щ': "şş", 'ъ': "", 'ы': "y",
		'і': "ı", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia",
	}
	toCyrillic := map[rune]string{}
	for c, l := range toLatin {
		if r := []rune(l); len(r) == 1 && toCyrillic[r[0]] == "" && c != 'й' && c != 'һ' && c != 'э' {
			toCyrillic[r[0]] = string(c)
		}
	}
	cyrillic := strings.ContainsFunc(s, func(r rune) bool { return r >= 0x400 && r <= 0x4ff })
	var b strings.Builder
	for _, r := range s {
		m := toCyrillic
		if cyrillic {
			m = toLatin
		}
		if t, ok := m[r]; ok {
			b.WriteString(t)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestIndexTransliteration checks the transliteration hook: an alert in one script finds stories
// in the other, in the Index as in the query's own matcher.
func TestIndexTransliteration(t *testing.T) {
	ix := newIndex(fakeTranslit)
	queries := []string{"Қазақстан", `"Ұлттық банк"`, "Qazaqstan -Ресей", "Astana OR Тоқаев", "уран"}
	var qs []*Query
	for i, s := range queries {
		q := mustParse(t, s)
		qs = append(qs, q)
		ix.Add(int64(i), 1, q)
	}
	tests := []struct {
		text, lang string
		want       []int64
	}{
		{"Qazaqstan ekonomikasy ösıp jatyr", "kk", []int64{0, 2}},
		{"Қазақстан экономикасы өсіп жатыр", "kk", []int64{0, 2}},
		{"Qazaqstan Ūlttyq bank mölşerlemenı özgertpedı", "kk", []int64{0, 1, 2}},
		// words applies the Kazakh suffix rule to Cyrillic words only, so Latin Kazakh words match
		// bare: a gap to close in words, not here.
		{"Qazaqstannyñ Ūlttyq bankı mölşerlemenı özgertpedı", "kk", nil},
		{"Ұлттық банктің мөлшерлемесі", "kk", []int64{1}},
		{"Qazaqstan men Resei kelıssöz jürgızdı", "kk", []int64{0}},
		{"Тоқаев Астанада", "kk", []int64{3}},
		{"Toqaev Astanada", "kk", []int64{3}},
		{"Uran bagasy östı", "kk", []int64{4}},
	}
	for _, tc := range tests {
		var want []Hit
		for _, id := range tc.want {
			want = append(want, Hit{AlertID: id, ChatID: 1})
		}
		checkHits(t, ix.Match(tc.text, tc.lang), want, "%q", tc.text)
		var naive []Hit
		for i, q := range qs {
			if q.compile(fakeTranslit).matches(q, tc.text, tc.lang) {
				naive = append(naive, Hit{AlertID: int64(i), ChatID: 1})
			}
		}
		checkHits(t, naive, want, "compiled queries on %q", tc.text)
	}
	// Without the hook (the default today) a term matches in its own script only.
	if got := NewIndex(); transliterate == nil {
		got.Add(0, 1, qs[0])
		checkHits(t, got.Match("Qazaqstan ekonomikasy ösıp jatyr", "kk"), nil, "no transliteration")
	}
}
