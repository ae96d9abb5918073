package retrieval

import (
	"hash/fnv"
	"math"
	"slices"
	"sort"
	"sync"
	"unicode"

	"github.com/assignbot/assignbot/corpus"
)

// Terms are packed into integers instead of strings: a Han unigram is its
// code point, a Han bigram sets the top bit and packs both code points, an
// ASCII word sets the next bit and carries a hash. Building and searching
// then allocate no strings, which matters at a hundred thousand tasks.
const (
	bigramBit = uint64(1) << 63
	wordBit   = uint64(1) << 62
)

// isContentTerm reports terms that say enough to judge whether a text is
// about a question: bigrams and words, not single characters.
func isContentTerm(t uint64) bool { return t&(bigramBit|wordBit) != 0 }

// terms appends the unigram, bigram and word terms of a normalized text.
func terms(dst []uint64, norm string) []uint64 {
	var prev rune = -1
	word := -1
	for i, r := range norm {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || (r == '.' && word >= 0)) {
			if word < 0 {
				word = i
			}
			prev = -1
			continue
		}
		if word >= 0 {
			dst = append(dst, wordTerm(norm[word:i]))
			word = -1
		}
		if corpus.IsHan(r) {
			dst = append(dst, uint64(r))
			if prev >= 0 {
				dst = append(dst, bigramBit|uint64(prev)<<21|uint64(r))
			}
			prev = r
			continue
		}
		prev = -1
	}
	if word >= 0 {
		dst = append(dst, wordTerm(norm[word:]))
	}
	return dst
}

func wordTerm(w string) uint64 {
	for len(w) > 0 && w[len(w)-1] == '.' {
		w = w[:len(w)-1]
	}
	h := fnv.New64a()
	h.Write([]byte(w))
	return wordBit | h.Sum64()&(wordBit-1)
}

// bm25 is an inverted index over the terms of the entries, scored with
// Okapi BM25 (k1 = 1.2, b = 0.75).
type bm25 struct {
	ids      map[uint64]uint32 // term → id
	postings [][]posting       // by term id
	docLen   []float32
	avgLen   float32
	pool     sync.Pool // *accum
}

type posting struct {
	doc int32
	tf  uint16
}

// accum holds one search's per-entry sums; pooled, as it is as long as the
// index.
type accum struct {
	score, cover []float32
}

func newBM25(docs [][]uint64) *bm25 {
	ix := &bm25{ids: map[uint64]uint32{}, docLen: make([]float32, len(docs))}
	var total float64
	var sorted []uint64
	for d, ts := range docs {
		sorted = append(sorted[:0], ts...)
		slices.Sort(sorted)
		for i := 0; i < len(sorted); {
			j := i
			for j < len(sorted) && sorted[j] == sorted[i] {
				j++
			}
			id, ok := ix.ids[sorted[i]]
			if !ok {
				id = uint32(len(ix.postings))
				ix.ids[sorted[i]] = id
				ix.postings = append(ix.postings, nil)
			}
			ix.postings[id] = append(ix.postings[id], posting{doc: int32(d), tf: uint16(min(j-i, math.MaxUint16))})
			i = j
		}
		ix.docLen[d] = float32(len(ts))
		total += float64(len(ts))
	}
	if len(docs) > 0 {
		ix.avgLen = float32(total / float64(len(docs)))
	}
	n := len(docs)
	ix.pool.New = func() any { return &accum{score: make([]float32, n), cover: make([]float32, n)} }
	return ix
}

// idf is the inverse document frequency of a term with document frequency df.
func (ix *bm25) idf(df int) float64 {
	n := float64(len(ix.docLen))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

type scored struct {
	doc   int
	score float64
	cover float64 // IDF-weighted share of the query's content terms the entry holds
}

// search scores every entry that shares a term with the query, computing
// its coverage in the same pass, and returns the best limit, best first,
// and the coverage of the entries in extra (the vector hits). allow, when
// not nil, restricts the entries.
func (ix *bm25) search(query []uint64, allow func(int) bool, limit int, extra []int) ([]scored, []float64) {
	const k1, b = 1.2, 0.75
	acc := ix.pool.Get().(*accum)
	defer ix.pool.Put(acc)
	var touched []int32
	seen := map[uint64]bool{}
	var coverAll float64
	for _, t := range query {
		if seen[t] {
			continue
		}
		seen[t] = true
		id, ok := ix.ids[t]
		var list []posting
		if ok {
			list = ix.postings[id]
		}
		idf := ix.idf(len(list))
		content := isContentTerm(t)
		if content {
			coverAll += idf
		}
		for _, p := range list {
			if allow != nil && !allow(int(p.doc)) {
				continue
			}
			if acc.score[p.doc] == 0 && acc.cover[p.doc] == 0 {
				touched = append(touched, p.doc)
			}
			tf := float64(p.tf)
			norm := k1 * (1 - b + b*float64(ix.docLen[p.doc]/ix.avgLen))
			acc.score[p.doc] += float32(idf * tf * (k1 + 1) / (tf + norm))
			if content {
				acc.cover[p.doc] += float32(idf)
			}
		}
	}
	share := func(d int) float64 {
		if coverAll == 0 {
			return 0
		}
		return float64(acc.cover[d]) / coverAll
	}
	extraCover := make([]float64, len(extra))
	for i, d := range extra {
		extraCover[i] = share(d)
	}
	out := make([]scored, 0, len(touched))
	for _, d := range touched {
		out = append(out, scored{doc: int(d), score: float64(acc.score[d]), cover: share(int(d))})
		acc.score[d], acc.cover[d] = 0, 0
	}
	less := func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].doc < out[j].doc
	}
	if len(out) > limit*4 {
		// Only the best limit are wanted: a partial selection first.
		out = topK(out, limit, less)
	}
	sort.Slice(out, less)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, extraCover
}

// topK keeps the k best of out (by less), in no order, in linear time on
// average (quickselect).
func topK(out []scored, k int, less func(i, j int) bool) []scored {
	lo, hi := 0, len(out)-1
	for lo < hi {
		p := lo + (hi-lo)/2
		out[p], out[hi] = out[hi], out[p]
		store := lo
		for i := lo; i < hi; i++ {
			if less(i, hi) {
				out[i], out[store] = out[store], out[i]
				store++
			}
		}
		out[store], out[hi] = out[hi], out[store]
		switch {
		case store == k:
			return out[:k]
		case store < k:
			lo = store + 1
		default:
			hi = store - 1
		}
	}
	return out[:min(k, len(out))]
}
