package summary

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type splitCase struct {
	name string
	in   string
	want []string
}

func runSplitCases(t *testing.T, cases []splitCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Sentences(tc.in)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Sentences(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
			// The sentences are a partition of the normalised text.
			if joined, norm := strings.Join(got, " "), Normalize(tc.in); joined != norm {
				t.Errorf("joined sentences = %q, want the normalised input %q", joined, norm)
			}
		})
	}
}

func TestSentencesTerminators(t *testing.T) {
	runSplitCases(t, []splitCase{
		{"blank", " \t\n ", nil},
		{"empty", "", nil},
		{"no terminator", "Токаев провёл совещание по паводкам",
			[]string{"Токаев провёл совещание по паводкам"}},
		{"ru period", "«Казатомпром» увеличил добычу урана на 5%. Это рекорд за десять лет.",
			[]string{"«Казатомпром» увеличил добычу урана на 5%.", "Это рекорд за десять лет."}},
		{"kk period", "Тоқаев Астанада шетелдік инвесторларды қабылдады. Бұл туралы Ақорда хабарлады.",
			[]string{"Тоқаев Астанада шетелдік инвесторларды қабылдады.", "Бұл туралы Ақорда хабарлады."}},
		{"en period", "Kazatomprom signs uranium deal with China. The contract runs until 2030.",
			[]string{"Kazatomprom signs uranium deal with China.", "The contract runs until 2030."}},
		{"question and exclamation", "Что будет с тенге? Аналитики ждут решения Нацбанка! Курс пока стабилен.",
			[]string{"Что будет с тенге?", "Аналитики ждут решения Нацбанка!", "Курс пока стабилен."}},
		{"interrobang run", "Бензин снова подорожал?! Водители возмущены.",
			[]string{"Бензин снова подорожал?!", "Водители возмущены."}},
		{"three dots", "Цены растут... Что дальше?", []string{"Цены растут...", "Что дальше?"}},
		{"ellipsis rune", "Мы подумаем… Решение примем завтра.", []string{"Мы подумаем…", "Решение примем завтра."}},
		{"question then dots", "Неужели?.. Да, это так.", []string{"Неужели?..", "Да, это так."}},
		{"lower case after period is no boundary", "Добыча выросла на 5%. по данным компании, это рекорд.",
			[]string{"Добыча выросла на 5%. по данным компании, это рекорд."}},
		{"no space after period", "Версия 2.0.Обновление вышло.", []string{"Версия 2.0.Обновление вышло."}},
		{"digit starts next", "Тендер закрыт. 15 компаний подали заявки.",
			[]string{"Тендер закрыт.", "15 компаний подали заявки."}},
		{"guillemet starts next", "Сделка закрыта. «Казатомпром» доволен итогами.",
			[]string{"Сделка закрыта.", "«Казатомпром» доволен итогами."}},
		{"straight quote starts next", `The deal is closed. "We are satisfied," the CEO said.`,
			[]string{"The deal is closed.", `"We are satisfied," the CEO said.`}},
		{"bracket starts next", "Курс тенге укрепился. (Данные KASE на 15:30.)",
			[]string{"Курс тенге укрепился.", "(Данные KASE на 15:30.)"}},
		{"dialogue dashes", "— Мы готовы к переговорам. — Тогда начнём в понедельник.",
			[]string{"— Мы готовы к переговорам.", "— Тогда начнём в понедельник."}},
		{"dash and lower case continue the sentence", "«Мы готовы!» — заявил Токаев. Переговоры продолжатся.",
			[]string{"«Мы готовы!» — заявил Токаев.", "Переговоры продолжатся."}},
		{"question in quote then attribution", "«Что будет с тенге?» — главный вопрос недели. Аналитики спорят.",
			[]string{"«Что будет с тенге?» — главный вопрос недели.", "Аналитики спорят."}},
		{"caseless script", "Pakistan signed the deal. پاکستان نے معاہدے پر دستخط کیے",
			[]string{"Pakistan signed the deal.", "پاکستان نے معاہدے پر دستخط کیے"}},
		{"arabic-script full stop", "پاکستان نے معاہدے پر دستخط کیے۔ وزیر دفاع نے کہا",
			[]string{"پاکستان نے معاہدے پر دستخط کیے۔", "وزیر دفاع نے کہا"}},
		{"leading ellipsis", "…и тогда всё изменилось. Конец истории.",
			[]string{"…и тогда всё изменилось.", "Конец истории."}},
		{"punctuation only", "?! …", []string{"?! …"}},
		{"whitespace is normalised", "  Паводок\u00a0в  Актобе.\n\nЭвакуированы 300 человек. ",
			[]string{"Паводок в Актобе.", "Эвакуированы 300 человек."}},
	})
}

func TestSentencesQuotes(t *testing.T) {
	runSplitCases(t, []splitCase{
		{"closing guillemet belongs to the sentence", "«Мы готовы.» Затем министр покинул зал.",
			[]string{"«Мы готовы.»", "Затем министр покинул зал."}},
		{"closing straight quote belongs to the sentence", `He said "No." Then he left the talks in Tashkent.`,
			[]string{`He said "No."`, "Then he left the talks in Tashkent."}},
		{"closing curly quote", "“We will sign.” The ministry confirmed the visit.",
			[]string{"“We will sign.”", "The ministry confirmed the visit."}},
		{"closing bracket", "Цены выросли (по данным Бюро нацстатистики.) Эксперты ждут замедления.",
			[]string{"Цены выросли (по данным Бюро нацстатистики.)", "Эксперты ждут замедления."}},
		{"period inside a continuing guillemet quote",
			"«Мы готовы. Мы ждём предложений», — сказал министр. Переговоры начнутся в мае.",
			[]string{"«Мы готовы. Мы ждём предложений», — сказал министр.", "Переговоры начнутся в мае."}},
		{"period inside a continuing straight quote",
			`"We are ready. We are waiting for offers," the minister said. Talks start in May.`,
			[]string{`"We are ready. We are waiting for offers," the minister said.`, "Talks start in May."}},
		{"question marks inside a title", "Фильм «Кто ты? Где ты?» вышел в прокат. Сборы превысили ожидания.",
			[]string{"Фильм «Кто ты? Где ты?» вышел в прокат.", "Сборы превысили ожидания."}},
		{"nested quotes", "Министр процитировал: «Он сказал: „Всё. Хватит“. Затем ушёл». Заседание закрыли.",
			[]string{"Министр процитировал: «Он сказал: „Всё. Хватит“. Затем ушёл».", "Заседание закрыли."}},
		{"kk quote", "«Біз дайынбыз. Ұсыныстарды күтеміз», — деді министр. Келіссөздер мамырда басталады.",
			[]string{"«Біз дайынбыз. Ұсыныстарды күтеміз», — деді министр.", "Келіссөздер мамырда басталады."}},
		{"unclosed quote does not swallow the text", "«Мы готовы. Переговоры продолжатся завтра.",
			[]string{"«Мы готовы.", "Переговоры продолжатся завтра."}},
		{"stray straight quote", `Экран 6.1" OLED. Продажи стартуют в мае.`,
			[]string{`Экран 6.1" OLED.`, "Продажи стартуют в мае."}},
	})
}

func TestSentencesAbbreviations(t *testing.T) {
	runSplitCases(t, []splitCase{
		// Russian.
		{"т.е.", "Ставка выросла, т.е. Нацбанк ужесточил политику.",
			[]string{"Ставка выросла, т.е. Нацбанк ужесточил политику."}},
		{"т. к. spaced", "Рейс отменён, т. к. Аэропорт Алматы закрыт из-за тумана.",
			[]string{"Рейс отменён, т. к. Аэропорт Алматы закрыт из-за тумана."}},
		{"и т.д. ends a sentence", "Закупили зерно, муку, сахар и т.д. Поставки начнутся в мае.",
			[]string{"Закупили зерно, муку, сахар и т.д.", "Поставки начнутся в мае."}},
		{"и т. п. spaced ends a sentence", "Ввезли технику, запчасти и т. п. Таможня проверила всё.",
			[]string{"Ввезли технику, запчасти и т. п.", "Таможня проверила всё."}},
		{"и др. ends a sentence", "Прибыли министры, депутаты и др. Встреча длилась час.",
			[]string{"Прибыли министры, депутаты и др.", "Встреча длилась час."}},
		{"и пр. ends a sentence", "Обсудили тарифы, налоги и пр. Решения примут позже.",
			[]string{"Обсудили тарифы, налоги и пр.", "Решения примут позже."}},
		{"г. city", "Он прибыл в г. Астана. Встреча прошла успешно.",
			[]string{"Он прибыл в г. Астана.", "Встреча прошла успешно."}},
		{"г. year then lower case", "В 2024 г. в Астане открылись три школы.",
			[]string{"В 2024 г. в Астане открылись три школы."}},
		{"г. year then capitalised subject", "В 2024 г. Казахстан экспортировал 10 млн т зерна.",
			[]string{"В 2024 г. Казахстан экспортировал 10 млн т зерна."}},
		{"г. year ends a sentence before a starter", "Это произошло в 2023 г. В этом году рост продолжился.",
			[]string{"Это произошло в 2023 г.", "В этом году рост продолжился."}},
		{"гг.", "В 2020–2022 гг. Экспорт нефти вырос вдвое.",
			[]string{"В 2020–2022 гг. Экспорт нефти вырос вдвое."}},
		{"им.", "КазНУ им. Аль-Фараби вошёл в рейтинг QS. Это лучший результат.",
			[]string{"КазНУ им. Аль-Фараби вошёл в рейтинг QS.", "Это лучший результат."}},
		{"ул.", "Офис переехал на ул. Достык. Приём граждан возобновится в понедельник.",
			[]string{"Офис переехал на ул. Достык.", "Приём граждан возобновится в понедельник."}},
		{"пр.", "Пробки на пр. Абылай хана растянулись на 3 км.",
			[]string{"Пробки на пр. Абылай хана растянулись на 3 км."}},
		{"р. river and руб.", "Уровень воды в р. Урал растёт. Акции подорожали на 3 руб. Инвесторы довольны.",
			[]string{"Уровень воды в р. Урал растёт.", "Акции подорожали на 3 руб.", "Инвесторы довольны."}},
		{"р. unit", "Цена выросла до 95 р. Покупатели недовольны.",
			[]string{"Цена выросла до 95 р.", "Покупатели недовольны."}},
		{"млрд. before a capital ends", "Выручка составила 12 млрд. Компания планирует рост.",
			[]string{"Выручка составила 12 млрд.", "Компания планирует рост."}},
		{"млн. before an acronym", "Сделка на 5 млн. USD закрыта.", []string{"Сделка на 5 млн. USD закрыта."}},
		{"млн. before a number", "Выделено 5 млн. 300 тыс. тенге.", []string{"Выделено 5 млн. 300 тыс. тенге."}},
		{"тыс. трлн.", "Зарплата выросла на 20 тыс. Бюджет превысил 25 трлн. Это рекорд.",
			[]string{"Зарплата выросла на 20 тыс.", "Бюджет превысил 25 трлн.", "Это рекорд."}},
		{"в т. ч. spaced", "Экспорт вырос, в т. ч. Казахстан нарастил поставки. Импорт упал.",
			[]string{"Экспорт вырос, в т. ч. Казахстан нарастил поставки.", "Импорт упал."}},
		{"two units in a row", "Стоимость — 5 тыс. тг. Покупателей много.",
			[]string{"Стоимость — 5 тыс. тг.", "Покупателей много."}},
		{"обл.", "Паводок в Актюбинской обл. Эвакуированы 300 человек.",
			[]string{"Паводок в Актюбинской обл.", "Эвакуированы 300 человек."}},
		{"обл. before an acronym", "Паводок в Актюбинской обл. РК затронул 5 сёл.",
			[]string{"Паводок в Актюбинской обл. РК затронул 5 сёл."}},
		{"р-н.", "Отключения света в Алмалинском р-н. Энергетики устраняют аварию.",
			[]string{"Отключения света в Алмалинском р-н.", "Энергетики устраняют аварию."}},
		{"проф. акад.", "Лекцию прочёл проф. Ахметов, а акад. Сатпаев стал героем фильма.",
			[]string{"Лекцию прочёл проф. Ахметов, а акад. Сатпаев стал героем фильма."}},
		{"ст.", "Дело возбуждено по ст. 190 УК РК. Подозреваемый задержан.",
			[]string{"Дело возбуждено по ст. 190 УК РК.", "Подозреваемый задержан."}},
		{"см. reference", "Подробнее см. Приложение 2 к приказу.", []string{"Подробнее см. Приложение 2 к приказу."}},
		{"см. unit", "Уровень воды поднялся на 40 см. Спасатели дежурят.",
			[]string{"Уровень воды поднялся на 40 см.", "Спасатели дежурят."}},
		{"напр.", "Ряд стран, напр. Узбекистан, поддержал проект.",
			[]string{"Ряд стран, напр. Узбекистан, поддержал проект."}},
		{"ок.", "На митинг вышли ок. 200 человек.", []string{"На митинг вышли ок. 200 человек."}},
		{"св.", "Собор св. Николая в Алматы отреставрируют.", []string{"Собор св. Николая в Алматы отреставрируют."}},
		{"д.", "Пожар в д. 15 по ул. Абая потушен.", []string{"Пожар в д. 15 по ул. Абая потушен."}},
		{"мин. unit", "Тушение заняло 40 мин. Пострадавших нет.", []string{"Тушение заняло 40 мин.", "Пострадавших нет."}},
		{"до н. э.", "Курган датируют V в. до н. э. Находку передали в музей.",
			[]string{"Курган датируют V в. до н. э. Находку передали в музей."}},
		{"abbreviation capitalised at sentence start", "Ул. Абая закроют на ремонт.",
			[]string{"Ул. Абая закроют на ремонт."}},

		// Kazakh.
		{"ж.", "2024 ж. Астанада 12 мектеп ашылды.", []string{"2024 ж. Астанада 12 мектеп ашылды."}},
		{"ж. before a starter", "Зауыт 2023 ж. іске қосылды. Бұл жобаны Тоқаев қолдады.",
			[]string{"Зауыт 2023 ж. іске қосылды.", "Бұл жобаны Тоқаев қолдады."}},
		{"т.б.", "Астық, ұн, қант т.б. Экспорт көлемі өсті.", []string{"Астық, ұн, қант т.б.", "Экспорт көлемі өсті."}},
		{"т.с.с.", "Көкөніс, жеміс т.с.с. Бағалар тұрақты.", []string{"Көкөніс, жеміс т.с.с.", "Бағалар тұрақты."}},
		{"б.з.д.", "Қорған б.з.д. V ғасырға жатады.", []string{"Қорған б.з.д. V ғасырға жатады."}},
		{"млрд. before an acronym", "Инвестиция көлемі 2 млрд. АҚШ долларын құрады.",
			[]string{"Инвестиция көлемі 2 млрд. АҚШ долларын құрады."}},
		{"мың.", "Жалақы 50 мың. Бұл өткен жылдан көп.", []string{"Жалақы 50 мың.", "Бұл өткен жылдан көп."}},
		{"облысы is a word", "Тасқын қаупі сақталып отыр: Ақтөбе облысы. Құтқарушылар дайын.",
			[]string{"Тасқын қаупі сақталып отыр: Ақтөбе облысы.", "Құтқарушылар дайын."}},

		// English.
		{"titles", "Mr. Smith met Dr. Brown and Prof. Lee in Astana. Mrs. Smith and Ms. Jones joined later.",
			[]string{"Mr. Smith met Dr. Brown and Prof. Lee in Astana.", "Mrs. Smith and Ms. Jones joined later."}},
		{"U.S. before a noun", "The U.S. Treasury imposed sanctions on two Kyrgyz banks.",
			[]string{"The U.S. Treasury imposed sanctions on two Kyrgyz banks."}},
		{"U.S. ends a sentence", "Kazatomprom signed a supply deal with the U.S. The agreement runs to 2030.",
			[]string{"Kazatomprom signed a supply deal with the U.S.", "The agreement runs to 2030."}},
		{"U.K. U.N.", "The U.K. Foreign Office and the U.N. Security Council discussed Afghanistan.",
			[]string{"The U.K. Foreign Office and the U.N. Security Council discussed Afghanistan."}},
		{"e.g. i.e. vs.", "Neighbours, e.g. Uzbekistan, joined, i.e. Tashkent signed; Kazakhstan vs. Kyrgyzstan ends 2:1.",
			[]string{"Neighbours, e.g. Uzbekistan, joined, i.e. Tashkent signed; Kazakhstan vs. Kyrgyzstan ends 2:1."}},
		{"bn.", "The fund raised $1.5 bn. The figure is a record, but $2 bn. USD was the goal.",
			[]string{"The fund raised $1.5 bn.", "The figure is a record, but $2 bn. USD was the goal."}},
		{"etc. ends a sentence", "Exports include wheat, flour, oil etc. Shipments start in May.",
			[]string{"Exports include wheat, flour, oil etc.", "Shipments start in May."}},
		{"No. with a number", "Kazatomprom remains the world's No. 1 uranium producer.",
			[]string{"Kazatomprom remains the world's No. 1 uranium producer."}},
		{"no. as a word", "The minister said no. Then he left the talks.",
			[]string{"The minister said no.", "Then he left the talks."}},
		{"months", "On Jan. 15 and Sept. 3 the ministry reported. Nov. 1 is next.",
			[]string{"On Jan. 15 and Sept. 3 the ministry reported.", "Nov. 1 is next."}},
		{"a.m. p.m.", "Polls open at 7 a.m. Astana time and close at 8 p.m. The turnout was 60%.",
			[]string{"Polls open at 7 a.m. Astana time and close at 8 p.m.", "The turnout was 60%."}},
		{"St. Jr. Inc. Ltd. Co. Corp.", "Cameco Corp. Chief Tim Gitzel met Air Astana Co. Ltd. officials on St. Petersburg Ave. with M. King Jr. Boulevard staff.",
			[]string{"Cameco Corp. Chief Tim Gitzel met Air Astana Co. Ltd. officials on St. Petersburg Ave. with M. King Jr. Boulevard staff."}},
		{"Inc. ends a sentence before a starter", "The mine is run by Cameco Inc. The company declined to comment.",
			[]string{"The mine is run by Cameco Inc.", "The company declined to comment."}},
	})
}

func TestSentencesInitialsNumbersAddresses(t *testing.T) {
	runSplitCases(t, []splitCase{
		{"ru initial", "Н. Назарбаев посетил Туркестан. Визит продлился два дня.",
			[]string{"Н. Назарбаев посетил Туркестан.", "Визит продлился два дня."}},
		{"two initials", "Указ подписал Ш. М. Мирзиёев.", []string{"Указ подписал Ш. М. Мирзиёев."}},
		{"hyphenated initials", "Указ подписал К.-Ж. Токаев. Документ опубликован.",
			[]string{"Указ подписал К.-Ж. Токаев.", "Документ опубликован."}},
		{"joined initials", "Указ подписал К.Ж. Токаев.", []string{"Указ подписал К.Ж. Токаев."}},
		{"kk initial", "Қ. Тоқаев Астанада инвесторлармен кездесті.", []string{"Қ. Тоқаев Астанада инвесторлармен кездесті."}},
		{"en initials", "The Hobbit by J. R. R. Tolkien sold out in Almaty. A reprint is due.",
			[]string{"The Hobbit by J. R. R. Tolkien sold out in Almaty.", "A reprint is due."}},
		{"initial ends a sentence before a starter", "Победила команда группы Б. В финале она сыграет с Узбекистаном.",
			[]string{"Победила команда группы Б.", "В финале она сыграет с Узбекистаном."}},
		{"decimal percent", "Инфляция составила 8.5% за год.", []string{"Инфляция составила 8.5% за год."}},
		{"thousands separators", "Население достигло 20.000.000 человек.", []string{"Население достигло 20.000.000 человек."}},
		{"date", "Закон вступил в силу 12.05.2024 года.", []string{"Закон вступил в силу 12.05.2024 года."}},
		{"percent ends a sentence", "Инфляция замедлилась до 8.5%. Это минимум за три года.",
			[]string{"Инфляция замедлилась до 8.5%.", "Это минимум за три года."}},
		{"growth ends a sentence", "Добыча урана выросла на 5%. Это рекорд.", []string{"Добыча урана выросла на 5%.", "Это рекорд."}},
		{"date ends a sentence", "Срок подачи заявок истёк 12.05.2024. Итоги объявят позже.",
			[]string{"Срок подачи заявок истёк 12.05.2024.", "Итоги объявят позже."}},
		{"number ends a sentence", "Курс доллара составил 470.5. Это максимум года.",
			[]string{"Курс доллара составил 470.5.", "Это максимум года."}},
		{"domains", "Подробности читайте на kursiv.media и Orda.kz в разделе «Экономика».",
			[]string{"Подробности читайте на kursiv.media и Orda.kz в разделе «Экономика»."}},
		{"e-mail at the end of a sentence", "Пишите на info@orda.kz. Редакция ответит.",
			[]string{"Пишите на info@orda.kz.", "Редакция ответит."}},
		{"url with query", "Документ: https://www.gov.kz/memleket/entities/energo/press/news/details/123?lang=ru. Ведомство ответит.",
			[]string{"Документ: https://www.gov.kz/memleket/entities/energo/press/news/details/123?lang=ru.", "Ведомство ответит."}},
		{"url with dots and question mark", "Read more at https://timesca.com/?p=1.2 today.",
			[]string{"Read more at https://timesca.com/?p=1.2 today."}},
		{"list numbers", "1. Казатомпром увеличил добычу. 2. Цены на уран выросли.",
			[]string{"1. Казатомпром увеличил добычу.", "2. Цены на уран выросли."}},
		{"roman list numbers", "II. Экономика. III. Политика.", []string{"II. Экономика.", "III. Политика."}},
		{"dateline", "АСТАНА. KAZINFORM – Глава государства провёл совещание. Обсуждались паводки.",
			[]string{"АСТАНА. KAZINFORM – Глава государства провёл совещание.", "Обсуждались паводки."}},
	})
}
