package parse

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/rss"
)

// maxTTL bounds RSS <ttl>: a larger value is a typo, not a polling policy.
const maxTTL = 7 * 24 * time.Hour

// build converts gofeed's result into a Feed.
func (p *parser) build(gf *gofeed.Feed) *Feed {
	f := &Feed{
		Title:    PlainText(gf.Title),
		Language: normLanguage(gf.Language),
		Charset:  p.charset,
	}
	base := p.base
	if base == nil {
		// Without a final URL, the feed's own absolute self link is the best
		// base for relative item links.
		for _, l := range []string{gf.FeedLink, gf.Link} {
			if u, err := url.Parse(strings.TrimSpace(l)); err == nil && u.IsAbs() && u.Host != "" {
				base = u
				break
			}
		}
	}
	if l, err := CanonicalURL(gf.Link, base); err == nil {
		f.Link = l
	}
	orig, _ := gf.OriginalFeed().(*rss.Feed)
	if orig != nil {
		if m, err := strconv.Atoi(strings.TrimSpace(orig.TTL)); err == nil && m > 0 {
			f.TTL = min(time.Duration(m)*time.Minute, maxTTL)
		}
	}

	items := make([]Item, 0, len(gf.Items))
	rawDates := make([]string, 0, len(gf.Items))
	for i, gi := range gf.Items {
		if gi == nil {
			continue
		}
		var ri *rss.Item
		if orig != nil && i < len(orig.Items) {
			ri = orig.Items[i]
		}
		it, rawDate := p.item(gi, ri, base, f.Language)
		if it.Title == "" && it.Link == "" && it.Description == "" && it.Content == "" {
			// Nothing to show or to identify it by: a CMS placeholder.
			continue
		}
		items = append(items, it)
		rawDates = append(rawDates, rawDate)
	}
	f.Items = assignKeys(items, rawDates)
	return f
}

// item converts one gofeed item; rawDate is the date as written, for the
// identity hash.
func (p *parser) item(gi *gofeed.Item, ri *rss.Item, base *url.URL, feedLang string) (Item, string) {
	it := Item{
		GUID:        strings.TrimSpace(gi.GUID),
		Title:       PlainText(gi.Title),
		Description: PlainText(gi.Description),
		Content:     PlainText(truncateUTF8(gi.Content, p.maxContent)),
		Language:    feedLang,
	}
	if dc := gi.DublinCoreExt; dc != nil && len(dc.Language) > 0 {
		if l := normLanguage(dc.Language[0]); l != "" {
			it.Language = l
		}
	}

	candidates := make([]string, 0, 3)
	candidates = append(candidates, gi.Link)
	candidates = append(candidates, gi.Links...)
	if it.GUID != "" && isHTTPURL(it.GUID) && (ri == nil || ri.GUID == nil || !strings.EqualFold(strings.TrimSpace(ri.GUID.IsPermalink), "false")) {
		candidates = append(candidates, it.GUID)
	}
	for _, c := range candidates {
		if l, err := CanonicalURL(c, base); err == nil {
			it.Link = l
			break
		}
	}

	for _, e := range gi.Enclosures {
		if e == nil {
			continue
		}
		u, err := absoluteURL(e.URL, base)
		if err != nil {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSpace(e.Length), 10, 64)
		it.Enclosures = append(it.Enclosures, Enclosure{URL: u.String(), Type: strings.TrimSpace(e.Type), Length: max(n, 0)})
	}
	if gi.Image != nil {
		if u, err := absoluteURL(gi.Image.URL, base); err == nil {
			it.Image = u.String()
		}
	}
	if it.Image == "" {
		for _, e := range it.Enclosures {
			if strings.HasPrefix(strings.ToLower(e.Type), "image/") {
				it.Image = e.URL
				break
			}
		}
	}

	it.Published = p.itemDate(gi)
	return it, strings.TrimSpace(gi.Published)
}

// itemDate tries the published date, then the updated date, then dc:date.
// Each string is read by ParseDate first; gofeed's own result is used only
// when ParseDate cannot read the string, and then, unless the string carried
// a zone, its wall clock is re-read in the feed's zone (gofeed takes a
// zone-less date as UTC).
func (p *parser) itemDate(gi *gofeed.Item) time.Time {
	type candidate struct {
		raw    string
		parsed *time.Time
	}
	cands := []candidate{{gi.Published, gi.PublishedParsed}, {gi.Updated, gi.UpdatedParsed}}
	if dc := gi.DublinCoreExt; dc != nil {
		for _, d := range dc.Date {
			cands = append(cands, candidate{raw: d})
		}
	}
	for _, c := range cands {
		if c.raw == "" && c.parsed == nil {
			continue
		}
		t, zoned, ok := parseDate(c.raw, p.loc)
		if !ok && c.parsed != nil {
			t, ok = *c.parsed, true
			if !zoned {
				t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), p.loc)
			}
		}
		if ok && !t.Before(minDate) && !t.After(p.latest) {
			return t
		}
	}
	return time.Time{}
}

func isHTTPURL(s string) bool {
	s = strings.ToLower(s)
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// normLanguage lower-cases a language tag and writes "_" as "-".
func normLanguage(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	return strings.ReplaceAll(strings.ToLower(s), "_", "-")
}

// truncateUTF8 returns the first max bytes of s, fewer when that would split a character; all of
// s when max is not positive.
func truncateUTF8(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max]
}
