package digest

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"newsbot/digest/words"
)

// MaxSearchWords bounds how many words of a query are searched for.
const MaxSearchWords = 10

// Search returns up to limit stories, one per cluster, newest first, whose title or summary
// contains every word of query. A word also finds its other forms where its stem has at least
// four letters (урана finds уран's forms, sanctions finds sanction; Астанада finds Астана), and
// otherwise the words that start with it. ё and е, and letter case, do not matter. A query with
// no words returns nothing.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]Story, error) {
	match := ftsQuery(query)
	if match == "" || limit <= 0 {
		return nil, nil
	}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+storyColumns+`
		FROM stories_fts JOIN stories s ON s.id = stories_fts.rowid
		WHERE stories_fts MATCH ?
		ORDER BY s.published_at DESC, s.id DESC
		LIMIT ?`, match, limit*4)
	if err != nil {
		return nil, fmt.Errorf("digest: search: %w", err)
	}
	found, err := scanStories(rows)
	if err != nil {
		return nil, fmt.Errorf("digest: search: %w", err)
	}
	seen := map[int64]bool{}
	out := found[:0]
	for _, st := range found {
		if seen[st.ClusterID] {
			continue
		}
		seen[st.ClusterID] = true
		out = append(out, st)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

// ftsTerm is the FTS5 expression for one folded word: its stem as a prefix when the stem is long
// enough to be specific; else the word as a prefix, or the word less a final vowel exactly (урана
// finds уран without finding Урал).
func ftsTerm(tok string) string {
	// Tokens hold letters, digits and apostrophes only; quotes are doubled all the same.
	q := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	if st := words.Stem(tok, ""); utf8.RuneCountInString(st) >= 4 && strings.HasPrefix(tok, st) {
		return q(st) + "*"
	}
	last, size := utf8.DecodeLastRuneInString(tok)
	if base := tok[:len(tok)-size]; strings.ContainsRune("аяоеуюыиэ", last) && utf8.RuneCountInString(base) >= 3 {
		return "(" + q(tok) + "* OR " + q(base) + ")"
	}
	return q(tok) + "*"
}

// ftsQuery turns user words into an FTS5 query of prefix terms, all required.
func ftsQuery(query string) string {
	var terms []string
	for _, tok := range words.Tokenize(query) {
		if len(terms) == MaxSearchWords {
			break
		}
		terms = append(terms, ftsTerm(tok))
	}
	return strings.Join(terms, " ")
}
