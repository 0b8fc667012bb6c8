package digest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsbot/digest/parse"
)

func TestSearchFindsWordFormsNewestFirstOncePerCluster(t *testing.T) {
	c := newClock()
	store := openStore(t)
	p := NewPipeline(store, testTopics, c.Now)
	at := c.Now()
	process(t, p, Source{ID: "tengri", Language: "ru"},
		parse.Item{Key: "1", Title: "Добыча урана в Казахстане выросла", Link: "https://t/1", Published: at.Add(-3 * time.Hour)},
		parse.Item{Key: "2", Title: "Цены на уран растут", Link: "https://t/2", Published: at.Add(-1 * time.Hour)},
		parse.Item{Key: "3", Title: "Ёлки продают на Урале", Link: "https://t/3", Published: at.Add(-2 * time.Hour)},
	)
	process(t, p, Source{ID: "kazinform_kk", Language: "kk"},
		parse.Item{Key: "4", Title: "Астанада жаңа мектеп ашылды", Link: "https://k/4", Published: at.Add(-4 * time.Hour)},
	)
	process(t, p, Source{ID: "timesca", Language: "en"},
		parse.Item{Key: "5", Title: "EU extends sanctions", Description: "The sanctions were extended for a year.", Link: "https://tca/5", Published: at.Add(-5 * time.Hour)},
		parse.Item{Key: "6", Title: "EU extends sanctions for a year", Description: "The sanctions were extended for a year.", Link: "https://tca/6", Published: at.Add(-5 * time.Hour)},
	)
	tests := []struct {
		query string
		want  []string
	}{
		{"урана", []string{"Цены на уран растут", "Добыча урана в Казахстане выросла"}},
		{"УРАН", []string{"Цены на уран растут", "Добыча урана в Казахстане выросла"}},
		{"уран Казахстан", []string{"Добыча урана в Казахстане выросла"}},
		{"елки", []string{"Ёлки продают на Урале"}},
		{"Урал", []string{"Ёлки продают на Урале"}},
		{"Астана", []string{"Астанада жаңа мектеп ашылды"}},
		{"sanction", []string{"EU extends sanctions for a year"}}, // two reports, one cluster: the newest
		{"  ", nil},
		{`"); DROP TABLE stories; --`, nil},
		{"марс", nil},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			got, err := store.Search(context.Background(), tc.query, 10)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, st := range got {
				titles = append(titles, st.Title)
			}
			if diff := cmp.Diff(tc.want, titles); diff != "" {
				t.Errorf("Search(%q) (-want +got):\n%s", tc.query, diff)
			}
		})
	}
}

func TestUnroutedAndMarkRouted(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	store := openStore(t)
	p := NewPipeline(store, testTopics, c.Now)
	state := SourceState{ID: "a"}
	if _, err := p.Process(ctx, Source{ID: "a"}, &parse.Feed{Items: []parse.Item{{Key: "old", Title: "Backlog story"}}}, true, state); err != nil {
		t.Fatal(err)
	}
	news := process(t, p, Source{ID: "a"}, parse.Item{Key: "n1", Title: "News one"}, parse.Item{Key: "n2", Title: "News two"})
	got, err := store.Unrouted(ctx, 10)
	if err != nil || len(got) != 2 || got[0].Title != "News one" {
		t.Fatalf("Unrouted = %+v, %v; want the two news stories, not the backlog", got, err)
	}
	if err := store.MarkRouted(ctx, []int64{news[0].ID}, c.Now()); err != nil {
		t.Fatal(err)
	}
	got, _ = store.Unrouted(ctx, 10)
	if len(got) != 1 || got[0].Title != "News two" {
		t.Fatalf("after marking one: %+v", got)
	}
}
