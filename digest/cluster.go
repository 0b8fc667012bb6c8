package digest

import (
	"math"
	"slices"
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
	postings map[string][]int64 // story ids by term; slices, not maps, keep the GC's work small
}

type clusterDoc struct {
	id, cluster int64
	at          time.Time       // published
	seen        time.Time       // first seen, for pruning
	terms       []string        // distinct content stems, sorted
	numbers     map[string]bool // numbers in the title: 26 ноября vs 27 ноября are different news
}

func newClusterIndex() *clusterIndex {
	return &clusterIndex{docs: map[int64]*clusterDoc{}, postings: map[string][]int64{}}
}

// storyDoc derives what clustering compares: the content terms of title and summary, and the
// numbers of the title.
func storyDoc(st Story, terms *words.TermCache) *clusterDoc {
	d := &clusterDoc{id: st.ID, cluster: st.ClusterID, at: st.Published, seen: st.FirstSeen}
	d.terms = terms.Terms(st.Title+"\n"+st.Summary, st.Language)
	slices.Sort(d.terms)
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
		ix.postings[t] = append(ix.postings[t], d.id)
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
	gone := make(map[int64]bool, len(docs))
	terms := map[string]bool{}
	for _, d := range docs {
		gone[d.id] = true
		delete(ix.docs, d.id)
		for _, t := range d.terms {
			terms[t] = true
		}
	}
	for t := range terms {
		p := slices.DeleteFunc(ix.postings[t], func(id int64) bool { return gone[id] })
		if len(p) == 0 {
			delete(ix.postings, t)
		} else {
			ix.postings[t] = p
		}
	}
}

// weights are inverse document frequencies of terms among the remembered stories: words every
// story of the region shares ("Казахстан", "Kazakhstan") say little about which news it is.
// One weights value serves one match, memoising each term's weight.
type weights struct {
	ix   *clusterIndex
	n    float64
	memo map[string]float64
}

func (ix *clusterIndex) weights() *weights {
	return &weights{ix: ix, n: float64(len(ix.docs) + 1), memo: map[string]float64{}}
}

func (w *weights) of(term string) float64 {
	if v, ok := w.memo[term]; ok {
		return v
	}
	v := math.Log((w.n+1)/(float64(len(w.ix.postings[term]))+1)) + 1
	w.memo[term] = v
	return v
}

// commonShare is the share of remembered stories above which a term is too common to propose
// candidates: a report of the same news always shares rarer terms too. The term still counts
// in the similarity of the candidates that rarer terms propose.
const commonShare = 0.02

// maxCandidates is how many of the stories sharing most terms with a new one are compared with it.
const maxCandidates = 8

// match returns the cluster that d reports on, or 0 when it is new news.
func (ix *clusterIndex) match(d *clusterDoc) int64 {
	if len(d.terms) == 0 {
		return 0
	}
	common := max(20, int(commonShare*float64(len(ix.docs))))
	shared := map[int64]int{}
	for _, t := range d.terms {
		p := ix.postings[t]
		if len(p) > common {
			continue
		}
		for _, id := range p {
			shared[id]++
		}
	}
	// Only the stories sharing the most terms are compared: a report of the same news is among
	// them, and comparing every story that shares two mid-frequency words costs more than the
	// rest of the pipeline.
	type cand struct {
		id int64
		n  int
	}
	var cands []cand
	for id, n := range shared {
		if n >= 2 { // one shared word is coincidence
			cands = append(cands, cand{id, n})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return int(a.id - b.id)
	})
	w := ix.weights()
	var best int64
	bestScore := clusterThreshold
	for _, cd := range cands[:min(len(cands), maxCandidates)] {
		c := ix.docs[cd.id]
		if gap := d.at.Sub(c.at); gap > ClusterWindow || gap < -ClusterWindow {
			continue
		}
		if conflictingNumbers(d.numbers, c.numbers) {
			continue
		}
		s := similarity(w, d, c)
		if s > bestScore || (s == bestScore && best != 0 && c.cluster < best) {
			best, bestScore = c.cluster, s
		}
	}
	return best
}

// similarity is the IDF-weighted Jaccard similarity of two stories' sorted terms.
func similarity(w *weights, a, b *clusterDoc) float64 {
	var inter, union float64
	i, j := 0, 0
	for i < len(a.terms) || j < len(b.terms) {
		switch {
		case j == len(b.terms) || (i < len(a.terms) && a.terms[i] < b.terms[j]):
			union += w.of(a.terms[i])
			i++
		case i == len(a.terms) || b.terms[j] < a.terms[i]:
			union += w.of(b.terms[j])
			j++
		default:
			v := w.of(a.terms[i])
			inter += v
			union += v
			i++
			j++
		}
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
