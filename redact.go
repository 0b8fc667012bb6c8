package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
)

// redacted stands in the log for a secret.
const redacted = "<redacted>"

// minSecret is the shortest secret worth redacting: replacing a two-letter webhook secret
// everywhere would garble the log and protect nothing.
const minSecret = 6

// redactor is a slog.Handler that keeps secrets (the bot token, the webhook secret) out of the
// log: every occurrence in the message and in any attribute — strings, errors, values printed
// with %v, groups, attributes bound with With — is replaced with redacted, and so are the
// secret's URL-escaped forms and the secret half of a bot token (after the ':'). go-telegram/bot
// masks the token in the URL of its own request errors already; this is the net under every
// other path: another library quoting a request URL, a panic value, a debug line.
type redactor struct {
	next    slog.Handler
	needles []string
	repl    *strings.Replacer
}

// redact wraps next so that none of secrets reaches it; next itself when there is nothing to
// hide.
func redact(next slog.Handler, secrets ...string) slog.Handler {
	var needles []string
	for _, s := range secrets {
		if len(s) < minSecret {
			continue
		}
		forms := []string{s, url.PathEscape(s), url.QueryEscape(s)}
		if _, half, ok := strings.Cut(s, ":"); ok && len(half) >= minSecret {
			forms = append(forms, half)
		}
		for _, f := range forms {
			if !slices.Contains(needles, f) {
				needles = append(needles, f)
			}
		}
	}
	if len(needles) == 0 {
		return next
	}
	// Longest first: the Replacer tries its patterns in order at each position, and the whole
	// token must win over its half.
	slices.SortFunc(needles, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(needles))
	for _, n := range needles {
		pairs = append(pairs, n, redacted)
	}
	return &redactor{next: next, needles: needles, repl: strings.NewReplacer(pairs...)}
}

func (r *redactor) Enabled(ctx context.Context, l slog.Level) bool { return r.next.Enabled(ctx, l) }

func (r *redactor) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, r.clean(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(r.attr(a))
		return true
	})
	return r.next.Handle(ctx, out)
}

func (r *redactor) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = r.attr(a)
	}
	return &redactor{next: r.next.WithAttrs(clean), needles: r.needles, repl: r.repl}
}

func (r *redactor) WithGroup(name string) slog.Handler {
	return &redactor{next: r.next.WithGroup(r.clean(name)), needles: r.needles, repl: r.repl}
}

// attr is a with every secret replaced; values that hold none are passed on as they are.
func (r *redactor) attr(a slog.Attr) slog.Attr {
	a.Key = r.clean(a.Key)
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(r.clean(v.String()))
	case slog.KindGroup:
		group := v.Group()
		clean := make([]slog.Attr, len(group))
		for i, g := range group {
			clean[i] = r.attr(g)
		}
		a.Value = slog.GroupValue(clean...)
	case slog.KindAny:
		// Errors, panics, structs: what a handler would print of them.
		if s := fmt.Sprint(v.Any()); r.holds(s) {
			a.Value = slog.StringValue(r.repl.Replace(s))
		} else {
			a.Value = v
		}
	default:
		a.Value = v // numbers, times, durations: no secret fits in them
	}
	return a
}

func (r *redactor) holds(s string) bool {
	for _, n := range r.needles {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

func (r *redactor) clean(s string) string {
	if !r.holds(s) {
		return s
	}
	return r.repl.Replace(s)
}
