package parse

import (
	"strings"
	"time"
	"unicode"
)

// ParseDate reads a feed date. Beyond RFC 3339 and RFC 1123 it accepts month
// names in Russian (января, янв., январь …), Kazakh (қаңтар … желтоқсан with
// any case ending, Cyrillic or Latin script), Uzbek and English in any
// order; numeric dates (02.01.2006 15:04, 2006-01-02 15:04:05, 2006/01/02,
// 01/02/2006 read as month/day unless the first number exceeds 12); 12-hour
// clocks with AM/PM; two-digit years; Unix epochs in seconds or milliseconds
// and compact 20060102[150405]. Weekday names and filler words ("г.", "года",
// "жылғы", "в", "at") are ignored. A date without a zone, or with a zone
// abbreviation it does not know, is read in loc (UTC when loc is nil): for a
// regional feed that is the publisher's clock, not UTC. Known zones include
// numeric offsets, Z/UTC/GMT, US and European abbreviations, MSK and the
// Central Asian ones (ALMT is UTC+6 before 1 March 2024 and UTC+5 after).
// ok is false when s is not a date it can read; it never guesses a missing
// month or year.
func ParseDate(s string, loc *time.Location) (time.Time, bool) {
	t, _, ok := parseDate(s, loc)
	return t, ok
}

// parseDate is ParseDate that also reports whether s carried a zone it
// understood; zoned is meaningful even when ok is false, so a date another
// parser read can be trusted or re-read in the local zone.
func parseDate(s string, loc *time.Location) (t time.Time, zoned, ok bool) {
	if loc == nil {
		loc = time.UTC
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false, false
	}
	// Fast paths for the two formats feeds are supposed to use; time.Parse
	// is only trusted with numeric zones (it invents a zero offset for zone
	// names it does not know).
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true, true
	}
	if t, err := time.Parse(time.RFC1123Z, s); err == nil {
		return t, true, true
	}
	toks := tokenizeDate(s)
	if toks == nil {
		return time.Time{}, false, false
	}
	var d dateParts
	if len(toks) == 1 && toks[0].num {
		return d.whole(toks[0], loc)
	}
	d.findTime(toks)
	d.findZone(toks)
	if !d.findDate(toks) {
		return time.Time{}, d.zone || zoneHint(toks), false
	}
	t, ok = d.build(loc)
	return t, d.zone || (!ok && zoneHint(toks)), ok
}

// zoneHint reports whether a date that could not be read still names a
// zone somewhere: a known abbreviation, a Z right after a number, or a
// plausible numeric offset (+0700, -07:00).
func zoneHint(toks []dateTok) bool {
	for i, t := range toks {
		switch {
		case t.word == "z":
			if i > 0 && toks[i-1].num {
				return true
			}
		case t.word != "":
			if _, ok := zoneOffsets[t.word]; ok || t.word == "almt" || t.word == "qyzt" {
				return true
			}
		case t.sym == '+' || t.sym == '-':
			if i+1 >= len(toks) || !toks[i+1].num || i == 0 || !toks[i-1].num {
				continue
			}
			n := toks[i+1]
			if n.digits == 4 && n.v/100 <= 14 && n.v%100 < 60 {
				return true
			}
			if n.digits == 2 && n.v <= 14 && i+3 < len(toks) && toks[i+2].sym == ':' && toks[i+3].num && toks[i+3].digits == 2 {
				return true
			}
		}
	}
	return false
}

type dateTok struct {
	num    bool
	v      int // value of a number
	digits int
	word   string // lower-cased letters of a word
	sym    byte   // one of : - + . / , for symbol tokens
	used   bool
}

// tokenizeDate splits s into numbers, words and separator symbols; other
// characters separate tokens. It returns nil for input too long or with a
// number too long to be part of a date.
func tokenizeDate(s string) []dateTok {
	if len(s) > 200 {
		return nil
	}
	toks := make([]dateTok, 0, 16)
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r >= '0' && r <= '9':
			t := dateTok{num: true}
			for ; i < len(rs) && rs[i] >= '0' && rs[i] <= '9'; i++ {
				if t.digits == 14 {
					return nil
				}
				t.v = t.v*10 + int(rs[i]-'0')
				t.digits++
			}
			toks = append(toks, t)
		case unicode.IsLetter(r):
			var b strings.Builder
			for ; i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.Is(unicode.Mn, rs[i])); i++ {
				b.WriteRune(unicode.ToLower(rs[i]))
			}
			toks = append(toks, dateTok{word: b.String()})
		case strings.ContainsRune(":-+./,", r):
			toks = append(toks, dateTok{sym: byte(r)})
			i++
		case r == '−' || r == '–': // minus sign and en dash in offsets and ranges
			toks = append(toks, dateTok{sym: '-'})
			i++
		default:
			i++
		}
	}
	return toks
}

type dateParts struct {
	year, month, day     int
	hour, min, sec, nsec int
	hasTime              bool
	zone                 bool
	offset               int    // seconds east of UTC when zone is set
	zoneName             string // an abbreviation whose offset depends on the date
	timeEnd              int    // index of the first token after the time
}

// whole reads a date written as one number.
func (d *dateParts) whole(t dateTok, loc *time.Location) (time.Time, bool, bool) {
	switch {
	case t.digits == 9 || t.digits == 10:
		return time.Unix(int64(t.v), 0).UTC(), true, true
	case t.digits == 12 || t.digits == 13:
		return time.UnixMilli(int64(t.v)).UTC(), true, true
	case t.digits == 8:
		d.year, d.month, d.day = t.v/10000, t.v/100%100, t.v%100
	case t.digits == 14:
		v := t.v
		d.sec, v = v%100, v/100
		d.min, v = v%100, v/100
		d.hour, v = v%100, v/100
		d.day, v = v%100, v/100
		d.month, d.year = v%100, v/100
		d.hasTime = true
	default:
		return time.Time{}, false, false
	}
	tm, ok := d.build(loc)
	return tm, false, ok
}

// findTime finds the first h:mm[:ss[.fff]] [am|pm] and marks it used.
func (d *dateParts) findTime(toks []dateTok) {
	for i := 0; i+2 < len(toks); i++ {
		if !toks[i].num || toks[i].digits > 2 || toks[i+1].sym != ':' || !toks[i+2].num || toks[i+2].digits != 2 {
			continue
		}
		d.hasTime = true
		d.hour, d.min = toks[i].v, toks[i+2].v
		end := i + 3
		if end+1 < len(toks) && toks[end].sym == ':' && toks[end+1].num && toks[end+1].digits == 2 {
			d.sec = toks[end+1].v
			end += 2
			if end+1 < len(toks) && (toks[end].sym == '.' || toks[end].sym == ',') && toks[end+1].num {
				f := toks[end+1]
				d.nsec = f.v
				for n := f.digits; n < 9; n++ {
					d.nsec *= 10
				}
				for n := f.digits; n > 9; n-- {
					d.nsec /= 10
				}
				end += 2
			}
		}
		for k := i; k < end; k++ {
			toks[k].used = true
		}
		end = d.meridiem(toks, end)
		d.timeEnd = end
		return
	}
}

// meridiem applies "am"/"pm" (or "a.m."/"p.m.") at toks[i:] and returns the
// index after it.
func (d *dateParts) meridiem(toks []dateTok, i int) int {
	if i >= len(toks) {
		return i
	}
	w := toks[i].word
	n := 1
	if (w == "a" || w == "p") && i+2 < len(toks) && toks[i+1].sym == '.' && toks[i+2].word == "m" {
		w += "m"
		n = 3
		if i+3 < len(toks) && toks[i+3].sym == '.' {
			n = 4
		}
	}
	switch w {
	case "am":
		if d.hour == 12 {
			d.hour = 0
		}
	case "pm":
		if d.hour < 12 {
			d.hour += 12
		}
	default:
		return i
	}
	for k := i; k < i+n; k++ {
		toks[k].used = true
	}
	return i + n
}

// findZone reads a zone right after the time: Z, a known abbreviation, an
// offset (+0500, +05:00, +05), or an abbreviation followed by an offset
// (GMT+3). An unknown abbreviation is consumed but leaves the date zone-less.
func (d *dateParts) findZone(toks []dateTok) {
	if !d.hasTime {
		return
	}
	i := d.timeEnd
	if i < len(toks) && !toks[i].num && toks[i].word != "" {
		w := toks[i].word
		if off, ok := zoneOffsets[w]; ok {
			d.zone, d.offset = true, off
			toks[i].used = true
			i++
		} else if w == "almt" || w == "qyzt" {
			d.zone, d.zoneName = true, w
			toks[i].used = true
			i++
		} else if len(w) >= 2 && len(w) <= 5 && isASCIIWord(w) && !isMonthOrMeridiem(w) {
			toks[i].used = true
			return
		}
	}
	if i+1 < len(toks) && (toks[i].sym == '+' || toks[i].sym == '-') && toks[i+1].num {
		sign := 1
		if toks[i].sym == '-' {
			sign = -1
		}
		n := toks[i+1]
		var h, m int
		end := i + 2
		switch n.digits {
		case 4:
			h, m = n.v/100, n.v%100
		case 3:
			h, m = n.v/100, n.v%100
		case 1, 2:
			h = n.v
			if end+1 < len(toks) && toks[end].sym == ':' && toks[end+1].num && toks[end+1].digits == 2 {
				m = toks[end+1].v
				end += 2
			}
		default:
			return
		}
		if h > 14 || m > 59 {
			return
		}
		for k := i; k < end; k++ {
			toks[k].used = true
		}
		d.zone = true
		d.offset += sign * (h*3600 + m*60)
		d.zoneName = ""
	}
}

// findDate reads day, month and year from the tokens left after the time.
func (d *dateParts) findDate(toks []dateTok) bool {
	monthAt := -1
	for i := range toks {
		t := &toks[i]
		if t.used || t.num || t.word == "" {
			continue
		}
		if m := monthOf(t.word); m > 0 {
			if monthAt >= 0 {
				return false
			}
			d.month, monthAt = m, i
			t.used = true
		}
	}
	var nums []int // indexes of unused numbers
	for i := range toks {
		if toks[i].num && !toks[i].used {
			nums = append(nums, i)
		}
	}
	if monthAt >= 0 {
		if len(nums) != 2 {
			return false
		}
		a, b := toks[nums[0]], toks[nums[1]]
		switch {
		case a.digits == 4 && b.digits <= 2:
			d.year, d.day = a.v, b.v
		case b.digits == 4 && a.digits <= 2:
			d.day, d.year = a.v, b.v
		case a.digits <= 2 && b.digits <= 2:
			// "07 Dec 17", "Dec 07, 17": the day comes first.
			d.day, d.year = a.v, twoDigitYear(b.v)
		default:
			return false
		}
		return true
	}
	if len(nums) != 3 {
		return false
	}
	a, b, c := toks[nums[0]], toks[nums[1]], toks[nums[2]]
	if b.digits > 2 {
		return false
	}
	switch {
	case a.digits == 4 && c.digits <= 2:
		d.year, d.month, d.day = a.v, b.v, c.v
	case a.digits <= 2 && (c.digits == 4 || c.digits == 2):
		year := c.v
		if c.digits == 2 {
			year = twoDigitYear(c.v)
		}
		sep := byte(0)
		if nums[0]+1 < len(toks) {
			sep = toks[nums[0]+1].sym
		}
		if sep == '/' && a.v <= 12 {
			d.month, d.day = a.v, b.v
		} else {
			d.day, d.month = a.v, b.v
		}
		d.year = year
	default:
		return false
	}
	return true
}

func twoDigitYear(y int) int {
	if y < 70 {
		return 2000 + y
	}
	return 1900 + y
}

// build validates the parts and makes the time.
func (d *dateParts) build(loc *time.Location) (time.Time, bool) {
	if d.month < 1 || d.month > 12 || d.day < 1 || d.year < 1000 || d.year > 9999 {
		return time.Time{}, false
	}
	if d.day > daysIn(time.Month(d.month), d.year) {
		return time.Time{}, false
	}
	if d.hour > 23 || d.min > 59 || d.sec > 60 {
		return time.Time{}, false
	}
	if d.sec == 60 { // a leap second is the last second of the minute
		d.sec = 59
	}
	if d.zone {
		off := d.offset
		if d.zoneName != "" {
			off = almatyOffset(d.year, d.month, d.day)
		}
		return time.Date(d.year, time.Month(d.month), d.day, d.hour, d.min, d.sec, d.nsec, time.FixedZone("", off)), true
	}
	return time.Date(d.year, time.Month(d.month), d.day, d.hour, d.min, d.sec, d.nsec, loc), true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// almatyOffset is the offset of ALMT: Kazakhstan moved its eastern regions
// from UTC+6 to UTC+5 on 1 March 2024.
func almatyOffset(year, month, day int) int {
	if year < 2024 || (year == 2024 && month < 3) {
		return 6 * 3600
	}
	return 5 * 3600
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

func isMonthOrMeridiem(w string) bool {
	return monthOf(w) > 0 || w == "am" || w == "pm"
}

// zoneOffsets are zone abbreviations with a fixed offset, in seconds.
var zoneOffsets = map[string]int{
	"z": 0, "ut": 0, "utc": 0, "gmt": 0, "wet": 0,
	"est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600,
	"mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
	"akst": -9 * 3600, "akdt": -8 * 3600, "hst": -10 * 3600,
	"bst": 1 * 3600, "cet": 1 * 3600, "cest": 2 * 3600, "met": 1 * 3600, "mest": 2 * 3600,
	"eet": 2 * 3600, "eest": 3 * 3600, "msk": 3 * 3600, "trt": 3 * 3600,
	"aqtt": 5 * 3600, "orat": 5 * 3600, "uzt": 5 * 3600, "tjt": 5 * 3600, "tmt": 5 * 3600,
	"yekt": 5 * 3600, "pkt": 5 * 3600, "kgt": 6 * 3600, "omst": 6 * 3600, "novt": 7 * 3600,
	"krat": 7 * 3600, "мск": 3 * 3600, "jst": 9 * 3600, "kst": 9 * 3600, "aest": 10 * 3600, "aedt": 11 * 3600,
}

// monthStems maps the start of a month word to its number. A word matches
// the longest stem it begins with, so case endings (марта, наурызда,
// қыркүйектің) and abbreviations (янв., Sept) are covered. Russian "сент"
// is four letters so that Kazakh "сенбі" (Saturday) is not September.
var monthStems = []struct {
	stem  string
	month int
}{
	// English, and Uzbek Latin where it differs.
	{"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"may", 5}, {"jun", 6},
	{"jul", 7}, {"aug", 8}, {"sep", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12},
	{"yanv", 1}, {"fev", 2}, {"iyun", 6}, {"iyul", 7}, {"avg", 8}, {"sent", 9},
	{"okt", 10}, {"noy", 11}, {"dek", 12},
	// Russian and Uzbek Cyrillic.
	{"янв", 1}, {"фев", 2}, {"мар", 3}, {"апр", 4}, {"июн", 6}, {"июл", 7},
	{"авг", 8}, {"сент", 9}, {"окт", 10}, {"ноя", 11}, {"дек", 12},
	// Kazakh Cyrillic.
	{"қаңтар", 1}, {"ақпан", 2}, {"наурыз", 3}, {"сәуір", 4}, {"мамыр", 5},
	{"маусым", 6}, {"шілде", 7}, {"тамыз", 8}, {"қыркүйек", 9}, {"қазан", 10},
	{"қараша", 11}, {"желтоқсан", 12},
	// Kazakh Latin (2017–2021 alphabets).
	{"qańtar", 1}, {"qantar", 1}, {"aqpan", 2}, {"naýryz", 3}, {"nauryz", 3},
	{"sáýir", 4}, {"sauir", 4}, {"sáuir", 4}, {"mamyr", 5}, {"maýsym", 6},
	{"mausym", 6}, {"shilde", 7}, {"tamyz", 8}, {"qyrkúıek", 9}, {"qyrkúiek", 9},
	{"qyrkuiek", 9}, {"qazan", 10}, {"qarasha", 11}, {"jeltoqsan", 12},
}

// mayForms are the Russian forms of May, which share no stem longer than
// "ма" with March.
var mayForms = map[string]bool{"май": true, "мая": true, "мае": true, "маю": true, "маем": true}

func monthOf(w string) int {
	if mayForms[w] {
		return 5
	}
	best, bestLen := 0, 0
	for _, m := range monthStems {
		if len(m.stem) > bestLen && strings.HasPrefix(w, m.stem) {
			best, bestLen = m.month, len(m.stem)
		}
	}
	return best
}
