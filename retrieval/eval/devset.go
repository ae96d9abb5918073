package eval

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

// The development set of real notices (corpus/testdata/devset): its
// questions are asked of the five built-in samples plus its notices, as
// its README says. The parser reads more of these notices as it grows, so
// the score is reported rather than fixed.

// DevsetCorpus loads the built-in samples and the notices of a devset
// folder (DIR/notices) as one corpus.
func DevsetCorpus(dir string) (*corpus.Corpus, error) {
	return corpus.LoadFS(unionFS{corpus.Samples, os.DirFS(filepath.Join(dir, "notices"))}, ".")
}

// DevsetQuestions reads a devset folder's questions.jsonl.
func DevsetQuestions(dir string) ([]Question, error) {
	return ReadFile(filepath.Join(dir, "questions.jsonl"))
}

// ReadFile reads a question set from a file.
func ReadFile(name string) ([]Question, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f)
}

// Score is how many questions of a set an answerer gets right.
type Score struct {
	Pass, Total int
	ByCat       map[string][2]int // category → pass, total
	Failed      []string          // id: why
	// Kept of Cited citations are ones a reader would keep (Precision);
	// Extra lists the answers that cite more than that.
	Kept, Cited int
	Extra       []string // id: kept/cited
}

// CitationPrecision is the share of judged citations a reader would keep;
// 1 when none were judged.
func (s Score) CitationPrecision() float64 {
	if s.Cited == 0 {
		return 1
	}
	return float64(s.Kept) / float64(s.Cited)
}

// Run asks every question and judges the answers.
func Run(ctx context.Context, ans *retrieval.Answerer, qs []Question) (Score, error) {
	s := Score{ByCat: map[string][2]int{}}
	for _, q := range qs {
		a, err := ans.Answer(ctx, q.Q)
		if err != nil {
			return s, err
		}
		k, n := Precision(q.Expect, a)
		s.Kept += k
		s.Cited += n
		if k < n {
			s.Extra = append(s.Extra, fmt.Sprintf("%s: %d/%d", q.ID, k, n))
		}
		c := s.ByCat[q.Cat]
		c[1]++
		s.Total++
		if why := Judge(q, a); why == "" {
			c[0]++
			s.Pass++
		} else {
			s.Failed = append(s.Failed, q.ID+": "+why)
		}
		s.ByCat[q.Cat] = c
	}
	return s, nil
}

// unionFS reads a folder from several file systems as one: the names of
// the first win.
type unionFS []fs.FS

func (u unionFS) Open(name string) (fs.File, error) {
	for _, f := range u {
		if file, err := f.Open(name); err == nil {
			return file, nil
		}
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (u unionFS) ReadDir(name string) ([]fs.DirEntry, error) {
	var out []fs.DirEntry
	seen := map[string]bool{}
	var firstErr error
	for _, f := range u {
		es, err := fs.ReadDir(f, name)
		if err != nil {
			firstErr = err
			continue
		}
		for _, e := range es {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	if len(out) == 0 && firstErr != nil {
		return nil, firstErr
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}
