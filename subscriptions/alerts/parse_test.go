package alerts

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParse checks what valid queries mean, through their canonical and key forms.
func TestParse(t *testing.T) {
	tests := []struct {
		name, query string
		want        string // String()
		key         string // Key(), when it differs from want
	}{
		{"words", "uranium Kazakhstan", "uranium kazakhstan", "kazakhstan uranium"},
		{"case and ё folded", "Мирзиёев ТОКАЕВ", "мирзиеев токаев", "мирзиеев токаев"},
		{"extra spaces", "  уран \t  нефть\n", "уран нефть", "нефть уран"},
		{"commas separate", "uranium,Kazakhstan; oil", "uranium kazakhstan oil", "kazakhstan oil uranium"},
		{"phrase", `"central bank" rates`, `"central bank" rates`, `"central bank" rates`},
		{"guillemets", "«Казатомпром» добыча", "казатомпром добыча", "добыча казатомпром"},
		{"curly quotes", "“central bank”", `"central bank"`, ""},
		{"low-high quotes", "„Самрук-Казына“", `"самрук казына"`, ""},
		{"mixed quote marks pair up", `«central bank"`, `"central bank"`, ""},
		{"one-word phrase is a word", `"уран"`, "уран", ""},
		{"phrase punctuation inside", `"нефть, газ"`, `"нефть газ"`, ""},
		{"hyphenated word is a phrase", "Нур-Султан", `"нур султан"`, ""},
		{"phrase glued to a word", `уран"central bank"нефть`, `уран "central bank" нефть`, `"central bank" нефть уран`},
		{"apostrophe stays in the word", "Taliban's", "taliban's", ""},
		{"typographic apostrophe", "Taliban’s", "taliban's", ""},
		{"Kazakh letters", "Қазақстан Тоқаев", "қазақстан тоқаев", "тоқаев қазақстан"},
		{"OR", "уран OR uranium", "уран OR uranium", "uranium OR уран"},
		{"OR binds tighter than AND", "Kazatomprom уран OR uranium", "kazatomprom уран OR uranium", "kazatomprom uranium OR уран"},
		{"OR chain", "уран OR uranium OR Kazatomprom", "уран OR uranium OR kazatomprom", "kazatomprom OR uranium OR уран"},
		{"two OR groups", "a1 OR b2 c3 OR d4", "a1 OR b2 c3 OR d4", ""},
		{"OR between phrases", `"central bank" OR Нацбанк`, `"central bank" OR нацбанк`, `"central bank" OR нацбанк`},
		{"lower-case or", "уран or нефть", "уран OR нефть", "нефть OR уран"},
		{"Russian или", "уран ИЛИ нефть", "уран OR нефть", "нефть OR уран"},
		{"Kazakh немесе", "уран немесе мұнай", "уран OR мұнай", "мұнай OR уран"},
		{"quoted or is a word", `"rock or roll"`, `"rock or roll"`, ""},
		{"exclude", "уран -Урал", "уран -урал", ""},
		{"exclude first", "-Урал уран", "уран -урал", ""},
		{"exclude phrase", `Kazatomprom -"Uranium One"`, `kazatomprom -"uranium one"`, ""},
		{"exclude hyphenated", "Астана -Нур-Султан", `астана -"нур султан"`, ""},
		{"minus sign and dashes", "уран −Урал –Уралск —Оренбург", "уран -урал -уралск -оренбург", "уран -оренбург -урал -уралск"},
		{"exclude OR word", "уран -OR", "уран -or", ""},
		{"exclude function word kept", "uranium -the", "uranium -the", ""},
		{"double minus", "уран --Урал", "уран -урал", ""},
		{"NOT excludes", "уран NOT Урал", "уран -урал", ""},
		{"NOT before a phrase", `Kazatomprom NOT "Uranium One"`, `kazatomprom -"uranium one"`, ""},
		{"NOT first", "NOT Урал уран", "уран -урал", ""},
		{"NOT before an exclusion", "уран NOT -Урал", "уран -урал", ""},
		{"lower-case not is a function word", "uranium not Russia", "uranium russia", "russia uranium"},
		{"quoted NOT is a word", `уран "NOT"`, "уран", ""},
		{"AND is a function word", "uranium AND Kazakhstan", "uranium kazakhstan", "kazakhstan uranium"},
		{"parentheses ignored", "(уран OR uranium) Kazatomprom", "уран OR uranium kazatomprom", "kazatomprom uranium OR уран"},
		{"hyphen inside is not exclude", "уран-235", `"уран 235"`, ""},
		{"plus ignored", "+уран", "уран", ""},
		{"hashtag", "#Казатомпром", "казатомпром", ""},
		{"function words dropped", "uranium and the Kazakhstan", "uranium kazakhstan", "kazakhstan uranium"},
		{"function word alternative dropped", "уран OR и нефть", "уран нефть", "нефть уран"},
		{"Kazakh function word dropped", "Астана және Алматы", "астана алматы", "алматы астана"},
		{"single letter dropped", "Q уран", "уран", ""},
		{"function words kept in phrase", `"в Астане"`, `"в астане"`, ""},
		{"repeats collapse", "уран Уран УРАН", "уран", ""},
		{"repeated alternative", "уран OR уран", "уран", ""},
		{"repeated group", "уран OR нефть нефть OR уран", "уран OR нефть", "нефть OR уран"},
		{"implied group dropped", "уран уран OR нефть", "уран", ""},
		{"implied group dropped, either order", "уран OR нефть уран", "уран", ""},
		{"repeated exclusion", "уран -Урал -урал", "уран -урал", ""},
		{"excluded alternative removed", "уран OR нефть -нефть", "уран -нефть", ""},
		{"digits", "2025 бюджет", "2025 бюджет", ""},
		{"soft hyphen vanishes", "Казатом\u00adпром", "казатомпром", ""},
		{"non-breaking space separates", "уран\u00a0нефть", "уран нефть", "нефть уран"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Parse(tc.query, Limits{})
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.query, err)
			}
			if got := q.String(); got != tc.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tc.query, got, tc.want)
			}
			key := tc.key
			if key == "" {
				key = tc.want
			}
			if got := q.Key(); got != key {
				t.Errorf("Parse(%q).Key() = %q, want %q", tc.query, got, key)
			}
			again, err := Parse(q.String(), Limits{})
			if err != nil {
				t.Fatalf("Parse(%q) of the canonical form: %v", q.String(), err)
			}
			if !again.Equal(q) {
				t.Errorf("canonical form %q parses to %q", q.String(), again.String())
			}
		})
	}
}

// TestParseErrors checks each error, its fragment and its message.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, query string
		code        Code
		fragment    string
		message     string // a part of Error()
	}{
		{"empty", "", CodeEmpty, "", "at least one word"},
		{"blank", " \t\n ", CodeEmpty, "", "at least one word"},
		{"only exclusions", "-Урал -Оренбург", CodeOnlyExcluded, "-Урал -Оренбург", "not only words to leave out"},
		{"only function words", "the and", CodeTooCommon, "the and", "too common"},
		{"only a letter", "я", CodeTooCommon, "я", "too common"},
		{"function word and exclusion", "и -Урал", CodeTooCommon, "и", "too common"},
		{"unclosed quote", `Kazatomprom "uranium deal`, CodeUnclosedQuote, `"uranium deal`, `the quote before "uranium deal" is never closed`},
		{"unclosed guillemet", "«Казатомпром", CodeUnclosedQuote, "«Казатомпром", `before "Казатомпром"`},
		{"quote at the end", `uranium "`, CodeUnclosedQuote, `"`, `the quote after "uranium" is never closed`},
		{"lone quote", `"`, CodeUnclosedQuote, `"`, "the quote is never closed"},
		{"unclosed excluded phrase", `уран -"Урал`, CodeUnclosedQuote, `-"Урал`, `before "Урал"`},
		{"third quote", `"central bank" "rates`, CodeUnclosedQuote, `"rates`, `before "rates"`},
		{"empty quotes", `уран ""`, CodeEmptyQuote, `""`, "no words"},
		{"punctuation in quotes", `уран «…»`, CodeEmptyQuote, `«…»`, "no words"},
		{"punctuation word", "уран !!!", CodeNoLetters, "!!!", "no letters"},
		{"ampersand", "уран & нефть", CodeNoLetters, "&", "no letters"},
		{"emoji", "🔥 уран", CodeNoLetters, "🔥", "no letters"},
		{"excluded punctuation", "уран -!!!", CodeNoLetters, "-!!!", "no letters"},
		{"lone minus", "уран - Урал", CodeLoneMinus, "-", "right before the word"},
		{"minus at the end", "уран -", CodeLoneMinus, "-", "right before the word"},
		{"lone dash", "уран — Урал", CodeLoneMinus, "—", "right before the word"},
		{"NOT last", "уран NOT", CodeLoneMinus, "NOT", "right before the word"},
		{"NOT before OR", "уран NOT OR нефть", CodeLoneMinus, "NOT", "right before the word"},
		{"NOT then unclosed quote", `уран NOT "Урал`, CodeUnclosedQuote, `"Урал`, `before "Урал"`},
		{"NOT only", "NOT Урал", CodeOnlyExcluded, "NOT Урал", "not only words to leave out"},
		{"NOT into OR", "уран OR NOT Урал", CodeExcludedAlternative, "OR NOT Урал", "cannot be an alternative"},
		{"OR first", "OR уран", CodeDanglingOR, "OR", "between two alternatives"},
		{"OR last", "уран OR", CodeDanglingOR, "OR", "between two alternatives"},
		{"OR alone", "OR", CodeDanglingOR, "OR", "between two alternatives"},
		{"OR twice", "уран OR OR нефть", CodeDanglingOR, "OR", "between two alternatives"},
		{"или last", "уран или", CodeDanglingOR, "или", "или must stand"},
		{"OR before exclusion", "уран OR -Урал", CodeExcludedAlternative, "OR -Урал", "cannot be an alternative"},
		{"OR after exclusion", "-Урал OR уран", CodeExcludedAlternative, "-Урал OR", "cannot be an alternative"},
		{"contradiction", "уран -уран", CodeContradiction, "уран", "both wanted and excluded"},
		{"contradiction, other case", "Уран -УРАН", CodeContradiction, "уран", "both wanted and excluded"},
		{"contradiction of every alternative", `уран OR "central bank" -уран -"Central Bank"`, CodeContradiction, "уран", "never fire"},
		{"too long", strings.Repeat("уран ", 41), CodeTooLong, "", "at most 200 characters"},
		{"too many terms", "a1 b2 c3 d4 e5 f6 g7 h8 i9 j10 k11", CodeTooManyTerms, "", "at most 10 words"},
		{"exclusions count", "a1 b2 c3 d4 e5 f6 g7 h8 i9 -j10 -k11", CodeTooManyTerms, "", "at most 10"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Parse(tc.query, Limits{})
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want error %s", tc.query, q, tc.code)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %v is %T, want *Error", tc.query, err, err)
			}
			if e.Code != tc.code || e.Fragment != tc.fragment {
				t.Errorf("Parse(%q) = %s %q, want %s %q", tc.query, e.Code, e.Fragment, tc.code, tc.fragment)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("Parse(%q).Error() = %q, want it to contain %q", tc.query, err.Error(), tc.message)
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	phrase := func(last string) string { return `"` + strings.Repeat("ураны ", 32) + last + `"` }
	exactly200 := phrase("уранов")
	if n := len([]rune(exactly200)); n != 200 {
		t.Fatalf("test query has %d runes", n)
	}
	tests := []struct {
		name  string
		query string
		lim   Limits
		code  Code // "" for success
		limit int
	}{
		{"200 runes", exactly200, Limits{}, "", 0},
		{"201 runes", phrase("урановж"), Limits{}, CodeTooLong, 200},
		{"spaces around not counted", "  " + exactly200 + "  ", Limits{}, "", 0},
		{"custom length", "уран нефть", Limits{MaxLength: 9}, CodeTooLong, 9},
		{"custom length fits", "уран нефть", Limits{MaxLength: 10}, "", 0},
		{"10 terms", "a1 b2 c3 d4 e5 f6 g7 h8 i9 j10", Limits{}, "", 0},
		{"phrase is one term", `"a1 b2 c3 d4 e5 f6 g7 h8 i9 j10 k11 l12"`, Limits{}, "", 0},
		{"custom terms", "уран OR нефть газ", Limits{MaxTerms: 2}, CodeTooManyTerms, 2},
		{"negative means default", "уран", Limits{MaxLength: -1, MaxTerms: -5}, "", 0},
		// The canonical form quotes a hyphenated word, so it is longer than what was typed; it
		// must still fit, or it could not be parsed again.
		{"canonical form too long", strings.Repeat("а-б ", 3) + "вв", Limits{MaxLength: 13}, CodeTooLong, 13},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.query, tc.lim)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != tc.code || e.Limit != tc.limit {
				t.Fatalf("Parse(%q, %+v) = %v, want %s with limit %d", tc.query, tc.lim, err, tc.code, tc.limit)
			}
		})
	}
}

// TestErrorMessages checks that every code has its own message.
func TestErrorMessages(t *testing.T) {
	seen := make(map[string]Code)
	fallback := (&Error{Code: "unknown"}).Error()
	for _, c := range Codes() {
		msg := (&Error{Code: c, Fragment: "x", Limit: 1}).Error()
		if msg == fallback {
			t.Errorf("code %s has no message", c)
		}
		if other, dup := seen[msg]; dup {
			t.Errorf("codes %s and %s share the message %q", c, other, msg)
		}
		seen[msg] = c
	}
}

func TestQueryEqual(t *testing.T) {
	parse := func(s string) *Query {
		q, err := Parse(s, Limits{})
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		return q
	}
	a := parse("уран OR uranium Kazatomprom -Урал")
	if !cmp.Equal(a, parse("Уран OR URANIUM «Kazatomprom» −урал")) {
		t.Error("queries that differ in case, quotes and minus sign are not Equal")
	}
	if cmp.Equal(a, parse("uranium OR уран Kazatomprom -Урал")) {
		t.Error("queries in another order are Equal, but their String differs")
	}
	if a.Key() != parse("Kazatomprom -Урал uranium OR уран").Key() {
		t.Error("queries in another order have different Keys")
	}
	if a.Key() == parse("Kazatomprom uranium OR уран").Key() {
		t.Error("a query with an exclusion has the Key of one without")
	}
	if a.Key() == parse(`"uranium Kazatomprom" OR уран`).Key() {
		t.Error("a phrase has the Key of its words")
	}
	var nilQ *Query
	if !nilQ.Equal(nil) || nilQ.Equal(a) || a.Equal(nil) {
		t.Error("Equal mishandles nil")
	}
}

func TestCodesDistinct(t *testing.T) {
	codes := Codes()
	if len(slices.Compact(slices.Sorted(slices.Values(codes)))) != len(codes) {
		t.Errorf("Codes() has repeats: %v", codes)
	}
}
