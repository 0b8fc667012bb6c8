package pace

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkNext measures one choice among 500 candidates, the size of the dispatcher's
// candidate list: with every chat remembered and paced but one (the whole list is scanned and
// every chat looked up), with none ready, and with all ready and unknown.
func BenchmarkNext(b *testing.B) {
	for _, state := range []string{"one ready", "none ready", "all ready"} {
		b.Run(state, func(b *testing.B) {
			c := newClock()
			// A slow chat pace, so that one send holds a chat while the global budget refills.
			p := New(Limits{Global: 1000, ChatPerSecond: 0.01, ChatBurst: 1}, c.Now)
			cands := make([]Item, 500)
			for i := range cands {
				cands[i] = Item{ID: int64(i), Chat: int64(1_000_000 + i), Kind: Private, Class: Class(i % 4), Enqueued: t0.Add(-time.Duration(i) * time.Second)}
				if i%4 == 0 {
					cands[i].Kind = Group
				}
			}
			switch state {
			case "one ready":
				for _, it := range cands[:len(cands)-1] {
					p.Sent(it)
				}
			case "none ready":
				for _, it := range cands {
					p.Sent(it)
				}
			}
			c.Advance(time.Second)
			if _, ok, _ := p.Next(cands); ok != (state != "none ready") {
				b.Fatalf("%s: ok %v", state, ok)
			}
			b.ReportAllocs()
			for b.Loop() {
				p.Next(cands)
			}
		})
	}
}

// BenchmarkSimulatedDigest reports the achieved share of the global limit for a 100,000-chat
// digest driven through Take, as the figure the delivery engine is measured by.
func BenchmarkSimulatedDigest(b *testing.B) {
	for _, global := range []int{30, 200, 1000} {
		b.Run(fmt.Sprintf("global=%d", global), func(b *testing.B) {
			var ratio float64
			for b.Loop() {
				s := newSim(Limits{Global: global})
				for i := range 100_000 {
					s.add(Item{Chat: int64(1_000_000 + i), Kind: Private, Class: Bulk})
				}
				run := 100_000 / global * int(time.Second) / 2 // half the digest
				s.run(b, t0.Add(time.Duration(run)))
				ratio = float64(len(s.log)) / (float64(global) * time.Duration(run).Seconds())
			}
			b.ReportMetric(ratio, "achieved/limit")
		})
	}
}
