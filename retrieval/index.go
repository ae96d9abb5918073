package retrieval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"github.com/philippgille/chromem-go"

	"github.com/assignbot/assignbot/corpus"
)

// Index is the searchable form of a corpus: chromem-go for vectors, BM25
// for keywords, and a unit table for complete structured lookups. An Index
// is immutable once built; a reload builds a new one and swaps it in.
type Index struct {
	Corpus   *corpus.Corpus
	Entries  []*Entry
	Stats    BuildStats
	coll     *chromem.Collection
	kw       *bm25
	embedder Embedder
	byID     map[string]int
	units    map[string][]UnitTask // canonical unit → its tasks

	namesOnce sync.Once
	names     map[string]string // every unit name → canonical
}

// UnitTask is one task (or clause) a unit takes part in, with its role.
type UnitTask struct {
	Entry *Entry
	Lead  bool // the unit leads; else it is responsible
}

// BuildStats says what a build did.
type BuildStats struct {
	Notices  int           `json:"notices"`
	Tasks    int           `json:"tasks"`
	Entries  int           `json:"entries"`
	Embedded int           `json:"embedded"` // vectors computed now
	Reused   int           `json:"reused"`   // vectors taken from the cache
	Added    []string      `json:"added"`
	Changed  []string      `json:"changed"`
	Removed  []string      `json:"removed"`
	Model    string        `json:"model"`
	Took     time.Duration `json:"took_ns"`
}

// Options configure a build.
type Options struct {
	DataDir   string   // where the embedding cache and manifest live; "" keeps nothing
	Embedder  Embedder // nil: the local hashed n-gram embedder
	BatchSize int      // texts per embedding request; default 64
	Progress  func(done, total int)
}

// DefaultDim is the size of the local embedder's vectors.
const DefaultDim = 256

// Build indexes a corpus. Vectors of unchanged text come from the cache
// under DataDir; only new text is embedded.
func Build(ctx context.Context, c *corpus.Corpus, opt Options) (*Index, error) {
	start := time.Now()
	// A build allocates in a burst and keeps most of it: collecting less
	// often while it runs saves a third of the time at 100k tasks.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	if opt.Embedder == nil {
		opt.Embedder = NewHashEmbedder(DefaultDim)
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 64
	}
	ix := &Index{Corpus: c, embedder: opt.Embedder, byID: map[string]int{}, units: map[string][]UnitTask{}}
	for _, n := range c.Notices {
		ix.Entries = append(ix.Entries, entries(n)...)
	}
	parallel(len(ix.Entries), func(i int) { ix.Entries[i].norm = corpus.Normalize(ix.Entries[i].Search) })
	ix.Stats = BuildStats{Notices: len(c.Notices), Tasks: len(c.Tasks()), Entries: len(ix.Entries), Model: opt.Embedder.Model()}

	vecs, err := ix.embedAll(ctx, opt)
	if err != nil {
		return nil, err
	}

	db := chromem.NewDB()
	// Queries are embedded by us (QueryEmbedding); the collection's own
	// function is never asked, and says so if it is.
	noEmbed := func(context.Context, string) ([]float32, error) {
		return nil, errors.New("retrieval: collection embeds nothing itself")
	}
	ix.coll, err = db.CreateCollection("entries", nil, noEmbed)
	if err != nil {
		return nil, err
	}
	docs := make([]chromem.Document, len(ix.Entries))
	for i, e := range ix.Entries {
		ix.byID[e.ID] = i
		docs[i] = chromem.Document{ID: e.ID, Embedding: vecs[i], Content: e.Text,
			Metadata: map[string]string{"kind": e.Kind, "doc": e.Notice.Doc, "ref": e.Ref}}
		ix.indexUnits(e)
	}
	toks := make([][]uint64, len(ix.Entries))
	parallel(len(ix.Entries), func(i int) { toks[i] = terms(nil, ix.Entries[i].norm) })
	if len(docs) > 0 {
		if err := ix.coll.AddDocuments(ctx, docs, runtime.NumCPU()); err != nil {
			return nil, fmt.Errorf("add to vector store: %w", err)
		}
	}
	ix.kw = newBM25(toks)
	ix.diffManifest(opt.DataDir)
	ix.Stats.Took = time.Since(start)
	return ix, nil
}

// parallel runs f(0…n-1) on every CPU.
func parallel(n int, f func(i int)) {
	workers := min(runtime.NumCPU(), n)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += workers {
				f(i)
			}
		}(w)
	}
	wg.Wait()
}

// embedAll returns one vector per entry, from the cache or the embedder.
func (ix *Index) embedAll(ctx context.Context, opt Options) ([][]float32, error) {
	cache := openCache(opt.DataDir, opt.Embedder.Model())
	vecs := make([][]float32, len(ix.Entries))
	keep := make(map[[16]byte]bool, len(ix.Entries))
	var todo []int
	for i, e := range ix.Entries {
		keep[cacheKey(e.Search)] = true
		if v, ok := cache.get(e.Search); ok {
			vecs[i] = v
			ix.Stats.Reused++
			continue
		}
		todo = append(todo, i)
	}
	done := len(ix.Entries) - len(todo)
	if opt.Progress != nil {
		opt.Progress(done, len(ix.Entries))
	}
	if local, ok := opt.Embedder.(*HashEmbedder); ok {
		// The local embedder needs no batching: one vector per entry, on
		// every CPU, from the text already normalized.
		parallel(len(todo), func(j int) { vecs[todo[j]] = local.vector(ix.Entries[todo[j]].norm) })
		for _, i := range todo {
			cache.put(ix.Entries[i].Search, vecs[i])
		}
		ix.Stats.Embedded += len(todo)
		done += len(todo)
		if opt.Progress != nil {
			opt.Progress(done, len(ix.Entries))
		}
		todo = nil
	}
	for start := 0; start < len(todo); start += opt.BatchSize {
		batch := todo[start:min(start+opt.BatchSize, len(todo))]
		texts := make([]string, len(batch))
		for j, i := range batch {
			texts[j] = ix.Entries[i].Search
		}
		out, err := opt.Embedder.Embed(ctx, texts)
		if err != nil {
			// Keep what was embedded so far: the next try resumes.
			_ = cache.save()
			return nil, fmt.Errorf("embed: %w", err)
		}
		if len(out) != len(batch) {
			return nil, fmt.Errorf("embed: %d vectors for %d texts", len(out), len(batch))
		}
		for j, i := range batch {
			normalize(out[j])
			vecs[i] = out[j]
			cache.put(texts[j], out[j])
		}
		ix.Stats.Embedded += len(batch)
		done += len(batch)
		if opt.Progress != nil {
			opt.Progress(done, len(ix.Entries))
		}
	}
	cache.prune(keep)
	if err := cache.save(); err != nil {
		return nil, fmt.Errorf("save embedding cache: %w", err)
	}
	return vecs, nil
}

func (ix *Index) indexUnits(e *Entry) {
	if e.Kind != KindTask && e.Kind != KindClause {
		return
	}
	for _, u := range e.Lead {
		ix.units[u] = append(ix.units[u], UnitTask{Entry: e, Lead: true})
	}
	for _, u := range e.Resp {
		ix.units[u] = append(ix.units[u], UnitTask{Entry: e})
	}
}

// diffManifest compares the corpus with the last build's manifest under
// dataDir (file name → content hash) and records what was added, changed
// and removed; then writes the new manifest.
func (ix *Index) diffManifest(dataDir string) {
	now := map[string]string{}
	for _, f := range ix.Corpus.Report.Files {
		if f.Status == "loaded" {
			now[f.Name] = f.Hash
		}
	}
	if dataDir == "" {
		for name := range now {
			ix.Stats.Added = append(ix.Stats.Added, name)
		}
		sort.Strings(ix.Stats.Added)
		return
	}
	path := filepath.Join(dataDir, "manifest.json")
	before := map[string]string{}
	if b, err := os.ReadFile(path); err == nil {
		_ = json.Unmarshal(b, &before)
	}
	for name, h := range now {
		switch old, ok := before[name]; {
		case !ok:
			ix.Stats.Added = append(ix.Stats.Added, name)
		case old != h:
			ix.Stats.Changed = append(ix.Stats.Changed, name)
		}
	}
	for name := range before {
		if _, ok := now[name]; !ok {
			ix.Stats.Removed = append(ix.Stats.Removed, name)
		}
	}
	sort.Strings(ix.Stats.Added)
	sort.Strings(ix.Stats.Changed)
	sort.Strings(ix.Stats.Removed)
	if b, err := json.MarshalIndent(now, "", "  "); err == nil {
		_ = writeFileAtomic(path, b)
	}
}

func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// UnitTasks returns every task and clause the canonical unit takes part in,
// in corpus order, leads first within a task. It is never cut to a top-k.
func (ix *Index) UnitTasks(canon string) []UnitTask {
	return ix.units[canon]
}

// Units returns every canonical unit that has tasks.
func (ix *Index) Units() []string {
	out := make([]string, 0, len(ix.units))
	for u := range ix.units {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}
