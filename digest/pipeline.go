package digest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"newsbot/digest/parse"
	"newsbot/digest/summary"
	"newsbot/digest/words"
)

// SummaryMax is the most characters a story's summary has.
const SummaryMax = 300

// LeadContentBytes is how much of an item's full content is cleaned for its lead: far more than
// SummaryMax characters of text even behind heavy markup, far less than a whole article.
const LeadContentBytes = 8 << 10

// Pipeline turns parsed feed items into stored stories: it summarises and tags them, skips what
// is stored already, recognises other outlets' reports of news it has, and stores the rest.
// It is safe for concurrent use by the polls of many sources.
type Pipeline struct {
	store   *Store
	matcher *words.Matcher
	terms   *words.TermCache
	now     func() time.Time

	// mu serialises clustering with storing, so that two outlets' reports of one event that
	// arrive at the same moment still end in one cluster.
	mu      sync.Mutex
	index   *clusterIndex
	loaded  bool
	pruneAt time.Time
}

// NewPipeline returns a pipeline that stores into store and tags with topics. now is the clock
// (time.Now when nil).
func NewPipeline(store *Store, topics []Topic, now func() time.Time) *Pipeline {
	sets := map[string][]string{}
	for _, t := range topics {
		sets[t.ID] = t.Keywords
	}
	if now == nil {
		now = time.Now
	}
	return &Pipeline{store: store, matcher: words.NewMatcher(sets), terms: words.NewTermCache(100_000), now: now, index: newClusterIndex()}
}

// Topics returns the topics text is about by keyword, for a story in language lang.
func (p *Pipeline) Topics(text, lang string) []string { return p.matcher.Match(text, lang) }

// Process stores the items of feed that src has not stored before and returns the new stories,
// in feed order, and saves state as the source's new state in the same transaction: stories and
// state (validators, seeded) commit together or not at all. An item is new unless the source
// stored its key before, or another source stored an article with its link. When backlog is
// set the stories are stored as backlog (never pushed).
func (p *Pipeline) Process(ctx context.Context, src Source, feed *parse.Feed, backlog bool, state SourceState) ([]Story, error) {
	now := p.now().UTC().Truncate(time.Second)
	keys := make([]string, 0, len(feed.Items))
	perLink := map[string]int{}
	for _, it := range feed.Items {
		keys = append(keys, it.Key)
		if it.Link != "" {
			perLink[it.Link]++
		}
	}
	// A link identifies an article only when one item of the document has it: several items
	// sharing one (a landing page, the site's home) are different items.
	var links []string
	for l, n := range perLink {
		if n == 1 {
			links = append(links, l)
		}
	}
	knownKeys, err := p.store.KnownKeys(ctx, src.ID, keys)
	if err != nil {
		return nil, err
	}
	knownLinks, err := p.store.KnownLinks(ctx, src.ID, links)
	if err != nil {
		return nil, err
	}
	var fresh []Story
	var byLink []bool
	for _, it := range feed.Items {
		unique := it.Link != "" && perLink[it.Link] == 1
		if knownKeys[it.Key] || (unique && knownLinks[it.Link]) {
			continue
		}
		st, ok := p.story(src, it, now)
		if !ok {
			continue
		}
		st.Backlog = backlog
		fresh = append(fresh, st)
		byLink = append(byLink, unique)
		knownKeys[it.Key] = true
	}
	return p.commit(ctx, fresh, byLink, state)
}

// story builds a story from a feed item; false when the item has nothing to show.
func (p *Pipeline) story(src Source, it parse.Item, now time.Time) (Story, bool) {
	title := strings.TrimSpace(it.Title)
	sum := summary.Summarize(title, it.Description, it.Content, SummaryMax)
	if title == "" {
		// An untitled item (some feeds only have descriptions): its lead stands in.
		title, sum = sum, ""
	}
	if title == "" {
		return Story{}, false
	}
	lang := src.Language
	if lang == "" {
		lang, _, _ = strings.Cut(it.Language, "-") // "en-us" → "en"
	}
	if guessed := guessLanguage(title + " " + sum); lang == "" || (lang == "ru" && guessed == "kk") {
		// A Russian outlet's Kazakh-language item (its letters say so) is matched as Kazakh:
		// Астанада must find Астана.
		lang = guessed
	}
	pub := it.Published
	if pub.IsZero() || pub.After(now.Add(10*time.Minute)) {
		// Undated, or dated in the future (a wrong zone, a scheduled post): first seen is the
		// best knowledge of when it appeared.
		pub = now
	}
	topics := map[string]bool{}
	for _, t := range src.Topics {
		topics[t] = true
	}
	for _, t := range p.matcher.Match(title+"\n"+sum, lang) {
		topics[t] = true
	}
	st := Story{
		SourceID:  src.ID,
		Key:       it.Key,
		Title:     title,
		Summary:   sum,
		Link:      it.Link,
		Published: pub.UTC().Truncate(time.Second),
		FirstSeen: now,
		Language:  lang,
	}
	for t := range topics {
		st.Topics = append(st.Topics, t)
	}
	sort.Strings(st.Topics)
	return st, true
}

// guessLanguage names the language of text by its letters: Kazakh-only Cyrillic letters mean
// Kazakh, other Cyrillic Russian, Latin English.
func guessLanguage(text string) string {
	var cyr, lat, kk int
	for _, r := range text {
		switch {
		case strings.ContainsRune("әғқңөұүһіӘҒҚҢӨҰҮҺІ", r):
			kk++
			cyr++
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.Is(unicode.Latin, r):
			lat++
		}
	}
	switch {
	case kk > 0 && kk*40 >= cyr:
		return "kk"
	case cyr >= lat && cyr > 0:
		return "ru"
	case lat > 0:
		return "en"
	}
	return ""
}

// ensureIndex loads the last ClusterWindow of stories into the cluster index once, so clusters
// keep forming across restarts. Called with p.mu held.
func (p *Pipeline) ensureIndex(ctx context.Context, now time.Time) error {
	if p.loaded {
		if now.After(p.pruneAt) {
			p.index.prune(now.Add(-ClusterWindow))
			p.pruneAt = now.Add(time.Hour)
		}
		return nil
	}
	recent, err := p.store.SeenSince(ctx, now.Add(-ClusterWindow))
	if err != nil {
		return fmt.Errorf("digest: load recent stories: %w", err)
	}
	for _, st := range recent {
		p.index.add(storyDoc(st, p.terms))
	}
	p.loaded, p.pruneAt = true, now.Add(time.Hour)
	return nil
}
