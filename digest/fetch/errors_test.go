package fetch

import (
	"errors"
	"syscall"
	"testing"
)

func TestKindString(t *testing.T) {
	tests := []struct {
		k    Kind
		want string
	}{
		{Timeout, "timeout"}, {Network, "network"}, {Status, "status"}, {TooLarge, "too_large"},
		{Empty, "empty"}, {Redirects, "redirects"}, {BadURL, "bad_url"}, {Canceled, "canceled"},
		{Encoding, "encoding"}, {0, "unknown"}, {Kind(99), "unknown"}, {Kind(-1), "unknown"},
	}
	for _, tt := range tests {
		if got := tt.k.String(); got != tt.want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(tt.k), got, tt.want)
		}
	}
}

// An Error built by hand, as a fake in another package's test would, still reads well.
func TestErrorWithoutMessage(t *testing.T) {
	cause := syscall.ECONNRESET
	tests := []struct {
		e    *Error
		want string
	}{
		{&Error{Kind: Status, StatusCode: 503}, "HTTP 503 Service Unavailable"},
		{&Error{Kind: Status, StatusCode: 599}, "HTTP 599"},
		{&Error{Kind: Timeout}, "timed out"},
		{&Error{Kind: TooLarge}, "body too large"},
		{&Error{Kind: Empty}, "empty body"},
		{&Error{Kind: Redirects}, "too many redirects"},
		{&Error{Kind: BadURL}, "invalid URL"},
		{&Error{Kind: Canceled}, "canceled"},
		{&Error{Kind: Encoding}, "cannot decode the body"},
		{&Error{Kind: Network}, "network error"},
		{&Error{Kind: Network, Err: cause}, "network error: " + cause.Error()},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%+v.Error() = %q, want %q", *tt.e, got, tt.want)
		}
	}
	if !errors.Is(&Error{Kind: Network, Err: cause}, syscall.ECONNRESET) {
		t.Error("Unwrap does not reach the cause")
	}
}

func TestFormatSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{512, "512 bytes"}, {1 << 10, "1.0 KiB"}, {1536, "1.5 KiB"}, {5 << 20, "5.0 MiB"}, {DefaultMaxBodyBytes, "5.0 MiB"},
	}
	for _, tt := range tests {
		if got := formatSize(tt.n); got != tt.want {
			t.Errorf("formatSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
