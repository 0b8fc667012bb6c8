package telegramtest

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestWireErrors(t *testing.T) {
	srv := newServer(t, Options{})
	tests := []struct {
		name, path string
		status     int
		body       string
	}{
		{"wrong token", "/bot123:nope/getMe", 401, `{"ok":false,"error_code":401,"description":"Unauthorized"}`},
		{"unknown method", "/bot" + srv.Token() + "/sendTelegram", 404, `{"ok":false,"error_code":404,"description":"Not Found"}`},
		{"no method", "/bot" + srv.Token() + "/", 404, `{"ok":false,"error_code":404,"description":"Not Found"}`},
		{"not a bot path", "/file/bot" + srv.Token() + "/photos/1.jpg", 404, `{"ok":false,"error_code":404,"description":"Not Found"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Post(srv.URL()+tt.path, "application/x-www-form-urlencoded", nil)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || string(body) != tt.body || resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("%d %s %q, want %d %s", resp.StatusCode, body, resp.Header.Get("Content-Type"), tt.status, tt.body)
			}
		})
	}
	if calls := srv.Calls(""); len(calls) != len(tests) || calls[0].Status != 401 || calls[1].Method != "sendTelegram" {
		t.Errorf("recorded %+v", calls)
	}
}

func TestRequestEncodings(t *testing.T) {
	srv := newServer(t, Options{})
	base := srv.URL() + "/bot" + srv.Token() + "/"
	do := func(req *http.Request) string {
		t.Helper()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	post := func(method, contentType, body string) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+method, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		return do(req)
	}

	body := post("sendMessage", "application/json",
		`{"chat_id":1001,"text":"Uzbekistan: <b>cotton</b>","parse_mode":"HTML","reply_markup":{"inline_keyboard":[[{"text":"More","callback_data":"s:1"}]]},"disable_notification":true}`)
	if !strings.Contains(body, `"ok":true`) || !strings.Contains(body, `"text":"Uzbekistan: cotton"`) {
		t.Errorf("JSON body: %s", body)
	}
	body = post("SendMessage", "application/x-www-form-urlencoded", "chat_id=1002&text=%D0%A2%D0%B0%D1%88%D0%BA%D0%B5%D0%BD%D1%82")
	if !strings.Contains(body, `"text":"Ташкент"`) {
		t.Errorf("form body: %s", body)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"sendmessage?chat_id=1003&text=GET", nil)
	if body := do(req); !strings.Contains(body, `"text":"GET"`) {
		t.Errorf("GET with a query: %s", body)
	}
	if body := post("sendMessage", "application/json", `{"chat_id":`); !strings.Contains(body, `"error_code":400`) {
		t.Errorf("broken JSON: %s", body)
	}

	calls := srv.Calls("sendMessage")
	if len(calls) != 4 {
		t.Fatalf("calls = %d", len(calls))
	}
	if p := calls[0].Params; p["chat_id"] != "1001" || p["disable_notification"] != "true" ||
		p["reply_markup"] != `{"inline_keyboard":[[{"text":"More","callback_data":"s:1"}]]}` || calls[0].ChatID != 1001 {
		t.Errorf("JSON params = %v", p)
	}
	if calls[1].Method != "sendMessage" || calls[2].Method != "sendMessage" {
		t.Errorf("method names not canonical: %q %q", calls[1].Method, calls[2].Method)
	}
	if s := srv.Messages(1001); len(s) != 1 || s[0].Buttons()[0].CallbackData != "s:1" {
		t.Errorf("Messages = %+v", s)
	}
}

func TestDefaultToken(t *testing.T) {
	if !regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]{35}$`).MatchString(DefaultToken) {
		t.Errorf("DefaultToken %q does not look like a bot token", DefaultToken)
	}
	srv := New(t, Options{})
	if srv.Token() != DefaultToken || srv.Bot().ID != 7000000001 || srv.Bot().Username != DefaultBotUsername {
		t.Errorf("defaults: %q %+v", srv.Token(), srv.Bot())
	}
}
