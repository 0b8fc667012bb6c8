package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"

	"newsbot/bot"
	"newsbot/bot/texts"
)

// digest prints the digest a chat following every topic would get now, covering the last 24
// hours, in lang, as plain text with each link after its title. It records and sends nothing.
func (a *app) digest(ctx context.Context, lang string, stdout io.Writer) error {
	msgs, err := texts.Load()
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, s := range a.cfg.Sources {
		names[s.ID] = s.Title
	}
	d, err := bot.NewDigester(bot.Config{
		Location: a.cfg.Location(),
		Sources:  names,
		Log:      a.log,
		Digest:   bot.DigestConfig{Schedule: a.cfg.Digest.Schedule, MaxStories: a.cfg.Digest.MaxStories, QuietNote: true},
	}, a.subs, a.store, msgs)
	if err != nil {
		return err
	}
	parts, err := d.Digest(ctx, lang)
	if err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	for i, p := range parts {
		if i > 0 {
			fmt.Fprintln(stdout, "\n———")
		}
		fmt.Fprintln(stdout, plainWithLinks(p))
	}
	return nil
}

var linkTag = regexp.MustCompile(`<a href="([^"]*)">(.*?)</a>`)

// plainWithLinks turns Telegram HTML into text for a terminal: tags dropped, entities decoded,
// and each link's address written after its text.
func plainWithLinks(s string) string {
	s = linkTag.ReplaceAllString(s, "$2 &lt;$1&gt;")
	return strings.TrimSpace(texts.Plain(s))
}
