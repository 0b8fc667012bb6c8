package digest

import (
	"testing"
	"time"

	"newsbot/digest/words"
)

// background is a day of unrelated regional headlines: it gives the index realistic word
// frequencies, so that "Kazakhstan" weighs little and "CNNC" much.
var background = []Story{
	{Title: "Kazakhstan to raise minimum wage in 2027", Summary: "The government of Kazakhstan approved a higher minimum wage from January.", Language: "en"},
	{Title: "Almaty metro extends two stations", Summary: "Two new metro stations open in Almaty's Auezov district.", Language: "en"},
	{Title: "Kazakhstan's inflation slows to 8.1%", Summary: "Annual inflation in Kazakhstan slowed in October, the National Bank said.", Language: "en"},
	{Title: "Tokayev meets Chinese investors in Astana", Summary: "President Tokayev discussed new projects with Chinese companies.", Language: "en"},
	{Title: "Kyrgyzstan and Uzbekistan sign border deal", Summary: "The two countries signed an agreement on the remaining border sections.", Language: "en"},
	{Title: "В Алматы открылись две станции метро", Summary: "Новые станции метро открылись в Ауэзовском районе Алматы.", Language: "ru"},
	{Title: "Инфляция в Казахстане замедлилась до 8,1%", Summary: "Годовая инфляция в Казахстане замедлилась в октябре, сообщил Нацбанк.", Language: "ru"},
	{Title: "Токаев встретился с инвесторами из Китая", Summary: "Президент Казахстана обсудил с китайскими компаниями новые проекты.", Language: "ru"},
	{Title: "Астанада жаңа мектеп ашылды", Summary: "Елордада 1200 орындық жаңа мектеп пайдалануға берілді.", Language: "kk"},
	{Title: "Қазақстанда инфляция баяулады", Summary: "Қазан айында жылдық инфляция баяулады, деп хабарлады Ұлттық банк.", Language: "kk"},
}

var testTerms = words.NewTermCache(0)

func indexWith(stories ...Story) *clusterIndex {
	ix := newClusterIndex()
	at := time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)
	for i, st := range append(append([]Story{}, background...), stories...) {
		st.ID, st.ClusterID = int64(i+1), int64(i+1)
		st.Published, st.FirstSeen = at, at
		ix.add(storyDoc(st, testTerms))
	}
	return ix
}

func TestClustering(t *testing.T) {
	tests := []struct {
		name string
		a, b Story
		gap  time.Duration
		same bool
	}{
		{
			name: "two English editions report one uranium deal",
			a: Story{Title: "Kazatomprom signs uranium supply deal with China's CNNC",
				Summary: "Kazakhstan's national atomic company Kazatomprom has signed a long-term contract to supply uranium concentrate to China National Nuclear Corporation (CNNC).", Language: "en"},
			b: Story{Title: "Kazakhstan to supply uranium to China under new Kazatomprom contract",
				Summary: "Kazatomprom and CNNC agreed a long-term contract for uranium supplies, the company said on Tuesday.", Language: "en"},
			same: true,
		},
		{
			name: "Russian outlets reword one event",
			a: Story{Title: "Казатомпром подписал контракт на поставку урана в Китай",
				Summary: "Национальная атомная компания «Казатомпром» заключила долгосрочный контракт с китайской CNNC на поставку урана.", Language: "ru"},
			b: Story{Title: "Казахстан будет поставлять уран китайской CNNC",
				Summary: "«Казатомпром» и CNNC подписали долгосрочный контракт на поставки урана, сообщила компания.", Language: "ru"},
			same: true,
		},
		{
			name: "Kazakh outlets reword one event",
			a: Story{Title: "Қазатомөнеркәсіп Қытайға уран жеткізу туралы келісімшартқа қол қойды",
				Summary: "Ұлттық атом компаниясы CNNC корпорациясымен ұзақ мерзімді келісімшарт жасады.", Language: "kk"},
			b: Story{Title: "Қазатомөнеркәсіп CNNC-мен уран жеткізу келісімшартын жасады",
				Summary: "Компания Қытайға уран жеткізу туралы ұзақ мерзімді келісімшартқа қол қойды.", Language: "kk"},
			same: true,
		},
		{
			name: "same company, different news",
			a: Story{Title: "Kazatomprom signs uranium supply deal with China's CNNC",
				Summary: "Kazakhstan's national atomic company has signed a long-term contract with CNNC.", Language: "en"},
			b: Story{Title: "Kazatomprom cuts 2027 production guidance",
				Summary: "The world's largest uranium producer lowered its output forecast because of sulphuric acid shortages.", Language: "en"},
			same: false,
		},
		{
			name: "daily rate notes differ by date",
			a:    Story{Title: "Курс доллара на 26 ноября", Summary: "Нацбанк установил официальный курс доллара.", Language: "ru"},
			b:    Story{Title: "Курс доллара на 27 ноября", Summary: "Нацбанк установил официальный курс доллара.", Language: "ru"},
			same: false,
		},
		{
			name: "same actors, different events",
			a:    Story{Title: "Токаев провел телефонный разговор с Путиным", Summary: "Президенты обсудили сотрудничество в энергетике.", Language: "ru"},
			b:    Story{Title: "Токаев подписал закон о бюджете", Summary: "Глава государства подписал закон о республиканском бюджете на 2027 год.", Language: "ru"},
			same: false,
		},
		{
			name: "one event, reports three days apart",
			a: Story{Title: "Kazatomprom signs uranium supply deal with China's CNNC",
				Summary: "Kazatomprom has signed a long-term contract to supply uranium to CNNC.", Language: "en"},
			b: Story{Title: "Kazatomprom signs uranium supply deal with CNNC",
				Summary: "Kazatomprom has signed a long-term contract to supply uranium to CNNC.", Language: "en"},
			gap:  72 * time.Hour,
			same: false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix := indexWith(tc.a)
			a := ix.docs[int64(len(background)+1)]
			b := tc.b
			b.ID, b.Published, b.FirstSeen = 1000, a.at.Add(tc.gap), a.at.Add(tc.gap)
			d := storyDoc(b, testTerms)
			got := ix.match(d)
			if (got == a.cluster) != tc.same {
				t.Errorf("match = %d (a is %d), similarity %.2f; want same story = %v", got, a.cluster, similarity(ix.weights(), d, a), tc.same)
			}
		})
	}
}

func TestClusterIndexPrunes(t *testing.T) {
	ix := indexWith()
	n := len(ix.docs)
	ix.prune(time.Date(2026, 11, 26, 7, 0, 0, 0, time.UTC))
	if len(ix.docs) != 0 || len(ix.postings) != 0 || n == 0 {
		t.Fatalf("after pruning everything: %d docs, %d postings", len(ix.docs), len(ix.postings))
	}
}
