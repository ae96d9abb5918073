package eval_test

import (
	"context"
	"sort"
	"testing"

	"github.com/assignbot/assignbot/retrieval"
	"github.com/assignbot/assignbot/retrieval/eval"
)

const devsetDir = "../../corpus/testdata/devset"

// devsetFloor is the score the devset must keep: 56/56 since the parser
// reads its tables, leaders and rosters; a change that loses a question
// must say why.
const devsetFloor = 56

// TestDevset runs the real-notice question set offline and reports its
// score by category.
func TestDevset(t *testing.T) {
	c, err := eval.DevsetCorpus(devsetDir)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := eval.DevsetQuestions(devsetDir)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := retrieval.Build(context.Background(), c, retrieval.Options{})
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
		t.Logf("%-9s %d/%d", c, s.ByCat[c][0], s.ByCat[c][1])
	}
	t.Logf("devset %d/%d (%.0f%%)", s.Pass, s.Total, 100*float64(s.Pass)/float64(s.Total))
	for _, f := range s.Failed {
		t.Logf("miss %s", f)
	}
	if s.Total != 56 {
		t.Errorf("%d devset questions, want 56", s.Total)
	}
	if s.Pass < devsetFloor {
		t.Errorf("devset %d/%d, below the floor of %d", s.Pass, s.Total, devsetFloor)
	}
}
