package parse

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// encode returns s in enc, failing the test on unencodable text.
func encode(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

// kz1048 encodes Kazakh text the way a legacy KZ-1048 site would.
func kz1048(t *testing.T, s string) []byte {
	t.Helper()
	reverse := map[rune]byte{}
	table := extraCharsets["kz-1048"].runes
	for i, r := range table {
		reverse[r] = byte(0x80 + i)
	}
	var out []byte
	for _, r := range s {
		if r < 0x80 {
			out = append(out, byte(r))
			continue
		}
		c, ok := reverse[r]
		if !ok {
			t.Fatalf("kz1048: %q not encodable", r)
		}
		out = append(out, c)
	}
	return out
}

const (
	ruText = "Казатомпром увеличил добычу урана на пятнадцать процентов, сообщает пресс-служба компании"
	kkText = "Тоқаев Астанада шетелдік инвесторлармен кездесті және жаңа өңірлік жобаларды талқылады"
	frText = "Perturbateurs endocriniens : quels effets sur le cerveau ? Une étude récente montre"
)

func rssDoc(decl, title string) string {
	return decl + "<rss version=\"2.0\"><channel><title>" + title + "</title>" +
		"<item><title>" + title + "</title><link>https://example.kz/a</link></item></channel></rss>"
}

func TestDecodeBody(t *testing.T) {
	win1251 := charmap.Windows1251
	koi8r := charmap.KOI8R
	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantCharset string
		wantText    string // must appear in the decoded text
	}{
		{"utf-8 BOM", append([]byte{0xEF, 0xBB, 0xBF}, rssDoc(`<?xml version="1.0"?>`, ruText)...), "", "utf-8", ruText},
		{"utf-16le BOM", encode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM), rssDoc(`<?xml version="1.0" encoding="utf-16"?>`, ruText)), "", "utf-16le", ruText},
		{"utf-16be BOM", encode(t, xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM), rssDoc(`<?xml version="1.0" encoding="utf-16"?>`, kkText)), "", "utf-16be", kkText},
		{"utf-16le no BOM", encode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), rssDoc(`<?xml version="1.0" encoding="utf-16"?>`, ruText)), "", "utf-16le", ruText},
		{"utf-16be no BOM", encode(t, xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), rssDoc(`<?xml version="1.0" encoding="utf-16"?>`, ruText)), "", "utf-16be", ruText},
		{"utf-32le BOM", encode(t, utf32.UTF32(utf32.LittleEndian, utf32.UseBOM), rssDoc(`<?xml version="1.0"?>`, kkText)), "", "utf-32le", kkText},
		{"utf-8 despite windows-1252 prolog", []byte(rssDoc(`<?xml version="1.0" encoding="windows-1252"?>`, "Euro €")), "", "utf-8", "Euro €"},
		{"utf-8 despite latin-1 header", []byte(rssDoc(`<?xml version="1.0"?>`, kkText)), "text/xml; charset=ISO-8859-1", "utf-8", kkText},
		{"damaged utf-8 stays utf-8", append([]byte(rssDoc(`<?xml version="1.0" encoding="windows-1251"?>`, ruText)), 0xD0), "", "utf-8", ruText},
		{"declared windows-1251", encode(t, win1251, rssDoc(`<?xml version="1.0" encoding="windows-1251"?>`, ruText)), "", "windows-1251", ruText},
		{"declared koi8-r", encode(t, koi8r, rssDoc(`<?xml version="1.0" encoding="KOI8-R"?>`, ruText)), "", "koi8-r", ruText},
		{"declaration beats header", encode(t, koi8r, rssDoc(`<?xml version='1.0' encoding='koi8-r'?>`, ruText)), "text/xml; charset=windows-1251", "koi8-r", ruText},
		{"header when no declaration", encode(t, win1251, rssDoc(`<?xml version="1.0"?>`, ruText)), "application/rss+xml; charset=\"windows-1251\"", "windows-1251", ruText},
		{"header after unknown declaration", encode(t, koi8r, rssDoc(`<?xml version="1.0" encoding="invalid"?>`, ruText)), "text/xml;charset=koi8-r", "koi8-r", ruText},
		{"malformed header still read", encode(t, koi8r, rssDoc(``, ruText)), "text/xml; charset=koi8-r; bogus", "koi8-r", ruText},
		{"wrong utf-8 declaration ignored", encode(t, win1251, rssDoc(`<?xml version="1.0" encoding="UTF-8"?>`, ruText)), "", "windows-1251", ruText},
		{"utf-16 label on 8-bit body ignored", encode(t, win1251, rssDoc(`<?xml version="1.0" encoding="utf-16"?>`, ruText)), "", "windows-1251", ruText},
		{"detected windows-1251", encode(t, win1251, rssDoc(``, ruText)), "", "windows-1251", ruText},
		{"detected koi8-r", encode(t, koi8r, rssDoc(``, ruText)), "text/xml", "koi8-r", ruText},
		{"detected koi8-r all caps headline", encode(t, koi8r, rssDoc(``, "СРОЧНО: "+ruText)), "", "koi8-r", "СРОЧНО: " + ruText},
		{"detected windows-1252", encode(t, charmap.Windows1252, rssDoc(``, frText)), "", "windows-1252", frText},
		{"unknown label then detection", encode(t, win1251, rssDoc(`<?xml version="1.0" encoding="invalid"?>`, ruText)), "text/xml; charset=nonsense", "windows-1251", ruText},
		{"declared kz-1048", kz1048(t, rssDoc(`<?xml version="1.0" encoding="KZ-1048"?>`, kkText)), "", "kz-1048", kkText},
		{"detected kz-1048", kz1048(t, rssDoc(``, kkText)), "", "kz-1048", kkText},
		{"latin-1 label is windows-1252", encode(t, charmap.Windows1252, rssDoc(`<?xml version="1.0" encoding="ISO-8859-1"?>`, "Café – €5")), "", "windows-1252", "Café – €5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := decodeBody(tt.body, tt.contentType)
			if err != nil {
				t.Fatalf("decodeBody: %v", err)
			}
			if d.charset != tt.wantCharset {
				t.Errorf("charset = %q, want %q", d.charset, tt.wantCharset)
			}
			if !strings.Contains(string(d.text), tt.wantText) {
				t.Errorf("decoded text lacks %q:\n%s", tt.wantText, d.text)
			}
		})
	}
}

func TestDecodeBodyErrors(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"replacement encoding", append([]byte(`<?xml version="1.0" encoding="ISO-2022-KR"?><rss>`), 0x0E, 0xA1, 0xFF), `unsupported encoding iso-2022-kr`},
		{"EBCDIC", []byte{0x4C, 0x6F, 0xA7, 0x94, 0x93, 0x40}, "unsupported encoding EBCDIC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeBody(tt.body, "")
			if err == nil {
				t.Fatal("decodeBody succeeded")
			}
			if err.Kind != Encoding || err.Error() != tt.want {
				t.Errorf("error = %v (kind %v), want %q", err, err.Kind, tt.want)
			}
		})
	}
}

// TestParseEncodings checks the whole path: gofeed must not decode the
// converted text a second time, whatever the declaration said.
func TestParseEncodings(t *testing.T) {
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        string
	}{
		{"declared windows-1251", encode(t, charmap.Windows1251, rssDoc(`<?xml version="1.0" encoding="windows-1251"?>`, ruText)), "", ruText},
		{"declared koi8-r", encode(t, charmap.KOI8R, rssDoc(`<?xml version="1.0" encoding="koi8-r"?>`, ruText)), "", ruText},
		{"undeclared koi8-r", encode(t, charmap.KOI8R, rssDoc(``, ruText)), "", ruText},
		{"header charset", encode(t, charmap.Windows1251, rssDoc(``, ruText)), "text/xml; charset=windows-1251", ruText},
		{"utf-8 under windows-1252 prolog", []byte(rssDoc(`<?xml version="1.0" encoding="windows-1252"?>`, "Euro €")), "", "Euro €"},
		{"utf-16le", encode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM), rssDoc(`<?xml version="1.0" encoding="UTF-16"?>`, kkText)), "", kkText},
		{"kz-1048", kz1048(t, rssDoc(`<?xml version="1.0" encoding="kz-1048"?>`, kkText)), "", kkText},
		{"unknown label", []byte(rssDoc(`<?xml version="1.0" encoding="invalid"?>`, "Café")), "", "Café"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.body, tt.contentType, "https://example.kz/rss", Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if f.Title != tt.want {
				t.Errorf("feed title = %q, want %q", f.Title, tt.want)
			}
			if len(f.Items) != 1 || f.Items[0].Title != tt.want {
				t.Errorf("items = %+v, want one titled %q", f.Items, tt.want)
			}
		})
	}
	t.Run("unsupported encoding is an Error", func(t *testing.T) {
		body := append([]byte(`<?xml version="1.0" encoding="ISO-2022-KR"?><rss>`), 0x0E, 0xA1, 0xFF)
		_, err := Parse(body, "", "", Options{})
		var perr *Error
		if !errors.As(err, &perr) || perr.Kind != Encoding {
			t.Fatalf("Parse error = %v, want Kind Encoding", err)
		}
	})
}
