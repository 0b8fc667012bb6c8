package digest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"newsbot/digest/fetch"
	"newsbot/digest/parse"
)

// corpusDir holds real-world feed documents with their quirks (../shared/feeds next to the
// checkout). Tests that use it skip when it is absent.
const corpusDir = "../../shared/feeds"

// TestCorpusThroughPipeline serves every corpus document over HTTP and polls it through the
// whole pipeline: each must yield stored stories or a classified, readable error, never a panic,
// and what is stored must read right.
func TestCorpusThroughPipeline(t *testing.T) {
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("feed corpus not available: %v", err)
	}
	// Bodies that must come out as Cyrillic text: declared, undeclared and detected encodings.
	cyrillic := map[string]bool{
		"mf_encoding_WINDOWS-1251.xml": true,
		"nfp_iconv_windows-1251.xml":   true,
		"mf_koi8r.xml":                 true,
		"fp_koi8r_no_declaration.xml":  true,
	}
	// Documents that must yield stories: undeclared charsets that must be detected, damaged or
	// wrapped feeds that must be salvaged, and the other formats.
	mustStore := map[string]bool{
		"mf_no_encoding_ISO-8859-1.xml": true, "rp_uolNoticias.rss": true, "mf_large_rss.xml": true,
		"mf_large_atom.xml": true, "frs_jsonfeed_elastic_1.1.json": true, "mf_rdf_UTF8.xml": true,
		"frs_rss_1.0_iso8859.xml": true, "fj_InvalidDateFormat.xml": true,
		"fj_DuplicateContentAtomFeed_html_wrapped.xml": true, "mf_urdu_UTF8.xml": true,
	}
	for name := range cyrillic {
		mustStore[name] = true
	}
	// Documents with relative links: every stored story must carry an absolute one.
	relative := map[string]bool{
		"nfp_rss-with-relative-urls.xml": true, "frs_atom_relative.xml": true, "nfp_tpm-with-fragment-base.atom": true,
	}
	// Documents that are beyond repair and must fail as malformed, with a line number.
	mustFail := map[string]string{"fp_rss_incomplete_cdata.xml": "malformed", "frs_rss_2.0_invalid_1.xml": "malformed"}
	ctx := context.Background()
	var stored, failed, empty int
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".rss") && !strings.HasSuffix(name, ".atom") && !strings.HasSuffix(name, ".json") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(corpusDir, name))
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/xml") // no charset: the body must speak for itself
				w.Write(body)
			}))
			defer srv.Close()
			src := Source{ID: "corpus", Title: name, URL: srv.URL + "/feeds/" + name}
			r := newRig(t, []Source{src}, fetch.Options{})
			res, err := r.poller.Poll(ctx, src, false)
			if err != nil {
				t.Fatalf("poll could not record its outcome: %v", err)
			}
			if res.Err != nil {
				failed++
				var pe *parse.Error
				if !errors.As(res.Err, &pe) {
					t.Fatalf("unclassified failure: %v", res.Err)
				}
				state, _ := r.store.SourceState(ctx, "corpus")
				if state.LastError == "" || state.LastErrorKind == "" || state.LastErrorKind == "internal" {
					t.Fatalf("failure not recorded for people: %+v", state)
				}
				if mustStore[name] {
					t.Fatalf("must yield stories, failed: %v", res.Err)
				}
				if want, ok := mustFail[name]; ok && (state.LastErrorKind != want || !strings.Contains(state.LastError, "line")) {
					t.Fatalf("recorded %q (%s), want a %s error naming its line", state.LastError, state.LastErrorKind, want)
				}
				return
			}
			if _, ok := mustFail[name]; ok {
				t.Fatalf("a document beyond repair yielded %d stories", len(res.New))
			}
			if res.Items == 0 {
				if mustStore[name] {
					t.Fatal("must yield stories, yielded no items")
				}
				empty++ // a well-formed feed with a channel and no items
				return
			}
			if len(res.New) == 0 {
				t.Fatalf("%d items, no stories and no error", res.Items)
			}
			stored += len(res.New)
			var cyr int
			for _, st := range res.New {
				if st.Title == "" {
					t.Errorf("story %s has no title", st.Key)
				}
				if (st.Link != "" || relative[name]) && !strings.HasPrefix(st.Link, "http://") && !strings.HasPrefix(st.Link, "https://") {
					t.Errorf("link %q is not absolute", st.Link)
				}
				text := st.Title + " " + st.Summary
				for _, bad := range []string{"&#", "&amp;", "&lt;", "&quot;", "Ã", "Ð", "\ufffd", "<p>", "<br"} {
					if strings.Contains(text, bad) {
						t.Errorf("story text carries %q: %q", bad, text)
					}
				}
				if len([]rune(st.Summary)) > SummaryMax {
					t.Errorf("summary of %d characters", len([]rune(st.Summary)))
				}
				for _, r := range text {
					if unicode.Is(unicode.Cyrillic, r) {
						cyr++
					}
				}
				if !st.Backlog {
					t.Errorf("a first poll stored %q as news, want backlog", st.Title)
				}
			}
			if cyrillic[name] && cyr < 20 {
				t.Errorf("only %d Cyrillic letters in the stories of a Russian feed", cyr)
			}
		})
	}
	t.Logf("%d stories stored; %d documents refused with a classified error; %d valid feeds without items", stored, failed, empty)
}
