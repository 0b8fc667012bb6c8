package pace_test

import (
	"fmt"
	"time"

	"newsbot/bot/pace"
)

// A dispatcher asks for the next message among the heads of its queues, sends it, and sleeps
// for the returned wait when nothing may go yet.
func Example() {
	now := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	p := pace.New(pace.Limits{Global: 30}, func() time.Time { return now })

	queued := []pace.Item{
		{ID: 1, Chat: 201443170, Kind: pace.Private, Class: pace.Bulk, Enqueued: now.Add(-time.Minute)},
		{ID: 2, Chat: 388120045, Kind: pace.Private, Class: pace.Bulk, Enqueued: now.Add(-time.Minute)},
		{ID: 3, Chat: -1001234567890, Kind: pace.Group, Class: pace.Alert, Enqueued: now},
	}
	for len(queued) > 0 {
		it, ok, wait := p.Take(queued)
		if !ok {
			fmt.Printf("wait %v\n", wait)
			now = now.Add(wait)
			continue
		}
		fmt.Printf("send %d (%v to %v)\n", it.ID, it.Class, it.Kind)
		for i := range queued {
			if queued[i].ID == it.ID {
				queued = append(queued[:i], queued[i+1:]...)
				break
			}
		}
	}
	// A 429 for one chat holds only that chat.
	p.Throttled(201443170, 35*time.Second)
	fmt.Println(p.ChatReadyAt(201443170).Sub(now))
	// Output:
	// send 3 (alert to group)
	// send 1 (bulk to private)
	// wait 33.333334ms
	// send 2 (bulk to private)
	// 35s
}
