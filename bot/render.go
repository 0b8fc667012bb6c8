package bot

import (
	"html"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxText is Telegram's limit on a message's text, in UTF-16 code units after entity parsing.
const MaxText = 4096

// maxTitle bounds a story's title as shown: a feed can put a whole article in <title>.
const maxTitle = 300

// StoryView is what a chat is shown of one story.
type StoryView struct {
	Title     string
	Source    string // the outlet's name
	Summary   string
	Link      string // absolute http(s) URL; "" for none
	Published time.Time
}

// RenderStory renders one story in Telegram HTML, as docs/interface.md fixes it:
//
//	<b>{title}</b>
//	{source title} · {local time}
//	{summary}
//	<a href="{absolute link}">{read more}</a>
//
// Every interpolated string is escaped; the summary line is left out when it only repeats the
// title, and the link line when the story has no http(s) link. Times are in loc; a story from
// another day than now (in loc) shows its date too.
func RenderStory(v StoryView, loc *time.Location, now time.Time, readMore string) string {
	var b strings.Builder
	title := clip(collapse(v.Title), maxTitle)
	b.WriteString("<b>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</b>\n")
	b.WriteString(html.EscapeString(clip(collapse(v.Source), 64)))
	if !v.Published.IsZero() {
		b.WriteString(" · ")
		b.WriteString(localTime(v.Published, loc, now))
	}
	if sum := clip(collapse(v.Summary), 600); sum != "" && sum != title {
		b.WriteString("\n")
		b.WriteString(html.EscapeString(sum))
	}
	if isWebLink(v.Link) {
		b.WriteString("\n<a href=\"")
		b.WriteString(html.EscapeString(v.Link))
		b.WriteString("\">")
		b.WriteString(html.EscapeString(readMore))
		b.WriteString("</a>")
	}
	return b.String()
}

// localTime is "15:04" for today in loc, else "02.01 15:04", else with the year when it differs.
func localTime(t time.Time, loc *time.Location, now time.Time) string {
	if loc == nil {
		loc = time.UTC
	}
	t, now = t.In(loc), now.In(loc)
	switch {
	case t.Year() == now.Year() && t.YearDay() == now.YearDay():
		return t.Format("15:04")
	case t.Year() == now.Year():
		return t.Format("02.01 15:04")
	}
	return t.Format("02.01.2006 15:04")
}

func isWebLink(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// collapse turns every run of whitespace and control characters into one space and trims.
func collapse(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
}

// clip shortens s to at most max runes, at a word boundary when there is one, with "…".
func clip(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max-1]
	if i := strings.LastIndexFunc(string(r), unicode.IsSpace); i > len(string(r))/2 {
		return strings.TrimRightFunc(string(r)[:i], unicode.IsPunct) + "…"
	}
	return string(r) + "…"
}

// TextLength is the length Telegram checks against MaxText: UTF-16 code units of the text
// once tags are removed and entities decoded.
func TextLength(htmlText string) int {
	n := 0
	for _, r := range plainText(htmlText) {
		n += max(1, utf16.RuneLen(r)) // an invalid rune is sent as U+FFFD, one unit
	}
	return n
}

// Group is one message of a bundle: its text and which blocks it holds.
type Group struct {
	Text   string
	Blocks []int // indices into the blocks given to BundleGroups
}

// BundleGroups is Bundle, also telling which blocks went into which message, so that what was
// sent can be recorded message by message.
func BundleGroups(header string, blocks []string) []Group {
	const sep = "\n\n"
	var out []Group
	var cur strings.Builder
	var idx []int
	curLen := 0
	if header != "" {
		cur.WriteString(header)
		curLen = TextLength(header)
	}
	for i, blk := range blocks {
		n := TextLength(blk)
		if cur.Len() > 0 && curLen+2+n > MaxText {
			out = append(out, Group{Text: cur.String(), Blocks: idx})
			cur.Reset()
			curLen, idx = 0, nil
		}
		if cur.Len() > 0 {
			cur.WriteString(sep)
			curLen += 2
		}
		cur.WriteString(blk)
		curLen += n
		idx = append(idx, i)
	}
	if cur.Len() > 0 {
		out = append(out, Group{Text: cur.String(), Blocks: idx})
	}
	return out
}

// Bundle joins rendered stories into as few messages as possible, each under MaxText, splitting
// only between stories. header, when not empty, opens the first message. A story block that
// alone exceeds the limit (it cannot: RenderStory clips) is still sent on its own.
func Bundle(header string, blocks []string) []string {
	var out []string
	for _, g := range BundleGroups(header, blocks) {
		out = append(out, g.Text)
	}
	return out
}

// AlertLine is the line above a story pushed by a keyword alert: 🔔 and the alert's query.
func AlertLine(query string) string {
	return "🔔 <code>" + html.EscapeString(clip(collapse(query), 200)) + "</code>"
}

// escape is html.EscapeString, for interpolating text into Telegram HTML.
func escape(s string) string { return html.EscapeString(s) }
