package alerts

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
)

// The benchmark's vocabulary: words of Central Asian news in Russian, Kazakh and English, roughly
// from most to least frequent, which is the order the Zipf distributions below rank them in.

const ruVocab = `Казахстан Токаев Астана Алматы уран нефть газ Казатомпром правительство министр
президент экспорт цена тенге Нацбанк инфляция бюджет налог пошлина Россия Китай Узбекистан
Кыргызстан Бишкек Ташкент Мирзиёев Жапаров Мажилис Сенат аким акимат выборы закон указ суд
прокуратура полиция коррупция взятка арест паводок наводнение землетрясение пожар авария погода
снег жара мороз школа больница врач вакцина пшеница зерно урожай скот мясо бензин электроэнергия
тариф отопление аэропорт авиакомпания рейс поезд граница таможня санкции Евросоюз США Туркменистан
Таджикистан Афганистан Каспий Байконур Тенгиз Кашаган Карачаганак КазМунайГаз банк кредит ипотека
депозит биржа акции инвестиции инвестор завод шахта рудник металлургия медь золото уголь
нефтепровод газопровод ОПЕК Роснефть Газпром Лукойл Шымкент Караганда Актобе Атырау Актау
Павлодар Семей Усть-Каменогорск Туркестан Тараз Кызылорда Уральск Костанай Петропавловск Кокшетау
Талдыкорган Жезказган Экибастуз Темиртау Жанаозен Балхаш Ош Джалал-Абад Самарканд Бухара Фергана
Наманган Андижан Навои Хива Душанбе Ашхабад Москва Пекин Вашингтон Брюссель Анкара Тегеран Кабул
министерство ведомство депутат парламент референдум конституция реформа пенсия зарплата пособие
безработица бизнес предприниматель компания корпорация холдинг фонд Самрук-Казына Байтерек
приватизация IPO дивиденды облигации ставка девальвация курс доллар евро рубль юань экономика ВВП
рост спад кризис дефицит профицит импорт товарооборот транзит логистика контейнер порт паром
железная дорога КТЖ вагон локомотив трасса автобус такси метро LRT стройка строительство жилье
квартира аренда застройщик дольщик коммунальные услуги водоснабжение канализация электричество
подстанция ТЭЦ ГРЭС АЭС атомная станция МАГАТЭ ядерный полигон Семипалатинск экология выбросы
смог загрязнение Арал Иртыш Сырдарья Амударья Балхаш Или вода засуха орошение фермер
сельское хозяйство субсидия кредитование льгота штраф проверка ревизия хищение мошенничество
задержание приговор освобождение амнистия митинг протест забастовка нефтяник шахтер учитель
медсестра студент университет грант ЕНТ экзамен олимпиада спорт футбол хоккей бокс олимпиада
Головкин чемпионат сборная клуб Кайрат Астана тренер матч победа поражение медаль рекорд
туризм туристы отель виза безвиз мигранты миграция гражданство паспорт`

const kkVocab = `Қазақстан Тоқаев Астана Алматы уран мұнай газ Қазатомөнеркәсіп Үкімет министр Президент
экспорт баға теңге Ұлттық банк инфляция бюджет салық баж Ресей Қытай Өзбекстан Қырғызстан Бішкек
Ташкент Мирзиёев Жапаров Мәжіліс Сенат әкім әкімдік сайлау заң жарлық сот прокуратура полиция
сыбайлас жемқорлық пара қамауға тасқын су жер сілкінісі өрт апат ауа райы қар жаңбыр аяз ыстық
мектеп аурухана дәрігер вакцина бидай астық егін мал ет жанармай электр тариф жылу әуежай ұшақ рейс
пойыз шекара кеден санкция Еуропалық одақ АҚШ Түрікменстан Тәжікстан Ауғанстан Каспий Байқоңыр
Теңіз Қашаған Қарашығанақ ҚазМұнайГаз несие ипотека депозит биржа акция инвестиция инвестор зауыт
шахта кеніш металлургия мыс алтын көмір мұнай құбыры газ құбыры ОПЕК Шымкент Қарағанды Ақтөбе Атырау
Ақтау Павлодар Семей Өскемен Түркістан Тараз Қызылорда Орал Қостанай Петропавл Көкшетау Талдықорған
Жезқазған Екібастұз Теміртау Жаңаөзен Балқаш Ош Самарқанд Бұхара Ферғана Душанбе Ашхабад Мәскеу
Бейжің Вашингтон министрлік депутат парламент референдум Ата Заң реформа зейнетақы жалақы жәрдемақы
жұмыссыздық бизнес кәсіпкер компания қор Самұрық-Қазына жекешелендіру дивиденд мөлшерлеме доллар
еуро рубль юань экономика ЖІӨ өсім дағдарыс тапшылық импорт тауар айналымы транзит логистика порт
темір жол вагон трасса автобус метро құрылыс тұрғын үй пәтер жалға құрылыс салушы коммуналдық
қызмет сумен жабдықтау электр станциясы атом электр станциясы ядролық полигон экология шығарынды
ластану Арал Ертіс Сырдария Іле құрғақшылық суару фермер ауыл шаруашылығы субсидия жеңілдік
айыппұл тексеру ұрлық алаяқтық ұстау үкім рақымшылық митинг наразылық ереуіл мұнайшы кенші
мұғалім студент университет грант ҰБТ емтихан олимпиада спорт футбол хоккей бокс Головкин
чемпионат құрама клуб жаттықтырушы матч жеңіс жеңіліс медаль рекорд туризм турист қонақүй виза
көші-қон азаматтық паспорт ауыл облыс аудан халық ел мемлекет жастар отбасы бала ана денсаулық`

const enVocab = `Kazakhstan Tokayev Astana Almaty uranium oil gas Kazatomprom government minister president
exports price tenge National Bank inflation budget tax tariff Russia China Uzbekistan Kyrgyzstan
Bishkek Tashkent Mirziyoyev Japarov parliament Senate mayor election law decree court prosecutor
police corruption bribery arrest flood earthquake fire accident weather snow heat school hospital
doctor vaccine wheat grain harvest livestock meat gasoline electricity heating airport airline flight
train border customs sanctions EU US Turkmenistan Tajikistan Afghanistan Taliban Caspian Baikonur
Tengiz Kashagan Karachaganak KazMunayGas bank loan mortgage deposit exchange shares investment
investor plant mine copper gold coal pipeline OPEC Chevron ExxonMobil Shell Eni TotalEnergies
Rosneft Gazprom Lukoil CPC Shymkent Karaganda Aktobe Atyrau Aktau Pavlodar Semey Turkestan Taraz
Osh Samarkand Bukhara Fergana Dushanbe Ashgabat Moscow Beijing Washington Brussels Ankara Tehran Kabul
ministry lawmaker referendum constitution reform pension wages unemployment business entrepreneur
company fund Samruk-Kazyna privatization IPO dividends bonds rate devaluation dollar euro ruble
yuan economy GDP growth recession crisis deficit imports trade transit logistics container port
ferry railway wagon highway bus metro construction housing apartment developer utilities water
power nuclear IAEA test site ecology emissions pollution Aral Irtysh drought irrigation farmer
agriculture subsidy fine audit embezzlement fraud detention sentence amnesty rally protest strike
teacher student university grant exam olympiad football hockey boxing Golovkin championship
team coach match victory defeat medal record tourism tourists hotel visa migrants migration
citizenship passport Middle Corridor Trans-Caspian route rare earth lithium tungsten critical
minerals wheat exports drone startup fintech Kaspi Halyk Freedom Holding Air Astana SCAT`

// Common multi-word alerts people set.
var benchPhrases = []string{
	`"Ұлттық банк"`, `"central bank"`, `"National Bank"`, `"железная дорога"`, `"темір жол"`,
	`"ауа райы"`, `"базовая ставка"`, `"base rate"`, `"Air Astana"`, `"Middle Corridor"`,
	`"rare earth"`, `"жер сілкінісі"`, `"атомная станция"`, `"nuclear power"`, `"Kaspi Bank"`,
	`"Freedom Holding"`, `"Самрук-Казына"`, `"Транскаспийский маршрут"`, `"critical minerals"`,
	`"сыбайлас жемқорлық"`, `"коммунальные услуги"`, `"test site"`, `"ядерный полигон"`,
}

var benchStopwords = map[string][]string{
	"ru": strings.Fields("и в на с по о что не это как а для из к у за от до при также уже его их он она они был была было будет который которые после года году"),
	"kk": strings.Fields("және мен бен пен бұл осы сол ол олар үшін да де та те туралы бойынша деп дейін кейін арқылы бірақ немесе ал тағы ғана еді емес болып болды жылы"),
	"en": strings.Fields("the a an of in on at to and or for with by from as is are was were be been has have had it its this that will would not but after over into about than said says"),
}

var benchEndings = map[string][]string{
	"ru": {"", "", "", "а", "у", "ом", "е", "ы", "ов", "ами", "ах", "ой"},
	"kk": {"", "", "", "да", "де", "ға", "ге", "ның", "нің", "ы", "і", "ды", "ді", "мен", "тар", "лар", "дағы", "ны", "сы"},
	"en": {"", "", "", "s", "'s", "ed", "ing"},
}

var benchLangs = []string{"ru", "ru", "ru", "ru", "ru", "kk", "kk", "en", "en", "en"}

// benchGen generates the benchmark's alerts and stories, deterministically.
//
// What people set alerts on is not what news mentions most: "Казахстан" and "правительство" are
// in most stories and few alerts, "Кашаган" and "МАГАТЭ" the other way round. So alerts rank the
// vocabulary by their own Zipf order (perm): the news order reversed, with noise. Both alerts and
// stories also draw on a large pseudo-vocabulary per language (the long tail of real news words,
// which a 300-word list lacks) and on rare names. Calibrated so that an alert fires on about 0.2%
// of stories (four times a day at 2,000 stories a day): noisier alerts get deleted.
type benchGen struct {
	r      *rand.Rand
	vocab  map[string][]string // by language, most frequent in news first
	perm   map[string][]int    // alert popularity rank → index into vocab
	alertZ map[string]*rand.Zipf
	storyZ map[string]*rand.Zipf
	pseudo map[string][]string // long-tail news words by language
	pseudZ map[string]*rand.Zipf
	tail   []string // rare names: surnames, companies, villages
	tailZ  *rand.Zipf
}

func newBenchGen(seed uint64) *benchGen {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	g := &benchGen{
		r:      r,
		vocab:  map[string][]string{"ru": strings.Fields(ruVocab), "kk": strings.Fields(kkVocab), "en": strings.Fields(enVocab)},
		perm:   make(map[string][]int),
		alertZ: make(map[string]*rand.Zipf),
		storyZ: make(map[string]*rand.Zipf),
		pseudo: make(map[string][]string),
		pseudZ: make(map[string]*rand.Zipf),
	}
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
		v := g.vocab[lang]
		score := make([]float64, len(v))
		for i := range v {
			score[i] = float64(i) + r.NormFloat64()*float64(len(v))/3
		}
		g.perm[lang] = r.Perm(len(v))
		slices.SortFunc(g.perm[lang], func(a, b int) int { return cmp.Compare(score[b], score[a]) })
		// The top word is in about 3% of a language's alert terms.
		g.alertZ[lang] = rand.NewZipf(r, 1.1, 10, uint64(len(v)-1))
		g.storyZ[lang] = rand.NewZipf(r, 1.05, 20, uint64(len(v)-1))
		seen := make(map[string]bool)
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
	cyr := strings.Fields("ка ра ба на да жан бек тай ту ке ер ай сал мат нур бол сер гей ал мас тас кен шы")
	lat := strings.Fields("ka ra ba na da jan bek tai tu ke er ai sal mat nur bol ser gei al mas tas ken shy")
	for i := range 40000 {
		syl := cyr
		if i%3 == 0 {
			syl = lat
		}
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		name := []rune(b.String())
		name[0] = unicode.ToUpper(name[0])
		g.tail = append(g.tail, string(name))
	}
	g.tailZ = rand.NewZipf(r, 1.01, 50, uint64(len(g.tail)-1))
	return g
}

// alertWord returns a word or phrase for an alert in lang.
func (g *benchGen) alertWord(lang string) string {
	switch n := g.r.IntN(100); {
	case n < 35: // in the pseudo-vocabulary's own order, unrelated to the news order
		p := g.pseudo[lang]
		return p[len(p)-1-int(g.pseudZ[lang].Uint64())]
	case n < 45:
		return g.tail[g.tailZ.Uint64()]
	}
	return g.vocab[lang][g.perm[lang][g.alertZ[lang].Uint64()]]
}

// alertTerm returns a word or phrase for an alert in lang.
func (g *benchGen) alertTerm(lang string) string {
	switch n := g.r.IntN(100); {
	case n < 5:
		return benchPhrases[g.r.IntN(len(benchPhrases))]
	case n < 10:
		return `"` + g.alertWord(lang) + " " + g.alertWord(lang) + `"`
	}
	return g.alertWord(lang)
}

// alert returns a query text: 1–3 terms, some with an alternative, some with an exclusion.
func (g *benchGen) alert() string {
	lang := benchLangs[g.r.IntN(len(benchLangs))]
	var parts []string
	n := 1
	switch x := g.r.IntN(100); {
	case x >= 85:
		n = 3
	case x >= 50:
		n = 2
	}
	for range n {
		t := g.alertTerm(lang)
		if g.r.IntN(100) < 15 {
			other := benchLangs[g.r.IntN(len(benchLangs))]
			t += " OR " + g.alertTerm(other)
		}
		parts = append(parts, t)
	}
	if g.r.IntN(100) < 10 {
		parts = append(parts, "-"+g.alertTerm(lang))
	}
	return strings.Join(parts, " ")
}

// story returns a title and summary of about 60 words, and its language.
func (g *benchGen) story() (string, string) {
	lang := benchLangs[g.r.IntN(len(benchLangs))]
	var b strings.Builder
	for i := range 60 {
		end := benchEndings[lang]
		switch n := g.r.IntN(100); {
		case n < 35:
			sw := benchStopwords[lang]
			b.WriteString(sw[g.r.IntN(len(sw))])
		case n < 47: // alert-worthy names and topics are a small share of a story's words
			src := lang
			if g.r.IntN(10) == 0 { // a name or term in another language
				src = benchLangs[g.r.IntN(len(benchLangs))]
			}
			b.WriteString(g.vocab[src][g.storyZ[src].Uint64()] + benchEndings[src][g.r.IntN(len(benchEndings[src]))])
		case n < 90:
			b.WriteString(g.pseudo[lang][g.pseudZ[lang].Uint64()] + end[g.r.IntN(len(end))])
		case n < 96:
			b.WriteString(g.tail[g.r.IntN(len(g.tail))])
		default:
			b.WriteString(string(rune('0'+g.r.IntN(10))) + "5%")
		}
		switch {
		case i == 11:
			b.WriteString("\n") // end of the title
		case g.r.IntN(12) == 0:
			b.WriteString(", ")
		case g.r.IntN(20) == 0:
			b.WriteString(". ")
		default:
			b.WriteByte(' ')
		}
	}
	return b.String(), lang
}
