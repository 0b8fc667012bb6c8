package bot

import "testing"

func TestParseCommand(t *testing.T) {
	tests := []struct {
		text   string
		want   command
		wantOK bool
	}{
		{"/start", command{name: "start"}, true},
		{"/start topic_energy", command{name: "start", args: "topic_energy"}, true},
		{"/start@newsbot_test_bot", command{name: "start", mentioned: true}, true},
		{"/START@NewsBot_Test_Bot  energy ", command{name: "start", args: "energy", mentioned: true}, true},
		{"/subscribe@otherbot energy", command{}, false},
		{"/search  уран   Казахстан", command{name: "search", args: "уран   Казахстан"}, true},
		{"/search\nуран", command{name: "search", args: "уран"}, true},
		{"/", command{}, false},
		{"/ start", command{}, false},
		{"hello /start", command{}, false},
		{"/поиск уран", command{}, false},
		{"/a_b_c", command{name: "a_b_c"}, true},
		{"/x123456789012345678901234567890123", command{}, false},
	}
	for _, tc := range tests {
		got, ok := parseCommand(tc.text, "newsbot_test_bot")
		if ok != tc.wantOK || got != tc.want {
			t.Errorf("parseCommand(%q) = %+v, %v; want %+v, %v", tc.text, got, ok, tc.want, tc.wantOK)
		}
	}
}
