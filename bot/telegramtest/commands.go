package telegramtest

import (
	"encoding/json"
	"regexp"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// commandRE is Telegram's rule for a bot command: lowercase letters, digits and underscores.
var commandRE = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// maxCommands is how many commands setMyCommands takes at most.
const maxCommands = 100

// commandsKey identifies a command list by scope (canonical JSON, default scope when absent)
// and language code.
func commandsKey(p map[string]string) (string, bool) {
	scope := map[string]any{"type": "default"}
	if raw := p["scope"]; raw != "" {
		scope = nil
		if err := json.Unmarshal([]byte(raw), &scope); err != nil || scope["type"] == nil {
			return "", false
		}
	}
	canon, _ := json.Marshal(scope)
	return string(canon) + "|" + p["language_code"], true
}

func (s *Server) setMyCommandsLocked(p map[string]string) reply {
	key, ok := commandsKey(p)
	if !ok {
		return badRequest("can't parse BotCommandScope JSON object")
	}
	var cmds []models.BotCommand
	if err := json.Unmarshal([]byte(p["commands"]), &cmds); err != nil {
		return badRequest("can't parse commands JSON object")
	}
	if len(cmds) > maxCommands {
		return badRequest("too many commands specified")
	}
	for _, c := range cmds {
		if !commandRE.MatchString(c.Command) {
			return badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(c.Description); n < 1 || n > 256 {
			return badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	if len(cmds) == 0 {
		delete(s.commands, key)
	} else {
		s.commands[key] = cmds
	}
	return okReply(true)
}

func (s *Server) getMyCommandsLocked(p map[string]string) reply {
	key, ok := commandsKey(p)
	if !ok {
		return badRequest("can't parse BotCommandScope JSON object")
	}
	cmds := s.commands[key]
	if cmds == nil {
		cmds = []models.BotCommand{}
	}
	return okReply(cmds)
}

func (s *Server) deleteMyCommandsLocked(p map[string]string) reply {
	key, ok := commandsKey(p)
	if !ok {
		return badRequest("can't parse BotCommandScope JSON object")
	}
	delete(s.commands, key)
	return okReply(true)
}
