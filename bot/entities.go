package bot

import (
	"cmp"
	"html"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// broadcastHTML is the text of an admin's /broadcast message after the command, as Telegram
// HTML that keeps the admin's formatting: bold, italic, underline, strikethrough, spoilers,
// code, pre, quotes and links come through as tags; everything else is escaped text. An empty
// result means there is no text after the command.
func broadcastHTML(msg *models.Message) string {
	units := utf16.Encode([]rune(msg.Text))
	start := 0
	for _, e := range msg.Entities {
		if e.Type == models.MessageEntityTypeBotCommand && e.Offset == 0 {
			start = e.Length
		}
	}
	if start == 0 { // no entity: skip "/broadcast" by hand
		if i := strings.IndexFunc(msg.Text, unicode.IsSpace); i >= 0 {
			start = len(utf16.Encode([]rune(msg.Text[:i])))
		} else {
			start = len(units)
		}
	}
	for start < len(units) && isSpaceUnit(units[start]) {
		start++
	}
	end := len(units)
	for end > start && isSpaceUnit(units[end-1]) {
		end--
	}
	return entitiesHTML(units, msg.Entities, start, end)
}

func isSpaceUnit(u uint16) bool { return u < 0x80 && unicode.IsSpace(rune(u)) }

// entitiesHTML renders units[start:end] with the formatting entities that fall in it (clipped
// to it) as Telegram HTML. Telegram's entities nest; an entity that would cross another's end
// is closed and reopened around it, so the tags always balance.
func entitiesHTML(units []uint16, entities []models.MessageEntity, start, end int) string {
	type span struct {
		from, to int
		open     string
		close    string
	}
	var spans []span
	for _, e := range entities {
		from, to := max(e.Offset, start), min(e.Offset+e.Length, end)
		if from >= to {
			continue
		}
		open, closeTag := entityTags(e)
		if open == "" {
			continue
		}
		spans = append(spans, span{from, to, open, closeTag})
	}
	// Outer first: earlier start, then longer.
	slices.SortStableFunc(spans, func(a, b span) int { return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(b.to, a.to)) })
	var out strings.Builder
	var stack []span
	next := 0 // next span to open
	text := func(from, to int) {
		out.WriteString(html.EscapeString(string(utf16.Decode(units[from:to]))))
	}
	pos := start
	for pos < end {
		// Close what ends here, reopening inner spans that continue.
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i].to > pos {
				continue
			}
			var reopen []span
			for len(stack) > i {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				out.WriteString(top.close)
				if top.to > pos {
					reopen = append(reopen, top)
				}
			}
			for j := len(reopen) - 1; j >= 0; j-- {
				out.WriteString(reopen[j].open)
				stack = append(stack, reopen[j])
			}
		}
		for next < len(spans) && spans[next].from == pos {
			out.WriteString(spans[next].open)
			stack = append(stack, spans[next])
			next++
		}
		// Text up to the next boundary.
		stop := end
		if next < len(spans) {
			stop = min(stop, spans[next].from)
		}
		for _, s := range stack {
			stop = min(stop, s.to)
		}
		text(pos, stop)
		pos = stop
	}
	for i := len(stack) - 1; i >= 0; i-- {
		out.WriteString(stack[i].close)
	}
	return out.String()
}

// entityTags returns the HTML tags of a formatting entity; "" for entities that are plain text
// in HTML (mentions, hashtags, bare URLs, commands …).
func entityTags(e models.MessageEntity) (string, string) {
	switch e.Type {
	case models.MessageEntityTypeBold:
		return "<b>", "</b>"
	case models.MessageEntityTypeItalic:
		return "<i>", "</i>"
	case models.MessageEntityTypeUnderline:
		return "<u>", "</u>"
	case models.MessageEntityTypeStrikethrough:
		return "<s>", "</s>"
	case models.MessageEntityTypeSpoiler:
		return "<tg-spoiler>", "</tg-spoiler>"
	case models.MessageEntityTypeCode:
		return "<code>", "</code>"
	case models.MessageEntityTypePre:
		if e.Language != "" {
			return `<pre><code class="language-` + html.EscapeString(e.Language) + `">`, "</code></pre>"
		}
		return "<pre>", "</pre>"
	case models.MessageEntityTypeBlockquote:
		return "<blockquote>", "</blockquote>"
	case models.MessageEntityTypeExpandableBlockquote:
		return "<blockquote expandable>", "</blockquote>"
	case models.MessageEntityTypeTextLink:
		if isWebLink(e.URL) || strings.HasPrefix(e.URL, "tg://") {
			return `<a href="` + html.EscapeString(e.URL) + `">`, "</a>"
		}
	case models.MessageEntityTypeTextMention:
		if e.User != nil {
			return `<a href="tg://user?id=` + strconv.FormatInt(e.User.ID, 10) + `">`, "</a>"
		}
	}
	return "", ""
}
