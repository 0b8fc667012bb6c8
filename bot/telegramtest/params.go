package telegramtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
)

// maxBodyBytes bounds a request body; Telegram takes uploads up to 50 MB.
const maxBodyBytes = 50 << 20

// readParams returns a request's parameters as strings, the way the Bot API reads them: from
// the query string and from a multipart/form-data, application/x-www-form-urlencoded or
// application/json body (the body wins). Nested objects stay JSON text, as go-telegram/bot
// sends them; a JSON body's non-string values become their JSON text ("123", "true", "{…}").
// An uploaded file becomes "<file NAME, N bytes>".
func readParams(r *http.Request) (map[string]string, error) {
	params := make(map[string]string)
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			params[k] = v[0]
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	if err != nil {
		return params, fmt.Errorf("can't read request body: %w", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return params, nil
	}
	mediaType, mediaParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(body), mediaParams["boundary"])
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return params, fmt.Errorf("can't parse multipart body: %w", err)
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return params, fmt.Errorf("can't parse multipart body: %w", err)
			}
			if name := part.FileName(); name != "" {
				params[part.FormName()] = fmt.Sprintf("<file %s, %d bytes>", name, len(data))
			} else {
				params[part.FormName()] = string(data)
			}
		}
	case "application/json":
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil {
			return params, fmt.Errorf("can't parse JSON object: %w", err)
		}
		for k, raw := range fields {
			raw = bytes.TrimSpace(raw)
			switch {
			case string(raw) == "null":
			case len(raw) > 0 && raw[0] == '"':
				var v string
				if err := json.Unmarshal(raw, &v); err != nil {
					return params, fmt.Errorf("can't parse JSON field %s: %w", k, err)
				}
				params[k] = v
			default:
				params[k] = string(raw)
			}
		}
	case "application/x-www-form-urlencoded", "":
		values, err := url.ParseQuery(string(body))
		if err != nil {
			return params, fmt.Errorf("can't parse form body: %w", err)
		}
		for k, v := range values {
			if len(v) > 0 {
				params[k] = v[0]
			}
		}
	default:
		return params, fmt.Errorf("unsupported Content-Type %q", mediaType)
	}
	return params, nil
}

// chatIDParam is the numeric chat_id of a call, or 0 (absent, or an @username).
func chatIDParam(params map[string]string) int64 {
	id, err := strconv.ParseInt(params["chat_id"], 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// intParam is an integer parameter, or def when absent or malformed.
func intParam(params map[string]string, name string, def int64) int64 {
	v, err := strconv.ParseInt(params[name], 10, 64)
	if err != nil {
		return def
	}
	return v
}

// boolParam is a boolean parameter as the Bot API reads it: "true" or "1".
func boolParam(params map[string]string, name string) bool {
	v := params[name]
	return v == "true" || v == "1" || v == "True"
}
