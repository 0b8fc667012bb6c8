package fetch

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// freshFor is how long a response stays fresh by its Cache-Control max-age, less its Age (time
// already spent in a CDN's cache), at most MaxFreshFor. no-cache and no-store mean zero, as does
// an unparsable max-age (RFC 9111 says to treat that as stale). s-maxage is for shared caches,
// which a feed reader is not.
func freshFor(h http.Header) time.Duration {
	maxAge, found := time.Duration(0), false
	for _, line := range h.Values("Cache-Control") {
		for _, directive := range strings.Split(line, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(directive), "=")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "no-cache", "no-store":
				return 0
			case "max-age":
				if found {
					continue // the first one counts
				}
				d, ok := deltaSeconds(strings.Trim(strings.TrimSpace(value), `"`), math.MaxInt64)
				if !ok {
					return 0
				}
				maxAge, found = d, true
			}
		}
	}
	if age, ok := deltaSeconds(strings.TrimSpace(h.Get("Age")), math.MaxInt64); ok {
		maxAge -= age
	}
	return min(max(maxAge, 0), MaxFreshFor)
}

// retryAfter reads Retry-After as delay-seconds or an HTTP-date, at most MaxRetryAfter. A date
// is measured from the response's own Date header when it has one, so a skewed local clock does
// not matter; otherwise from now. Absent, unparsable or past values give zero.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if d, ok := deltaSeconds(v, MaxRetryAfter); ok {
		return d
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		now = date
	}
	return min(max(at.Sub(now), 0), MaxRetryAfter)
}

// deltaSeconds parses a non-negative whole number of seconds, clamping huge values to limit
// rather than overflowing.
func deltaSeconds(s string, limit time.Duration) (time.Duration, bool) {
	if s == "" {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > int64(limit/time.Second) {
		return limit, true // only overflow is left: all digits
	}
	return time.Duration(n) * time.Second, true
}
