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
		got, err := s.AddAlert(ctx, a, q)
		if err != nil || got.Number != i+1 || got.Query != q {
			t.Fatalf("AddAlert(%q) = %+v, %v", q, got, err)
		}
	}
	if _, err := s.AddAlert(ctx, a, "уран"); !errors.Is(err, ErrAlertExists) {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := s.AddAlert(ctx, a, "нефть"); !errors.Is(err, ErrTooManyAlerts) {
		t.Errorf("over the limit: %v", err)
	}
	if _, err := s.AddAlert(ctx, 999, "нефть"); !errors.Is(err, ErrNoChat) {
		t.Errorf("unknown chat: %v", err)
	}
	if _, err := s.AddAlert(ctx, b, "нефть"); err != nil {
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
	if _, err := s.AddAlert(ctx, -400, "уран"); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveChat(ctx, -400, -100400); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Alerts(ctx, -100400); len(list) != 1 || list[0].Query != "уран" {
		t.Fatalf("supergroup alerts %+v", list)
	}
}
