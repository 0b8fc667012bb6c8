package alerts

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Code says what is wrong with a query. Codes are stable identifiers: the bot maps them to
// translated messages, so a code is never renamed or reused.
type Code string

// The codes Parse reports, each with what Error.Fragment holds.
const (
	// CodeEmpty: the query has nothing in it. Fragment is "".
	CodeEmpty Code = "empty"
	// CodeOnlyExcluded: the query only says what to leave out (-word). Fragment is the query.
	CodeOnlyExcluded Code = "only_excluded"
	// CodeTooCommon: every word to look for is a function word ("и", "the", "және") or a single
	// letter, which would match nearly every story. Fragment is those words, folded.
	CodeTooCommon Code = "too_common"
	// CodeUnclosedQuote: a quote mark opens a phrase that no quote mark closes. Fragment is the
	// quote mark and everything after it.
	CodeUnclosedQuote Code = "unclosed_quote"
	// CodeEmptyQuote: a pair of quotes with no word between them (`""`, `"…"`). Fragment is the
	// pair as typed.
	CodeEmptyQuote Code = "empty_quote"
	// CodeNoLetters: a word made only of punctuation or symbols (`!!!`, `&`, an emoji). Fragment is
	// that word.
	CodeNoLetters Code = "no_letters"
	// CodeLoneMinus: a minus with nothing attached (`уран - Урал`), or a NOT with no term after
	// it. Fragment is the minus or the NOT.
	CodeLoneMinus Code = "lone_minus"
	// CodeDanglingOR: OR without an alternative on each side (`OR уран`, `уран OR`, `уран OR OR
	// нефть`). Fragment is the OR as typed.
	CodeDanglingOR Code = "dangling_or"
	// CodeExcludedAlternative: OR next to an excluded word (`уран OR -Урал`); leaving a word out
	// cannot be an alternative. Fragment is the OR and the excluded word.
	CodeExcludedAlternative Code = "excluded_alternative"
	// CodeContradiction: every alternative of something the alert needs is also excluded
	// (`уран -уран`), so it could never fire. Fragment is the word or phrase.
	CodeContradiction Code = "contradiction"
	// CodeTooLong: the query is longer than Limits.MaxLength characters. Limit is the maximum;
	// Fragment is "".
	CodeTooLong Code = "too_long"
	// CodeTooManyTerms: more than Limits.MaxTerms words and phrases. Limit is the maximum;
	// Fragment is "".
	CodeTooManyTerms Code = "too_many_terms"
)

// Codes returns every Code that Parse can report, so that the bot can check it has a message for
// each.
func Codes() []Code {
	return []Code{
		CodeEmpty, CodeOnlyExcluded, CodeTooCommon, CodeUnclosedQuote, CodeEmptyQuote, CodeNoLetters,
		CodeLoneMinus, CodeDanglingOR, CodeExcludedAlternative, CodeContradiction, CodeTooLong,
		CodeTooManyTerms,
	}
}

// Error is what Parse returns for a query it cannot use. It is meant for the user: Code picks the
// translated message, Fragment is the part of the query at fault to quote back (as typed, or
// folded where the code's comment says so), and Limit is the maximum that was exceeded, for
// CodeTooLong and CodeTooManyTerms.
type Error struct {
	Code     Code
	Fragment string
	Limit    int

	before string // for CodeUnclosedQuote: the word just before the quote mark, if any
}

// Error returns a short English sentence, suitable for logs and as the English message.
func (e *Error) Error() string {
	switch e.Code {
	case CodeEmpty:
		return "an alert needs at least one word to look for"
	case CodeOnlyExcluded:
		return "an alert needs at least one word to look for, not only words to leave out"
	case CodeTooCommon:
		return fmt.Sprintf("%q is too common to look for: add a more specific word", e.Fragment)
	case CodeUnclosedQuote:
		rest := trimQuoteMark(e.Fragment)
		switch {
		case rest != "":
			return fmt.Sprintf("the quote before %q is never closed", rest)
		case e.before != "":
			return fmt.Sprintf("the quote after %q is never closed", e.before)
		}
		return "the quote is never closed"
	case CodeEmptyQuote:
		return fmt.Sprintf("the quotes %s have no words between them", e.Fragment)
	case CodeNoLetters:
		return fmt.Sprintf("%q has no letters or digits to look for", e.Fragment)
	case CodeLoneMinus:
		return "put the minus right before the word to leave out, like -word"
	case CodeDanglingOR:
		return fmt.Sprintf("%s must stand between two alternatives, like уран %s uranium", e.Fragment, e.Fragment)
	case CodeExcludedAlternative:
		return fmt.Sprintf("%q: a word to leave out cannot be an alternative", e.Fragment)
	case CodeContradiction:
		return fmt.Sprintf("%q is both wanted and excluded, so the alert could never fire", e.Fragment)
	case CodeTooLong:
		return fmt.Sprintf("the query is too long: at most %d characters", e.Limit)
	case CodeTooManyTerms:
		return fmt.Sprintf("the query has too many words: at most %d words and phrases", e.Limit)
	}
	return "the query cannot be used"
}

// trimQuoteMark returns an unclosed-quote fragment without its minus and opening quote mark.
func trimQuoteMark(fragment string) string {
	s := fragment
	for s != "" {
		r, size := utf8.DecodeRuneInString(s)
		if !isMinus(r) && !isQuote(r) {
			break
		}
		s = s[size:]
	}
	return strings.TrimSpace(s)
}
