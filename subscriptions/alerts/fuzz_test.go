package alerts

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func addQuerySeeds(f *testing.F) {
	for _, tc := range matchCases {
		f.Add(tc.query)
	}
	for _, s := range []string{
		"", " ", "OR", "-", "--", `"`, `""`, `"a`, `-"`, `«»`, "уран OR", "OR OR", "a OR -b", "-a OR b",
		"уран -уран", "the", "и или и", `"или"`, "-OR", "уран—Урал", "уран —Урал", "\xff\xfe", "уран\x00нефть",
		"Казатом\u00adпром", "e\u0301", "🔥", "#", "a-b-c-d-e-f", `“central bank”`, "„Самрук“", "Taliban's",
		strings.Repeat("уран ", 50), strings.Repeat("а-", 70), "уран,,,нефть;;газ", "\u200bуран",
		`-"Uranium One" OR`, "Нур-Султан OR Астана -«Астана Моторс»", "NOT", "NOT NOT x", "уран NOT OR b",
		`a NOT "b`, "NOT -OR", "x NOT,y",
	} {
		f.Add(s)
	}
}

// FuzzParse checks that Parse never panics, that its errors are *Error values with a known code,
// and that a parsed query's String parses again, within the same limits, to an equal query.
func FuzzParse(f *testing.F) {
	addQuerySeeds(f)
	known := make(map[Code]bool)
	for _, c := range Codes() {
		known[c] = true
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, lim := range []Limits{{}, {MaxLength: 20, MaxTerms: 3}} {
			q, err := Parse(s, lim)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || !known[e.Code] {
					t.Fatalf("Parse(%q) error %#v is not an *Error with a known code", s, err)
				}
				if e.Error() == "" {
					t.Fatalf("Parse(%q): empty message for %s", s, e.Code)
				}
				continue
			}
			canon := q.String()
			if !utf8.ValidString(canon) {
				t.Fatalf("Parse(%q).String() = %q, invalid UTF-8", s, canon)
			}
			again, err := Parse(canon, lim)
			if err != nil {
				t.Fatalf("Parse(%q).String() = %q, which does not parse: %v", s, canon, err)
			}
			if !again.Equal(q) || again.String() != canon || again.Key() != q.Key() {
				t.Fatalf("Parse(%q).String() = %q parses to %q", s, canon, again.String())
			}
			if len(q.groups) == 0 || slices.ContainsFunc(q.groups, func(g []term) bool { return len(g) == 0 }) {
				t.Fatalf("Parse(%q) = %q has an empty group", s, canon)
			}
		}
	})
}

// FuzzMatch checks that an Index holding one alert agrees with Query.Matches on any text.
func FuzzMatch(f *testing.F) {
	for _, tc := range matchCases {
		f.Add(tc.query, tc.text, tc.lang)
	}
	f.Add("уран", "\xffуран\u0301а", "")
	f.Fuzz(func(t *testing.T, query, text, lang string) {
		q, err := Parse(query, Limits{})
		if err != nil {
			return
		}
		ix := NewIndex()
		ix.Add(1, 2, q)
		want := q.Matches(text, lang)
		hits := ix.Match(text, lang)
		if got := len(hits) == 1; got != want || len(hits) > 1 {
			t.Fatalf("query %q on %q (%q): Index hits %v, Query.Matches %v", q, text, lang, hits, want)
		}
	})
}
