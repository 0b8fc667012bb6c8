package alerts

import (
	"slices"

	"newsbot/digest/words"
)

// Match returns the alerts that fire on text, a story's title and summary (join them with a line
// break), in language lang ("ru", "kk", "en", or "" when unknown), each once and in no particular
// order; nil when none does. It returns exactly the alerts whose Query.Matches(text, lang) is
// true. Several alerts of one chat may fire; the caller sends the story to the chat once.
func (ix *Index) Match(text, lang string) []Hit {
	toks := words.Tokenize(text)
	if len(toks) == 0 {
		return nil
	}
	kazakh := kazakhText(lang, toks)

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if len(ix.home) == 0 {
		return nil
	}
	at := ix.words.match(toks, kazakh)
	present := ix.present(at)
	if len(present) == 0 {
		return nil
	}
	return ix.fire(present)
}

// present returns the ids of the terms that occur, given the keyword words each token matches,
// each once.
func (ix *Index) present(at [][]int32) []int32 {
	var found []int32
	for i, ws := range at {
		for _, w := range ws {
			found = append(found, ix.words.singles(w)...)
			if i+1 == len(at) || !ix.words.startsPhrase(w) {
				continue
			}
			for _, w2 := range at[i+1] {
				for _, t := range ix.bigrams[[2]int32{w, w2}] {
					if ix.phraseAt(t, at, i) {
						found = append(found, t)
					}
				}
			}
		}
	}
	slices.Sort(found)
	return slices.Compact(found)
}

// phraseAt reports whether a phrase spelling of term t occurs at token i.
func (ix *Index) phraseAt(t int32, at [][]int32, i int) bool {
	for _, sp := range ix.termTab[t].spell {
		if len(sp) < 2 || i+len(sp) > len(at) {
			continue
		}
		ok := true
		for j, w := range sp {
			if !slices.Contains(at[i+j], w) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// fire returns the single-term alerts of the present terms and evaluates the alerts filed under
// them.
func (ix *Index) fire(present []int32) []Hit {
	simple, filed := 0, 0
	for _, t := range present {
		simple += len(ix.termTab[t].simple)
		filed += int(ix.termTab[t].nFiled)
	}
	if simple+filed == 0 {
		return nil
	}
	in := ix.termSet(present)
	defer ix.releaseTermSet(in, present)
	hits := make([]Hit, 0, simple+filed/2)
	for _, t := range present {
		rec := &ix.termTab[t]
		hits = append(hits, rec.simple...)
		for i := 0; i < len(rec.filed); {
			n := int(rec.filed[i])
			e := rec.filed[i : i+entryHead+n]
			i += entryHead + n
			if fires(e[entryHead:], t, *in) {
				hits = append(hits, Hit{
					AlertID: int64(uint32(e[1])) | int64(e[2])<<32,
					ChatID:  int64(uint32(e[3])) | int64(e[4])<<32,
				})
			}
		}
	}
	if len(hits) == 0 {
		return nil
	}
	return hits
}

// termSet returns a bit set over term ids with the present terms set.
func (ix *Index) termSet(present []int32) *[]uint64 {
	in, _ := ix.bits.Get().(*[]uint64)
	if need := len(ix.termTab)/64 + 1; in == nil || len(*in) < need {
		s := make([]uint64, need+need/4)
		in = &s
	}
	for _, t := range present {
		(*in)[t>>6] |= 1 << (t & 63)
	}
	return in
}

// releaseTermSet clears the present terms from in and returns it to the pool.
func (ix *Index) releaseTermSet(in *[]uint64, present []int32) {
	for _, t := range present {
		(*in)[t>>6] = 0
	}
	ix.bits.Put(in)
}

// fires evaluates an alert's prog, reached through via, the term it is filed under, given the set
// in of present terms. An alert filed under several present alternatives is reached through each;
// only the first present one evaluates it, so that it fires once.
func fires(prog []int32, via int32, in []uint64) bool {
	ng, p := int(prog[0]), 1
	for g := range ng {
		n := int(prog[p])
		alts := prog[p+1 : p+1+n]
		p += 1 + n
		found := false
		for _, t := range alts {
			if in[t>>6]&(1<<(t&63)) != 0 {
				if g == 0 && t != via {
					return false
				}
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	for _, t := range prog[p:] {
		if in[t>>6]&(1<<(t&63)) != 0 {
			return false
		}
	}
	return true
}
