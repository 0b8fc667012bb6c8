package digest

import (
	"context"
	"sync"
	"testing"
	"time"

	"newsbot/digest/parse"
)

// TestFirstSeenIsWhenTheWriteLockIsTaken: a poll that began before a digest's end but commits
// after the digest read its stories must not be stamped inside the digest's window.
func TestFirstSeenIsWhenTheWriteLockIsTaken(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	start := time.Date(2026, 3, 10, 7, 59, 59, 0, time.UTC)
	var mu sync.Mutex
	calls := 0
	clock := func() time.Time { // the poll starts at 07:59:59; everything after is 08:00:01
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			return start
		}
		return start.Add(2 * time.Second)
	}
	p := NewPipeline(s, []Topic{{ID: "energy", Keywords: []string{"уран"}}}, clock)
	stored, err := p.Process(ctx, Source{ID: "orda", Language: "ru"}, &parse.Feed{Items: []parse.Item{
		{Key: "guid:1", Title: "Добыча урана выросла", Link: "https://orda.kz/1", Published: start.Add(-time.Hour)},
		{Key: "guid:2", Title: "Новость без даты", Link: "https://orda.kz/2"},
	}}, false, SourceState{ID: "orda", Seeded: true})
	if err != nil || len(stored) != 2 {
		t.Fatalf("Process = %d stories, %v", len(stored), err)
	}
	commit := start.Add(2 * time.Second)
	for _, st := range stored {
		if !st.FirstSeen.Equal(commit) {
			t.Errorf("%s first seen %v, want the commit's %v", st.Title, st.FirstSeen, commit)
		}
	}
	if !stored[0].Published.Equal(start.Add(-time.Hour)) || !stored[1].Published.Equal(commit) {
		t.Errorf("published %v and %v: a dated item keeps its date, an undated one gets first seen", stored[0].Published, stored[1].Published)
	}
	until := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
	if err := s.WriteBarrier(ctx); err != nil {
		t.Fatal(err)
	}
	before, _ := s.DigestCandidates(ctx, until.Add(-24*time.Hour), until)
	after, _ := s.DigestCandidates(ctx, until, until.Add(24*time.Hour))
	if len(before) != 0 || len(after) != 2 {
		t.Errorf("the 08:00 digest has %d, the next %d; want 0 and 2", len(before), len(after))
	}
}

func TestPickRanksAndFilters(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 3, 10, h, 0, 0, 0, time.UTC) }
	c := func(id int64, seen, pub int, topics []string, sources int, pinned time.Time) Candidate {
		srcs := []string{"orda", "kursiv", "vlast", "tengri"}[:sources]
		return Candidate{Story: Story{ID: id, ClusterID: id, FirstSeen: at(seen), Published: at(pub)}, Topics: topics,
			Sources: srcs, PinnedAt: pinned}
	}
	cands := []Candidate{
		c(1, 1, 1, []string{"energy"}, 1, time.Time{}),
		c(2, 2, 2, []string{"economy"}, 3, time.Time{}),
		c(3, 3, 3, []string{"politics"}, 1, at(5)), // pinned in the window: in, whatever the topic
		c(4, 4, 4, []string{"energy"}, 1, time.Time{}),
		c(5, 9, 9, []string{"energy"}, 4, time.Time{}), // after until: out
		c(6, 0, 0, []string{"energy"}, 2, at(-20)),     // pinned before since, seen before since: out
		c(7, 6, 6, []string{"energy", "economy"}, 2, time.Time{}),
	}
	got := Pick(cands, []string{"energy", "economy"}, at(1), at(8), 4)
	var ids []int64
	for _, g := range got {
		ids = append(ids, g.Story.ID)
	}
	want := []int64{3, 2, 7, 4}
	if len(ids) != len(want) {
		t.Fatalf("Pick = %v, want %v", ids, want)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("Pick = %v, want %v", ids, want)
		}
	}
}
