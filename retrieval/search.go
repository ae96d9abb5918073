package retrieval

import (
	"context"
	"log/slog"
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

// rrfK is the constant of reciprocal-rank fusion.
const rrfK = 60

// vectorDepth and keywordDepth are how many results of each half take
// part in fusion.
const (
	vectorDepth  = 50
	keywordDepth = 200
)

// Search runs keyword and vector search for query over entries of the
// given kinds (all kinds if none), fuses them by reciprocal rank and
// returns the best k. The score mixes fused rank with coverage, so that an
// entry about everything asked ranks above one that repeats a common word.
func (ix *Index) Search(ctx context.Context, query string, k int, kinds ...string) ([]Hit, error) {
	return ix.SearchIn(ctx, query, k, nil, kinds...)
}

// SearchIn is Search within some notices (their Doc names; none: all), a
// chat's scope: both halves search only those notices' entries.
func (ix *Index) SearchIn(ctx context.Context, query string, k int, notices []string, kinds ...string) ([]Hit, error) {
	if len(ix.Entries) == 0 || k <= 0 {
		return nil, nil
	}
	allow := ix.newFilter(notices, kinds)
	norm := corpus.Normalize(query)
	toks := terms(nil, norm)
	hits := map[int]*Hit{}
	// The vector half runs beside the keyword half.
	type vecResult struct {
		ids []int
		err error
	}
	done := make(chan vecResult, 1)
	go func() {
		ids, err := ix.vectorSearch(ctx, query, allow, notices, len(toks) > 0)
		done <- vecResult{ids, err}
	}()
	var vecErr error
	waitVec := func() []int {
		r := <-done
		vecErr = r.err
		return r.ids
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
		out[i].Score = 0.5*out[i].Coverage + 0.5*out[i].Score/best
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

// vectorSearch returns the entries nearest the query in the vector store,
// best first, allowed ones only. A failing query embedder costs the vector
// half of the search, not the answer. With a scope, only the collections
// of its notices are asked.
func (ix *Index) vectorSearch(ctx context.Context, query string, allow *filter, notices []string, any bool) ([]int, error) {
	if !any || ix.coll.Count() == 0 {
		return nil, nil
	}
	qv, err := ix.embedder.Embed(ctx, []string{query})
	if err != nil || len(qv) != 1 {
		slog.Warn("query embedding failed; keyword search only", "err", err)
		return nil, nil
	}
	normalize(qv[0])
	var res []chromem.Result
	if allow != nil && allow.notices != nil {
		res, err = ix.queryScope(ctx, qv[0], allow.notices)
	} else {
		res, err = ix.coll.QueryEmbedding(ctx, qv[0], min(vectorDepth*2, ix.coll.Count()), nil, nil)
	}
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, r := range res {
		i, ok := ix.byID[r.ID]
		if !ok || !allow.allows(ix, uint32(i)) {
			continue // an entry of a notice changed since this index was built
		}
		ids = append(ids, i)
		if len(ids) == vectorDepth {
			break
		}
	}
	return ids, nil
}

// queryScope asks the collections of the scope's notices — one a notice,
// made the first time a scope names it — and merges their results by
// similarity: a scoped query costs the scope's size, not the corpus'.
func (ix *Index) queryScope(ctx context.Context, qv []float32, scope []bool) ([]chromem.Result, error) {
	var res []chromem.Result
	for c, in := range scope {
		if !in || ix.start[c] == ix.start[c+1] {
			continue
		}
		coll, err := ix.noticeCollection(ctx, c)
		if err != nil {
			return nil, err
		}
		r, err := coll.QueryEmbedding(ctx, qv, min(vectorDepth*2, coll.Count()), nil, nil)
		if err != nil {
			return nil, err
		}
		res = append(res, r...)
	}
	sort.Slice(res, func(i, j int) bool { return res[i].Similarity > res[j].Similarity })
	return res[:min(len(res), vectorDepth*2)], nil
}

// noticeCollection returns the chromem-go collection of one notice's
// entries, holding the same vectors as the main one.
func (ix *Index) noticeCollection(ctx context.Context, c int) (*chromem.Collection, error) {
	doc := ix.notices[c].Doc
	if coll, ok := ix.scoped.Load(doc); ok {
		return coll.(*chromem.Collection), nil
	}
	coll, err := newCollection()
	if err != nil {
		return nil, err
	}
	if err := ix.addVectors(ctx, coll, ix.start[c], ix.start[c+1]); err != nil {
		return nil, err
	}
	got, _ := ix.scoped.LoadOrStore(doc, coll)
	return got.(*chromem.Collection), nil
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

// RawVectorQuery embeds query and asks chromem-go for its k nearest
// entries, nothing else: the baseline the hybrid path is measured against.
func (ix *Index) RawVectorQuery(ctx context.Context, query string, k int) (int, error) {
	qv, err := ix.embedder.Embed(ctx, []string{query})
	if err != nil {
		return 0, err
	}
	res, err := ix.coll.QueryEmbedding(ctx, qv[0], min(k, ix.coll.Count()), nil, nil)
	return len(res), err
}
