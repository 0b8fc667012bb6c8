package parse

import (
	"bytes"
	"mime"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// decoded is a body converted to UTF-8.
type decoded struct {
	text []byte
	// charset is the WHATWG name of the encoding the body was read as.
	charset string
	// owned reports that text is a fresh buffer, not the caller's body, so
	// it may be edited in place.
	owned bool
}

// decodeBody converts body to UTF-8. The order of evidence is: a BOM (or the
// NUL pattern of a BOM-less UTF-16/32 document); a body that is valid UTF-8,
// or nearly so, is UTF-8 whatever its prolog claims, because a wrong
// declaration is far more common than non-UTF-8 text that happens to
// validate; then the XML declaration; then the HTTP charset; then detection.
// Labels that name no known encoding are ignored, as are UTF-8/16/32 labels
// that the bytes contradict.
func decodeBody(body []byte, contentType string) (decoded, *Error) {
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return utf8Body(body[3:]), nil
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE, 0, 0}):
		return transcode(body, utf32.UTF32(utf32.LittleEndian, utf32.ExpectBOM), "utf-32le")
	case bytes.HasPrefix(body, []byte{0, 0, 0xFE, 0xFF}):
		return transcode(body, utf32.UTF32(utf32.BigEndian, utf32.ExpectBOM), "utf-32be")
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return transcode(body, xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM), "utf-16le")
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return transcode(body, xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM), "utf-16be")
	}
	if len(body) >= 4 {
		b0, b1, b2, b3 := body[0], body[1], body[2], body[3]
		switch {
		case isSniffByte(b0) && b1 == 0 && b2 == 0 && b3 == 0:
			return transcode(body, utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "utf-32le")
		case b0 == 0 && b1 == 0 && b2 == 0 && isSniffByte(b3):
			return transcode(body, utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "utf-32be")
		case isSniffByte(b0) && b1 == 0 && b3 == 0:
			return transcode(body, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), "utf-16le")
		case b0 == 0 && isSniffByte(b1) && b2 == 0:
			return transcode(body, xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), "utf-16be")
		case b0 == 0x4C && b1 == 0x6F && b2 == 0xA7 && b3 == 0x94:
			return decoded{}, &Error{Kind: Encoding, Detail: "EBCDIC"}
		}
	}

	if utf8.Valid(body) {
		return decoded{text: body, charset: "utf-8"}, nil
	}
	if mostlyUTF8(body) {
		return decoded{text: bytes.ToValidUTF8(body, []byte("\uFFFD")), charset: "utf-8", owned: true}, nil
	}

	for _, label := range []string{scanProlog(body).encoding, contentTypeCharset(contentType)} {
		d, ok, err := decodeLabel(body, label)
		if err != nil {
			return decoded{}, err
		}
		if ok {
			return d, nil
		}
	}
	name := detectCharset(body)
	d, _, err := decodeLabel(body, name)
	return d, err
}

// isSniffByte reports whether b can start a feed document: a markup or JSON
// opener or whitespace. Used to recognise BOM-less UTF-16/32.
func isSniffByte(b byte) bool {
	switch b {
	case '<', '{', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

func utf8Body(b []byte) decoded {
	if utf8.Valid(b) {
		return decoded{text: b, charset: "utf-8"}
	}
	return decoded{text: bytes.ToValidUTF8(b, []byte("\uFFFD")), charset: "utf-8", owned: true}
}

func transcode(body []byte, enc encoding.Encoding, name string) (decoded, *Error) {
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return decoded{}, &Error{Kind: Encoding, Detail: name, Err: err}
	}
	return decoded{text: out, charset: name, owned: true}, nil
}

// mostlyUTF8 reports whether b is UTF-8 damaged in a few places (a
// description cut in the middle of a character, a stray Latin-1 byte): valid
// multi-byte sequences outnumber invalid bytes four to one. Text in a legacy
// single-byte encoding almost never forms valid multi-byte sequences.
func mostlyUTF8(b []byte) bool {
	good, bad := 0, 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
		} else {
			good++
		}
		i += size
	}
	return good > 0 && good >= 4*bad
}

// decodeLabel decodes body with the encoding named by label. ok is false
// when the label is empty, unknown, or names a Unicode encoding the bytes
// have already contradicted (the caller then tries the next source).
func decodeLabel(body []byte, label string) (decoded, bool, *Error) {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	if label == "" {
		return decoded{}, false, nil
	}
	if table, ok := extraCharsets[label]; ok {
		return decoded{text: decodeTable(body, table.runes), charset: table.name, owned: true}, true, nil
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return decoded{}, false, nil
	}
	if enc == encoding.Replacement {
		return decoded{}, false, &Error{Kind: Encoding, Detail: label}
	}
	name, _ := htmlindex.Name(enc)
	switch name {
	case "utf-8", "utf-16le", "utf-16be":
		// An ASCII-readable declaration cannot be UTF-16, and the body has
		// already failed UTF-8 validation: the label is wrong.
		return decoded{}, false, nil
	}
	if cm, ok := enc.(*charmap.Charmap); ok {
		return decoded{text: decodeCharmap(body, cm), charset: name, owned: true}, true, nil
	}
	out, derr := enc.NewDecoder().Bytes(body)
	if derr != nil {
		return decoded{}, false, &Error{Kind: Encoding, Detail: label, Err: derr}
	}
	return decoded{text: out, charset: name, owned: true}, true, nil
}

// decodeCharmap is a single pass over a single-byte encoding; it avoids the
// transformer machinery, which allocates and copies in chunks.
func decodeCharmap(b []byte, cm *charmap.Charmap) []byte {
	out := make([]byte, 0, len(b)+len(b)/2)
	for _, c := range b {
		if c < utf8.RuneSelf {
			out = append(out, c)
			continue
		}
		out = utf8.AppendRune(out, cm.DecodeByte(c))
	}
	return out
}

func decodeTable(b []byte, table *[128]rune) []byte {
	out := make([]byte, 0, len(b)+len(b)/2)
	for _, c := range b {
		if c < utf8.RuneSelf {
			out = append(out, c)
			continue
		}
		out = utf8.AppendRune(out, table[c-0x80])
	}
	return out
}

// contentTypeCharset returns the charset parameter of an HTTP Content-Type,
// tolerating headers mime.ParseMediaType rejects.
func contentTypeCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		return params["charset"]
	}
	lower := strings.ToLower(contentType)
	i := strings.Index(lower, "charset=")
	if i < 0 {
		return ""
	}
	v := contentType[i+len("charset="):]
	if j := strings.IndexAny(v, "; \t"); j >= 0 {
		v = v[:j]
	}
	return strings.Trim(v, `"'`)
}

// detectCharset guesses the encoding of a body that is not UTF-8 and
// declares nothing usable. Cyrillic text is written in words made only of
// high-bit bytes, while Latin text has a few accented letters inside ASCII
// words; that separates the Cyrillic code pages from windows-1252. Between
// windows-1251 and KOI8-R (which swap upper and lower case) the decoding
// whose letters are lower-case and frequent in Russian wins. Kazakh text is
// windows-1251 plus letters that only KZ-1048 places at those code points.
func detectCharset(b []byte) string {
	cyrWords, latWords := 0, 0
	var counts [128]int
	for i := 0; i < len(b); {
		if !isWordByte(b[i]) {
			i++
			continue
		}
		high, ascii := 0, 0
		for ; i < len(b) && isWordByte(b[i]); i++ {
			c := b[i]
			if c >= 0x80 {
				counts[c-0x80]++
				if c >= 0xC0 {
					high++
				}
			} else {
				ascii++
			}
		}
		switch {
		case high >= 2 && ascii == 0:
			cyrWords++
		case high >= 1 && ascii >= 1:
			latWords++
		}
	}
	if cyrWords == 0 || cyrWords <= latWords {
		return "windows-1252"
	}
	var s1251, sKOI float64
	for c := 0xC0; c <= 0xFF; c++ {
		n := float64(counts[c-0x80])
		s1251 += n * cyrillicWeights.cp1251[c-0xC0]
		sKOI += n * cyrillicWeights.koi8r[c-0xC0]
	}
	if sKOI > s1251 {
		return "koi8-r"
	}
	kazakh := 0
	for _, c := range kazakhOnlyBytes {
		kazakh += counts[c-0x80]
	}
	if kazakh >= 2 {
		return "kz-1048"
	}
	return "windows-1251"
}

func isWordByte(c byte) bool {
	return c >= 0x80 || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// kazakhOnlyBytes hold Kazakh letters (Қ Һ қ һ Ә ә Ң ң) in KZ-1048; in
// windows-1251 they are Serbian/Macedonian letters no Russian or Kazakh text
// written in windows-1251 would contain.
var kazakhOnlyBytes = []byte{0x8D, 0x8E, 0x9D, 0x9E, 0xA3, 0xBC, 0xBD, 0xBE}

// russianFreq is the frequency (per cent) of lower-case letters in Russian
// prose.
var russianFreq = map[rune]float64{
	'о': 10.97, 'е': 8.45, 'а': 8.01, 'и': 7.35, 'н': 6.70, 'т': 6.26, 'с': 5.47,
	'р': 4.73, 'в': 4.54, 'л': 4.40, 'к': 3.49, 'м': 3.21, 'д': 2.98, 'п': 2.81,
	'у': 2.62, 'я': 2.01, 'ы': 1.90, 'ь': 1.74, 'г': 1.70, 'з': 1.65, 'б': 1.59,
	'ч': 1.44, 'й': 1.21, 'х': 0.97, 'ж': 0.94, 'ш': 0.73, 'ю': 0.64, 'ц': 0.48,
	'щ': 0.36, 'э': 0.32, 'ф': 0.26, 'ъ': 0.04, 'ё': 0.04,
}

// cyrillicWeights scores bytes 0xC0–0xFF under each code page: the Russian
// frequency of the decoded letter, discounted when the letter is upper case
// because running text is mostly lower case.
var cyrillicWeights = func() (w struct{ cp1251, koi8r [64]float64 }) {
	score := func(r rune) float64 {
		f := russianFreq[unicode.ToLower(r)]
		if unicode.IsUpper(r) {
			return f * 0.2
		}
		return f
	}
	for c := 0xC0; c <= 0xFF; c++ {
		w.cp1251[c-0xC0] = score(charmap.Windows1251.DecodeByte(byte(c)))
		w.koi8r[c-0xC0] = score(charmap.KOI8R.DecodeByte(byte(c)))
	}
	return w
}()

type charTable struct {
	name  string
	runes *[128]rune
}

// extraCharsets are Kazakh code pages that WHATWG (and so x/text's
// htmlindex) does not know; both are windows-1251 with Kazakh letters in
// place of other Cyrillic ones.
var extraCharsets = func() map[string]charTable {
	kz := cp1251With(map[byte]rune{
		0x8D: 'Қ', 0x8E: 'Һ', 0x9D: 'қ', 0x9E: 'һ', 0xA1: 'Ұ', 0xA2: 'ұ', 0xA3: 'Ә',
		0xA5: 'Ө', 0xAA: 'Ғ', 0xAF: 'Ү', 0xB4: 'ө', 0xBA: 'ғ', 0xBC: 'ә', 0xBD: 'Ң',
		0xBE: 'ң', 0xBF: 'ү',
	})
	pt := cp1251With(map[byte]rune{
		0x80: 'Җ', 0x81: 'Ғ', 0x82: 'Ӯ', 0x83: 'ғ', 0x86: 'Ҷ', 0x87: 'Ү', 0x88: 'Ҳ',
		0x89: 'ү', 0x8A: 'Ҡ', 0x8B: 'Ӣ', 0x8C: 'Ң', 0x8D: 'Қ', 0x8E: 'Һ', 0x8F: 'Ҹ',
		0x90: 'җ', 0x98: 'ҳ', 0x99: 'ҷ', 0x9A: 'ҡ', 0x9B: 'ӣ', 0x9C: 'ң', 0x9D: 'қ',
		0x9E: 'һ', 0x9F: 'ҹ', 0xA4: 'Ө', 0xA5: 'Ҙ', 0xA6: 'Ұ', 0xAA: 'Ә', 0xAD: 'ӯ',
		0xAF: 'Ҝ', 0xB1: 'ұ', 0xB4: 'ҙ', 0xB5: 'ө', 0xBA: 'ә', 0xBD: 'Ҫ', 0xBE: 'ҫ',
		0xBF: 'ҝ',
	})
	m := map[string]charTable{}
	for _, l := range []string{"kz-1048", "kz1048", "rk1048", "strk1048-2002", "cp1048"} {
		m[l] = charTable{name: "kz-1048", runes: kz}
	}
	for _, l := range []string{"ptcp154", "pt154", "cp154", "csptcp154", "pt-154", "cyrillic-asian"} {
		m[l] = charTable{name: "ptcp154", runes: pt}
	}
	return m
}()

func cp1251With(over map[byte]rune) *[128]rune {
	var t [128]rune
	for c := 0x80; c <= 0xFF; c++ {
		t[c-0x80] = charmap.Windows1251.DecodeByte(byte(c))
	}
	for c, r := range over {
		t[c-0x80] = r
	}
	return &t
}
