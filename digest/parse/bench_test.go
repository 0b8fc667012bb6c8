package parse

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// BenchmarkParse compares the whole pipeline with bare gofeed on the same
// bytes; the project target is at most twice gofeed's time.
func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"mf_large_rss.xml", "mf_large_atom.xml", "mf_encoding_WINDOWS-1251.xml"} {
		body, err := os.ReadFile(filepath.Join(corpusDir, name))
		if err != nil {
			b.Skipf("corpus not available: %v", err)
		}
		b.Run(name+"/gofeed", func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := gofeed.NewParser().Parse(bytes.NewReader(body)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/parse", func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			opts := Options{Location: time.UTC}
			for b.Loop() {
				if _, err := Parse(body, "application/rss+xml", "https://dustri.org/b/feed.xml", opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPlainText measures the cleaning of a typical WordPress excerpt.
func BenchmarkPlainText(b *testing.B) {
	const excerpt = `<p>Власти Алматы объявили о продлении линии метро до микрорайона Калкаман. Строительство четырёх новых станций начнётся весной, сообщает пресс-служба акимата.&nbsp;Проект оценивается в 120 млрд тенге [&hellip;]</p><p>The post <a href="https://orda.kz/x">Метро в Алматы продлят</a> appeared first on <a href="https://orda.kz">Orda.kz</a>.</p>`
	const title = "«Казатомпром» увеличил добычу урана на 15%"
	b.ReportAllocs()
	for b.Loop() {
		PlainText(excerpt)
		PlainText(title)
	}
}
