package retrieval_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

// countingEmbedder counts the texts it is asked to embed.
type countingEmbedder struct {
	retrieval.Embedder
	texts atomic.Int64
	fail  bool
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if c.fail {
		return nil, errors.New("embedding server down")
	}
	c.texts.Add(int64(len(texts)))
	return c.Embedder.Embed(ctx, texts)
}

func writeNotice(tb testing.TB, dir, name, text string) {
	tb.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
}

const noticeA = "关于印发甲方案的通知\n一、工作任务\n1．加快特色步行街建设。（牵头单位：市商务局；责任单位：市财政局）\n2．建设夜市。（责任单位：市文化和旅游局）"
const noticeB = "关于印发乙方案的通知\n一、工作任务\n1．建设美术馆。（牵头单位：市文化和旅游局）"

// TestRebuildReusesEmbeddings: a second build embeds nothing; changing one
// notice embeds only that notice's entries.
func TestRebuildReusesEmbeddings(t *testing.T) {
	corpusDir, dataDir := t.TempDir(), t.TempDir()
	writeNotice(t, corpusDir, "a.txt", noticeA)
	writeNotice(t, corpusDir, "b.txt", noticeB)
	emb := &countingEmbedder{Embedder: retrieval.NewHashEmbedder(64)}
	build := func() *retrieval.Index {
		t.Helper()
		c, err := corpus.Load(corpusDir)
		if err != nil {
			t.Fatal(err)
		}
		ix, err := retrieval.Build(context.Background(), c, retrieval.Options{DataDir: dataDir, Embedder: emb})
		if err != nil {
			t.Fatal(err)
		}
		return ix
	}
	first := build()
	if first.Stats.Embedded != first.Stats.Entries || first.Stats.Reused != 0 || len(first.Stats.Added) != 2 {
		t.Fatalf("first build %+v", first.Stats)
	}
	second := build()
	if second.Stats.Embedded != 0 || second.Stats.Reused != second.Stats.Entries || len(second.Stats.Added)+len(second.Stats.Changed) != 0 {
		t.Fatalf("second build %+v", second.Stats)
	}
	writeNotice(t, corpusDir, "b.txt", noticeB+"\n2．建设博物馆。（牵头单位：市文化和旅游局）")
	third := build()
	if third.Stats.Embedded == 0 || third.Stats.Embedded > 3 || len(third.Stats.Changed) != 1 || third.Stats.Changed[0] != "b.txt" {
		t.Fatalf("third build %+v", third.Stats)
	}
	os.Remove(filepath.Join(corpusDir, "a.txt"))
	if fourth := build(); len(fourth.Stats.Removed) != 1 || fourth.Stats.Embedded != 0 {
		t.Fatalf("fourth build %+v", fourth.Stats)
	}
}

// TestEngineReloadSwapsAtomically: a reload swaps in the new corpus; a
// failed reload keeps the old one serving and says why.
func TestEngineReloadSwapsAtomically(t *testing.T) {
	corpusDir := t.TempDir()
	writeNotice(t, corpusDir, "a.txt", noticeA)
	emb := &countingEmbedder{Embedder: retrieval.NewHashEmbedder(64)}
	ctx := context.Background()
	e, err := retrieval.NewEngine(ctx, func(*corpus.Corpus) (*corpus.Corpus, error) { return corpus.Load(corpusDir) },
		retrieval.Options{DataDir: t.TempDir(), Embedder: emb}, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := e.Index()
	if a, _ := e.Answer(ctx, "美术馆建设由谁牵头？"); a.Found {
		t.Fatalf("found before the notice exists: %s", a.Text)
	}
	writeNotice(t, corpusDir, "b.txt", noticeB)
	if _, err := e.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if a, _ := e.Answer(ctx, "美术馆建设由谁牵头？"); !a.Found {
		t.Errorf("not found after reload: %s", a.Text)
	}
	if len(before.Corpus.Notices) != 1 {
		t.Errorf("the old index changed under its readers")
	}

	emb.fail = true
	writeNotice(t, corpusDir, "c.txt", "关于印发丙方案的通知\n一、工作任务\n1．建设科技馆。（牵头单位：市科技局）")
	if _, err := e.Reload(ctx); err == nil {
		t.Fatal("reload with a failing embedder succeeded")
	}
	if a, _ := e.Answer(ctx, "美术馆建设由谁牵头？"); !a.Found {
		t.Errorf("old index lost after a failed reload: %s", a.Text)
	}
}

func BenchmarkBuildSamples(b *testing.B) {
	c, err := corpus.LoadFS(corpus.Samples, ".")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var entries int
	for b.Loop() {
		ix, err := retrieval.Build(context.Background(), c, retrieval.Options{})
		if err != nil {
			b.Fatal(err)
		}
		entries = ix.Stats.Entries
	}
	b.ReportMetric(float64(entries)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}

func BenchmarkAnswer(b *testing.B) {
	ix := sampleIndex(b)
	ans := retrieval.NewAnswerer(ix, nil)
	for _, bc := range []struct{ name, q string }{
		{"hybrid", "哪个单位牵头步行街建设任务？"},
		{"unit", "市商务局牵头哪些任务？"},
		{"deadline", "半年工作小结什么时候报送？"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ans.Answer(context.Background(), bc.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestIncrementalReload: a reload through corpus.Reload and Update keeps
// the unchanged notices (the same objects) and their index parts, parses
// and embeds only the changed one, and answers from the new text.
func TestIncrementalReload(t *testing.T) {
	corpusDir, dataDir := t.TempDir(), t.TempDir()
	// The parse cache is written in the background; under emulation it is
	// still being written when the test ends and its folder is removed.
	writeNotice(t, corpusDir, "a.txt", noticeA)
	writeNotice(t, corpusDir, "b.txt", noticeB)
	emb := &countingEmbedder{Embedder: retrieval.NewHashEmbedder(64)}
	ctx := context.Background()
	load := func(prev *corpus.Corpus) (*corpus.Corpus, error) {
		if prev != nil {
			return prev.Reload()
		}
		return corpus.LoadCached(corpusDir, dataDir)
	}
	e, err := retrieval.NewEngine(ctx, load, retrieval.Options{DataDir: dataDir, Embedder: emb}, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := e.Index()
	writeNotice(t, corpusDir, "b.txt", noticeB+"\n2．建设科技馆。（牵头单位：市科技局）")
	after, err := e.Reload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Corpus.Notices[0] != before.Corpus.Notices[0] {
		t.Error("the unchanged notice was parsed again")
	}
	if after.Corpus.Notices[1] == before.Corpus.Notices[1] || len(after.Corpus.Notices[1].Tasks) != 2 {
		t.Error("the changed notice was not parsed again")
	}
	if after.Stats.Embedded == 0 || after.Stats.Embedded > 3 || len(after.Stats.Changed) != 1 {
		t.Errorf("reload stats %+v", after.Stats)
	}
	for _, q := range []string{"科技馆建设由谁牵头？", "步行街建设由谁牵头？"} {
		if a, _ := e.Answer(ctx, q); !a.Found {
			t.Errorf("%s not found after reload: %s", q, a.Text)
		}
	}
	// The old index still answers from the old corpus.
	if a, _ := retrieval.NewAnswerer(before, nil).Answer(ctx, "美术馆建设由谁牵头？"); !a.Found {
		t.Errorf("old index broken: %s", a.Text)
	}
	// A notice defining a short name makes every notice resolve again.
	writeNotice(t, corpusDir, "c.txt", "关于印发丙方案的通知\n一、工作任务\n1．支持市商务局（以下简称商务局）工作。（牵头单位：商务局）")
	again, err := e.Reload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.Corpus.Notices[0] == after.Corpus.Notices[0] {
		t.Error("notices taken over although a short name changed")
	}
	if got := again.Corpus.Notices[2].Tasks[0].LeadUnits; len(got) != 1 || got[0] != "商务局" {
		t.Errorf("lead %v, want the name as written", got)
	}
	if a, ok := again.UnitAnswer("市商务局", true); !ok || !strings.Contains(a.Text, "丙方案") {
		t.Errorf("short name not resolved for listings: %s", a.Text)
	}
}

// TestEngineStartsFromSnapshot: an engine given the corpus folder writes
// the snapshot, and the next one starts from it without loading the
// corpus; a reload writes it again.
func TestEngineStartsFromSnapshot(t *testing.T) {
	corpusDir, dataDir := t.TempDir(), t.TempDir()
	writeNotice(t, corpusDir, "a.txt", noticeA)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(filepath.Join(corpusDir, "a.txt"), old, old)
	ctx := context.Background()
	opt := retrieval.Options{DataDir: dataDir, CorpusDir: corpusDir}
	loads := 0
	load := func(prev *corpus.Corpus) (*corpus.Corpus, error) {
		loads++
		if prev != nil {
			return prev.Reload()
		}
		return corpus.LoadCached(corpusDir, dataDir)
	}
	if _, err := retrieval.NewEngine(ctx, load, opt, nil); err != nil || loads != 1 {
		t.Fatalf("first start: %d loads, %v", loads, err)
	}
	e, err := retrieval.NewEngine(ctx, load, opt, nil)
	if err != nil || loads != 1 {
		t.Fatalf("second start loaded the corpus (%d loads, %v)", loads, err)
	}
	if a, _ := e.Answer(ctx, "步行街建设由谁牵头？"); !a.Found {
		t.Errorf("not found from the snapshot: %s", a.Text)
	}
	writeNotice(t, corpusDir, "b.txt", noticeB)
	if _, err := e.Reload(ctx); err != nil || loads != 2 {
		t.Fatalf("reload: %d loads, %v", loads, err)
	}
	os.Chtimes(filepath.Join(corpusDir, "b.txt"), old, old)
	e, err = retrieval.NewEngine(ctx, load, opt, nil)
	if err != nil || loads != 2 {
		t.Fatalf("start after reload loaded the corpus (%d loads, %v)", loads, err)
	}
	if a, _ := e.Answer(ctx, "美术馆建设由谁牵头？"); !a.Found {
		t.Errorf("reloaded notice missing from the snapshot: %s", a.Text)
	}
}
