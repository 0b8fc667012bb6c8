package texts

import "strings"

// ownCodes maps the codes that name one of the catalogue languages to it: the ISO 639-1 code,
// the ISO 639-2 one, and "kz", Kazakhstan's country code, which people and some clients use
// for Kazakh.
var ownCodes = map[string]string{
	"en": "en", "eng": "en",
	"ru": "ru", "rus": "ru",
	"kk": "kk", "kaz": "kk", "kz": "kk",
}

// readsRussian maps languages whose speakers usually read Russian to "ru": Russian is official
// or co-official (be, ky), the constitutional language of inter-ethnic communication (tg), or
// the common second language of the region newsbot covers (uz, tk), or the speakers live in
// Russia (tt, ba, cv, sah, ce, os). Ukrainian is deliberately not here: many Ukrainian users do
// not want a Russian interface forced on them, so they get English and may pick /language ru.
var readsRussian = map[string]bool{
	"be": true, "bel": true,
	"ky": true, "kir": true,
	"tg": true, "tgk": true,
	"uz": true, "uzb": true,
	"tk": true, "tuk": true,
	"tt": true, "tat": true,
	"ba": true, "bak": true,
	"cv": true, "chv": true,
	"sah": true,
	"ce":  true, "che": true,
	"os": true, "oss": true,
}

// primary returns the primary subtag of a language tag, lower case: "ru" for "ru-RU", "RU_ru"
// or " ru ".
func primary(code string) string {
	code = strings.ToLower(strings.TrimSpace(code))
	p, _, _ := strings.Cut(strings.ReplaceAll(code, "_", "-"), "-")
	return p
}

// Pick returns the interface language for a chat, one of Languages(): chosen when it names one
// of them (it is the chat's /language choice, "" when none), else the language Telegram's
// language_code asks for, else "en". Only the primary subtag counts, in any case, with "-" or
// "_": "ru-RU" and "RU_kz" are Russian. The mapping of telegramCode:
//
//	en, eng, en-US, en-GB, …                    → en
//	ru, rus, ru-RU, ru-KZ, …                    → ru
//	kk, kaz, kz, kk-KZ, kk-Cyrl-KZ              → kk
//	be, ky, tg, uz, tk (ex-USSR, Russian widely read)
//	and tt, ba, cv, sah, ce, os (languages of Russia)  → ru
//	uk, and everything else, and ""             → en
//
// chosen is held to the catalogue languages' own codes (en, kk, ru and their aliases above), so
// a stored value that is not one of them is ignored rather than mapped.
func Pick(chosen, telegramCode string) string {
	if l, ok := ownCodes[primary(chosen)]; ok {
		return l
	}
	p := primary(telegramCode)
	if l, ok := ownCodes[p]; ok {
		return l
	}
	if readsRussian[p] {
		return "ru"
	}
	return "en"
}
