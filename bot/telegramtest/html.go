package telegramtest

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxMessageLength is Telegram's limit on a text message, in characters of the text the user
// reads: after entity parsing, cleaning and trimming (see ValidateHTML).
const MaxMessageLength = 4096

// Errors returned by ParseHTML, ValidateHTML and CheckText. Their messages are the Bot API's
// descriptions without the leading "Bad Request: ".
var (
	// ErrCantParseEntities: the HTML is malformed or uses a tag Telegram does not know.
	ErrCantParseEntities = errors.New("can't parse entities")
	// ErrMessageTooLong: more than MaxMessageLength characters after parsing.
	ErrMessageTooLong = errors.New("message is too long")
	// ErrMessageEmpty: nothing but spaces and newlines after parsing.
	ErrMessageEmpty = errors.New("message text is empty")
	// ErrNotUTF8: the text is not valid UTF-8.
	ErrNotUTF8 = errors.New("strings must be encoded in UTF-8")
)

// allowedTags are the start tags TDLib's parse_html accepts (Bot API "HTML style").
var allowedTags = map[string]bool{
	"a": true, "b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true, "tg-emoji": true,
	"code": true, "pre": true, "blockquote": true,
}

// ParseHTML parses s the way Telegram parses parse_mode=HTML text (a port of TDLib's
// parse_html) and returns the plain text the user would read, before Telegram's cleaning and
// trimming (see CheckText). The error wraps ErrCantParseEntities and carries TDLib's own message
// with its byte offset, e.g. `can't parse entities: Unsupported start tag "p" at byte offset 0`.
//
// What Telegram accepts, and so what ParseHTML accepts:
//   - the tags b strong i em u ins s strike del span tg-spoiler a code pre blockquote tg-emoji,
//     case-insensitive, properly nested; `</>` closes the innermost tag;
//     `<span>` only with class="tg-spoiler"; `<tg-emoji>` only with a numeric emoji-id;
//   - attributes as name="value", name='value' or name=token; a bare name is ignored
//     (`<blockquote expandable>`);
//   - &lt; &gt; &amp; &quot; and numeric references (&#1179; &#x49B;), the ';' optional.
//
// Any other '&' sequence, &nbsp; included, is NOT an error: Telegram shows it literally, so a
// user would read "&nbsp;". A '<' that does not start a valid tag is an error ("a < b" fails at
// the '<'); '>' alone is fine. Link targets are not checked: Telegram silently drops a link it
// cannot use and keeps its text.
func ParseHTML(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", ErrNotUTF8
	}
	at := func(i int) byte { // TDLib reads a NUL-terminated string
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	fail := func(format string, args ...any) (string, error) {
		return "", fmt.Errorf("%w: %s", ErrCantParseEntities, fmt.Sprintf(format, args...))
	}
	type open struct{ tag, arg string }
	var (
		out       strings.Builder
		stack     []open
		surrogate bool
	)
	out.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '&' {
			if r, next := decodeEntity(s, i); r != 0 {
				if r >= 0xD800 && r <= 0xDFFF {
					surrogate = true
				}
				out.WriteRune(r)
				i = next - 1
				continue
			}
		}
		if c != '<' {
			out.WriteByte(c)
			continue
		}
		begin := i
		i++
		if at(i) != '/' {
			for !isSpace(at(i)) && at(i) != '>' {
				i++
			}
			if at(i) == 0 {
				return fail("Unclosed start tag at byte offset %d", begin)
			}
			tag := strings.ToLower(s[begin+1 : i])
			if !allowedTags[tag] {
				return fail("Unsupported start tag %q at byte offset %d", tag, begin)
			}
			arg := ""
			for at(i) != '>' {
				for at(i) != 0 && isSpace(at(i)) {
					i++
				}
				if at(i) == '>' {
					break
				}
				nameBegin := i
				for !isSpace(at(i)) && !strings.ContainsRune("=>/\"'", rune(at(i))) {
					i++
				}
				name := s[nameBegin:i]
				if name == "" {
					return fail("Empty attribute name in the tag %q at byte offset %d", tag, begin)
				}
				for at(i) != 0 && isSpace(at(i)) {
					i++
				}
				if at(i) != '=' {
					if at(i) == 0 {
						return fail("Unclosed start tag %q at byte offset %d", tag, begin)
					}
					if tag == "blockquote" && name == "expandable" {
						arg = "1"
					}
					continue
				}
				i++
				for at(i) != 0 && isSpace(at(i)) {
					i++
				}
				if at(i) == 0 {
					return fail("Unclosed start tag %q at byte offset %d", tag, begin)
				}
				var value string
				if q := at(i); q != '\'' && q != '"' {
					tokenBegin := i
					for isAlnum(at(i)) || at(i) == '.' || at(i) == '-' {
						i++
					}
					if !isSpace(at(i)) && at(i) != '>' {
						return fail("Unexpected end of name token at byte offset %d", tokenBegin)
					}
					value = strings.ToLower(s[tokenBegin:i])
				} else {
					i++
					var v strings.Builder
					for at(i) != q && at(i) != 0 {
						if at(i) == '&' {
							if r, next := decodeEntity(s, i); r != 0 {
								v.WriteRune(r)
								i = next
								continue
							}
						}
						v.WriteByte(s[i])
						i++
					}
					if at(i) == q {
						i++
					}
					value = v.String()
				}
				if at(i) == 0 {
					return fail("Unclosed start tag at byte offset %d", begin)
				}
				switch {
				case tag == "a" && name == "href", tag == "tg-emoji" && name == "emoji-id":
					arg = value
				case tag == "code" && name == "class" && strings.HasPrefix(value, "language-"):
					arg = value[len("language-"):]
				case tag == "span" && name == "class" && strings.HasPrefix(value, "tg-"):
					arg = value[len("tg-"):]
				case tag == "blockquote" && name == "expandable":
					arg = "1"
				}
			}
			if tag == "span" && arg != "spoiler" {
				return fail(`Tag "span" must have class "tg-spoiler" at byte offset %d`, begin)
			}
			stack = append(stack, open{tag: tag, arg: arg})
			continue
		}
		if len(stack) == 0 {
			return fail("Unexpected end tag at byte offset %d", begin)
		}
		for !isSpace(at(i)) && at(i) != '>' {
			i++
		}
		end := strings.ToLower(s[begin+2 : i])
		for isSpace(at(i)) && at(i) != 0 {
			i++
		}
		if at(i) != '>' {
			return fail("Unclosed end tag at byte offset %d", begin)
		}
		top := stack[len(stack)-1]
		if end != "" && end != top.tag {
			return fail(`Unmatched end tag at byte offset %d, expected "</%s>", found "</%s>"`, begin, top.tag, end)
		}
		if top.tag == "tg-emoji" && !validEmojiID(top.arg) {
			return fail("Invalid custom emoji identifier specified")
		}
		stack = stack[:len(stack)-1]
	}
	if len(stack) > 0 {
		return fail("Can't find end tag corresponding to start tag %q", stack[len(stack)-1].tag)
	}
	if surrogate {
		return fail("Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units")
	}
	return out.String(), nil
}

// ValidateHTML reports whether Telegram would accept s as the text of a message sent with
// parse_mode=HTML: ParseHTML, then CheckText on the result. It returns nil, or an error wrapping
// ErrCantParseEntities, ErrMessageTooLong, ErrMessageEmpty or ErrNotUTF8.
func ValidateHTML(s string) error {
	plain, err := ParseHTML(s)
	if err != nil {
		return err
	}
	_, err = CheckText(plain)
	return err
}

// CheckText applies what Telegram does to a message text after entity parsing and returns the
// text as the user reads it: control characters become spaces, '\r' and U+2028–U+202E are
// dropped, leading and trailing spaces and newlines are trimmed. The result must be non-empty
// (ErrMessageEmpty) and at most MaxMessageLength characters (ErrMessageTooLong).
//
// Characters are Unicode code points, as TDLib's utf8_length counts them (and as measured
// against the live API): "😀" is one character, though it is two UTF-16 code units in entity
// offsets. Code that splits by UTF-16 units is therefore on the safe side.
func CheckText(plain string) (string, error) {
	if !utf8.ValidString(plain) {
		return "", ErrNotUTF8
	}
	var b strings.Builder
	b.Grow(len(plain))
	for _, r := range plain {
		switch {
		case r == '\r', r >= 0x2028 && r <= 0x202E:
		case r < ' ' && r != '\n':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	text := strings.Trim(b.String(), " \n")
	if text == "" {
		return "", ErrMessageEmpty
	}
	if utf8.RuneCountInString(text) > MaxMessageLength {
		return "", ErrMessageTooLong
	}
	return text, nil
}

// decodeEntity is TDLib's decode_html_entity: the character that the reference at s[pos]
// stands for and the index after it, or 0 when s[pos:] is not a supported reference.
func decodeEntity(s string, pos int) (rune, int) {
	at := func(i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	end := pos + 1
	var code uint64
	if at(pos+1) == '#' {
		end++
		if at(pos+2) == 'x' {
			end++
			for isHexDigit(at(end)) {
				code = code*16 + uint64(hexValue(at(end)))
				end++
				if code > 0x10FFFF {
					code = 0x10FFFF // only "too large" matters from here on
				}
			}
		} else {
			for isDigit(at(end)) {
				code = code*10 + uint64(at(end)-'0')
				end++
				if code > 0x10FFFF {
					code = 0x10FFFF
				}
			}
		}
		if code == 0 || code >= 0x10FFFF || end-pos >= 10 {
			return 0, pos
		}
	} else {
		for isAlpha(at(end)) {
			end++
		}
		switch s[pos+1 : end] {
		case "lt":
			code = '<'
		case "gt":
			code = '>'
		case "amp":
			code = '&'
		case "quot":
			code = '"'
		default:
			return 0, pos
		}
	}
	if at(end) == ';' {
		end++
	}
	return rune(code), end
}

// validEmojiID mirrors TDLib's to_integer_safe<int64>(id) != 0: an optional '-' and digits
// that fit in an int64, not zero.
func validEmojiID(id string) bool {
	digits := strings.TrimPrefix(id, "-")
	if digits == "" || len(digits) > 19 {
		return false
	}
	var n uint64
	for i := 0; i < len(digits); i++ {
		if !isDigit(digits[i]) {
			return false
		}
		n = n*10 + uint64(digits[i]-'0')
	}
	return n != 0 && n <= 1<<63-1
}

// isSpace is TDLib's is_space, NUL included: the end of the text reads as NUL.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0 || c == '\v'
}

func isDigit(c byte) bool    { return '0' <= c && c <= '9' }
func isAlpha(c byte) bool    { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool    { return isAlpha(c) || isDigit(c) }
func isHexDigit(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func hexValue(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
