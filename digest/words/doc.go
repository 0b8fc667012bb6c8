// Package words is the language-aware word handling of newsbot for Russian, Kazakh and English news
// text: folding, tokenizing, stemming, the content terms that story de-duplication compares, and the
// keyword Matcher that tags stories with topics and fires users' alerts.
//
// Everything here is pure and allocation-conscious: a Matcher is built once from the configured
// keywords and then runs on every stored story, so per-token work is done once per call and keyword
// look-ups go through maps keyed by word form, stem and Kazakh root rather than by scanning keywords.
//
// Language codes are "ru", "kk" and "en"; region tags ("ru-RU", "kk_KZ") and the alias "kz" are
// accepted, anything else counts as unknown (""), in which case the language is guessed from the text.
package words
