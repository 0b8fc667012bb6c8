package texts

import (
	"fmt"
	"html"
	"regexp"
	"strings"
)

// HTML is a fragment of Telegram HTML that the caller vouches for: a value of this type is put
// into a message as it is, where any other value is escaped. Build it only from constants and
// escaped parts (a link to a story: `<a href="` + html.EscapeString(url) + `">` + … + `</a>`).
type HTML string

// escapeValue turns one template value into what the template may print unchanged: text is
// escaped, HTML passes, numbers and booleans stay themselves so that {{if .Count}} still works.
func escapeValue(v any) any {
	switch v := v.(type) {
	case nil:
		return ""
	case HTML:
		return string(v)
	case string:
		return html.EscapeString(v)
	case []HTML:
		parts := make([]string, len(v))
		for i, p := range v {
			parts[i] = string(p)
		}
		return strings.Join(parts, ", ")
	case []string:
		parts := make([]string, len(v))
		for i, p := range v {
			parts[i] = html.EscapeString(p)
		}
		return strings.Join(parts, ", ")
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, bool:
		return v
	default:
		// Named string types, time.Time, errors, Stringers: printed as fmt prints them, which
		// also survives a String method that panics.
		return html.EscapeString(fmt.Sprint(v))
	}
}

// allowedTags are the tags Telegram's HTML parse mode accepts.
var allowedTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true, "s": true,
	"strike": true, "del": true, "span": true, "tg-spoiler": true, "a": true, "code": true,
	"pre": true, "blockquote": true, "tg-emoji": true,
}

// entityRE matches the entities Telegram decodes: four named ones and any numeric one.
var entityRE = regexp.MustCompile(`^&(?:lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});`)

// ValidateHTML reports the first reason Telegram's HTML parse mode would reject s, or nil:
// a tag outside Telegram's set, a tag left open or closed out of order, a self-closing tag, an
// <a> without href, a <span> that is not class="tg-spoiler", or a bare <, > or & that is not
// part of a tag or of an entity Telegram knows (&lt; &gt; &amp; &quot; and numeric ones).
func ValidateHTML(s string) error {
	var open []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end := tagEnd(s, i)
			if end < 0 {
				return fmt.Errorf("html: unclosed or bare '<' at byte %d", i)
			}
			tag := s[i+1 : end]
			if name, ok := strings.CutPrefix(tag, "/"); ok {
				if len(open) == 0 || open[len(open)-1] != name {
					return fmt.Errorf("html: unexpected </%s> at byte %d", name, i)
				}
				open = open[:len(open)-1]
			} else {
				name, err := parseTag(tag)
				if err != nil {
					return fmt.Errorf("html: at byte %d: %w", i, err)
				}
				open = append(open, name)
			}
			i = end + 1
		case '>':
			return fmt.Errorf("html: bare '>' at byte %d", i)
		case '&':
			m := entityRE.FindString(s[i:])
			if m == "" {
				return fmt.Errorf("html: bare '&' at byte %d", i)
			}
			i += len(m)
		default:
			i++
		}
	}
	if len(open) > 0 {
		return fmt.Errorf("html: <%s> is never closed", open[len(open)-1])
	}
	return nil
}

// parseTag checks the inside of an opening tag (`a href="…"`) and returns the tag's name.
func parseTag(tag string) (string, error) {
	name, attrs := tag, ""
	if i := strings.IndexAny(tag, " \t\r\n"); i >= 0 {
		name, attrs = tag[:i], strings.TrimSpace(tag[i:])
	}
	switch {
	case strings.HasSuffix(name, "/") || strings.HasSuffix(attrs, "/"):
		return "", fmt.Errorf("self-closing <%s>", tag)
	case !allowedTags[name]:
		return "", fmt.Errorf("tag <%s> is not allowed", name)
	case name == "a" && !strings.Contains(attrs, "href="):
		return "", fmt.Errorf("<a> without href")
	case name == "span" && attrs != `class="tg-spoiler"`:
		return "", fmt.Errorf(`<span> must be <span class="tg-spoiler">`)
	case name == "tg-emoji" && !strings.Contains(attrs, "emoji-id="):
		return "", fmt.Errorf("<tg-emoji> without emoji-id")
	}
	return name, nil
}

// tagEnd returns the index of the '>' closing the tag that starts at s[start] == '<', skipping
// quoted attribute values, or -1 when s[start:] does not begin a tag.
func tagEnd(s string, start int) int {
	if start+1 >= len(s) {
		return -1
	}
	if c := s[start+1]; !(c == '/' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
		return -1
	}
	var quote byte
	for i := start + 1; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '<':
			return -1
		case c == '>':
			return i
		}
	}
	return -1
}

// Plain returns the text a reader sees in the Telegram HTML s: tags dropped, entities decoded.
// Use it where Telegram shows text as it is — inline button labels, callback-query answers, bot
// command descriptions — so that a topic named "Oil & Gas" does not show up as "Oil &amp; Gas".
func Plain(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] == '<' {
			if end := tagEnd(s, i); end >= 0 {
				i = end + 1
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return html.UnescapeString(b.String())
}
