// Package summary builds the short extractive summaries that the bot shows
// under a news headline: the lead one or two sentences of an item, cut to a
// length budget without ever breaking a word.
//
// The input is plain text: HTML already stripped, entities decoded and
// whitespace collapsed by the parsing stage. The package still normalises
// whitespace itself (see Normalize), so that the functions are safe on any
// string and their results are always a prefix of the normalised input.
//
// The sentence splitter is rule based and tuned for Russian, Kazakh and
// English news text from Central Asia. Where a rule is ambiguous it prefers
// merging two sentences over splitting one: a lead that is a little long is
// cut with "…", whereas a lead that stops at "В 2024 г." is useless.
package summary
