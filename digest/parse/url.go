package parse

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ErrNoURL is returned by CanonicalURL for an empty link.
var ErrNoURL = errors.New("parse: empty URL")

// CanonicalURL resolves raw against base (which may be nil when raw is
// absolute) and returns the form used for identity and for links shown to
// people: scheme and host lower-cased, the default port and the fragment
// dropped, an empty path written "/", and tracking parameters (utm_*, fbclid,
// gclid, yclid, _openstat and similar) removed while the other query
// parameters keep their order and spelling. Whitespace around raw and
// line breaks inside it are removed, and "&amp;" left over from double
// escaping becomes "&". Only http and https URLs are accepted.
func CanonicalURL(raw string, base *url.URL) (string, error) {
	u, err := absoluteURL(raw, base)
	if err != nil {
		return "", err
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	u.ForceQuery = false
	if u.RawQuery != "" {
		u.RawQuery = stripTracking(u.RawQuery)
	}
	return u.String(), nil
}

// absoluteURL resolves raw against base and normalises scheme, host and port;
// it keeps the query and fragment untouched (enclosure URLs are often signed).
func absoluteURL(raw string, base *url.URL) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if strings.ContainsAny(raw, "\t\r\n") {
		raw = removeWrapping(raw)
	}
	for strings.Contains(raw, "&amp;") {
		raw = strings.ReplaceAll(raw, "&amp;", "&")
	}
	if raw == "" {
		return nil, ErrNoURL
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("parse: url %q: %w", raw, err)
	}
	if !u.IsAbs() {
		if base == nil || !base.IsAbs() {
			return nil, fmt.Errorf("parse: relative url %q without a base", raw)
		}
		u = base.ResolveReference(u)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("parse: url %q: scheme %q is not http or https", raw, u.Scheme)
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return nil, fmt.Errorf("parse: url %q has no host", raw)
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		u.Host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		u.Host = "[" + host + "]"
	} else {
		u.Host = host
	}
	return u, nil
}

// trackingParams are query keys that identify a campaign or a click, not a
// page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "ysclid": true, "_openstat": true, "mc_cid": true,
	"mc_eid": true, "igshid": true, "_hsenc": true, "_hsmi": true, "mkt_tok": true,
	"wt_mc": true, "ns_mchannel": true, "ns_campaign": true, "ns_source": true,
	"ns_linkname": true, "ns_fee": true,
}

func isTracking(key string) bool {
	if k, err := url.QueryUnescape(key); err == nil {
		key = k
	}
	key = strings.ToLower(key)
	return strings.HasPrefix(key, "utm_") || trackingParams[key]
}

// stripTracking removes tracking parameters from a raw query string, keeping
// the others byte for byte and in order.
func stripTracking(q string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(q, "&") {
		if part == "" {
			continue
		}
		key, _, _ := strings.Cut(part, "=")
		if isTracking(key) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(part)
	}
	return b.String()
}

// removeWrapping deletes runs of whitespace that contain a line break or a
// tab: pretty-printed feeds wrap long links. A lone space is kept (and later
// escaped as %20), as browsers do.
func removeWrapping(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n') {
			j++
		}
		if j == i {
			b.WriteByte(s[i])
			i++
			continue
		}
		if !strings.ContainsAny(s[i:j], "\t\r\n") {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}
