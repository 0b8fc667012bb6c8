package pace

import "time"

// chatState is what a Pacer remembers about one chat.
type chatState struct {
	tat    time.Duration // the chat's gcra pace
	paused time.Duration // no send before this: the chat's last 429
	recent window        // groups and channels: the sends of the last minute
}

func newChat() chatState { return chatState{tat: never, paused: never} }

// sweepEvery is how often idle chats are forgotten. A sweep walks every remembered chat, so it
// is rare; between sweeps idle chats cost memory, never correctness.
const sweepEvery = 10 * time.Second

// shrinkAbove is the map size above which a sweep that leaves the map mostly empty rebuilds it:
// Go maps keep their peak size, and one 100,000-chat digest should not pin it for good.
const shrinkAbove = 4096

func (p *Pacer) chatReadyAt(st *chatState) time.Duration {
	at := max(p.chatPace.readyAt(st.tat), st.paused)
	if st.recent.sends != nil {
		at = max(at, st.recent.readyAt(time.Minute))
	}
	return at
}

// idle reports whether st no longer affects any decision: a chat without state would be
// treated exactly the same from now on.
func idle(st *chatState, now time.Duration) bool {
	return st.tat <= now && st.paused <= now &&
		(st.recent.sends == nil || st.recent.newest() <= now-time.Minute)
}

// sweep forgets idle chats.
func (p *Pacer) sweep(now time.Duration) {
	for id, st := range p.chats {
		if idle(&st, now) {
			delete(p.chats, id)
		}
	}
	if p.peak > shrinkAbove && len(p.chats) < p.peak/4 {
		m := make(map[int64]chatState, len(p.chats))
		for id, st := range p.chats {
			m[id] = st
		}
		p.chats = m
		p.peak = len(m)
	}
}
