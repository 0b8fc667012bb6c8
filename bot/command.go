package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// command is a parsed bot command: "/subscribe@newsbot energy" → {name: "subscribe", args: "energy"}.
type command struct {
	name      string // lower-case, without the slash and @mention
	args      string // the rest of the text, trimmed
	mentioned bool   // written /name@thisbot
}

// maxCommandName bounds a command name; Telegram's own limit is 32.
const maxCommandName = 32

// parseCommand reads a command from message text. ok is false when the text is not a command,
// or is a command addressed to another bot (/start@otherbot), which a bot in a group must ignore.
// Commands are recognised with or without @botname, in any case.
func parseCommand(text, botUsername string) (cmd command, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return command{}, false
	}
	head, rest, _ := strings.Cut(text[1:], " ")
	if i := strings.IndexFunc(head, unicode.IsSpace); i >= 0 { // "/start\nfoo"
		head, rest = head[:i], head[i+1:]+" "+rest
	}
	name, mention, hasMention := strings.Cut(head, "@")
	if hasMention && !strings.EqualFold(mention, botUsername) {
		return command{}, false
	}
	if name == "" || utf8.RuneCountInString(name) > maxCommandName {
		return command{}, false
	}
	for _, r := range name {
		if !(r == '_' || r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			return command{}, false
		}
	}
	return command{name: strings.ToLower(name), args: strings.TrimSpace(rest), mentioned: hasMention}, true
}
