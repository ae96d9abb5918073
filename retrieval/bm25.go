package retrieval

import (
	"math"
	"sort"
)

// bm25 is an inverted index over the tokens of the entries, scored with
// Okapi BM25 (k1 = 1.2, b = 0.75).
type bm25 struct {
	postings map[string][]posting
	docLen   []float32
	avgLen   float32
}

type posting struct {
	doc int32
	tf  uint16
}

func newBM25(docs [][]string) *bm25 {
	ix := &bm25{postings: map[string][]posting{}, docLen: make([]float32, len(docs))}
	var total float64
	for d, toks := range docs {
		tf := map[string]uint16{}
		for _, t := range toks {
			if tf[t] < math.MaxUint16 {
				tf[t]++
			}
		}
		for t, n := range tf {
			ix.postings[t] = append(ix.postings[t], posting{doc: int32(d), tf: n})
		}
		ix.docLen[d] = float32(len(toks))
		total += float64(len(toks))
	}
	if len(docs) > 0 {
		ix.avgLen = float32(total / float64(len(docs)))
	}
	return ix
}

// idf is the inverse document frequency of a token.
func (ix *bm25) idf(tok string) float64 {
	n := float64(len(ix.docLen))
	df := float64(len(ix.postings[tok]))
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

type scored struct {
	doc   int
	score float64
}

// search scores every entry that shares a token with the query and returns
// them best first. allow, when not nil, restricts the entries.
func (ix *bm25) search(query []string, allow func(int) bool) []scored {
	const k1, b = 1.2, 0.75
	acc := map[int32]float64{}
	seen := map[string]bool{}
	for _, t := range query {
		if seen[t] {
			continue
		}
		seen[t] = true
		idf := ix.idf(t)
		for _, p := range ix.postings[t] {
			if allow != nil && !allow(int(p.doc)) {
				continue
			}
			tf := float64(p.tf)
			norm := k1 * (1 - b + b*float64(ix.docLen[p.doc]/ix.avgLen))
			acc[p.doc] += idf * tf * (k1 + 1) / (tf + norm)
		}
	}
	out := make([]scored, 0, len(acc))
	for d, s := range acc {
		out = append(out, scored{doc: int(d), score: s})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].doc < out[j].doc
	})
	return out
}

// coverage is the IDF-weighted share of the query's bigrams that entry doc
// contains: how much of what was asked the entry is about.
func (ix *bm25) coverage(query []string, doc int) float64 {
	var have, all float64
	seen := map[string]bool{}
	for _, t := range bigrams(query) {
		if seen[t] {
			continue
		}
		seen[t] = true
		w := ix.idf(t)
		if len(ix.postings[t]) == 0 {
			w = math.Log(1 + (float64(len(ix.docLen))+0.5)/0.5) // unseen: as rare as can be
		}
		all += w
		for _, p := range ix.postings[t] {
			if int(p.doc) == doc {
				have += w
				break
			}
		}
	}
	if all == 0 {
		return 0
	}
	return have / all
}
