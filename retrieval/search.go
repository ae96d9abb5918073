package retrieval

import (
	"context"
	"log/slog"
	"slices"
	"sort"

	"github.com/philippgille/chromem-go"

	"github.com/assignbot/assignbot/corpus"
)

// Hit is one search result.
type Hit struct {
	Entry    *Entry
	Score    float64 // fused score used for ranking
	Coverage float64 // share of the query's bigrams the entry contains, IDF-weighted
	KeyRank  int     // rank in keyword search, from 1; 0 if absent
	VecRank  int     // rank in vector search, from 1; 0 if absent
}

// Search runs keyword and vector search for query over entries of the
// given kinds (all kinds if none), fuses them by reciprocal rank and
// returns the best k. The score mixes fused rank with coverage, so that an
// entry about everything asked ranks above one that repeats a common word.
func (ix *Index) Search(ctx context.Context, query string, k int, kinds ...string) ([]Hit, error) {
	return ix.SearchIn(ctx, query, k, nil, kinds...)
}

// SearchIn is Search within some notices (their Doc names; none: all), a
// chat's scope: both halves search only those notices' entries.
//
// The vector half is routed: the keyword half runs first, and only the
// vectors of the notices its best entries lie in are compared (see route
// and queryNotices). With the local hashed n-gram embedder a vector is the
// n-grams the keyword index holds, so an entry sharing no term with the
// question cannot rank among the near ones, and routing changes no answer
// (TestRoutingChangesNoAnswer) while an answer costs what the question can
// match instead of the archive's size. A remote embedder's vectors carry
// meaning the keywords lack: its search adds a global pass over every
// vector, bounded by globalPassBudget. Options.ScanAll asks every vector
// instead, the baseline routing is measured against.
func (ix *Index) SearchIn(ctx context.Context, query string, k int, notices []string, kinds ...string) ([]Hit, error) {
	if len(ix.Entries) == 0 || k <= 0 {
		return nil, nil
	}
	allow := ix.newFilter(notices, kinds)
	norm := corpus.Normalize(query)
	toks := terms(nil, norm)
	hits := map[int]*Hit{}
	// The query is embedded (and, without routing, the global pass run)
	// beside the keyword half.
	type vecResult struct {
		qv  []float32
		res []chromem.Result
		err error
	}
	done := make(chan vecResult, 1)
	any := len(toks) > 0
	go func() {
		qv, res, err := ix.vectorPass(ctx, query, allow, any)
		done <- vecResult{qv, res, err}
	}()
	var vecErr error
	waitVec := func(top []scored) []int {
		r := <-done
		if r.err != nil || r.qv == nil {
			vecErr = r.err
			return nil
		}
		res := r.res
		if ix.routes(allow) {
			routed, err := ix.queryNotices(ctx, r.qv, ix.route(top))
			if err != nil {
				vecErr = err
				return nil
			}
			res = mergeResults(mergeResults(nil, res, vectorDepth*2), routed, vectorDepth*2)
		}
		return ix.allowedIDs(res, allow)
	}
	top, vec, vecCover := ix.keyword(toks, allow, keywordDepth, waitVec)
	if vecErr != nil {
		return nil, vecErr
	}
	for r, s := range top {
		hits[s.doc] = &Hit{Entry: ix.Entries[s.doc], KeyRank: r + 1, Coverage: s.cover}
	}
	for r, i := range vec {
		if h, ok := hits[i]; ok {
			h.VecRank = r + 1
		} else {
			hits[i] = &Hit{Entry: ix.Entries[i], VecRank: r + 1, Coverage: vecCover[r]}
		}
	}
	out := make([]Hit, 0, len(hits))
	best := 0.0
	for _, h := range hits {
		if h.KeyRank > 0 {
			h.Score += 1 / float64(rrfK+h.KeyRank)
		}
		if h.VecRank > 0 {
			h.Score += 1 / float64(rrfK+h.VecRank)
		}
		best = max(best, h.Score)
		out = append(out, *h)
	}
	for i := range out {
		out[i].Score = coverageWeight*out[i].Coverage + (1-coverageWeight)*out[i].Score/best
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Entry.ID < out[j].Entry.ID
	})
	if len(out) > k {
		out = out[:k]
	}
	return out, nil
}

// routes reports whether a search's vector half compares the vectors of
// the keyword half's notices only: always, except when every vector is scanned
// (Options.ScanAll) or a chat's scope is searched whole (a remote
// embedder's scope, whose vectors may find what no keyword does).
func (ix *Index) routes(allow *filter) bool {
	switch {
	case ix.scanAll:
		return false
	case ix.local:
		return true
	default:
		return allow == nil || allow.notices == nil
	}
}

// vectorPass embeds the query and runs the part of the vector half that
// needs no keyword result: nothing more when routing alone serves (the
// local embedder), the scope's vectors or every vector without
// routing, and for a remote embedder the global pass, bounded by
// globalPassBudget. A failing query embedder costs the vector half of the
// search, not the answer (qv nil).
func (ix *Index) vectorPass(ctx context.Context, query string, allow *filter, any bool) (qv []float32, res []chromem.Result, err error) {
	if !any {
		return nil, nil, nil
	}
	vs, err := ix.embedder.Embed(ctx, []string{query})
	if err != nil || len(vs) != 1 {
		slog.Warn("query embedding failed; keyword search only", "err", err)
		return nil, nil, nil
	}
	qv = vs[0]
	normalize(qv)
	scope := allow != nil && allow.notices != nil
	switch {
	case ix.local && !ix.scanAll:
		return qv, nil, nil
	case scope && !ix.routes(allow):
		res, err = ix.queryScope(ctx, qv, allow.notices)
		return qv, res, err
	}
	coll, err := ix.collection(ctx)
	if err != nil || coll.Count() == 0 {
		return qv, nil, err
	}
	if !ix.scanAll {
		// chromem-go stops scanning when the context ends and keeps the
		// best of what it saw.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, globalPassBudget)
		defer cancel()
	}
	res, err = coll.QueryEmbedding(ctx, qv, min(vectorDepth*2, coll.Count()), nil, nil)
	ix.scanned.Add(int64(coll.Count()))
	if err != nil && !ix.scanAll && ctx.Err() != nil {
		err = nil // out of time: the routed half still answers
	}
	return qv, res, err
}

// allowedIDs turns vector results, best first, into entry numbers the
// filter allows, at most vectorDepth.
func (ix *Index) allowedIDs(res []chromem.Result, allow *filter) []int {
	var ids []int
	for _, r := range res {
		i, ok := ix.entryNumber(r.ID)
		if !ok || !allow.allows(ix, uint32(i)) {
			continue // an entry of a notice changed since this index was built
		}
		ids = append(ids, i)
		if len(ids) == vectorDepth {
			break
		}
	}
	return ids
}

// route picks the notices whose vectors a question's vector half
// compares: those of the keyword half's best entries (top, best first), in
// that order, at most routeNotices. The keyword half has already kept to
// the filter's kinds and notices.
func (ix *Index) route(top []scored) []int {
	var out []int
	seen := map[uint32]bool{}
	for _, s := range top {
		if c := ix.noticeOf[s.doc]; !seen[c] {
			seen[c] = true
			out = append(out, int(c))
			if len(out) == routeNotices {
				break
			}
		}
	}
	return out
}

// queryNotices compares qv with the vectors of some notices' entries and
// returns the nearest vectorDepth*2 of them, best first (equal
// similarities by ID, as mergeResults orders them).
//
// It reads the vectors the index holds (those chromem-go's documents
// point to) instead of asking a chromem-go collection per notice:
// chromem-go's QueryEmbedding starts a goroutine per document, takes a
// mutex for each and sorts what it kept, which cost more than the
// comparisons themselves; and a question's vector is the hashed n-grams
// of a short text, a few dozen of its dimensions set, so only those are
// multiplied. The sum runs over the dimensions in chromem-go's order and
// a dimension the question lacks adds an exact zero to it, so every
// similarity is chromem-go's to the bit.
func (ix *Index) queryNotices(ctx context.Context, qv []float32, notices []int) ([]chromem.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type dim struct {
		i int
		w float32
	}
	var set []dim
	for i, w := range qv {
		if w != 0 {
			set = append(set, dim{i, w})
		}
	}
	n := vectorDepth * 2
	near := make([]nearVec, 0, n+1)
	scanned := 0
	for _, c := range notices {
		lo, hi := ix.start[c], ix.start[c+1]
		scanned += int(hi - lo)
		for d := lo; d < hi; d++ {
			v := ix.vecs[d]
			if len(v) != len(qv) {
				continue // chromem-go would refuse it too
			}
			var sim float32
			for _, x := range set {
				sim += x.w * v[x.i]
			}
			if len(near) == n && !ix.nearer(nearVec{sim, d}, near[0]) {
				continue
			}
			near = ix.pushNear(near, nearVec{sim, d}, n)
		}
	}
	ix.scanned.Add(int64(scanned))
	// Best first: the heap's worst is at its root.
	out := make([]chromem.Result, len(near))
	for k := len(near) - 1; k >= 0; k-- {
		var w nearVec
		w, near = ix.popNear(near)
		out[k] = chromem.Result{ID: ix.Entries[w.d].ID, Similarity: w.sim}
	}
	return out, nil
}

// nearVec is an entry and its similarity to a question.
type nearVec struct {
	sim float32
	d   uint32
}

// nearer orders vector results: higher similarity, then lower ID.
func (ix *Index) nearer(a, b nearVec) bool {
	if a.sim != b.sim {
		return a.sim > b.sim
	}
	return ix.Entries[a.d].ID < ix.Entries[b.d].ID
}

// pushNear adds v to h, a heap whose root is the worst result, keeping at
// most n.
func (ix *Index) pushNear(h []nearVec, v nearVec, n int) []nearVec {
	if len(h) == n {
		h[0] = v
		ix.siftNear(h, 0)
		return h
	}
	h = append(h, v)
	for j := len(h) - 1; j > 0; {
		p := (j - 1) / 2
		if !ix.nearer(h[p], h[j]) {
			break
		}
		h[p], h[j] = h[j], h[p]
		j = p
	}
	return h
}

// popNear removes the worst result of h.
func (ix *Index) popNear(h []nearVec) (nearVec, []nearVec) {
	w := h[0]
	h[0] = h[len(h)-1]
	h = h[:len(h)-1]
	ix.siftNear(h, 0)
	return w, h
}

func (ix *Index) siftNear(h []nearVec, j int) {
	for {
		l := 2*j + 1
		if l >= len(h) {
			return
		}
		if r := l + 1; r < len(h) && ix.nearer(h[l], h[r]) {
			l = r
		}
		if !ix.nearer(h[j], h[l]) {
			return
		}
		h[j], h[l] = h[l], h[j]
		j = l
	}
}

// mergeResults adds the vector results rs (best first, as chromem-go
// returns them) to top (best first, each entry once, at most n) and
// returns it. Equal similarities are ordered by ID, so that a routed
// search returns what a global one does whichever collection found them.
// A result below the n-th of top ends the pass: what follows it is no
// better.
func mergeResults(top, rs []chromem.Result, n int) []chromem.Result {
	less := func(a, b *chromem.Result) bool {
		if a.Similarity != b.Similarity {
			return a.Similarity > b.Similarity
		}
		return a.ID < b.ID
	}
	for i := range rs {
		r := &rs[i]
		if len(top) == n {
			if r.Similarity < top[n-1].Similarity {
				break
			}
			if !less(r, &top[n-1]) {
				continue
			}
		}
		if slices.ContainsFunc(top, func(t chromem.Result) bool { return t.ID == r.ID }) {
			continue
		}
		at, _ := slices.BinarySearchFunc(top, r, func(t chromem.Result, r *chromem.Result) int {
			if less(&t, r) {
				return -1
			}
			return 1
		})
		top = slices.Insert(top, at, *r)
		if len(top) > n {
			top = top[:n]
		}
	}
	return top
}

// queryScope compares qv with the vectors of the scope's notices: a
// scoped query costs the scope's size, not the corpus'.
func (ix *Index) queryScope(ctx context.Context, qv []float32, scope []bool) ([]chromem.Result, error) {
	var notices []int
	for c, in := range scope {
		if in {
			notices = append(notices, c)
		}
	}
	return ix.queryNotices(ctx, qv, notices)
}

// filter says which entries a search may return: of some kinds, in some
// notices. A nil filter allows every entry.
type filter struct {
	kinds   uint8  // kind bits; 0: every kind
	notices []bool // by notice number; nil: every notice
}

func (ix *Index) newFilter(notices []string, kinds []string) *filter {
	if len(notices) == 0 && len(kinds) == 0 {
		return nil
	}
	f := &filter{}
	for _, k := range kinds {
		f.kinds |= kindBit(k)
	}
	if len(notices) > 0 {
		f.notices = ix.noticeSet(notices)
	}
	return f
}

func (f *filter) allows(ix *Index, d uint32) bool {
	return f == nil || ((f.kinds == 0 || ix.kinds[d]&f.kinds != 0) && (f.notices == nil || f.notices[ix.noticeOf[d]]))
}

// VectorsScanned is how many vectors the searches of this index have
// compared with a question: what routing saves shows here.
func (ix *Index) VectorsScanned() int64 { return ix.scanned.Load() }

// RawVectorQuery embeds query and asks chromem-go for its k nearest
// entries, nothing else: the baseline the hybrid path is measured against.
func (ix *Index) RawVectorQuery(ctx context.Context, query string, k int) (int, error) {
	qv, err := ix.embedder.Embed(ctx, []string{query})
	if err != nil {
		return 0, err
	}
	coll, err := ix.collection(ctx)
	if err != nil {
		return 0, err
	}
	res, err := coll.QueryEmbedding(ctx, qv[0], min(k, coll.Count()), nil, nil)
	return len(res), err
}
