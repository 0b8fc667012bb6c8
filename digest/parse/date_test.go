package parse

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	// A fixed zone stands in for Asia/Almaty (UTC+5 since March 2024) so the
	// test does not depend on the system tz database.
	almaty := time.FixedZone("Asia/Almaty", 5*3600)
	at := func(y int, m time.Month, d, hh, mm, ss int, loc *time.Location) time.Time {
		return time.Date(y, m, d, hh, mm, ss, 0, loc)
	}
	utc := time.UTC
	off := func(h int) *time.Location { return time.FixedZone("", h*3600) }

	tests := []struct {
		name  string
		in    string
		loc   *time.Location
		want  time.Time
		ok    bool
		zoned bool
	}{
		// Standard formats.
		{"RFC1123Z", "Wed, 21 Mar 2018 10:27:32 +0300", almaty, at(2018, 3, 21, 10, 27, 32, off(3)), true, true},
		{"RFC3339", "2024-03-10T17:15:00+01:00", almaty, at(2024, 3, 10, 17, 15, 0, off(1)), true, true},
		{"RFC3339 Z fraction", "2023-01-03T15:00:00.250Z", almaty, time.Date(2023, 1, 3, 15, 0, 0, 250e6, utc), true, true},
		{"RFC1123 GMT", "Fri, 05 Jan 2018 16:51:00 GMT", almaty, at(2018, 1, 5, 16, 51, 0, utc), true, true},
		{"single-digit day EST", "Tue, 2 Aug 2011 01:30:00 EST", almaty, at(2011, 8, 2, 1, 30, 0, off(-5)), true, true},
		{"Z as a zone word", "Tue, 15 Nov 2022 20:15:04 Z", almaty, at(2022, 11, 15, 20, 15, 4, utc), true, true},
		{"two-digit year", "Thu, 07 Dec 17 10:00:29 -0800", almaty, at(2017, 12, 7, 10, 0, 29, off(-8)), true, true},
		{"offset with colon", "2024-05-01 09:00:00 +05:00", almaty, at(2024, 5, 1, 9, 0, 0, off(5)), true, true},
		{"GMT plus hours", "01.05.2024 09:00 GMT+6", almaty, at(2024, 5, 1, 9, 0, 0, off(6)), true, true},
		{"MSK", "15 января 2024, 12:00 MSK", almaty, at(2024, 1, 15, 12, 0, 0, off(3)), true, true},
		{"ALMT before 2024-03-01 is +6", "Mon, 15 Jan 2024 12:00:00 ALMT", almaty, at(2024, 1, 15, 12, 0, 0, off(6)), true, true},
		{"ALMT after 2024-03-01 is +5", "Fri, 15 Mar 2024 12:00:00 ALMT", almaty, at(2024, 3, 15, 12, 0, 0, off(5)), true, true},
		{"Italian month shared with English", "mer, 16 nov 2022 00:38:15 +0100", almaty, at(2022, 11, 16, 0, 38, 15, off(1)), true, true},

		// Zone-less dates are read in loc.
		{"US order 12-hour clock", "Sat, Dec 16 2023 02:02:33 PM", almaty, at(2023, 12, 16, 14, 2, 33, almaty), true, false},
		{"12 AM is midnight", "Dec 16, 2023 12:05 am", almaty, at(2023, 12, 16, 0, 5, 0, almaty), true, false},
		{"a.m. with dots", "16 Dec 2023 11:05 p.m.", almaty, at(2023, 12, 16, 23, 5, 0, almaty), true, false},
		{"ISO without zone", "2006-01-02 15:04:05", almaty, at(2006, 1, 2, 15, 4, 5, almaty), true, false},
		{"ISO T without zone", "2024-03-05T14:30:00", almaty, at(2024, 3, 5, 14, 30, 0, almaty), true, false},
		{"ISO date only", "2024-03-05", almaty, at(2024, 3, 5, 0, 0, 0, almaty), true, false},
		{"dotted numeric", "02.01.2006 15:04", almaty, at(2006, 1, 2, 15, 4, 0, almaty), true, false},
		{"dotted numeric date only", "05.03.2024", almaty, at(2024, 3, 5, 0, 0, 0, almaty), true, false},
		{"dashed day first", "05-03-2024 08:15", almaty, at(2024, 3, 5, 8, 15, 0, almaty), true, false},
		{"slashed month first", "03/05/2024 08:15", almaty, at(2024, 3, 5, 8, 15, 0, almaty), true, false},
		{"slashed day first when over 12", "25/03/2024", almaty, at(2024, 3, 25, 0, 0, 0, almaty), true, false},
		{"year first slashed", "2024/03/25 10:00", almaty, at(2024, 3, 25, 10, 0, 0, almaty), true, false},
		{"nil loc is UTC", "2006-01-02 15:04:05", nil, at(2006, 1, 2, 15, 4, 5, utc), true, false},
		{"unknown zone abbreviation is zone-less", "Mon, 02 Jan 2006 15:04:05 XYZ", almaty, at(2006, 1, 2, 15, 4, 5, almaty), true, false},

		// Russian.
		{"russian genitive", "5 марта 2024 г., 14:30", almaty, at(2024, 3, 5, 14, 30, 0, almaty), true, false},
		{"russian with weekday and в", "Вторник, 5 марта 2024 года в 14:30", almaty, at(2024, 3, 5, 14, 30, 0, almaty), true, false},
		{"russian abbreviation", "12 янв. 2024 09:00", almaty, at(2024, 1, 12, 9, 0, 0, almaty), true, false},
		{"russian nominative", "январь 12, 2024", almaty, at(2024, 1, 12, 0, 0, 0, almaty), true, false},
		{"russian may", "9 мая 2024 10:00", almaty, at(2024, 5, 9, 10, 0, 0, almaty), true, false},
		{"russian may nominative", "Май 9 2024", almaty, at(2024, 5, 9, 0, 0, 0, almaty), true, false},
		{"russian september abbreviation", "1 сент. 2023", almaty, at(2023, 9, 1, 0, 0, 0, almaty), true, false},
		{"russian RFC-like with offset", "Пн, 02 дек 2024 18:45:00 +0500", almaty, at(2024, 12, 2, 18, 45, 0, off(5)), true, true},
		{"russian capitalised", "28 ФЕВРАЛЯ 2024", almaty, at(2024, 2, 28, 0, 0, 0, almaty), true, false},
		{"russian june and july", "30 июня 2024", almaty, at(2024, 6, 30, 0, 0, 0, almaty), true, false},
		{"russian december", "31 декабря 2023 23:59", almaty, at(2023, 12, 31, 23, 59, 0, almaty), true, false},

		// Kazakh, with case endings.
		{"kazakh year first", "2024 жылғы 5 наурыз 14:30", almaty, at(2024, 3, 5, 14, 30, 0, almaty), true, false},
		{"kazakh locative", "5 наурызда 2024", almaty, at(2024, 3, 5, 0, 0, 0, almaty), true, false},
		{"kazakh january", "12 қаңтар 2024", almaty, at(2024, 1, 12, 0, 0, 0, almaty), true, false},
		{"kazakh february", "ақпанның 3-і, 2024", almaty, at(2024, 2, 3, 0, 0, 0, almaty), true, false},
		{"kazakh april", "Сәуір 7, 2024", almaty, at(2024, 4, 7, 0, 0, 0, almaty), true, false},
		{"kazakh may", "1 мамыр 2024", almaty, at(2024, 5, 1, 0, 0, 0, almaty), true, false},
		{"kazakh june", "1 маусым 2024", almaty, at(2024, 6, 1, 0, 0, 0, almaty), true, false},
		{"kazakh july", "6 шілде 2024", almaty, at(2024, 7, 6, 0, 0, 0, almaty), true, false},
		{"kazakh august", "30 тамыз 2024", almaty, at(2024, 8, 30, 0, 0, 0, almaty), true, false},
		{"kazakh september genitive", "1 қыркүйектің 2024", almaty, at(2024, 9, 1, 0, 0, 0, almaty), true, false},
		{"kazakh october", "25 қазан 2024 ж. 10:00", almaty, at(2024, 10, 25, 10, 0, 0, almaty), true, false},
		{"kazakh november", "15 қараша 2024", almaty, at(2024, 11, 15, 0, 0, 0, almaty), true, false},
		{"kazakh december", "16 желтоқсан 2024", almaty, at(2024, 12, 16, 0, 0, 0, almaty), true, false},
		{"kazakh saturday is not september", "Сенбі, 7 желтоқсан 2024", almaty, at(2024, 12, 7, 0, 0, 0, almaty), true, false},
		{"kazakh latin", "5 naýryz 2024", almaty, at(2024, 3, 5, 0, 0, 0, almaty), true, false},
		{"uzbek latin", "12 iyul 2024 09:30", almaty, at(2024, 7, 12, 9, 30, 0, almaty), true, false},

		// Numbers.
		{"unix epoch in dc:date", "1518478934", almaty, time.Unix(1518478934, 0).UTC(), true, true},
		{"unix epoch milliseconds", "1518478934000", almaty, time.Unix(1518478934, 0).UTC(), true, true},
		{"compact date", "20240305", almaty, at(2024, 3, 5, 0, 0, 0, almaty), true, false},
		{"compact date time", "20240305143000", almaty, at(2024, 3, 5, 14, 30, 0, almaty), true, false},

		// Not dates, or not safely readable.
		{"empty", "", almaty, time.Time{}, false, false},
		{"spaces", "   ", almaty, time.Time{}, false, false},
		{"greek month", "Τρί, 29 Ιούν 2004 12:53:00 GMT", almaty, time.Time{}, false, true},
		{"portuguese month", "Seg, 24 Set 2018 17:42:00 -0300", almaty, time.Time{}, false, true},
		{"time without colon", "03 Apr 02 1500 GMT", almaty, time.Time{}, false, true},
		{"one-digit minutes, offset", "Fri, 31 May 2024 09:5:7 -0700", almaty, time.Time{}, false, true},
		{"one-digit minutes, colon offset", "2024-5-31T09:5:7-07:00", almaty, time.Time{}, false, true},
		{"one-digit minutes, Z", "2024-5-31T09:5:7Z", almaty, time.Time{}, false, true},
		{"one-digit minutes, no zone", "Fri, 31, May 2024 09:5", almaty, time.Time{}, false, false},
		{"dashed date is not an offset", "31-05-2024 9h", almaty, time.Time{}, false, false},
		{"february 30", "30 февраля 2024", almaty, time.Time{}, false, false},
		{"month 13", "2024-13-01", almaty, time.Time{}, false, false},
		{"hour 25", "2024-03-01 25:00", almaty, time.Time{}, false, false},
		{"two months", "5 марта - 6 апреля 2024", almaty, time.Time{}, false, false},
		{"no year", "5 марта, 14:30", almaty, time.Time{}, false, false},
		{"relative", "2 часа назад", almaty, time.Time{}, false, false},
		{"short number", "12345", almaty, time.Time{}, false, false},
		{"text", "сегодня", almaty, time.Time{}, false, false},
		{"too long", string(make([]byte, 300)), almaty, time.Time{}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, zoned, ok := parseDate(tt.in, tt.loc)
			if ok != tt.ok {
				t.Fatalf("parseDate(%q) ok = %v, want %v (got %v)", tt.in, ok, tt.ok, got)
			}
			if !got.Equal(tt.want) {
				t.Errorf("parseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if zoned != tt.zoned {
				t.Errorf("parseDate(%q) zoned = %v, want %v", tt.in, zoned, tt.zoned)
			}
			if ok && !tt.zoned {
				wantLoc := tt.loc
				if wantLoc == nil {
					wantLoc = time.UTC
				}
				if got.Location() != wantLoc {
					t.Errorf("parseDate(%q) location = %v, want %v", tt.in, got.Location(), wantLoc)
				}
			}
			pub, pubOK := ParseDate(tt.in, tt.loc)
			if pubOK != ok || !pub.Equal(got) {
				t.Errorf("ParseDate(%q) = %v, %v; parseDate gave %v, %v", tt.in, pub, pubOK, got, ok)
			}
		})
	}
}
