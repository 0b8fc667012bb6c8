package summary

import (
	"strings"
	"testing"
	"time"
)

var fuzzSeeds = []string{
	"",
	"«Казатомпром» увеличил добычу урана на 5%. Это рекорд за десять лет.",
	"«Мы готовы. Мы ждём предложений», — сказал министр. Переговоры начнутся в мае.",
	"Указ подписал К.-Ж. Токаев. Документ опубликован на 12.05.2024 в 10 ч. утра.",
	"Тоқаев Астанада шетелдік инвесторларды қабылдады. Бұл туралы Ақорда хабарлады.",
	`He said "No." Then the U.S. Treasury imposed sanctions, e.g. on Kyrgyz banks etc. The end`,
	"https://kz.kursiv.media/2024-05-12/kazatomprom-uvelichil-dobychu-urana/",
	"— — — «» ?! … e\u0301e\u0301 \u200d👩\u200d👩\u200d👧 Ураг\xff\xfeн\u00a0\u00ad",
	"1. АСТАНА. KAZINFORM – Глава государства. 2. Пишите на info@orda.kz. Редакция ответит.",
}

func FuzzLead(f *testing.F) {
	for _, s := range fuzzSeeds {
		for _, m := range []int{0, 1, 2, 5, 20, 80, DefaultMax} {
			f.Add(s, m)
		}
	}
	f.Fuzz(func(t *testing.T, text string, max int) {
		// Keep max in a range where the interesting cuts happen.
		max %= 1000
		checkLead(t, text, max, Lead(text, max))
	})
}

func FuzzSentences(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := Sentences(text)
		for i, s := range got {
			if s == "" || strings.TrimSpace(s) != s {
				t.Fatalf("Sentences(%q)[%d] = %q: empty or untrimmed", text, i, s)
			}
		}
		if joined, norm := strings.Join(got, " "), Normalize(text); joined != norm {
			t.Fatalf("Sentences(%q) joined = %q, want the normalised text %q", text, joined, norm)
		}
	})
}

func FuzzSummarize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add("Казатомпром увеличил добычу", s, s, 120)
	}
	f.Fuzz(func(t *testing.T, title, description, content string, max int) {
		max %= 1000
		got := Summarize(title, description, content, max)
		if max < 1 && got != "" {
			t.Fatalf("Summarize(…, %d) = %q, want empty", max, got)
		}
		if n := len([]rune(got)); n > max && max >= 0 {
			t.Fatalf("Summarize(%q, %q, %q, %d) = %q: %d runes", title, description, content, max, got, n)
		}
	})
}

// TestPathologicalInputs guards against quadratic behaviour: each input is
// about 200 KB, and a quadratic scan of any of them takes minutes.
func TestPathologicalInputs(t *testing.T) {
	inputs := map[string]string{
		"stray openers and closers": strings.Repeat("«", 50000) + strings.Repeat("” ", 50000),
		"terminators without words": strings.Repeat("! ", 100000),
		"abbreviations":             strings.Repeat("т. е. ", 35000),
		"dashes":                    "Да. " + strings.Repeat("— ", 100000) + "нет.",
		"one long word":             strings.Repeat("а", 200000),
		"spaced punctuation":        strings.Repeat("- ", 100000) + "слово",
		"read more":                 strings.Repeat("Подробнее. ", 20000),
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			Sentences(in)
			Lead(in, 200000)
			Summarize("Подробнее", in, in, DefaultMax)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}
