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
	type tally struct{ pass, total int }
	byCat := map[string]*tally{}
	var all tally
	for _, l := range lines {
		a, err := ans.Answer(ctx, l.Q)
		if err != nil {
			return err
		}
		why := eval.Judge(l, a)
		ok := why == ""
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
	return nil
}
