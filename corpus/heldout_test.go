package corpus

import (
	"fmt"
	"path/filepath"
	"testing"
)

// The held-out set (testdata/heldout) holds real notices whose truth was
// written from the notice text before the parser ever read them, so its
// score is the honest figure for notices nobody tuned on (see its
// README). Its floors are what the parser measured when the set was
// first scored: they may only go up, and they must not be raised by
// changing the parser while looking at this set's misses.
const (
	heldoutMinRight = 7  // scored tasks exactly right, of 51
	heldoutMinFound = 46 // roster members found, of 51
)

// TestHeldoutTruth scores the parser against the held-out truth files,
// as TestDevsetTruth does for the devset, and logs each notice's share.
func TestHeldoutTruth(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "heldout", "notices"))
	if err != nil {
		t.Fatal(err)
	}
	s := scoreTruth(t, c, filepath.Join("testdata", "heldout", "truth"), false)
	for _, n := range s.notices {
		t.Logf("%-55s tasks %2d/%-2d extra %d roster %d/%d", n.stem, n.right, n.scored, n.extra, n.found, n.members)
	}
	taskScore := float64(s.right) / float64(s.scored)
	rosterScore := float64(s.found) / float64(s.members)
	t.Logf("heldout: %d/%d scored tasks exactly right (%.1f%%), %d extra tasks, %d/%d roster members (%.1f%%), docnos %d/%d",
		s.right, s.scored, 100*taskScore, s.extra, s.found, s.members, 100*rosterScore, s.docnosRight, s.docnos)
	fmt.Printf("heldout parse score: tasks %d/%d (%.1f%%), extra %d, roster %d/%d (%.1f%%), deadlines %d/%d, leaders %d/%d, docnos %d/%d\n",
		s.right, s.scored, 100*taskScore, s.extra, s.found, s.members, 100*rosterScore,
		s.deadlinesRight, s.deadlines, s.leadersRight, s.leaders, s.docnosRight, s.docnos)
	if s.right < heldoutMinRight || s.found < heldoutMinFound {
		t.Errorf("heldout below its floor: tasks %d (floor %d), roster %d (floor %d)", s.right, heldoutMinRight, s.found, heldoutMinFound)
	}
}
