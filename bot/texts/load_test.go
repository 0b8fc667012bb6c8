package texts

import (
	"strings"
	"testing"
	"testing/fstest"
)

// Small catalogues for load's checks; ids: greeting, found.
const (
	testEN = `
greeting = "Hello, <b>{{.Name}}</b>!"
[found]
one = "{{.Count}} story"
other = "{{.Count}} stories"
`
	testKK = `
greeting = "Сәлем, <b>{{.Name}}</b>!"
[found]
one = "{{.Count}} жаңалық"
other = "{{.Count}} жаңалық"
`
	testRU = `
greeting = "Привет, <b>{{.Name}}</b>!"
[found]
one = "{{.Count}} новость"
few = "{{.Count}} новости"
many = "{{.Count}} новостей"
other = "{{.Count}} новости"
`
)

var testIDs = []string{"greeting", "found"}

func testFS(edit func(fstest.MapFS)) fstest.MapFS {
	fsys := fstest.MapFS{
		"active.en.toml": {Data: []byte(testEN)},
		"active.kk.toml": {Data: []byte(testKK)},
		"active.ru.toml": {Data: []byte(testRU)},
	}
	if edit != nil {
		edit(fsys)
	}
	return fsys
}

// replace edits one catalogue of fsys, failing loudly when old is not in it.
func replace(fsys fstest.MapFS, lang, old, new string) {
	f := fsys["active."+lang+".toml"]
	s := string(f.Data)
	if !strings.Contains(s, old) {
		panic("test catalogue " + lang + " lacks " + old)
	}
	f.Data = []byte(strings.Replace(s, old, new, 1))
}

func TestLoadChecks(t *testing.T) {
	tests := []struct {
		name    string
		ids     []string
		edit    func(fstest.MapFS)
		wantErr string // "" when the catalogues are valid
	}{
		{"valid", nil, nil, ""},
		{"missing translation", nil, func(f fstest.MapFS) {
			replace(f, "kk", `greeting = "Сәлем, <b>{{.Name}}</b>!"`, "")
		}, `kk: message "greeting" is missing`},
		{"extra translation", nil, func(f fstest.MapFS) {
			replace(f, "ru", "[found]", "bye = \"Пока\"\n[found]")
		}, `ru: message "bye" is not in the English catalogue`},
		{"English id without constant", nil, func(f fstest.MapFS) {
			replace(f, "en", "[found]", "bye = \"Bye\"\n[found]")
		}, `en: message "bye" has no id constant`},
		{"constant without English text", []string{"greeting", "found", "farewell"}, nil,
			`en: message "farewell" is missing`},
		{"Russian plural lacks few", nil, func(f fstest.MapFS) {
			replace(f, "ru", `few = "{{.Count}} новости"`, "")
		}, `ru: message "found" lacks plural form "few"`},
		{"Russian plural lacks other", nil, func(f fstest.MapFS) {
			replace(f, "ru", `other = "{{.Count}} новости"`, "")
		}, `ru: message "found" lacks plural form "other"`},
		{"Kazakh plural has few", nil, func(f fstest.MapFS) {
			replace(f, "kk", "[found]", "[found]\nfew = \"{{.Count}} жаңалық\"")
		}, `kk: message "found" has plural form "few", which kk never uses`},
		{"English plural has many", nil, func(f fstest.MapFS) {
			replace(f, "en", "[found]", "[found]\nmany = \"{{.Count}} stories\"")
		}, `en: message "found" has plural form "many"`},
		{"plural in one language only", nil, func(f fstest.MapFS) {
			replace(f, "kk", "[found]\none = \"{{.Count}} жаңалық\"\nother = \"{{.Count}} жаңалық\"", "found = \"{{.Count}} жаңалық\"")
		}, `kk: message "found": plural in one language and not in the other`},
		{"empty text", nil, func(f fstest.MapFS) {
			replace(f, "ru", `"Привет, <b>{{.Name}}</b>!"`, `""`)
		}, `ru: message "greeting": empty text`},
		{"tag Telegram rejects", nil, func(f fstest.MapFS) {
			replace(f, "ru", "Привет, ", "Привет,<br>")
		}, "tag <br> is not allowed"},
		{"unclosed tag", nil, func(f fstest.MapFS) {
			replace(f, "kk", "</b>", "")
		}, "<b> is never closed"},
		{"bare ampersand", nil, func(f fstest.MapFS) {
			replace(f, "en", "Hello, ", "Hello & welcome, ")
		}, `en: message "greeting" (other): html: bare '&'`},
		{"misspelt key", nil, func(f fstest.MapFS) {
			replace(f, "kk", "{{.Name}}", "{{.Nmae}}")
		}, `kk: message "greeting" reads {{.Nmae}}, which the English text does not`},
		{"nested field", nil, func(f fstest.MapFS) {
			replace(f, "ru", "{{.Name}}", "{{.Name.First}}")
		}, "nested field .Name.First is not allowed"},
		{"printf", nil, func(f fstest.MapFS) {
			replace(f, "en", "{{.Name}}", `{{printf \"%s\" .Name}}`)
		}, `function "printf" not defined`},
		{"html func", nil, func(f fstest.MapFS) {
			replace(f, "en", "{{.Name}}", `{{html .Name}}`)
		}, `function "html" not defined`},
		{"range", nil, func(f fstest.MapFS) {
			replace(f, "en", "{{.Name}}", `{{range .Name}}x{{end}}`)
		}, "not allowed"},
		{"variable", nil, func(f fstest.MapFS) {
			replace(f, "en", "{{.Name}}", `{{$n := .Name}}{{$n}}`)
		}, "not allowed"},
		{"template syntax", nil, func(f fstest.MapFS) {
			replace(f, "kk", "{{.Name}}", "{{.Name")
		}, `kk: message "greeting" (other)`},
		{"TOML syntax", nil, func(f fstest.MapFS) {
			replace(f, "kk", "greeting =", "greeting")
		}, "parse active.kk.toml"},
		{"missing catalogue", nil, func(f fstest.MapFS) {
			delete(f, "active.ru.toml")
		}, "read catalogue"},
		{"catalogue Pick cannot choose", nil, func(f fstest.MapFS) {
			f["active.uz.toml"] = &fstest.MapFile{Data: []byte(testRU)}
		}, `language "uz" is not one Pick can choose`},
		{"optional part", nil, func(f fstest.MapFS) {
			replace(f, "ru", "Привет, <b>{{.Name}}</b>!", "Привет{{if .Name}}, <b>{{.Name}}</b>{{end}}!")
		}, ""},
		{"translation may leave a key out", nil, func(f fstest.MapFS) {
			replace(f, "kk", `one = "{{.Count}} жаңалық"`, `one = "бір жаңалық"`)
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids := tt.ids
			if ids == nil {
				ids = testIDs
			}
			c, err := load(testFS(tt.edit), ids)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("no error, want one containing %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("error:\n%v\nwant one containing %q", err, tt.wantErr)
			case err == nil:
				if got := c.N("ru", "found", 22, nil); got != "22 новости" {
					t.Errorf("N(ru, found, 22) = %q", got)
				}
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := load(testFS(func(f fstest.MapFS) {
		replace(f, "kk", "</b>", "")
		replace(f, "ru", `few = "{{.Count}} новости"`, "")
	}), testIDs)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`kk: message "greeting"`, `ru: message "found" lacks plural form "few"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
