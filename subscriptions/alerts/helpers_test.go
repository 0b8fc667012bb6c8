package alerts

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// checkHits compares hits, in any order.
func checkHits(t *testing.T, got, want []Hit, format string, args ...any) {
	t.Helper()
	less := func(a, b Hit) bool { return a.AlertID < b.AlertID }
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(less), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("%s: hits differ (-want +got):\n%s", fmt.Sprintf(format, args...), diff)
	}
}

// mustParse parses a query a test relies on.
func mustParse(t testing.TB, s string) *Query {
	t.Helper()
	q, err := Parse(s, Limits{})
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return q
}
