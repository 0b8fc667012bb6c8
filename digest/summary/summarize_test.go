package summary

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSummarize(t *testing.T) {
	const (
		title = "Казатомпром увеличил добычу урана"
		body  = "Компания нарастила производство на 5%. Это рекорд за десять лет. Акции выросли."
		lead  = "Компания нарастила производство на 5%. Это рекорд за десять лет."
	)
	tests := []struct {
		name                        string
		title, description, content string
		max                         int
		want                        string
	}{
		{"description first", title, body, "Контент статьи. Второе предложение.", 300, lead},
		{"content when description is blank", title, " \n ", body, 300, lead},
		{"title when nothing else", title, "", "", 300, title},
		{"title when description is punctuation", title, "…", "", 300, title},
		{"everything blank", "", "", "", 300, ""},
		{"title copy with period", title, title + ". " + body, "", 300, lead},
		{"title copied twice", title, title + ". " + title + ". " + body, "", 300, lead},
		{"title copy without separator", title, title + " " + body, "", 300, lead},
		{"title copy with colon", title, title + ": " + body, "", 300, lead},
		{"title copy with dash", title, title + " — " + body, "", 300, lead},
		{"title copy in other case and ё", "Тоқаев: «Мы всё решим»", "ТОҚАЕВ: \"МЫ ВСЕ РЕШИМ\". Президент выступил в Астане.", "", 300,
			"Президент выступил в Астане."},
		{"title ending in question mark", "Что будет с тенге?", "Что будет с тенге? Аналитики ждут ослабления. Нацбанк молчит.", "", 300,
			"Аналитики ждут ослабления. Нацбанк молчит."},
		{"truncated title", "Токаев подписал закон о…", "Токаев подписал закон о банках. Документ вступит в силу в июле.", "", 300,
			"Токаев подписал закон о банках. Документ вступит в силу в июле."},
		{"title is the start of the first sentence", "Токаев подписал закон", "Токаев подписал закон о банках. Документ вступит в силу в июле.", "", 300,
			"Токаев подписал закон о банках. Документ вступит в силу в июле."},
		{"title then a number without separator is one sentence", "Инфляция в Казахстане",
			"Инфляция в Казахстане 8,5% за год. Нацбанк сохранил ставку.", "", 300,
			"Инфляция в Казахстане 8,5% за год. Нацбанк сохранил ставку."},
		{"title then a number after a period is a copy", "Инфляция в Казахстане",
			"Инфляция в Казахстане. 8,5% за год — минимум с 2021 г. Нацбанк сохранил ставку.", "", 300,
			"8,5% за год — минимум с 2021 г. Нацбанк сохранил ставку."},
		{"title ends inside a word", "Акции Казатомпром", "Акции Казатомпрома выросли на 3%.", "", 300,
			"Акции Казатомпрома выросли на 3%."},
		{"description is only the title", title, title + ".", body, 300, lead},
		{"content repeats the title too", title, "", title + ". " + body, 300, lead},
		{"title falls back when every source is its copy", title, title, title + "!", 300, title},
		{"english", "Kazatomprom signs uranium deal with China",
			"Kazatomprom signs uranium deal with China. The contract with CNNC runs until 2030. Terms were not disclosed.", "", 300,
			"The contract with CNNC runs until 2030. Terms were not disclosed."},
		{"kazakh", "Тоқаев Астанада инвесторларды қабылдады",
			"Тоқаев Астанада инвесторларды қабылдады. Кездесуде 2024 ж. жоспарлар талқыланды. Бұл туралы Ақорда хабарлады.", "", 300,
			"Кездесуде 2024 ж. жоспарлар талқыланды. Бұл туралы Ақорда хабарлады."},
		{"length budget", title, body, "", 40, "Компания нарастила производство на 5%."},
		{"length budget cuts the first sentence", title, body, "", 20, "Компания нарастила…"},
		{"wordpress excerpt marker", title, "Компания нарастила производство урана на 5% за первый [&hellip;]", "", 300,
			"Компания нарастила производство урана на 5% за первый…"},
		{"wordpress excerpt marker decoded", title, "Компания нарастила производство урана [...]", "", 300,
			"Компания нарастила производство урана…"},
		{"wordpress footer", "Kazakhstan raises tenge rate",
			"The National Bank raised the base rate to 15.25%. The post Kazakhstan raises tenge rate appeared first on The Times Of Central Asia.", "", 300,
			"The National Bank raised the base rate to 15.25%."},
		{"wordpress footer after an excerpt marker", title,
			"Компания нарастила производство [&hellip;] Сообщение Казатомпром увеличил добычу урана появились сначала на Kursiv Media Казахстан.", "", 300,
			"Компания нарастила производство…"},
		{"wordpress footer alone", title, "Запись Казатомпром увеличил добычу урана впервые появилась Orda.kz.", body, 300, lead},
		{"read more label", title, "Компания нарастила производство на 5%. Читать далее →", "", 300,
			"Компания нарастила производство на 5%."},
		{"read more label in english", "Deal", "Kazatomprom signs uranium deal. Read more...", "", 300,
			"Kazatomprom signs uranium deal."},
		{"a sentence ending in a read-more word is kept", title, "Министр рассказал о планах подробнее.", "", 300,
			"Министр рассказал о планах подробнее."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Summarize(tc.title, tc.description, tc.content, tc.max)
			if got != tc.want {
				t.Errorf("Summarize(%q, %q, %q, %d) = %q, want %q", tc.title, tc.description, tc.content, tc.max, got, tc.want)
			}
			if n := utf8.RuneCountInString(got); n > tc.max {
				t.Errorf("Summarize = %q: %d runes, more than %d", got, n, tc.max)
			}
		})
	}
}

// russianDescription is a description of just under 2 KB in the style of Kazakhstani
// business news.
var russianDescription = func() string {
	const p = "АО НАК «Казатомпром» по итогам первого квартала 2024 г. увеличило добычу урана на 5,2% по сравнению с аналогичным периодом прошлого года, сообщила пресс-служба компании. " +
		"По словам председателя правления М. Шаймагамбетова, рост обеспечен за счёт вывода на проектную мощность рудников в Туркестанской обл. и т.д. " +
		"«Мы сохраняем прогноз на год. Спрос со стороны Китая и U.S. остаётся высоким», — заявил он. " +
		"Выручка составила 312,4 млрд тенге, что на 18% больше, чем годом ранее. "
	s := strings.Repeat(p, 4)
	// Cut to the last sentence that ends within 2 KB.
	return s[:strings.LastIndex(s[:2048], ". ")+1]
}()

func BenchmarkSummarize(b *testing.B) {
	title := "Казатомпром увеличил добычу урана"
	b.SetBytes(int64(len(russianDescription)))
	b.ReportAllocs()
	for b.Loop() {
		Summarize(title, russianDescription, "", DefaultMax)
	}
}

func BenchmarkSentences(b *testing.B) {
	b.SetBytes(int64(len(russianDescription)))
	b.ReportAllocs()
	for b.Loop() {
		Sentences(russianDescription)
	}
}
