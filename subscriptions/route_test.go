package subscriptions

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

type chatSetup struct {
	id       int64
	typ      string
	topics   []string
	inactive bool
}

func setUp(t *testing.T, s *Store, chats []chatSetup) {
	t.Helper()
	for _, c := range chats {
		touch(t, s, c.id, c.typ)
		subscribe(t, s, c.id, c.topics...)
		if c.inactive {
			if err := s.SetActive(context.Background(), c.id, false, "blocked"); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestRoute(t *testing.T) {
	energyReader := chatSetup{aigerim, TypePrivate, []string{"energy", "economy"}, false}
	for _, tc := range []struct {
		name  string
		chats []chatSetup
		calls [][]StoryRef // routed one after another
		want  [][]Push     // per call
	}{
		{
			name:  "a story matching two topics of a chat is pushed once",
			chats: []chatSetup{energyReader},
			calls: [][]StoryRef{{{StoryID: 1, ClusterID: 1, Topics: []string{"energy", "economy"}}}},
			want:  [][]Push{{{aigerim, []int64{1}}}},
		},
		{
			name:  "two stories of one cluster: the first is pushed",
			chats: []chatSetup{energyReader},
			calls: [][]StoryRef{{
				// Input order decides, not ids: 20 is another outlet's report of 10's news.
				{StoryID: 20, ClusterID: 10, Topics: []string{"energy"}},
				{StoryID: 30, ClusterID: 30, Topics: []string{"economy"}},
				{StoryID: 10, ClusterID: 10, Topics: []string{"energy", "economy"}},
			}},
			want: [][]Push{{{aigerim, []int64{20, 30}}}},
		},
		{
			name: "each chat gets the first story of the cluster on its topics",
			chats: []chatSetup{
				{aigerim, TypePrivate, []string{"energy"}, false},
				{daniyar, TypePrivate, []string{"world"}, false},
			},
			calls: [][]StoryRef{{
				{StoryID: 5, ClusterID: 5, Topics: []string{"energy"}},
				{StoryID: 6, ClusterID: 5, Topics: []string{"world", "energy"}},
			}},
			want: [][]Push{{{aigerim, []int64{5}}, {daniyar, []int64{6}}}},
		},
		{
			name: "inactive chats are skipped",
			chats: []chatSetup{
				energyReader,
				{daniyar, TypePrivate, []string{"energy"}, true},
			},
			calls: [][]StoryRef{{{StoryID: 1, Topics: []string{"energy"}}}},
			want:  [][]Push{{{aigerim, []int64{1}}}},
		},
		{
			name:  "routing the same stories again pushes nothing",
			chats: []chatSetup{energyReader},
			calls: [][]StoryRef{
				{{StoryID: 1, Topics: []string{"energy"}}, {StoryID: 2, Topics: []string{"economy"}}},
				{{StoryID: 1, Topics: []string{"energy"}}, {StoryID: 2, Topics: []string{"economy"}}},
			},
			want: [][]Push{{{aigerim, []int64{1, 2}}}, nil},
		},
		{
			name:  "a later report of a delivered cluster is not pushed",
			chats: []chatSetup{energyReader},
			calls: [][]StoryRef{
				{{StoryID: 1, ClusterID: 1, Topics: []string{"energy"}}},
				{{StoryID: 2, ClusterID: 1, Topics: []string{"economy"}}, {StoryID: 3, ClusterID: 3, Topics: []string{"energy"}}},
			},
			want: [][]Push{{{aigerim, []int64{1}}}, {{aigerim, []int64{3}}}},
		},
		{
			name:  "cluster 0 is the story's own",
			chats: []chatSetup{energyReader},
			calls: [][]StoryRef{
				{{StoryID: 9, Topics: []string{"energy"}}},
				{{StoryID: 10, ClusterID: 9, Topics: []string{"energy"}}},
			},
			want: [][]Push{{{aigerim, []int64{9}}}, nil},
		},
		{
			name: "private chats, groups, supergroups and channels alike, by chat id",
			chats: []chatSetup{
				{aigerim, TypePrivate, []string{"world"}, false},
				{oldGroup, TypeGroup, []string{"world"}, false},
				{newsGroup, TypeSupergroup, []string{"world", "regions"}, false},
				{channel, TypeChannel, []string{"world"}, false},
			},
			calls: [][]StoryRef{{{StoryID: 4, Topics: []string{"world"}}, {StoryID: 5, Topics: []string{"regions"}}}},
			want: [][]Push{{
				{newsGroup, []int64{4, 5}},
				{channel, []int64{4}},
				{oldGroup, []int64{4}},
				{aigerim, []int64{4}},
			}},
		},
		{
			name:  "stories in input order, not id order",
			chats: []chatSetup{energyReader},
			calls: [][]StoryRef{{
				{StoryID: 3, Topics: []string{"energy"}},
				{StoryID: 1, Topics: []string{"economy"}},
				{StoryID: 2, Topics: []string{"energy"}},
			}},
			want: [][]Push{{{aigerim, []int64{3, 1, 2}}}},
		},
		{
			name:  "a story listed twice is pushed once",
			chats: []chatSetup{energyReader},
			calls: [][]StoryRef{{{StoryID: 3, Topics: []string{"energy"}}, {StoryID: 3, Topics: []string{"energy"}}}},
			want:  [][]Push{{{aigerim, []int64{3}}}},
		},
		{
			name:  "no chat follows the topics, or there are none",
			chats: []chatSetup{energyReader, {daniyar, TypePrivate, nil, false}},
			calls: [][]StoryRef{{
				{StoryID: 1, Topics: []string{"world"}},
				{StoryID: 2, Topics: nil},
				{StoryID: 3, Topics: []string{}},
				{StoryID: 4, Topics: []string{"sport"}},
			}},
			want: [][]Push{nil},
		},
		{
			name:  "no stories",
			chats: []chatSetup{energyReader},
			calls: [][]StoryRef{nil},
			want:  [][]Push{nil},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newStore(t, Limits{})
			setUp(t, s, tc.chats)
			for i, stories := range tc.calls {
				got, err := s.Route(context.Background(), stories)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want[i], got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("call %d (-want +got):\n%s", i+1, diff)
				}
			}
		})
	}
}

func TestRouteRecordsDeliveries(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t, Limits{})
	setUp(t, s, []chatSetup{{aigerim, TypePrivate, []string{"energy"}, false}, {daniyar, TypePrivate, []string{"energy"}, true}})
	if _, err := s.Route(ctx, []StoryRef{{StoryID: 12, ClusterID: 11, Topics: []string{"energy"}}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		chat, cluster int64
		want          bool
	}{{aigerim, 11, true}, {aigerim, 12, false}, {daniyar, 11, false}, {newsGroup, 11, false}} {
		if got, err := s.Delivered(ctx, tc.chat, tc.cluster); err != nil || got != tc.want {
			t.Errorf("Delivered(%d, %d) = %v, %v; want %v", tc.chat, tc.cluster, got, err, tc.want)
		}
	}
	if n := count(t, s, `SELECT COUNT(*) FROM deliveries WHERE chat_id = ? AND story_id = 12 AND decided_at = ?`,
		aigerim, clk.Now().Unix()); n != 1 {
		t.Fatal("the delivery does not record the story and the time")
	}

	// A chat back from inactivity gets new stories, not what it missed.
	if err := s.SetActive(ctx, daniyar, true, ""); err != nil {
		t.Fatal(err)
	}
	got, err := s.Route(ctx, []StoryRef{
		{StoryID: 12, ClusterID: 11, Topics: []string{"energy"}},
		{StoryID: 13, ClusterID: 13, Topics: []string{"energy"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Push{{aigerim, []int64{13}}, {daniyar, []int64{12, 13}}}
	if diff := cmp.Diff(want, got); diff != "" {
		// Route is told which stories are new; a reactivated chat does get one of those it
		// had missed only when the caller routes it again, as here.
		t.Errorf("after reactivation (-want +got):\n%s", diff)
	}
}

func TestRouteRefusesBadIDs(t *testing.T) {
	s, _ := newStore(t, Limits{})
	for _, st := range []StoryRef{{StoryID: 0, ClusterID: 1}, {StoryID: -3, ClusterID: 1}, {StoryID: 3, ClusterID: -1}} {
		if _, err := s.Route(context.Background(), []StoryRef{{StoryID: 1}, st}); err == nil {
			t.Errorf("Route accepted %+v", st)
		}
	}
}

func TestPruneDeliveries(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t, Limits{})
	setUp(t, s, []chatSetup{{aigerim, TypePrivate, []string{"energy"}, false}})
	if _, err := s.Route(ctx, []StoryRef{{StoryID: 1, Topics: []string{"energy"}}}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(8 * 24 * time.Hour)
	if _, err := s.Route(ctx, []StoryRef{{StoryID: 2, Topics: []string{"energy"}}}); err != nil {
		t.Fatal(err)
	}
	n, err := s.PruneDeliveries(ctx, clk.Now().Add(-7*24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("PruneDeliveries = %d, %v; want 1", n, err)
	}
	if ok, _ := s.Delivered(ctx, aigerim, 1); ok {
		t.Error("the old delivery survived")
	}
	if ok, _ := s.Delivered(ctx, aigerim, 2); !ok {
		t.Error("the recent delivery was pruned")
	}
}

// TestRouteConcurrent routes overlapping batches from several goroutines, while chats come and
// go, and checks that no chat×cluster is ever pushed twice and none is missed.
func TestRouteConcurrent(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{})
	topics := []string{"politics", "economy", "energy", "security", "society", "regions", "world"}
	rng := rand.New(rand.NewPCG(1, 2))
	follows := map[int64][]string{}
	var chats []chatSetup
	for i := range 60 {
		id := int64(100 + i)
		typ := TypePrivate
		if i%3 == 0 {
			id, typ = -1002000000000-int64(i), TypeSupergroup
		}
		var mine []string
		for _, tp := range topics {
			if rng.IntN(3) == 0 {
				mine = append(mine, tp)
			}
		}
		follows[id] = mine
		chats = append(chats, chatSetup{id, typ, mine, false})
	}
	setUp(t, s, chats)

	// 120 stories in 80 clusters; each goroutine routes an overlapping window, in batches.
	var stories []StoryRef
	cluster := map[int64]int64{}
	for i := range 120 {
		id := int64(1000 + i)
		cl := id
		if i >= 80 {
			cl = 1000 + int64(rng.IntN(80)) // a report of earlier news
		}
		var tps []string
		for _, tp := range topics {
			if rng.IntN(4) == 0 {
				tps = append(tps, tp)
			}
		}
		cluster[id] = cl
		stories = append(stories, StoryRef{StoryID: id, ClusterID: cl, Topics: tps})
	}
	windows := [][2]int{{0, 90}, {30, 120}, {0, 120}, {60, 100}}
	results := make([][]Push, len(windows))
	var wg sync.WaitGroup
	errs := make(chan error, len(windows)+1)
	for w, win := range windows {
		wg.Go(func() {
			part := slices.Clone(stories[win[0]:win[1]])
			if w%2 == 1 {
				slices.Reverse(part)
			}
			for start := 0; start < len(part); start += 7 {
				got, err := s.Route(ctx, part[start:min(start+7, len(part))])
				if err != nil {
					errs <- err
					return
				}
				results[w] = append(results[w], got...)
			}
		})
	}
	// Unrelated chats come and go meanwhile.
	wg.Go(func() {
		for i := range 20 {
			id := int64(9000 + i)
			if _, _, err := s.Touch(ctx, ChatInfo{ID: id, Type: TypePrivate}); err != nil {
				errs <- err
				return
			}
			if err := s.Forget(ctx, id); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	got := map[string]int{}
	for _, pushes := range results {
		for _, p := range pushes {
			for _, st := range p.StoryIDs {
				got[fmt.Sprintf("%d×%d", p.ChatID, cluster[st])]++
			}
		}
	}
	want := map[string]int{}
	for _, st := range stories {
		for id, mine := range follows {
			if slices.ContainsFunc(st.Topics, func(tp string) bool { return slices.Contains(mine, tp) }) {
				want[fmt.Sprintf("%d×%d", id, st.ClusterID)] = 1
			}
		}
	}
	if len(want) < 100 {
		t.Fatalf("only %d chat×cluster pairs expected: the test is too weak", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pushes per chat×cluster (-want +got):\n%s", diff)
	}
}
