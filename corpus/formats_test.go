package corpus

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/assignbot/assignbot/corpus/extract"
	"github.com/assignbot/assignbot/corpus/internal/pdfgen"
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
	data, err := os.ReadFile(filepath.Join("extract", "testdata", "formats", name))
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
		if len(w.LeadUnits)+len(w.ResponsibleUnits) == 0 && w.Leader == "" {
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
// .docx (extract/testdata/formats/make-pdf-fixtures.sh) load as the .docx does:
// cells wrapped over several lines, a group row spanning the table, the
// table running over three pages with its header row repeated on each
// (or, in table-norepeat, not repeated and rows broken by the page); in
// table-merged a two-row header repeated, one unit a paragraph and lead
// cells merged down over several rows; table-calc is a spreadsheet
// printed on landscape pages, read against its .xlsx.
func TestPDFDrawnTable(t *testing.T) {
	for _, c := range []struct{ pdf, docx string }{
		{"table.pdf", "table.docx"},
		{"table-norepeat.pdf", "table.docx"},
		{"table-merged.pdf", "table-merged.docx"},
		{"table-calc.pdf", "table-calc.xlsx"},
	} {
		t.Run(strings.TrimSuffix(c.pdf, ".pdf"), func(t *testing.T) {
			sameTasks(t, loadFixture(t, c.pdf), loadFixture(t, c.docx), 21)
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

// TestDrawnTableWordStyle: a table drawn the way Word and WPS export one
// (pdfgen.WordTable), as a PDF and as an OFD, loads to the tasks of the same
// table as pipe rows.
func TestDrawnTableWordStyle(t *testing.T) {
	rows := [][]string{{"序号", "重点工作", "责任领导", "责任单位", "完成时限"}}
	for i := 0; i < 4; i++ {
		rows = append(rows,
			[]string{"一、招商引资"},
			[]string{fmt.Sprint(3*i + 1), "坚持服务跟着项目走，优化“重点项目直通车”“无忧办”工作机制，落实重点项目“领导+专班”“项目管家”等制度，全力服务重大项目落地见效。", "叶林", "招商工作部、安商工作部", "全年"},
			[]string{fmt.Sprint(3*i + 2), "全力推进开发区“空间再造”，推动工业用地“腾笼换鸟”，力争全年盘活僵尸企业10家，盘活存量土地400亩。", "马振明", "改革办", "2025年6月底前"},
			[]string{fmt.Sprint(3*i + 3), "持续提升园区承载能力，加快推进开发区污水处理厂及污水管网提升项目，全面做好纬六路以北、中沟以北地块水电气路网等基础设施配套。", "张云峰", "规划建设局、经济发展局", "2025年117号文件印发之日起"},
		)
	}
	title := "2025年开发区重点工作及责任清单"
	var text strings.Builder
	text.WriteString(title + "\n\n")
	for _, r := range rows {
		text.WriteString("| " + strings.Join(r, " | ") + " |\n") // as the readers write a row
	}
	c := &Corpus{Directory: NewDirectory()}
	want, _ := c.ParseFile("清单.txt", []byte(text.String()))
	laid := pdfgen.WordTable(title, rows, []float64{36, 200, 54, 110, 75})
	if len(laid.Pages) < 2 {
		t.Fatalf("the table fills %d page, want more", len(laid.Pages))
	}
	// The same table open at its sides: no outer vertical rules.
	open := laid
	open.Draw = nil
	for _, d := range laid.Draw {
		var kept []string
		for _, op := range strings.Split(d, "\n") {
			if !strings.Contains(op, " 0.5 ") || !(strings.HasPrefix(op, "0 0 0 rg 59.75 ") || strings.HasPrefix(op, "0 0 0 rg 534.75 ")) {
				kept = append(kept, op)
			}
		}
		open.Draw = append(open.Draw, strings.Join(kept, "\n"))
	}
	for _, f := range []struct {
		name, format string
		data         []byte
	}{
		{"清单.pdf", "pdf", laid.Bytes()},
		{"清单.ofd", "ofd", pdfgen.OFD(laid)},
		{"开放边框.pdf", "pdf", open.Bytes()},
	} {
		t.Run(f.name, func(t *testing.T) {
			doc, err := extract.Text(t.Context(), f.format, f.data)
			if err != nil {
				t.Fatal(err)
			}
			out := strings.Join(doc.Lines, "\n")
			if strings.Count(out, title) != 1 || strings.Contains(out, "- 2 -") || strings.Count(out, "| 序号 |") != 1 {
				t.Errorf("title, page numbers or repeated headers left:\n%s", out)
			}
			got, fr := c.ParseFile(f.name, f.data)
			if got == nil {
				t.Fatalf("not loaded: %+v", fr)
			}
			sameTasks(t, got, want, 12)
		})
	}
}

// TestPDFParsesTasks: a PDF notice loads like any other, tasks and units
// included.
func TestPDFParsesTasks(t *testing.T) {
	c := &Corpus{Directory: NewDirectory()}
	n, fr := c.ParseFile("通知.pdf", pdfgen.PDF{Pages: pdfgen.Notice, Compress: true}.Bytes())
	if n == nil {
		t.Fatalf("not loaded: %+v", fr)
	}
	if fr.Format != "pdf" || len(n.Tasks) != 2 {
		t.Fatalf("format %q, %d tasks, want pdf and 2", fr.Format, len(n.Tasks))
	}
	if got := strings.Join(n.Tasks[0].LeadUnits, "、"); got != "市商务局" {
		t.Errorf("first task's lead = %q, want 市商务局", got)
	}
}

// TestParseFileContextStops: a parse whose context ends while it reads a
// slow PDF gives up with the context's reason, and leaves no reader
// running behind it (an upload check that times out relies on this).
func TestParseFileContextStops(t *testing.T) {
	slow := pdfgen.PDF{Pages: [][]string{{"x"}}, Draw: []string{strings.Repeat("1 0 0 1 0 0 cm\n", 1_500_000)}, Compress: true}.Bytes()
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	c := &Corpus{Directory: NewDirectory()}
	n, fr := c.ParseFileContext(ctx, "慢.pdf", slow)
	if n != nil || fr.Status != "skipped" || fr.Reason != context.DeadlineExceeded.Error() {
		t.Errorf("got %+v, want skipped for the context's deadline", fr)
	}
	buf := make([]byte, 1<<20)
	if s := string(buf[:runtime.Stack(buf, true)]); strings.Contains(s, "extract.readPDF") {
		t.Errorf("a PDF reader still runs after the parse returned:\n%s", s)
	}
}
