package bot

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"newsbot/bot/pace"
	"newsbot/bot/telegramtest"
	"newsbot/bot/texts"
	"newsbot/digest"
	"newsbot/digest/parse"
	"newsbot/migrations"
	"newsbot/subscriptions"
)

// The capacity benchmarks measure what README's "Capacity" section quotes for sending: how long
// deciding the daily digest takes for 10,000 and 100,000 chats and what it writes, how fast the
// delivery engine itself can send (its ceiling, against a fake Bot API without limits), and the
// pacer's memory during a 100,000-chat send. Run them with
//
//	go test -run '^$' -bench 'DigestDecide|DispatchCeiling|PacerMemory' -benchtime 1x ./bot/
//
// Each takes under a minute on two cores. The news is generated as in digest's capacity
// benchmarks (capNews, repeated here: test code cannot be shared across packages).

// capVocab is words of Central Asian news by language, roughly most frequent first: capNews
// draws from it with a Zipf law, and from a pseudo-vocabulary for the long tail.
var capVocab = map[string]string{
	"ru": `Казахстан Токаев Астана Алматы уран нефть газ Казатомпром правительство министр президент
экспорт цена тенге Нацбанк инфляция бюджет налог пошлина Россия Китай Узбекистан Кыргызстан Бишкек
Ташкент Мирзиёев Жапаров Мажилис Сенат аким акимат выборы закон указ суд прокуратура полиция
коррупция взятка арест паводок пожар авария погода школа больница врач пшеница зерно урожай бензин
электроэнергия тариф отопление аэропорт авиакомпания рейс граница таможня санкции Евросоюз США
Каспий Байконур Тенгиз Кашаган Карачаганак КазМунайГаз банк кредит ипотека депозит биржа акции
инвестиции завод шахта медь золото уголь нефтепровод ОПЕК Шымкент Караганда Актобе Атырау Актау
Павлодар Семей Туркестан Тараз Кызылорда Уральск Костанай Ош Самарканд Бухара Фергана Душанбе
министерство депутат парламент референдум реформа пенсия зарплата пособие безработица бизнес
компания фонд Самрук-Казына приватизация облигации ставка курс доллар рубль юань экономика ВВП рост
кризис дефицит импорт транзит логистика порт КТЖ вагон трасса автобус строительство жилье квартира
застройщик водоснабжение подстанция ТЭЦ АЭС МАГАТЭ экология выбросы Арал Иртыш Сырдарья засуха
фермер субсидия штраф проверка хищение мошенничество задержание приговор митинг забастовка учитель
студент университет грант ЕНТ футбол хоккей бокс чемпионат сборная туризм виза мигранты паспорт`,
	"kk": `Қазақстан Тоқаев Астана Алматы уран мұнай газ Қазатомөнеркәсіп Үкімет министр Президент
экспорт баға теңге Ұлттық банк инфляция бюджет салық баж Ресей Қытай Өзбекстан Қырғызстан Бішкек
Ташкент Мәжіліс Сенат әкім әкімдік сайлау заң жарлық сот прокуратура полиция жемқорлық пара тасқын
өрт апат ауа райы мектеп аурухана дәрігер бидай астық егін жанармай электр тариф жылу әуежай ұшақ
шекара кеден санкция Каспий Байқоңыр Теңіз Қашаған ҚазМұнайГаз несие ипотека биржа инвестиция
зауыт шахта мыс алтын көмір Шымкент Қарағанды Ақтөбе Атырау Ақтау Павлодар Семей Өскемен Түркістан
Тараз Қызылорда Орал Қостанай министрлік депутат парламент реформа зейнетақы жалақы жәрдемақы
бизнес кәсіпкер компания қор Самұрық-Қазына доллар экономика өсім дағдарыс импорт транзит
логистика порт темір жол құрылыс тұрғын үй пәтер экология Арал Ертіс Сырдария фермер ауыл
шаруашылығы субсидия айыппұл тексеру алаяқтық үкім мұғалім студент университет ҰБТ спорт футбол
ауыл облыс аудан халық ел мемлекет жастар отбасы бала денсаулық`,
	"en": `Kazakhstan Tokayev Astana Almaty uranium oil gas Kazatomprom government minister president
exports price tenge National Bank inflation budget tax tariff Russia China Uzbekistan Kyrgyzstan
Bishkek Tashkent Mirziyoyev Japarov parliament Senate mayor election law decree court prosecutor
police corruption arrest flood fire accident school hospital wheat grain harvest electricity
airport airline border customs sanctions EU US Caspian Baikonur Tengiz Kashagan KazMunayGas bank
loan mortgage exchange shares investment investor plant mine copper gold coal pipeline OPEC
Chevron Shymkent Karaganda Aktobe Atyrau Aktau Pavlodar Turkestan Osh Samarkand Dushanbe ministry
lawmaker referendum reform pension wages business company fund Samruk-Kazyna privatization bonds
rate dollar economy GDP growth crisis deficit imports trade transit logistics port railway highway
construction housing utilities water power nuclear IAEA ecology emissions Aral drought farmer
subsidy fine audit fraud sentence protest strike teacher student university football tourism visa
Middle Corridor rare earth lithium critical minerals startup fintech Kaspi Halyk Air Astana`,
}

// capStopwords are a language's function words: about a third of the words of real text.
var capStopwords = map[string][]string{
	"ru": strings.Fields("и в на с по о что не это как а для из к у за от до при также уже его их он она они был была было будет который которые после года году"),
	"kk": strings.Fields("және мен бен пен бұл осы сол ол олар үшін да де та те туралы бойынша деп дейін кейін арқылы бірақ немесе ал тағы ғана еді емес болып болды жылы"),
	"en": strings.Fields("the a an of in on at to and or for with by from as is are was were be been has have had it its this that will would not but after over into about than said says"),
}

// capEndings are inflections appended to vocabulary words, so that stems repeat in many forms.
var capEndings = map[string][]string{
	"ru": {"", "", "", "а", "у", "ом", "е", "ы", "ов", "ами", "ах", "ой"},
	"kk": {"", "", "", "да", "де", "ға", "ге", "ның", "нің", "ы", "і", "ды", "ді", "мен", "тар", "лар", "дағы"},
	"en": {"", "", "", "s", "'s", "ed", "ing"},
}

// capTopics are seven topics tagged by keyword in the three languages, as a deployment
// configures them.
var capTopics = []digest.Topic{
	{ID: "politics", Title: "Politics", Keywords: []string{"Токаев", "Тоқаев", "Tokayev", "парламент", "parliament", "Мажилис", "Мәжіліс", "Сенат", "указ", "жарлық", "decree", "выборы", "сайлау", "election"}},
	{ID: "economy", Title: "Economy", Keywords: []string{"тенге", "теңге", "tenge", "инфляция", "inflation", "Нацбанк", "бюджет", "budget", "налог", "салық", "tax", "экспорт", "exports", "ВВП", "GDP"}},
	{ID: "energy", Title: "Energy", Keywords: []string{"уран", "uranium", "нефть", "мұнай", "oil", "газ", "gas", "Казатомпром", "Kazatomprom", "электроэнергия", "electricity", "Тенгиз", "Кашаган", "уголь", "көмір", "coal"}},
	{ID: "security", Title: "Security", Keywords: []string{"полиция", "police", "суд", "сот", "court", "арест", "arrest", "коррупция", "жемқорлық", "corruption", "мошенничество", "алаяқтық", "fraud", "граница", "шекара", "border"}},
	{ID: "society", Title: "Society", Keywords: []string{"школа", "мектеп", "school", "больница", "аурухана", "hospital", "пенсия", "зейнетақы", "pension", "студент", "student", "врач", "дәрігер"}},
	{ID: "regions", Title: "Regions", Keywords: []string{"аким", "әкім", "mayor", "акимат", "паводок", "тасқын", "flood", "Шымкент", "Shymkent", "Караганда", "Қарағанды", "Атырау", "Atyrau", "Павлодар"}},
	{ID: "world", Title: "World", Keywords: []string{"Россия", "Ресей", "Russia", "Китай", "Қытай", "China", "санкции", "санкция", "sanctions", "Евросоюз", "EU", "США", "Узбекистан", "Кыргызстан"}},
}

// capSources are ten outlets: six Russian-language, two Kazakh, two English; two of them give
// their stories a topic of their own, as configured sources may.
var capSources = []digest.Source{
	{ID: "tengrinews", Title: "Tengrinews", Language: "ru"},
	{ID: "orda", Title: "Orda.kz", Language: "ru"},
	{ID: "kursiv", Title: "Kursiv", Language: "ru", Topics: []string{"economy"}},
	{ID: "vlast", Title: "Vlast.kz", Language: "ru"},
	{ID: "informburo", Title: "Informburo", Language: "ru"},
	{ID: "24kg", Title: "24.kg", Language: "ru"},
	{ID: "egemen", Title: "Egemen Qazaqstan", Language: "kk"},
	{ID: "azattyq", Title: "Azattyq", Language: "kk"},
	{ID: "astanatimes", Title: "The Astana Times", Language: "en"},
	{ID: "eurasianet", Title: "Eurasianet", Language: "en", Topics: []string{"world"}},
}

// capPoll is one poll of a source that found new items.
type capPoll struct {
	at     time.Time
	source digest.Source
	items  []parse.Item
}

// capNews generates news deterministically: events in a language, each reported by one to
// three of that language's outlets, the later reports reworded (some words replaced, the lead's
// later sentences new) so that the pipeline clusters them as it clusters real re-reports.
type capNews struct {
	r      *rand.Rand
	vocab  map[string][]string
	vocabZ map[string]*rand.Zipf
	pseudo map[string][]string
	pseudZ map[string]*rand.Zipf
	seq    int
}

func newCapNews(seed uint64) *capNews {
	r := rand.New(rand.NewPCG(seed, 0xca9))
	g := &capNews{r: r, vocab: map[string][]string{}, vocabZ: map[string]*rand.Zipf{},
		pseudo: map[string][]string{}, pseudZ: map[string]*rand.Zipf{}}
	syllables := map[string][]string{
		"ru": strings.Fields("ка ра ба на да ло ми сте про пре ве ни ко то ре ст ва ли за по мо"),
		"kk": strings.Fields("қа ра ба на да ла ми сы ты ке ер ай ау ұл өн ші кө жа та сә бі ің"),
		"en": strings.Fields("ca ra ba na de lo mi ste pro pre ve ni co to re st va li za po mo"),
	}
	finals := map[string][]string{
		"ru": strings.Fields("ть ние ый ий ая ов ость ка ник"),
		"kk": strings.Fields("лық шы ды ген у ым ыс"),
		"en": strings.Fields("tion ing er ly ment al ive"),
	}
	for _, lang := range []string{"en", "kk", "ru"} {
		g.vocab[lang] = strings.Fields(capVocab[lang])
		g.vocabZ[lang] = rand.NewZipf(r, 1.05, 40, uint64(len(g.vocab[lang])-1))
		seen := map[string]bool{}
		for len(g.pseudo[lang]) < 20000 {
			var b strings.Builder
			for range 2 + r.IntN(2) {
				b.WriteString(syllables[lang][r.IntN(len(syllables[lang]))])
			}
			b.WriteString(finals[lang][r.IntN(len(finals[lang]))])
			if w := b.String(); !seen[w] {
				seen[w] = true
				g.pseudo[lang] = append(g.pseudo[lang], w)
			}
		}
		g.pseudZ[lang] = rand.NewZipf(r, 1.05, 30, uint64(len(g.pseudo[lang])-1))
	}
	return g
}

func (g *capNews) word(lang string) string {
	switch n := g.r.IntN(100); {
	case n < 30:
		sw := capStopwords[lang]
		return sw[g.r.IntN(len(sw))]
	case n < 46:
		e := capEndings[lang]
		return g.vocab[lang][g.vocabZ[lang].Uint64()] + e[g.r.IntN(len(e))]
	case n < 96:
		e := capEndings[lang]
		return g.pseudo[lang][g.pseudZ[lang].Uint64()] + e[g.r.IntN(len(e))]
	}
	return fmt.Sprintf("%d%%", 1+g.r.IntN(60))
}

func (g *capNews) words(lang string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.word(lang)
	}
	return out
}

// sentence joins words into a sentence: capitalised, with a comma now and then, a full stop.
func capSentence(ws []string) string {
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			if i%7 == 0 {
				b.WriteByte(',')
			}
			b.WriteByte(' ')
		}
		if i == 0 {
			r, size := utf8.DecodeRuneInString(w)
			b.WriteRune(unicode.ToUpper(r))
			b.WriteString(w[size:])
			continue
		}
		b.WriteString(w)
	}
	b.WriteByte('.')
	return b.String()
}

// reword replaces k of ws's words by fresh ones, in a copy.
func (g *capNews) reword(lang string, ws []string, k int) []string {
	out := slices.Clone(ws)
	for range k {
		out[g.r.IntN(len(out))] = g.word(lang)
	}
	return out
}

// langs weights the languages of events: most news in the region is in Russian.
var capLangs = []string{"ru", "ru", "ru", "ru", "ru", "ru", "kk", "kk", "en", "en"}

// polls returns the polls that bring about perDay stories a day over [from, to), in time order:
// each event is reported first at a random moment, and again by one or two other outlets of its
// language 5 minutes to 3 hours later; outlets are polled every 15 minutes.
func (g *capNews) polls(from, to time.Time, perDay int) []capPoll {
	type report struct {
		at  time.Time
		src int
		it  parse.Item
	}
	var reports []report
	span := to.Sub(from)
	want := int(float64(perDay) * span.Hours() / 24)
	for len(reports) < want {
		lang := capLangs[g.r.IntN(len(capLangs))]
		var srcs []int
		for i, s := range capSources {
			if s.Language == lang {
				srcs = append(srcs, i)
			}
		}
		g.r.Shuffle(len(srcs), func(i, j int) { srcs[i], srcs[j] = srcs[j], srcs[i] })
		n := 1
		switch x := g.r.IntN(100); {
		case x >= 90:
			n = 3
		case x >= 65:
			n = 2
		}
		n = min(n, len(srcs))
		title := g.words(lang, 8+g.r.IntN(4))
		if g.r.IntN(2) == 0 {
			title = append(title, fmt.Sprintf("%d", 2+g.r.IntN(900)))
		}
		lead := [][]string{g.words(lang, 14+g.r.IntN(6)), g.words(lang, 12+g.r.IntN(6)), g.words(lang, 12+g.r.IntN(8))}
		at := from.Add(time.Duration(g.r.Int64N(int64(span))))
		for k := range n {
			t, l := title, lead
			if k > 0 {
				t = g.reword(lang, title, 2)
				l = [][]string{g.reword(lang, lead[0], 2), g.words(lang, 12+g.r.IntN(6)), g.words(lang, 12+g.r.IntN(8))}
				at = at.Add(5*time.Minute + time.Duration(g.r.Int64N(int64(175*time.Minute))))
			}
			if !at.Before(to) {
				break
			}
			g.seq++
			src := capSources[srcs[k]]
			var desc []string
			for _, s := range l {
				desc = append(desc, capSentence(s))
			}
			key := fmt.Sprintf("%s-%d", src.ID, g.seq)
			reports = append(reports, report{at: at, src: srcs[k], it: parse.Item{
				Key: "guid:" + key, GUID: key, Link: fmt.Sprintf("https://%s.kz/news/%d-%s", src.ID, g.seq, strings.ToLower(t[0])),
				Title: strings.TrimSuffix(capSentence(t), "."), Description: strings.Join(desc, " "),
				Published: at.Truncate(time.Second), Language: lang,
			}})
		}
	}
	// Outlets are polled every 15 minutes: a poll brings what was published since the last.
	byPoll := map[[2]int64]*capPoll{}
	var out []*capPoll
	for _, rep := range reports {
		slot := rep.at.Sub(from).Truncate(15*time.Minute) + 15*time.Minute
		key := [2]int64{int64(slot), int64(rep.src)}
		p := byPoll[key]
		if p == nil {
			p = &capPoll{at: from.Add(slot), source: capSources[rep.src]}
			byPoll[key] = p
			out = append(out, p)
		}
		p.items = append(p.items, rep.it)
	}
	slices.SortStableFunc(out, func(a, b *capPoll) int { return a.at.Compare(b.at) })
	polls := make([]capPoll, len(out))
	for i, p := range out {
		polls[i] = *p
	}
	return polls
}

// capSubTopics are capTopics as chats see them, titled in the three interface languages.
var capSubTopics = []subscriptions.Topic{
	{ID: "politics", Title: "Politics", Titles: map[string]string{"ru": "Политика", "kk": "Саясат", "en": "Politics"}},
	{ID: "economy", Title: "Economy", Titles: map[string]string{"ru": "Экономика", "kk": "Экономика", "en": "Economy"}},
	{ID: "energy", Title: "Energy", Titles: map[string]string{"ru": "Энергетика", "kk": "Энергетика", "en": "Energy"}},
	{ID: "security", Title: "Security", Titles: map[string]string{"ru": "Безопасность", "kk": "Қауіпсіздік", "en": "Security"}},
	{ID: "society", Title: "Society", Titles: map[string]string{"ru": "Общество", "kk": "Қоғам", "en": "Society"}},
	{ID: "regions", Title: "Regions", Titles: map[string]string{"ru": "Регионы", "kk": "Өңірлер", "en": "Regions"}},
	{ID: "world", Title: "World", Titles: map[string]string{"ru": "Мир", "kk": "Әлем", "en": "World"}},
}

// capZone is Kazakhstan's time (UTC+5), the digest's zone.
var capZone = time.FixedZone("Asia/Almaty", 5*60*60)

// capUsedBytes is the space the database's content takes: its pages less the free ones.
func capUsedBytes(tb testing.TB, db *sql.DB) int64 {
	tb.Helper()
	var pages, free, size int64
	if err := db.QueryRow(`SELECT (SELECT page_count FROM pragma_page_count), (SELECT freelist_count FROM pragma_freelist_count),
		(SELECT page_size FROM pragma_page_size)`).Scan(&pages, &free, &size); err != nil {
		tb.Fatal(err)
	}
	return (pages - free) * size
}

// capHeap returns the Go heap in use after a collection.
func capHeap() int64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse)
}

// capClock is a settable clock, safe for concurrent use.
type capClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *capClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *capClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// capWorld is a database holding a week of news (1,000 stories a day from ten outlets) and
// subscribed chats that had their digest every morning of that week, and a Digester over it
// with the digest at 08:00: the state of a running bot the minute today's digest is due.
type capWorld struct {
	db       *migrations.DB
	subs     *subscriptions.Store
	stories  *digest.Store
	digester *Digester
	clock    *capClock
	due      time.Time // today's digest
	active   int       // chats that get a digest
}

func newCapWorld(b *testing.B, chats int) *capWorld {
	b.Helper()
	ctx := context.Background()
	db, err := migrations.Open(ctx, filepath.Join(b.TempDir(), "capacity.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	catalog, err := subscriptions.NewCatalog(capSubTopics)
	if err != nil {
		b.Fatal(err)
	}
	due := time.Date(2026, 11, 26, 8, 0, 0, 0, capZone)
	w := &capWorld{db: db, clock: &capClock{t: due.Add(-7 * 24 * time.Hour)}, due: due}
	w.subs = subscriptions.NewStore(db, catalog, subscriptions.Limits{}, w.clock.Now)
	w.stories = digest.NewStore(db)

	p := digest.NewPipeline(w.stories, capTopics, w.clock.Now)
	for _, poll := range newCapNews(1).polls(due.Add(-7*24*time.Hour), due, 1000) {
		w.clock.Set(poll.at)
		if _, err := p.Process(ctx, poll.source, &parse.Feed{Items: poll.items}, false,
			digest.SourceState{ID: poll.source.ID, Seeded: true}); err != nil {
			b.Fatal(err)
		}
	}

	// Chats: a fifth of them supergroups, one in twenty gone inactive; an interface language
	// chosen (ru, kk, en) or guessed from Telegram's; 1–4 of the 7 topics.
	r := rand.New(rand.NewPCG(3, 3))
	tx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	chat, err := tx.Prepare(`INSERT INTO chats (id, type, title, language, language_code, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	topic, err := tx.Prepare(`INSERT INTO chat_topics (chat_id, topic_id, created_at) VALUES (?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	langs := []string{"ru", "ru", "ru", "kk", "kk", "en", "", ""}
	codes := []string{"ru", "kk", "en", "uz", ""}
	long := due.Add(-200 * 24 * time.Hour).Unix()
	for i := range chats {
		id, typ, title := int64(5_000_000_000+i*37), subscriptions.TypePrivate, "Айгерим Нурланова"
		if i%5 == 0 {
			id, typ, title = -1_002_000_000_000-int64(i)*53, subscriptions.TypeSupergroup, "Новости Атырау"
		}
		active := i%20 != 7
		if active {
			w.active++
		}
		if _, err := chat.Exec(id, typ, title, langs[r.IntN(len(langs))], codes[r.IntN(len(codes))], active, long, long); err != nil {
			b.Fatal(err)
		}
		for _, k := range r.Perm(len(capSubTopics))[:1+r.IntN(4)] {
			if _, err := topic.Exec(id, capSubTopics[k].ID, long); err != nil {
				b.Fatal(err)
			}
		}
	}
	// Every active chat had its digest on each of the last 7 mornings.
	for back := 7; back >= 1; back-- {
		at := due.AddDate(0, 0, -back)
		if _, err := tx.Exec(`INSERT INTO digests (chat_id, day, since, until, stories, messages, decided_at)
			SELECT id, ?, ?, ?, 10, 1, ? FROM chats WHERE active = 1`,
			at.Format(time.DateOnly), at.Add(-24*time.Hour).Unix(), at.Unix(), at.Unix()); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}

	msgs, err := texts.Load()
	if err != nil {
		b.Fatal(err)
	}
	names := map[string]string{}
	for _, s := range capSources {
		names[s.ID] = s.Title
	}
	w.digester, err = NewDigester(Config{Location: capZone, Sources: names, Now: w.clock.Now,
		Digest: DigestConfig{Schedule: "0 8 * * *", Location: capZone, MaxStories: 10}}, w.subs, w.stories, msgs)
	if err != nil {
		b.Fatal(err)
	}
	w.clock.Set(due.Add(30 * time.Second))
	return w
}

// BenchmarkDigestDecide decides today's digest at 08:00 for 10,000 and 100,000 chats (95 %
// active) that follow 1–4 of 7 topics in 3 interface languages, over a week of news: the time
// from the DigestsDue call until every digest and its outbox rows are committed. It reports the
// messages queued, the distinct texts stored once in outbox_texts (and their bytes: what the
// run's memo of rendered digests holds), the bytes the run adds to the database, the peak Go
// heap during the run, and the candidates a run loads (count and heap) for a day's window and
// for the longest, a week's.
func BenchmarkDigestDecide(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("chats=%d", n), func(b *testing.B) {
			ctx := context.Background()
			w := newCapWorld(b, n)
			db := w.db.Write

			// What a run holds while it decides: the candidates of the chats' windows (a day for
			// a chat that had yesterday's digest; a week at most) and the rendered texts.
			type candStat struct{ n, heap int64 }
			loadCands := func(window time.Duration) candStat {
				before := capHeap()
				cands, err := w.stories.DigestCandidates(ctx, w.due.Add(-window), w.due)
				if err != nil {
					b.Fatal(err)
				}
				heap := capHeap() - before
				runtime.KeepAlive(cands)
				return candStat{int64(len(cands)), heap}
			}
			day, week := loadCands(digestFirstWindow), loadCands(digestMaxWindow)

			var queued, chats, distinct, textBytes int
			var added int64
			var peak atomic.Int64
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				// Each run decides the same morning afresh.
				for _, q := range []string{`DELETE FROM outbox WHERE ? > 0`, `DELETE FROM outbox_texts WHERE ? > 0`, `DELETE FROM digests WHERE decided_at >= ?`} {
					if _, err := db.Exec(q, w.due.Unix()); err != nil {
						b.Fatal(err)
					}
				}
				start := capUsedBytes(b, db)
				base := capHeap()
				peak.Store(0)
				stop := make(chan struct{})
				sampled := make(chan struct{})
				go func() {
					defer close(sampled)
					var ms runtime.MemStats
					for {
						runtime.ReadMemStats(&ms)
						peak.Store(max(peak.Load(), int64(ms.HeapInuse)-base))
						select {
						case <-stop:
							return
						case <-time.After(20 * time.Millisecond):
						}
					}
				}()
				b.StartTimer()
				n, err := w.digester.DigestsDue(ctx, w.clock.Now())
				b.StopTimer()
				close(stop)
				<-sampled
				if err != nil {
					b.Fatal(err)
				}
				queued, added = n, capUsedBytes(b, db)-start
				if err := w.db.Read.QueryRow(`SELECT (SELECT COUNT(*) FROM digests WHERE decided_at >= ?),
					(SELECT COUNT(*) FROM outbox_texts), (SELECT COALESCE(SUM(LENGTH(CAST(text AS BLOB))), 0) FROM outbox_texts)`,
					w.due.Unix()).Scan(&chats, &distinct, &textBytes); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.StopTimer()
			if chats != w.active {
				b.Fatalf("%d digests decided, want one for each of %d active chats", chats, w.active)
			}
			b.ReportMetric(float64(chats), "chats")
			b.ReportMetric(float64(queued), "messages")
			b.ReportMetric(float64(distinct), "texts")
			b.ReportMetric(float64(textBytes)/(1<<20), "texts-MiB")
			b.ReportMetric(float64(added)/(1<<20), "db-MiB-added")
			b.ReportMetric(float64(added)/float64(chats), "db-B/chat")
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(day.n), "cands-24h")
			b.ReportMetric(float64(day.heap)/(1<<20), "cands-24h-MiB")
			b.ReportMetric(float64(week.n), "cands-7d")
			b.ReportMetric(float64(week.heap)/(1<<20), "cands-7d-MiB")
		})
	}
}

// capDigestText is a digest of ten stories as RenderDigest makes it, about 3.5 KB.
func capDigestText() string {
	var b strings.Builder
	b.WriteString("<b>Дайджест за 26.11.2026</b>\n\n<b>Энергетика</b>\n")
	for i := range 10 {
		fmt.Fprintf(&b, "<a href=\"https://orda.kz/news/%d-kazatomprom\"><b>«Казатомпром» увеличил добычу урана на %d%% в Туркестанской области</b></a>\n"+
			"<i>Orda.kz, Kursiv</i>\nКомпания отчиталась о росте добычи по итогам квартала.\n", 40000+i, 5+i)
	}
	return b.String()
}

// BenchmarkDispatchCeiling measures the delivery engine against a fake Bot API with no limits,
// on the same machine: digest messages (one per private chat, one shared 3.5 KB text) sent by
// the real dispatcher, pacer and Sender with rate_limit 1000 and paid broadcasts on.
//   - "paid" paces 15,000 of them at 960 a second, as a paid broadcast goes;
//   - "ceiling" runs the pacer's clock 4 times fast (3,840 a second allowed), so what limits the
//     rate is the dispatcher, SQLite and the HTTP round trips themselves;
//   - "paid-rtt100ms" and "paid-rtt20ms" are "paid" with every sendMessage answered that much
//     later (3,000 messages), as Telegram answers over a real network: with dispatchWorkers
//     sends in flight, the rate cannot pass dispatchWorkers / round trip.
//
// It reports messages a second from the first send to the last as the server saw them, that
// rate over 960, and the CPU per message (bot and fake server together, both ends of HTTP: an
// upper bound for the bot).
func BenchmarkDispatchCeiling(b *testing.B) {
	for _, bc := range []struct {
		name    string
		speedup int64
		rtt     time.Duration
		chats   int
	}{
		{"paid", 1, 0, 15_000},
		{"ceiling", 4, 0, 15_000},
		{"paid-rtt100ms", 1, 100 * time.Millisecond, 3_000},
		{"paid-rtt20ms", 1, 20 * time.Millisecond, 3_000},
	} {
		b.Run(bc.name, func(b *testing.B) { benchDispatchCeiling(b, bc.chats, bc.speedup, bc.rtt) })
	}
}

func benchDispatchCeiling(b *testing.B, chats int, speedup int64, rtt time.Duration) {
	for range b.N {
		b.StopTimer()
		ctx, cancel := context.WithCancel(context.Background())
		db, err := migrations.Open(ctx, filepath.Join(b.TempDir(), "ceiling.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		api := telegramtest.New(b, telegramtest.Options{})
		if rtt > 0 {
			api.Fail("sendMessage", 0, telegramtest.Failure{Delay: rtt}, -1)
		}
		catalog, _ := subscriptions.NewCatalog(capSubTopics)
		subs := subscriptions.NewStore(db, catalog, subscriptions.Limits{}, nil)
		msgs, err := texts.Load()
		if err != nil {
			b.Fatal(err)
		}
		bt, err := New(Config{Token: api.Token(), APIURL: api.URL(), RateLimit: 1000, PaidBroadcast: true},
			subs, digest.NewStore(db), msgs)
		if err != nil {
			b.Fatal(err)
		}
		if speedup > 1 {
			epoch := time.Now()
			bt.dispatch.pacer = pace.New(bt.dispatch.pacer.Limits(), func() time.Time {
				return epoch.Add(time.Duration(speedup) * time.Since(epoch))
			})
		}
		tx, err := db.Write.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO outbox_texts (id, hash, text) VALUES (1, 'x', ?)`, capDigestText()); err != nil {
			b.Fatal(err)
		}
		for i := range chats {
			id := int64(5_000_000_000 + i*37)
			if _, err := tx.Exec(`INSERT INTO chats (id, type, title, created_at, updated_at) VALUES (?, 'private', 'c', 0, 0)`, id); err != nil {
				b.Fatal(err)
			}
			if _, err := tx.Exec(`INSERT INTO outbox (chat_id, kind, class, text_id, created_at, updated_at) VALUES (?, 'digest', 3, 1, 0, 0)`, id); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		var before, after syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &before)
		done := make(chan error, 1)
		b.StartTimer()
		go func() { done <- bt.Run(ctx) }()
		deadline := time.Now().Add(120 * time.Second)
		for api.Stats().Sends < chats {
			if time.Now().After(deadline) {
				b.Fatalf("only %d of %d sent in 120s", api.Stats().Sends, chats)
			}
			time.Sleep(50 * time.Millisecond)
		}
		b.StopTimer()
		syscall.Getrusage(syscall.RUSAGE_SELF, &after)
		cancel()
		<-done
		calls := api.Calls("sendMessage")
		elapsed := calls[len(calls)-1].At.Sub(calls[0].At)
		rate := float64(len(calls)-1) / elapsed.Seconds()
		cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
		var unsent int
		if err := db.Read.QueryRow(`SELECT COUNT(*) FROM outbox WHERE state != 'sent'`).Scan(&unsent); err != nil {
			b.Fatal(err)
		}
		db.Close()
		if st := api.Stats(); st.Sends != chats || len(calls) != chats || unsent != 0 {
			b.Fatalf("%d sends, %d calls, %d rows not sent; want %d, %d, 0", st.Sends, len(calls), unsent, chats, chats)
		}
		b.ReportMetric(rate, "msgs/s")
		b.ReportMetric(rate/960, "of-960")
		b.ReportMetric(float64(cpu.Microseconds())/float64(chats), "cpu-µs/msg")
	}
}

// BenchmarkPacerMemory sends one bulk message to each of 100,000 chats (a fifth of them
// groups) through a Pacer on a simulated clock, at the free pace (rate_limit 30 is paced at 29:
// 4 % under it, rounded down) and at the paid one (960 a second), and reports the most Go heap
// the pacer held, sampled every 5,000 sends. A chat's state is kept while it still affects a
// decision (about a second for a private chat, a minute for a group), so it follows the send
// rate, not the number of chats.
func BenchmarkPacerMemory(b *testing.B) {
	for _, bc := range []struct {
		name string
		lim  pace.Limits
		paid bool
	}{
		{"free", pace.Limits{Global: 29}, false},
		{"paid", pace.Limits{Global: 29, PaidBulk: 960}, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			const chats = 100_000
			for range b.N {
				now := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
				base := capHeap()
				p := pace.New(bc.lim, func() time.Time { return now })
				var peak int64
				start := now
				for i := range chats {
					it := pace.Item{ID: int64(i + 1), Chat: int64(5_000_000_000 + i*37), Kind: pace.Private, Class: pace.Bulk,
						Paid: bc.paid, Enqueued: start}
					if i%5 == 0 {
						it.Chat, it.Kind = -1_002_000_000_000-int64(i)*53, pace.Group
					}
					for {
						_, ok, wait := p.Take([]pace.Item{it})
						if ok {
							break
						}
						now = now.Add(max(wait, time.Microsecond))
					}
					if i%5000 == 4999 {
						peak = max(peak, capHeap()-base)
					}
				}
				runtime.KeepAlive(p)
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
				b.ReportMetric(float64(chats)/now.Sub(start).Seconds(), "simulated-msgs/s")
			}
		})
	}
}
