package eval_test

import (
	"context"
	"sort"
	"testing"

	"github.com/assignbot/assignbot/retrieval/eval"
)

// phrasingsFloor and phrasingsPrecisionFloor hold questions-phrasings.jsonl: questions written for
// the general mechanisms built against the misses of questions-new
// (members asked by post, the office that does a group's daily work,
// a task that sets no date, what is due in a window, "this notice" with
// nothing before it, a notice that names its place only in its text, a
// task that names no unit), and for the ways officials type in a group
// chat (Traditional script, half-width and full-width forms, spaces, a
// bare unit name, a typo), over notices other than the 21 of
// questions-new — each expectation written from the notice before the
// bot was run on it. They may only go up.
const (
	phrasingsFloor          = 31
	phrasingsPrecisionFloor = 0.83
)

// TestPhrasings runs questions-phrasings.jsonl and reports the score by
// category and the citation precision.
func TestPhrasings(t *testing.T) {
	qs, err := eval.ReadFile("questions-phrasings.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	s, err := eval.Run(context.Background(), chatAnswerer(t), qs)
	if err != nil {
		t.Fatal(err)
	}
	cats := make([]string, 0, len(s.ByCat))
	for c := range s.ByCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		t.Logf("%-14s %d/%d", c, s.ByCat[c][0], s.ByCat[c][1])
	}
	t.Logf("phrasings %d/%d (%.1f%%), citation precision %.1f%% (%d/%d)", s.Pass, s.Total,
		100*float64(s.Pass)/float64(s.Total), 100*s.CitationPrecision(), s.Kept, s.Cited)
	for _, f := range s.Failed {
		t.Logf("miss %s", f)
	}
	for _, f := range s.Extra {
		t.Logf("extra citations %s", f)
	}
	if s.Pass < phrasingsFloor {
		t.Errorf("phrasings %d/%d, below the floor of %d", s.Pass, s.Total, phrasingsFloor)
	}
	if s.CitationPrecision() < phrasingsPrecisionFloor {
		t.Errorf("citation precision %.3f, below the floor of %.3f", s.CitationPrecision(), phrasingsPrecisionFloor)
	}
}
