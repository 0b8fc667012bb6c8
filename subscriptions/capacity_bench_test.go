package subscriptions

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"newsbot/subscriptions/alerts"
)

// The capacity benchmarks measure what README's "Capacity" section quotes for the people's
// side: a /broadcast to 100,000 chats, the database per subscriber in steady state, and the
// alert index per 100,000 subscribers. Run them with
//
//	go test -run '^$' -bench 'StartBroadcast100k|DiskPerSubscriber|AlertIndexMemory' -benchtime 1x ./subscriptions/
//
// Each takes under a minute on two cores.

// usedBytes is the space the database's content takes: its pages less the free ones.
func usedBytes(tb testing.TB, db *sql.DB) int64 {
	tb.Helper()
	var pages, free, size int64
	if err := db.QueryRow(`SELECT (SELECT page_count FROM pragma_page_count), (SELECT freelist_count FROM pragma_freelist_count),
		(SELECT page_size FROM pragma_page_size)`).Scan(&pages, &free, &size); err != nil {
		tb.Fatal(err)
	}
	return (pages - free) * size
}

// tableBytes returns the bytes of the pages of each table and index, by name (dbstat).
func tableBytes(tb testing.TB, db *sql.DB) map[string]int64 {
	tb.Helper()
	rows, err := db.Query(`SELECT name, SUM(pgsize) FROM dbstat GROUP BY name`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			tb.Fatal(err)
		}
		out[name] = n
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// BenchmarkStartBroadcast100k starts an admin's /broadcast to 100,000 chats (90,000 active):
// StartBroadcast queues one outbox row per active chat, all pointing at one shared text, in one
// set-based INSERT. It reports the rows and the bytes they add to the database.
func BenchmarkStartBroadcast100k(b *testing.B) {
	ctx := context.Background()
	s, _ := newStore(b, Limits{})
	seedChats(b, s, 100_000, func(int) []string { return []string{"energy"} })
	text := "<b>Уважаемые подписчики!</b> С 1 декабря дайджест выходит в 08:00 по времени Астаны. " +
		"Құрметті оқырмандар! Күнделікті шолу енді сағат 08:00-де шығады. Dear readers, the digest now comes at 08:00."
	var queued int
	var added int64
	for range b.N {
		b.StopTimer()
		if _, err := s.db.Write.Exec(`DELETE FROM outbox`); err != nil {
			b.Fatal(err)
		}
		run, err := s.CreateRun(ctx, RunBroadcast, 52810447, 52810447, text)
		if err != nil {
			b.Fatal(err)
		}
		before := usedBytes(b, s.db.Write)
		b.StartTimer()
		r, err := s.StartBroadcast(ctx, run.ID)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		queued, added = r.Total, usedBytes(b, s.db.Write)-before
		b.StartTimer()
	}
	if queued != 90_000 {
		b.Fatalf("queued %d, want 90,000", queued)
	}
	b.ReportMetric(float64(queued), "rows")
	b.ReportMetric(float64(added)/(1<<20), "MiB-added")
	b.ReportMetric(float64(added)/float64(queued), "B/row")
}

// capChats is how many chats BenchmarkDiskPerSubscriber builds: 40,000 keep a run under a
// minute on two cores, and the bytes per chat do not depend on it (100,000 gave the same to
// within 0.3 %).
const capChats = 40_000

// BenchmarkDiskPerSubscriber builds the database of capChats subscribers in steady state and
// reports its bytes per subscriber, after VACUUM and as inserted (B-trees filled in time order
// are less full, as in a live database). Per chat: its row (a fifth of them groups; names,
// languages, some time zones), 1–4 topics, 2 alerts, 5 pushes a day with their delivery records
// kept 14 days (keepDeliveries: 70 rows), the outbox of 7 days (keepOutbox: 5 pushes and 1
// digest a day, 42 rows, all sent), and 7 days of digest records (day keyed "YYYY-MM-DD
// Zone/Name"), whose bytes per record are reported too, to scale to the days kept. The shared
// digest texts (300 distinct a day, ~3.5 KB each, 7 days) are reported apart: they do not grow
// with the chats.
func BenchmarkDiskPerSubscriber(b *testing.B) {
	ctx := context.Background()
	const (
		days        = 7  // outbox and digests kept
		deliveryDay = 14 // deliveries kept
		pushes      = 5  // a day
		textsPerDay = 300
	)
	for range b.N {
		s, _ := newStore(b, Limits{})
		db := s.db.Write
		// The setup writes 12 million rows: a large page cache keeps it from thrashing.
		if _, err := db.Exec(`PRAGMA cache_size = -2000000`); err != nil {
			b.Fatal(err)
		}
		empty := usedBytes(b, db)
		r := rand.New(rand.NewPCG(11, 11))
		day0 := time.Date(2026, 11, 1, 3, 0, 0, 0, time.UTC).Unix()

		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		prepare := func(tx *sql.Tx, query string) *sql.Stmt {
			st, err := tx.Prepare(query)
			if err != nil {
				b.Fatal(err)
			}
			return st
		}
		chat := prepare(tx, `INSERT INTO chats (id, type, title, language, language_code, timezone, active, created_at, updated_at,
			digest_time, digest_changed_at, mode) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`)
		topic := prepare(tx, `INSERT INTO chat_topics (chat_id, topic_id, created_at) VALUES (?, ?, ?)`)
		alert := prepare(tx, `INSERT INTO alerts (chat_id, query, key, created_at) VALUES (?, ?, ?, ?)`)
		first := []string{"Айгерим", "Нурлан", "Дания", "Ерлан", "Асель", "Тимур", "Dilnoza", "Bakyt", "Мадина", "Арман", "Gulnara", "Сергей"}
		last := []string{"Нурланова", "Сейткали", "Абенов", "Ким", "Исмаилова", "Tashkentova", "Жумабаев", "Иванов", "Omarova", ""}
		groups := []string{"Новости Атырау", "Мұнайшылар чаты", "KazEnergy watchers", "Экономика Казахстана — обсуждение", "Ақтөбе жаңалықтары", "Tashkent expats"}
		topicIDs := []string{"politics", "economy", "energy", "security", "society", "regions", "world"}
		langs := []string{"ru", "ru", "ru", "kk", "kk", "en", "", ""}
		zones := []string{"", "", "", "", "", "", "", "", "Asia/Tashkent", "Asia/Bishkek"}
		ag := newAlertGen(3)
		for i := range capChats {
			id, typ := int64(5_000_000_000+i*37), TypePrivate
			title := first[r.IntN(len(first))] + " " + last[r.IntN(len(last))]
			if i%5 == 0 {
				id, typ = -1_002_000_000_000-int64(i)*53, TypeSupergroup
				title = groups[r.IntN(len(groups))]
			}
			created := day0 - int64(r.IntN(300))*86400
			digestTime, mode := "", ModeInstant
			switch r.IntN(10) {
			case 0:
				digestTime = fmt.Sprintf("%02d:%02d", 6+r.IntN(4), 30*r.IntN(2))
			case 1:
				mode = ModeDigest
			}
			if _, err := chat.Exec(id, typ, title, langs[r.IntN(len(langs))], []string{"ru", "kk", "en", "uz"}[r.IntN(4)],
				zones[r.IntN(len(zones))], created, created, digestTime, created, mode); err != nil {
				b.Fatal(err)
			}
			for _, p := range r.Perm(len(topicIDs))[:1+r.IntN(4)] {
				if _, err := topic.Exec(id, topicIDs[p], created); err != nil {
					b.Fatal(err)
				}
			}
			for k := range 2 {
				q, key := ag.alert()
				if _, err := alert.Exec(id, q, key+fmt.Sprint(k), created); err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}

		// The shared digest texts of the last week.
		tx, err = db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		shared := prepare(tx, `INSERT INTO outbox_texts (id, hash, text) VALUES (?, ?, ?)`)
		for i := range days * textsPerDay {
			var t strings.Builder
			for t.Len() < 3500 {
				q, _ := ag.alert()
				fmt.Fprintf(&t, "<b>%s</b>\n%s <a href=\"https://orda.kz/news/%d\">Orda.kz</a>\n\n", q, strings.Repeat(q+" ", 6), r.IntN(1e6))
			}
			if _, err := shared.Exec(i+1, fmt.Sprintf("%064x", i+1), t.String()); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}

		// Deliveries, outbox and digests, written in time order as a running bot writes them:
		// day by day, and within a day chat by chat (CROSS JOIN keeps that loop order).
		series := `WITH RECURSIVE d(day) AS (SELECT 0 UNION ALL SELECT day + 1 FROM d WHERE day < ?1 - 1),
			p(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM p WHERE k < ?2 - 1)`
		steps := []struct {
			name string
			sql  string
			args []any
		}{
			{"deliveries", series + `
				INSERT INTO deliveries (chat_id, cluster_id, story_id, decided_at)
				SELECT c.id, 7000000 + d.day * 700 + (c.rowid % 139 + p.k * 131) % 700, 7000000 + d.day * 700 + (c.rowid % 139 + p.k * 131) % 700 + p.k % 2,
					?3 + d.day * 86400 + p.k * 7200 + c.rowid % 600
				FROM d CROSS JOIN p CROSS JOIN chats c`, []any{deliveryDay, pushes, day0 - (deliveryDay-days)*86400}},
			{"pushes", series + `
				INSERT INTO outbox (chat_id, kind, class, story_id, state, attempts, message_id, created_at, updated_at)
				SELECT c.id, 'push', 2, 7000000 + d.day * 700 + (c.rowid % 139 + p.k * 131) % 700, 'sent', 1, 1000 + d.day * 8 + p.k,
					?3 + d.day * 86400 + p.k * 7200, ?3 + d.day * 86400 + p.k * 7200 + 30
				FROM d CROSS JOIN p CROSS JOIN chats c`, []any{days, pushes, day0}},
			{"digests", series + `
				INSERT INTO outbox (chat_id, kind, class, text_id, state, attempts, message_id, created_at, updated_at)
				SELECT c.id, 'digest', 3, 1 + d.day * ?4 + c.rowid % ?4, 'sent', 1, 1000 + d.day * 8 + 7,
					?3 + d.day * 86400 + 18000, ?3 + d.day * 86400 + 18000 + c.rowid % 3600
				FROM d CROSS JOIN p CROSS JOIN chats c`, []any{days, 1, day0, textsPerDay}},
			{"digest records", series + `
				INSERT INTO digests (chat_id, day, since, until, stories, messages, decided_at)
				SELECT c.id, date(?3 + d.day * 86400, 'unixepoch') || ' Asia/Almaty', ?3 + (d.day - 1) * 86400 + 18000, ?3 + d.day * 86400 + 18000,
					10, 1 + c.rowid % 2, ?3 + d.day * 86400 + 18000
				FROM d CROSS JOIN p CROSS JOIN chats c`, []any{days, 1, day0}},
		}
		for _, st := range steps {
			if _, err := db.ExecContext(ctx, st.sql, st.args...); err != nil {
				b.Fatalf("%s: %v", st.name, err)
			}
		}
		asInserted := usedBytes(b, db) - empty
		live := tableBytes(b, db)
		if _, err := db.Exec(`VACUUM`); err != nil {
			b.Fatal(err)
		}
		vacuumed := usedBytes(b, db) - empty
		parts := tableBytes(b, db)
		group := func(m map[string]int64, prefixes ...string) int64 {
			var n int64
			for name, v := range m {
				for _, p := range prefixes {
					if name == p || strings.HasPrefix(name, p+"_") || name == "sqlite_autoindex_"+p+"_1" {
						n += v
					}
				}
			}
			return n
		}
		per := func(n int64) float64 { return float64(n) / capChats }
		texts := group(parts, "outbox_texts")
		b.ReportMetric(per(vacuumed-texts), "B/chat")
		b.ReportMetric(per(asInserted-group(live, "outbox_texts")), "B/chat-as-inserted")
		b.ReportMetric(per(group(parts, "chats", "chat_topics")), "chat+topics-B/chat")
		b.ReportMetric(per(group(parts, "alerts")), "alerts-B/chat")
		b.ReportMetric(per(group(parts, "deliveries")), "deliveries14d-B/chat")
		b.ReportMetric(per(group(parts, "outbox")-texts), "outbox7d-B/chat")
		b.ReportMetric(per(group(parts, "digests"))/days, "digest-record-B")
		b.ReportMetric(float64(texts)/(1<<20), "texts7d-MiB")
		b.ReportMetric(float64(vacuumed)/(1<<20), "db-MiB")
	}
}

// alertGen makes alert queries as people set them: a word or two of the region's news, now and
// then a phrase, an alternative or an exclusion, drawn with a Zipf law from a vocabulary of
// Russian, Kazakh and English news words and a long tail of rarer ones.
type alertGen struct {
	r     *rand.Rand
	words []string
	z     *rand.Zipf
	tail  []string
	tailZ *rand.Zipf
}

const alertVocab = `уран Казатомпром нефть тенге инфляция Токаев Тоқаев Kazatomprom uranium oil tenge
Нацбанк "базовая ставка" "base rate" Кашаган Тенгиз Kashagan Tengiz газ мұнай теңге бензин тариф
пошлина экспорт Китай Россия санкции sanctions Бишкек Ташкент Шымкент Атырау Актау паводок тасқын
землетрясение "жер сілкінісі" ипотека "Отбасы банк" Kaspi Halyk "Air Astana" SCAT виза visa
"Middle Corridor" "Средний коридор" литий lithium "rare earth" вольфрам медь золото уголь көмір
КТЖ "темір жол" электроэнергия ТЭЦ АЭС МАГАТЭ Байконур Байқоңыр ЕНТ ҰБТ грант стипендия пенсия
зейнетақы Самрук-Казына Самұрық-Қазына IPO облигации дивиденды КНБ прокуратура взятка пара
коррупция жемқорлық акимат әкімдік Мажилис Мәжіліс референдум выборы сайлау Жапаров Мирзиёев
Головкин Кайрат футбол хоккей Астана Алматы Қарағанды Караганда Павлодар Экибастуз Темиртау
Жанаозен Арал Иртыш Ертіс засуха пшеница бидай зерно астық мясо ет фермер субсидия`

func newAlertGen(seed uint64) *alertGen {
	r := rand.New(rand.NewPCG(seed, 5))
	g := &alertGen{r: r}
	// Quoted phrases stay one term.
	in := false
	for _, part := range strings.Split(alertVocab, `"`) {
		if in {
			g.words = append(g.words, `"`+part+`"`)
		} else {
			g.words = append(g.words, strings.Fields(part)...)
		}
		in = !in
	}
	g.z = rand.NewZipf(r, 1.1, 5, uint64(len(g.words)-1))
	syl := strings.Fields("ка ра ба на да жан бек тай ту ке ер ай сал мат нур бол сер гей ал мас тас кен шы")
	for range 30000 {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		g.tail = append(g.tail, b.String())
	}
	g.tailZ = rand.NewZipf(r, 1.01, 50, uint64(len(g.tail)-1))
	return g
}

func (g *alertGen) term() string {
	if g.r.IntN(100) < 40 { // names, companies, villages: the long tail
		return g.tail[g.tailZ.Uint64()]
	}
	return g.words[g.z.Uint64()]
}

// alert returns a query and a key standing for its order-free form.
func (g *alertGen) alert() (string, string) {
	var parts []string
	n := 1
	switch x := g.r.IntN(100); {
	case x >= 85:
		n = 3
	case x >= 50:
		n = 2
	}
	for range n {
		t := g.term()
		if g.r.IntN(100) < 15 {
			t += " OR " + g.term()
		}
		parts = append(parts, t)
	}
	if g.r.IntN(100) < 10 {
		parts = append(parts, "-"+g.term())
	}
	q := strings.Join(parts, " ")
	return q, strings.ToLower(q)
}

// BenchmarkAlertIndexMemory builds the alert index the bot keeps in memory for 100,000 chats
// with 2 alerts each and reports its Go heap after a GC, in all and per alert. BENCHMARKS.md
// has the same index at a million alerts (another vocabulary): 293 MiB, 307 B per alert.
func BenchmarkAlertIndexMemory(b *testing.B) {
	const chats, perChat = 100_000, 2
	for range b.N {
		g := newAlertGen(7)
		queries := make([]*alerts.Query, 0, chats*perChat)
		for len(queries) < chats*perChat {
			text, _ := g.alert()
			q, err := alerts.Parse(text, alerts.Limits{})
			if err != nil {
				continue
			}
			queries = append(queries, q)
		}
		before := capHeap()
		start := time.Now()
		ix := alerts.NewIndex()
		for i, q := range queries {
			ix.Add(int64(i+1), int64(5_000_000_000+(i/perChat)*37), q)
		}
		// The first match compiles the word matchers, as the bot's first story would.
		ix.Match("«Казатомпром» увеличил добычу урана, Тоқаев Астанада", "ru")
		build := time.Since(start)
		after := capHeap()
		runtime.KeepAlive(ix)
		runtime.KeepAlive(queries)
		b.ReportMetric(float64(ix.Len()), "alerts")
		b.ReportMetric(float64(after-before)/(1<<20), "heap-MiB")
		b.ReportMetric(float64(after-before)/float64(ix.Len()), "B/alert")
		b.ReportMetric(build.Seconds(), "build-s")
	}
}

// capHeap returns the Go heap in use after a collection.
func capHeap() int64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse)
}
