package digest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSourceStateRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	empty, err := s.SourceState(ctx, "orda")
	if err != nil || empty.ID != "orda" || empty.Seeded {
		t.Fatalf("unknown source: %+v, %v", empty, err)
	}
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	want := SourceState{ID: "orda", ETag: `"x"`, LastModified: "Thu, 26 Nov 2026 08:00:00 GMT", Seeded: true,
		LastPoll: at, LastSuccess: at.Add(-time.Hour), LastError: "HTTP 503 Service Unavailable", LastErrorKind: "status",
		LastErrorAt: at, Failures: 2, NextPoll: at.Add(2 * time.Minute), StoriesTotal: 7}
	if err := s.SaveSourceState(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.SourceState(ctx, "orda")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("round trip (-want +got):\n%s", diff)
	}
	all, err := s.SourceStates(ctx)
	if err != nil || len(all) != 1 {
		t.Fatalf("SourceStates = %v, %v", all, err)
	}
}

func TestLatestIsOnePerClusterNewestFirst(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openStore(t)
	p := NewPipeline(s, testTopics, c.Now)
	at := c.Now()
	stories := []Story{
		{SourceID: "a", Key: "guid:1", Title: "Kazatomprom signs uranium supply deal with China's CNNC", Summary: "Kazatomprom has signed a long-term contract to supply uranium to CNNC.", Link: "https://a/1", Published: at.Add(-3 * time.Hour), FirstSeen: at, Language: "en", Topics: []string{"energy"}},
		{SourceID: "b", Key: "guid:9", Title: "Kazatomprom signs uranium supply deal with CNNC", Summary: "Kazatomprom has signed a long-term contract to supply uranium to CNNC.", Link: "https://b/9", Published: at.Add(-2 * time.Hour), FirstSeen: at, Language: "en", Topics: []string{"energy"}},
		{SourceID: "a", Key: "guid:2", Title: "Tenge weakens past 520 per dollar", Summary: "The tenge fell on Monday.", Link: "https://a/2", Published: at.Add(-1 * time.Hour), FirstSeen: at, Language: "en", Topics: []string{"economy"}},
	}
	stored, err := p.commit(ctx, stories, nil, SourceState{ID: "a", Seeded: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 3 || stored[1].ClusterID != stored[0].ID || !stored[0].StartsCluster() || stored[1].StartsCluster() {
		t.Fatalf("stored %+v: want the second in the first's cluster", stored)
	}
	latest, err := s.Latest(ctx, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, st := range latest {
		titles = append(titles, st.Title)
	}
	if diff := cmp.Diff([]string{"Tenge weakens past 520 per dollar", "Kazatomprom signs uranium supply deal with China's CNNC"}, titles); diff != "" {
		t.Errorf("latest (-want +got):\n%s", diff)
	}
	energy, err := s.Latest(ctx, []string{"energy"}, 10)
	if err != nil || len(energy) != 1 || energy[0].Topics[0] != "energy" {
		t.Errorf("latest energy = %+v, %v", energy, err)
	}
	links, err := s.ClusterLinks(ctx, stored[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 2 || links[0].URL != "https://a/1" || links[1].URL != "https://b/9" {
		t.Errorf("cluster links = %+v, want both outlets", links)
	}
	got, err := s.Story(ctx, stored[2].ID)
	if err != nil || got.Title != stories[2].Title || !got.Published.Equal(stories[2].Published) {
		t.Errorf("Story = %+v, %v", got, err)
	}
}
