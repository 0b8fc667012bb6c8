package digest

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsbot/digest/parse"
)

func process(t *testing.T, p *Pipeline, src Source, items ...parse.Item) []Story {
	t.Helper()
	state, err := p.store.SourceState(context.Background(), src.ID)
	if err != nil {
		t.Fatal(err)
	}
	state.Seeded = true
	got, err := p.Process(context.Background(), src, &parse.Feed{Items: items}, false, state)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestProcessBuildsStories(t *testing.T) {
	c := newClock()
	p := NewPipeline(openStore(t), testTopics, c.Now)
	pub := time.Date(2026, 11, 26, 7, 30, 0, 0, time.UTC)
	tests := []struct {
		name string
		src  Source
		item parse.Item
		want Story
	}{
		{
			name: "russian lead of two sentences, topic by word form",
			src:  Source{ID: "tengri", Language: "ru"},
			item: parse.Item{Key: "guid:1", Title: "Добыча урана выросла", Link: "https://tengrinews.kz/1/", Published: pub,
				Description: "Добыча урана в Казахстане выросла на 5% за девять месяцев. Об этом сообщил «Казатомпром». Компания сохранила прогноз на год."},
			want: Story{SourceID: "tengri", Key: "guid:1", Title: "Добыча урана выросла", Link: "https://tengrinews.kz/1/",
				Summary:   "Добыча урана в Казахстане выросла на 5% за девять месяцев. Об этом сообщил «Казатомпром».",
				Published: pub, FirstSeen: c.Now(), Language: "ru", Topics: []string{"energy"}},
		},
		{
			name: "kazakh word forms, source topic kept",
			src:  Source{ID: "kazinform_kk", Language: "kk", Topics: []string{"politics"}},
			item: parse.Item{Key: "guid:2", Title: "Экспорттық бажды төмендету ұсынылды", Link: "https://kaz.inform.kz/2", Published: pub,
				Description: "Үкімет мұнай өнімдеріне экспорттық бажды төмендетуді ұсынды."},
			want: Story{SourceID: "kazinform_kk", Key: "guid:2", Title: "Экспорттық бажды төмендету ұсынылды", Link: "https://kaz.inform.kz/2",
				Summary:   "Үкімет мұнай өнімдеріне экспорттық бажды төмендетуді ұсынды.",
				Published: pub, FirstSeen: c.Now(), Language: "kk", Topics: []string{"economy", "energy", "politics"}},
		},
		{
			name: "undated item is dated when first seen; title stands in for nothing else",
			src:  Source{ID: "x"},
			item: parse.Item{Key: "link:https://x/3", Title: "Oil exports rise", Link: "https://x/3"},
			want: Story{SourceID: "x", Key: "link:https://x/3", Title: "Oil exports rise", Summary: "Oil exports rise", Link: "https://x/3",
				Published: c.Now(), FirstSeen: c.Now(), Language: "en", Topics: []string{"energy"}},
		},
		{
			name: "a date in the future is not believed",
			src:  Source{ID: "y", Language: "en"},
			item: parse.Item{Key: "guid:4", Title: "Scheduled post", Link: "https://y/4", Published: c.Now().Add(5 * time.Hour)},
			want: Story{SourceID: "y", Key: "guid:4", Title: "Scheduled post", Summary: "Scheduled post", Link: "https://y/4",
				Published: c.Now(), FirstSeen: c.Now(), Language: "en"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := process(t, p, tc.src, tc.item)
			if len(got) != 1 {
				t.Fatalf("stored %d stories, want 1", len(got))
			}
			tc.want.ID, tc.want.ClusterID = got[0].ID, got[0].ID
			if diff := cmp.Diff(tc.want, got[0]); diff != "" {
				t.Errorf("story (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProcessNeverStoresAnItemTwice(t *testing.T) {
	c := newClock()
	p := NewPipeline(openStore(t), testTopics, c.Now)
	src := Source{ID: "orda", Language: "ru"}
	a := parse.Item{Key: "guid:a", Title: "Первая новость", Link: "https://orda.kz/a/"}
	b := parse.Item{Key: "guid:b", Title: "Вторая новость", Link: "https://orda.kz/b/"}
	if got := process(t, p, src, a, b); len(got) != 2 {
		t.Fatalf("first pass stored %d, want 2", len(got))
	}
	if got := process(t, p, src, a, b); len(got) != 0 {
		t.Fatalf("second pass stored %d, want 0", len(got))
	}
	// Another feed carrying the very same article (same canonical link) adds nothing either.
	mirror := parse.Item{Key: "guid:other", Title: "Первая новость", Link: "https://orda.kz/a/"}
	if got := process(t, p, Source{ID: "orda_mirror", Language: "ru"}, mirror); len(got) != 0 {
		t.Fatalf("a mirrored article was stored again: %+v", got)
	}
	// Two items with one key in one document: the first wins.
	dup := parse.Item{Key: "guid:c", Title: "Третья", Link: "https://orda.kz/c/"}
	if got := process(t, p, src, dup, dup); len(got) != 1 {
		t.Fatalf("a duplicated item was stored %d times", len(got))
	}
}

func TestClustersSurviveRestartAndConcurrentPolls(t *testing.T) {
	c := newClock()
	store := openStore(t)
	p := NewPipeline(store, testTopics, c.Now)
	first := process(t, p, Source{ID: "timesca", Language: "en"}, parse.Item{Key: "guid:1",
		Title:       "Kazatomprom signs uranium supply deal with China's CNNC",
		Description: "Kazakhstan's national atomic company Kazatomprom has signed a long-term contract to supply uranium concentrate to CNNC.",
		Link:        "https://timesca.com/1/"})

	// A new pipeline over the same database (a restart) still recognises the news.
	c.Advance(3 * time.Hour)
	p2 := NewPipeline(store, testTopics, c.Now)
	var wg sync.WaitGroup
	results := make([][]Story, 2)
	for i, src := range []Source{{ID: "orda_en", Language: "en"}, {ID: "kursiv_en", Language: "en"}} {
		wg.Go(func() {
			results[i] = process(t, p2, src, parse.Item{Key: "guid:x",
				Title:       "Kazakhstan to supply uranium to China under new Kazatomprom contract",
				Description: "Kazatomprom and CNNC agreed a long-term uranium supply contract, the company said.",
				Link:        "https://" + src.ID + ".example/x"})
		})
	}
	wg.Wait()
	for i, r := range results {
		if len(r) != 1 || r[0].ClusterID != first[0].ID {
			t.Errorf("report %d: %+v, want it in cluster %d", i, r, first[0].ID)
		}
	}
	links, err := store.ClusterLinks(context.Background(), first[0].ID)
	if err != nil || len(links) != 3 {
		t.Fatalf("cluster keeps %d links (%v), want every outlet's 3", len(links), err)
	}
}

func TestGuessLanguage(t *testing.T) {
	for text, want := range map[string]string{
		"Добыча урана выросла":           "ru",
		"Экспорттық бажды төмендету":     "kk",
		"Kazatomprom signs uranium deal": "en",
		"2026":                           "",
		"Тоқаев Астанада инвесторлармен кездесті": "kk",
	} {
		if got := guessLanguage(text); got != want {
			t.Errorf("guessLanguage(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestItemsSharingALinkAreDistinct(t *testing.T) {
	c := newClock()
	p := NewPipeline(openStore(t), testTopics, c.Now)
	src := Source{ID: "akipress", Language: "en"}
	// A feed whose items all link to the home page: the link says nothing about identity.
	got := process(t, p, src,
		parse.Item{Key: "guid:1", Title: "Parliament passes budget", Link: "https://akipress.com/"},
		parse.Item{Key: "guid:2", Title: "Bishkek airport reopens", Link: "https://akipress.com/"},
		parse.Item{Key: "guid:3", Title: "Gold output rises", Link: "https://akipress.com/"},
	)
	if len(got) != 3 {
		t.Fatalf("stored %d of 3 items that share a landing-page link", len(got))
	}
	// The next poll brings one more such item, alone in its document this time.
	if got := process(t, p, src, parse.Item{Key: "guid:4", Title: "Tokayev visits Bishkek", Link: "https://akipress.com/"}); len(got) != 1 {
		t.Fatalf("a new item was dropped for its source's own landing-page link: %d stored", len(got))
	}
}

func TestConcurrentSourcesStoreASharedLinkOnce(t *testing.T) {
	for round := range 20 {
		c := newClock()
		store := openStore(t)
		p := NewPipeline(store, testTopics, c.Now)
		var wg sync.WaitGroup
		counts := make([]int, 2)
		for i, id := range []string{"kazinform", "kazinform_mirror"} {
			wg.Go(func() {
				counts[i] = len(process(t, p, Source{ID: id, Language: "ru"},
					parse.Item{Key: "guid:" + id, Title: "Сенат одобрил закон", Link: "https://www.inform.kz/ru/senat-odobril"}))
			})
		}
		wg.Wait()
		if counts[0]+counts[1] != 1 {
			t.Fatalf("round %d: the article was stored %d times", round, counts[0]+counts[1])
		}
	}
}

func TestLatestFindsClusterMembersOnOtherTopics(t *testing.T) {
	c := newClock()
	store := openStore(t)
	p := NewPipeline(store, testTopics, c.Now)
	first := process(t, p, Source{ID: "kapital", Language: "en", Topics: []string{"economy"}}, parse.Item{Key: "1",
		Title: "State miner signs supply deal with China's CNNC", Description: "The state miner has signed a long-term supply contract with CNNC.", Link: "https://k/1"})
	second := process(t, p, Source{ID: "timesca", Language: "en"}, parse.Item{Key: "2",
		Title: "State miner signs uranium supply deal with CNNC", Description: "The state miner has signed a long-term uranium supply contract with CNNC.", Link: "https://t/2"})
	if second[0].ClusterID != first[0].ID {
		t.Fatalf("the reports did not cluster: %+v %+v", first, second)
	}
	if slices.Contains(first[0].Topics, "energy") || !slices.Contains(second[0].Topics, "energy") {
		t.Fatalf("topics: first %v, second %v; the test needs energy on the second only", first[0].Topics, second[0].Topics)
	}
	got, err := store.Latest(context.Background(), []string{"energy"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != second[0].ID {
		t.Fatalf("Latest(energy) = %+v, want the second report", got)
	}
}
