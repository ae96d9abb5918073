package eval_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/corpus/corpusgen"
	"github.com/assignbot/assignbot/retrieval"
	"github.com/assignbot/assignbot/retrieval/eval"
)

// TestRoutingChangesNoAnswer asks every question of the dev sets — the
// devset's, the development set's, every dialog's turns in their
// conversations and scopes, and the scale question mix over a generated
// corpus, where routing asks a few of many notices — of an index that
// routes its vector half and of one that scans every vector
// (Options.ScanAll), and wants the same answers, citations and pages.
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
	if _, err := corpusgen.Write(dir, corpusgen.Options{Notices: 60, TasksPerNotice: 20, Seed: 7}); err != nil {
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
	}{
		{"devset", dev, questions, ds},
		{"generated", gen, append(mix, questions...), nil},
	} {
		t.Run(set.name, func(t *testing.T) {
			routed := answerer(t, set.c, retrieval.Options{})
			scan := answerer(t, set.c, retrieval.Options{ScanAll: true})
			same := func(what string, a, b retrieval.Answer) {
				t.Helper()
				if x, y := answerJSON(t, a), answerJSON(t, b); x != y {
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
