package words

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTermCacheAgreesWithTerms(t *testing.T) {
	texts := []struct{ text, lang string }{
		{"«Казатомпром» увеличил добычу урана на 15% в 2026 году", "ru"},
		{"Астанада экспорттық баждар төмендетілді", "kk"},
		{"Kazatomprom signs uranium supply deal with China's CNNC", "en"},
		{"Астанада жаңа мектеп ашылды", ""},
	}
	c := NewTermCache(5) // small: the cache is cleared while the texts are processed
	for round := range 3 {
		for _, tc := range texts {
			if diff := cmp.Diff(Terms(tc.text, tc.lang), c.Terms(tc.text, tc.lang)); diff != "" {
				t.Errorf("round %d, %q (-Terms +cache):\n%s", round, tc.text, diff)
			}
		}
	}
	if len(c.m) > 5 {
		t.Errorf("cache holds %d stems, more than its bound of 5", len(c.m))
	}
}
