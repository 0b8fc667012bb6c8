package telegramtest

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/go-telegram/bot/models"
)

// maxCallbackData is Telegram's limit on callback_data, in bytes.
const maxCallbackData = 64

// buttonActions are the fields of an InlineKeyboardButton that give it something to do.
var buttonActions = []string{
	"url", "callback_data", "web_app", "login_url", "switch_inline_query",
	"switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
	"callback_game", "pay",
}

// parseReplyMarkup checks a reply_markup parameter and returns its inline keyboard (nil for
// none or another kind of markup) and a canonical JSON form to compare edits with. The checks
// are Telegram's: every inline button needs text and an action, callback_data is 1–64 bytes,
// a url is an absolute http(s) or tg URL. go-telegram/bot sends every button with an empty
// copy_text object; like Telegram, the fake ignores an empty copy_text.
func parseReplyMarkup(raw string) (*models.InlineKeyboardMarkup, string, reply, bool) {
	if raw == "" {
		return nil, "", reply{}, true
	}
	var generic map[string]any
	if err := json.Unmarshal([]byte(raw), &generic); err != nil {
		return nil, "", badRequest("can't parse reply keyboard markup JSON object"), false
	}
	canon, _ := json.Marshal(generic) // map keys come out sorted
	rows, ok := generic["inline_keyboard"]
	if !ok {
		return nil, string(canon), reply{}, true
	}
	rowList, ok := rows.([]any)
	if !ok {
		return nil, "", badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array"), false
	}
	for _, row := range rowList {
		buttons, ok := row.([]any)
		if !ok {
			return nil, "", badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays"), false
		}
		for _, b := range buttons {
			button, ok := b.(map[string]any)
			if !ok {
				return nil, "", badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object"), false
			}
			if rep, ok := checkButton(button); !ok {
				return nil, "", rep, false
			}
		}
	}
	var kb models.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(raw), &kb); err != nil {
		return nil, "", badRequest("can't parse reply keyboard markup JSON object"), false
	}
	return &kb, string(canon), reply{}, true
}

func checkButton(b map[string]any) (reply, bool) {
	text, _ := b["text"].(string)
	if text == "" {
		return badRequest("can't parse inline keyboard button: Text must be non-empty"), false
	}
	actions := 0
	for _, name := range buttonActions {
		v, ok := b[name]
		if !ok {
			continue
		}
		if name == "copy_text" {
			if ct, _ := v.(map[string]any); ct == nil || ct["text"] == "" || ct["text"] == nil {
				continue
			}
		}
		actions++
	}
	if actions == 0 {
		return badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"), false
	}
	if v, ok := b["callback_data"]; ok {
		data, isString := v.(string)
		if !isString || data == "" || len(data) > maxCallbackData {
			return badRequest("BUTTON_DATA_INVALID"), false
		}
	}
	if v, ok := b["url"]; ok {
		link, _ := v.(string)
		if !validButtonURL(link) {
			return badRequest("BUTTON_URL_INVALID"), false
		}
	}
	return reply{}, true
}

func validButtonURL(link string) bool {
	u, err := url.Parse(link)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "tg":
		return u.Opaque != "" || u.Host != ""
	}
	return false
}
