package retrieval

import (
	"hash/fnv"
	"math"
	"slices"
	"unicode"

	"github.com/assignbot/assignbot/corpus"
)

// Keyword search: Okapi BM25 over one index for the whole corpus.
//
// Terms are packed into integers instead of strings: a Han unigram is its
// code point, a Han bigram sets the top bit and packs both code points, an
// ASCII word sets the next bit and carries a hash. Building and searching
// then allocate no strings, which matters at a hundred thousand tasks.
//
// The index is flat: one sorted dictionary of terms, and for each term its
// postings (entry numbers and term frequencies in two compact arrays), the
// notices whose context (title, plan title, subject) holds it, and its
// document frequency, computed when the index is built. A query term costs
// one binary search and one pass over its postings. A reload merges the
// postings of unchanged notices with those of the changed ones instead of
// reading every text again.
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

// keywordIndex is the BM25 index of the entries of a block of notices
// (see keywordBlocks).
type keywordIndex struct {
	terms  []uint64  // sorted, distinct
	offs   []uint32  // entry postings of terms[i]: docs and tfs [offs[i]:offs[i+1]], ascending
	docs   []uint32  // entry numbers
	tfs    []uint8   // term frequencies, capped at 255
	coffs  []uint32  // notices whose context holds terms[i]: ctx[coffs[i]:coffs[i+1]], ascending
	ctx    []uint32  // notice numbers
	df     []uint32  // entries holding terms[i] in their own text or their notice's context
	docLen []float32 // terms of each entry, context included
	maxTF  []uint8   // the highest of terms[i]'s own frequencies
}

// lookup returns the number of a term in the dictionary.
func (k *keywordIndex) lookup(t uint64) (int, bool) { return slices.BinarySearch(k.terms, t) }

// noticeTerms is the keyword index of one notice on its own, with entry
// numbers counted from the notice's first entry: what a build computes
// for each new or changed notice before merging.
type noticeTerms struct {
	terms  []uint64 // sorted, distinct
	offs   []uint32
	docs   []uint32
	tfs    []uint8
	ctx    []uint64 // distinct terms of the notice context, sorted
	docLen []float32
}

// indexNotice tokenizes the entries of one notice (their own texts,
// normalized) and its context and lays out their postings: each entry's terms are sorted
// to count frequencies, terms get ids in a small map, the distinct terms
// are sorted once, and postings are laid out by counting.
func indexNotice(ctxNorm string, ownNorm []string) noticeTerms {
	ctx := terms(nil, ctxNorm)
	ctxLen := len(ctx)
	slices.Sort(ctx)
	nt := noticeTerms{ctx: slices.Compact(ctx), docLen: make([]float32, len(ownNorm))}
	ids := make(map[uint64]int32, 1024)
	var byID []uint64 // term of each id
	var counts []uint32
	type occ struct {
		id int32
		tf uint8
	}
	perDoc := make([][]occ, len(ownNorm))
	var ts []uint64
	for d, text := range ownNorm {
		ts = terms(ts[:0], text)
		nt.docLen[d] = float32(len(ts) + ctxLen)
		slices.Sort(ts)
		os := make([]occ, 0, len(ts)/2)
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
			os = append(os, occ{id, uint8(min(j-i, math.MaxUint8))})
			i = j
		}
		perDoc[d] = os
	}
	// Order the ids by term: rank[id] is the term's place in nt.terms.
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
	nt.terms = make([]uint64, len(byID))
	nt.offs = make([]uint32, len(byID)+1)
	for r, id := range order {
		rank[id] = int32(r)
		nt.terms[r] = byID[id]
		nt.offs[r+1] = nt.offs[r] + counts[id]
	}
	n := nt.offs[len(byID)]
	nt.docs, nt.tfs = make([]uint32, n), make([]uint8, n)
	fill := append([]uint32(nil), nt.offs[:len(byID)]...)
	for d, os := range perDoc {
		for _, o := range os {
			r := rank[o.id]
			nt.docs[fill[r]], nt.tfs[fill[r]] = uint32(d), o.tf
			fill[r]++
		}
	}
	return nt
}

// kwSource says where the postings of one notice of a new index come
// from: a fresh noticeTerms, or notice old of the previous index.
type kwSource struct {
	fresh *noticeTerms
	old   int
}

// mergeKeyword lays out the keyword index of notices whose entries start
// at start (one more element than notices: the end), taking each notice's
// postings from its source. prev, with its notices' starts prevStart, is
// the index the kept notices come from (nil on a full build). Postings of
// kept notices are copied with their entry numbers moved; no text is read
// again. The fresh noticeTerms are emptied as they are copied.
func mergeKeyword(prev *keywordIndex, prevStart []uint32, src []kwSource, start []uint32) keywordIndex {
	n := len(src)
	total := int(start[n])
	oldToNew := map[int]int{}
	for i, s := range src {
		if s.fresh == nil {
			oldToNew[s.old] = i
		}
	}
	// The dictionary: every term of a fresh notice, and of prev if any of
	// its notices stays (terms only removed notices held are dropped below,
	// having no postings).
	set := map[uint64]struct{}{}
	for _, s := range src {
		if s.fresh != nil {
			for _, t := range s.fresh.terms {
				set[t] = struct{}{}
			}
			for _, t := range s.fresh.ctx {
				set[t] = struct{}{}
			}
		}
	}
	if prev != nil && len(oldToNew) > 0 {
		for _, t := range prev.terms {
			set[t] = struct{}{}
		}
	}
	dict := make([]uint64, 0, len(set))
	for t := range set {
		dict = append(dict, t)
	}
	slices.Sort(dict)
	id := make(map[uint64]uint32, len(dict))
	for i, t := range dict {
		id[t] = uint32(i)
	}

	// Count postings per term, then lay them out.
	cnt := make([]uint32, len(dict)+1)
	ccnt := make([]uint32, len(dict)+1)
	var prevNotice []int32 // notice of each entry of prev, -1 when it goes
	if prev != nil && len(oldToNew) > 0 {
		prevNotice = make([]int32, prevStart[len(prevStart)-1])
		for o := 0; o+1 < len(prevStart); o++ {
			nn, ok := oldToNew[o]
			if !ok {
				nn = -1
			}
			for d := prevStart[o]; d < prevStart[o+1]; d++ {
				prevNotice[d] = int32(nn)
			}
		}
		for pt, t := range prev.terms {
			g := id[t]
			for _, d := range prev.docs[prev.offs[pt]:prev.offs[pt+1]] {
				if prevNotice[d] >= 0 {
					cnt[g+1]++
				}
			}
			for _, c := range prev.ctx[prev.coffs[pt]:prev.coffs[pt+1]] {
				if _, ok := oldToNew[int(c)]; ok {
					ccnt[g+1]++
				}
			}
		}
	}
	local := make([][]uint32, n) // fresh notices: global id of each local term
	for i, s := range src {
		if s.fresh == nil {
			continue
		}
		local[i] = make([]uint32, len(s.fresh.terms))
		for lt, t := range s.fresh.terms {
			g := id[t]
			local[i][lt] = g
			cnt[g+1] += s.fresh.offs[lt+1] - s.fresh.offs[lt]
		}
		for _, t := range s.fresh.ctx {
			ccnt[id[t]+1]++
		}
	}
	for g := range dict {
		cnt[g+1] += cnt[g]
		ccnt[g+1] += ccnt[g]
	}
	k := keywordIndex{offs: cnt, coffs: ccnt, docLen: make([]float32, total)}
	k.docs, k.tfs = make([]uint32, cnt[len(dict)]), make([]uint8, cnt[len(dict)])
	k.ctx = make([]uint32, ccnt[len(dict)])
	fill := append([]uint32(nil), cnt[:len(dict)]...)
	cfill := append([]uint32(nil), ccnt[:len(dict)]...)
	// Kept notices first (in order, so ascending), then fresh ones; terms
	// holding both are merged below.
	if prevNotice != nil {
		for pt, t := range prev.terms {
			g := id[t]
			lo := prev.offs[pt]
			for j, d := range prev.docs[lo:prev.offs[pt+1]] {
				if nn := prevNotice[d]; nn >= 0 {
					o := src[nn].old
					k.docs[fill[g]] = d - prevStart[o] + start[nn]
					k.tfs[fill[g]] = prev.tfs[int(lo)+j]
					fill[g]++
				}
			}
			for _, c := range prev.ctx[prev.coffs[pt]:prev.coffs[pt+1]] {
				if nn, ok := oldToNew[int(c)]; ok {
					k.ctx[cfill[g]] = uint32(nn)
					cfill[g]++
				}
			}
		}
		for i, s := range src {
			if s.fresh == nil {
				copy(k.docLen[start[i]:start[i+1]], prev.docLen[prevStart[s.old]:prevStart[s.old+1]])
			}
		}
	}
	// Terms whose kept and fresh postings must be merged, with where the
	// fresh ones begin: each part is ascending.
	mixed := map[uint32]uint32{}
	cmixed := map[uint32]bool{}
	for i, s := range src {
		if s.fresh == nil {
			continue
		}
		f := s.fresh
		for lt, g := range local[i] {
			if _, ok := mixed[g]; !ok && prevNotice != nil && fill[g] > cnt[g] {
				mixed[g] = fill[g]
			}
			for j := f.offs[lt]; j < f.offs[lt+1]; j++ {
				k.docs[fill[g]] = f.docs[j] + start[i]
				k.tfs[fill[g]] = f.tfs[j]
				fill[g]++
			}
		}
		for _, t := range f.ctx {
			g := id[t]
			if prevNotice != nil && cfill[g] > ccnt[g] {
				cmixed[g] = true
			}
			k.ctx[cfill[g]] = uint32(i)
			cfill[g]++
		}
		copy(k.docLen[start[i]:start[i+1]], f.docLen)
		*f = noticeTerms{} // copied: let it go while the rest is laid out
		local[i] = nil
	}
	for g, at := range mixed {
		mergePostings(k.docs[cnt[g]:cnt[g+1]], k.tfs[cnt[g]:cnt[g+1]], int(at-cnt[g]))
	}
	for g := range cmixed {
		slices.Sort(k.ctx[ccnt[g]:ccnt[g+1]])
	}

	// Drop terms no posting is left for; compute document frequencies.
	k.terms = dict
	k.df = make([]uint32, len(dict))
	inCtx := make([]bool, n)
	for g := range dict {
		cs := k.ctx[ccnt[g]:ccnt[g+1]]
		df := uint32(0)
		for _, c := range cs {
			inCtx[c] = true
			df += start[c+1] - start[c]
		}
		noticeOf := 0
		for _, d := range k.docs[cnt[g]:cnt[g+1]] {
			for start[noticeOf+1] <= d {
				noticeOf++
			}
			if !inCtx[noticeOf] {
				df++
			}
		}
		for _, c := range cs {
			inCtx[c] = false
		}
		k.df[g] = df
	}
	k.compact()
	k.maxTF = make([]uint8, len(k.terms))
	for g := range k.terms {
		for _, tf := range k.tfs[k.offs[g]:k.offs[g+1]] {
			k.maxTF[g] = max(k.maxTF[g], tf)
		}
	}
	return k
}

// compact removes terms without postings.
func (k *keywordIndex) compact() {
	w := 0
	for g := range k.terms {
		if k.df[g] == 0 {
			continue
		}
		k.terms[w], k.df[w] = k.terms[g], k.df[g]
		k.offs[w+1], k.coffs[w+1] = k.offs[g+1], k.coffs[g+1]
		w++
	}
	k.terms, k.df, k.offs, k.coffs = k.terms[:w], k.df[:w], k.offs[:w+1], k.coffs[:w+1]
}

// mergePostings merges one term's postings docs[:at] and docs[at:], each
// ascending, keeping each entry's frequency beside it. The fresh part (a
// reload's changed notices) is short and the kept part may be long: the
// fresh postings are set aside and the kept ones after the first of them
// move up once, so a reload costs a pass over what moves, not a sort of
// the whole list.
func mergePostings(docs []uint32, tfs []uint8, at int) {
	tailDocs := append([]uint32(nil), docs[at:]...)
	tailTfs := append([]uint8(nil), tfs[at:]...)
	i, j := at-1, len(tailDocs)-1
	for w := len(docs) - 1; j >= 0; w-- {
		if i >= 0 && docs[i] > tailDocs[j] {
			docs[w], tfs[w] = docs[i], tfs[i]
			i--
		} else {
			docs[w], tfs[w] = tailDocs[j], tailTfs[j]
			j--
		}
	}
}

type scored struct {
	doc   int
	score float64
	cover float64 // IDF-weighted share of the query's content terms the entry holds
}

// idf is the inverse document frequency of a term found in df of n entries.
func idf(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// mentions returns the entries holding any of the terms in their own text
// or their notice's context, as a bit set over the entries.
func (ix *Index) mentions(ts []uint64) []uint64 {
	set := make([]uint64, (len(ix.Entries)+63)/64)
	for _, t := range ts {
		for it := ix.iter(ix.segs(t)); it.d != endDoc; it.next(ix) {
			set[it.d/64] |= 1 << (it.d % 64)
		}
	}
	return set
}
