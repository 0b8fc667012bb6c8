package words

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  \n\t ", nil},
		{"«Казатомпром» увеличил добычу", []string{"казатомпром", "увеличил", "добычу"}},
		{"„Kazatomprom“ and “KAP”", []string{"kazatomprom", "and", "kap"}},
		{"Нур-Султан", []string{"нур", "султан"}},
		{"Дарбаза — Мактаарал – Ташкент", []string{"дарбаза", "мактаарал", "ташкент"}},
		{"Taliban’s envoy", []string{"taliban's", "envoy"}},
		{"'quoted' and ‘single’", []string{"quoted", "and", "single"}},
		{"rock'n'roll", []string{"rock'n'roll"}},
		{"a''b", []string{"a", "b"}},
		{"90's", []string{"90", "s"}}, // an apostrophe stays only between letters
		{"O‘zbekiston Respublikasi", []string{"o'zbekiston", "respublikasi"}},
		{"12% в 2024 году", []string{"12", "в", "2024", "году"}},
		{"COVID-19, 5G и 3,5 млн", []string{"covid", "19", "5g", "и", "3", "5", "млн"}},
		{"ҚР-дың БҰҰ-ға", []string{"қр", "дың", "бұұ", "ға"}},
		{"ЁЛКА", []string{"елка"}},
		{"за́мок", []string{"замок"}},
		{"Казатом\u00adпром", []string{"казатомпром"}},
		{"уран\u200bнефть", []string{"уран", "нефть"}},
		{"Noe\u0308l", []string{"noël"}},
		{" \u0301abc", []string{"abc"}}, // a mark with no letter before it is dropped
		{"https://orda.kz/news?id=5&utm=x", []string{"https", "orda", "kz", "news", "id", "5", "utm", "x"}},
		{"🔥Срочно🔥: #Астана @akorda", []string{"срочно", "астана", "akorda"}},
		{"a\xffb", []string{"a", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Tokenize(tc.in)); diff != "" {
				t.Errorf("Tokenize(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}
