package words

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTerms(t *testing.T) {
	tests := []struct {
		text, lang string
		want       []string
	}{
		{"«Казатомпром» увеличил добычу урана в 2024 году, а экспорт урана вырос на 5%", "ru",
			[]string{"казатомпр", "увелич", "добыч", "ура", "2024", "экспорт", "вырос"}},
		{"Тоқаев Астанада экспорттық баж туралы заңға қол қойды", "kk",
			[]string{"тоқаев", "астана", "экспорт", "баж", "заң", "қол", "қой"}},
		{"Тоқаев Астанада экспорттық баж туралы заңға қол қойды", "",
			[]string{"тоқаев", "астана", "экспорт", "баж", "заң", "қол", "қой"}},
		{"Kazatomprom's uranium exports to China rose by 12% in the first quarter", "en",
			[]string{"kazatomprom", "uranium", "export", "china", "rose", "12", "first", "quarter"}},
		{"и в на, the of and, және мен үшін", "", nil},
		{"", "ru", nil},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Terms(tc.text, tc.lang)); diff != "" {
				t.Errorf("Terms(%q, %q) mismatch (-want +got):\n%s", tc.text, tc.lang, diff)
			}
		})
	}
}

// TestTermsOverlap checks what de-duplication relies on: two outlets' wordings of one story share
// most terms, an unrelated story shares almost none.
func TestTermsOverlap(t *testing.T) {
	a := Terms("Токаев подписал указ о повышении пошлин на экспорт скота", "ru")
	b := Terms("Президент Токаев подписал указ, повышающий пошлины на экспорт скота", "ru")
	c := Terms("В Алматы открылся новый терминал аэропорта", "ru")
	if n := overlap(a, b); n < 5 {
		t.Errorf("same story shares %d terms, want at least 5:\n%q\n%q", n, a, b)
	}
	if n := overlap(a, c); n > 0 {
		t.Errorf("unrelated stories share %d terms:\n%q\n%q", n, a, c)
	}
	ka := Terms("Үкімет мал экспортына баж енгізді", "kk")
	kb := Terms("Үкімет малды экспорттауға баж салды", "kk")
	if n := overlap(ka, kb); n < 3 {
		t.Errorf("same Kazakh story shares %d terms, want at least 3:\n%q\n%q", n, ka, kb)
	}
}

func overlap(a, b []string) int {
	n := 0
	for _, x := range a {
		for _, y := range b {
			if x == y {
				n++
			}
		}
	}
	return n
}
