package subscriptions

import (
	"time"
)

// Telegram's chat types, as Chat.Type and ChatInfo.Type hold them.
const (
	TypePrivate    = "private"
	TypeGroup      = "group"
	TypeSupergroup = "supergroup"
	TypeChannel    = "channel"
)

// knownType reports whether t is one of Telegram's chat types.
func knownType(t string) bool {
	switch t {
	case TypePrivate, TypeGroup, TypeSupergroup, TypeChannel:
		return true
	}
	return false
}

// ChatInfo is what an update from Telegram tells about a chat. Empty strings mean "not known
// from this update" and never erase what is stored.
type ChatInfo struct {
	ID           int64  // Telegram's chat id: users > 0, groups < 0, supergroups and channels -100…
	Type         string // TypePrivate, TypeGroup, TypeSupergroup or TypeChannel
	Title        string // a group's or channel's title, a user's name
	LanguageCode string // the sender's language_code, e.g. "ru", "kk", "en-GB"; in a group, whoever spoke last
}

// Chat is a chat as stored: its settings, its topics and its state.
type Chat struct {
	ID             int64
	Type           string
	Title          string
	Language       string // interface language chosen with /language, one of Languages(); "" = not chosen
	LanguageCode   string // the language_code Telegram last sent for it
	Timezone       string // IANA name chosen with /timezone; "" = the bot's default
	Active         bool   // false: nothing is routed to it (the bot was blocked or removed)
	InactiveReason string // why it is inactive; "" while active
	InactiveSince  time.Time
	Topics         []string // ids of the configured topics it follows, in configuration order; never nil
	// DigestTime is when the chat gets its daily digest: DigestScheduled (the bot's
	// digest.schedule), DigestOff, or "HH:MM" in the chat's own zone.
	DigestTime string
	// DigestChangedAt is when DigestTime last changed (zero: never).
	DigestChangedAt time.Time
	// Mode is ModeInstant (topic stories pushed as they arrive) or ModeDigest (only in the
	// digest). Alerts are instant either way.
	Mode      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// InterfaceLanguage returns the language to talk to the chat in: the one it chose, else the one
// its language_code asks for when that is one of Languages(), else fallback.
func (c Chat) InterfaceLanguage(fallback string) string {
	if c.Language != "" {
		return c.Language
	}
	if l := languageFromCode(c.LanguageCode); l != "" {
		return l
	}
	return fallback
}

// Location returns the chat's time zone, or fallback when it chose none (or its zone can no
// longer be loaded, which only a broken time zone database causes).
func (c Chat) Location(fallback *time.Location) *time.Location {
	if c.Timezone == "" {
		return fallback
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return fallback
	}
	return loc
}

// Private reports whether the chat is a one-to-one chat with a user, rather than a group or a
// channel.
func (c Chat) Private() bool { return c.Type == TypePrivate }
