package eval_test

import (
	"context"
	"strings"
	"testing"

	"github.com/assignbot/assignbot/retrieval"
	"github.com/assignbot/assignbot/retrieval/eval"
)

// TestDialogs plays the conversation test set over the samples and the
// devset notices, as `ask` reads several questions: each dialog is one
// conversation, in its scope when it has one.
func TestDialogs(t *testing.T) {
	ds, err := eval.ReadDialogs(strings.NewReader(eval.Dialogs))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) < 30 {
		t.Errorf("%d dialogs, want at least 30", len(ds))
	}
	c, err := eval.DevsetCorpus(devsetDir)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := retrieval.Build(context.Background(), c, retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ans := retrieval.NewAnswerer(ix, nil)
	for _, d := range ds {
		t.Run(d.ID, func(t *testing.T) {
			if len(d.Turns) < 2 {
				t.Errorf("a dialog of %d turns", len(d.Turns))
			}
			res, err := eval.RunDialog(context.Background(), ans, d)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range res {
				if r.Why != "" {
					t.Errorf("turn %d %q: %s\n%s", i+1, r.Q, r.Why, r.Answer)
				}
			}
		})
	}
}
