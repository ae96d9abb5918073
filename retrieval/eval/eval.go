// Package eval runs question sets against assignbot's answers: the
// development set with its expected citations is embedded, so that
// `assignbot eval` runs with no files around.
package eval

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

// DevQuestions is the development set in JSON lines.
//
//go:embed questions.jsonl
var DevQuestions string

// Question is one line of a question set: id, category, question and what
// a right answer shows.
type Question struct {
	ID     string `json:"id"`
	Cat    string `json:"cat"`
	Q      string `json:"q"`
	Expect Expect `json:"expect"`
}

// Expect is what a right answer shows.
type Expect struct {
	Cites [][2]string `json:"cites"` // [doc-prefix, ref-suffix]
	Mode  string      `json:"mode"`  // any: one among the first five citations; all: every one
	Has   [][]string  `json:"has"`   // groups of alternatives, one of each in the answer
	Found bool        `json:"found"`
	// Lacks are words the answer must not contain: another notice's
	// units, a scope it must not leave.
	Lacks []string `json:"lacks,omitempty"`
}

// Read parses a question set in JSON lines.
func Read(r io.Reader) ([]Question, error) {
	var qs []Question
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var q Question
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			return nil, fmt.Errorf("questions line %d: %w", n, err)
		}
		qs = append(qs, q)
	}
	return qs, sc.Err()
}

// Precision counts the citations of an answer a reader would keep: those
// the expectations name (a notice prefix and ref suffix). An answer that
// should find nothing keeps none. Unit listings are left out (they cite
// every task of the unit by design), and so are answers whose
// expectations name no citation: there is nothing to judge them by.
func Precision(e Expect, a retrieval.Answer) (kept, cited int) {
	if a.Intent == retrieval.IntentUnit || (e.Found && len(e.Cites) == 0) {
		return 0, 0
	}
	for _, c := range a.Citations {
		cited++
		for _, x := range e.Cites {
			if citesRef(c, x[0], x[1]) {
				kept++
				break
			}
		}
	}
	return kept, cited
}

// citesRef says whether a citation names the place doc (a notice prefix)
// and ref (a ref suffix). A clause of a task — the part under one of its
// several unit markers — is also named as the truth files write it, the
// task's ref and the clause's number: 三(十三)-2.
func citesRef(c retrieval.Citation, doc, ref string) bool {
	if !strings.HasPrefix(c.Doc, doc) {
		return false
	}
	return strings.HasSuffix(c.Ref, ref) || c.Clause > 0 && strings.HasSuffix(fmt.Sprintf("%s-%d", c.Ref, c.Clause), ref)
}

// Judge applies a question's expectations to an answer and says why it
// fails, or "" when it passes.
func Judge(q Question, a retrieval.Answer) string { return JudgeExpect(q.Expect, a) }

// JudgeExpect applies expectations to an answer and says why it fails, or
// "" when it passes.
func JudgeExpect(e Expect, a retrieval.Answer) string {
	if a.Found != e.Found {
		return fmt.Sprintf("found=%v, want %v", a.Found, e.Found)
	}
	cited := func(doc, ref string, within int) bool {
		for i, c := range a.Citations {
			if within > 0 && i >= within {
				break
			}
			if citesRef(c, doc, ref) {
				return true
			}
		}
		return false
	}
	if len(e.Cites) > 0 {
		if e.Mode == "all" {
			for _, c := range e.Cites {
				if !cited(c[0], c[1], 0) {
					return fmt.Sprintf("not cited: %s %s", c[0], c[1])
				}
			}
		} else {
			ok := false
			for _, c := range e.Cites {
				ok = ok || cited(c[0], c[1], 5)
			}
			if !ok {
				return fmt.Sprintf("none of %v among the first five citations", e.Cites)
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
			return fmt.Sprintf("answer lacks one of %v", group)
		}
	}
	for _, w := range e.Lacks {
		if strings.Contains(text, corpus.Normalize(w)) {
			return fmt.Sprintf("answer says %q", w)
		}
	}
	return ""
}
