package summary

// quoteKind identifies a pair of quotation marks.
type quoteKind uint8

const (
	noQuote    quoteKind = iota
	guillemets           // «…»
	lowHigh              // „…“ and „…”
	curly                // “…”
	straight             // "…"
)

// maxQuoteDepth is how many open quotations a closing mark is matched
// against.
const maxQuoteDepth = 8

// pairQuotes returns, for every rune index that opens a quotation closed
// later in rs, the index of its closing mark, and -1 everywhere else.
// Openers without a closer are ignored, so that a stray or truncated quote
// cannot swallow the rest of the text.
func pairQuotes(rs []rune) []int {
	closeAt := make([]int, len(rs))
	for i := range closeAt {
		closeAt[i] = -1
	}
	type open struct {
		at   int
		kind quoteKind
	}
	var stack []open
	// find returns the stack index of the innermost opener that a closer of
	// the given kinds matches, or -1. It looks only maxQuoteDepth deep:
	// real quotations nest two or three levels, and an unbounded search
	// would make a text full of stray quotes quadratic.
	find := func(kinds ...quoteKind) int {
		for s := len(stack) - 1; s >= 0 && s >= len(stack)-maxQuoteDepth; s-- {
			for _, k := range kinds {
				if stack[s].kind == k {
					return s
				}
			}
		}
		return -1
	}
	closeWith := func(i int, kinds ...quoteKind) bool {
		s := find(kinds...)
		if s < 0 {
			return false
		}
		closeAt[stack[s].at] = i
		stack = stack[:s]
		return true
	}
	for i, r := range rs {
		switch r {
		case '«':
			stack = append(stack, open{i, guillemets})
		case '»':
			closeWith(i, guillemets)
		case '„':
			stack = append(stack, open{i, lowHigh})
		case '“':
			// Closes „…“ (Russian, German) when one is open, else opens an
			// English quotation.
			if !closeWith(i, lowHigh) {
				stack = append(stack, open{i, curly})
			}
		case '”':
			closeWith(i, curly, lowHigh)
		case '"':
			switch straightRole(rs, i) {
			case straightOpens:
				stack = append(stack, open{i, straight})
			case straightCloses:
				closeWith(i, straight)
			}
		}
	}
	return closeAt
}

type straightQuoteRole uint8

const (
	straightUnknown straightQuoteRole = iota
	straightOpens
	straightCloses
)

// straightRole guesses whether the ASCII quote at rs[i] opens or closes a
// quotation from its neighbours: an opener follows a space or an opening
// bracket and precedes text; a closer follows text and precedes a space,
// punctuation or the end; a"b is neither.
func straightRole(rs []rune, i int) straightQuoteRole {
	prevOpen := i == 0 || rs[i-1] == ' ' || isOpener(rs[i-1]) || isDash(rs[i-1])
	nextOpen := i+1 == len(rs) || rs[i+1] == ' ' || isTerminator(rs[i+1]) || isCloser(rs[i+1]) ||
		isDash(rs[i+1]) || rs[i+1] == ',' || rs[i+1] == ';' || rs[i+1] == ':'
	switch {
	case prevOpen && !nextOpen:
		return straightOpens
	case !prevOpen && nextOpen:
		return straightCloses
	}
	return straightUnknown
}
