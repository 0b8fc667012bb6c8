// Package alerts is newsbot's keyword alerts: the query language users type after /alert, and
// the Index that finds, among up to a million alerts, those that fire on a story.
//
// # Queries
//
// Parse turns what the user typed into a Query, or into an *Error whose Code the bot translates
// and whose Fragment it quotes back. The language (see Parse for the details):
//
//	uranium Kazakhstan           every term must occur, anywhere in title and summary
//	"central bank"               a phrase: its words one after another
//	уран OR uranium              alternatives; also or, или, немесе
//	Kazatomprom уран OR uranium  OR binds tighter: Kazatomprom AND (уран OR uranium)
//	уран -Урал -"Уран Уан"       exclusions: no story with them fires
//
// Query.String is the canonical form, for showing an alert back; Query.Key is the same with
// everything sorted, for spotting duplicates.
//
// # Matching
//
// A term's words match a story's words under the rules of words.Matcher, which this package
// reuses rather than copies: case and ё folded, Russian and English words by stem (уран finds
// урана but not Урал; Taliban finds Taliban's), Kazakh words by root and a real suffix chain
// (Астана finds Астанада, Астанаға; газ does not find газет), whole words only (кот never fires
// on скот, gas never on Gaspar). A story is its title and summary, in its language ("ru", "kk",
// "en", or "" to guess Kazakh from the letters). Query.Matches is the reference; the Index returns
// exactly the alerts whose query matches.
//
// # Index
//
// The Index looks up each token of a story once, in a cache in front of words.Matcher over the
// alerts' keyword words, bucketed by first letter; the words found give the terms present (single
// words directly, phrases by their first two words); an alert that is one term is returned at
// once, any other is evaluated only when a term of the group it is filed under is present. Alerts
// may be added and removed while stories are matched. BenchmarkIndex measures it at a million
// alerts against BenchmarkNaive and BenchmarkNaivePrepared, loops over every alert.
package alerts
