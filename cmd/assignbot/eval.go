package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/eval"
	"github.com/assignbot/assignbot/retrieval"
)

// evalLine is one question of a question set (eval/questions.jsonl).
type evalLine struct {
	ID     string `json:"id"`
	Cat    string `json:"cat"`
	Q      string `json:"q"`
	Expect struct {
		Cites [][2]string `json:"cites"`
		Mode  string      `json:"mode"`
		Has   [][]string  `json:"has"`
		Found bool        `json:"found"`
	} `json:"expect"`
}

func cmdEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := addIndexFlags(fs, getenv)
	file := fs.String("questions", "", "question set in JSON lines (default: the built-in development set)")
	verbose := fs.Bool("v", false, "print every question with its answer")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	var r io.Reader = strings.NewReader(eval.DevQuestions)
	if *file != "" {
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	var lines []evalLine
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var l evalLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return fmt.Errorf("questions line %d: %w", n, err)
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	ans, err := cfg.answerer(ctx, stderr)
	if err != nil {
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
		ok, why := judge(l, a)
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

// judge applies a question's expectations to an answer: found or not, the
// expected citations (any: one among the first five; all: every one cited)
// and one alternative of each expected-text group in the answer.
func judge(l evalLine, a retrieval.Answer) (bool, string) {
	e := l.Expect
	if a.Found != e.Found {
		return false, fmt.Sprintf("found=%v, want %v", a.Found, e.Found)
	}
	cited := func(doc, ref string, within int) bool {
		for i, c := range a.Citations {
			if within > 0 && i >= within {
				break
			}
			if strings.HasPrefix(c.Doc, doc) && strings.HasSuffix(c.Ref, ref) {
				return true
			}
		}
		return false
	}
	if len(e.Cites) > 0 {
		if e.Mode == "all" {
			for _, c := range e.Cites {
				if !cited(c[0], c[1], 0) {
					return false, fmt.Sprintf("not cited: %s %s", c[0], c[1])
				}
			}
		} else {
			any := false
			for _, c := range e.Cites {
				any = any || cited(c[0], c[1], 5)
			}
			if !any {
				return false, fmt.Sprintf("none of %v among the first five citations", e.Cites)
			}
		}
	}
	text := corpus.Normalize(a.Text)
	for _, group := range e.Has {
		ok := false
		for _, alt := range group {
			ok = ok || strings.Contains(text, corpus.Normalize(alt))
		}
		if !ok {
			return false, fmt.Sprintf("answer lacks %v", group)
		}
	}
	return true, ""
}
