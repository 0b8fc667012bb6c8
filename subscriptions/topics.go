package subscriptions

import (
	"fmt"
	"maps"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Topic is a configured topic chats can follow.
type Topic struct {
	ID     string            // short and stable: stored with subscriptions, used in commands and deep links
	Title  string            // shown when Titles has no entry for the reader's language
	Titles map[string]string // title per interface language ("ru", "kk", "en"); may be nil
}

// TitleIn returns the topic's title in language lang, else its Title, else its ID.
func (t Topic) TitleIn(lang string) string {
	if s := t.Titles[lang]; s != "" {
		return s
	}
	if t.Title != "" {
		return t.Title
	}
	return t.ID
}

func (t Topic) clone() Topic {
	t.Titles = maps.Clone(t.Titles)
	return t
}

// Catalog is the configured topics, in configuration order. It is immutable once built, so it
// is safe for concurrent use.
type Catalog struct {
	topics []Topic
	byID   map[string]int // position in topics
	byName map[string]int // nameKey of the id and of every title → position in topics
}

// NewCatalog builds the catalog of topics, in the order given. It fails when an id is empty,
// contains white space or is used twice, and when one name (an id or a title, compared as
// Resolve compares them) would stand for two topics: users could not tell which one they get.
func NewCatalog(topics []Topic) (*Catalog, error) {
	c := &Catalog{byID: map[string]int{}, byName: map[string]int{}}
	for i, t := range topics {
		if t.ID == "" || strings.IndexFunc(t.ID, unicode.IsSpace) >= 0 {
			return nil, fmt.Errorf("subscriptions: topic %d: id %q must be non-empty and without spaces", i, t.ID)
		}
		if _, dup := c.byID[t.ID]; dup {
			return nil, fmt.Errorf("subscriptions: topic %q is listed twice", t.ID)
		}
		c.byID[t.ID] = i
		c.topics = append(c.topics, t.clone())
	}
	for i, t := range c.topics {
		names := []string{t.ID, t.Title}
		for _, title := range t.Titles {
			names = append(names, title)
		}
		for _, name := range names {
			k := nameKey(name)
			if k == "" {
				continue
			}
			if j, taken := c.byName[k]; taken && j != i {
				return nil, fmt.Errorf("subscriptions: topics %q and %q are both called %q", c.topics[j].ID, t.ID, name)
			}
			c.byName[k] = i
		}
	}
	return c, nil
}

// Len returns the number of topics.
func (c *Catalog) Len() int { return len(c.topics) }

// All returns every topic in configuration order. The slice and the topics are copies.
func (c *Catalog) All() []Topic {
	out := make([]Topic, len(c.topics))
	for i, t := range c.topics {
		out[i] = t.clone()
	}
	return out
}

// Topic returns the topic whose id is exactly id.
func (c *Catalog) Topic(id string) (Topic, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Topic{}, false
	}
	return c.topics[i].clone(), true
}

// Resolve finds the topic a user means by name: its id or any of its titles, in any language,
// compared ignoring case, surrounding spaces and quotes, repeated spaces, ё/е and _/space. A
// leading "#" (a hashtag) or "topic_" (the /start deep-link payload) is ignored when the name
// does not match as it is. So "energy", "ENERGY", "Энергетика", " энергетика ", "#Energy" and
// "topic_energy" all resolve to the topic with id "energy".
func (c *Catalog) Resolve(name string) (Topic, bool) {
	k := nameKey(name)
	if k == "" {
		return Topic{}, false
	}
	candidates := []string{k}
	if rest, ok := strings.CutPrefix(k, "#"); ok {
		candidates = append(candidates, strings.TrimSpace(rest))
	}
	// nameKey has made "topic_" "topic ".
	if rest, ok := strings.CutPrefix(k, "topic "); ok {
		candidates = append(candidates, rest)
	}
	for _, cand := range candidates {
		if i, ok := c.byName[cand]; ok {
			return c.topics[i].clone(), true
		}
	}
	return Topic{}, false
}

// order returns ids reduced to the catalog's topics, each once, in catalog order.
func (c *Catalog) order(ids []string) []string {
	seen := make([]bool, len(c.topics))
	for _, id := range ids {
		if i, ok := c.byID[id]; ok {
			seen[i] = true
		}
	}
	out := []string{}
	for i, ok := range seen {
		if ok {
			out = append(out, c.topics[i].ID)
		}
	}
	return out
}

// nameKey folds a topic name for comparison: lower case, NFC, ё→е, '_' → ' ', quotes and
// surrounding spaces removed, inner runs of white space made one space.
func nameKey(s string) string {
	s = strings.ToLower(s)
	// Lower-casing a decomposed Ё leaves е + U+0308; NFC makes it ё again for the next step.
	s = norm.NFC.String(s)
	s = strings.NewReplacer("ё", "е", "_", " ").Replace(s)
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`"'«»“”„‘’`, r)
	})
	return strings.Join(strings.Fields(s), " ")
}
