package fetch

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFetchTimeout(t *testing.T) {
	const timeout = 200 * time.Millisecond
	tests := []struct {
		name    string
		handler func(done <-chan struct{}) http.HandlerFunc
		wantMsg string
	}{
		{
			name: "server never answers",
			handler: func(done <-chan struct{}) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					select {
					case <-r.Context().Done():
					case <-done:
					}
				}
			},
			wantMsg: "timed out after 200ms",
		},
		{
			name: "headers arrive, the body stalls",
			handler: func(done <-chan struct{}) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/rss+xml")
					_, _ = w.Write([]byte(rssDoc[:120]))
					w.(http.Flusher).Flush()
					select {
					case <-r.Context().Done():
					case <-done:
					}
				}
			},
			wantMsg: "timed out after 200ms while reading the body",
		},
		{
			name: "body trickles in slower than the timeout allows",
			handler: func(done <-chan struct{}) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					tick := time.NewTicker(20 * time.Millisecond)
					defer tick.Stop()
					for {
						if _, err := w.Write([]byte("<!-- Kazatomprom -->\n")); err != nil {
							return
						}
						w.(http.Flusher).Flush()
						select {
						case <-r.Context().Done():
							return
						case <-done:
							return
						case <-tick.C:
						}
					}
				}
			},
			wantMsg: "timed out after 200ms while reading the body",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan struct{})
			srv := newServer(t, tt.handler(done))
			closeOnCleanup(t, done)
			c := newClient(t, Options{Timeout: timeout})

			start := time.Now()
			_, err := c.Fetch(context.Background(), Request{URL: srv.URL + "/feed/"})
			elapsed := time.Since(start)

			fe := asError(t, err, Timeout)
			if fe.Error() != tt.wantMsg {
				t.Errorf("Error() = %q, want %q", fe.Error(), tt.wantMsg)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("errors.Is(err, context.DeadlineExceeded) = false for %v", fe.Err)
			}
			if elapsed < timeout || elapsed > 800*time.Millisecond {
				t.Errorf("Fetch took %v, want about %v", elapsed, timeout)
			}
		})
	}
}

func TestFetchCallerDeadline(t *testing.T) {
	done := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	})
	closeOnCleanup(t, done)
	c := newClient(t, Options{Timeout: 10 * time.Second})

	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Fetch(ctx, Request{URL: srv.URL})
	fe := asError(t, err, Timeout)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("errors.Is(err, context.DeadlineExceeded) = false for %v", fe.Err)
	}
	if time.Since(start) > 800*time.Millisecond {
		t.Errorf("Fetch took %v, want it to stop at the caller's deadline", time.Since(start))
	}
	// The message states the time actually spent, not the unrelated 10s option.
	if msg := fe.Error(); !strings.HasPrefix(msg, "timed out after ") || strings.Contains(msg, "10s") {
		t.Errorf("Error() = %q, want \"timed out after <time spent>\"", msg)
	}
}
