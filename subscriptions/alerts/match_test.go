package alerts

import (
	"testing"
)

// matchCase is a query against a story text.
type matchCase struct {
	name, query, text, lang string
	want                    bool
}

// matchCases cover every rule of the query language and of word matching, with their traps, on
// real-looking headlines in Russian, Kazakh and English.
var matchCases = []matchCase{
	// All words must occur, in any order, anywhere in title and summary.
	{"all words", "uranium Kazakhstan", "Kazakhstan's uranium output rises for a third year", "en", true},
	{"all words, other order", "Kazakhstan uranium", "Uranium miners in Kazakhstan expect record year", "en", true},
	{"one word missing", "uranium Kazakhstan", "Uranium prices hit a 16-year high", "en", false},
	{"words in title and summary", "Казатомпром Китай", "«Казатомпром» увеличил добычу урана\nЭкспорт в Китай вырос на 12%", "ru", true},

	// Case, ё, typography.
	{"case", "КАЗАТОМПРОМ", "Казатомпром снизил прогноз добычи", "ru", true},
	{"ё in text", "елка", "В Астане установили главную ёлку страны", "ru", true},
	{"ё in query", "Мирзиёев", "Мирзиеев прибыл в Астану с государственным визитом", "ru", true},
	{"ё in query, inflected text", "Мирзиёев", "Переговоры Токаева и Мирзиёева прошли в Ташкенте", "ru", true},
	{"guillemets in text", "Казатомпром", "«Казатомпром» объявил о сокращении добычи", "ru", true},
	{"soft hyphen in text", "Казатомпром", "Казатом\u00adпром снизил прогноз", "ru", true},

	// Russian word forms, and what must not fire.
	{"уран finds урана", "уран", "«Казатомпром» увеличил добычу урана на 12%", "ru", true},
	{"уран finds ураном", "уран", "Сделка с ураном одобрена правительством", "ru", true},
	{"уран not Урал", "уран", "Паводок на реке Урал: уровень воды растёт", "ru", false},
	{"уран not Урала", "уран", "Жители Урала жалуются на цены", "ru", false},
	{"уран not урановый", "уран", "Урановый рудник Инкай приостановил работу", "ru", false},
	{"кот not скот", "кот", "Падёж скота в Костанайской области", "ru", false},
	{"кот finds кота", "кот", "Спасатели сняли кота с крыши в Караганде", "ru", true},
	{"газ not газета", "газ", "Газета «Казахстанская правда» сменила главного редактора", "ru", false},
	{"Токаев finds Токаева", "Токаев", "Указ Токаева о помиловании опубликован", "ru", true},
	{"нефть finds нефтью", "нефть", "Танкеры с казахстанской нефтью застряли у Новороссийска", "ru", true},
	{"inflected query word", "урана", "Цены на уран выросли", "ru", true},
	{"Казахстан not Казахстанский", "Казахстан", "Казахстанский экспорт пшеницы вырос", "ru", false},

	// English word forms, apostrophes, whole words.
	{"Taliban finds Taliban's", "Taliban", "The Taliban's delegation arrived in Astana", "en", true},
	{"Taliban finds Taliban’s", "Taliban", "Taliban’s envoy visits Tashkent for transit talks", "en", true},
	{"sanction finds sanctions", "sanction", "US imposes new sanctions on Kyrgyz bank", "en", true},
	{"export finds exported", "export", "Uzbekistan exported more gold in 2024", "en", true},
	{"gas not Gaspar", "gas", "Gaspar Noé premieres his film in Almaty", "en", false},
	{"gas not gasoline", "gas", "Gasoline prices rise in Bishkek", "en", false},
	{"ran not Iran", "ran", "Iran and Turkmenistan sign a gas swap deal", "en", false},
	{"oil not oilfield", "oil", "Chevron expands the Tengiz oilfield", "en", false},
	{"Latin query in Russian text", "Kazatomprom", "Акции Kazatomprom выросли на LSE", "ru", true},
	{"a Latin name finds its Cyrillic spelling", "Kazatomprom", "«Казатомпром» увеличил добычу", "ru", true},
	{"a 2021 Latin Kazakh word finds Cyrillic", "Qazaqstan", "Қазақстанда уран өндірісі өсті", "kk", true},
	{"a Cyrillic Kazakh word finds 2021 Latin (bare form: Latin endings are not parsed)", "Қазақстан", "Qazaqstan eksporty östı", "kk", true},
	{"an English word does not become Cyrillic", "sanctions", "Санкции против России продлены", "ru", false},

	// Kazakh endings, and the traps of a prefix rule.
	{"Астана finds Астанада", "Астана", "Тоқаев Астанада шетелдік инвесторлармен кездесті", "kk", true},
	{"Астана finds Астанаға", "Астана", "Мәжіліс депутаттары Астанаға оралды", "kk", true},
	{"Астана finds Астананың", "Астана", "Астананың әкімі жаңа жобаны таныстырды", "kk", true},
	{"Астана finds Астанадағы", "Астана", "Астанадағы жылу электр орталығы жөнделді", "kk", true},
	{"экспорт finds экспорттық", "экспорт", "Астықтың экспорттық бажы алынып тасталды", "kk", true},
	{"баж finds бажды, language guessed", "баж", "Үкімет бажды төмендетті", "", true},
	{"Kazakh rule off in Russian text", "баж", "Бажды отменили", "ru", false},
	{"Russian query word in Kazakh text", "уран", "Қазақстан уранды экспорттауды арттырды", "kk", true},
	{"халық finds халқына", "халық", "Президенттің Қазақстан халқына Жолдауы", "kk", true},
	{"кітап finds кітабы", "кітап", "Жазушының жаңа кітабы жарық көрді", "kk", true},
	{"қала not қалады", "қала", "Баға өзгеріссіз қалады", "kk", false},
	{"газ not газеті", "газ", "«Егемен Қазақстан» газеті 105 жыл толды", "kk", false},
	{"Астана not a longer name", "Астана", "Астанаэнергосбыт тарифті көтерді", "kk", false},
	{"Kazakh letter in a Russian story", "Қазақстан", "Фонд «Қазақстан халқына» выделил средства", "ru", true},

	// Phrases: consecutive words, each in any form.
	{"phrase", `"central bank"`, "The central bank kept its base rate at 14.25%", "en", true},
	{"phrase, possessive", `"central bank"`, "The Central Bank's reserves grew", "en", true},
	{"phrase, word between", `"central bank"`, "A central Asian bank opens in Tashkent", "en", false},
	{"phrase, wrong order", `"central bank"`, "Bank central to the deal collapses", "en", false},
	{"phrase, words apart", `"central bank"`, "Central Asia: a bank for the region", "en", false},
	{"phrase, inflected Russian", `"центральный банк"`, "Председатель Центрального банка России заявил", "ru", true},
	{"phrase in guillemets", "«ауа райы»", "Ертеңгі ауа райына болжам жасалды", "kk", true},
	{"phrase, Kazakh", `"Ұлттық банк"`, "Ұлттық банктің базалық мөлшерлемесі өзгермеді", "kk", true},
	{"phrase across punctuation", `"нефть газ"`, "Добыча нефти. Газ подорожал", "ru", true},
	{"phrase cut at the end", `"central bank"`, "Rates were raised by the central", "en", false},
	{"hyphenated query word", "Нур-Султан", "Аэропорт Нур-Султана закрыт из-за тумана", "ru", true},
	{"hyphenated query word, spaced text", "Нур-Султан", "Нур Султан переименовали обратно", "ru", true},
	{"hyphenated query word, wrong order", "Нур-Султан", "Султан Нурпеисов получил награду", "ru", false},
	{"quoted word still matches forms", `"уран"`, "Экспорт урана вырос", "ru", true},
	{"phrase with a function word", `"в Астане"`, "Саммит ШОС пройдёт в Астане", "ru", true},
	{"phrase with a function word, missing", `"в Астане"`, "Аким Астаны объявил о развязках", "ru", false},

	// OR, and its precedence over the implicit AND.
	{"OR, first", "уран OR uranium", "Цены на уран растут", "ru", true},
	{"OR, second", "уран OR uranium", "Uranium spot price tops $100", "en", true},
	{"OR, neither", "уран OR uranium", "Цены на нефть растут", "ru", false},
	{"OR binds tighter", "Kazatomprom уран OR uranium", "Kazatomprom cuts uranium production guidance", "en", true},
	{"OR binds tighter, AND part missing", "Kazatomprom уран OR uranium", "Uranium spot price tops $100", "en", false},
	{"OR binds tighter, OR part missing", "Kazatomprom уран OR uranium", "Kazatomprom appoints a new chief executive", "en", false},
	{"OR with a phrase", `"central bank" OR Нацбанк`, "Нацбанк снизил базовую ставку", "ru", true},
	{"или is OR", "уран или нефть", "Добыча нефти выросла", "ru", true},
	{"OR Kazakh and Russian", "мұнай OR нефть", "Жаңаөзен мұнайшылары ереуілге шықты", "kk", true},

	// Exclusions, in any word form.
	{"exclusion absent", "уран -Урал", "Цены на уран выросли", "ru", true},
	{"exclusion present, inflected", "уран -Урал", "Цены на уран растут, а на Урале падают", "ru", false},
	{"excluded phrase present", `Kazatomprom -"Uranium One"`, "Kazatomprom sells its stake to Uranium One", "en", false},
	{"excluded phrase words apart", `Kazatomprom -"Uranium One"`, "Kazatomprom: one more uranium deal", "en", true},
	{"exclusion, Kazakh ending", "Астана -Алматы", "Астана мен Алматыда жаңбыр жауады", "kk", false},
	{"exclusion of a substring does not fire", "уран -ран", "Добыча урана выросла", "ru", true},

	// Function words are dropped from what to look for.
	{"and dropped", "uranium and Kazakhstan", "Kazakhstan boosts uranium output", "en", true},
	{"и dropped", "уран и нефть", "Уран дорожает, нефть дешевеет", "ru", true},

	// Numbers.
	{"number", "2025 бюджет", "Бюджет на 2025 год утверждён", "ru", true},
	{"number is whole", "2025", "Продано 20250 тонн", "ru", false},
	{"no words at all", "уран", "!!! — «» …", "ru", false},
	{"empty story", "уран", "", "ru", false},
}

// TestMatches checks matchCases through Query.Matches and through an Index holding the one alert.
func TestMatches(t *testing.T) {
	for _, tc := range matchCases {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Parse(tc.query, Limits{})
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.query, err)
			}
			if got := q.Matches(tc.text, tc.lang); got != tc.want {
				t.Errorf("Parse(%q).Matches(%q, %q) = %v, want %v", tc.query, tc.text, tc.lang, got, tc.want)
			}
			ix := NewIndex()
			ix.Add(7, 70, q)
			hits := ix.Match(tc.text, tc.lang)
			if got := len(hits) == 1 && hits[0] == (Hit{AlertID: 7, ChatID: 70}); got != tc.want || len(hits) > 1 {
				t.Errorf("Index with %q: Match(%q, %q) = %v, want a hit: %v", tc.query, tc.text, tc.lang, hits, tc.want)
			}
		})
	}
}

// TestMatchesAllAtOnce puts every query of matchCases in one Index, so that they share words,
// buckets and cache, and checks each text against all of them.
func TestMatchesAllAtOnce(t *testing.T) {
	ix := NewIndex()
	var qs []*Query
	for i, tc := range matchCases {
		q, err := Parse(tc.query, Limits{})
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.query, err)
		}
		qs = append(qs, q)
		ix.Add(int64(i), int64(i%7), q)
	}
	for round := range 2 { // the second round answers from the cache
		for _, tc := range matchCases {
			var want []Hit
			for i, q := range qs {
				if q.Matches(tc.text, tc.lang) {
					want = append(want, Hit{AlertID: int64(i), ChatID: int64(i % 7)})
				}
			}
			checkHits(t, ix.Match(tc.text, tc.lang), want, "round %d: %q (%s)", round, tc.text, tc.lang)
		}
	}
}
