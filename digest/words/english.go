package words

// isEnEnding reports whether e is an English ending the noun-paradigm rule accepts: the plural and
// the possessive, which Snowball does not always undo the same way (gas → "gas" but gases → "gase").
func isEnEnding(e string) bool {
	switch e {
	case "s", "es", "'s":
		return true
	}
	return false
}

// enBases returns the bases of a folded English word under the noun-paradigm rule.
func enBases(w string) []string {
	return bases(w, isEnEnding)
}
