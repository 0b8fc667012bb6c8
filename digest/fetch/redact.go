package fetch

import (
	"net/url"
	"strings"
)

// secretParams are query parameter names whose values must not reach logs; secretParts are
// substrings that mark a name as secret ("api_token", "X-Amz-Signature").
var (
	secretParams = map[string]bool{"key": true, "sig": true, "pwd": true, "pass": true, "code": true, "sid": true, "auth": true}
	secretParts  = []string{"token", "secret", "passw", "apikey", "api_key", "api-key", "authoriz", "signature", "session", "credential"}
)

// Redact returns rawURL fit for logs and error messages: without userinfo and fragment, and with
// the values of secret-looking query parameters (token, key, signature, ...) replaced by
// "REDACTED". A URL that does not parse comes back as "(invalid URL)".
func Redact(rawURL string) string {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return "(invalid URL)"
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" {
		pairs := strings.Split(u.RawQuery, "&")
		for i, p := range pairs {
			name, _, hasValue := strings.Cut(p, "=")
			if !hasValue {
				continue
			}
			if n, err := url.QueryUnescape(name); err == nil {
				name = n
			}
			if isSecretParam(name) {
				pairs[i] = p[:strings.IndexByte(p, '=')] + "=REDACTED"
			}
		}
		u.RawQuery = strings.Join(pairs, "&")
	}
	return u.String()
}

func isSecretParam(name string) bool {
	name = strings.ToLower(name)
	if secretParams[name] {
		return true
	}
	for _, part := range secretParts {
		if strings.Contains(name, part) {
			return true
		}
	}
	return false
}
