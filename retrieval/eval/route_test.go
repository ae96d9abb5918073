package eval_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/corpus/corpusgen"
	"github.com/assignbot/assignbot/retrieval"
	"github.com/assignbot/assignbot/retrieval/eval"
)

// TestRoutingChangesNoAnswer asks every question of the dev sets — the
// devset's, the development set's, every dialog's turns in their
// conversations and scopes, and the scale question mix — of an index that
// routes its vector half and of one that scans every vector
// (Options.ScanAll). Over the real notices it wants the same answers,
// citations and pages. It asks them again over a generated corpus, where
// routing asks a few of many notices; there hundreds of notices repeat the
// same passages, and among those the scan picks by the hashing noise of
// each notice's title, so it wants the same kind of answer citing the
// same passages (up to their years and figures), from any of the notices.
func TestRoutingChangesNoAnswer(t *testing.T) {
	dev, err := eval.DevsetCorpus(devsetDir)
	if err != nil {
		t.Fatal(err)
	}
	var questions []string
	devset, err := eval.DevsetQuestions(devsetDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range devset {
		questions = append(questions, q.Q)
	}
	devQs, err := eval.Read(strings.NewReader(eval.DevQuestions))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range devQs {
		questions = append(questions, q.Q)
	}
	mix := scaleMix(t)
	questions = append(questions, mix...)
	ds, err := eval.ReadDialogs(strings.NewReader(eval.Dialogs))
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	if _, err := corpusgen.Write(dir, corpusgen.Options{Notices: 240, TasksPerNotice: 5, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	gen, err := corpus.Load(dir)
	if err != nil {
		t.Fatal(err)
	}

	for _, set := range []struct {
		name      string
		c         *corpus.Corpus
		questions []string
		dialogs   []eval.Dialog
		alike     func(testing.TB, retrieval.Answer) string
	}{
		{"devset", dev, questions, ds, answerJSON},
		{"generated", gen, mix, nil, passagesCited},
	} {
		t.Run(set.name, func(t *testing.T) {
			if set.dialogs == nil && testing.Short() {
				t.Skip("the generated corpus: not with -short")
			}
			routed := answerer(t, set.c, retrieval.Options{})
			scan := answerer(t, set.c, retrieval.Options{ScanAll: true})
			same := func(what string, a, b retrieval.Answer) {
				t.Helper()
				if x, y := set.alike(t, a), set.alike(t, b); x != y {
					t.Errorf("%s: routed and scanned answers differ\nrouted:  %s\nscanned: %s", what, x, y)
				}
			}
			ctx := context.Background()
			for _, q := range set.questions {
				a, err := routed.Answer(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				b, err := scan.Answer(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				same(q, a, b)
			}
			for _, d := range set.dialogs {
				ca, cb := &retrieval.Conversation{}, &retrieval.Conversation{}
				if d.Scope != "" {
					ca.Scope = routed.Index().MatchScope(d.Scope)
					cb.Scope = scan.Index().MatchScope(d.Scope)
				}
				for _, turn := range d.Turns {
					a, err := routed.Converse(ctx, ca, turn.Q)
					if err != nil {
						t.Fatal(err)
					}
					b, err := scan.Converse(ctx, cb, turn.Q)
					if err != nil {
						t.Fatal(err)
					}
					same(d.ID+": "+turn.Q, a, b)
				}
			}
			r, all := routed.Index().VectorsScanned(), scan.Index().VectorsScanned()
			t.Logf("%d notices, %d entries: vectors compared routed %d, scanning all %d (%.0f%%)",
				len(set.c.Notices), len(routed.Index().Entries), r, all, 100*float64(r)/float64(all))
		})
	}
}

func answerer(tb testing.TB, c *corpus.Corpus, opt retrieval.Options) *retrieval.Answerer {
	tb.Helper()
	ix, err := retrieval.Build(context.Background(), c, opt)
	if err != nil {
		tb.Fatal(err)
	}
	return retrieval.NewAnswerer(ix, nil)
}

// answerJSON is an answer without its time.
func answerJSON(tb testing.TB, a retrieval.Answer) string {
	tb.Helper()
	a.TookMS = 0
	b, err := json.Marshal(a)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// passagesCited is what an answer says up to which of many notices
// repeating a passage it cites: its kind, and the kind, place and text of
// each citation without digits, in sorted order.
func passagesCited(tb testing.TB, a retrieval.Answer) string {
	var cs []string
	for _, c := range a.Citations {
		text := strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return -1
			}
			return r
		}, corpus.Normalize(c.Text))
		cs = append(cs, c.Kind+" "+c.Ref+" "+text)
	}
	slices.Sort(cs)
	return fmt.Sprintf("found %v, %s: %q", a.Found, a.Intent, cs)
}

// scaleMix reads the scale question mix (retrieval/testdata).
func scaleMix(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("../testdata/scale-questions.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if q := strings.TrimSpace(sc.Text()); q != "" {
			qs = append(qs, q)
		}
	}
	return qs
}
