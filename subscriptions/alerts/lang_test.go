package alerts

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"newsbot/digest/words"
)

// TestKazakhTextAgreesWithWords checks kazakhText against what words.Matcher does. The probe is
// "бажды": it matches the keyword "баж" by the Kazakh rule, and by no Russian one, so the matcher
// fires exactly when it treats the text's Cyrillic words as Kazakh.
func TestKazakhTextAgreesWithWords(t *testing.T) {
	probe := words.NewMatcher(map[string][]string{"k": {"баж"}})
	ru := []string{"правительство", "снизило", "пошлины", "на", "вывоз", "скота", "2024жылы", "ёлка"}
	kk := []string{"үкімет", "экспорттық", "бажын", "төмендетті", "қазақстан", "мәжіліс"}
	other := []string{"Kazatomprom", "2025", "cтрана" /* Latin с */, "Ђорђе", "їжак", "ӂ", "ᲀ", "ꙁемля", "ⷠ", "OR", "é"}
	var texts []string
	for nru := range 7 {
		for nkk := range 5 {
			for no := range 3 {
				var ws []string
				for i := range nru {
					ws = append(ws, ru[i%len(ru)])
				}
				for i := range nkk {
					ws = append(ws, kk[i%len(kk)])
				}
				for i := range no * 4 {
					ws = append(ws, other[(i+nru)%len(other)])
				}
				texts = append(texts, strings.Join(ws, " "))
			}
		}
	}
	langs := []string{"", "kk", "KK", "kz", "kk-KZ", "kk_KZ", " kk ", "ru", "ru-RU", "en", "EN_us", "uz", "kaz", "-", "russian"}
	for _, text := range texts {
		for _, lang := range langs {
			full := text + " — бажды"
			want := probe.Match(full, lang) != nil
			if got := kazakhText(lang, words.Tokenize(full)); got != want {
				t.Errorf("kazakhText(%q, %q) = %v, words.Matcher says %v", lang, full, got, want)
			}
		}
	}
}

// TestMatchesKeepFirstLetter checks the assumption the Index's buckets rest on: whenever
// words.Matcher matches a keyword word to a token, both start with the same letter. Keywords are
// the words of real-looking headlines and their prefixes; tokens are the same words.
func TestMatchesKeepFirstLetter(t *testing.T) {
	var texts []string
	for _, tc := range matchCases {
		texts = append(texts, tc.text, tc.query)
	}
	texts = append(texts, corpusTexts(t)...)
	toks := make(map[string]bool)
	kws := make(map[string]bool)
	for _, text := range texts {
		for _, w := range words.Tokenize(text) {
			toks[w] = true
			kws[w] = true
			// Prefixes make short keywords, as roots of longer tokens, and exercise the stems and
			// the Kazakh alternants of the roots.
			for n, i := 0, 0; i < len(w); n++ {
				_, size := utf8.DecodeRuneInString(w[i:])
				i += size
				if n >= 1 && n <= 6 {
					kws[w[:i]] = true
				}
			}
		}
	}
	sets := make(map[string][]string, len(kws))
	for kw := range kws {
		sets[kw] = []string{kw}
	}
	m := words.NewMatcher(sets)
	checked := 0
	for tok := range toks {
		for _, lang := range []string{"ru", "kk"} {
			for _, kw := range m.Match(tok, lang) {
				checked++
				if bucketOf(kw) != bucketOf(tok) {
					t.Errorf("keyword %q matches token %q (%s) but starts with another letter", kw, tok, lang)
				}
			}
		}
	}
	t.Logf("%d keywords, %d tokens, %d matching pairs", len(kws), len(toks), checked)
	if checked < 100 {
		t.Errorf("only %d matching pairs: the test checks too little", checked)
	}
}

func ExampleParse() {
	q, err := Parse("Kazatomprom уран OR uranium -Урал", Limits{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q)
	fmt.Println(q.Matches("«Казатомпром» увеличил добычу урана на 12%", "ru"))
	fmt.Println(q.Matches("Kazatomprom cuts uranium production guidance", "en"))

	_, err = Parse(`Kazatomprom "uranium deal`, Limits{})
	fmt.Println(err)
	// Output:
	// kazatomprom уран OR uranium -урал
	// true
	// true
	// the quote before "uranium deal" is never closed
}
