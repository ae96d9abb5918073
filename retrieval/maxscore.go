package retrieval

import (
	"math"
	"slices"
	"sort"
)

// The keyword half's query: the best entries by BM25 without scoring
// every entry that shares a term with the question.
//
// At a million tasks a common term (一 character of 建设, 工作) stands in
// hundreds of thousands of entries; scoring all of them cost hundreds of
// milliseconds a question while only the best keywordDepth are kept. The
// search is MaxScore, document at a time: each term has an upper bound of
// what it adds to any entry's score; once the best keywordDepth found so
// far all score above what the weakest terms together could give, those
// terms can no longer make an entry and their postings are only looked up
// (by galloping) for entries the others bring. A first guess of the
// threshold, from the entries of the rarest terms, lets the common terms
// drop out from the start instead of once the pass is half done.
//
// The answer is exact: the same entries, the same scores to the bit (each
// entry's score is summed as float32 in the question's term order, as the
// term-at-a-time pass did) and the same order of ties (by entry number).

// kwTerm is one question term taking part in the search.
type kwTerm struct {
	segs    []kwSeg // the blocks holding it
	w       float64 // IDF
	content bool
	ub      float64 // what it adds to any entry's score at most
}

// postIter walks the entries holding a term: in each block holding it,
// its own postings and every entry of a notice whose context holds it
// (whose frequency counts one more), in entry order.
type postIter struct {
	segs  []kwSeg
	s     int // block being walked: segs[s]
	own   []uint32
	tfs   []uint8
	ctx   []uint32 // notices, counted from the block's first
	base  uint32   // the block's first entry
	nbase uint32   // and notice
	j     int      // next own posting
	c     int      // notice of ctx being walked
	r     uint32   // next entry of that notice
	d     uint32   // current entry; endDoc when done
	tf    float64  // its frequency
}

const endDoc = math.MaxUint32

func (ix *Index) iter(segs []kwSeg) postIter {
	it := postIter{segs: segs}
	it.load(ix, 0)
	return it
}

// load starts walking block segs[s].
func (it *postIter) load(ix *Index, s int) {
	it.s, it.j, it.c = s, 0, 0
	it.own, it.tfs, it.ctx = nil, nil, nil
	if s < len(it.segs) {
		sg := it.segs[s]
		k := &ix.kw.blocks[sg.b].keywordIndex
		it.own, it.tfs = k.docs[k.offs[sg.g]:k.offs[sg.g+1]], k.tfs[k.offs[sg.g]:k.offs[sg.g+1]]
		it.ctx = k.ctx[k.coffs[sg.g]:k.coffs[sg.g+1]]
		it.nbase = ix.kw.first[sg.b]
		it.base = ix.start[it.nbase]
	}
	it.r = 0
	if len(it.ctx) > 0 {
		it.r = ix.start[it.nbase+it.ctx[0]]
	}
	it.fix(ix)
}

// fix moves past notices whose entries are all passed, and sets the
// current entry, going on to the next block when this one is done.
func (it *postIter) fix(ix *Index) {
	for it.c < len(it.ctx) && it.r >= ix.start[it.nbase+it.ctx[it.c]+1] {
		it.c++
		if it.c < len(it.ctx) {
			it.r = max(it.r, ix.start[it.nbase+it.ctx[it.c]])
		}
	}
	od, cd := uint32(endDoc), uint32(endDoc)
	if it.j < len(it.own) {
		od = it.base + it.own[it.j]
	}
	if it.c < len(it.ctx) {
		cd = it.r
	}
	switch {
	case od < cd:
		it.d, it.tf = od, float64(it.tfs[it.j])
	case cd < od:
		it.d, it.tf = cd, 1
	case od != endDoc:
		it.d, it.tf = od, 1+float64(it.tfs[it.j])
	case it.s+1 < len(it.segs):
		it.load(ix, it.s+1)
	default:
		it.d, it.tf = endDoc, 0
	}
}

// next moves past the current entry.
func (it *postIter) next(ix *Index) {
	if it.j < len(it.own) && it.base+it.own[it.j] == it.d {
		it.j++
	}
	if it.c < len(it.ctx) && it.r == it.d {
		it.r++
	}
	it.fix(ix)
}

// seek moves to the first entry at or after t.
func (it *postIter) seek(ix *Index, t uint32) {
	if it.d >= t {
		return
	}
	if ix.blockEnd(it.segs[it.s].b) <= t {
		// Blocks wholly before t are skipped.
		s := it.s + 1
		for s < len(it.segs) && ix.blockEnd(it.segs[s].b) <= t {
			s++
		}
		if s == len(it.segs) {
			it.own, it.ctx, it.j, it.c, it.s = nil, nil, 0, 0, s-1
			it.d, it.tf = endDoc, 0
			return
		}
		it.load(ix, s)
		if it.d >= t {
			return
		}
	}
	// Galloping: the entries asked for are near as often as far.
	rel := t - min(t, it.base)
	rest := it.own[it.j:]
	hi := 1
	for hi < len(rest) && rest[hi-1] < rel {
		hi *= 2
	}
	lo := hi / 2
	hi = min(hi, len(rest))
	it.j += lo + sort.Search(hi-lo, func(i int) bool { return rest[lo+i] >= rel })
	if it.c < len(it.ctx) && ix.start[it.nbase+it.ctx[it.c]+1] <= t {
		cs := it.ctx[it.c:]
		it.c += sort.Search(len(cs), func(i int) bool { return ix.start[it.nbase+cs[i]+1] > t })
		if it.c < len(it.ctx) {
			it.r = ix.start[it.nbase+it.ctx[it.c]]
		}
	}
	it.r = max(it.r, t)
	it.fix(ix)
}

// bm25Norm is BM25's length normalization of entry d.
func (ix *Index) bm25Norm(d uint32) float64 {
	return k1 * (1 - bm25b + bm25b*float64(ix.kw.docLen[d])/ix.kw.avgLen)
}

// bound returns the most a term (held in segs) adds to an entry's score
// over its IDF, a little rounded up: in each block, its highest own
// frequency (one more if a notice's context holds it) over the block's
// shortest entry. Each block keeps what it needs, so a bound costs a
// look at each block holding the term, not a walk over its postings.
func (ix *Index) bound(segs []kwSeg) float64 {
	best := 0.0
	for _, sg := range segs {
		k := ix.kw.blocks[sg.b]
		tf := float64(k.maxTF[sg.g])
		if k.coffs[sg.g] < k.coffs[sg.g+1] {
			tf++
		}
		norm := k1 * (1 - bm25b + bm25b*float64(k.minLen)/ix.kw.avgLen)
		best = max(best, tf*(k1+1)/(tf+norm))
	}
	return best * (1 + 1e-6)
}

// keyword returns the best limit entries by BM25 (best first, ties by
// entry number) with their coverage (the IDF-weighted share of the
// question's content terms they hold), and the entries extraFn returns
// given those (the vector hits, routed by them) with their coverage. Only
// entries flt allows are scored.
func (ix *Index) keyword(query []uint64, flt *filter, limit int, extraFn func(top []scored) []int) ([]scored, []int, []float64) {
	var ts []kwTerm
	var coverAll float64
	seen := make(map[uint64]bool, len(query))
	for _, t := range query {
		if seen[t] {
			continue
		}
		seen[t] = true
		segs := ix.segs(t)
		df := ix.df(segs)
		// A term no entry holds still counts in what the question asks.
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
		if len(segs) > 0 {
			ts = append(ts, kwTerm{segs: segs, w: w, content: content, ub: w * ix.bound(segs)})
		}
	}
	s := kwSearch{ix: ix, ts: ts, flt: flt, limit: limit, coverAll: coverAll}
	out := s.run()
	extra := extraFn(out)
	extraCover := make([]float64, len(extra))
	for i, d := range extra {
		extraCover[i] = s.coverOf(uint32(d))
	}
	return out, extra, extraCover
}

// kwSearch is one question's MaxScore pass.
type kwSearch struct {
	ix       *Index
	ts       []kwTerm // in the question's order
	flt      *filter
	limit    int
	coverAll float64
	tf       []float64 // the frequency of each term in the entry being scored
}

// score sums the entry's score and coverage from s.tf, in the question's
// term order and in float32, as the term-at-a-time pass accumulated them.
func (s *kwSearch) score(d uint32) scored {
	var score, cover float32
	norm := s.ix.bm25Norm(d)
	for i, t := range s.ts {
		tf := s.tf[i]
		if tf == 0 {
			continue
		}
		score += float32(t.w * tf * (k1 + 1) / (tf + norm))
		if t.content {
			cover += float32(t.w)
		}
	}
	sc := scored{doc: int(d), score: float64(score)}
	if s.coverAll > 0 {
		sc.cover = float64(cover) / s.coverAll
	}
	return sc
}

// coverOf is the coverage of an entry the search may not have scored:
// none if the filter rejects it.
func (s *kwSearch) coverOf(d uint32) float64 {
	if !s.flt.allows(s.ix, d) {
		return 0
	}
	if s.tf == nil {
		s.tf = make([]float64, len(s.ts))
	}
	for i, t := range s.ts {
		it := s.ix.iter(t.segs)
		it.seek(s.ix, d)
		s.tf[i] = 0
		if it.d == d {
			s.tf[i] = it.tf
		}
	}
	return s.score(d).cover
}

// worse orders results: lower score, then higher entry number.
func worse(a, b scored) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.doc > b.doc
}

// topHeap keeps the best results, its worst at the root.
type topHeap []scored

func (h *topHeap) push(v scored, limit int) {
	if len(*h) == limit {
		(*h)[0] = v
		h.down(0)
		return
	}
	*h = append(*h, v)
	for j := len(*h) - 1; j > 0; {
		p := (j - 1) / 2
		if !worse((*h)[j], (*h)[p]) {
			break
		}
		(*h)[p], (*h)[j] = (*h)[j], (*h)[p]
		j = p
	}
}

func (h topHeap) down(j int) {
	for {
		l := 2*j + 1
		if l >= len(h) {
			return
		}
		if r := l + 1; r < len(h) && worse(h[r], h[l]) {
			l = r
		}
		if !worse(h[l], h[j]) {
			return
		}
		h[j], h[l] = h[l], h[j]
		j = l
	}
}

// slack keeps float rounding from pruning an entry whose float32 score
// ties the threshold: bounds are summed in float64, scores in float32.
const slack = 1e-5

func (s *kwSearch) run() []scored {
	ix, ts := s.ix, s.ts
	if len(ts) == 0 || s.limit <= 0 {
		return nil
	}
	s.tf = make([]float64, len(ts))
	// Terms by bound, weakest first; below[k] bounds what the k weakest
	// add together.
	order := make([]int, len(ts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case ts[a].ub < ts[b].ub:
			return -1
		case ts[a].ub > ts[b].ub:
			return 1
		}
		return 0
	})
	below := make([]float64, len(ts)+1)
	for k, i := range order {
		below[k+1] = below[k] + ts[i].ub
	}
	its := make([]postIter, len(ts))
	for i, t := range ts {
		its[i] = ix.iter(t.segs)
	}
	theta := s.seed(order)
	h := make(topHeap, 0, s.limit)
	// essential: order[p:] bring entries; order[:p] are only looked up.
	p := 0
	raise := func() {
		for p < len(ts) && below[p+1]*(1+slack) < theta {
			p++
		}
	}
	raise()
	for p < len(ts) {
		d := uint32(endDoc)
		for _, i := range order[p:] {
			d = min(d, its[i].d)
		}
		if d == endDoc {
			break
		}
		if !s.flt.allows(ix, d) {
			next := d + 1
			if s.flt.notices != nil && !s.flt.notices[ix.noticeOf[d]] {
				next = ix.start[ix.noticeOf[d]+1] // the whole notice is out
			}
			for _, i := range order[p:] {
				its[i].seek(ix, next)
			}
			continue
		}
		est := 0.0
		norm := ix.bm25Norm(d)
		for _, i := range order[p:] {
			s.tf[i] = 0
			if it := &its[i]; it.d == d {
				s.tf[i] = it.tf
				est += ts[i].w * it.tf * (k1 + 1) / (it.tf + norm)
				it.next(ix)
			}
		}
		// The looked-up terms, strongest first, while the entry can still
		// reach the threshold.
		k := p
		for ; k > 0 && (est+below[k])*(1+slack) >= theta; k-- {
			i := order[k-1]
			s.tf[i] = 0
			it := &its[i]
			it.seek(ix, d)
			if it.d == d {
				s.tf[i] = it.tf
				est += ts[i].w * it.tf * (k1 + 1) / (it.tf + norm)
			}
		}
		if k > 0 {
			continue // cannot reach the threshold
		}
		sc := s.score(d)
		if len(h) == s.limit && !worse(h[0], sc) {
			continue
		}
		h.push(sc, s.limit)
		if len(h) == s.limit {
			theta = max(theta, h[0].score)
			raise()
		}
	}
	out := []scored(h)
	slices.SortFunc(out, func(a, b scored) int {
		if worse(a, b) {
			return 1
		}
		return -1
	})
	return out
}

// seed scores up to seedEntries entries of the strongest terms (order is
// weakest first) and returns the limit-th best score among them: the
// best limit of all score at least that much, so an entry bound to score
// less cannot be among them. 0 when they are fewer than limit.
func (s *kwSearch) seed(order []int) float64 {
	ix, ts := s.ix, s.ts
	var docs []uint32
	for k := len(order) - 1; k >= 0 && len(docs) < seedEntries; k-- {
		for it := ix.iter(ts[order[k]].segs); it.d != endDoc && len(docs) < seedEntries*2; it.next(ix) {
			if s.flt.allows(ix, it.d) {
				docs = append(docs, it.d)
			}
		}
	}
	slices.Sort(docs)
	docs = slices.Compact(docs)
	if len(docs) < s.limit {
		return 0
	}
	its := make([]postIter, len(ts))
	for i, t := range ts {
		its[i] = ix.iter(t.segs)
	}
	scores := make([]float64, 0, len(docs))
	for _, d := range docs {
		for i := range ts {
			its[i].seek(ix, d)
			s.tf[i] = 0
			if its[i].d == d {
				s.tf[i] = its[i].tf
			}
		}
		scores = append(scores, s.score(d).score)
	}
	slices.Sort(scores)
	return scores[len(scores)-s.limit]
}
