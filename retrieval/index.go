package retrieval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/philippgille/chromem-go"

	"github.com/assignbot/assignbot/corpus"
)

// Index is the searchable form of a corpus: chromem-go for vectors, BM25
// for keywords, and a unit table for complete structured lookups. An Index
// is immutable once built; a reload builds a new one, sharing the parts of
// unchanged notices, and swaps it in.
type Index struct {
	Corpus   *corpus.Corpus
	Entries  []*Entry
	Stats    BuildStats
	coll     *chromem.Collection
	embedder Embedder
	cache    *embedCache
	segs     []*segment
	base     []int // index in Entries of each segment's first entry
	avgLen   float64
	pool     sync.Pool // *accum, one slot per entry
	byID     map[string]int
	units    map[string][]UnitTask // canonical unit → its tasks

	namesOnce sync.Once
	names     map[string]string // every unit name → canonical
}

// segment is one notice's part of the index: its entries with their
// vectors and keyword postings. Segments are immutable and shared by the
// indexes that hold the same notice.
type segment struct {
	notice  *corpus.Notice
	entries []*Entry
	vecs    [][]float32
	kw      postings
	// ctx holds the sorted distinct terms of the notice's context (title,
	// plan title, subject), which every entry is searched with: indexed
	// once for the segment instead of once per entry.
	ctx []uint64
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
	return Update(ctx, nil, c, opt)
}

// Update indexes c, taking from prev (which may be nil) the segments of
// every notice c shares with it — the same *corpus.Notice, as
// corpus.LoadCached hands back for unchanged files — and prev's vector
// store, which it updates in place: only changed notices are indexed and
// embedded again. Nothing is changed before every vector is at hand, so a
// failed update leaves prev whole. Queries still running on prev may miss
// the vector hits of the notices that changed while the store is updated.
func Update(ctx context.Context, prev *Index, c *corpus.Corpus, opt Options) (*Index, error) {
	start := time.Now()
	// A build allocates in a burst and keeps most of it: collecting less
	// often while it runs saves much of the time at 100k tasks.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	if opt.Embedder == nil {
		opt.Embedder = NewHashEmbedder(DefaultDim)
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 64
	}
	if prev != nil && (prev.embedder.Model() != opt.Embedder.Model() || prev.cache == nil || prev.cache.dir != opt.DataDir) {
		prev = nil // another embedding space or data folder: start afresh
	}
	ix := &Index{Corpus: c, embedder: opt.Embedder, byID: map[string]int{}, units: map[string][]UnitTask{}}
	reuse := map[*corpus.Notice]*segment{}
	if prev != nil {
		for _, s := range prev.segs {
			reuse[s.notice] = s
		}
		ix.cache = prev.cache
	} else {
		ix.cache = openCache(opt.DataDir, opt.Embedder.Model())
	}
	var fresh []*segment
	kept := map[*segment]bool{}
	for _, n := range c.Notices {
		if s, ok := reuse[n]; ok {
			ix.segs = append(ix.segs, s)
			kept[s] = true
			continue
		}
		s := &segment{notice: n, entries: entries(n)}
		ix.segs = append(ix.segs, s)
		fresh = append(fresh, s)
	}
	parallel(len(fresh), func(i int) {
		s := fresh[i]
		ctxNorm := corpus.Normalize(noticeContext(s.notice))
		ctx := terms(nil, ctxNorm)
		docs := make([][]uint64, len(s.entries))
		for j, e := range s.entries {
			e.ownNorm, e.ctxNorm = corpus.Normalize(e.own), ctxNorm
			docs[j] = terms(nil, e.ownNorm)
		}
		s.kw = buildPostings(docs, len(ctx))
		slices.Sort(ctx)
		s.ctx = slices.Compact(ctx)
	})
	for _, s := range ix.segs {
		ix.Stats.Entries += len(s.entries)
	}
	ix.Stats = BuildStats{Notices: len(c.Notices), Tasks: len(c.Tasks()), Entries: ix.Stats.Entries, Model: opt.Embedder.Model()}
	if err := ix.embedSegments(ctx, opt, fresh, prev == nil); err != nil {
		return nil, err
	}

	total := 0.0
	for _, s := range ix.segs {
		ix.base = append(ix.base, len(ix.Entries))
		for _, e := range s.entries {
			ix.byID[e.ID] = len(ix.Entries)
			ix.Entries = append(ix.Entries, e)
			ix.indexUnits(e)
		}
		total += s.kw.total
	}
	if len(ix.Entries) > 0 {
		ix.avgLen = total / float64(len(ix.Entries))
	}
	n := len(ix.Entries)
	ix.pool.New = func() any { return &accum{score: make([]float32, n), cover: make([]float32, n)} }

	var err error
	if prev != nil {
		ix.coll = prev.coll
		var gone []string
		for _, s := range prev.segs {
			if !kept[s] {
				for _, e := range s.entries {
					gone = append(gone, e.ID)
				}
			}
		}
		if len(gone) > 0 {
			// nil filters: an empty where map would delete everything.
			if err := ix.coll.Delete(ctx, nil, nil, gone...); err != nil {
				return nil, fmt.Errorf("vector store: %w", err)
			}
		}
	} else {
		db := chromem.NewDB()
		// Queries are embedded by us (QueryEmbedding); the collection's own
		// function is never asked, and says so if it is.
		noEmbed := func(context.Context, string) ([]float32, error) {
			return nil, errors.New("retrieval: collection embeds nothing itself")
		}
		if ix.coll, err = db.CreateCollection("entries", nil, noEmbed); err != nil {
			return nil, err
		}
	}
	var docs []chromem.Document
	for _, s := range fresh {
		for j, e := range s.entries {
			docs = append(docs, chromem.Document{ID: e.ID, Embedding: s.vecs[j], Content: e.Text,
				Metadata: map[string]string{"kind": e.Kind, "doc": e.Notice.Doc, "ref": e.Ref}})
		}
	}
	if len(docs) > 0 {
		if err := ix.coll.AddDocuments(ctx, docs, runtime.NumCPU()); err != nil {
			return nil, fmt.Errorf("add to vector store: %w", err)
		}
	}
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

// embedSegments gives every entry of the fresh segments its vector, from
// the cache or the embedder; the entries of reused segments count as
// reused. With prune, vectors of texts no longer in the corpus are dropped
// from the cache (done on full builds; a reload only appends).
func (ix *Index) embedSegments(ctx context.Context, opt Options, fresh []*segment, prune bool) error {
	cache := ix.cache
	type slot struct{ seg, j int }
	var todo []slot
	for k, s := range fresh {
		s.vecs = make([][]float32, len(s.entries))
		for j, e := range s.entries {
			e.key = cacheKey(e.Search)
			if v, ok := cache.get(e.key); ok {
				s.vecs[j] = v
				continue
			}
			todo = append(todo, slot{k, j})
		}
	}
	ix.Stats.Reused = ix.Stats.Entries - len(todo)
	done := ix.Stats.Reused
	if opt.Progress != nil {
		opt.Progress(done, ix.Stats.Entries)
	}
	if local, ok := opt.Embedder.(*HashEmbedder); ok {
		// The local embedder needs no batching: one vector per entry, on
		// every CPU, from the text already normalized.
		parallel(len(todo), func(i int) {
			t := todo[i]
			fresh[t.seg].vecs[t.j] = local.vector(fresh[t.seg].entries[t.j].norm())
		})
		for _, t := range todo {
			cache.put(fresh[t.seg].entries[t.j].key, fresh[t.seg].vecs[t.j])
		}
		ix.Stats.Embedded = len(todo)
		if opt.Progress != nil {
			opt.Progress(ix.Stats.Entries, ix.Stats.Entries)
		}
		todo = nil
	}
	for start := 0; start < len(todo); start += opt.BatchSize {
		batch := todo[start:min(start+opt.BatchSize, len(todo))]
		texts := make([]string, len(batch))
		for i, t := range batch {
			texts[i] = fresh[t.seg].entries[t.j].Search
		}
		out, err := opt.Embedder.Embed(ctx, texts)
		if err == nil && len(out) != len(batch) {
			err = fmt.Errorf("%d vectors for %d texts", len(out), len(batch))
		}
		if err != nil {
			// Keep what was embedded so far: the next try resumes.
			_ = cache.save()
			return fmt.Errorf("embed: %w", err)
		}
		for i, t := range batch {
			normalize(out[i])
			fresh[t.seg].vecs[t.j] = out[i]
			cache.put(fresh[t.seg].entries[t.j].key, out[i])
		}
		ix.Stats.Embedded += len(batch)
		done += len(batch)
		if opt.Progress != nil {
			opt.Progress(done, ix.Stats.Entries)
		}
	}
	if prune {
		keep := make(map[[16]byte]bool, ix.Stats.Entries)
		for _, s := range ix.segs {
			for _, e := range s.entries {
				keep[e.key] = true
			}
		}
		cache.prune(keep)
	}
	if err := cache.save(); err != nil {
		// The vectors are in memory; only the next start pays for it.
		slog.Warn("embedding cache not saved", "dir", opt.DataDir, "err", err)
	}
	return nil
}

func (ix *Index) indexUnits(e *Entry) {
	if e.Kind != KindTask && e.Kind != KindClause {
		return
	}
	// Tasks carry units as the notice writes them; listings are keyed by
	// the canonical name so that every written form of a unit is found.
	dir := ix.Corpus.Directory
	for _, u := range e.Lead {
		c := dir.Canonical(u)
		ix.units[c] = append(ix.units[c], UnitTask{Entry: e, Lead: true})
	}
	for _, u := range e.Resp {
		c := dir.Canonical(u)
		ix.units[c] = append(ix.units[c], UnitTask{Entry: e})
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
		_ = corpus.WriteFileAtomic(path, b)
	}
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
