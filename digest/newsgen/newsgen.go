// Package newsgen generates realistic news for benchmarks and load tests: events in Russian,
// Kazakh and English reported by one to three outlets of their language, the later reports
// reworded so that the pipeline clusters them as it clusters real re-reports, polled every 15
// minutes. It is deterministic for a seed. Only tests and benchmarks use it.
package newsgen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"newsbot/digest/parse"
)

// Topic is a topic tagged by keyword, as digest.Topic.
type Topic struct {
	ID, Title string
	Keywords  []string
}

// Source is an outlet, as digest.Source.
type Source struct {
	ID, Title, Language string
	Topics              []string
}

// vocab is words of Central Asian news by language, roughly most frequent first: News draws
// from it with a Zipf law, and from a pseudo-vocabulary for the long tail.
var vocab = map[string]string{
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

// stopwords are a language's function words: about a third of the words of real text.
var stopwords = map[string][]string{
	"ru": strings.Fields("и в на с по о что не это как а для из к у за от до при также уже его их он она они был была было будет который которые после года году"),
	"kk": strings.Fields("және мен бен пен бұл осы сол ол олар үшін да де та те туралы бойынша деп дейін кейін арқылы бірақ немесе ал тағы ғана еді емес болып болды жылы"),
	"en": strings.Fields("the a an of in on at to and or for with by from as is are was were be been has have had it its this that will would not but after over into about than said says"),
}

// endings are inflections appended to vocabulary words, so that stems repeat in many forms.
var endings = map[string][]string{
	"ru": {"", "", "", "а", "у", "ом", "е", "ы", "ов", "ами", "ах", "ой"},
	"kk": {"", "", "", "да", "де", "ға", "ге", "ның", "нің", "ы", "і", "ды", "ді", "мен", "тар", "лар", "дағы"},
	"en": {"", "", "", "s", "'s", "ed", "ing"},
}

// Topics are seven topics tagged by keyword in the three languages, as a deployment
// configures them.
var Topics = []Topic{
	{ID: "politics", Title: "Politics", Keywords: []string{"Токаев", "Тоқаев", "Tokayev", "парламент", "parliament", "Мажилис", "Мәжіліс", "Сенат", "указ", "жарлық", "decree", "выборы", "сайлау", "election"}},
	{ID: "economy", Title: "Economy", Keywords: []string{"тенге", "теңге", "tenge", "инфляция", "inflation", "Нацбанк", "бюджет", "budget", "налог", "салық", "tax", "экспорт", "exports", "ВВП", "GDP"}},
	{ID: "energy", Title: "Energy", Keywords: []string{"уран", "uranium", "нефть", "мұнай", "oil", "газ", "gas", "Казатомпром", "Kazatomprom", "электроэнергия", "electricity", "Тенгиз", "Кашаган", "уголь", "көмір", "coal"}},
	{ID: "security", Title: "Security", Keywords: []string{"полиция", "police", "суд", "сот", "court", "арест", "arrest", "коррупция", "жемқорлық", "corruption", "мошенничество", "алаяқтық", "fraud", "граница", "шекара", "border"}},
	{ID: "society", Title: "Society", Keywords: []string{"школа", "мектеп", "school", "больница", "аурухана", "hospital", "пенсия", "зейнетақы", "pension", "студент", "student", "врач", "дәрігер"}},
	{ID: "regions", Title: "Regions", Keywords: []string{"аким", "әкім", "mayor", "акимат", "паводок", "тасқын", "flood", "Шымкент", "Shymkent", "Караганда", "Қарағанды", "Атырау", "Atyrau", "Павлодар"}},
	{ID: "world", Title: "World", Keywords: []string{"Россия", "Ресей", "Russia", "Китай", "Қытай", "China", "санкции", "санкция", "sanctions", "Евросоюз", "EU", "США", "Узбекистан", "Кыргызстан"}},
}

// Sources are ten outlets: six Russian-language, two Kazakh, two English; two of them give
// their stories a topic of their own, as configured sources may.
var Sources = []Source{
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

// Poll is one poll of a source that found new items.
type Poll struct {
	At     time.Time
	Source Source
	Items  []parse.Item
}

// News generates news deterministically: events in a language, each reported by one to
// three of that language's outlets, the later reports reworded (some words replaced, the lead's
// later sentences new) so that the pipeline clusters them as it clusters real re-reports.
type News struct {
	r      *rand.Rand
	vocab  map[string][]string
	vocabZ map[string]*rand.Zipf
	pseudo map[string][]string
	pseudZ map[string]*rand.Zipf
	seq    int
}

// New returns a generator whose news depends only on seed.
func New(seed uint64) *News {
	r := rand.New(rand.NewPCG(seed, 0xca9))
	g := &News{r: r, vocab: map[string][]string{}, vocabZ: map[string]*rand.Zipf{},
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
		g.vocab[lang] = strings.Fields(vocab[lang])
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

func (g *News) word(lang string) string {
	switch n := g.r.IntN(100); {
	case n < 30:
		sw := stopwords[lang]
		return sw[g.r.IntN(len(sw))]
	case n < 46:
		e := endings[lang]
		return g.vocab[lang][g.vocabZ[lang].Uint64()] + e[g.r.IntN(len(e))]
	case n < 96:
		e := endings[lang]
		return g.pseudo[lang][g.pseudZ[lang].Uint64()] + e[g.r.IntN(len(e))]
	}
	return fmt.Sprintf("%d%%", 1+g.r.IntN(60))
}

func (g *News) words(lang string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.word(lang)
	}
	return out
}

// sentence joins words into a sentence: capitalised, with a comma now and then, a full stop.
func sentence(ws []string) string {
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
func (g *News) reword(lang string, ws []string, k int) []string {
	out := slices.Clone(ws)
	for range k {
		out[g.r.IntN(len(out))] = g.word(lang)
	}
	return out
}

// langs weights the languages of events: most news in the region is in Russian.
var langs = []string{"ru", "ru", "ru", "ru", "ru", "ru", "kk", "kk", "en", "en"}

// Polls returns the polls that bring about perDay stories a day over [from, to), in time order:
// each event is reported first at a random moment, and again by one or two other outlets of its
// language 5 minutes to 3 hours later; outlets are polled every 15 minutes.
func (g *News) Polls(from, to time.Time, perDay int) []Poll {
	type report struct {
		at  time.Time
		src int
		it  parse.Item
	}
	var reports []report
	span := to.Sub(from)
	want := int(float64(perDay) * span.Hours() / 24)
	for len(reports) < want {
		lang := langs[g.r.IntN(len(langs))]
		var srcs []int
		for i, s := range Sources {
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
			src := Sources[srcs[k]]
			var desc []string
			for _, s := range l {
				desc = append(desc, sentence(s))
			}
			key := fmt.Sprintf("%s-%d", src.ID, g.seq)
			reports = append(reports, report{at: at, src: srcs[k], it: parse.Item{
				Key: "guid:" + key, GUID: key, Link: fmt.Sprintf("https://%s.kz/news/%d-%s", src.ID, g.seq, strings.ToLower(t[0])),
				Title: strings.TrimSuffix(sentence(t), "."), Description: strings.Join(desc, " "),
				Published: at.Truncate(time.Second), Language: lang,
			}})
		}
	}
	// Outlets are polled every 15 minutes: a poll brings what was published since the last.
	byPoll := map[[2]int64]*Poll{}
	var out []*Poll
	for _, rep := range reports {
		slot := rep.at.Sub(from).Truncate(15*time.Minute) + 15*time.Minute
		key := [2]int64{int64(slot), int64(rep.src)}
		p := byPoll[key]
		if p == nil {
			p = &Poll{At: from.Add(slot), Source: Sources[rep.src]}
			byPoll[key] = p
			out = append(out, p)
		}
		p.Items = append(p.Items, rep.it)
	}
	slices.SortStableFunc(out, func(a, b *Poll) int { return a.At.Compare(b.At) })
	polls := make([]Poll, len(out))
	for i, p := range out {
		polls[i] = *p
	}
	return polls
}
