package subscriptions

import "errors"

// Conditions callers act on, typically by telling the user in a sentence. They are returned
// wrapped: test with errors.Is.
var (
	// ErrNoChat: the chat is unknown (never seen, or forgotten by /stop).
	ErrNoChat = errors.New("no such chat")
	// ErrUnknownTopic: no configured topic has that id or name.
	ErrUnknownTopic = errors.New("unknown topic")
	// ErrBadLanguage: the interface language is not one of Languages().
	ErrBadLanguage = errors.New("unsupported language")
	// ErrBadTimezone: not an IANA time zone name such as Asia/Almaty.
	ErrBadTimezone = errors.New("unknown time zone")
	// ErrTooManyTopics: the chat already follows Limits.MaxTopics topics.
	ErrTooManyTopics = errors.New("too many topics")
)
