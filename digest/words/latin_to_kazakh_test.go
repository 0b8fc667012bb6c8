package words

import "testing"

func TestLatinToKazakh(t *testing.T) {
	for in, want := range map[string]string{
		"qazaqstan":          "қазақстан",
		"astanada":           "астанада",
		"ükımet":             "үкімет",
		"toqaev":             "тоқаев",
		"qazaqstannyñ":       "қазақстанның",
		"şymkent":            "шымкент",
		"ūlttyq bank":        "ұлттық банк",
		"mūnai":              "мұнаи",
		"kazakhstan":         "казакхстан",
		"tsement":            "цемент",
		"sanctions":          "", // c: English, not Kazakh Latin
		"washington":         "",
		"":                   "",
		"2026 jyly":          "2026 жылы",
		"qazaqstan-2050":     "қазақстан-2050",
		"ässalaumağaleikum!": "әссалаумағалеикум!",
	} {
		if got := LatinToKazakh(in); got != want {
			t.Errorf("LatinToKazakh(%q) = %q, want %q", in, got, want)
		}
	}
	// What KazakhToLatin writes, LatinToKazakh reads back (for words without и/й and у/ұ/ү merges).
	for _, w := range []string{"қазақстан", "астана", "ғылым", "тоқаев", "шымкент", "өскемен", "әкім"} {
		if got := LatinToKazakh(Fold(KazakhToLatin(w))); got != w {
			t.Errorf("round trip %q → %q → %q", w, KazakhToLatin(w), got)
		}
	}
}
