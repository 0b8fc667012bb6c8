package summary

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLead(t *testing.T) {
	long := "Министерство энергетики Республики Казахстан сообщило, что в первом квартале 2024 г. добыча нефти и газового конденсата составила 23,4 млн тонн, что на 2,1% больше, чем за аналогичный период прошлого года, при этом экспорт сырой нефти вырос до 17,8 млн тонн, а поставки на внутренний рынок остались на прежнем уровне, несмотря на ремонт трёх крупных нефтеперерабатывающих заводов."
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"blank", "  \n\t", 300, ""},
		{"zero max", "Токаев прибыл в Ташкент.", 0, ""},
		{"negative max", "Токаев прибыл в Ташкент.", -5, ""},
		{"one sentence", "Токаев прибыл в Ташкент.", 300, "Токаев прибыл в Ташкент."},
		{"two sentences fit", "Токаев прибыл в Ташкент. Визит продлится два дня. Программа насыщенная.", 300,
			"Токаев прибыл в Ташкент. Визит продлится два дня."},
		{"second does not fit", "Токаев прибыл в Ташкент. Визит продлится два дня.", 30,
			"Токаев прибыл в Ташкент."},
		{"first exactly max", "Токаев прибыл в Ташкент. Визит продлится два дня.", 24,
			"Токаев прибыл в Ташкент."},
		{"two exactly max", "Токаев прибыл в Ташкент. Визит продлится два дня.", 49,
			"Токаев прибыл в Ташкент. Визит продлится два дня."},
		{"first one rune too long", "Токаев прибыл в Ташкент. Визит продлится два дня.", 23,
			"Токаев прибыл в…"},
		{"cut at the last word that fits", long, 60,
			"Министерство энергетики Республики Казахстан сообщило, что…"},
		{"cut drops a dangling comma", long, 55,
			"Министерство энергетики Республики Казахстан сообщило…"},
		{"cut keeps an abbreviation period", long, 85,
			"Министерство энергетики Республики Казахстан сообщило, что в первом квартале 2024 г.…"},
		{"space exactly at the limit", "Kazatomprom signs uranium deal with China National Nuclear Corporation.", 17,
			"Kazatomprom…"},
		{"cut drops a dangling dash and quote", "Глава Минэнерго заявил — «Казахстан увеличит добычу нефти в следующем году».", 30,
			"Глава Минэнерго заявил…"},
		{"abbreviation does not end the lead", "В 2024 г. Казахстан экспортировал 10 млн т зерна. Это рекорд.", 300,
			"В 2024 г. Казахстан экспортировал 10 млн т зерна. Это рекорд."},
		{"no terminator", "Тоқаев Астанада шетелдік инвесторларды қабылдады", 300,
			"Тоқаев Астанада шетелдік инвесторларды қабылдады"},
		{"no terminator too long", "Тоқаев Астанада шетелдік инвесторларды қабылдады", 20,
			"Тоқаев Астанада…"},
		{"normalises white space", "Токаев\u00a0прибыл\nв  Ташкент.\u200b Визит\tпродлится два дня.", 300,
			"Токаев прибыл в Ташкент. Визит продлится два дня."},
		{"single long word is cut hard", "https://kz.kursiv.media/2024-05-12/kazatomprom-uvelichil-dobychu-urana/", 20,
			"https://kz.kursiv.m…"},
		{"long first word after a dash", "— https://kz.kursiv.media/2024-05-12/kazatomprom/", 20,
			"— https://kz.kursiv…"},
		{"hard cut keeps combining marks whole", "e\u0301e\u0301e\u0301e\u0301e\u0301", 4,
			"e\u0301…"},
		{"max one", "Токаев прибыл в Ташкент.", 1, "…"},
		{"max two", "Токаев прибыл в Ташкент.", 2, "Т…"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Lead(tc.in, tc.max)
			if got != tc.want {
				t.Errorf("Lead(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
			checkLead(t, tc.in, tc.max, got)
		})
	}
}

// checkLead asserts the contract of Lead on any input: at most max runes, a
// prefix of the normalised input up to a trailing "…", and no word cut
// unless not even the first word fits.
func checkLead(t *testing.T, in string, max int, got string) {
	t.Helper()
	if max < 1 {
		if got != "" {
			t.Fatalf("Lead(%q, %d) = %q, want empty for max < 1", in, max, got)
		}
		return
	}
	if n := utf8.RuneCountInString(got); n > max {
		t.Fatalf("Lead(%q, %d) = %q: %d runes, more than max", in, max, got, n)
	}
	norm := Normalize(in)
	if norm == "" {
		if got != "" {
			t.Fatalf("Lead(%q, %d) = %q, want empty for blank text", in, max, got)
		}
		return
	}
	if got == "" {
		t.Fatalf("Lead(%q, %d) = \"\" for non-blank text", in, max)
	}
	p := strings.TrimSuffix(got, ellipsis)
	if !strings.HasPrefix(norm, p) {
		t.Fatalf("Lead(%q, %d) = %q: not a prefix of the normalised input %q", in, max, got, norm)
	}
	if p != got && p == norm {
		t.Fatalf("Lead(%q, %d) = %q: appended … to the whole text", in, max, got)
	}
	if len(p) == len(norm) || p == "" {
		return
	}
	last, _ := utf8.DecodeLastRuneInString(p)
	next, _ := utf8.DecodeRuneInString(norm[len(p):])
	if isWordRune(last) && isWordRune(next) {
		// Only a first word longer than max may be cut.
		if sp := strings.LastIndexByte(p, ' '); sp >= 0 && hasWordRuneString(p[:sp]) {
			t.Fatalf("Lead(%q, %d) = %q: cuts the word at %q although an earlier word boundary fits", in, max, got, p[sp:])
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"clean text is returned as is", "Тоқаев Астанада.", "Тоқаев Астанада."},
		{"trims and collapses", " \t Тоқаев\r\n\r\n  Астанада \u00a0", "Тоқаев Астанада"},
		{"exotic spaces", "a\u2009b\u202fc\u3000d\u2028e\u0085f", "a b c d e f"},
		{"invisible format characters", "Ка\u00adзатом\u200bпром\u2060\ufeff", "Казатомпром"},
		{"controls", "Uranium\x00 deal\x08s", "Uranium deals"},
		{"invalid UTF-8 becomes one replacement rune", "Ураг\xff\xfeн", "Ураг\ufffdн"},
		{"literal replacement rune is kept", "a\ufffdb", "a\ufffdb"},
		{"only invisible", "\u200b\u00ad", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if got := Normalize(tc.in); Normalize(got) != got {
				t.Errorf("Normalize is not idempotent on %q", tc.in)
			}
		})
	}
}
