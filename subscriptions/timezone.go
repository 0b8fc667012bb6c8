package subscriptions

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
)

// zoneIndex finds IANA names regardless of case.
type zoneIndex struct {
	full map[string]string // lower-cased name → name
	city map[string]string // lower-cased last part ("almaty", "new_york") → name, when unambiguous
}

var zones = sync.OnceValue(func() zoneIndex {
	ix := zoneIndex{full: map[string]string{}, city: map[string]string{}}
	ambiguous := map[string]bool{}
	for _, name := range strings.Fields(zoneNames) {
		ix.full[strings.ToLower(name)] = name
		area, _, hasArea := strings.Cut(name, "/")
		// Etc/GMT+5 is five hours *behind* UTC (POSIX signs): letting "GMT+5" mean it would
		// set people five hours off in the wrong direction.
		if !hasArea || area == "Etc" {
			continue
		}
		c := strings.ToLower(name[strings.LastIndexByte(name, '/')+1:])
		if _, dup := ix.city[c]; dup {
			ambiguous[c] = true
		}
		ix.city[c] = name
	}
	for c := range ambiguous {
		delete(ix.city, c)
	}
	return ix
})

// plausibleZone is the shape of an IANA name: Area/Location[/Sub], letters first.
var plausibleZone = regexp.MustCompile(`^[A-Z][A-Za-z_]*(/[A-Za-z][A-Za-z0-9_+-]*)+$`)

// canonicalTimezone returns the IANA name tz stands for, spelt as IANA spells it. It accepts any
// case ("asia/almaty"), spaces for underscores ("America/New York") and a bare city when only one
// zone has it ("Almaty", "new_york"). It refuses "", "Local" (the server's zone, not the user's),
// UTC offsets such as "+05:00" or "GMT+5" (they know no daylight saving time and the POSIX
// Etc/GMT±N names invert the sign), and names time.LoadLocation cannot load.
func canonicalTimezone(tz string) (string, error) {
	tz = strings.TrimSpace(tz)
	if tz == "" {
		return "", fmt.Errorf("%w: empty", ErrBadTimezone)
	}
	key := strings.ToLower(strings.Join(strings.Fields(tz), "_"))
	ix := zones()
	name, ok := ix.full[key]
	if !ok {
		name, ok = ix.city[key]
	}
	if !ok {
		// A zone newer than zoneNames, spelt exactly. The posix/ and right/ trees of the system's
		// zoneinfo hold copies under names IANA does not define.
		if !plausibleZone.MatchString(tz) || strings.HasPrefix(tz, "posix/") || strings.HasPrefix(tz, "right/") {
			return "", fmt.Errorf("%w: %q", ErrBadTimezone, tz)
		}
		name = tz
	}
	if _, err := time.LoadLocation(name); err != nil {
		return "", fmt.Errorf("%w: %q: %w", ErrBadTimezone, tz, err)
	}
	return name, nil
}
