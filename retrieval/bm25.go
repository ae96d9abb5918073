package retrieval

import (
	"hash/fnv"
	"math"
	"slices"
	"sort"
	"unicode"

	"github.com/assignbot/assignbot/corpus"
)

// Keyword search: Okapi BM25 over segments, one segment per notice.
//
// Terms are packed into integers instead of strings: a Han unigram is its
// code point, a Han bigram sets the top bit and packs both code points, an
// ASCII word sets the next bit and carries a hash. Building and searching
// then allocate no strings, which matters at a hundred thousand tasks.
//
// A segment holds the sorted distinct terms of one notice's entries and
// their postings in one array; it is built once and shared, unchanged, by
// every index that still holds the notice, so a reload rebuilds only the
// segments of changed notices. Document frequencies are summed over the
// segments at query time.
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

type posting struct {
	doc uint32 // entry within the segment
	tf  uint16
}

// postings is the keyword index of one segment.
type postings struct {
	terms  []uint64  // sorted, distinct
	offs   []uint32  // postings of terms[i] are post[offs[i]:offs[i+1]]
	post   []posting //
	docLen []float32
	total  float64 // sum of docLen
}

// buildPostings indexes the term lists of a segment's entries: each list
// is sorted to count term frequencies, terms get ids in a small map, the
// distinct terms are sorted once, and postings are laid out by counting.
func buildPostings(docs [][]uint64, ctxLen int) postings {
	p := postings{docLen: make([]float32, len(docs))}
	ids := make(map[uint64]int32, 1024)
	var byID []uint64 // term of each id
	var counts []uint32
	type occ struct {
		id int32
		tf uint16
	}
	perDoc := make([][]occ, len(docs))
	for d, ts := range docs {
		p.docLen[d] = float32(len(ts) + ctxLen)
		p.total += float64(len(ts) + ctxLen)
		slices.Sort(ts)
		os := make([]occ, 0, len(ts))
		for i := 0; i < len(ts); {
			j := i
			for j < len(ts) && ts[j] == ts[i] {
				j++
			}
			id, ok := ids[ts[i]]
			if !ok {
				id = int32(len(byID))
				ids[ts[i]] = id
				byID = append(byID, ts[i])
				counts = append(counts, 0)
			}
			counts[id]++
			os = append(os, occ{id, uint16(min(j-i, math.MaxUint16))})
			i = j
		}
		perDoc[d] = os
	}
	// Order the ids by term: rank[id] is the term's place in p.terms.
	order := make([]int32, len(byID))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if byID[a] < byID[b] {
			return -1
		}
		return 1
	})
	rank := make([]int32, len(byID))
	p.terms = make([]uint64, len(byID))
	p.offs = make([]uint32, len(byID)+1)
	for r, id := range order {
		rank[id] = int32(r)
		p.terms[r] = byID[id]
		p.offs[r+1] = p.offs[r] + counts[id]
	}
	p.post = make([]posting, p.offs[len(byID)])
	fill := append([]uint32(nil), p.offs[:len(byID)]...)
	for d, os := range perDoc {
		for _, o := range os {
			r := rank[o.id]
			p.post[fill[r]] = posting{doc: uint32(d), tf: o.tf}
			fill[r]++
		}
	}
	return p
}

// lookup returns the postings of a term in the segment.
func (p *postings) lookup(t uint64) []posting {
	i, ok := slices.BinarySearch(p.terms, t)
	if !ok {
		return nil
	}
	return p.post[p.offs[i]:p.offs[i+1]]
}

// accum holds one search's per-entry sums; pooled, as it is as long as the
// index.
type accum struct {
	score, cover []float32
}

type scored struct {
	doc   int
	score float64
	cover float64 // IDF-weighted share of the query's content terms the entry holds
}

// minIDF is the weight under which a query term is ignored: one that
// stands in about three quarters of the entries or more.
const minIDF = 0.3

// idf is the inverse document frequency of a term found in df of n entries.
func idf(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// keyword scores every entry that shares a term with the query, computing
// its coverage in the same pass, and returns the best limit, best first,
// and the entries extraFn returns (the vector hits, which it waits for)
// with their coverage. allow, when not nil, restricts the entries.
func (ix *Index) keyword(query []uint64, allow func(int) bool, limit int, extraFn func() []int) ([]scored, []int, []float64) {
	const k1, b = 1.2, 0.75
	acc := ix.pool.Get().(*accum)
	defer ix.pool.Put(acc)
	var touched []int32
	seen := map[uint64]bool{}
	var coverAll float64
	type found struct {
		seg  int
		list []posting
		ctx  bool
	}
	var lists []found
	for _, t := range query {
		if seen[t] {
			continue
		}
		seen[t] = true
		lists = lists[:0]
		df := 0
		for s, seg := range ix.segs {
			l := seg.kw.lookup(t)
			_, inCtx := slices.BinarySearch(seg.ctx, t)
			switch {
			case inCtx:
				lists = append(lists, found{s, l, true})
				df += len(seg.entries)
			case len(l) > 0:
				lists = append(lists, found{s, l, false})
				df += len(l)
			}
		}
		w := idf(len(ix.Entries), df)
		if w < minIDF {
			// In most entries (市, 政府 …): it ranks nothing and would cost
			// a pass over most of the index.
			continue
		}
		content := isContentTerm(t)
		if content {
			coverAll += w
		}
		add := func(g int, tf float64, docLen float32) {
			if allow != nil && !allow(g) {
				return
			}
			if acc.score[g] == 0 && acc.cover[g] == 0 {
				touched = append(touched, int32(g))
			}
			norm := k1 * (1 - b + b*float64(docLen)/ix.avgLen)
			acc.score[g] += float32(w * tf * (k1 + 1) / (tf + norm))
			if content {
				acc.cover[g] += float32(w)
			}
		}
		for _, f := range lists {
			base, seg := ix.base[f.seg], ix.segs[f.seg]
			if !f.ctx {
				for _, p := range f.list {
					add(base+int(p.doc), float64(p.tf), seg.kw.docLen[p.doc])
				}
				continue
			}
			// In the notice's context: every entry has it once more.
			k := 0
			for d := range seg.entries {
				tf := 1.0
				if k < len(f.list) && int(f.list[k].doc) == d {
					tf += float64(f.list[k].tf)
					k++
				}
				add(base+d, tf, seg.kw.docLen[d])
			}
		}
	}
	share := func(d int) float64 {
		if coverAll == 0 {
			return 0
		}
		return float64(acc.cover[d]) / coverAll
	}
	// The vector search runs meanwhile; its hits need their coverage too.
	extra := extraFn()
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
	return out, extra, extraCover
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
