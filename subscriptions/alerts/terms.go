package alerts

import (
	"slices"
	"strings"
)

// refTerm returns the id of the term with the given words, adding it if it is new, and counts one
// more use of it.
func (ix *Index) refTerm(ws []string) int32 {
	key := strings.Join(ws, " ")
	if id, ok := ix.termOf[key]; ok {
		ix.termTab[id].refs++
		return id
	}
	var id int32
	if n := len(ix.freeTerms); n > 0 {
		id = ix.freeTerms[n-1]
		ix.freeTerms = ix.freeTerms[:n-1]
	} else {
		id = int32(len(ix.termTab))
		ix.termTab = append(ix.termTab, termRec{})
	}
	rec := termRec{refs: 1}
	for _, sp := range spellings(ws, ix.translit) {
		ids := make([]int32, len(sp))
		for j, w := range sp {
			ids[j] = ix.words.ref(w)
		}
		rec.spell = append(rec.spell, ids)
		if len(ids) == 1 {
			ix.words.addSingle(ids[0], id)
			continue
		}
		ix.words.tab[ids[0]].starts++
		bg := [2]int32{ids[0], ids[1]}
		if !slices.Contains(ix.bigrams[bg], id) {
			ix.bigrams[bg] = append(ix.bigrams[bg], id)
		}
	}
	ix.termTab[id] = rec
	ix.termOf[key] = id
	return id
}

// unrefTerm counts one use less of term id, and forgets the term when it has none left.
func (ix *Index) unrefTerm(id int32) {
	rec := &ix.termTab[id]
	if rec.refs--; rec.refs > 0 {
		return
	}
	for _, ids := range rec.spell {
		if len(ids) == 1 {
			ix.words.removeSingle(ids[0], id)
		} else {
			ix.words.tab[ids[0]].starts--
			bg := [2]int32{ids[0], ids[1]}
			if l := slices.DeleteFunc(ix.bigrams[bg], func(t int32) bool { return t == id }); len(l) > 0 {
				ix.bigrams[bg] = l
			} else {
				delete(ix.bigrams, bg)
			}
		}
	}
	// The key is the first spelling, before its words may go.
	key := ix.words.join(rec.spell[0])
	for _, ids := range rec.spell {
		for _, w := range ids {
			ix.words.unref(w)
		}
	}
	delete(ix.termOf, key)
	*rec = termRec{}
	ix.freeTerms = append(ix.freeTerms, id)
}
