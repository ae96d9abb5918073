package retrieval

import "slices"

// The keyword index is kept in blocks of notices: each block is a
// keywordIndex of its own over a run of consecutive notices, its entry
// and notice numbers counted from the run's first. A reload lays out
// again only the blocks holding a changed, added or removed notice, and
// keeps the others as they are (entry numbers in a block do not move when
// a notice before it grows); a question looks each term up in every block
// and walks their postings one block after the other. Document
// frequencies add up over blocks, so scores are those of one index.

// blockNotices is how many notices a full build puts in a block: at a
// million tasks (16,667 notices) 66 blocks, so that a one-notice reload
// lays out a sixty-sixth of the postings and a question's term costs 66
// binary searches.
const blockNotices = 256

// kwBlock is the keyword index of a run of notices.
type kwBlock struct {
	keywordIndex
	notices int
	minLen  float32 // the shortest entry's length
}

// setMinLen finds the block's shortest entry.
func (k *kwBlock) setMinLen() {
	k.minLen = 0
	for i, l := range k.docLen {
		if i == 0 || l < k.minLen {
			k.minLen = l
		}
	}
}

// kwSeg is a term's postings in one block.
type kwSeg struct {
	b, g int32 // block, the term's number in the block's dictionary
}

// keywordBlocks is the keyword index of every entry, block by block.
type keywordBlocks struct {
	blocks []*kwBlock
	first  []uint32  // first notice of each block; one more: the number of notices
	docLen []float32 // terms of each entry, context included
	avgLen float64
}

// segs returns the blocks holding term t.
func (ix *Index) segs(t uint64) []kwSeg {
	var out []kwSeg
	for b, k := range ix.kw.blocks {
		if g, ok := k.lookup(t); ok {
			out = append(out, kwSeg{int32(b), int32(g)})
		}
	}
	return out
}

// df is the number of entries holding the term, over every block.
func (ix *Index) df(segs []kwSeg) int {
	n := 0
	for _, s := range segs {
		n += int(ix.kw.blocks[s.b].df[s.g])
	}
	return n
}

// termDF is df for a term.
func (ix *Index) termDF(t uint64) int { return ix.df(ix.segs(t)) }

// buildKeyword lays out the keyword index of notices whose entries start
// at start, taking each notice's postings from src: a full build in
// blocks of size notices; with prev, a reload that keeps every block of
// prev none of whose notices changed, and lays out the others again from
// prev's postings of their kept notices and the fresh notices'. size is
// blockNotices but in tests.
func buildKeyword(prev *Index, src []kwSource, start []uint32, size int) keywordBlocks {
	var kb keywordBlocks
	n := len(src)
	// The new blocks: runs of notices, each drawing its kept notices from
	// one block of prev (-1: none).
	type run struct {
		lo, hi int
		from   int
	}
	var runs []run
	if prev == nil {
		for lo := 0; lo < n; lo += size {
			runs = append(runs, run{lo, min(lo+size, n), -1})
		}
	} else {
		blockOf := make([]int, len(prev.notices))
		for b := range prev.kw.blocks {
			for o := prev.kw.first[b]; o < prev.kw.first[b+1]; o++ {
				blockOf[o] = b
			}
		}
		// A notice goes to the block of the kept notice before it (the
		// first block if none); notices keep their order over a reload,
		// so the runs are consecutive.
		cur := -1
		for i, s := range src {
			if s.fresh == nil {
				cur = blockOf[s.old]
			}
			b := max(cur, 0)
			if len(prev.kw.blocks) == 0 {
				b = -1
			}
			if len(runs) > 0 && runs[len(runs)-1].from == b {
				runs[len(runs)-1].hi = i + 1
				continue
			}
			runs = append(runs, run{i, i + 1, b})
		}
		// A run grown past twice the size is cut.
		var cut []run
		for _, r := range runs {
			for r.hi-r.lo > 2*size {
				cut = append(cut, run{r.lo, r.lo + size, r.from})
				r.lo += size
			}
			cut = append(cut, r)
		}
		runs = cut
	}
	for _, r := range runs {
		kb.first = append(kb.first, uint32(r.lo))
		if r.from >= 0 && unchangedBlock(prev, r.from, src[r.lo:r.hi]) {
			kb.blocks = append(kb.blocks, prev.kw.blocks[r.from])
			continue
		}
		part := make([]kwSource, r.hi-r.lo)
		rel := make([]uint32, len(part)+1)
		for i := range part {
			part[i] = src[r.lo+i]
			rel[i+1] = start[r.lo+i+1] - start[r.lo]
		}
		var pk *keywordIndex
		var pstart []uint32
		if r.from >= 0 {
			pb := prev.kw.first[r.from]
			pk = &prev.kw.blocks[r.from].keywordIndex
			pstart = make([]uint32, prev.kw.blocks[r.from].notices+1)
			for o := range pstart {
				pstart[o] = prev.start[int(pb)+o] - prev.start[pb]
			}
			for i := range part {
				if part[i].fresh == nil {
					part[i].old -= int(pb)
				}
			}
		}
		k := &kwBlock{keywordIndex: mergeKeyword(pk, pstart, part, rel), notices: len(part)}
		k.setMinLen()
		kb.blocks = append(kb.blocks, k)
	}
	kb.first = append(kb.first, uint32(n))
	kb.docLen = make([]float32, 0, start[n])
	for _, k := range kb.blocks {
		kb.docLen = append(kb.docLen, k.docLen...)
	}
	kb.setAvg()
	return kb
}

// unchangedBlock reports whether the notices src are those of block b of
// prev, all kept, in order.
func unchangedBlock(prev *Index, b int, src []kwSource) bool {
	lo, hi := int(prev.kw.first[b]), int(prev.kw.first[b+1])
	if len(src) != hi-lo {
		return false
	}
	for i, s := range src {
		if s.fresh != nil || s.old != lo+i {
			return false
		}
	}
	return true
}

// setAvg computes the mean entry length.
func (kb *keywordBlocks) setAvg() {
	sum := 0.0
	for _, l := range kb.docLen {
		sum += float64(l)
	}
	if len(kb.docLen) > 0 {
		kb.avgLen = sum / float64(len(kb.docLen))
	}
}

// keptInOrder reports whether the notices c keeps from prev (old) stand
// in the order they stood in prev, as the blocks need: the corpus lists
// notices by file name, so they do.
func keptInOrder(src []kwSource) bool {
	last := -1
	for _, s := range src {
		if s.old >= 0 {
			if s.old < last {
				return false
			}
			last = s.old
		}
	}
	return true
}

// writeKeyword writes the keyword blocks into a snapshot.
func (ix *Index) writeKeyword(w *snapWriter) {
	w.slice(u32bytes(ix.kw.first))
	for _, k := range ix.kw.blocks {
		for _, b := range [][]byte{u64bytes(k.terms), u32bytes(k.offs), u32bytes(k.docs), k.tfs, u32bytes(k.coffs), u32bytes(k.ctx), u32bytes(k.df), f32bytes(k.docLen), k.maxTF} {
			w.align(8)
			w.slice(b)
		}
	}
}

// readKeyword reads what writeKeyword wrote, mapping the blocks' arrays
// where they lie in the file (recorded in maps) when it can.
func (ix *Index) readKeyword(r *snapReader, maps *[][]byte) {
	kb := &ix.kw
	kb.first = readU32(r)
	for b := 0; b+1 < len(kb.first) && r.err == nil; b++ {
		k := &kwBlock{notices: int(kb.first[b+1] - kb.first[b])}
		k.terms = asU64(r.mapped(8, maps))
		k.offs = asU32(r.mapped(4, maps))
		k.docs = asU32(r.mapped(4, maps))
		k.tfs = r.mapped(1, maps)
		k.coffs = asU32(r.mapped(4, maps))
		k.ctx = asU32(r.mapped(4, maps))
		k.df = asU32(r.mapped(4, maps))
		k.docLen = asF32(r.mapped(4, maps))
		k.maxTF = r.mapped(1, maps)
		k.setMinLen()
		kb.blocks = append(kb.blocks, k)
	}
	for _, k := range kb.blocks {
		kb.docLen = append(kb.docLen, k.docLen...)
	}
	kb.setAvg()
}

// blockEnd is one past the last entry of block b.
func (ix *Index) blockEnd(b int32) uint32 { return ix.start[ix.kw.first[b+1]] }

// allTerms returns every distinct term of the index.
func (ix *Index) allTerms() []uint64 {
	var out []uint64
	for _, k := range ix.kw.blocks {
		out = append(out, k.terms...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
