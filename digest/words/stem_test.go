package words

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"
)

func TestStem(t *testing.T) {
	tests := []struct {
		word, lang, want string
	}{
		{"Урана", "ru", "ура"},
		{"урана", "", "ура"},
		{"урана", "en", "ура"}, // the script decides, not lang
		{"нефти", "ru", "нефт"},
		{"Астанада", "ru", "астанад"}, // Russian text: Snowball
		{"Астанада", "kk", "астана"},
		{"Астанада", "kk-KZ", "астана"},
		{"Қазақстанда", "ru", "қазақстан"}, // a Kazakh letter makes it Kazakh whatever lang says
		{"Қазақстанда", "", "қазақстан"},
		{"экспорттық", "kk", "экспорт"},
		{"кітабы", "", "кітап"},
		{"sanctions", "", "sanction"},
		{"Taliban’s", "en", "taliban"},
		{"Kazatomprom's", "kk", "kazatomprom"}, // Latin is English whatever lang says
		{"2024", "ru", "2024"},
		{"北京", "", "北京"},
		{"Kaзатомпром", "ru", "kaзатомпром"}, // mixed scripts (Latin K): folded, not stemmed
		{"", "ru", ""},
	}
	for _, tc := range tests {
		if got := Stem(tc.word, tc.lang); got != tc.want {
			t.Errorf("Stem(%q, %q) = %q, want %q", tc.word, tc.lang, got, tc.want)
		}
	}
}

// TestStemKeys checks the premise of the Matcher's Snowball pre-filter: a word always starts with
// one of the stemKeys of its own stem.
func TestStemKeys(t *testing.T) {
	words := []string{
		// English, including the stemmer's special cases and its y → i.
		"dying", "lying", "tying", "skies", "sky", "happy", "happiness", "agreed", "hoping", "hopping",
		"generously", "news", "kazakhstan's", "taliban's", "o'zbekiston", "uranium", "sanctions",
		"exported", "exporting", "railways", "inflationary", "organization", "bias", "atlas", "ugly",
		"early", "only", "idly", "gently", "singly", "cosmos", "andes", "howe", "spy", "cry", "ties",
		"by", "a", "i", "yes", "yield", "abyss",
		// Russian.
		"урана", "уран", "нефтью", "токаев", "казатомпромом", "правительства", "ценности",
		"крупнейший", "подорожали", "санкций", "интересующимися", "его", "ее", "оао",
	}
	for _, tc := range testTexts {
		words = append(words, Tokenize(tc)...)
	}
	for _, w := range words {
		scr := scriptOf(w)
		var stem string
		switch scr {
		case scriptCyrillic:
			stem = russian.Stem(w, true)
		case scriptLatin:
			stem = english.Stem(w, true)
		default:
			continue
		}
		ok := false
		for _, k := range stemKeys(stem, scr) {
			ok = ok || strings.HasPrefix(w, k)
		}
		if !ok {
			t.Errorf("%q (stem %q) starts with none of %q", w, stem, stemKeys(stem, scr))
		}
	}
}

// testTexts are headlines in the three languages, shared by several tests.
var testTexts = []string{
	"«Казатомпром» увеличил добычу урана на 12% в первом квартале",
	"Токаев поручил Нацбанку снизить инфляцию до 5% к концу 2025 года",
	"Паводок на реке Урал: в Атырауской области эвакуированы 1200 человек",
	"Правительство Кыргызстана повысило экспортные пошлины на скот",
	"Мирзиёев и Токаев обсудили строительство железной дороги Дарбаза — Мактаарал",
	"Тоқаев Астанада шетелдік инвесторлармен кездесті",
	"Астықтың экспорттық бажы алынып тасталды",
	"Ұлттық банк базалық мөлшерлемені 15,25% деңгейінде қалдырды",
	"Қазақстан халқы 20 миллионнан асты",
	"Kazatomprom signs uranium supply deal with China's CNNC",
	"Taliban’s delegation arrives in Tashkent for Trans-Afghan railway talks",
	"Kyrgyzstan's central bank raises its key rate amid inflation fears",
	"Uzbekistan exported $1.2bn of gold in Q1, the statistics agency says",
}

func FuzzStem(f *testing.F) {
	for _, tc := range testTexts {
		for _, w := range Tokenize(tc) {
			f.Add(w, "")
		}
	}
	f.Add("кітабы", "kk")
	f.Add("ь", "kk")
	f.Add("\xff", "ru")
	f.Fuzz(func(t *testing.T, word, lang string) {
		got := Stem(word, lang)
		if !utf8.ValidString(got) {
			t.Errorf("Stem(%q, %q) = %q, not valid UTF-8", word, lang, got)
		}
	})
}
