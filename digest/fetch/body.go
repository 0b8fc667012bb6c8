package fetch

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// readBody reads at most limit decompressed bytes of resp's body. It returns an *Error for a body
// over the cap and an *encodingError for a Content-Encoding it cannot undo; any other error is a
// read failure for the caller to classify.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	// Rejecting on the declared length saves the download. It is the length on the wire, so a
	// compressed body over the cap is refused too; gzip'd XML that big would not fit anyway.
	if resp.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	r, err := decode(resp)
	if errors.Is(err, io.EOF) {
		return nil, nil // gzip of nothing: a blank body, reported as Empty
	}
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 && !resp.Uncompressed && r == resp.Body {
		buf.Grow(int(resp.ContentLength))
	}
	// One byte past the cap tells "exactly limit" from "more than limit".
	if _, err := buf.ReadFrom(io.LimitReader(r, limit+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > limit {
		return nil, tooLarge(limit)
	}
	return buf.Bytes(), nil
}

// decode undoes a Content-Encoding the transport left in place: a custom transport, or a server
// that compresses unasked. Go's transport removes the header when it decompresses itself, so a
// body is never decoded twice.
func decode(resp *http.Response) (io.Reader, error) {
	var r io.Reader = resp.Body
	codings := strings.Split(resp.Header.Get("Content-Encoding"), ",")
	// Codings are listed in the order applied, so they are undone from the last.
	for i := len(codings) - 1; i >= 0; i-- {
		switch c := strings.ToLower(strings.TrimSpace(codings[i])); c {
		case "", "identity":
		case "gzip", "x-gzip":
			zr, err := gzip.NewReader(r)
			if err != nil {
				return nil, err
			}
			r = zr
		default:
			return nil, &encodingError{msg: "unsupported Content-Encoding " + quote(c)}
		}
	}
	return r, nil
}

func tooLarge(limit int64) *Error {
	return &Error{Kind: TooLarge, msg: "body larger than " + formatSize(limit)}
}

// isBlank reports a body with nothing but whitespace and byte-order marks, which some CMSs (the
// RFE/RL one behind Azattyq) serve with a 200.
func isBlank(b []byte) bool {
	return len(bytes.TrimLeft(b, " \t\r\n\f\v\x00\ufeff")) == 0
}

// formatSize writes a byte count the way people read it: "5.0 MiB", "64.0 KiB", "512 bytes".
func formatSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
