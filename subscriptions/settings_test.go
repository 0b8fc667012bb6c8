package subscriptions

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCanonicalTimezone(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Asia/Almaty", "Asia/Almaty"},
		{"asia/almaty", "Asia/Almaty"},
		{"ASIA/ALMATY", "Asia/Almaty"},
		{"  Asia/Almaty\n", "Asia/Almaty"},
		{"Almaty", "Asia/Almaty"},
		{"tashkent", "Asia/Tashkent"},
		{"Asia/Bishkek", "Asia/Bishkek"},
		{"asia/qostanay", "Asia/Qostanay"},
		{"UTC", "UTC"},
		{"utc", "UTC"},
		{"Europe/Moscow", "Europe/Moscow"},
		{"europe/moscow", "Europe/Moscow"},
		{"America/New York", "America/New_York"},
		{"new_york", "America/New_York"},
		{"america/argentina/buenos_aires", "America/Argentina/Buenos_Aires"},
		{"America/Port-au-Prince", "America/Port-au-Prince"},
		{"Etc/GMT-5", "Etc/GMT-5"}, // IANA's own fixed zone (UTC+5), spelt out
		{"Europe/Kyiv", "Europe/Kyiv"},
		{"Europe/Kiev", "Europe/Kiev"}, // old names (links) still load
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := canonicalTimezone(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("canonicalTimezone(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			if _, err := time.LoadLocation(got); err != nil {
				t.Fatal(err)
			}
		})
	}
	for _, in := range []string{
		"", "   ", "Local", "local", "Mars/Olympus", "Asia/Alma-Ata2", "+05:00", "+5", "UTC+5", "UTC+05:00",
		"GMT+5", "Z", "Factory", "../../etc/passwd", "/etc/localtime", "posix/Asia/Almaty", "right/UTC",
		"Asia/Almaty/", "Asia//Almaty", "Istanbul", // Asia/Istanbul or Europe/Istanbul: ask for the full name
		"Алматы", "Asia/Almaty\x00",
	} {
		t.Run("bad "+in, func(t *testing.T) {
			got, err := canonicalTimezone(in)
			if !errors.Is(err, ErrBadTimezone) {
				t.Fatalf("canonicalTimezone(%q) = %q, %v; want ErrBadTimezone", in, got, err)
			}
		})
	}
}

// TestZoneNamesLoad checks the table against the time zone database: a name the table has but
// time.LoadLocation cannot load would be accepted and then fail at every use.
func TestZoneNamesLoad(t *testing.T) {
	n := 0
	for _, name := range strings.Fields(zoneNames) {
		n++
		if _, err := time.LoadLocation(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n < 500 {
		t.Fatalf("zoneNames has %d names; tzdata has about 600", n)
	}
}

func TestSetTimezone(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{})
	touch(t, s, aigerim, TypePrivate)
	got, err := s.SetTimezone(ctx, aigerim, "asia/almaty")
	if err != nil || got != "Asia/Almaty" {
		t.Fatalf("SetTimezone = %q, %v", got, err)
	}
	if _, err := s.SetTimezone(ctx, aigerim, "Mars/Olympus"); !errors.Is(err, ErrBadTimezone) {
		t.Fatalf("bad zone: err = %v", err)
	}
	c, err := s.Chat(ctx, aigerim)
	if err != nil {
		t.Fatal(err)
	}
	if c.Timezone != "Asia/Almaty" {
		t.Fatalf("after a refused zone, Timezone = %q, want Asia/Almaty kept", c.Timezone)
	}
	if loc := c.Location(time.UTC); loc.String() != "Asia/Almaty" {
		t.Fatalf("Location = %v", loc)
	}
	if loc := (Chat{}).Location(time.UTC); loc != time.UTC {
		t.Fatalf("no zone: Location = %v, want the fallback", loc)
	}
	if _, err := s.SetTimezone(ctx, daniyar, "UTC"); !errors.Is(err, ErrNoChat) {
		t.Fatalf("unknown chat: err = %v, want ErrNoChat", err)
	}
}

func TestSetLanguage(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Limits{})
	touch(t, s, aigerim, TypePrivate)
	for _, tc := range []struct{ in, want string }{
		{"ru", "ru"}, {"kk", "kk"}, {"en", "en"}, {"RU", "ru"}, {" kk ", "kk"}, {"kz", "kk"},
		{"қазақша", "kk"}, {"Қазақша", "kk"}, {"English", "en"}, {"русский", "ru"},
		{"de", ""}, {"uz", ""}, {"", ""}, {"ru-RU", ""}, {"русский язык", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if _, err := s.SetLanguage(ctx, aigerim, "en"); err != nil {
				t.Fatal(err)
			}
			got, err := s.SetLanguage(ctx, aigerim, tc.in)
			c, cerr := s.Chat(ctx, aigerim)
			if cerr != nil {
				t.Fatal(cerr)
			}
			if tc.want == "" {
				if !errors.Is(err, ErrBadLanguage) {
					t.Fatalf("SetLanguage(%q) = %q, %v; want ErrBadLanguage", tc.in, got, err)
				}
				if c.Language != "en" {
					t.Fatalf("a refused language changed the stored one to %q", c.Language)
				}
				return
			}
			if err != nil || got != tc.want || c.Language != tc.want {
				t.Fatalf("SetLanguage(%q) = %q, %v, stored %q; want %q", tc.in, got, err, c.Language, tc.want)
			}
		})
	}
	if _, err := s.SetLanguage(ctx, daniyar, "ru"); !errors.Is(err, ErrNoChat) {
		t.Fatalf("unknown chat: err = %v, want ErrNoChat", err)
	}
}

func TestInterfaceLanguage(t *testing.T) {
	for _, tc := range []struct {
		chosen, code, want string
	}{
		{"kk", "ru", "kk"},
		{"", "ru", "ru"},
		{"", "kk", "kk"},
		{"", "en-GB", "en"},
		{"", "EN", "en"},
		{"", "uz", "fallback"},
		{"", "", "fallback"},
		{"en", "", "en"},
	} {
		c := Chat{Language: tc.chosen, LanguageCode: tc.code}
		if got := c.InterfaceLanguage("fallback"); got != tc.want {
			t.Errorf("chosen %q, language_code %q: InterfaceLanguage = %q, want %q", tc.chosen, tc.code, got, tc.want)
		}
	}
}
