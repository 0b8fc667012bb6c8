package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"newsbot/digest"
)

// fetch polls every source once, whether due or not, and prints what it stored. It fails only
// when every source failed, so one dead outlet does not fail a cron job that runs it.
func (a *app) fetch(ctx context.Context, stdout, stderr io.Writer) error {
	// Print what was stored even when recording some poll failed: those stories are committed.
	results, pollErr := a.poller.PollAll(ctx, true)
	titles := map[string]string{}
	for _, s := range a.cfg.Sources {
		titles[s.ID] = s.Title
	}
	loc := a.cfg.Location()
	var failed, stored int
	for _, res := range results {
		switch {
		case res.Err != nil:
			failed++
			fmt.Fprintf(stderr, "%s: failed: %v\n", res.Source.ID, res.Err)
			continue
		case res.NotModified:
			fmt.Fprintf(stderr, "%s: not modified\n", res.Source.ID)
			continue
		}
		note := ""
		if len(res.New) > 0 && res.New[0].Backlog {
			note = " (first poll: stored as backlog, not pushed)"
		}
		fmt.Fprintf(stderr, "%s: %d items, %d new%s\n", res.Source.ID, res.Items, len(res.New), note)
		for _, st := range res.New {
			stored++
			printStory(stdout, st, titles[st.SourceID], loc)
		}
	}
	fmt.Fprintf(stderr, "%d new stories from %d sources, %d failed\n", stored, len(results), failed)
	if pollErr != nil {
		return fmt.Errorf("fetch: %w", pollErr)
	}
	if failed > 0 && failed == len(results) {
		return fmt.Errorf("fetch: all %d sources failed", failed)
	}
	return nil
}

// printStory writes one story as a block of lines: source, time, topics; title; summary; link.
func printStory(w io.Writer, st digest.Story, source string, loc *time.Location) {
	topics := "-"
	if len(st.Topics) > 0 {
		topics = strings.Join(st.Topics, ", ")
	}
	fmt.Fprintf(w, "[%s] %s · %s · %s\n%s\n", st.SourceID, source, st.Published.In(loc).Format("2006-01-02 15:04 -07:00"), topics, st.Title)
	if st.Summary != "" && st.Summary != st.Title {
		fmt.Fprintln(w, st.Summary)
	}
	if st.Link != "" {
		fmt.Fprintln(w, st.Link)
	}
	fmt.Fprintln(w)
}
