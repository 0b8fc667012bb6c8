package words

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The Kazakh Latin alphabet of 2021 is the version the National Commission on the transition to the
// Latin script presented on 28 January 2021 and put up for public discussion as a draft presidential
// decree in April 2021: 31 letters, A Ä B D E F G Ğ H I İ J K L M N Ñ O Ö P Q R S Ş T U Ū Ü V Y Z,
// "one sound, one letter", with ә ө ү ұ ғ ш written ä ö ü ū ğ ş (Kazinform, "New version of
// Latin-based Kazakh alphabet presented at Government", 28.01.2021,
// https://www.inform.kz/en/new-version-of-latin-based-kazakh-alphabet-presented-at-government_a3746549).
// The rest of the letter for letter table — і is dotless ı/I, и and й are both dotted i/İ, ң is ñ,
// ы is y, у is u, ж is j, х and һ are both h — follows the 2021 sample text of
// https://en.wikipedia.org/wiki/Kazakh_alphabets («Būryñğy ötken zamanda, bır danyşpan kısı …
// üiıne … syi berıp», which the first test reproduces) and the "Latin 2021 approved version" column
// of the npm package qazlatyn-db 4.0.0.
//
// Ё Ц Ч Щ Ъ Ь Э Ю Я have no letter of their own, and the spelling rules for them were still a draft.
// The replacements published with the alphabet, as summarised at
// https://m.sports.ru/tribuna/blogs/kzstories/2883175.html, give two choices for most: Ё as İO or Ö,
// Ю as İU or Ü, Я as İA or Ä, Ц as TS or S, Ч as TŞ or Ş, Щ as ŞŞ, Э as E. KazakhToLatin takes the
// letter for letter choice throughout (io, iu, ia, ts, tş, şş, e), since the other depends on
// pronunciation, and drops ъ and ь. The 2021 alphabet was never enacted; Kazinform's Latin site
// still writes the 2018 one (Qaırat, Shahter, orynǵa), which LatinKey folds too.

// kkLatinLetter is the 2021 Latin spelling of a Kazakh Cyrillic letter in lower, title and upper
// case; title and upper differ only for letters spelled with two Latin letters (Ц → Ts, TS).
type kkLatinLetter struct {
	lower, title, upper string
}

// kkLatinLetters maps the lower-case letters of the Kazakh Cyrillic alphabet (the 33 Russian letters
// and ә ғ қ ң ө ұ ү һ і) to the 2021 Latin alphabet.
var kkLatinLetters = map[rune]kkLatinLetter{
	'а': {"a", "A", "A"}, 'ә': {"ä", "Ä", "Ä"}, 'б': {"b", "B", "B"}, 'в': {"v", "V", "V"},
	'г': {"g", "G", "G"}, 'ғ': {"ğ", "Ğ", "Ğ"}, 'д': {"d", "D", "D"}, 'е': {"e", "E", "E"},
	'ё': {"io", "İo", "İO"}, 'ж': {"j", "J", "J"}, 'з': {"z", "Z", "Z"}, 'и': {"i", "İ", "İ"},
	'й': {"i", "İ", "İ"}, 'к': {"k", "K", "K"}, 'қ': {"q", "Q", "Q"}, 'л': {"l", "L", "L"},
	'м': {"m", "M", "M"}, 'н': {"n", "N", "N"}, 'ң': {"ñ", "Ñ", "Ñ"}, 'о': {"o", "O", "O"},
	'ө': {"ö", "Ö", "Ö"}, 'п': {"p", "P", "P"}, 'р': {"r", "R", "R"}, 'с': {"s", "S", "S"},
	'т': {"t", "T", "T"}, 'у': {"u", "U", "U"}, 'ұ': {"ū", "Ū", "Ū"}, 'ү': {"ü", "Ü", "Ü"},
	'ф': {"f", "F", "F"}, 'х': {"h", "H", "H"}, 'һ': {"h", "H", "H"}, 'ц': {"ts", "Ts", "TS"},
	'ч': {"tş", "Tş", "TŞ"}, 'ш': {"ş", "Ş", "Ş"}, 'щ': {"şş", "Şş", "ŞŞ"}, 'ъ': {"", "", ""},
	'ы': {"y", "Y", "Y"}, 'і': {"ı", "I", "I"}, 'ь': {"", "", ""}, 'э': {"e", "E", "E"},
	'ю': {"iu", "İu", "İU"}, 'я': {"ia", "İa", "İA"},
}

// cyrBlock is the first rune of the Cyrillic block, which holds every letter the tables below map.
const cyrBlock = 0x400

// kkLatinEntry is a kkLatinLetters entry indexed by rune for both cases of the letter.
type kkLatinEntry struct {
	kkLatinLetter
	ok, isUpper bool
}

// kkLatinTable indexes kkLatinLetters by rune-cyrBlock, for the upper-case letters too.
var kkLatinTable = func() (t [0x100]kkLatinEntry) {
	for r, l := range kkLatinLetters {
		t[r-cyrBlock] = kkLatinEntry{kkLatinLetter: l, ok: true}
		t[unicode.ToUpper(r)-cyrBlock] = kkLatinEntry{kkLatinLetter: l, ok: true, isUpper: true}
	}
	return t
}()

// kkLatinOf returns the table entry of r, ok false when r is not a Kazakh Cyrillic letter.
func kkLatinOf(r rune) kkLatinEntry {
	if cyrBlock <= r && r < cyrBlock+0x100 {
		return kkLatinTable[r-cyrBlock]
	}
	return kkLatinEntry{}
}

// KazakhToLatin transliterates the Kazakh Cyrillic letters of s into the Kazakh Latin alphabet of
// 2021 (Қазақстан → Qazaqstan, Үкімет → Ükımet, Шымкент → Şymkent), keeping everything else — Latin
// text, digits, punctuation, letters of other Cyrillic alphabets — as it is. The letters Russian and
// Kazakh share follow the same table, as Kazakh spells Russian loans and names with them: ё → io,
// ц → ts, ч → tş, щ → şş, э → e, ю → iu, я → ia, and ъ ь are dropped. Case is kept: an upper-case
// letter spelled with two Latin letters is capitalised (Цех → Tseh) unless the word is in capitals
// (ЦЕХ → TSEH). A Kazakh letter written as a base letter and combining marks (и + U+0306) counts as
// the composed letter, and any marks left on it, such as stress accents, are dropped. Invalid UTF-8
// becomes U+FFFD. KazakhToLatin returns s itself, without allocating, when it has nothing to change.
func KazakhToLatin(s string) string {
	start := firstToTransliterate(s)
	if start == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	b.WriteString(s[:start])
	prevUpper := false
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		prevUpper = unicode.IsUpper(r)
	}
	for i := start; i < len(s); {
		r, end := cluster(s, i)
		e := kkLatinOf(r)
		switch {
		case e.ok && !e.isUpper:
			b.WriteString(e.lower)
		case e.ok:
			next, _ := utf8.DecodeRuneInString(s[end:])
			if unicode.IsUpper(next) || !unicode.IsLetter(next) && prevUpper {
				b.WriteString(e.upper)
			} else {
				b.WriteString(e.title)
			}
		case r == utf8.RuneError && end-i == 1:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteString(s[i:end])
		}
		prevUpper = unicode.IsUpper(r)
		i = end
	}
	return b.String()
}

// firstToTransliterate returns the byte offset of the first Kazakh Cyrillic letter or invalid byte
// of s, or len(s) when there is none.
func firstToTransliterate(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || kkLatinOf(r).ok {
			return i
		}
		i += size
	}
	return len(s)
}

// cluster returns the rune at s[i] and the end of the combining marks that follow it. When there
// are marks, the rune is the first rune of the cluster's NFC form, so that и + U+0306 is й.
func cluster(s string, i int) (rune, int) {
	r, size := utf8.DecodeRuneInString(s[i:])
	end := i + size
	if r == utf8.RuneError && size == 1 {
		return r, end
	}
	for end < len(s) {
		// Combining marks start at U+0300 (lead byte 0xcc); U+0400–U+047F and U+04C0–U+04FF, the
		// Cyrillic letters, hold none.
		if c := s[end]; c < 0xcc || c == 0xd0 || c == 0xd1 || c == 0xd3 {
			break
		}
		m, msize := utf8.DecodeRuneInString(s[end:])
		if !isCombiningMark(m) {
			break
		}
		end += msize
	}
	if end > i+size {
		r, _ = utf8.DecodeRuneInString(norm.NFC.String(s[i:end]))
	}
	return r, end
}

// isCombiningMark reports whether r is a non-spacing or enclosing combining mark.
func isCombiningMark(r rune) bool {
	switch {
	case r < 0x300:
		return false
	case r <= 0x36f:
		return true
	case 0x400 <= r && r <= 0x482, 0x48a <= r && r <= 0x52f:
		return false
	}
	return unicode.In(r, unicode.Mn, unicode.Me)
}

// LatinKey returns a script-neutral, ASCII-only key of a Kazakh word, meant for matching Kazakh
// words across scripts: a word in Kazakh Cyrillic, the same word in the 2021 Latin alphabet, in the
// 2018 one, and the ASCII spellings people type all get one key, and LatinKey(w) equals
// LatinKey(KazakhToLatin(w)) for every w. LatinKey("Қазақстан") == LatinKey("Qazaqstan") ==
// LatinKey("Kazakstan") == "kazakstan"; Тоқаев, Toqaev and Tokayev give "tokaev"; Жаңаөзен,
// Jañaözen and Zhanaozen give "janaozen".
//
// Cyrillic letters are first spelled as KazakhToLatin spells them, then the Latin letters are
// reduced to lower-case ASCII, which conflates:
//   - the vowels: ә with а (ä, á → a), ө with о (ö, ó → o), ұ ү у (ū, ü, ú, and ý, the 2018
//     letter for у, → u), і и й (ı, i, İ → i); ы alone stays y;
//   - the consonant pairs of vowel harmony and their romanisations: қ к (q → k), ғ г (ğ, ǵ, gh → g),
//     ң н (ñ, ń → n), х һ (h, kh → h);
//   - ж and дж (j, zh, dzh, dj → j); ш is sh (ş, š), ч ch (ç, č, and the 2021 tş), щ shch (şş);
//   - w with v, x with ks;
//   - the glides of English and Russian romanisation: y before e is dropped and y before o turns
//     both into e (Tokayev → tokaev, Yerlan → erlan, and Mirziyoyev → mirziev, as ё folded to е
//     gives), y before a or u is i (Koyan, Qoian → koian), y after a, e, o or u is i (Kostanay,
//     Qostanai → kostanai), and a final iy is i (Dmitriy → dmitri);
//   - doubled letters (Kassym → kasym, Аққол → akol);
//   - and any other Latin diacritic is dropped (é → e).
//
// Apostrophes, combining marks and format characters are dropped; letters of other scripts are
// lower-cased and kept, and so are digits and punctuation. The key is lossy on purpose, so as to
// meet the ASCII spellings: қол "hand" and көл "lake" both give "kol", тұр and түр both "tur". Ё
// gives "io" as in the 2021 alphabet, whereas Fold turns it into е, so pass LatinKey folded tokens
// (Tokenize's output). Keys are for comparing a word in one script with a word in another; within
// one script Fold, Stem and the Matcher's rules compare better, and across scripts short words meet
// by chance (English sender and Kazakh сендер "you", both "sender").
func LatinKey(s string) string {
	return latinKey(s, &latinKeyCyrillic)
}

// RomanKey is LatinKey for Russian: Cyrillic letters are first romanised as English-language news
// romanises Russian (BGN/PCGN-like: й → y, х → kh, ж → zh, ц → ts, ч → ch, ш → sh, щ → shch, ы → y,
// ю → yu, я → ya, ё → yo, ъ and ь dropped), then reduced exactly as by LatinKey, so that «Токаев»
// and "Tokayev" both give "tokaev", «Шымкент» and "Shymkent" "shymkent", «Жанаозен» and "Zhanaozen"
// "janaozen", «Казахстан» and "Kazakhstan" "kazahstan". The Kazakh letters are spelled as by
// LatinKey. The two keys of a word without Cyrillic letters are the same, and those of a Cyrillic
// word differ only where it has й before е or after a consonant (Йемен: RomanKey "emen", LatinKey
// "iemen"); the Russian and Kazakh spellings of a name often meet (Токаев and Тоқаев are both
// "tokaev"), but not where the Kazakh one differs by more than its letters (Казахстан "kazahstan",
// Қазақстан "kazakstan"). TestRomanKeyNews lists which spellings of the region's names meet.
func RomanKey(s string) string {
	return latinKey(s, &romanKeyCyrillic)
}

// keyEntry is the ASCII spelling of a rune in a key, before the rules of rewriteKey; ok is false
// for runes a table leaves alone.
type keyEntry struct {
	s  string
	ok bool
}

// keyExtraCyrillic spells Cyrillic letters that are not Kazakh but turn up in the region's text:
// Uzbek ў (Latin oʻ) and ҳ, Tajik ҷ ӣ ӯ, Ukrainian ґ є ї, and ѐ ѝ, which Fold turns into е и.
var keyExtraCyrillic = map[rune]string{
	'ў': "o", 'ҳ': "h", 'ҷ': "j", 'ӣ': "i", 'ӯ': "u", 'ґ': "g", 'є': "e", 'ї': "i", 'ѐ': "e", 'ѝ': "i",
}

// russianRoman is the romanisation of the Russian letters under RomanKey.
var russianRoman = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo", 'ж': "zh", 'з': "z",
	'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh",
	'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
}

// latinKeyCyrillic and romanKeyCyrillic spell the runes of the Cyrillic block for LatinKey and
// RomanKey, indexed by rune-cyrBlock, upper case included. The LatinKey spelling of a Kazakh letter
// is the ASCII reduction of its KazakhToLatin spelling, which is what makes LatinKey(w) equal
// LatinKey(KazakhToLatin(w)).
var latinKeyCyrillic, romanKeyCyrillic = func() (lat, rom [0x100]keyEntry) {
	set := func(t *[0x100]keyEntry, r rune, s string) {
		t[r-cyrBlock] = keyEntry{s, true}
		t[unicode.ToUpper(r)-cyrBlock] = keyEntry{s, true}
	}
	for r, s := range keyExtraCyrillic {
		set(&lat, r, s)
		set(&rom, r, s)
	}
	for r, l := range kkLatinLetters {
		var b []byte
		for _, c := range l.lower {
			b = appendLatinKeyRune(b, c)
		}
		set(&lat, r, string(b))
		set(&rom, r, string(b))
	}
	for r, s := range russianRoman {
		if r >= cyrBlock {
			set(&rom, r, s)
		}
	}
	return lat, rom
}()

// latinKeySpecial spells the Latin letters whose ASCII reduction is not their base letter: the
// Kazakh, Turkish and Slavic letters for ш ч ж, ý (у in the 2018 Kazakh alphabet), and letters
// without a decomposition. Keys are lower case.
var latinKeySpecial = map[rune]string{
	'ş': "sh", 'ș': "sh", 'š': "sh", 'ś': "sh", 'ŝ': "sh",
	'ç': "ch", 'č': "ch", 'ć': "ch", 'ĉ': "ch",
	'ž': "zh", 'ǆ': "zh", 'ǅ': "zh", 'Ǆ': "zh", 'ǉ': "lj", 'ǈ': "lj", 'Ǉ': "lj", 'ǌ': "nj", 'ǋ': "nj", 'Ǌ': "nj",
	'ý': "u", 'ÿ': "y", 'ı': "i", 'ŋ': "n", 'ə': "a", 'ɑ': "a", 'æ': "ae", 'œ': "oe", 'ø': "o",
	'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ħ': "h", 'ŧ': "t", 'ß': "ss", 'ſ': "s", 'ĸ': "k",
}

// Latin letters with diacritics that keys reduce: Latin-1 Supplement to IPA Extensions, and Latin
// Extended Additional.
const (
	latinExtLo, latinExtHi = 0xc0, 0x2b0
	latinAddLo, latinAddHi = 0x1e00, 0x1f00
)

// latinKeyExt and latinKeyAdd hold the ASCII spelling of the letters of those two ranges, indexed
// by rune-latinExtLo and rune-latinAddLo; letters without one are left alone.
var latinKeyExt, latinKeyAdd = func() (ext [latinExtHi - latinExtLo]keyEntry, add [latinAddHi - latinAddLo]keyEntry) {
	for r := rune(latinExtLo); r < latinExtHi; r++ {
		ext[r-latinExtLo] = latinKeyOf(r)
	}
	for r := rune(latinAddLo); r < latinAddHi; r++ {
		add[r-latinAddLo] = latinKeyOf(r)
	}
	return ext, add
}()

// latinKeyOf computes the ASCII spelling of a Latin letter with diacritics: its special spelling,
// or else its compatibility decomposition less the marks, when that is ASCII.
func latinKeyOf(r rune) keyEntry {
	if !unicode.IsLetter(r) {
		return keyEntry{}
	}
	l := unicode.ToLower(r)
	if s, ok := latinKeySpecial[l]; ok {
		return keyEntry{s, true}
	}
	if s, ok := latinKeySpecial[r]; ok {
		return keyEntry{s, true}
	}
	var b []byte
	for _, c := range norm.NFKD.String(string(l)) {
		switch {
		case isCombiningMark(c):
		case c < utf8.RuneSelf && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'):
			b = appendASCIIKey(b, byte(c))
		default:
			return keyEntry{}
		}
	}
	if len(b) == 0 {
		return keyEntry{}
	}
	return keyEntry{string(b), true}
}

// appendASCIIKey appends the key spelling of an ASCII letter: lower case, with q → k, x → ks and
// w → v.
func appendASCIIKey(b []byte, c byte) []byte {
	c |= 0x20
	switch c {
	case 'q':
		return append(b, 'k')
	case 'x':
		return append(b, 'k', 's')
	case 'w':
		return append(b, 'v')
	}
	return append(b, c)
}

// appendLatinKeyRune appends the key spelling of a rune that is not Cyrillic.
func appendLatinKeyRune(b []byte, r rune) []byte {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z':
			return appendASCIIKey(b, byte(r))
		case r == '\'' || r == '`':
			return b
		}
		return append(b, byte(r))
	case latinExtLo <= r && r < latinExtHi:
		if e := latinKeyExt[r-latinExtLo]; e.ok {
			return append(b, e.s...)
		}
	case latinAddLo <= r && r < latinAddHi:
		if e := latinKeyAdd[r-latinAddLo]; e.ok {
			return append(b, e.s...)
		}
	case r == '\u200b':
		return append(b, ' ') // as Fold has it
	}
	switch r {
	case '\u2019', '\u2018', '\u201b', '\u02bc', '\u02bb', '\u00b4', '\uff07':
		return b // apostrophes, as in the 2017 Kazakh alphabet and Uzbek oʻ, gʻ
	}
	if isCombiningMark(r) || unicode.Is(unicode.Cf, r) {
		return b
	}
	// A few runes lower-case into the ranges above (U+212B ANGSTROM SIGN → å), so spell the lower
	// case as such, which keeps keys idempotent.
	if l := unicode.ToLower(r); l != r && unicode.ToLower(l) == l {
		return appendLatinKeyRune(b, l)
	}
	return utf8.AppendRune(b, r)
}

// latinKey computes LatinKey or RomanKey, with cyr the spelling of Cyrillic runes.
func latinKey(s string, cyr *[0x100]keyEntry) string {
	var bufA, bufB [64]byte
	k := bufA[:0]
	for i := 0; i < len(s); {
		// An ASCII letter takes the slow path only when combining marks may follow it (s + U+0327 is ş).
		if c := s[i]; c < utf8.RuneSelf && (i+1 == len(s) || s[i+1] < 0xcc) {
			k = appendLatinKeyRune(k, rune(c))
			i++
			continue
		}
		r, end := cluster(s, i)
		i = end
		if cyrBlock <= r && r < cyrBlock+0x100 {
			if e := cyr[r-cyrBlock]; e.ok {
				k = append(k, e.s...)
				continue
			}
		}
		k = appendLatinKeyRune(k, r)
	}
	// Each rewrite that changes something shortens the key or removes a y or an "shsh", so this ends;
	// real words are done after one or two rounds.
	scratch := bufB[:0]
	for {
		out, changed := rewriteKey(scratch[:0], k)
		if !changed {
			break
		}
		k, scratch = out, k
	}
	if string(k) == s {
		return s
	}
	return string(k)
}

// rewriteKey applies the digraph, glide and double-letter rules of LatinKey to k once, left to
// right, appending the result to dst; changed reports whether any rule applied. Rules only look at
// ASCII letters, so the bytes of other runes pass through whole.
func rewriteKey(dst, k []byte) (out []byte, changed bool) {
	at := func(i int) byte {
		if i < len(k) {
			return k[i]
		}
		return 0
	}
	put := func(c byte) {
		if n := len(dst); n > 0 && dst[n-1] == c && 'a' <= c && c <= 'z' {
			changed = true
			return
		}
		dst = append(dst, c)
	}
	for i := 0; i < len(k); {
		c := k[i]
		switch {
		case c == 't' && at(i+1) == 's' && at(i+2) == 'h': // tş, the 2021 spelling of ч
			put('c')
			put('h')
			i += 3
		case c == 's' && at(i+1) == 'h' && at(i+2) == 's' && at(i+3) == 'h': // şş, the 2021 щ
			put('s')
			put('h')
			put('c')
			put('h')
			i += 4
		case c == 'z' && at(i+1) == 'h', c == 'd' && at(i+1) == 'j':
			put('j')
			i += 2
		case c == 'k' && at(i+1) == 'h':
			put('h')
			i += 2
		case c == 'g' && at(i+1) == 'h':
			put('g')
			i += 2
		case c == 'y':
			prev := byte(0)
			if n := len(dst); n > 0 {
				prev = dst[n-1]
			}
			switch next := at(i + 1); {
			case next == 'e':
				i++
			case next == 'o':
				put('e')
				i += 2
			case next == 'a' || next == 'u':
				put('i')
				i++
			case (prev == 'a' || prev == 'e' || prev == 'o' || prev == 'u') && next != 'i':
				put('i')
				i++
			case prev == 'i' && !('a' <= next && next <= 'z'):
				i++
			default:
				put('y')
				i++
				continue
			}
			changed = true
			continue
		default:
			put(c)
			i++
			continue
		}
		changed = true
	}
	return dst, changed
}
