package words

import "testing"

// benchTopics is ~10 topics × 15 keywords in Russian, Kazakh and English, like a real config.
var benchTopics = map[string][]string{
	"energy": {"уран", "нефть", "газ", "Казатомпром", "КазМунайГаз", "бензин", "электроэнергия",
		"uranium", "oil", "gas", "Kazatomprom", "мұнай", "энергетика", "ОПЕК", "Тенгиз"},
	"economy": {"инфляция", "тенге", "Нацбанк", "центральный банк", "ВВП", "бюджет", "налог",
		"экспорт", "импорт", "пошлина", "баж", "inflation", "tenge", "National Bank", "салық"},
	"politics": {"Токаев", "Тоқаев", "Мажилис", "Мәжіліс", "Сенат", "акимат", "парламент",
		"выборы", "референдум", "министр", "правительство", "Үкімет", "Tokayev", "parliament", "указ"},
	"astana": {"Астана", "Нур-Султан", "Нұр-Сұлтан", "столица", "Astana", "акимат Астаны",
		"левый берег", "Есиль", "Есіл", "Байтерек", "Экспо", "EXPO", "Ақорда", "Акорда", "Akorda"},
	"almaty": {"Алматы", "Алма-Ата", "Almaty", "Медеу", "Шымбулак", "Көкжайлақ", "Кок-Жайляу",
		"Алатау", "Бостандыкский", "Ауэзовский", "Наурызбайский", "метро", "ТРЦ", "Талгар", "Каскелен"},
	"kyrgyzstan": {"Кыргызстан", "Киргизия", "Бишкек", "Жапаров", "Ташиев", "Ош", "Иссык-Куль",
		"Кумтор", "Kyrgyzstan", "Bishkek", "Japarov", "Қырғызстан", "сом", "Талас", "Нарын"},
	"uzbekistan": {"Узбекистан", "Ташкент", "Мирзиёев", "Самарканд", "Бухара", "Uzbekistan",
		"Tashkent", "Mirziyoyev", "Өзбекстан", "Ташкентте", "сум", "Фергана", "Навои", "Хива", "Андижан"},
	"transport": {"железная дорога", "КТЖ", "авиакомпания", "Air Astana", "SCAT", "аэропорт",
		"рейс", "поезд", "автобус", "трасса", "railway", "airport", "әуежай", "пойыз", "жол"},
	"sanctions": {"санкции", "sanctions", "OFAC", "эмбарго", "санкция", "embargo", "SDN",
		"вторичные санкции", "экспортный контроль", "реэкспорт", "parallel import", "Евросоюз",
		"EU", "Минфин США", "Treasury"},
	"weather": {"погода", "снег", "дождь", "жара", "мороз", "паводок", "наводнение", "Казгидромет",
		"ауа райы", "қар", "жаңбыр", "flood", "weather", "буран", "гололед"},
}

// benchText is a 60-word Russian news lead.
const benchText = `«Казатомпром» увеличил добычу урана на 12% в первом квартале, сообщает пресс-служба
компании. Как заявил министр энергетики Алмасадам Саткалиев на заседании правительства в Астане,
экспорт урана в Китай и Францию вырос, несмотря на новые пошлины. Президент Касым-Жомарт Токаев
поручил Нацбанку и правительству снизить инфляцию до 5%, а также ускорить строительство новой
железной дороги Дарбаза — Мактаарал к границе с Узбекистаном до конца 2025 года.`

const benchKazakh = `Мемлекет басшысы Қасым-Жомарт Тоқаев Астанада шетелдік инвесторлармен кездесіп,
мұнай-газ саласындағы жобаларды талқылады. Президент Ұлттық банкке инфляцияны төмендетуді, ал
Үкіметке астықтың экспорттық бажын қайта қарауды тапсырды. «Қазатомөнеркәсіп» уран өндірісін
12 пайызға арттырды. Дарбаза — Мақтаарал темір жолының құрылысы 2025 жылы аяқталады. Сонымен
қатар Мәжіліс депутаттары Алматыдағы әуежайдың жаңа терминалын пайдалануға беру мерзімін және
Шымкенттегі газ бағасының өсуін талқылады, ал Қырғызстанмен шекарадағы кезек азайды.`

const benchEnglish = `Kazatomprom, the world's largest uranium producer, said on Friday its output rose 12% in
the first quarter as exports to China and France grew despite new sanctions and tariffs, while President
Kassym-Jomart Tokayev ordered the National Bank and the government to curb inflation to 5% and speed
up construction of the Darbaza-Maktaaral railway to the Uzbek border by the end of 2025.`

func benchMatch(b *testing.B, text, lang string) {
	m := NewMatcher(benchTopics)
	if n := len(Tokenize(text)); n < 50 || n > 75 {
		b.Fatalf("bench text has %d words, want about 60", n)
	}
	if m.Match(text, lang) == nil {
		b.Fatal("bench text matches nothing")
	}
	b.ReportAllocs()
	for b.Loop() {
		m.Match(text, lang)
	}
}

// BenchmarkMatch matches a 60-word Russian lead against 10 topics of 15 keywords.
func BenchmarkMatch(b *testing.B) { benchMatch(b, benchText, "ru") }

func BenchmarkMatchKazakh(b *testing.B) { benchMatch(b, benchKazakh, "kk") }

func BenchmarkMatchEnglish(b *testing.B) { benchMatch(b, benchEnglish, "en") }

func BenchmarkMatchUnknownLang(b *testing.B) { benchMatch(b, benchText, "") }

func BenchmarkNewMatcher(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		NewMatcher(benchTopics)
	}
}

// BenchmarkTerms computes the terms of a 60-word Russian lead.
func BenchmarkTerms(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Terms(benchText, "ru")
	}
}

func BenchmarkTermsKazakh(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Terms(benchKazakh, "kk")
	}
}

func BenchmarkTokenize(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Tokenize(benchText)
	}
}
