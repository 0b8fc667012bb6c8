package alerts

import (
	"slices"
	"sync"
)

// Hit is an alert that fires on a story.
type Hit struct {
	AlertID int64
	ChatID  int64
}

// Index finds the alerts that fire on a story without looking at the others. It is built for a
// million alerts: a story's tokens are looked up once each, giving the keyword words they match
// (see wordIndex); those words give the terms that occur, by word and by the first two words of a
// phrase; an alert that is a single term is then simply returned; any other is filed under the
// alternatives of one of its groups, the one whose terms have the fewest alerts, and evaluated in
// full only when one of them occurs. A filed alert is stored in the term's list itself, not behind
// a pointer, so a story reads those lists front to back.
//
// Index.Match agrees with Query.Matches for every alert it holds. An Index is safe for concurrent
// use: Add and Remove may run while stories are matched, and a Match sees each alert either fully
// added or not at all.
type Index struct {
	mu sync.RWMutex

	// home maps an alert id to the term whose list holds it: t for a filed alert (the first
	// alternative of its first group), -1-t for one that is just term t.
	home map[int64]int32

	termOf    map[string]int32 // term key → index into termTab
	termTab   []termRec
	freeTerms []int32

	bigrams map[[2]int32][]int32 // first two words of a phrase spelling → terms

	words wordIndex
	bits  sync.Pool // *[]uint64 scratch sets of term ids, for Match

	translit func(string) string
}

// termRec is one distinct term of the alerts held.
type termRec struct {
	spell  [][]int32 // word ids of each spelling: as typed, then transliterated
	refs   int32     // occurrences in the alerts held
	nFiled int32     // entries in filed
	simple []Hit     // alerts that are just this term: they fire whenever it occurs
	// filed holds the alerts filed under this term, each as an entry: the length n of its prog,
	// the alert id and the chat id (two int32 halves each), then prog, the query over term ids:
	// the number of groups, each group as its length and its alternatives, then the excluded
	// terms. The first group is the one filed under.
	filed []int32
}

// entryHead is the length of a filed entry before its prog.
const entryHead = 5

// load is how many alerts a story with the term returns or evaluates.
func (t *termRec) load() int { return len(t.simple) + int(t.nFiled) }

// NewIndex returns an empty Index.
func NewIndex() *Index {
	return newIndex(transliterate)
}

// newIndex returns an empty Index with the given transliteration (nil for none).
func newIndex(translit func(string) string) *Index {
	return &Index{
		home:     make(map[int64]int32),
		termOf:   make(map[string]int32),
		bigrams:  make(map[[2]int32][]int32),
		words:    newWordIndex(defaultMaxCached),
		translit: translit,
	}
}

// Len returns the number of alerts in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.home)
}

// Add adds the alert alertID of chat chatID with query q, replacing any alert with that id. A nil
// or zero q just removes the alert. The cost is a few map operations; the first Match after new
// keyword words arrive also compiles the matcher of their letter (see wordIndex), milliseconds for
// the commonest letters of a million alerts.
func (ix *Index) Add(alertID, chatID int64, q *Query) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(alertID)
	if q == nil || len(q.groups) == 0 {
		return
	}
	if len(q.groups) == 1 && len(q.groups[0]) == 1 && len(q.exclude) == 0 {
		t := ix.refTerm(q.groups[0][0].words)
		ix.termTab[t].simple = append(ix.termTab[t].simple, Hit{AlertID: alertID, ChatID: chatID})
		ix.home[alertID] = -1 - t
		return
	}
	groups := make([][]int32, len(q.groups))
	size := 1 + len(q.exclude)
	for i, g := range q.groups {
		for _, t := range g {
			groups[i] = append(groups[i], ix.refTerm(t.words))
		}
		size += 1 + len(g)
	}
	// File the alert under the group whose terms have the fewest alerts: every story with one of
	// them evaluates it.
	best, bestCost := 0, -1
	for i, g := range groups {
		cost := 0
		for _, t := range g {
			cost += ix.termTab[t].load()
		}
		if bestCost < 0 || cost < bestCost {
			best, bestCost = i, cost
		}
	}
	groups[0], groups[best] = groups[best], groups[0]

	entry := make([]int32, entryHead, entryHead+size)
	entry[0] = int32(size)
	entry[1], entry[2] = int32(uint32(alertID)), int32(alertID>>32)
	entry[3], entry[4] = int32(uint32(chatID)), int32(chatID>>32)
	entry = append(entry, int32(len(groups)))
	for _, g := range groups {
		entry = append(entry, int32(len(g)))
		entry = append(entry, g...)
	}
	for _, t := range q.exclude {
		entry = append(entry, ix.refTerm(t.words))
	}
	for _, t := range groups[0] {
		rec := &ix.termTab[t]
		rec.filed = append(rec.filed, entry...)
		rec.nFiled++
	}
	ix.home[alertID] = groups[0][0]
}

// Remove removes the alert alertID and reports whether it was there. It scans the lists of the
// alerts that share its terms: microseconds, tens of them for the commonest words of a million
// alerts.
func (ix *Index) Remove(alertID int64) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.remove(alertID)
}

func (ix *Index) remove(alertID int64) bool {
	home, ok := ix.home[alertID]
	if !ok {
		return false
	}
	delete(ix.home, alertID)
	if home < 0 {
		t := -1 - home
		rec := &ix.termTab[t]
		i := slices.IndexFunc(rec.simple, func(h Hit) bool { return h.AlertID == alertID })
		last := len(rec.simple) - 1
		rec.simple[i] = rec.simple[last]
		rec.simple = rec.simple[:last]
		ix.unrefTerm(t)
		return true
	}
	filed := ix.termTab[home].filed
	prog := slices.Clone(entryProg(filed, findEntry(filed, alertID)))
	ng, p := int(prog[0]), 1
	for g := range ng {
		n := int(prog[p])
		for _, t := range prog[p+1 : p+1+n] {
			if g == 0 {
				rec := &ix.termTab[t]
				i := findEntry(rec.filed, alertID)
				rec.filed = slices.Delete(rec.filed, i, i+entryHead+int(rec.filed[i]))
				rec.nFiled--
			}
			ix.unrefTerm(t)
		}
		p += 1 + n
	}
	for _, t := range prog[p:] {
		ix.unrefTerm(t)
	}
	return true
}

// findEntry returns the offset in filed of the entry of alert id, which must be there.
func findEntry(filed []int32, id int64) int {
	lo, hi := int32(uint32(id)), int32(id>>32)
	for i := 0; ; i += entryHead + int(filed[i]) {
		if filed[i+1] == lo && filed[i+2] == hi {
			return i
		}
	}
}

// entryProg returns the prog of the entry at offset i of filed.
func entryProg(filed []int32, i int) []int32 {
	return filed[i+entryHead : i+entryHead+int(filed[i])]
}
