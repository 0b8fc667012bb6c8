package bot

import (
	"fmt"
	"html"
	"strings"

	"newsbot/digest/summary"
)

// DigestItem is one story as a digest shows it.
type DigestItem struct {
	Title   string
	Link    string   // absolute http(s) URL; "" for none
	Sources []string // the outlets that carried it, by name, first report first
	Summary string   // the story's summary: the digest shows its first sentence
}

// DigestSection is a heading (a topic, or the pinned stories) and its stories.
type DigestSection struct {
	Title string
	Items []DigestItem
}

// maxSentence bounds the one sentence of summary a digest shows per story.
const maxSentence = 280

// maxSourcesShown is how many outlets a digest names per story before "+N".
const maxSourcesShown = 3

// RenderDigest renders a digest in Telegram HTML: header, then each section's bold title and its
// stories, each a linked bold title, its outlets in italics and one sentence of summary. It
// splits into as few messages as possible, each under MaxText, only between stories; a message
// that opens in the middle of a section repeats its title. Every interpolated string is
// escaped.
func RenderDigest(header string, sections []DigestSection) []string {
	var out []string
	var cur strings.Builder
	curLen := 0
	cur.WriteString(header)
	curLen = TextLength(header)
	for _, sec := range sections {
		title := "<b>" + html.EscapeString(clip(collapse(sec.Title), 100)) + "</b>"
		titleLen := TextLength(title)
		for i, it := range sec.Items {
			blk := renderDigestItem(it)
			n := TextLength(blk)
			opens := i == 0 // the section title goes first
			add := n + 1    // "\n" after the section title or between stories
			if opens {
				add += titleLen + 2 // "\n\n" before the title
			}
			if cur.Len() > 0 && curLen+add > MaxText {
				out = append(out, cur.String())
				cur.Reset()
				curLen = 0
				opens = true // a message opening mid-section repeats its title
			}
			switch {
			case opens && cur.Len() > 0:
				cur.WriteString("\n\n" + title + "\n")
				curLen += titleLen + 3
			case opens:
				cur.WriteString(title + "\n")
				curLen += titleLen + 1
			default:
				cur.WriteString("\n")
				curLen++
			}
			cur.WriteString(blk)
			curLen += n
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// renderDigestItem renders one story of a digest:
//
//   - <a href="{link}"><b>{title}</b></a>
//     <i>{outlets}</i> — {first sentence of the summary}
func renderDigestItem(it DigestItem) string {
	var b strings.Builder
	title := html.EscapeString(clip(collapse(it.Title), maxTitle))
	b.WriteString("• ")
	if isWebLink(it.Link) {
		fmt.Fprintf(&b, "<a href=\"%s\"><b>%s</b></a>", html.EscapeString(it.Link), title)
	} else {
		b.WriteString("<b>" + title + "</b>")
	}
	names := it.Sources
	more := 0
	if len(names) > maxSourcesShown {
		names, more = names[:maxSourcesShown], len(names)-maxSourcesShown
	}
	var src []string
	for _, n := range names {
		src = append(src, html.EscapeString(clip(collapse(n), 64)))
	}
	line := strings.Join(src, ", ")
	if more > 0 {
		line += fmt.Sprintf(" +%d", more)
	}
	b.WriteString("\n<i>" + line + "</i>")
	if s := firstSentence(it.Summary); s != "" && s != collapse(it.Title) {
		b.WriteString(" — " + html.EscapeString(s))
	}
	return b.String()
}

// firstSentence is the summary's first sentence, clipped to maxSentence.
func firstSentence(s string) string {
	s = collapse(s)
	if ss := summary.Sentences(s); len(ss) > 0 {
		s = ss[0]
	}
	return clip(strings.TrimSpace(s), maxSentence)
}
