package fetch

import (
	"net/http"
	"testing"
	"time"
)

func TestFreshFor(t *testing.T) {
	tests := []struct {
		name         string
		cacheControl []string
		age          string
		want         time.Duration
	}{
		{"none", nil, "", 0},
		{"max-age", []string{"max-age=300"}, "", 5 * time.Minute},
		{"with other directives", []string{"public, max-age=600, must-revalidate"}, "", 10 * time.Minute},
		{"case and spaces", []string{" Public ,  MAX-AGE = 60 "}, "", time.Minute},
		{"quoted", []string{`max-age="120"`}, "", 2 * time.Minute},
		{"no-cache wins", []string{"max-age=300, no-cache"}, "", 0},
		{"no-cache with fields", []string{`no-cache="Set-Cookie", max-age=300`}, "", 0},
		{"no-store", []string{"no-store"}, "", 0},
		{"no-store on a second line", []string{"max-age=300", "no-store"}, "", 0},
		{"zero", []string{"max-age=0"}, "", 0},
		{"negative is stale", []string{"max-age=-1"}, "", 0},
		{"garbage is stale", []string{"max-age=soon"}, "", 0},
		{"empty value is stale", []string{"max-age="}, "", 0},
		{"first max-age counts", []string{"max-age=60, max-age=600"}, "", time.Minute},
		{"s-maxage is for shared caches", []string{"s-maxage=600"}, "", 0},
		{"capped", []string{"max-age=31536000"}, "", MaxFreshFor},
		{"overflowing", []string{"max-age=999999999999999999999999"}, "", MaxFreshFor},
		{"Age subtracted", []string{"max-age=600"}, "100", 500 * time.Second},
		{"Age past max-age", []string{"max-age=600"}, "900", 0},
		{"Age bad is ignored", []string{"max-age=600"}, "-5", 10 * time.Minute},
		{"Age subtracted before the cap", []string{"max-age=172800"}, "3600", MaxFreshFor},
		{"Age alone", nil, "100", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, v := range tt.cacheControl {
				h.Add("Cache-Control", v)
			}
			if tt.age != "" {
				h.Set("Age", tt.age)
			}
			if got := freshFor(h); got != tt.want {
				t.Errorf("freshFor(%v) = %v, want %v", h, got, tt.want)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	skewed := now.Add(-2 * time.Hour) // the server's clock, two hours behind ours
	tests := []struct {
		name       string
		retryAfter string
		date       string
		want       time.Duration
	}{
		{"absent", "", "", 0},
		{"seconds", "120", "", 2 * time.Minute},
		{"seconds with spaces", " 30 ", "", 30 * time.Second},
		{"zero", "0", "", 0},
		{"negative", "-30", "", 0},
		{"fraction", "1.5", "", 0},
		{"capped", "172800", "", MaxRetryAfter},
		{"overflowing", "99999999999999999999999", "", MaxRetryAfter},
		{"date from our clock", now.Add(10 * time.Minute).Format(http.TimeFormat), "", 10 * time.Minute},
		{"date from the server's Date", skewed.Add(10 * time.Minute).Format(http.TimeFormat), skewed.Format(http.TimeFormat), 10 * time.Minute},
		{"date in the past", now.Add(-time.Minute).Format(http.TimeFormat), "", 0},
		{"date far ahead is capped", now.Add(72 * time.Hour).Format(http.TimeFormat), "", MaxRetryAfter},
		{"RFC 850 date", now.Add(time.Hour).Format("Monday, 02-Jan-06 15:04:05 GMT"), "", time.Hour},
		{"unparsable Date falls back to our clock", now.Add(time.Minute).Format(http.TimeFormat), "yesterday", time.Minute},
		{"garbage", "tomorrow", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.retryAfter != "" {
				h.Set("Retry-After", tt.retryAfter)
			}
			if tt.date != "" {
				h.Set("Date", tt.date)
			}
			if got := retryAfter(h, now); got != tt.want {
				t.Errorf("retryAfter(%v) = %v, want %v", h, got, tt.want)
			}
		})
	}
}
