package corpus

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// taskKey is what a task must keep whatever file it came from: its ref,
// units, leader, deadlines and text (spaces aside: a PDF draws a line
// break where the .docx had a space).
func taskKey(t *Task) string {
	var dl []string
	for _, d := range t.Deadlines {
		dl = append(dl, d.Phrase)
	}
	return fmt.Sprintf("%s lead=%v resp=%v guide=%v leader=%q due=%v\n  %s", t.Ref, t.LeadUnits, t.ResponsibleUnits,
		t.GuideUnits, t.Leader, dl, strings.Join(strings.Fields(t.Text), ""))
}

func loadFixture(tb testing.TB, name string) *Notice {
	tb.Helper()
	data, err := os.ReadFile("testdata/formats/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	c := &Corpus{Directory: NewDirectory()}
	n, fr := c.ParseFile(name, data)
	if n == nil {
		tb.Fatalf("%s not loaded: %+v", name, fr)
	}
	return n
}

// sameTasks fails unless got has the tasks of want, in order.
func sameTasks(tb testing.TB, got, want *Notice, min int) {
	tb.Helper()
	if len(want.Tasks) < min {
		tb.Fatalf("%s: %d tasks, want at least %d", want.Doc, len(want.Tasks), min)
	}
	for _, w := range want.Tasks {
		if len(w.LeadUnits)+len(w.ResponsibleUnits) == 0 {
			tb.Errorf("%s: task %s has no units", want.Doc, w.Ref)
		}
	}
	for i := 0; i < max(len(got.Tasks), len(want.Tasks)); i++ {
		var g, w string
		if i < len(got.Tasks) {
			g = taskKey(got.Tasks[i])
		}
		if i < len(want.Tasks) {
			w = taskKey(want.Tasks[i])
		}
		if g != w {
			tb.Errorf("task %d:\n got %s\nwant %s", i, g, w)
		}
	}
}

// TestPDFDrawnTable: task tables that LibreOffice exported to PDF from a
// .docx (testdata/formats/make-pdf-fixtures.sh) load as the .docx does:
// cells wrapped over several lines, a group row spanning the table, the
// table running over three pages with its header row repeated on each
// (or, in table-norepeat, not repeated and a row broken by the page).
func TestPDFDrawnTable(t *testing.T) {
	want := loadFixture(t, "table.docx")
	for _, name := range []string{"table.pdf", "table-norepeat.pdf"} {
		t.Run(strings.TrimSuffix(name, ".pdf"), func(t *testing.T) {
			sameTasks(t, loadFixture(t, name), want, 24)
		})
	}
}

// TestPDFWrappedProse: a notice's numbered prose exported to PDF, every
// long item wrapped at the margin (inside unit markers and numbers, and
// over a page break), with a running header and page numbers, loads as
// its text does.
func TestPDFWrappedProse(t *testing.T) {
	sameTasks(t, loadFixture(t, "prose.pdf"), loadFixture(t, "prose-wuhan.txt"), 21)
}
