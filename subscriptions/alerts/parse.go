package alerts

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"newsbot/digest/words"
)

// Default limits of Parse.
const (
	DefaultMaxLength = 200 // characters (runes) of a query
	DefaultMaxTerms  = 10  // words and phrases of a query, excluded ones included
)

// Limits bounds what Parse accepts. A zero or negative field takes its default.
type Limits struct {
	MaxLength int // characters (runes) of the query, surrounding spaces not counted
	MaxTerms  int // words and phrases as typed, excluded ones and alternatives included
}

func (l Limits) withDefaults() Limits {
	if l.MaxLength <= 0 {
		l.MaxLength = DefaultMaxLength
	}
	if l.MaxTerms <= 0 {
		l.MaxTerms = DefaultMaxTerms
	}
	return l
}

// Parse parses an alert query. The syntax:
//
//   - words separated by spaces (or commas) must all occur: uranium Kazakhstan;
//   - "exact phrase" needs its words one after another, each in any form; straight, curly (“ ” „)
//     and angle («») quotes all work. An unquoted word with inner punctuation is a phrase too:
//     Нур-Султан is "нур султан";
//   - OR between terms makes them alternatives. OR binds tighter than the implicit AND between
//     terms: Kazatomprom уран OR uranium means Kazatomprom AND (уран OR uranium). or, или, немесе
//     in any case are OR as well: as words they are too common to look for;
//   - -word and -"phrase" exclude: no story with them fires the alert (a minus sign or dash works
//     too: − – —, and so does NOT in capitals before the term);
//   - function words (и, в, the, of, және) and single letters standing alone as something to look
//     for are dropped, since nearly every story has them; in a phrase or after a minus they stay.
//
// Repeated terms and groups collapse, a group that another group implies is dropped (уран уран OR
// нефть is уран), and an alternative that is also excluded is removed. Errors are *Error values
// with a Code and the offending fragment; Parse returns no other errors.
func Parse(q string, lim Limits) (*Query, error) {
	lim = lim.withDefaults()
	q = strings.TrimSpace(q)
	if utf8.RuneCountInString(q) > lim.MaxLength {
		return nil, &Error{Code: CodeTooLong, Limit: lim.MaxLength}
	}
	if q == "" {
		return nil, &Error{Code: CodeEmpty}
	}
	items, err := lex(q)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, it := range items {
		if !it.or {
			n++
		}
	}
	if n > lim.MaxTerms {
		return nil, &Error{Code: CodeTooManyTerms, Limit: lim.MaxTerms}
	}
	query, err := build(q, items)
	if err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(query.String()) > lim.MaxLength {
		// Quoting a hyphenated word makes the canonical form longer than what was typed; it must
		// stay within the limit so that it parses again.
		return nil, &Error{Code: CodeTooLong, Limit: lim.MaxLength}
	}
	return query, nil
}

// item is one lexical element of a query: a term or an OR.
type item struct {
	raw   string // as typed, with its minus and quotes
	or    bool
	neg   bool     // excluded (-word)
	words []string // folded tokens of a term
}

// lex splits a trimmed, non-empty query into items. Tokenizing a term is words.Tokenize, so that a
// term's words are exactly the tokens the matcher compares.
func lex(q string) ([]item, error) {
	var items []item
	for i := 0; i < len(q); {
		r, size := utf8.DecodeRuneInString(q[i:])
		if isSeparator(r) {
			i += size
			continue
		}
		start := i
		it := item{}
		if isMinus(r) {
			next, nsize := utf8.DecodeRuneInString(q[i+size:])
			if i+size == len(q) || isSeparator(next) {
				return nil, &Error{Code: CodeLoneMinus, Fragment: q[i : i+size]}
			}
			it.neg = true
			i += size
			r, size = next, nsize
		}
		if isQuote(r) {
			end := strings.IndexFunc(q[i+size:], isQuote)
			if end < 0 {
				return nil, &Error{Code: CodeUnclosedQuote, Fragment: q[start:], before: lastRaw(items)}
			}
			end += i + size
			_, csize := utf8.DecodeRuneInString(q[end:])
			it.raw = q[start : end+csize]
			it.words = words.Tokenize(q[i+size : end])
			if len(it.words) == 0 {
				return nil, &Error{Code: CodeEmptyQuote, Fragment: it.raw}
			}
			items = append(items, it)
			i = end + csize
			continue
		}
		end := len(q)
		if n := strings.IndexFunc(q[i:], func(r rune) bool { return isSeparator(r) || isQuote(r) }); n >= 0 {
			end = i + n
		}
		it.raw = q[start:end]
		text := q[i:end]
		i = end
		if !it.neg && isORWord(text) {
			it.or = true
			items = append(items, it)
			continue
		}
		if !it.neg && text == "NOT" {
			// Search engines' NOT, in capitals: the next term is excluded. As a word it would be
			// dropped as too common, turning "уран NOT Урал" into "уран Урал".
			next, err := lex(strings.TrimLeftFunc(q[i:], isSeparator))
			if err != nil {
				return nil, err
			}
			if len(next) == 0 || next[0].or {
				return nil, &Error{Code: CodeLoneMinus, Fragment: it.raw}
			}
			next[0].neg = true
			next[0].raw = it.raw + " " + next[0].raw
			return append(items, next...), nil
		}
		it.words = words.Tokenize(text)
		if len(it.words) == 0 {
			return nil, &Error{Code: CodeNoLetters, Fragment: it.raw}
		}
		items = append(items, it)
	}
	return items, nil
}

// lastRaw is the raw text of the last item, "" when there is none.
func lastRaw(items []item) string {
	if len(items) == 0 {
		return ""
	}
	return items[len(items)-1].raw
}

// build turns items into a Query: groups by OR, drops function words, collapses repeats and
// checks that something is left to look for.
func build(q string, items []item) (*Query, error) {
	var (
		groups  [][]term
		exclude []term
		common  []string // dropped function words, as typed
	)
	for i, it := range items {
		if it.or {
			switch {
			case i == 0 || i == len(items)-1 || items[i+1].or:
				return nil, &Error{Code: CodeDanglingOR, Fragment: it.raw}
			case items[i-1].neg:
				return nil, &Error{Code: CodeExcludedAlternative, Fragment: items[i-1].raw + " " + it.raw}
			case items[i+1].neg:
				return nil, &Error{Code: CodeExcludedAlternative, Fragment: it.raw + " " + items[i+1].raw}
			}
			continue
		}
		t := term{words: it.words}
		switch {
		case it.neg:
			exclude = append(exclude, t)
		case i > 0 && items[i-1].or:
			groups[len(groups)-1] = append(groups[len(groups)-1], t)
		default:
			groups = append(groups, []term{t})
		}
	}

	// Drop function words from what to look for: as a required word "the" or "и" only loses
	// stories with short titles, as an alternative it would fire on nearly everything.
	for gi, g := range groups {
		groups[gi] = slices.DeleteFunc(g, func(t term) bool {
			if len(t.words) == 1 && isCommon(t.words[0]) {
				common = append(common, t.words[0])
				return true
			}
			return false
		})
	}

	exclude = dedupTerms(exclude)
	excluded := make(map[string]bool, len(exclude))
	for _, t := range exclude {
		excluded[t.key()] = true
	}
	var out [][]term
	for _, g := range groups {
		if len(g) == 0 { // only function words
			continue
		}
		kept := slices.DeleteFunc(dedupTerms(g), func(t term) bool { return excluded[t.key()] })
		if len(kept) == 0 {
			return nil, &Error{Code: CodeContradiction, Fragment: g[0].key()}
		}
		out = append(out, kept)
	}
	out = dropImplied(out)

	if len(out) == 0 {
		switch {
		case len(common) > 0:
			return nil, &Error{Code: CodeTooCommon, Fragment: strings.Join(common, " ")}
		case len(exclude) > 0:
			return nil, &Error{Code: CodeOnlyExcluded, Fragment: q}
		}
		return nil, &Error{Code: CodeEmpty}
	}
	return &Query{groups: out, exclude: exclude}, nil
}

// dedupTerms removes repeated terms, keeping the first of each.
func dedupTerms(ts []term) []term {
	var out []term
	for _, t := range ts {
		if !slices.ContainsFunc(out, func(o term) bool { return termEqual(o, t) }) {
			out = append(out, t)
		}
	}
	return out
}

// dropImplied removes each group that holds all the alternatives of another group (and repeats of
// a group), since that other group being true already makes it true.
func dropImplied(groups [][]term) [][]term {
	var out [][]term
	for i, g := range groups {
		implied := false
		for j, h := range groups {
			if i == j || !subset(h, g) {
				continue
			}
			// h ⊆ g: g is implied, unless they are equal and g comes first (keep one of them).
			if len(h) < len(g) || j < i {
				implied = true
				break
			}
		}
		if !implied {
			out = append(out, g)
		}
	}
	return out
}

// subset reports whether every term of a is in b.
func subset(a, b []term) bool {
	for _, t := range a {
		if !slices.ContainsFunc(b, func(o term) bool { return termEqual(o, t) }) {
			return false
		}
	}
	return true
}

// isCommon reports whether the folded word w is a function word or a single character: what
// words.Terms leaves out of a story's content words.
func isCommon(w string) bool {
	return words.Terms(w, "") == nil
}

// isORWord reports whether an unquoted item is the OR operator: OR, or the word for "or" in
// Russian or Kazakh, in any case.
func isORWord(s string) bool {
	switch words.Fold(s) {
	case "or", "или", "немесе":
		return true
	}
	return false
}

// isSeparator reports whether r separates terms: white space, invisible spaces and the list
// punctuation people put between words (a comma, a semicolon).
func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || r == ',' || r == ';' || r == '\u200b' || r == '\ufeff'
}

// isQuote reports whether r opens or closes a phrase. Any of them closes a phrase any of them
// opened, since phones substitute curly and angle quotes as people type.
func isQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '‟', '«', '»', '＂':
		return true
	}
	return false
}

// isMinus reports whether r, at the start of a term, excludes it: the hyphen-minus, the minus sign,
// and the dashes that phones make of it.
func isMinus(r rune) bool {
	switch r {
	case '-', '−', '–', '—':
		return true
	}
	return false
}
