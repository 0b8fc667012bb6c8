package digest

import (
	"math"
	"time"
	"unicode"

	"newsbot/digest/words"
)

// ClusterWindow is how far apart in time two reports may be and still be one story.
const ClusterWindow = 48 * time.Hour

// clusterThreshold is the weighted Jaccard similarity above which two reports are one story.
// Chosen on the table tests in cluster_test.go: rewordings of one event score 0.3–0.6, different
// events about the same actors 0.05–0.2.
const clusterThreshold = 0.28

// clusterIndex remembers the terms of recent stories so that a new report of the same news can
// be found without comparing it with every stored story: candidates come from the postings of
// its terms. It is not safe for concurrent use; the pipeline guards it.
type clusterIndex struct {
	docs     map[int64]*clusterDoc
	postings map[string]map[int64]struct{}
}

type clusterDoc struct {
	id, cluster int64
	at          time.Time // published
	seen        time.Time // first seen, for pruning
	terms       []string
	numbers     map[string]bool // numbers in the title: 26 ноября vs 27 ноября are different news
}

func newClusterIndex() *clusterIndex {
	return &clusterIndex{docs: map[int64]*clusterDoc{}, postings: map[string]map[int64]struct{}{}}
}

// storyDoc derives what clustering compares: the content terms of title and summary, and the
// numbers of the title.
func storyDoc(st Story) *clusterDoc {
	d := &clusterDoc{id: st.ID, cluster: st.ClusterID, at: st.Published, seen: st.FirstSeen}
	d.terms = words.Terms(st.Title+"\n"+st.Summary, st.Language)
	for _, tok := range words.Tokenize(st.Title) {
		if isNumber(tok) {
			if d.numbers == nil {
				d.numbers = map[string]bool{}
			}
			d.numbers[tok] = true
		}
	}
	return d
}

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

func (ix *clusterIndex) add(d *clusterDoc) {
	ix.docs[d.id] = d
	for _, t := range d.terms {
		p := ix.postings[t]
		if p == nil {
			p = map[int64]struct{}{}
			ix.postings[t] = p
		}
		p[d.id] = struct{}{}
	}
}

// prune forgets stories first seen before cutoff.
func (ix *clusterIndex) prune(cutoff time.Time) {
	var old []*clusterDoc
	for _, d := range ix.docs {
		if d.seen.Before(cutoff) {
			old = append(old, d)
		}
	}
	ix.remove(old)
}

func (ix *clusterIndex) remove(docs []*clusterDoc) {
	for _, d := range docs {
		delete(ix.docs, d.id)
		for _, t := range d.terms {
			p := ix.postings[t]
			delete(p, d.id)
			if len(p) == 0 {
				delete(ix.postings, t)
			}
		}
	}
}

// weight is the inverse document frequency of a term among the remembered stories: words every
// story of the region shares ("Казахстан", "Kazakhstan") say little about which news it is.
func (ix *clusterIndex) weight(term string) float64 {
	n := float64(len(ix.docs) + 1)
	df := float64(len(ix.postings[term]))
	return math.Log((n+1)/(df+1)) + 1
}

// match returns the cluster that d reports on, or 0 when it is new news.
func (ix *clusterIndex) match(d *clusterDoc) int64 {
	if len(d.terms) == 0 {
		return 0
	}
	shared := map[int64]int{}
	for _, t := range d.terms {
		for id := range ix.postings[t] {
			shared[id]++
		}
	}
	var best int64
	bestScore := clusterThreshold
	for id, n := range shared {
		if n < 2 {
			continue // one shared word is coincidence
		}
		c := ix.docs[id]
		if gap := d.at.Sub(c.at); gap > ClusterWindow || gap < -ClusterWindow {
			continue
		}
		if conflictingNumbers(d.numbers, c.numbers) {
			continue
		}
		if s := ix.similarity(d, c); s > bestScore || (s == bestScore && best != 0 && c.cluster < best) {
			best, bestScore = c.cluster, s
		}
	}
	return best
}

// similarity is the IDF-weighted Jaccard similarity of two stories' terms.
func (ix *clusterIndex) similarity(a, b *clusterDoc) float64 {
	in := make(map[string]bool, len(b.terms))
	for _, t := range b.terms {
		in[t] = true
	}
	var inter, union float64
	for _, t := range a.terms {
		w := ix.weight(t)
		union += w
		if in[t] {
			inter += w
			delete(in, t)
		}
	}
	for t := range in {
		union += ix.weight(t)
	}
	if union == 0 {
		return 0
	}
	return inter / union
}

// conflictingNumbers reports whether both titles carry numbers and share none of them.
func conflictingNumbers(a, b map[string]bool) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	for n := range a {
		if b[n] {
			return false
		}
	}
	return true
}
