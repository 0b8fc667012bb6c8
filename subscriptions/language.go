package subscriptions

import (
	"strings"
)

// Languages returns the interface languages a chat may choose, in the order to offer them.
func Languages() []string { return []string{"ru", "kk", "en"} }

// languageAliases maps what people type after /language to a language code. Beyond the codes
// themselves it knows "kz" (Kazakhstan's country code, often taken for the language's) and the
// languages' names in the three languages.
var languageAliases = map[string]string{
	"ru": "ru", "rus": "ru", "russian": "ru", "рус": "ru", "русский": "ru", "орысша": "ru",
	"kk": "kk", "kz": "kk", "kaz": "kk", "kazakh": "kk", "қаз": "kk", "қазақ": "kk", "қазақша": "kk",
	"каз": "kk", "казахский": "kk",
	"en": "en", "eng": "en", "english": "en", "англ": "en", "английский": "en", "ағылшын": "en",
	"ағылшынша": "en",
}

// canonicalLanguage returns the language code s names, ignoring case and surrounding spaces.
func canonicalLanguage(s string) (string, bool) {
	code, ok := languageAliases[strings.ToLower(strings.TrimSpace(s))]
	return code, ok
}

// languageFromCode returns the interface language a Telegram language_code (an IETF tag such
// as "ru", "kk" or "en-GB") asks for, or "" when it is none of Languages().
func languageFromCode(code string) string {
	primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(code)), "-")
	switch primary {
	case "ru", "kk", "en":
		return primary
	}
	return ""
}
