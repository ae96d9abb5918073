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

// vectorDepth is how many vector results take part in fusion.
const vectorDepth = 50

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
	toks := tokens(norm)
	hits := map[int]*Hit{}
	for r, s := range ix.kw.search(toks, allow) {
		if r >= 200 {
			break
		}
		hits[s.doc] = &Hit{Entry: ix.Entries[s.doc], KeyRank: r + 1}
	}
	var qv [][]float32
	if len(toks) > 0 {
		var err error
		qv, err = ix.embedder.Embed(ctx, []string{query})
		if err != nil || len(qv) != 1 {
			// A remote embedder that is down costs the vector half of the
			// search, not the answer.
			slog.Warn("query embedding failed; keyword search only", "err", err)
			qv = nil
		}
	}
	if qv != nil {
		normalize(qv[0])
		n := min(vectorDepth*2, ix.coll.Count())
		res, err := ix.coll.QueryEmbedding(ctx, qv[0], n, nil, nil)
		if err != nil {
			return nil, err
		}
		rank := 0
		for _, r := range res {
			i, ok := ix.byID[r.ID]
			if !ok || (allow != nil && !allow(i)) {
				continue
			}
			rank++
			if rank > vectorDepth {
				break
			}
			if h, ok := hits[i]; ok {
				h.VecRank = rank
			} else {
				hits[i] = &Hit{Entry: ix.Entries[i], VecRank: rank}
			}
		}
	}
	out := make([]Hit, 0, len(hits))
	best := 0.0
	for i, h := range hits {
		if h.KeyRank > 0 {
			h.Score += 1 / float64(rrfK+h.KeyRank)
		}
		if h.VecRank > 0 {
			h.Score += 1 / float64(rrfK+h.VecRank)
		}
		h.Coverage = ix.kw.coverage(toks, i)
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
