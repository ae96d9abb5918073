package corpus_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/corpus/corpusgen"
)

// BenchmarkScaleLoad loads a generated corpus of 120k tasks (2,000 notices
// of 60, as cmd/gencorpus writes them): parsing every file, and again with
// a warm parse cache. It runs only with -bench:
//
//	go test -run '^$' -bench ScaleLoad -benchtime 3x ./corpus
func BenchmarkScaleLoad(b *testing.B) {
	dir, err := os.MkdirTemp("", "assignbot-gen-load-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	if _, err := corpusgen.Write(dir, corpusgen.Options{Notices: 2000, TasksPerNotice: 60, Seed: 7}); err != nil {
		b.Fatal(err)
	}
	for _, cached := range []bool{false, true} {
		b.Run(fmt.Sprintf("cached=%v", cached), func(b *testing.B) {
			data := b.TempDir()
			if cached {
				if _, err := corpus.LoadCached(dir, data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			var tasks int
			for b.Loop() {
				var c *corpus.Corpus
				var err error
				if cached {
					c, err = corpus.LoadCached(dir, data)
				} else {
					c, err = corpus.Load(dir)
				}
				if err != nil {
					b.Fatal(err)
				}
				tasks = c.Report.Tasks
			}
			b.ReportMetric(float64(tasks)*float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
		})
	}
}
