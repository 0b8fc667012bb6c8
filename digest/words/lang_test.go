package words

import "testing"

func TestNormLang(t *testing.T) {
	tests := map[string]string{
		"ru": "ru", "RU": "ru", "ru-RU": "ru", "kk": "kk", "kk_KZ": "kk", "kz": "kk", " kk ": "kk",
		"en": "en", "en-GB": "en", "": "", "uz": "", "russian": "",
	}
	for in, want := range tests {
		if got := normLang(in); got != want {
			t.Errorf("normLang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKazakhTextGuess(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"Тоқаев Астанада шетелдік инвесторлармен кездесті", true},
		{"Үкімет бажды төмендетті", true},
		{"Президент Жолдауы жарияланды", false}, // no Kazakh letter at all: taken as Russian
		{"«Казатомпром» увеличил добычу урана на 12% в первом квартале", false},
		{"Фонд «Қазақстан халқына» выделил средства на лечение детей в Алматы и Шымкенте", false},
		{"Kazatomprom signs uranium deal", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := kazakhText("", Tokenize(tc.text)); got != tc.want {
			t.Errorf("kazakhText(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	if !kazakhText("kk", Tokenize("Kazatomprom signs uranium deal")) {
		t.Error(`kazakhText("kk", …) must trust the language`)
	}
	if kazakhText("ru", Tokenize("Тоқаев Астанада шетелдік инвесторлармен кездесті")) {
		t.Error(`kazakhText("ru", …) must trust the language`)
	}
}
