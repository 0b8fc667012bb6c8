package parse

import (
	"crypto/sha256"
	"encoding/hex"
)

// assignKeys sets Item.Key (see its doc) and drops later items whose key
// repeats an earlier one. rawDates[i] is items[i]'s date as written.
func assignKeys(items []Item, rawDates []string) []Item {
	byGUID := make(map[string][]int, len(items))
	for i := range items {
		if g := items[i].GUID; g != "" {
			byGUID[g] = append(byGUID[g], i)
		}
	}
	for i := range items {
		it := &items[i]
		switch group := byGUID[it.GUID]; {
		case it.GUID != "" && (len(group) == 1 || sameItems(items, group)):
			it.Key = "guid:" + it.GUID
		case it.GUID != "" && distinctLinks(items, group):
			it.Key = "link:" + it.Link
		case it.GUID == "" && it.Link != "":
			it.Key = "link:" + it.Link
		default:
			it.Key = hashKey(it, rawDates[i])
		}
	}
	seen := make(map[string]bool, len(items))
	out := items[:0]
	for _, it := range items {
		if seen[it.Key] {
			continue
		}
		seen[it.Key] = true
		out = append(out, it)
	}
	return out
}

// sameItems reports whether the items sharing a GUID are copies of one
// item (same link and title), which is what a repeated GUID usually means.
func sameItems(items []Item, group []int) bool {
	first := items[group[0]]
	for _, i := range group[1:] {
		if items[i].Link != first.Link || items[i].Title != first.Title {
			return false
		}
	}
	return true
}

// distinctLinks reports whether every item of the group has its own link.
func distinctLinks(items []Item, group []int) bool {
	seen := make(map[string]bool, len(group))
	for _, i := range group {
		l := items[i].Link
		if l == "" || seen[l] {
			return false
		}
		seen[l] = true
	}
	return true
}

func hashKey(it *Item, rawDate string) string {
	h := sha256.New()
	h.Write([]byte(it.Title))
	h.Write([]byte{0})
	h.Write([]byte(rawDate))
	if it.Title == "" {
		h.Write([]byte{0})
		h.Write([]byte(it.Description))
	}
	return "hash:" + hex.EncodeToString(h.Sum(nil))
}
