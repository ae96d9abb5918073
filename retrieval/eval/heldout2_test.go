package eval_test

import (
	"context"
	"path/filepath"
	"sort"
	"testing"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
	"github.com/assignbot/assignbot/retrieval/eval"
)

const heldout2Dir = "../../corpus/testdata/heldout2"

// The second held-out set's questions were written from its notices
// alone, before the bot had answered any of them (see the set's README):
// now that the first set is tuned on, this is the honest figure. The
// floors are what the answerer measured when the set was first run; they
// may only go up, and not by tuning on this set's misses.
const (
	heldout2QuestionsFloor = 24    // of 65: 25 at the first run, while one notice did not load; loaded, its roster answers a negative question (h2-65) with the group
	heldout2PrecisionFloor = 0.647 // 33/51 kept citations
)

// TestHeldout2Questions asks the second held-out set's questions of a
// corpus of its notices only, and logs the score by category, the
// citation precision and every miss.
func TestHeldout2Questions(t *testing.T) {
	c, err := corpus.Load(filepath.Join(heldout2Dir, "notices"))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := retrieval.Build(context.Background(), c, retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	qs, err := eval.ReadFile(filepath.Join(heldout2Dir, "questions.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := eval.Run(context.Background(), retrieval.NewAnswerer(ix, nil), qs)
	if err != nil {
		t.Fatal(err)
	}
	cats := make([]string, 0, len(s.ByCat))
	for c := range s.ByCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		t.Logf("%-12s %d/%d", c, s.ByCat[c][0], s.ByCat[c][1])
	}
	t.Logf("heldout2 questions %d/%d (%.1f%%), citation precision %.1f%% (%d/%d)", s.Pass, s.Total,
		100*float64(s.Pass)/float64(s.Total), 100*s.CitationPrecision(), s.Kept, s.Cited)
	for _, f := range s.Failed {
		t.Logf("miss %s", f)
	}
	for _, f := range s.Extra {
		t.Logf("extra citations %s", f)
	}
	if s.Pass < heldout2QuestionsFloor {
		t.Errorf("heldout2 questions %d/%d, below the floor of %d", s.Pass, s.Total, heldout2QuestionsFloor)
	}
	if s.CitationPrecision() < heldout2PrecisionFloor {
		t.Errorf("citation precision %.3f, below the floor of %.3f", s.CitationPrecision(), heldout2PrecisionFloor)
	}
}
