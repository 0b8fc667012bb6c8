package subscriptions

import (
	"context"
	"database/sql"
	"fmt"
)

// SetLanguage sets the interface language of chat id and returns its code. lang is a code of
// Languages() or a name people type for one ("RU", "kz", "қазақша", "English"); anything else
// is an error wrapping ErrBadLanguage. The language only chooses the bot's words: stories in
// every language are delivered regardless. An unknown chat is an error wrapping ErrNoChat.
func (s *Store) SetLanguage(ctx context.Context, id int64, lang string) (string, error) {
	code, ok := canonicalLanguage(lang)
	if !ok {
		return "", fmt.Errorf("subscriptions: set language %d: %w: %q", id, ErrBadLanguage, lang)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		return updateOne(ctx, tx, `UPDATE chats SET language = ?, updated_at = ? WHERE id = ?`,
			code, s.now().Unix(), id)
	})
	if err != nil {
		return "", fmt.Errorf("subscriptions: set language %d: %w", id, err)
	}
	return code, nil
}

// SetTimezone sets the time zone of chat id, in which its digest time and story times are
// shown, and returns the IANA name stored. tz is an IANA name in any case ("asia/almaty"), or a
// city that names one zone ("Almaty"); "", "Local" and UTC offsets ("+05:00", "GMT+5") are
// refused. A refused name is an error wrapping ErrBadTimezone, an unknown chat one wrapping
// ErrNoChat.
func (s *Store) SetTimezone(ctx context.Context, id int64, tz string) (string, error) {
	name, err := canonicalTimezone(tz)
	if err != nil {
		return "", fmt.Errorf("subscriptions: set time zone %d: %w", id, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		return updateOne(ctx, tx, `UPDATE chats SET timezone = ?, updated_at = ? WHERE id = ?`,
			name, s.now().Unix(), id)
	})
	if err != nil {
		return "", fmt.Errorf("subscriptions: set time zone %d: %w", id, err)
	}
	return name, nil
}
