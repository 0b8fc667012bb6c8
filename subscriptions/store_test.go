package subscriptions

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTouch(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t, Limits{})
	t0 := clk.Now()

	for _, tc := range []struct {
		name        string
		info        ChatInfo
		advance     time.Duration
		wantCreated bool
		want        Chat // CreatedAt, UpdatedAt compared as given
	}{
		{
			name:        "new private chat",
			info:        ChatInfo{ID: aigerim, Type: TypePrivate, Title: "Айгерим", LanguageCode: "kk"},
			wantCreated: true,
			want: Chat{ID: aigerim, Type: TypePrivate, Title: "Айгерим", LanguageCode: "kk", Active: true, Mode: ModeInstant,
				Topics: []string{}, CreatedAt: t0, UpdatedAt: t0},
		},
		{
			name:    "same again",
			info:    ChatInfo{ID: aigerim, Type: TypePrivate, Title: "Айгерим", LanguageCode: "kk"},
			advance: time.Minute,
			want: Chat{ID: aigerim, Type: TypePrivate, Title: "Айгерим", LanguageCode: "kk", Active: true, Mode: ModeInstant,
				Topics: []string{}, CreatedAt: t0, UpdatedAt: t0},
		},
		{
			name:    "empty fields keep what is stored",
			info:    ChatInfo{ID: aigerim, Type: TypePrivate},
			advance: time.Minute,
			want: Chat{ID: aigerim, Type: TypePrivate, Title: "Айгерим", LanguageCode: "kk", Active: true, Mode: ModeInstant,
				Topics: []string{}, CreatedAt: t0, UpdatedAt: t0},
		},
		{
			name:    "renamed, new language code",
			info:    ChatInfo{ID: aigerim, Type: TypePrivate, Title: "Aigerim S.", LanguageCode: "en-GB"},
			advance: time.Minute,
			want: Chat{ID: aigerim, Type: TypePrivate, Title: "Aigerim S.", LanguageCode: "en-GB", Active: true, Mode: ModeInstant,
				Topics: []string{}, CreatedAt: t0, UpdatedAt: t0.Add(3 * time.Minute)},
		},
		{
			name:        "new group",
			info:        ChatInfo{ID: oldGroup, Type: TypeGroup, Title: "Новости Караганды"},
			wantCreated: true,
			want: Chat{ID: oldGroup, Type: TypeGroup, Title: "Новости Караганды", Active: true, Mode: ModeInstant,
				Topics: []string{}, CreatedAt: t0.Add(3 * time.Minute), UpdatedAt: t0.Add(3 * time.Minute)},
		},
		{
			name:        "new channel",
			info:        ChatInfo{ID: channel, Type: TypeChannel, Title: "Kazakhstan Energy Watch"},
			wantCreated: true,
			want: Chat{ID: channel, Type: TypeChannel, Title: "Kazakhstan Energy Watch", Active: true, Mode: ModeInstant,
				Topics: []string{}, CreatedAt: t0.Add(3 * time.Minute), UpdatedAt: t0.Add(3 * time.Minute)},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk.Advance(tc.advance)
			got, created, err := s.Touch(ctx, tc.info)
			if err != nil {
				t.Fatal(err)
			}
			if created != tc.wantCreated {
				t.Errorf("created = %v, want %v", created, tc.wantCreated)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Touch (-want +got):\n%s", diff)
			}
			stored, err := s.Chat(ctx, tc.info.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, stored); diff != "" {
				t.Errorf("Chat differs from what Touch returned (-touch +chat):\n%s", diff)
			}
		})
	}
}

func TestTouchRefuses(t *testing.T) {
	s, _ := newStore(t, Limits{})
	for _, info := range []ChatInfo{
		{ID: 0, Type: TypePrivate},
		{ID: aigerim, Type: ""},
		{ID: aigerim, Type: "sender"},
		{ID: aigerim, Type: "Private"},
	} {
		if _, _, err := s.Touch(context.Background(), info); err == nil {
			t.Errorf("Touch(%+v) succeeded", info)
		}
	}
	if n := count(t, s, `SELECT COUNT(*) FROM chats`); n != 0 {
		t.Fatalf("refused touches stored %d chats", n)
	}
}

func TestTouchDoesNotReactivate(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{})
	touch(t, s, aigerim, TypePrivate)
	if err := s.SetActive(ctx, aigerim, false, "blocked"); err != nil {
		t.Fatal(err)
	}
	c, created, err := s.Touch(ctx, ChatInfo{ID: aigerim, Type: TypePrivate, Title: "Айгерим"})
	if err != nil {
		t.Fatal(err)
	}
	if created || c.Active || c.InactiveReason != "blocked" {
		t.Fatalf("Touch of an inactive chat: created %v, active %v, reason %q", created, c.Active, c.InactiveReason)
	}
}

func TestSetActive(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t, Limits{})
	touch(t, s, newsGroup, TypeSupergroup)
	subscribe(t, s, newsGroup, "energy")
	blockedAt := clk.Now()

	steps := []struct {
		active     bool
		reason     string
		wantReason string
		wantSince  time.Time
	}{
		{false, "kicked", "kicked", blockedAt},
		{false, "deactivated", "deactivated", blockedAt}, // still inactive since the first time
		{true, "ignored", "", time.Time{}},
		{true, "", "", time.Time{}},
		{false, "blocked", "blocked", blockedAt.Add(4 * time.Hour)},
	}
	for i, st := range steps {
		if err := s.SetActive(ctx, newsGroup, st.active, st.reason); err != nil {
			t.Fatal(err)
		}
		c, err := s.Chat(ctx, newsGroup)
		if err != nil {
			t.Fatal(err)
		}
		if c.Active != st.active || c.InactiveReason != st.wantReason || !c.InactiveSince.Equal(st.wantSince) {
			t.Errorf("step %d: active %v, reason %q, since %v; want %v, %q, %v",
				i, c.Active, c.InactiveReason, c.InactiveSince, st.active, st.wantReason, st.wantSince)
		}
		if diff := cmp.Diff([]string{"energy"}, c.Topics); diff != "" {
			t.Errorf("step %d: topics changed (-want +got):\n%s", i, diff)
		}
		clk.Advance(time.Hour)
	}
}

func TestUnknownChat(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{})
	touch(t, s, aigerim, TypePrivate) // another chat exists
	for name, call := range map[string]func() error{
		"Chat":        func() error { _, err := s.Chat(ctx, daniyar); return err },
		"SetLanguage": func() error { _, err := s.SetLanguage(ctx, daniyar, "kk"); return err },
		"SetTimezone": func() error { _, err := s.SetTimezone(ctx, daniyar, "Asia/Almaty"); return err },
		"Subscribe":   func() error { _, err := s.Subscribe(ctx, daniyar, "energy"); return err },
		"Unsubscribe": func() error { _, err := s.Unsubscribe(ctx, daniyar, "energy"); return err },
		"Toggle":      func() error { _, err := s.Toggle(ctx, daniyar, "energy"); return err },
		"SetActive":   func() error { return s.SetActive(ctx, daniyar, false, "blocked") },
		"Forget":      func() error { return s.Forget(ctx, daniyar) },
		"MoveChat":    func() error { return s.MoveChat(ctx, daniyar, newsGroup) },
	} {
		t.Run(name, func(t *testing.T) {
			if err := call(); !errors.Is(err, ErrNoChat) {
				t.Fatalf("err = %v, want ErrNoChat", err)
			}
		})
	}
	if n := count(t, s, `SELECT COUNT(*) FROM chats`); n != 1 {
		t.Fatalf("%d chats after calls on an unknown one, want 1", n)
	}
}

func TestForgetThenTouchStartsFresh(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t, Limits{})
	touch(t, s, aigerim, TypePrivate)
	touch(t, s, daniyar, TypePrivate)
	subscribe(t, s, aigerim, "energy", "world")
	subscribe(t, s, daniyar, "energy")
	if _, err := s.SetLanguage(ctx, aigerim, "kk"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetTimezone(ctx, aigerim, "Asia/Almaty"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Route(ctx, []StoryRef{{StoryID: 101, ClusterID: 101, Topics: []string{"energy"}}}); err != nil {
		t.Fatal(err)
	}

	if err := s.Forget(ctx, aigerim); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Chat(ctx, aigerim); !errors.Is(err, ErrNoChat) {
		t.Fatalf("Chat after Forget: err = %v, want ErrNoChat", err)
	}
	for _, q := range []string{
		`SELECT COUNT(*) FROM chats WHERE id = ?`,
		`SELECT COUNT(*) FROM chat_topics WHERE chat_id = ?`,
		`SELECT COUNT(*) FROM deliveries WHERE chat_id = ?`,
	} {
		if n := count(t, s, q, aigerim); n != 0 {
			t.Errorf("%s: %d rows left", q, n)
		}
	}
	if err := s.Forget(ctx, aigerim); !errors.Is(err, ErrNoChat) {
		t.Fatalf("second Forget: err = %v, want ErrNoChat", err)
	}

	clk.Advance(24 * time.Hour)
	c, created, err := s.Touch(ctx, ChatInfo{ID: aigerim, Type: TypePrivate, Title: "Айгерим"})
	if err != nil {
		t.Fatal(err)
	}
	want := Chat{ID: aigerim, Type: TypePrivate, Title: "Айгерим", Active: true, Mode: ModeInstant, Topics: []string{},
		CreatedAt: clk.Now(), UpdatedAt: clk.Now()}
	if !created {
		t.Error("Touch after Forget: created = false")
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("chat after coming back (-want +got):\n%s", diff)
	}
	if ok, err := s.Delivered(ctx, aigerim, 101); err != nil || ok {
		t.Errorf("Delivered after coming back = %v, %v; want false", ok, err)
	}
	// The other chat kept everything.
	d, err := s.Chat(ctx, daniyar)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"energy"}, d.Topics); diff != "" {
		t.Errorf("other chat's topics (-want +got):\n%s", diff)
	}
	if ok, _ := s.Delivered(ctx, daniyar, 101); !ok {
		t.Error("other chat lost its delivery")
	}
}

func TestMoveChat(t *testing.T) {
	ctx := context.Background()
	t.Run("to a new id", func(t *testing.T) {
		s, _ := newStore(t, Limits{})
		touch(t, s, oldGroup, TypeGroup)
		subscribe(t, s, oldGroup, "energy", "regions")
		if _, err := s.SetLanguage(ctx, oldGroup, "kk"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Route(ctx, []StoryRef{{StoryID: 7, Topics: []string{"energy"}}}); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveChat(ctx, oldGroup, newsGroup); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Chat(ctx, oldGroup); !errors.Is(err, ErrNoChat) {
			t.Fatalf("old id: err = %v, want ErrNoChat", err)
		}
		c, err := s.Chat(ctx, newsGroup)
		if err != nil {
			t.Fatal(err)
		}
		if c.Language != "kk" || !c.Active || !cmp.Equal(c.Topics, []string{"energy", "regions"}) {
			t.Fatalf("moved chat: %+v", c)
		}
		// The supergroup is not sent what the group was.
		pushes, err := s.Route(ctx, []StoryRef{{StoryID: 8, ClusterID: 7, Topics: []string{"energy"}}})
		if err != nil || len(pushes) != 0 {
			t.Fatalf("Route of a delivered cluster after the move = %v, %v", pushes, err)
		}
		c, _, err = s.Touch(ctx, ChatInfo{ID: newsGroup, Type: TypeSupergroup})
		if err != nil || c.Type != TypeSupergroup {
			t.Fatalf("Touch after move: %+v, %v", c, err)
		}
	})
	t.Run("into a known chat", func(t *testing.T) {
		s, _ := newStore(t, Limits{})
		touch(t, s, oldGroup, TypeGroup)
		subscribe(t, s, oldGroup, "energy", "regions")
		if _, err := s.SetLanguage(ctx, oldGroup, "kk"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetTimezone(ctx, oldGroup, "Asia/Almaty"); err != nil {
			t.Fatal(err)
		}
		touch(t, s, newsGroup, TypeSupergroup)
		subscribe(t, s, newsGroup, "world", "energy")
		if _, err := s.SetLanguage(ctx, newsGroup, "ru"); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveChat(ctx, oldGroup, newsGroup); err != nil {
			t.Fatal(err)
		}
		c, err := s.Chat(ctx, newsGroup)
		if err != nil {
			t.Fatal(err)
		}
		if c.Language != "ru" || c.Timezone != "Asia/Almaty" || c.Type != TypeSupergroup ||
			!cmp.Equal(c.Topics, []string{"energy", "regions", "world"}) {
			t.Fatalf("merged chat: %+v", c)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM chats`); n != 1 {
			t.Fatalf("%d chats after the merge, want 1", n)
		}
	})
	t.Run("to itself", func(t *testing.T) {
		s, _ := newStore(t, Limits{})
		touch(t, s, newsGroup, TypeSupergroup)
		subscribe(t, s, newsGroup, "world")
		if err := s.MoveChat(ctx, newsGroup, newsGroup); err != nil {
			t.Fatal(err)
		}
		if c, err := s.Chat(ctx, newsGroup); err != nil || !cmp.Equal(c.Topics, []string{"world"}) {
			t.Fatalf("after moving to itself: %+v, %v", c, err)
		}
	})
}

func TestStatsAndActiveChats(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{})
	touch(t, s, aigerim, TypePrivate)
	touch(t, s, daniyar, TypePrivate)
	touch(t, s, oldGroup, TypeGroup)
	touch(t, s, newsGroup, TypeSupergroup)
	touch(t, s, channel, TypeChannel)
	subscribe(t, s, aigerim, "energy", "world")
	subscribe(t, s, daniyar, "energy")
	subscribe(t, s, newsGroup, "energy", "economy")
	if err := s.SetActive(ctx, daniyar, false, "blocked"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetActive(ctx, oldGroup, false, "kicked"); err != nil {
		t.Fatal(err)
	}
	ids, err := s.ActiveChatIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{newsGroup, channel, aigerim}, ids); diff != "" {
		t.Errorf("ActiveChatIDs (-want +got):\n%s", diff)
	}
	if _, err := s.SetDigestTime(ctx, channel, "7:30"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetMode(ctx, newsGroup, ModeDigest); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetLanguage(ctx, aigerim, "kk"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"уран", "Kazatomprom"} {
		if _, err := s.AddAlert(ctx, aigerim, q, q); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := Stats{
		Chats:      5,
		Active:     3,
		ByType:     map[string]int{TypePrivate: 1, TypeSupergroup: 1, TypeChannel: 1},
		Inactive:   map[string]int{"blocked": 1, "kicked": 1},
		Topics:     map[string]int{"politics": 0, "economy": 1, "energy": 2, "security": 0, "society": 0, "regions": 0, "world": 1},
		Languages:  map[string]int{"|ru": 2, "kk|ru": 1},
		Digest:     map[string]int{"scheduled": 2, "own": 1},
		ModeDigest: 1,
		Alerts:     2,
	}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}

// TestTouchConcurrent has one new chat's first updates handled at once: exactly one creates it.
func TestTouchConcurrent(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for i := range 8 {
		wg.Go(func() {
			_, c, err := s.Touch(ctx, ChatInfo{ID: newsGroup, Type: TypeSupergroup, Title: fmt.Sprintf("Жаңалықтар %d", i%2)})
			if err != nil {
				t.Error(err)
				return
			}
			if c {
				mu.Lock()
				created++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if created != 1 {
		t.Fatalf("%d touches created the chat, want 1", created)
	}
}
