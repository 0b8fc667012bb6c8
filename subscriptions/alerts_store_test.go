package subscriptions

import (
	"context"
	"errors"
	"testing"
)

func TestAlertsStore(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{MaxAlerts: 3})
	const a, b = 301, 302
	setUp(t, s, []chatSetup{{a, TypePrivate, nil, false}, {b, TypePrivate, nil, true}})
	for i, q := range []string{"уран", `"Kazatomprom" -Trump`, "uranium OR уран"} {
		got, err := s.AddAlert(ctx, a, q, q)
		if err != nil || got.Number != i+1 || got.Query != q {
			t.Fatalf("AddAlert(%q) = %+v, %v", q, got, err)
		}
	}
	if _, err := s.AddAlert(ctx, a, "уран", "уран"); !errors.Is(err, ErrAlertExists) {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := s.AddAlert(ctx, a, "нефть", "нефть"); !errors.Is(err, ErrTooManyAlerts) {
		t.Errorf("over the limit: %v", err)
	}
	if _, err := s.AddAlert(ctx, 999, "нефть", "нефть"); !errors.Is(err, ErrNoChat) {
		t.Errorf("unknown chat: %v", err)
	}
	if _, err := s.AddAlert(ctx, b, "нефть", "нефть"); err != nil {
		t.Fatal(err)
	}
	all, err := s.AllAlerts(ctx)
	if err != nil || len(all) != 3 {
		t.Fatalf("AllAlerts = %d alerts, %v; want the active chat's 3", len(all), err)
	}
	del, err := s.DeleteAlert(ctx, a, 2)
	if err != nil || del.Query != `"Kazatomprom" -Trump` {
		t.Fatalf("DeleteAlert(2) = %+v, %v", del, err)
	}
	list, _ := s.Alerts(ctx, a)
	if len(list) != 2 || list[1].Number != 2 || list[1].Query != "uranium OR уран" {
		t.Fatalf("after deleting 2: %+v", list)
	}
	for _, n := range []int{0, 3, -1} {
		if _, err := s.DeleteAlert(ctx, a, n); !errors.Is(err, ErrNoAlert) {
			t.Errorf("DeleteAlert(%d): %v", n, err)
		}
	}
	if err := s.Forget(ctx, a); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM alerts WHERE chat_id = ?`, a); n != 0 {
		t.Errorf("%d alerts left after /stop", n)
	}
}

func TestAlertsFollowAMigratedGroup(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{})
	setUp(t, s, []chatSetup{{-400, TypeGroup, nil, false}})
	if _, err := s.AddAlert(ctx, -400, "уран", "уран"); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveChat(ctx, -400, -100400); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Alerts(ctx, -100400); len(list) != 1 || list[0].Query != "уран" {
		t.Fatalf("supergroup alerts %+v", list)
	}
}

func TestRouteAlertsOncePerClusterBeforeTopics(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{})
	const a, b, off = 501, 502, 503
	setUp(t, s, []chatSetup{{a, TypePrivate, []string{"energy"}, false}, {b, TypePrivate, nil, false}, {off, TypePrivate, nil, true}})
	ua, _ := s.AddAlert(ctx, a, "уран", "уран")
	ua2, _ := s.AddAlert(ctx, a, "Казатомпром", "Казатомпром")
	ub, _ := s.AddAlert(ctx, b, "uranium", "uranium")
	n, err := s.RouteAlerts(ctx, []AlertHit{
		{AlertID: ua.ID, ChatID: a, StoryID: 10, ClusterID: 10},
		{AlertID: ua2.ID, ChatID: a, StoryID: 10, ClusterID: 10}, // same story, second alert: once
		{AlertID: ub.ID, ChatID: b, StoryID: 11, ClusterID: 10},  // another outlet's report: once per cluster
		{AlertID: ub.ID, ChatID: off, StoryID: 10, ClusterID: 10},
	})
	if err != nil || n != 2 {
		t.Fatalf("RouteAlerts = %d, %v; want 2", n, err)
	}
	var text string
	s.db.Read.QueryRow(`SELECT text FROM outbox WHERE chat_id = ? AND kind = 'alert' AND class = 1`, a).Scan(&text)
	if text != "уран" {
		t.Errorf("alert message carries %q, want the query that fired first", text)
	}
	// The topic push of the same cluster afterwards adds nothing for chat a.
	pushes, err := s.Route(ctx, []StoryRef{{StoryID: 10, ClusterID: 10, Topics: []string{"energy"}}})
	if err != nil || len(pushes) != 0 {
		t.Fatalf("Route after the alert: %+v %v", pushes, err)
	}
	if again, _ := s.RouteAlerts(ctx, []AlertHit{{AlertID: ua.ID, ChatID: a, StoryID: 10, ClusterID: 10}}); again != 0 {
		t.Errorf("routed again: %d", again)
	}
}

func TestStaleAlertHitsAreIgnored(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{})
	setUp(t, s, []chatSetup{{601, TypePrivate, nil, false}})
	al, _ := s.AddAlert(ctx, 601, "уран", "уран")
	if _, err := s.DeleteAlert(ctx, 601, 1); err != nil {
		t.Fatal(err)
	}
	n, err := s.RouteAlerts(ctx, []AlertHit{{AlertID: al.ID, ChatID: 601, StoryID: 5}})
	if err != nil || n != 0 {
		t.Fatalf("a deleted alert's hit was routed: %d, %v", n, err)
	}
	if d, _ := s.Delivered(ctx, 601, 5); d {
		t.Fatal("a deleted alert's hit used up the chat's delivery of the story")
	}
}

func TestStaleHitBesideALiveOneStillDelivers(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{})
	setUp(t, s, []chatSetup{{701, TypePrivate, nil, false}})
	old, _ := s.AddAlert(ctx, 701, "уран", "уран")
	live, _ := s.AddAlert(ctx, 701, "нефть", "нефть")
	if _, err := s.DeleteAlert(ctx, 701, 1); err != nil {
		t.Fatal(err)
	}
	// The deleted alert (lower id, first) is still in a stale index beside the live one.
	n, err := s.RouteAlerts(ctx, []AlertHit{
		{AlertID: old.ID, ChatID: 701, StoryID: 9},
		{AlertID: live.ID, ChatID: 701, StoryID: 9},
	})
	if err != nil || n != 1 {
		t.Fatalf("RouteAlerts = %d, %v; want the live alert's hit", n, err)
	}
	var text string
	s.db.Read.QueryRow(`SELECT text FROM outbox WHERE chat_id = 701 AND kind = 'alert'`).Scan(&text)
	if text != "нефть" {
		t.Fatalf("queued under %q, want the live alert", text)
	}
}
