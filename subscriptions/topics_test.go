package subscriptions

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResolve(t *testing.T) {
	c := testCatalog(t)
	for _, tc := range []struct {
		name, want string // want "" = no topic
	}{
		{"energy", "energy"},
		{"ENERGY", "energy"},
		{"  Energy \t", "energy"},
		{"Энергетика", "energy"},
		{"энергетика", "energy"},
		{"ЭНЕРГЕТИКА", "energy"},
		{"Қауіпсіздік", "security"},
		{"ҚАУІПСІЗДІК", "security"},
		{"қауіпсіздік", "security"},
		{"Безопасность", "security"},
		{"Өңірлер", "regions"},
		{"өңірлер", "regions"},
		{"Әлем", "world"},
		{"мир", "world"},
		{"Саясат", "politics"},
		{"Экономика", "economy"}, // ru and kk title of one topic
		{"#energy", "energy"},
		{"#Энергетика", "energy"},
		{"topic_energy", "energy"},
		{"«Мир»", "world"},
		{`"World"`, "world"},
		{"", ""},
		{"   ", ""},
		{"#", ""},
		{"topic_", ""},
		{"энергия", ""},
		{"energy2", ""},
		{"ener gy", ""},
		{"weather", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := c.Resolve(tc.name)
			if ok != (tc.want != "") || got.ID != tc.want {
				t.Fatalf("Resolve(%q) = %q, %v; want %q", tc.name, got.ID, ok, tc.want)
			}
		})
	}
}

func TestResolveFoldsYoAndUnderscores(t *testing.T) {
	c, err := NewCatalog([]Topic{
		{ID: "human_rights", Title: "Human rights", Titles: map[string]string{"ru": "Всё о правах"}},
		{ID: "energy", Title: "Energy"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"human_rights", "Human Rights", "human  rights", "#Human_Rights", "topic_human_rights",
		"всё о правах", "Все о правах", "ВСЁ О ПРАВАХ", "ВСЕ\u0308 О ПРАВАХ" /* decomposed Ё */} {
		if got, ok := c.Resolve(name); !ok || got.ID != "human_rights" {
			t.Errorf("Resolve(%q) = %q, %v; want human_rights", name, got.ID, ok)
		}
	}
}

func TestNewCatalogRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		topics []Topic
		want   string
	}{
		{"empty id", []Topic{{ID: "", Title: "Nothing"}}, "non-empty"},
		{"space in id", []Topic{{ID: "oil gas", Title: "Oil"}}, "without spaces"},
		{"duplicate id", []Topic{{ID: "energy", Title: "Energy"}, {ID: "energy", Title: "Power"}}, "twice"},
		{"title of two topics", []Topic{
			{ID: "energy", Title: "Energy", Titles: map[string]string{"ru": "Энергетика"}},
			{ID: "power", Title: "Power", Titles: map[string]string{"ru": "энергетика"}},
		}, "both called"},
		{"title is another's id", []Topic{{ID: "world", Title: "World"}, {ID: "abroad", Title: "WORLD"}}, "both called"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewCatalog(tc.topics)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("NewCatalog: err = %v, want one saying %q", err, tc.want)
			}
		})
	}
}

func TestCatalogOrderAndCopies(t *testing.T) {
	in := testTopics()
	c, err := NewCatalog(in)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tp := range c.All() {
		ids = append(ids, tp.ID)
	}
	want := []string{"politics", "economy", "energy", "security", "society", "regions", "world"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Fatalf("All() order (-want +got):\n%s", diff)
	}
	// Neither the caller's maps nor the returned ones reach the catalog.
	in[2].Titles["ru"] = "Нефть"
	c.All()[2].Titles["ru"] = "Газ"
	got, _ := c.Topic("energy")
	got.Titles["ru"] = "Уголь"
	if tp, _ := c.Topic("energy"); tp.Titles["ru"] != "Энергетика" {
		t.Fatalf("catalog title changed to %q", tp.Titles["ru"])
	}
	if _, ok := c.Resolve("Нефть"); ok {
		t.Fatal("a title set after NewCatalog resolves")
	}
	if c.Len() != 7 {
		t.Fatalf("Len = %d", c.Len())
	}
}

func TestTitleIn(t *testing.T) {
	tp := Topic{ID: "security", Title: "Security", Titles: map[string]string{"ru": "Безопасность", "kk": "Қауіпсіздік"}}
	for lang, want := range map[string]string{"ru": "Безопасность", "kk": "Қауіпсіздік", "en": "Security", "": "Security"} {
		if got := tp.TitleIn(lang); got != want {
			t.Errorf("TitleIn(%q) = %q, want %q", lang, got, want)
		}
	}
	if got := (Topic{ID: "misc"}).TitleIn("ru"); got != "misc" {
		t.Errorf("untitled topic: TitleIn = %q, want its id", got)
	}
}
