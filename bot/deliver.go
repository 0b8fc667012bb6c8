package bot

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"newsbot/bot/texts"
	"newsbot/digest"
	"newsbot/subscriptions"
)

// leftoverWindow is how old an unrouted story may be and still be pushed when the bot starts:
// stories a crash left unrouted a moment ago are news; a week of stories polled while the bot
// ran without a token are not, and are marked routed without being sent.
const leftoverWindow = 6 * time.Hour

// Deliver decides which chats get new stories: each story at most once per chat and cluster,
// decided and queued in the outbox in one transaction (Route), then the stories are marked
// routed and the delivery engine is woken. It returns at once; the engine sends, bundling the
// pushes queued for one chat. An error means nothing was decided: the stories stay unrouted,
// and the sweeper routes them later.
func (b *Bot) Deliver(ctx context.Context, stories []digest.Story) error {
	if len(stories) == 0 {
		return nil
	}
	refs := make([]subscriptions.StoryRef, 0, len(stories))
	ids := make([]int64, 0, len(stories))
	for _, st := range stories {
		refs = append(refs, subscriptions.StoryRef{StoryID: st.ID, ClusterID: st.ClusterID, Topics: st.Topics})
		ids = append(ids, st.ID)
	}
	// Alerts first: a story that both an alert and a topic match arrives as the instant alert,
	// with the line saying which alert fired; either way once per chat and cluster.
	hits, err := b.alertHits(ctx, stories)
	if err != nil {
		return fmt.Errorf("bot: match alerts: %w", err)
	}
	alerted, err := b.subs.RouteAlerts(ctx, hits)
	if err != nil {
		return fmt.Errorf("bot: route %d alert hits: %w", len(hits), err)
	}
	b.metrics().Matched(MatchAlert, alerted)
	pushes, err := b.subs.Route(ctx, refs)
	if err != nil {
		return fmt.Errorf("bot: route %d stories: %w", len(stories), err)
	}
	queued := 0
	for _, p := range pushes {
		queued += len(p.StoryIDs)
	}
	b.metrics().Matched(MatchTopic, queued)
	if err := b.stories.MarkRouted(ctx, ids, b.now()); err != nil {
		b.log.Error("bot: mark stories routed", slog.String("error", err.Error()))
	}
	b.dispatch.poke()
	return nil
}

// sendStories sends stories to chat: one story alone with its link preview, several bundled
// under a header (the given one, or "N new stories") without previews.
func (b *Bot) sendStories(ctx context.Context, chat subscriptions.Chat, lang, header string, list []digest.Story) {
	blocks := b.renderBlocks(chat, lang, list)
	if len(blocks) == 1 && header == "" {
		b.send(ctx, Message{ChatID: chat.ID, Text: blocks[0], Preview: true})
		return
	}
	if header == "" {
		header = b.texts.N(lang, texts.BundleHeader, len(blocks), nil)
	}
	for _, text := range Bundle(header, blocks) {
		if b.send(ctx, Message{ChatID: chat.ID, Text: text}) == 0 && ctx.Err() != nil {
			return
		}
	}
}

// renderBlocks renders stories for chat, in its zone and language.
func (b *Bot) renderBlocks(chat subscriptions.Chat, lang string, list []digest.Story) []string {
	loc := chat.Location(b.cfg.Location)
	now := b.now()
	readMore := texts.Plain(b.texts.T(lang, texts.ReadMore, nil))
	blocks := make([]string, 0, len(list))
	for _, st := range list {
		blocks = append(blocks, RenderStory(StoryView{
			Title: st.Title, Source: b.sourceTitle(st.SourceID), Summary: st.Summary, Link: st.Link, Published: st.Published,
		}, loc, now, readMore))
	}
	return blocks
}

// textsBundleHeader heads a bundle of pushes.
const textsBundleHeader = texts.BundleHeader

func (b *Bot) sourceTitle(id string) string {
	if t := b.cfg.Sources[id]; t != "" {
		return t
	}
	return id
}

// routeLeftovers routes stories that were stored but never routed (a crash between the two, a
// failed delivery, `newsbot fetch` run beside the bot): recent ones are delivered, older ones
// only marked routed.
func (b *Bot) routeLeftovers(ctx context.Context) {
	var last int64
	for {
		left, err := b.stories.Unrouted(ctx, 500)
		if err != nil {
			b.log.Error("bot: read unrouted stories", slog.String("error", err.Error()))
			return
		}
		if len(left) == 0 || left[0].ID == last {
			return // done, or no progress (marking failed and was logged)
		}
		last = left[0].ID
		cutoff := b.now().Add(-leftoverWindow)
		var fresh []digest.Story
		var stale []int64
		for _, st := range left {
			if st.FirstSeen.Before(cutoff) {
				stale = append(stale, st.ID)
			} else {
				fresh = append(fresh, st)
			}
		}
		if len(stale) > 0 {
			if err := b.stories.MarkRouted(ctx, stale, b.now()); err != nil {
				b.log.Error("bot: mark stale stories routed", slog.String("error", err.Error()))
				return
			}
			b.log.Info("bot: old unrouted stories will not be pushed", slog.Int("stories", len(stale)))
		}
		if err := b.Deliver(ctx, fresh); err != nil {
			b.log.Error("bot: route leftover stories", slog.String("error", err.Error()))
			return
		}
	}
}
