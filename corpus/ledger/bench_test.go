package ledger

import (
	"fmt"
	"testing"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/corpus/corpusgen"
)

// BenchmarkWrite writes the whole 台账 of a generated corpus (50 tasks a
// notice) to a counting writer:
//
//	go test -run '^$' -bench Write -benchtime 1x ./corpus/ledger
func BenchmarkWrite(b *testing.B) {
	for _, notices := range []int{200, 2000} {
		b.Run(fmt.Sprintf("tasks=%d", notices*50), func(b *testing.B) {
			dir := b.TempDir()
			if _, err := corpusgen.Write(dir, corpusgen.Options{Notices: notices, Seed: 7}); err != nil {
				b.Fatal(err)
			}
			c, err := corpus.Load(dir)
			if err != nil {
				b.Fatal(err)
			}
			sel, err := Select(c, Filter{})
			if err != nil {
				b.Fatal(err)
			}
			units := 0
			for _, g := range unitEntries(sel) {
				units += len(g)
			}
			var w countingWriter
			b.ReportAllocs()
			for b.Loop() {
				w = 0
				if err := Write(&w, sel); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(sel.Rows))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(len(sel.Rows)), "task-rows")
			b.ReportMetric(float64(units), "unit-rows")
			b.ReportMetric(float64(w), "bytes")
		})
	}
}

type countingWriter int64

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}
