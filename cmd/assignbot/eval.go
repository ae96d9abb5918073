package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/assignbot/assignbot/retrieval"
	"github.com/assignbot/assignbot/retrieval/eval"
)

func cmdEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := addIndexFlags(fs, getenv)
	file := fs.String("questions", "", "question set in JSON lines (default: the built-in development set)")
	verbose := fs.Bool("v", false, "print every question with its answer")
	devset := fs.String("devset", "", "run a devset folder (corpus/testdata/devset): its questions over the built-in samples plus its notices")
	dialogs := fs.String("dialogs", "", "a dialog set in JSON lines to play as conversations (\"chat\": the built-in chat dialogs)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	var r io.Reader = strings.NewReader(eval.DevQuestions)
	if *devset != "" && *file == "" {
		*file = filepath.Join(*devset, "questions.jsonl")
	}
	if *file != "" {
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	lines, err := eval.Read(r)
	if err != nil {
		return err
	}
	var ans *retrieval.Answerer
	if *devset != "" {
		c, err := eval.DevsetCorpus(*devset)
		if err != nil {
			return err
		}
		ix, err := retrieval.Build(ctx, c, retrieval.Options{Embedder: embedderFromEnv(getenv)})
		if err != nil {
			return err
		}
		ans = retrieval.NewAnswerer(ix, completerFromEnv(getenv))
	} else if ans, err = cfg.answerer(ctx, stderr); err != nil {
		return err
	}
	if *dialogs != "" {
		return evalDialogs(ctx, ans, *dialogs, *verbose, stdout)
	}
	type tally struct{ pass, total int }
	byCat := map[string]*tally{}
	var all tally
	kept, cited := 0, 0
	for _, l := range lines {
		a, err := ans.Answer(ctx, l.Q)
		if err != nil {
			return err
		}
		why := eval.Judge(l, a)
		ok := why == ""
		k, n := eval.Precision(l.Expect, a)
		kept += k
		cited += n
		t := byCat[l.Cat]
		if t == nil {
			t = &tally{}
			byCat[l.Cat] = t
		}
		t.total++
		all.total++
		if ok {
			t.pass++
			all.pass++
		}
		if *verbose || !ok {
			mark := "PASS"
			if !ok {
				mark = "FAIL " + why
			}
			fmt.Fprintf(stdout, "%-12s %s\n  Q: %s\n  A: %s\n", l.ID, mark, l.Q, strings.ReplaceAll(a.Text, "\n", "\n     "))
		}
	}
	cats := make([]string, 0, len(byCat))
	for c := range byCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	fmt.Fprintln(stdout)
	for _, c := range cats {
		fmt.Fprintf(stdout, "%-10s %d/%d\n", c, byCat[c].pass, byCat[c].total)
	}
	fmt.Fprintf(stdout, "%-10s %d/%d\n", "overall", all.pass, all.total)
	fmt.Fprintf(stdout, "%d passed, %d failed\n", all.pass, all.total-all.pass)
	if cited > 0 {
		fmt.Fprintf(stdout, "citation precision %.1f%% (%d of %d judged citations)\n", 100*float64(kept)/float64(cited), kept, cited)
	}
	return nil
}

// evalDialogs plays a dialog set; a dialog passes when every turn does.
func evalDialogs(ctx context.Context, ans *retrieval.Answerer, name string, verbose bool, stdout io.Writer) error {
	var r io.Reader = strings.NewReader(eval.ChatDialogs)
	if name != "chat" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	ds, err := eval.ReadDialogs(r)
	if err != nil {
		return err
	}
	pass, kept, cited := 0, 0, 0
	for _, d := range ds {
		res, err := eval.RunDialog(ctx, ans, d)
		if err != nil {
			return err
		}
		ok := true
		for _, t := range res {
			kept += t.Kept
			cited += t.Cited
			ok = ok && t.Why == ""
		}
		if ok {
			pass++
		}
		if verbose || !ok {
			fmt.Fprintf(stdout, "%s\n", d.ID)
			for _, t := range res {
				mark := "PASS"
				if t.Why != "" {
					mark = "FAIL " + t.Why
				}
				fmt.Fprintf(stdout, "  Q: %s  %s\n  A: %s\n", t.Q, mark, strings.ReplaceAll(t.Answer, "\n", "\n     "))
			}
		}
	}
	fmt.Fprintf(stdout, "\ndialogs %d/%d\n", pass, len(ds))
	if cited > 0 {
		fmt.Fprintf(stdout, "citation precision %.1f%% (%d of %d judged citations)\n", 100*float64(kept)/float64(cited), kept, cited)
	}
	return nil
}
