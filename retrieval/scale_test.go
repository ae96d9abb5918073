package retrieval_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/corpus/corpusgen"
	"github.com/assignbot/assignbot/retrieval"
)

// Scale benchmarks over generated corpora of 1k, 10k and 100k tasks
// (50 tasks a notice). Run:
//
//	go test -run '^$' -bench Scale -benchtime 1x -timeout 30m ./retrieval
var scaleSizes = []struct {
	name    string
	notices int
}{{"1k", 20}, {"10k", 200}, {"100k", 2000}}

var (
	genMu   sync.Mutex
	genDirs = map[int]string{}
)

// generated returns a folder holding a generated corpus of n notices,
// written once per test binary run.
func generated(b *testing.B, n int) string {
	b.Helper()
	genMu.Lock()
	defer genMu.Unlock()
	if dir, ok := genDirs[n]; ok {
		return dir
	}
	dir, err := os.MkdirTemp("", fmt.Sprintf("assignbot-gen-%d-", n))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := corpusgen.Write(dir, corpusgen.Options{Notices: n, Seed: 7}); err != nil {
		b.Fatal(err)
	}
	genDirs[n] = dir
	return dir
}

func BenchmarkScaleLoad(b *testing.B) {
	for _, sz := range scaleSizes {
		b.Run(sz.name, func(b *testing.B) {
			dir := generated(b, sz.notices)
			b.ReportAllocs()
			var tasks int
			for b.Loop() {
				c, err := corpus.Load(dir)
				if err != nil {
					b.Fatal(err)
				}
				tasks = c.Report.Tasks
			}
			b.ReportMetric(float64(tasks)*float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
		})
	}
}

func BenchmarkScaleBuild(b *testing.B) {
	for _, sz := range scaleSizes {
		b.Run(sz.name, func(b *testing.B) {
			c, err := corpus.Load(generated(b, sz.notices))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var ix *retrieval.Index
			for b.Loop() {
				if ix, err = retrieval.Build(context.Background(), c, retrieval.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(ix.Stats.Tasks)*float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
			runtime.GC()
			var mem runtime.MemStats
			runtime.ReadMemStats(&mem)
			b.ReportMetric(float64(mem.HeapInuse)/(1<<20), "heap-MB")
			runtime.KeepAlive(ix)
			runtime.KeepAlive(c)
		})
	}
}

// BenchmarkScaleQuery measures p95 latency of the hybrid path, the
// structured unit lookup and chromem-go's raw QueryEmbedding on the same
// index and vectors, and their ratio.
func BenchmarkScaleQuery(b *testing.B) {
	questions := []string{"哪个单位牵头步行街建设任务？", "老字号自主品牌建设由谁牵头？", "食品安全工作由哪个单位牵头？",
		"数字人民币试点由谁负责？", "工业互联网标识解析节点体系建设的责任单位有哪些？", "夜间经济由谁牵头？",
		"哪个单位负责火星探测任务？", "琴臺美術館建設由誰牽頭？"}
	units := []string{"市商务局", "市经信局", "东湖高新区管委会", "市城管执法委", "市科技局", "市体育局"}
	for _, sz := range scaleSizes {
		b.Run(sz.name, func(b *testing.B) {
			c, err := corpus.Load(generated(b, sz.notices))
			if err != nil {
				b.Fatal(err)
			}
			ix, err := retrieval.Build(context.Background(), c, retrieval.Options{})
			if err != nil {
				b.Fatal(err)
			}
			ans := retrieval.NewAnswerer(ix, nil)
			ctx := context.Background()
			var hybrid, unit, raw []time.Duration
			for b.Loop() {
				for _, q := range questions {
					t0 := time.Now()
					if _, err := ans.Answer(ctx, q); err != nil {
						b.Fatal(err)
					}
					hybrid = append(hybrid, time.Since(t0))
					t0 = time.Now()
					if _, err := ix.RawVectorQuery(ctx, q, 50); err != nil {
						b.Fatal(err)
					}
					raw = append(raw, time.Since(t0))
				}
				for _, u := range units {
					t0 := time.Now()
					ix.UnitTasks(mustResolve(b, ix, u))
					unit = append(unit, time.Since(t0))
				}
			}
			ph, pu, pr := p95(hybrid), p95(unit), p95(raw)
			b.ReportMetric(ms(ph), "hybrid-p95-ms")
			b.ReportMetric(ms(pu), "unit-p95-ms")
			b.ReportMetric(ms(pr), "chromem-p95-ms")
			b.ReportMetric(float64(ph)/float64(pr), "hybrid/chromem")
		})
	}
}

// BenchmarkScaleStartupAndReload: start-up with a persisted index (parse
// and embedding caches under DATA_DIR) and a reload after one of 2,000
// notices changed.
func BenchmarkScaleStartupAndReload(b *testing.B) {
	src := generated(b, 2000)
	dir := b.TempDir()
	entries, _ := os.ReadDir(src)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(src, e.Name()))
		os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644)
	}
	data := b.TempDir()
	startup := func() *retrieval.Index {
		c, err := corpus.LoadCached(dir, data)
		if err != nil {
			b.Fatal(err)
		}
		ix, err := retrieval.Build(context.Background(), c, retrieval.Options{DataDir: data})
		if err != nil {
			b.Fatal(err)
		}
		return ix
	}
	startup() // the first start fills the caches
	for b.Loop() {
		runtime.GC()
		t0 := time.Now()
		ix := startup()
		took := time.Since(t0)
		if ix.Stats.Embedded != 0 {
			b.Fatalf("start-up embedded %d entries", ix.Stats.Embedded)
		}
		// Change one task of one notice and reload incrementally.
		name := filepath.Join(dir, "gen_01000.txt")
		old, _ := os.ReadFile(name)
		os.WriteFile(name, bytes.Replace(old, []byte("1．"), []byte("1．新增措施。"), 1), 0o644)
		t0 = time.Now()
		c, err := ix.Corpus.Reload()
		if err != nil {
			b.Fatal(err)
		}
		next, err := retrieval.Update(context.Background(), ix, c, retrieval.Options{DataDir: data})
		if err != nil {
			b.Fatal(err)
		}
		reload := time.Since(t0)
		os.WriteFile(name, old, 0o644)
		b.Logf("start-up %s, reload %s (%d embedded)", took.Round(time.Millisecond), reload.Round(time.Millisecond), next.Stats.Embedded)
		b.ReportMetric(ms(took), "startup-ms")
		b.ReportMetric(ms(reload), "reload-ms")
		b.ReportMetric(float64(next.Stats.Embedded), "reload-embedded")
		b.ReportMetric(float64(next.Stats.Entries), "entries")
	}
}

func mustResolve(b *testing.B, ix *retrieval.Index, name string) string {
	canon, ok := ix.ResolveUnit(name)
	if !ok {
		b.Fatalf("unit %s unknown", name)
	}
	return canon
}

func p95(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)*95)/100]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
