package words

import (
	"testing"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"уран", "уран"},
		{"KAZATOMPROM", "kazatomprom"},
		{"ЁЛКА и ёж", "елка и еж"},
		{"Е\u0308лка", "елка"}, // decomposed Ё
		{"Taliban’s", "taliban's"},
		{"Taliban‘s Talibanʼs Taliban`s Taliban´s", "taliban's taliban's taliban's taliban's"},
		{"O‘zbekiston Oʻzbekiston", "o'zbekiston o'zbekiston"},
		{"ҚАЗАҚСТАН Әкімі ҰЛТТЫҚ", "қазақстан әкімі ұлттық"},
		{"за\u0301мок", "замок"},                   // stress mark over Cyrillic
		{"Е\u0301\u0308", "е"},                     // stress between е and its diaeresis
		{"и\u0306", "й"},                           // decomposed й composes
		{"cafe\u0301", "café"},                     // Latin accents are kept, composed
		{"Казатом\u00adпром", "казатомпром"},       // soft hyphen
		{"нефть\u200dгаз", "нефтьгаз"},             // zero-width joiner
		{"нефть\u200bгаз", "нефть газ"},            // zero-width space separates
		{"\u200eАстана\u200f", "астана"},           // bidi marks
		{"İstanbul", "istanbul"},                   // dotted capital I
		{"a\xffb", "a\ufffdb"},                     // invalid UTF-8
		{"«Нур-Султан» — №1", "«нур-султан» — №1"}, // punctuation is kept
	}
	for _, tc := range tests {
		got := Fold(tc.in)
		if got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if again := Fold(got); again != got {
			t.Errorf("Fold(Fold(%q)) = %q, not idempotent", tc.in, again)
		}
	}
}

func TestFoldAlreadyFoldedDoesNotAllocate(t *testing.T) {
	for _, s := range []string{"казатомпром увеличил добычу урана", "taliban's envoy", "тоқаев астанада"} {
		if got := Fold(s); unsafe.StringData(got) != unsafe.StringData(s) {
			t.Errorf("Fold(%q) returned a copy", s)
		}
		if n := testing.AllocsPerRun(100, func() { Fold(s) }); n != 0 {
			t.Errorf("Fold(%q) allocates %v times", s, n)
		}
	}
}

// TestFoldEveryRune checks that Fold is idempotent and yields valid UTF-8 for every assigned rune
// alone and after a Cyrillic letter (where stress marks are dropped). The large blocks of CJK
// ideographs, which fold and normalise alike, are sampled to keep the test quick under -race.
func TestFoldEveryRune(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !unicode.IsGraphic(r) && !unicode.Is(unicode.Cf, r) && !unicode.IsControl(r) ||
			unicode.Is(unicode.Ideographic, r) && r%61 != 0 {
			continue
		}
		for _, s := range []string{string(r), "Д" + string(r)} {
			f := Fold(s)
			if !utf8.ValidString(f) {
				t.Fatalf("Fold(%q) = %q, invalid UTF-8", s, f)
			}
			if g := Fold(f); g != f {
				t.Fatalf("Fold(%q) = %q but Fold of that = %q", s, f, g)
			}
		}
	}
}

// TestNFCInert checks the premise of Fold's fast path: every rune nfcInert accepts is NFC on its own,
// has combining class 0 and combines with nothing on its left, so a string of them is NFC.
func TestNFCInert(t *testing.T) {
	for r := rune(0); r <= 0x2100; r++ {
		if !nfcInert(r) {
			continue
		}
		s := string(r)
		p := norm.NFC.PropertiesString(s)
		if !norm.NFC.IsNormalString(s) || !p.BoundaryBefore() || p.CCC() != 0 {
			t.Errorf("rune %U is not NFC-inert", r)
		}
	}
}
