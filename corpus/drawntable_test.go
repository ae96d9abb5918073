package corpus

import (
	"fmt"
	"html"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
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
// .docx (testdata/formats/make-pdf-fixtures.sh) load as the .docx does:
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

// wordTable lays a table out on pages as Word and WPS draw one: every
// cell border a thin filled rectangle, each glyph placed on its own,
// digits set a quarter em off the Chinese around them, the title drawn
// twice a hair apart (a fake bold), the header row repeated on each page
// and a page number at each foot. A row of one cell spans the table.
func wordTable(title string, rows [][]string, widths []float64) testPDF {
	const (
		size, lead, pad = 10.5, 14.0, 4.0
		left, top, foot = 60.0, 770.0, 80.0
	)
	var p testPDF
	var shows []pdfShow
	var draw strings.Builder
	y := top
	newPage := func() {
		if len(p.pages) > 0 || len(shows) > 0 {
			shows = append(shows, pdfShow{290, 40, 9, fmt.Sprintf("- %d -", len(p.pages)+1)})
			p.pages = append(p.pages, nil)
			p.shows = append(p.shows, shows)
			p.draw = append(p.draw, draw.String())
		}
		shows, y = nil, top
		draw.Reset()
	}
	hrule := func(y float64) {
		total := 0.0
		for _, w := range widths {
			total += w
		}
		fmt.Fprintf(&draw, "0 0 0 rg %.2f %.2f %.2f 0.5 re f\n", left, y-0.25, total)
	}
	// wrap cuts a cell's text into lines of at most n runes.
	wrap := func(s string, w float64) []string {
		n := int((w - 2*pad) / size)
		var out []string
		rs := []rune(s)
		for len(rs) > n {
			out = append(out, string(rs[:n]))
			rs = rs[n:]
		}
		return append(out, string(rs))
	}
	drawRow := func(cells []string) {
		ws := widths
		if len(cells) == 1 {
			total := 0.0
			for _, w := range widths {
				total += w
			}
			ws = []float64{total}
		}
		var wrapped [][]string
		h := 0
		for i, c := range cells {
			wrapped = append(wrapped, wrap(c, ws[i]))
			h = max(h, len(wrapped[i]))
		}
		height := float64(h)*lead + 2*pad
		if y-height < foot {
			newPage()
			hrule(y)
			drawRowHeader(&draw, &shows, &y, rows[0], widths, hrule)
		}
		x := left
		for i, ls := range wrapped {
			for k, l := range ls {
				gx := x + pad
				prevDigit := false
				for j, r := range []rune(l) {
					digit := r >= '0' && r <= '9'
					if j > 0 && digit != prevDigit {
						gx += size / 4 // autospace between digits and Chinese
					}
					shows = append(shows, pdfShow{gx, y - pad - float64(k+1)*lead + 3, size, string(r)})
					gx += size
					prevDigit = digit
				}
			}
			fmt.Fprintf(&draw, "0 0 0 rg %.2f %.2f 0.5 %.2f re f\n", x-0.25, y-height, height)
			x += ws[i]
		}
		fmt.Fprintf(&draw, "0 0 0 rg %.2f %.2f 0.5 %.2f re f\n", x-0.25, y-height, height)
		y -= height
		hrule(y)
	}
	for _, d := range []float64{0, 0.3} {
		shows = append(shows, pdfShow{200 + d, top + d, 16, title})
	}
	y -= 30
	hrule(y)
	for _, r := range rows {
		drawRow(r)
	}
	newPage()
	return p
}

// drawRowHeader draws the header row again at the top of a new page.
func drawRowHeader(draw *strings.Builder, shows *[]pdfShow, y *float64, header []string, widths []float64, hrule func(float64)) {
	const size, height = 10.5, 22.0
	x := 60.0
	for i, c := range header {
		*shows = append(*shows, pdfShow{x + 4, *y - 15, size, c})
		fmt.Fprintf(draw, "0 0 0 rg %.2f %.2f 0.5 %.2f re f\n", x-0.25, *y-height, height)
		x += widths[i]
	}
	fmt.Fprintf(draw, "0 0 0 rg %.2f %.2f 0.5 %.2f re f\n", x-0.25, *y-height, height)
	*y -= height
	hrule(*y)
}

// TestDrawnTableWordStyle: a table drawn the way Word and WPS export one
// (wordTable), as a PDF and as an OFD, loads to the tasks of the same
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
		text.WriteString(pipeRow(r) + "\n")
	}
	c := &Corpus{Directory: NewDirectory()}
	want, _ := c.ParseFile("清单.txt", []byte(text.String()))
	laid := wordTable(title, rows, []float64{36, 200, 54, 110, 75})
	if len(laid.pages) < 2 {
		t.Fatalf("the table fills %d page, want more", len(laid.pages))
	}
	// The same table open at its sides: no outer vertical rules.
	open := laid
	open.draw = nil
	for _, d := range laid.draw {
		var kept []string
		for _, op := range strings.Split(d, "\n") {
			if !strings.Contains(op, " 0.5 ") || !(strings.HasPrefix(op, "0 0 0 rg 59.75 ") || strings.HasPrefix(op, "0 0 0 rg 534.75 ")) {
				kept = append(kept, op)
			}
		}
		open.draw = append(open.draw, strings.Join(kept, "\n"))
	}
	for _, f := range []struct {
		name    string
		data    []byte
		extract func([]byte) (string, error)
	}{
		{"清单.pdf", laid.bytes(t), pdfText},
		{"清单.ofd", ofdOf(t, laid), ofdText},
		{"开放边框.pdf", open.bytes(t), pdfText},
	} {
		t.Run(f.name, func(t *testing.T) {
			out, err := f.extract(f.data)
			if err != nil {
				t.Fatal(err)
			}
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

// ofdOf writes the pages of a testPDF made by wordTable as an OFD: each
// string a TextObject, each filled rectangle a PathObject, in millimetres
// with y turned round (OFD's grows downwards).
func ofdOf(tb testing.TB, p testPDF) []byte {
	tb.Helper()
	const height, mm = 842.0, 25.4 / 72
	var pages [][2]string
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages>`)
	for i := range p.pages {
		fmt.Fprintf(&doc, `<ofd:Page ID="%d" BaseLoc="Pages/Page_%d/Content.xml"/>`, i+1, i)
		var c strings.Builder
		c.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1">`)
		for j, s := range p.shows[i] {
			fmt.Fprintf(&c, `<ofd:TextObject ID="%d" Boundary="%g %g %g %g" Font="3" Size="%g"><ofd:TextCode X="0" Y="%g">%s</ofd:TextCode></ofd:TextObject>`,
				1000+j, s.x*mm, (height-s.y-s.size)*mm, s.size*float64(utf8.RuneCountInString(s.text))*mm, s.size*mm, s.size*mm, s.size*mm, html.EscapeString(s.text))
		}
		for j, op := range strings.Split(p.draw[i], "\n") {
			var x, y, w, h float64
			if n, _ := fmt.Sscanf(op, "0 0 0 rg %g %g %g %g re f", &x, &y, &w, &h); n != 4 {
				continue
			}
			x, y, w, h = x*mm, (height-y-h)*mm, w*mm, h*mm
			fmt.Fprintf(&c, `<ofd:PathObject ID="%d" Boundary="%g %g %g %g" Fill="true"><ofd:AbstractData>M 0 0 L %g 0 L %g %g L 0 %g C</ofd:AbstractData></ofd:PathObject>`,
				5000+j, x, y, w, h, w, w, h, h)
		}
		c.WriteString(`</ofd:Layer></ofd:Content></ofd:Page>`)
		pages = append(pages, [2]string{fmt.Sprintf("Doc_0/Pages/Page_%d/Content.xml", i), c.String()})
	}
	doc.WriteString(`</ofd:Pages></ofd:Document>`)
	parts := [][2]string{
		{"OFD.xml", `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">` +
			`<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`},
		{"Doc_0/Document.xml", doc.String()},
	}
	return zipFile(tb, append(parts, pages...)...)
}

// BenchmarkPDFDrawnTable reads the three-page LibreOffice table export.
func BenchmarkPDFDrawnTable(b *testing.B) {
	data, err := os.ReadFile("testdata/formats/table.pdf")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pdfText(data); err != nil {
			b.Fatal(err)
		}
	}
}
