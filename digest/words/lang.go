package words

import "strings"

// normLang reduces a language tag to "ru", "kk", "en" or "" (unknown): case and a region suffix are
// ignored ("ru-RU", "kk_KZ"), and "kz", a common mislabel of Kazakh, counts as "kk".
func normLang(lang string) string {
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	switch strings.ToLower(strings.TrimSpace(lang)) {
	case "ru":
		return "ru"
	case "kk", "kz":
		return "kk"
	case "en":
		return "en"
	}
	return ""
}

// kazakhText reports whether the Kazakh rules apply to every Cyrillic token of a text in language
// lang (already normalised) with the given folded tokens. For an unknown language the text counts as
// Kazakh when at least a quarter of its Cyrillic words contain a Kazakh-specific letter: about half
// of the words of Kazakh prose do, while a Russian text quoting a Kazakh name («Қазақстан темір
// жолы») stays well below that unless it is a very short title.
func kazakhText(lang string, tokens []string) bool {
	switch lang {
	case "kk":
		return true
	case "ru", "en":
		return false
	}
	cyr, kk := 0, 0
	for _, t := range tokens {
		if scriptOf(t) != scriptCyrillic {
			continue
		}
		cyr++
		if hasKazakhLetter(t) {
			kk++
		}
	}
	return kk > 0 && 4*kk >= cyr
}

// KazakhText reports whether the Kazakh word rules apply to the Cyrillic words of a text in
// language lang ("ru", "kk", "en", region tags allowed, "" unknown) whose folded tokens are
// tokens: always for Kazakh, never for Russian or English, and for an unknown language when at
// least a quarter of its Cyrillic words have a Kazakh-specific letter. Matcher decides this once
// per text; callers that feed it one token at a time use this to tell it what the text said.
func KazakhText(lang string, tokens []string) bool { return kazakhText(normLang(lang), tokens) }
