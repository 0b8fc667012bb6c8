package words

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func addSeeds(f *testing.F) {
	for _, s := range testTexts {
		f.Add(s)
	}
	for _, s := range []string{"", "'", "a'", "'a", "a''b", "Е\u0301\u0308", " \u0301x", "\xff\xfe",
		"ǅ", "İ", "Казатом\u00adпром", "ﬁ", "\u0345", "ᾼ", "Ω", "ΐ"} {
		f.Add(s)
	}
}

// FuzzTokenize checks that Tokenize never panics and that its tokens are non-empty, folded, made
// of word characters only, and tokenize back to themselves.
func FuzzTokenize(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokenize(s)
		for _, tok := range toks {
			if tok == "" {
				t.Fatalf("Tokenize(%q) returned an empty token", s)
			}
			if !utf8.ValidString(tok) {
				t.Fatalf("Tokenize(%q): token %q is not valid UTF-8", s, tok)
			}
			if f := Fold(tok); f != tok {
				t.Fatalf("Tokenize(%q): token %q is not folded (Fold gives %q)", s, tok, f)
			}
			first, _ := utf8.DecodeRuneInString(tok)
			last, _ := utf8.DecodeLastRuneInString(tok)
			if first == '\'' || last == '\'' {
				t.Fatalf("Tokenize(%q): token %q starts or ends with an apostrophe", s, tok)
			}
			for _, r := range tok {
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me) && r != '\'' {
					t.Fatalf("Tokenize(%q): token %q holds separator %U", s, tok, r)
				}
			}
		}
		if again := Tokenize(strings.Join(toks, " ")); !slices.Equal(again, toks) {
			t.Fatalf("Tokenize(%q) = %q, but tokenizing those again gives %q", s, toks, again)
		}
	})
}

// FuzzFold checks that Fold never panics, yields valid UTF-8 and is idempotent.
func FuzzFold(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Fold(%q) = %q, invalid UTF-8", s, got)
		}
		if again := Fold(got); again != got {
			t.Fatalf("Fold(%q) = %q, Fold again = %q", s, got, again)
		}
	})
}

// FuzzMatch checks that Match never panics and returns sorted, distinct keys of the Matcher, and
// that Terms never panics.
func FuzzMatch(f *testing.F) {
	addSeeds(f)
	m := NewMatcher(topics)
	f.Fuzz(func(t *testing.T, s string) {
		for _, lang := range []string{"ru", "kk", "en", ""} {
			got := m.Match(s, lang)
			if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
				t.Fatalf("Match(%q, %q) = %q, not sorted and distinct", s, lang, got)
			}
			for _, k := range got {
				if _, ok := topics[k]; !ok {
					t.Fatalf("Match(%q, %q) returned unknown key %q", s, lang, k)
				}
			}
			Terms(s, lang)
		}
	})
}
