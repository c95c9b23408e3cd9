package format

import (
	"bytes"
	"io"
	"testing"
	"testing/fstest"

	"github.com/stakegraph/stakegraph/graph/gen"
)

// BenchmarkFormats writes the medium synthetic model (10,000 nodes, 41,000 relationships)
// in every format, and reads it back from CSV, reporting the output size.
func BenchmarkFormats(b *testing.B) {
	cfg, _ := gen.Preset("medium", 1)
	doc := gen.Generate(cfg)
	for _, f := range Formats {
		b.Run("write-"+f, func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := Write(&buf, f, doc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len())/1e6, "MB")
		})
	}
	b.Run("read-csv", func(b *testing.B) {
		fsys := fstest.MapFS{}
		bufs := map[string]*bytes.Buffer{}
		if err := WriteCSV(doc, func(name string) (io.Writer, error) { bufs[name] = &bytes.Buffer{}; return bufs[name], nil }); err != nil {
			b.Fatal(err)
		}
		for n, buf := range bufs {
			fsys[n] = &fstest.MapFile{Data: buf.Bytes()}
		}
		for b.Loop() {
			if _, err := ReadCSV(fsys); err != nil {
				b.Fatal(err)
			}
		}
	})
}
