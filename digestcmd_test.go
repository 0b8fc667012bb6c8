package main

import (
	"database/sql"
	"strings"
	"testing"
)

func TestDigestCommandPrintsAndSendsNothing(t *testing.T) {
	site := newFeedSite(t, `<item><guid>old</guid><title>Архив: уран в 2019 году</title><link>https://orda.kz/old</link></item>`)
	path, db := testConfig(t, site.URL+"/feed/")
	if code, _, errOut := runCmd(t, "fetch", "-config", path); code != 0 {
		t.Fatalf("fetch: %q", errOut)
	}
	site.set(`<item><guid>2</guid><title>Добыча урана &lt;выросла&gt; на 5%</title><link>https://orda.kz/news/2</link>
		<description>Казатомпром отчитался за квартал. Подробности позже.</description></item>`)
	if code, _, errOut := runCmd(t, "fetch", "-config", path); code != 0 {
		t.Fatalf("fetch: %q", errOut)
	}
	code, out, errOut := runCmd(t, "digest", "-config", path, "-lang", "ru")
	if code != 0 {
		t.Fatalf("digest: %d %q", code, errOut)
	}
	for _, want := range []string{"☀️ Ваш дайджест", "Energy", "• Добыча урана <выросла> на 5% <https://orda.kz/news/2>",
		"Orda.kz — Казатомпром отчитался за квартал."} {
		if !strings.Contains(out, want) {
			t.Errorf("digest output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Архив") || strings.Contains(out, "Подробности позже") {
		t.Errorf("backlog or a second sentence in the digest:\n%s", out)
	}
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var queued, decided int
	conn.QueryRow(`SELECT (SELECT COUNT(*) FROM outbox), (SELECT COUNT(*) FROM digests)`).Scan(&queued, &decided)
	if queued != 0 || decided != 0 {
		t.Errorf("newsbot digest recorded %d outbox rows, %d digests", queued, decided)
	}
	if code, _, errOut := runCmd(t, "digest", "-config", path, "-lang", "de"); code != 2 || !strings.Contains(errOut, "-lang") {
		t.Errorf("-lang de: %d %q", code, errOut)
	}
}
