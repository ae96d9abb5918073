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

const heldoutDir = "../../corpus/testdata/heldout"

// The held-out questions were written from the held-out notices alone,
// before the bot had answered any of them (see the set's README): their
// score is the honest figure for notices and questions nobody tuned on.
// The floors are what the answerer measured when the set was first run;
// they may only go up, and not by tuning on this set's misses.
const (
	heldoutQuestionsFloor = 32    // of 65
	heldoutPrecisionFloor = 0.608 // 28/46 kept citations
)

// TestHeldoutQuestions asks the held-out questions of a corpus of the
// held-out notices only, and logs the score by category, the citation
// precision and every miss.
func TestHeldoutQuestions(t *testing.T) {
	c, err := corpus.Load(filepath.Join(heldoutDir, "notices"))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := retrieval.Build(context.Background(), c, retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	qs, err := eval.ReadFile(filepath.Join(heldoutDir, "questions.jsonl"))
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
	t.Logf("heldout questions %d/%d (%.1f%%), citation precision %.1f%% (%d/%d)", s.Pass, s.Total,
		100*float64(s.Pass)/float64(s.Total), 100*s.CitationPrecision(), s.Kept, s.Cited)
	for _, f := range s.Failed {
		t.Logf("miss %s", f)
	}
	for _, f := range s.Extra {
		t.Logf("extra citations %s", f)
	}
	if s.Pass < heldoutQuestionsFloor {
		t.Errorf("heldout questions %d/%d, below the floor of %d", s.Pass, s.Total, heldoutQuestionsFloor)
	}
	if s.CitationPrecision() < heldoutPrecisionFloor {
		t.Errorf("citation precision %.3f, below the floor of %.3f", s.CitationPrecision(), heldoutPrecisionFloor)
	}
}
