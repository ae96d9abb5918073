package retrieval

import (
	"context"
	"log/slog"
	"sort"

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
	if len(ix.Entries) == 0 || k <= 0 {
		return nil, nil
	}
	allow := kindFilter(ix, kinds)
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
		ids, err := ix.vectorSearch(ctx, query, allow, len(toks) > 0)
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
// half of the search, not the answer.
func (ix *Index) vectorSearch(ctx context.Context, query string, allow func(int) bool, any bool) ([]int, error) {
	if !any || ix.coll.Count() == 0 {
		return nil, nil
	}
	qv, err := ix.embedder.Embed(ctx, []string{query})
	if err != nil || len(qv) != 1 {
		slog.Warn("query embedding failed; keyword search only", "err", err)
		return nil, nil
	}
	normalize(qv[0])
	res, err := ix.coll.QueryEmbedding(ctx, qv[0], min(vectorDepth*2, ix.coll.Count()), nil, nil)
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, r := range res {
		i, ok := ix.byID[r.ID]
		if !ok || (allow != nil && !allow(i)) {
			continue // an entry of a notice changed since this index was built
		}
		ids = append(ids, i)
		if len(ids) == vectorDepth {
			break
		}
	}
	return ids, nil
}

func kindFilter(ix *Index, kinds []string) func(int) bool {
	if len(kinds) == 0 {
		return nil
	}
	want := map[string]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	return func(i int) bool { return want[ix.Entries[i].Kind] }
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
