// Package texts holds every text the Telegram bot shows, in English, Kazakh and Russian, as
// go-i18n catalogues embedded in the binary (active.en.toml, active.kk.toml, active.ru.toml),
// with CLDR plural forms, rendered as Telegram HTML with every interpolated value escaped.
//
// A text is addressed by a message id (the constants in ids.go, each documenting its data
// keys) and a language, normally Pick's result:
//
//	c, err := texts.Load()
//	lang := texts.Pick(chat.Language, from.LanguageCode)
//	c.T(lang, texts.Subscribed, map[string]any{"Topic": topic.Title})
//	c.N(lang, texts.SearchFound, len(stories), map[string]any{"Query": q})
//	texts.Plain(c.T(lang, texts.StopYes, nil)) // a button label: plain text, not HTML
//
// English is the reference catalogue. Load refuses catalogues that disagree with it (ids,
// plural forms, data keys) or with Telegram's HTML rules, so a text that renders in English
// renders in every language, and a translator's typo fails at start-up instead of in a chat.
//
// Adding a message: add its id constant (with a comment naming its data keys) to ids.go and
// allIDs, then the text to all three catalogues; a plural message needs the forms go-i18n's
// CLDR rules use for the language: en and kk one/other, ru one/few/many/other.
package texts
