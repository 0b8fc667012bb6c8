package bot

import (
	"strings"
	"testing"
	"time"
)

func TestAlertFiresOnWordFormsOnceAndUnalertStopsIt(t *testing.T) {
	h := newHarness(t)
	chat := ivan.Chat()
	h.api.SendText(chat, ivan, "/alert уран -Урал")
	added := h.api.WaitMessages(t, chat.ID, 1, 5*time.Second)[0]
	if !strings.Contains(added.PlainText, "№1") || !strings.Contains(added.PlainText, "уран -урал") ||
		!strings.Contains(added.PlainText, "1 новость") {
		t.Fatalf("/alert reply = %q (want the number, the query and the 1 recent match)", added.PlainText)
	}
	h.feed.add("n-1", "Казатомпром нарастил добычу урана", "/u1", "Добыча выросла на 5%.")
	h.feed.add("n-2", "Снегопад в горах Урала", "/ural", "Дороги закрыты.")
	h.feed.add("n-3", "Курс тенге укрепился", "/kzt", "Нацбанк сообщил.")
	h.poll()
	got := h.api.WaitMessages(t, chat.ID, 2, 5*time.Second)[1]
	if !strings.HasPrefix(got.PlainText, "🔔 уран -урал\nКазатомпром нарастил добычу урана") {
		t.Fatalf("alert message = %q", got.PlainText)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(h.api.Messages(chat.ID)); n != 2 {
		t.Fatalf("%d messages: a non-matching story or an excluded word fired", n)
	}

	h.api.SendText(chat, ivan, "/alerts")
	list := h.api.WaitMessages(t, chat.ID, 3, 5*time.Second)[2]
	if b := list.Buttons(); len(b) != 1 || !strings.HasPrefix(b[0].CallbackData, "a:del:") || !strings.Contains(list.PlainText, "1. уран -урал") {
		t.Fatalf("/alerts = %q, buttons %+v", list.PlainText, b)
	}
	h.api.SendText(chat, ivan, "/unalert 1")
	h.api.WaitMessages(t, chat.ID, 4, 5*time.Second)
	h.feed.add("n-4", "Цены на уран растут", "/u2", "Спотовая цена выросла.")
	h.poll()
	time.Sleep(300 * time.Millisecond)
	if n := len(h.api.Messages(chat.ID)); n != 4 {
		t.Fatalf("%d messages: the alert fired after /unalert", n)
	}
}

func TestAlertAndTopicDeliverOnceAsTheAlert(t *testing.T) {
	h := newHarness(t)
	chat := aigerim.Chat()
	h.api.SendText(chat, aigerim, "/start topic_energy")
	h.api.SendText(chat, aigerim, "/alert Астана")
	h.api.WaitMessages(t, chat.ID, 2, 5*time.Second)
	h.feed.add("n-1", "Астанада мұнай өңдеу зауыты салынады", "/kk1", "Жоба 2027 жылы аяқталады.")
	h.poll()
	got := h.api.WaitMessages(t, chat.ID, 3, 5*time.Second)[2]
	if !strings.HasPrefix(strings.ToLower(got.PlainText), "🔔 астана") {
		t.Fatalf("message = %q, want the alert (Астана finds Астанада)", got.PlainText)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(h.api.Messages(chat.ID)); n != 3 {
		t.Fatalf("%d messages: the story matching a topic and an alert came twice", n)
	}
}

func TestAlertQueryErrorsAreFriendly(t *testing.T) {
	h := newHarness(t)
	chat := john.Chat()
	for i, q := range []string{`/alert "uranium deal`, "/alert -Trump", "/alert " + strings.Repeat("uranium ", 40)} {
		h.api.SendText(chat, john, q)
		got := h.api.WaitMessages(t, chat.ID, i+1, 5*time.Second)[i]
		if strings.Contains(got.PlainText, "went wrong") || len(got.PlainText) < 20 {
			t.Errorf("%s → %q", q, got.PlainText)
		}
	}
	if list, _ := h.subs.Alerts(t.Context(), chat.ID); len(list) != 0 {
		t.Fatalf("an invalid query was stored: %+v", list)
	}
}

func TestSameWordsInAnotherOrderAreOneAlert(t *testing.T) {
	h := newHarness(t)
	chat := john.Chat()
	h.api.SendText(chat, john, "/alert uranium Kazakhstan")
	h.api.SendText(chat, john, "/alert Kazakhstan uranium")
	msgs := h.api.WaitMessages(t, chat.ID, 2, 5*time.Second)
	if !strings.Contains(msgs[1].PlainText, "already have an alert") {
		t.Fatalf("second /alert = %q", msgs[1].PlainText)
	}
	if list, _ := h.subs.Alerts(t.Context(), chat.ID); len(list) != 1 {
		t.Fatalf("%d alerts stored", len(list))
	}
}

func TestLatinAlertFindsCyrillicKazakh(t *testing.T) {
	h := newHarness(t)
	chat := aigerim.Chat()
	h.api.SendText(chat, aigerim, "/alert Qazaqstan")
	h.api.WaitMessages(t, chat.ID, 1, 5*time.Second)
	h.feed.add("n-1", "Қазақстанда уран өндірісі өсті", "/kk2", "Өндіріс 5 пайызға артты.")
	h.poll()
	got := h.api.WaitMessages(t, chat.ID, 2, 5*time.Second)[1]
	if !strings.Contains(got.PlainText, "Қазақстанда уран өндірісі өсті") || !strings.HasPrefix(got.PlainText, "🔔") {
		t.Fatalf("message = %q", got.PlainText)
	}
}

func TestAlertsSurviveARestart(t *testing.T) {
	h := newHarness(t)
	chat := john.Chat()
	h.api.SendText(chat, john, "/alert uranium")
	h.api.WaitMessages(t, chat.ID, 1, 5*time.Second)
	h.restart()
	h.feed.add("n-1", "Uranium spot price jumps", "/u", "Prices rose 4%.")
	h.poll()
	if got := h.api.WaitMessages(t, chat.ID, 2, 5*time.Second)[1]; !strings.HasPrefix(got.PlainText, "🔔 uranium") {
		t.Fatalf("after a restart: %q", got.PlainText)
	}
}

func TestAlertsComeBackWithTheChat(t *testing.T) {
	h := newHarness(t)
	chat := ivan.Chat()
	h.api.SendText(chat, ivan, "/alert нефть")
	h.api.WaitMessages(t, chat.ID, 1, 5*time.Second)
	// Blocked, then the bot restarts (inactive chats' alerts are not loaded), then /start.
	if err := h.subs.SetActive(t.Context(), chat.ID, false, "bot was blocked by the user"); err != nil {
		t.Fatal(err)
	}
	h.restart()
	h.api.SendText(chat, ivan, "/start")
	h.api.WaitMessages(t, chat.ID, 2, 5*time.Second)
	h.feed.add("n-1", "Нефть марки Brent подорожала", "/oil", "Котировки выросли.")
	h.poll()
	if got := h.api.WaitMessages(t, chat.ID, 3, 5*time.Second)[2]; !strings.HasPrefix(got.PlainText, "🔔 нефть") {
		t.Fatalf("after coming back: %q", got.PlainText)
	}
}
