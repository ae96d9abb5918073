package retrieval

import (
	"context"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/corpus/corpusgen"
)

// TestMaxScoreEqualsFullScoring: the MaxScore pass returns what scoring
// every entry that shares a term with the question returns — the same
// entries, scores and coverage to the bit, ties in the same order — for
// questions, phrases cut from the corpus and common words, with and
// without a filter of kinds and notices.
func TestMaxScoreEqualsFullScoring(t *testing.T) {
	dir := t.TempDir()
	if _, err := corpusgen.Write(dir, corpusgen.Options{Notices: 40, TasksPerNotice: 30, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	c, err := corpus.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The search over blocks of 7 notices; the reference over one block.
	ix, err := Build(context.Background(), c, Options{blockNotices: 7})
	if err != nil {
		t.Fatal(err)
	}
	one, err := Build(context.Background(), c, Options{blockNotices: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(ix.kw.blocks) < 5 || len(one.kw.blocks) != 1 {
		t.Fatalf("%d and %d blocks", len(ix.kw.blocks), len(one.kw.blocks))
	}
	samePostings(t, ix, one)
	rng := rand.New(rand.NewPCG(1, 2))
	questions := []string{
		"哪个单位牵头步行街建设任务？", "市商务局负责哪些任务", "部署阶段什么时候结束？",
		"建设", "工作", "市", "推进阶段的时间是什么时候？", "xyz不存在的词", "",
	}
	for range 60 {
		e := ix.Entries[rng.IntN(len(ix.Entries))]
		r := []rune(e.Text)
		if len(r) < 4 {
			continue
		}
		from := rng.IntN(len(r) - 3)
		questions = append(questions, string(r[from:min(len(r), from+2+rng.IntN(12))]))
	}
	var docs []string
	for i, n := range c.Notices {
		if i%3 == 0 {
			docs = append(docs, n.Doc)
		}
	}
	filters := map[string]*filter{
		"none":    nil,
		"tasks":   ix.newFilter(nil, []string{KindTask, KindClause}),
		"notices": ix.newFilter(docs, nil),
		"both":    ix.newFilter(docs[:3], []string{KindTask}),
		"clauses": ix.newFilter(docs[5:], []string{KindClause, KindDeadline}),
	}
	for _, limit := range []int{1, 7, keywordDepth} {
		for name, flt := range filters {
			for _, q := range questions {
				toks := terms(nil, corpus.Normalize(q))
				var wantTop []scored
				var extra []int
				got, gotExtra, gotCover := ix.keyword(toks, flt, limit, func(top []scored) []int {
					// A few entries the search may not have scored, as
					// vector hits are.
					extra = []int{rng.IntN(len(ix.Entries)), rng.IntN(len(ix.Entries))}
					if len(top) > 0 {
						extra = append(extra, top[len(top)-1].doc)
					}
					return extra
				})
				wantTop, wantCover := fullScoring(one, toks, flt, limit, extra)
				if len(got) != len(wantTop) {
					t.Fatalf("%s, limit %d, %q: %d results, want %d", name, limit, q, len(got), len(wantTop))
				}
				for i := range got {
					if got[i] != wantTop[i] {
						t.Fatalf("%s, limit %d, %q: result %d is %+v, want %+v", name, limit, q, i, got[i], wantTop[i])
					}
				}
				for i := range gotExtra {
					if gotCover[i] != wantCover[i] {
						t.Fatalf("%s, %q: coverage of extra entry %d is %v, want %v", name, q, gotExtra[i], gotCover[i], wantCover[i])
					}
				}
			}
		}
	}
}

// fullScoring is the keyword half as it was before MaxScore: every entry
// that shares a term with the question scored, term at a time, over an
// index of one block.
func fullScoring(ix *Index, query []uint64, flt *filter, limit int, extra []int) ([]scored, []float64) {
	k := &ix.kw.blocks[0].keywordIndex
	score := make([]float32, len(ix.Entries))
	cover := make([]float32, len(ix.Entries))
	var touched []int32
	seen := map[uint64]bool{}
	var coverAll float64
	for _, t := range query {
		if seen[t] {
			continue
		}
		seen[t] = true
		g, ok := k.lookup(t)
		df := 0
		if ok {
			df = int(k.df[g])
		}
		w := idf(len(ix.Entries), df)
		if w < minIDF {
			continue
		}
		content := isContentTerm(t)
		if content {
			coverAll += w
		}
		if !ok {
			continue
		}
		visit := func(d uint32, tf float64) {
			if !flt.allows(ix, d) {
				return
			}
			if score[d] == 0 && cover[d] == 0 {
				touched = append(touched, int32(d))
			}
			norm := 1.2 * (1 - 0.75 + 0.75*float64(ix.kw.docLen[d])/ix.kw.avgLen)
			score[d] += float32(w * tf * (1.2 + 1) / (tf + norm))
			if content {
				cover[d] += float32(w)
			}
		}
		// The entry's own postings, and every entry of a notice whose
		// context holds the term, once more.
		own, tfs := k.docs[k.offs[g]:k.offs[g+1]], k.tfs[k.offs[g]:k.offs[g+1]]
		j := 0
		for _, c := range k.ctx[k.coffs[g]:k.coffs[g+1]] {
			for ; j < len(own) && own[j] < ix.start[c]; j++ {
				visit(own[j], float64(tfs[j]))
			}
			for d := ix.start[c]; d < ix.start[c+1]; d++ {
				tf := 1.0
				if j < len(own) && own[j] == d {
					tf += float64(tfs[j])
					j++
				}
				visit(d, tf)
			}
		}
		for ; j < len(own); j++ {
			visit(own[j], float64(tfs[j]))
		}
	}
	share := func(d int) float64 {
		if coverAll == 0 {
			return 0
		}
		return float64(cover[d]) / coverAll
	}
	out := make([]scored, 0, len(touched))
	for _, d := range touched {
		out = append(out, scored{doc: int(d), score: float64(score[d]), cover: share(int(d))})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].doc < out[j].doc
	})
	out = out[:min(limit, len(out))]
	covers := make([]float64, len(extra))
	for i, d := range extra {
		covers[i] = share(d)
	}
	return out, covers
}

// samePostings fails unless two indexes of one corpus hold the same
// postings and document frequencies for every term, whatever their blocks.
func samePostings(tb testing.TB, a, b *Index) {
	tb.Helper()
	ta, tbb := a.allTerms(), b.allTerms()
	if !slices.Equal(ta, tbb) {
		tb.Fatalf("%d terms, and %d", len(ta), len(tbb))
	}
	if !slices.Equal(a.kw.docLen, b.kw.docLen) || a.kw.avgLen != b.kw.avgLen {
		tb.Fatal("entry lengths differ")
	}
	type posting struct {
		d  uint32
		tf float64
	}
	walk := func(ix *Index, t uint64) []posting {
		var out []posting
		for it := ix.iter(ix.segs(t)); it.d != endDoc; it.next(ix) {
			out = append(out, posting{it.d, it.tf})
		}
		return out
	}
	for _, t := range ta {
		if a.termDF(t) != b.termDF(t) {
			tb.Fatalf("term %x: df %d and %d", t, a.termDF(t), b.termDF(t))
		}
		pa, pb := walk(a, t), walk(b, t)
		if !slices.Equal(pa, pb) {
			tb.Fatalf("term %x: postings differ:\n%v\n%v", t, pa, pb)
		}
		for _, p := range pa[:min(len(pa), 5)] {
			// Seeking finds what walking does.
			it := a.iter(a.segs(t))
			it.seek(a, p.d)
			if it.d != p.d || it.tf != p.tf {
				tb.Fatalf("term %x: seek %d found %d", t, p.d, it.d)
			}
		}
	}
}
