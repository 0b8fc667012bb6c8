package words

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMatchRules checks each matching rule and its traps, one keyword against one text.
func TestMatchRules(t *testing.T) {
	tests := []struct {
		name    string
		keyword string
		text    string
		lang    string
		want    bool
	}{
		// 1. Equal after folding.
		{"case", "KAZATOMPROM", "kazatomprom reports record output", "en", true},
		{"ё in text", "елка", "В Астане установили главную ёлку страны", "ru", true},
		{"ё in keyword", "Мирзиёев", "Мирзиеев прибыл в Астану с государственным визитом", "ru", true},
		{"ё in keyword, inflected", "Мирзиёев", "Переговоры Токаева и Мирзиёева прошли в Ташкенте", "ru", true},
		{"typographic apostrophe", "Taliban's", "Taliban’s envoy visits Tashkent for transit talks", "en", true},
		{"guillemets", "Казатомпром", "«Казатомпром» объявил о сокращении добычи", "ru", true},
		{"word inside hyphenated name", "Султан", "Аким Нур-Султана провёл приём граждан", "ru", true},
		{"soft hyphen inside word", "Казатомпром", "Казатом\u00adпром снизил прогноз", "ru", true},
		{"stress mark", "замок", "Старинный за́мок отреставрируют", "ru", true},

		// 2. Russian: Snowball and the noun paradigm.
		{"нефть ~ нефти", "нефть", "Экспорт нефти из Казахстана вырос на 7%", "ru", true},
		{"нефть ~ нефтью", "нефть", "Танкеры с казахстанской нефтью застряли у Новороссийска", "ru", true},
		{"уран ~ урана", "уран", "«Казатомпром» увеличил добычу урана на 12%", "ru", true},
		{"уран ~ ураном", "уран", "Сделка с ураном одобрена", "ru", true},
		{"уран ≁ урановый (Snowball says no)", "уран", "Урановый рудник Инкай приостановил работу", "ru", false},
		{"уран ≁ Урал", "уран", "Паводок на реке Урал: уровень воды растёт", "ru", false},
		{"уран ≁ Урала", "уран", "Жители Урала жалуются на цены", "ru", false},
		{"уран ≁ Ураниум", "уран", "Компания Ураниум Уан сменила владельца", "ru", false},
		{"уран ≁ ура", "уран", "Болельщики кричали ура", "ru", false},
		{"газ ~ газа", "газ", "Поставки газа в Узбекистан возобновлены", "ru", true},
		{"газ ~ газом", "газ", "Сёла обеспечат природным газом", "ru", true},
		{"газ ≁ газета (ru)", "газ", "Газета «Казахстанская правда» сменила главного редактора", "ru", false},
		{"газ ≁ газета (lang unknown)", "газ", "Газета «Казахстанская правда» сменила главного редактора", "", false},
		{"Токаев ~ Токаева", "Токаев", "Указ Токаева о помиловании опубликован", "ru", true},
		{"Токаев ~ Токаеву", "Токаев", "Токаеву доложили о ходе посевной", "ru", true},
		{"Астана ~ Астаны", "Астана", "Аким Астаны объявил о новых развязках", "ru", true},
		{"Астана ~ Астане", "Астана", "В Астане пройдёт саммит ШОС", "ru", true},
		{"Казатомпром ~ Казатомпрома", "Казатомпром", "Акции Казатомпрома подорожали", "ru", true},
		{"пошлина ~ пошлины", "пошлина", "Правительство повысило пошлины на вывоз скота", "ru", true},
		{"санкции ~ санкций", "санкции", "Киргизский банк попал под действие санкций", "ru", true},
		{"крупный ~ крупнейший (Snowball)", "крупный", "Крупнейший производитель урана снизил прогноз", "ru", true},
		{"кот ≁ скот", "кот", "Падёж скота в Костанайской области", "ru", false},
		{"кот ~ кота", "кот", "Спасатели сняли кота с крыши в Караганде", "ru", true},
		{"adjective not forced", "Казахстан", "Казахстанский экспорт пшеницы вырос", "ru", false},

		// 3. English: Snowball and plural/possessive.
		{"sanction ~ sanctions", "sanction", "US imposes new sanctions on Kyrgyz bank", "en", true},
		{"Kazatomprom ~ Kazatomprom's", "Kazatomprom", "Kazatomprom's output falls short of target", "en", true},
		{"Taliban ~ Taliban's", "Taliban", "The Taliban's delegation arrived in Astana", "en", true},
		{"Taliban ~ Taliban’s", "Taliban", "Taliban’s envoy visits Tashkent", "en", true},
		{"export ~ exported", "export", "Uzbekistan exported more gold in 2024", "en", true},
		{"gas ~ gases", "gas", "Kazakhstan pledges to cut greenhouse gases", "en", true},
		{"gas ≁ Gaspar", "gas", "Gaspar Noé premieres his film in Almaty", "en", false},
		{"gas ≁ gasoline?", "gas", "Gasoline prices rise in Bishkek", "en", false},
		{"ran ≁ Iran", "ran", "Iran and Turkmenistan sign a gas swap deal", "en", false},
		{"oil ≁ oilfield", "oil", "Chevron expands the Tengiz oilfield", "en", false},
		{"Latin keyword in Russian text", "Kazatomprom", "Акции Kazatomprom выросли на LSE", "ru", true},

		// 4. Kazakh: word-initial match with a real suffix chain.
		{"экспорт ~ экспорттық", "экспорт", "Астықтың экспорттық бажы алынып тасталды", "kk", true},
		{"экспорт ~ экспорттау", "экспорт", "Мұнай экспорттау көлемі артты", "kk", true},
		{"баж ~ бажды", "баж", "Үкімет бажды төмендетті", "kk", true},
		{"баж ~ бажды (guessed kk)", "баж", "Үкімет бажды төмендетті", "", true},
		{"Астана ~ Астанада", "Астана", "Тоқаев Астанада шетелдік инвесторлармен кездесті", "kk", true},
		{"Астана ~ Астанаға", "Астана", "Мәжіліс депутаттары Астанаға оралды", "kk", true},
		{"Астана ~ Астананың", "Астана", "Астананың әкімі жаңа жобаны таныстырды", "kk", true},
		{"Астана ~ Астанадағы", "Астана", "Астанадағы жылу электр орталығы жөнделді", "kk", true},
		{"Астана ~ астанасы", "Астана", "Елдің астанасы көркейіп келеді", "kk", true},
		{"инвестор ~ инвесторлармен", "инвестор", "Тоқаев шетелдік инвесторлармен кездесті", "kk", true},
		{"Тоқаев ~ Тоқаевтың (loan harmony)", "Тоқаев", "Тоқаевтың жарлығы жарияланды", "kk", true},
		{"Шымкент ~ Шымкентте", "Шымкент", "Шымкентте жаңа зауыт ашылды", "kk", true},
		{"Russian keyword, Kazakh text", "уран", "Қазақстан уранды экспорттауды арттырды", "kk", true},
		{"Kazakh letter overrides lang ru", "Қазақстан", "Фонд «Қазақстан халқына» выделил средства", "ru", true},
		{"кітап ~ кітабы (п→б)", "кітап", "Жазушының жаңа кітабы жарық көрді", "kk", true},
		{"кітап ~ кітапты", "кітап", "Оқушылар кітапты тегін алады", "kk", true},
		{"тарақ ~ тарағы (қ→ғ)", "тарақ", "Ағаш тарағы сатылымға шықты", "kk", true},
		{"халық ~ халқы (vowel drop)", "халық", "Қазақстан халқы 20 миллионнан асты", "kk", true},
		{"халық ~ халқына", "халық", "Президенттің Қазақстан халқына Жолдауы", "kk", true},
		{"денсаулық ~ денсаулығы", "денсаулық", "Тұрғындардың денсаулығы тексеріледі", "kk", true},
		{"Қазақстан ~ Қазақстандық", "Қазақстан", "Қазақстандық спортшылар үш медаль алды", "kk", true},
		{"мұнай ~ мұнайшылар", "мұнай", "Жаңаөзен мұнайшылары ереуілге шықты", "kk", true},
		{"газ ≁ газет", "газ", "Газет редакциясы жаңа бас редакторды таныстырды", "kk", false},
		{"газ ≁ газеті", "газ", "«Егемен Қазақстан» газеті 105 жыл толды", "kk", false},
		{"кот ≁ котлет", "кот", "Мектеп асханасындағы котлет тексерілді", "kk", false},
		{"қала ≁ қалады (accusative after a vowel is -ны)", "қала", "Баға өзгеріссіз қалады", "kk", false},
		{"қала ~ қаласы", "қала", "Түркістан қаласы туристер үшін", "kk", true},
		{"қала ~ қаланы", "қала", "Су тасқыны қаланы басты", "kk", true},
		{"бала ≁ балы (no Russian paradigm in kk)", "бала", "Оның балы жоғары", "kk", false},
		{"short keyword: whole word only", "ел", "Елде инфляция баяулады", "kk", false},
		{"short keyword: whole word", "ел", "Ел аумағында ауа райы", "kk", true},
		{"abbreviation before hyphen", "БҰҰ", "БҰҰ-ның Бас ассамблеясы ашылды", "kk", true},
		{"Kazakh rule off for Russian text", "баж", "Бажды отменили", "ru", false},
		{"Kazakh rule needs a real chain", "экспорт", "экспортер пшеницы", "kk", false},

		// Multi-word keywords.
		{"multi-word: hyphenated", "Нур-Султан", "Аэропорт Нур-Султана закрыт из-за тумана", "ru", true},
		{"multi-word: hyphen keyword, spaced text", "Нур-Султан", "Нур Султан переименовали обратно", "ru", true},
		{"multi-word: wrong order", "Нур-Султан", "Султан Нурпеисов получил награду", "ru", false},
		{"multi-word: inflected Russian", "центральный банк", "Председатель Центрального банка России заявил", "ru", true},
		{"multi-word: English possessive", "central bank", "The Central Bank's reserves grew", "en", true},
		{"multi-word: plural", "central bank", "Central banks of the region meet in Bishkek", "en", true},
		{"multi-word: word between", "central bank", "A central Asian bank opens in Tashkent", "en", false},
		{"multi-word: cut at the end", "central bank", "Rates were raised by the central", "en", false},
		{"multi-word: Kazakh", "Ұлттық банк", "Ұлттық банктің базалық мөлшерлемесі өзгермеді", "kk", true},
		{"multi-word: Kazakh, second word with poss+gen", "Ұлттық банк", "Ұлттық банкінің төрағасы", "kk", true},
		{"multi-word: Kazakh keyword ending in a possessive", "ауа райы", "Ертеңгі ауа райына болжам жасалды", "kk", true},
		{"multi-word: across a sentence boundary", "нефть газ", "Добыча нефти. Газ подорожал", "ru", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMatcher(map[string][]string{"k": {tc.keyword}})
			got := m.Match(tc.text, tc.lang)
			if (got != nil) != tc.want {
				t.Errorf("Match(%q, %q) with keyword %q = %v, want match %v\ntokens: %q",
					tc.text, tc.lang, tc.keyword, got, tc.want, Tokenize(tc.text))
			}
		})
	}
}

// topics is a realistic topic set for the tests that match several keys at once.
var topics = map[string][]string{
	"energy":   {"uranium", "oil", "gas", "Kazatomprom", "уран", "нефть", "газ", "мұнай"},
	"trade":    {"экспорт", "баж", "пошлина", "tariff", "export"},
	"astana":   {"Астана", "Нур-Султан", "Нұр-Сұлтан", "Astana"},
	"politics": {"Токаев", "Тоқаев", "Tokayev", "Мажилис", "Мәжіліс"},
	"finance":  {"central bank", "Нацбанк", "Ұлттық банк", "инфляция", "inflation"},
	"empty":    {"", "  ", "—"},
}

func TestMatchTopics(t *testing.T) {
	m := NewMatcher(topics)
	tests := []struct {
		text string
		lang string
		want []string
	}{
		{"«Казатомпром» увеличил экспорт урана в Китай", "ru", []string{"energy", "trade"}},
		{"Токаев поручил Нацбанку снизить инфляцию", "ru", []string{"finance", "politics"}},
		{"Тоқаев Астанада мұнай экспорттаушыларымен кездесті", "kk", []string{"astana", "energy", "politics", "trade"}},
		{"Тоқаев Астанада мұнай экспорттаушыларымен кездесті", "", []string{"astana", "energy", "politics", "trade"}},
		{"Tokayev's Astana talks: oil, gas and tariffs on the agenda", "en", []string{"astana", "energy", "politics", "trade"}},
		{"Газета «Казахстанская правда» сменила редактора", "ru", nil},
		{"", "ru", nil},
		{"!!! — «» …", "ru", nil},
		{"Погода в Бишкеке: снег и гололёд", "ru", nil},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got := m.Match(tc.text, tc.lang)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Match(%q, %q) mismatch (-want +got):\n%s", tc.text, tc.lang, diff)
			}
		})
	}
}

func TestMatchLanguageTags(t *testing.T) {
	m := NewMatcher(map[string][]string{"trade": {"баж"}})
	for _, lang := range []string{"kk", "KK", "kk-KZ", "kk_KZ", "kz", " kk "} {
		if got := m.Match("Үкімет бажды төмендетті", lang); !slices.Equal(got, []string{"trade"}) {
			t.Errorf("lang %q: Match = %v, want [trade]", lang, got)
		}
	}
	for _, lang := range []string{"ru", "ru-RU", "en"} {
		if got := m.Match("Бажды отменили", lang); got != nil {
			t.Errorf("lang %q: Match = %v, want nil (Kazakh rule off)", lang, got)
		}
	}
}

func TestMatchEmptyMatcher(t *testing.T) {
	for _, sets := range []map[string][]string{nil, {}, {"a": nil}, {"a": {"", "«»"}}} {
		m := NewMatcher(sets)
		if got := m.Match("уран нефть газ", "ru"); got != nil {
			t.Errorf("NewMatcher(%v).Match = %v, want nil", sets, got)
		}
	}
}

func TestMatchSameKeywordInSeveralKeys(t *testing.T) {
	m := NewMatcher(map[string][]string{
		"b": {"уран", "уран"},
		"a": {"Уран"},
		"c": {"нефть"},
	})
	want := []string{"a", "b"}
	if got := m.Match("Цены на уран выросли", "ru"); !slices.Equal(got, want) {
		t.Errorf("Match = %v, want %v", got, want)
	}
}

// TestMatchConcurrent runs one Matcher from many goroutines; run with -race.
func TestMatchConcurrent(t *testing.T) {
	m := NewMatcher(topics)
	texts := []struct{ text, lang, want string }{
		{"«Казатомпром» увеличил добычу урана", "ru", "[energy]"},
		{"Үкімет бажды төмендетті", "kk", "[trade]"},
		{"Central Bank's inflation target", "en", "[finance]"},
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				tc := texts[(g+i)%len(texts)]
				if got := fmt.Sprint(m.Match(tc.text, tc.lang)); got != tc.want {
					t.Errorf("Match(%q) = %s, want %s", tc.text, got, tc.want)
					return
				}
			}
		})
	}
	wg.Wait()
}
