package subscriptions

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSubscriptions(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{MaxTopics: 3})
	touch(t, s, aigerim, TypePrivate)

	type op int
	const (
		sub op = iota
		unsub
		toggle
	)
	for _, tc := range []struct {
		name       string
		op         op
		topic      string
		want       bool
		wantErr    error
		wantTopics []string
	}{
		{"subscribe", sub, "world", true, nil, []string{"world"}},
		{"subscribe again", sub, "world", false, nil, []string{"world"}},
		{"subscribe a second, listed in catalog order", sub, "energy", true, nil, []string{"energy", "world"}},
		{"unknown topic", sub, "weather", false, ErrUnknownTopic, []string{"energy", "world"}},
		{"a title is not an id", sub, "Energy", false, ErrUnknownTopic, []string{"energy", "world"}},
		{"empty topic", sub, "", false, ErrUnknownTopic, []string{"energy", "world"}},
		{"toggle on, reaching the limit", toggle, "politics", true, nil, []string{"politics", "energy", "world"}},
		{"over the limit", sub, "economy", false, ErrTooManyTopics, []string{"politics", "energy", "world"}},
		{"toggle over the limit", toggle, "economy", false, ErrTooManyTopics, []string{"politics", "energy", "world"}},
		{"at the limit, subscribing a followed topic is fine", sub, "energy", false, nil, []string{"politics", "energy", "world"}},
		{"toggle off", toggle, "politics", false, nil, []string{"energy", "world"}},
		{"room again", sub, "economy", true, nil, []string{"economy", "energy", "world"}},
		{"unsubscribe", unsub, "energy", true, nil, []string{"economy", "world"}},
		{"unsubscribe again", unsub, "energy", false, nil, []string{"economy", "world"}},
		{"unsubscribe unknown", unsub, "weather", false, ErrUnknownTopic, []string{"economy", "world"}},
		{"toggle unknown", toggle, "weather", false, ErrUnknownTopic, []string{"economy", "world"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got bool
			var err error
			switch tc.op {
			case sub:
				got, err = s.Subscribe(ctx, aigerim, tc.topic)
			case unsub:
				got, err = s.Unsubscribe(ctx, aigerim, tc.topic)
			case toggle:
				got, err = s.Toggle(ctx, aigerim, tc.topic)
			}
			if !errors.Is(err, tc.wantErr) || got != tc.want {
				t.Fatalf("got %v, %v; want %v, %v", got, err, tc.want, tc.wantErr)
			}
			c, err := s.Chat(ctx, aigerim)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.wantTopics, c.Topics); diff != "" {
				t.Fatalf("topics (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDefaultLimitIsEveryTopic(t *testing.T) {
	s, _ := newStore(t, Limits{})
	if got := s.Limits().MaxTopics; got != 7 {
		t.Fatalf("default MaxTopics = %d, want 7 (every topic)", got)
	}
	touch(t, s, newsGroup, TypeSupergroup)
	var all []string
	for _, tp := range s.Topics().All() {
		all = append(all, tp.ID)
	}
	subscribe(t, s, newsGroup, all...)
	c, err := s.Chat(context.Background(), newsGroup)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(all, c.Topics); diff != "" {
		t.Fatalf("topics (-want +got):\n%s", diff)
	}
}

// TestRemovedTopic covers a topic dropped from the configuration while chats follow it.
func TestRemovedTopic(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{MaxTopics: 2})
	touch(t, s, aigerim, TypePrivate)
	subscribe(t, s, aigerim, "energy")
	if _, err := s.db.Write.ExecContext(ctx,
		`INSERT INTO chat_topics (chat_id, topic_id, created_at) VALUES (?, 'sport', 0)`, aigerim); err != nil {
		t.Fatal(err)
	}
	c, err := s.Chat(ctx, aigerim)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"energy"}, c.Topics); diff != "" {
		t.Fatalf("topics (-want +got):\n%s", diff)
	}
	// It does not count against the limit…
	if added, err := s.Subscribe(ctx, aigerim, "world"); err != nil || !added {
		t.Fatalf("Subscribe next to a removed topic = %v, %v", added, err)
	}
	// …and can still be dropped.
	if removed, err := s.Unsubscribe(ctx, aigerim, "sport"); err != nil || !removed {
		t.Fatalf("Unsubscribe of a removed topic = %v, %v", removed, err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM chat_topics WHERE chat_id = ?`, aigerim); n != 2 {
		t.Fatalf("%d topic rows, want 2", n)
	}
}

func TestSubscribeTouchesUpdatedAt(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t, Limits{})
	touch(t, s, aigerim, TypePrivate)
	created := clk.Now()
	clk.Advance(time.Minute)
	subscribe(t, s, aigerim, "energy")
	c, err := s.Chat(ctx, aigerim)
	if err != nil {
		t.Fatal(err)
	}
	if !c.UpdatedAt.Equal(clk.Now()) || !c.CreatedAt.Equal(created) {
		t.Fatalf("CreatedAt, UpdatedAt = %v, %v; want %v, %v", c.CreatedAt, c.UpdatedAt, created, clk.Now())
	}
}

// TestSubscribeConcurrentLimit subscribes one chat to every topic at once: the limit holds.
func TestSubscribeConcurrentLimit(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{MaxTopics: 3})
	touch(t, s, newsGroup, TypeSupergroup)
	var wg sync.WaitGroup
	var mu sync.Mutex
	added, refused := 0, 0
	for _, tp := range s.Topics().All() {
		wg.Go(func() {
			ok, err := s.Subscribe(ctx, newsGroup, tp.ID)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, ErrTooManyTopics):
				refused++
			case err != nil:
				t.Error(err)
			case ok:
				added++
			}
		})
	}
	wg.Wait()
	if added != 3 || refused != 4 {
		t.Fatalf("%d added, %d refused; want 3 and 4", added, refused)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM chat_topics`); n != 3 {
		t.Fatalf("%d subscriptions stored, want 3", n)
	}
}
