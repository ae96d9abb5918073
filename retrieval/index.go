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
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/philippgille/chromem-go"

	"github.com/assignbot/assignbot/corpus"
)

// Index is the searchable form of a corpus: chromem-go for vectors, one
// BM25 index for keywords, and a table per unit for complete structured
// listings. An Index is immutable once built; a reload builds a new one,
// sharing the entries and vectors of unchanged notices, and swaps it in.
type Index struct {
	Corpus   *corpus.Corpus
	Entries  []*Entry
	Stats    BuildStats
	embedder Embedder
	local    bool // the embedder is the local hashed n-gram one: vector search is routed alone
	scanAll  bool // Options.ScanAll
	dataDir  string
	notices  []*corpus.Notice
	start    []uint32    // first entry of each notice; one more: len(Entries)
	noticeOf []uint32    // notice number of each entry
	kinds    []uint8     // kind bit of each entry
	vecs     [][]float32 // vector of each entry, the one chromem-go holds too
	kw       keywordBlocks
	byDoc    map[string]int        // notice number by Doc (file name), for entryNumber
	units    map[string]*unitTable // canonical unit → its listing
	summary  []string              // one line per task or clause entry, for listings

	// fileMaps are the read-only file mappings the vectors and keyword
	// arrays lie in (the snapshot's, a build's spill), for Save and Update
	// to let their pages go once read through.
	fileMaps [][]byte
	scanned  atomic.Int64 // vectors compared with questions, for VectorsScanned
	snap     *snapState   // the snapshot on disk, shared with the indexes updated from this one

	collMu sync.Mutex
	coll   *chromem.Collection // every entry: made for a remote embedder's global pass, ScanAll or RawVectorQuery

	namesOnce sync.Once
	names     map[string]string // every unit name → canonical

	noticeNamesOnce sync.Once
	noticeNamesSet  *noticeNames // what tells its notices apart, made by the first question naming a notice
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
	DataDir   string   // where the snapshot, embedding cache and manifest live; "" keeps nothing
	CorpusDir string   // the corpus folder, for an Engine to start from its snapshot; "" builds afresh
	Embedder  Embedder // nil: the local hashed n-gram embedder
	BatchSize int      // texts per embedding request; default 64
	// ScanAll makes every search's vector half scan every vector, as
	// before routing: the baseline routing is measured against.
	ScanAll  bool
	Progress func(done, total int)

	blockNotices int // notices a block of the keyword index holds; tests make it small
}

// DefaultDim is the size of the local embedder's vectors.
const DefaultDim = 256

// Build indexes a corpus. Vectors of unchanged text come from the cache
// under DataDir; only new text is embedded.
func Build(ctx context.Context, c *corpus.Corpus, opt Options) (*Index, error) {
	return Update(ctx, nil, c, opt)
}

// Update indexes c, taking from prev (which may be nil) the entries,
// vectors and keyword postings of every notice c shares with it — the same
// *corpus.Notice, as corpus.(*Corpus).Reload hands back for unchanged
// files — and prev's vector store, which it updates in place: only changed
// notices are read and embedded again. Nothing is changed before every
// vector is at hand, so a failed update leaves prev whole. Queries still
// running on prev may miss the vector hits of the notices that changed
// while the store is updated.
func Update(ctx context.Context, prev *Index, c *corpus.Corpus, opt Options) (*Index, error) {
	began := time.Now()
	if opt.Embedder == nil {
		opt.Embedder = NewHashEmbedder(DefaultDim)
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 64
	}
	if opt.blockNotices <= 0 {
		opt.blockNotices = blockNotices
	}
	if prev != nil && (prev.embedder.Model() != opt.Embedder.Model() || prev.dataDir != opt.DataDir) {
		prev = nil // another embedding space or data folder: start afresh
	}
	ix := &Index{Corpus: c, embedder: opt.Embedder, dataDir: opt.DataDir, notices: c.Notices, snap: &snapState{}}
	if prev != nil && prev.snap != nil {
		ix.snap = prev.snap
	}
	if prev != nil {
		ix.fileMaps = prev.fileMaps[:len(prev.fileMaps):len(prev.fileMaps)] // kept notices' vectors lie where prev's do
	}
	ix.setSearch(opt)
	oldOf := map[*corpus.Notice]int{}
	if prev != nil {
		for o, n := range prev.notices {
			oldOf[n] = o
		}
	}
	src := make([]kwSource, len(c.Notices))
	for i, n := range c.Notices {
		if o, ok := oldOf[n]; ok {
			src[i] = kwSource{old: o}
		} else {
			src[i] = kwSource{old: -1}
		}
	}
	if !keptInOrder(src) {
		// The keyword blocks keep notices in their order; a corpus that
		// reorders them (it lists them by file name) is read afresh.
		prev = nil
		for i := range src {
			src[i] = kwSource{old: -1}
		}
	}
	perNotice := make([][]*Entry, len(c.Notices))
	var fresh []int // notices read now
	for i := range c.Notices {
		if o := src[i].old; o >= 0 {
			perNotice[i] = prev.Entries[prev.start[o]:prev.start[o+1]]
			continue
		}
		fresh = append(fresh, i)
	}
	// Each fresh notice is read on its own: its search texts live only
	// while it is tokenized and embedded, save those a remote embedder
	// still has to see.
	local, _ := opt.Embedder.(*HashEmbedder)
	var cache *embedCache
	switch {
	case local != nil:
		// The local embedder computes a vector faster than the cache
		// could key and read it; the snapshot keeps the vectors for
		// start-up. No cache: at a million tasks it would be 1.3 GB more
		// on disk and in memory.
	case len(fresh) > 0 && prev == nil:
		cache = openCache(opt.DataDir, opt.Embedder.Model())
	case len(fresh) > 0:
		// A reload reads from the cache only the vectors it may need.
		want := map[[16]byte]bool{}
		for _, i := range fresh {
			es, cx, own := entries(c.Notices[i])
			for j := range es {
				want[cacheKey(entryText{ctx: cx, own: own[j]}.search())] = true
			}
		}
		cache = openCacheFor(opt.DataDir, opt.Embedder.Model(), want)
	}
	var spill *vecSpill
	if local != nil && len(fresh) >= spillAfter {
		spill = newVecSpill(opt.DataDir)
	}
	spillAt := make([]int64, len(fresh)) // where a fresh notice's vectors lie in the spill
	var spillErr atomic.Pointer[error]
	nts := make([]noticeTerms, len(fresh))
	vecs := make([][][]float32, len(fresh))
	keys := make([][][16]byte, len(fresh))
	pending := make([][]pendingText, len(fresh))
	var embedded atomic.Int64
	parallel(len(fresh), func(k int) {
		es, cx, own := entries(c.Notices[fresh[k]])
		perNotice[fresh[k]] = es
		ctxNorm := corpus.Normalize(cx)
		norms := make([]string, len(es))
		for j := range es {
			norms[j] = corpus.Normalize(own[j])
		}
		nts[k] = indexNotice(ctxNorm, norms)
		vecs[k], keys[k] = make([][]float32, len(es)), make([][16]byte, len(es))
		if spill != nil {
			// The notice's vectors go to the spill file, side by side.
			block := make([]float32, 0, len(es)*local.Dim)
			for j := range es {
				block = append(block, local.vector(ctxNorm+"\n"+norms[j])...)
			}
			at, err := spill.write(block)
			if err != nil {
				spillErr.CompareAndSwap(nil, &err)
			}
			spillAt[k] = at
			embedded.Add(int64(len(es)))
			return
		}
		for j := range es {
			if local != nil {
				// The local embedder needs no batching: from the text
				// already normalized, on every CPU.
				vecs[k][j] = local.vector(ctxNorm + "\n" + norms[j])
				embedded.Add(1)
				continue
			}
			search := entryText{ctx: cx, own: own[j]}.search()
			keys[k][j] = cacheKey(search)
			if v, ok := cache.get(keys[k][j]); ok {
				vecs[k][j] = v
				continue
			}
			pending[k] = append(pending[k], pendingText{j: j, text: search})
		}
	})
	for k, i := range fresh {
		src[i] = kwSource{fresh: &nts[k]}
	}
	if spill != nil {
		block, err := spill.mapped()
		if p := spillErr.Load(); p != nil && err == nil {
			err = *p
		}
		if err != nil {
			return nil, fmt.Errorf("vectors: %w", err)
		}
		dim := int64(local.Dim)
		for k := range fresh {
			for j := range vecs[k] {
				at := spillAt[k] + int64(j)*dim
				vecs[k][j] = block[at : at+dim : at+dim]
			}
		}
		ix.fileMaps = append(ix.fileMaps, spill.data)
	}
	ix.start = make([]uint32, 0, len(c.Notices)+1)
	for _, es := range perNotice {
		ix.start = append(ix.start, uint32(len(ix.Entries)))
		ix.Entries = append(ix.Entries, es...)
	}
	ix.start = append(ix.start, uint32(len(ix.Entries)))
	ix.Stats = BuildStats{Notices: len(c.Notices), Tasks: len(c.Tasks()), Entries: len(ix.Entries), Model: opt.Embedder.Model()}
	ix.Stats.Embedded = int(embedded.Load())

	// Vectors: kept notices keep theirs, fresh ones were taken from the
	// cache or computed above, or are asked of the embedder now.
	ix.vecs = make([][]float32, len(ix.Entries))
	for i, s := range src {
		if s.fresh == nil {
			copy(ix.vecs[ix.start[i]:ix.start[i+1]], prev.vecs[prev.start[s.old]:prev.start[s.old+1]])
		}
	}
	for k, i := range fresh {
		copy(ix.vecs[ix.start[i]:], vecs[k])
	}
	vecs = nil
	if err := ix.embedPending(ctx, opt, cache, fresh, pending, keys, prev == nil); err != nil {
		return nil, err
	}
	keys, pending = nil, nil

	ix.kw = buildKeyword(prev, src, ix.start, opt.blockNotices)
	ix.derive(prev, src)

	if err := ix.updateCollections(ctx, prev, src, fresh); err != nil {
		return nil, err
	}
	ix.diffManifest(opt.DataDir)
	ix.Stats.Took = time.Since(began)
	return ix, nil
}

// newCollection makes the in-memory chromem-go collection of an index.
// Queries are embedded by us (QueryEmbedding); the collection's own
// function is never asked, and says so if it is.
func newCollection() (*chromem.Collection, error) {
	noEmbed := func(context.Context, string) ([]float32, error) {
		return nil, errors.New("retrieval: collection embeds nothing itself")
	}
	return chromem.NewDB().CreateCollection("entries", nil, noEmbed)
}

// setSearch records how the index searches vectors.
func (ix *Index) setSearch(opt Options) {
	_, ix.local = ix.embedder.(*HashEmbedder)
	ix.scanAll = opt.ScanAll
}

// needsGlobal reports whether searches ask the collection of every entry.
func (ix *Index) needsGlobal() bool { return !ix.local || ix.scanAll }

// collection returns the chromem-go collection of every entry, made the
// first time it is asked for.
func (ix *Index) collection(ctx context.Context) (*chromem.Collection, error) {
	ix.collMu.Lock()
	defer ix.collMu.Unlock()
	if ix.coll != nil {
		return ix.coll, nil
	}
	coll, err := newCollection()
	if err != nil {
		return nil, err
	}
	if err := ix.addVectors(ctx, coll, 0, uint32(len(ix.Entries))); err != nil {
		return nil, err
	}
	ix.coll = coll
	return coll, nil
}

// updateCollections gives a new index prev's chromem-go collection of
// every entry (if it has one), updated in place. Routed searches compare
// the index's own vectors and need no collection (queryNotices). An index
// that searches every vector makes that collection now, not in its first
// question's time.
func (ix *Index) updateCollections(ctx context.Context, prev *Index, src []kwSource, fresh []int) error {
	var global *chromem.Collection
	if prev != nil {
		prev.collMu.Lock()
		global = prev.coll
		prev.collMu.Unlock()
	}
	if global == nil {
		if ix.needsGlobal() {
			_, err := ix.collection(ctx)
			return err
		}
		return nil
	}
	kept := map[int]bool{}
	for _, s := range src {
		if s.fresh == nil {
			kept[s.old] = true
		}
	}
	var gone []string
	for o := range prev.notices {
		if !kept[o] {
			for _, e := range prev.Entries[prev.start[o]:prev.start[o+1]] {
				gone = append(gone, e.ID)
			}
		}
	}
	if len(gone) > 0 {
		// nil filters: an empty where map would delete everything.
		if err := global.Delete(ctx, nil, nil, gone...); err != nil {
			return fmt.Errorf("vector store: %w", err)
		}
	}
	for _, i := range fresh {
		if err := ix.addVectors(ctx, global, ix.start[i], ix.start[i+1]); err != nil {
			return err
		}
	}
	ix.coll = global
	return nil
}

// addVectors adds the vectors of entries [lo, hi) to coll, one document
// after the other: chromem-go's AddDocuments starts a goroutine for each.
// A document is an ID and the vector, which chromem-go keeps as it is
// (the vector is normalized already): no copy of the text, no metadata.
func (ix *Index) addVectors(ctx context.Context, coll *chromem.Collection, lo, hi uint32) error {
	for d := lo; d < hi; d++ {
		if err := coll.AddDocument(ctx, chromem.Document{ID: ix.Entries[d].ID, Embedding: ix.vecs[d]}); err != nil {
			return fmt.Errorf("add to vector store: %w", err)
		}
	}
	return nil
}

// derive computes what an index derives from its entries: notices by
// name, kinds, notices of entries, listing lines and unit tables.
// Listing lines of kept notices are taken from prev.
func (ix *Index) derive(prev *Index, src []kwSource) {
	n := len(ix.Entries)
	ix.setByDoc()
	ix.kinds = make([]uint8, n)
	ix.noticeOf = make([]uint32, n)
	ix.summary = make([]string, n)
	parallel(len(ix.notices), func(i int) {
		lo, hi := ix.start[i], ix.start[i+1]
		if prev != nil && src[i].fresh == nil {
			copy(ix.summary[lo:hi], prev.summary[prev.start[src[i].old]:])
			return
		}
		for d := lo; d < hi; d++ {
			if e := ix.Entries[d]; e.Kind == KindTask || e.Kind == KindClause {
				ix.summary[d] = clip(taskSummary(e), 40)
			}
		}
	})
	for i := range ix.notices {
		for d := ix.start[i]; d < ix.start[i+1]; d++ {
			e := ix.Entries[d]
			ix.kinds[d] = kindBit(e.Kind)
			ix.noticeOf[d] = uint32(i)
		}
	}
	if prev != nil {
		ix.updateUnits(prev, src)
	} else {
		ix.buildUnits()
	}
	// The tables questions are read against, now rather than in the first
	// question's time.
	unitNames(ix)
	ix.noticeNames()
}

// setByDoc indexes the notices by Doc.
func (ix *Index) setByDoc() {
	ix.byDoc = make(map[string]int, len(ix.notices))
	for i, n := range ix.notices {
		ix.byDoc[n.Doc] = i
	}
}

// entryNumber finds an entry by its ID. An ID starts with its notice's
// Doc and '#', so the notice is found by name and the entry among its
// own: no table of every entry's ID (at a million tasks, a map of 1.3
// million strings to build at every start and reload).
func (ix *Index) entryNumber(id string) (int, bool) {
	for i := 0; i < len(id); i++ {
		if id[i] != '#' {
			continue
		}
		if c, ok := ix.byDoc[id[:i]]; ok {
			for d := ix.start[c]; d < ix.start[c+1]; d++ {
				if ix.Entries[d].ID == id {
					return int(d), true
				}
			}
		}
	}
	return 0, false
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

// pendingText is the search text of entry j of a fresh notice that
// neither the cache nor the local embedder gave a vector.
type pendingText struct {
	j    int
	text string
}

// embedPending asks the embedder for the vectors of the pending texts of
// the fresh notices, in batches, and saves the embedding cache. With prune
// (full builds), vectors of texts no longer in the corpus (keys holds
// those that are) are dropped from the cache; a reload only appends.
func (ix *Index) embedPending(ctx context.Context, opt Options, cache *embedCache, fresh []int, pending [][]pendingText, keys [][][16]byte, prune bool) error {
	total := ix.Stats.Entries
	type slot struct{ k, x int }
	var todo []slot
	for k := range pending {
		for x := range pending[k] {
			todo = append(todo, slot{k, x})
		}
	}
	ix.Stats.Reused = total - ix.Stats.Embedded - len(todo)
	done := ix.Stats.Reused + ix.Stats.Embedded
	if opt.Progress != nil {
		opt.Progress(done, total)
	}
	if cache == nil {
		return nil
	}
	for from := 0; from < len(todo); from += opt.BatchSize {
		batch := todo[from:min(from+opt.BatchSize, len(todo))]
		in := make([]string, len(batch))
		for x, t := range batch {
			in[x] = pending[t.k][t.x].text
		}
		out, err := opt.Embedder.Embed(ctx, in)
		if err == nil && len(out) != len(batch) {
			err = fmt.Errorf("%d vectors for %d texts", len(out), len(batch))
		}
		if err != nil {
			// Keep what was embedded so far: the next try resumes.
			_ = cache.save()
			return fmt.Errorf("embed: %w", err)
		}
		for x, t := range batch {
			normalize(out[x])
			j := pending[t.k][t.x].j
			ix.vecs[int(ix.start[fresh[t.k]])+j] = out[x]
			cache.put(keys[t.k][j], out[x])
		}
		ix.Stats.Embedded += len(batch)
		done += len(batch)
		if opt.Progress != nil {
			opt.Progress(done, total)
		}
	}
	if prune {
		keep := make(map[[16]byte]bool, total)
		for _, ks := range keys {
			for _, key := range ks {
				keep[key] = true
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
