package words

import "unicode/utf8"

// Terms returns the distinct stems of the content words of text, in order of first occurrence: the
// tokens of Tokenize less the stop words of Russian, Kazakh and English and less one-letter tokens,
// each stemmed as by Stem with lang. For an unknown lang ("") the text counts as Kazakh when enough of
// its Cyrillic words have Kazakh letters. Numbers of two or more digits are kept: "2024" or the "35" of "35%" says
// something about a story. It returns nil for a text without content words. Story de-duplication
// compares the terms of two stories.
func Terms(text, lang string) []string {
	toks := Tokenize(text)
	kazakh := kazakhText(normLang(lang), toks)
	var out []string
	seen := make(map[string]struct{}, len(toks))
	for _, t := range toks {
		if utf8.RuneCountInString(t) < 2 || isStopword(t) {
			continue
		}
		st := stemToken(t, kazakh)
		if _, dup := seen[st]; dup {
			continue
		}
		seen[st] = struct{}{}
		out = append(out, st)
	}
	return out
}
