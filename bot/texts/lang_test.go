package texts

import "testing"

func TestPick(t *testing.T) {
	tests := []struct {
		chosen, telegram, want string
	}{
		{"", "", "en"},
		{"", "en", "en"},
		{"", "en-US", "en"},
		{"", "en-GB", "en"},
		{"", "ru", "ru"},
		{"", "ru-RU", "ru"},
		{"", "ru-KZ", "ru"},
		{"", "RU", "ru"},
		{"", " ru_ru ", "ru"},
		{"", "kk", "kk"},
		{"", "kk-KZ", "kk"},
		{"", "kk-Cyrl-KZ", "kk"},
		{"", "kz", "kk"},
		{"", "kaz", "kk"},
		{"", "be", "ru"},
		{"", "ky", "ru"},
		{"", "ky-KG", "ru"},
		{"", "uz", "ru"},
		{"", "uz-Latn-UZ", "ru"},
		{"", "tg", "ru"},
		{"", "tk", "ru"},
		{"", "tt", "ru"},
		{"", "uk", "en"},
		{"", "uk-UA", "en"},
		{"", "de", "en"},
		{"", "zh-hans", "en"},
		{"", "tr", "en"},
		{"", "x", "en"},
		{"", "-", "en"},
		{"ru", "en", "ru"},
		{"kk", "ru", "kk"},
		{"en", "kk", "en"},
		{"KK", "", "kk"},
		{"kz", "en", "kk"},
		{"ru-RU", "", "ru"},
		{"uk", "kk", "kk"}, // a stored choice that is not a catalogue language is ignored
		{"uz", "", "en"},   // …not mapped like a Telegram code
		{"de", "ru", "ru"},
	}
	for _, tt := range tests {
		t.Run(tt.chosen+"|"+tt.telegram, func(t *testing.T) {
			if got := Pick(tt.chosen, tt.telegram); got != tt.want {
				t.Errorf("Pick(%q, %q) = %q, want %q", tt.chosen, tt.telegram, got, tt.want)
			}
		})
	}
}

func TestPickReturnsACatalogueLanguage(t *testing.T) {
	c := loadCatalog(t)
	ok := map[string]bool{}
	for _, l := range c.Languages() {
		ok[l] = true
	}
	for code := range readsRussian {
		if l := Pick("", code); !ok[l] {
			t.Errorf("Pick(%q) = %q, not a catalogue language", code, l)
		}
	}
	for code := range ownCodes {
		if l := Pick(code, ""); !ok[l] {
			t.Errorf("Pick(%q) = %q, not a catalogue language", code, l)
		}
	}
}
