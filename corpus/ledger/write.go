package ledger

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/assignbot/assignbot/corpus"
)

// The sheets of the workbook.
const (
	SheetTasks  = "任务台账"
	SheetUnits  = "按单位"
	SheetGroups = "领导小组"
)

// Roles a unit has in a row of the 按单位 sheet.
const (
	RoleLead        = "牵头"
	RoleResponsible = "责任"
	RoleGuide       = "指导"
)

// ErrTooManyRows is returned by Write when a sheet would pass Excel's limit
// of 1,048,576 rows: the selection must be narrowed.
var ErrTooManyRows = errors.New("more rows than a worksheet holds")

// maxRows is how many data rows a sheet holds besides its header.
const maxRows = excelize.TotalRows - 1

// emptyLine stands in the first data row of a sheet that has no rows, so a
// printed 台账 never looks like a failed export.
const emptyLine = "没有符合条件的任务"

// column is one column of a sheet: its header and its width in Excel's
// units (the width of a digit; a Chinese character takes about two).
type column struct {
	head  string
	width float64
}

// Write streams the selection as an .xlsx workbook to w: the 任务台账, the
// 按单位 sheet and, when the selected notices have rosters, the 领导小组
// sheet (left out otherwise rather than printed empty). Each sheet has a
// bold frozen header row repeated on every printed page, an auto-filter,
// column widths for its text, wrapped cells, and an A4 landscape page
// set-up one page wide with page numbers.
//
// The sheets' XML goes through excelize's StreamWriter, which keeps rows
// past 16 MB in a temporary file, and the zip is written straight to w,
// never assembled in memory.
func Write(w io.Writer, s *Selection) error { return write(w, s, maxRows) }

// write is Write with the rows a sheet may hold as a parameter, so that a
// test reaches the limit without a million rows.
func write(w io.Writer, s *Selection, rowLimit int) error {
	units := unitEntries(s)
	n := 0
	for _, g := range units {
		n += len(g)
	}
	if max(len(s.Rows), n) > rowLimit {
		return fmt.Errorf("%d task rows, %d unit rows: %w", len(s.Rows), n, ErrTooManyRows)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDefaultFont("宋体"); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	desc := s.Filter.String()
	if err := f.SetDocProps(&excelize.DocProperties{Title: "任务台账", Subject: desc, Creator: "assignbot", Description: "督办台账：任务、牵头单位、责任单位、完成时限"}); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetTasks); err != nil {
		return err
	}
	if err := writeTasks(f, st, s, desc); err != nil {
		return fmt.Errorf("%s: %w", SheetTasks, err)
	}
	if _, err := f.NewSheet(SheetUnits); err != nil {
		return err
	}
	if err := writeUnits(f, st, units, desc); err != nil {
		return fmt.Errorf("%s: %w", SheetUnits, err)
	}
	if hasRosters(s) {
		if _, err := f.NewSheet(SheetGroups); err != nil {
			return err
		}
		if err := writeGroups(f, st, s, desc); err != nil {
			return fmt.Errorf("%s: %w", SheetGroups, err)
		}
	}
	// The first sheet is the active one already: SetActiveSheet would read
	// every streamed sheet back into memory.

	// excelize assembles the zip in a bytes.Buffer before copying it to w;
	// its ZipWriter hook lets the archive go to w directly instead.
	ew := &errWriter{w: w}
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(ew) })
	if _, err := f.WriteTo(io.Discard); err != nil {
		if ew.err != nil {
			return ew.err
		}
		return err
	}
	return ew.err
}

// errWriter remembers the first error of w, which excelize may not pass on.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// styles are the cell styles of the workbook.
type styles struct {
	head, text, center, date int
}

func newStyles(f *excelize.File) (styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	dateFmt := "yyyy-mm-dd"
	var st styles
	for _, s := range []struct {
		id    *int
		style *excelize.Style
	}{
		{&st.head, &excelize.Style{Border: border, Font: &excelize.Font{Bold: true, Family: "宋体", Size: 11},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.text, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&st.center, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top", WrapText: true}}},
		{&st.date, &excelize.Style{Border: border, CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}}},
	} {
		id, err := f.NewStyle(s.style)
		if err != nil {
			return st, err
		}
		*s.id = id
	}
	return st, nil
}

// sheet is one sheet being streamed.
type sheet struct {
	sw   *excelize.StreamWriter
	cols []column
	row  int // the last row written
}

// startSheet sets up the page of a sheet that will hold n data rows, then
// opens its stream and writes the header row. The page set-up, filter and
// print titles must be in place before the stream opens: the StreamWriter
// copies them from the worksheet it starts from.
func startSheet(f *excelize.File, st styles, name, desc string, cols []column, n int) (*sheet, error) {
	size, landscape, one, auto := 9, "landscape", 1, 0 // 9 is A4
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &size, Orientation: &landscape, FitToWidth: &one, FitToHeight: &auto}); err != nil {
		return nil, err
	}
	side, top, edge, centred := 0.4, 0.6, 0.3, true
	if err := f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &top, Bottom: &top, Header: &edge, Footer: &edge, Horizontally: &centred}); err != nil {
		return nil, err
	}
	header := "&C&B&14" + name
	if desc != "" {
		header = "&L" + headerText(desc) + header
	}
	if err := f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{OddHeader: header + "&R&D", OddFooter: "&C第 &P 页，共 &N 页"}); err != nil {
		return nil, err
	}
	last := colName(len(cols))
	if n == 0 {
		n = 1 // the empty-state line
	}
	if err := f.AutoFilter(name, "A1:"+last+strconv.Itoa(n+1), nil); err != nil {
		return nil, err
	}
	// AutoFilter replaces the sheet's properties, so fit-to-page comes after.
	fit := true
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return nil, err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + name + "'!$1:$1", Scope: name}); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	// Each width is put in front of the ones before it, and Excel wants
	// the columns in ascending order: set them from the last.
	for i := len(cols) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, cols[i].width); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return nil, err
	}
	sh := &sheet{sw: sw, cols: cols}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: st.head, Value: c.head}
	}
	return sh, sh.add(head, 22)
}

// headerText makes text safe for a printed page header: & escaped, at most
// 80 characters (Excel allows 255 for the whole header).
func headerText(s string) string {
	if utf8.RuneCountInString(s) > 80 {
		s = string([]rune(s)[:80]) + "…"
	}
	return strings.ReplaceAll(s, "&", "&&")
}

// add writes the next row; height in points, 0 to fit its wrapped text.
func (sh *sheet) add(cells []any, height float64) error {
	if height == 0 {
		height = sh.height(cells)
	}
	sh.row++
	return sh.sw.SetRow("A"+strconv.Itoa(sh.row), cells, excelize.RowOpts{Height: height})
}

// height is the row height that shows all of its wrapped text, in points.
// Excel fits rows when it opens a file but LibreOffice keeps the heights
// it is given (one line each when there are none), and a 台账 is printed:
// so the height is written out, estimated for 宋体 11pt, the default font
// of the workbook, erring on the tall side.
func (sh *sheet) height(cells []any) float64 {
	lines := 1
	for i, c := range cells {
		if i >= len(sh.cols) {
			break
		}
		if cell, ok := c.(excelize.Cell); ok {
			if s, ok := cell.Value.(string); ok {
				lines = max(lines, textLines(s, sh.cols[i].width))
			}
		}
	}
	return min(409, float64(lines)*14.5+4) // 409 points is Excel's limit
}

// textLines counts the lines s wraps to in a column of the width (in
// Excel's units, the width of a digit): in 宋体 a Chinese character or
// full-width mark takes two units, other characters one.
func textLines(s string, width float64) int {
	usable := max(width-0.8, 2.2)
	lines, cur := 1, 0.0
	for _, r := range s {
		if r == '\n' {
			lines++
			cur = 0
			continue
		}
		w := 1.05
		if r >= 0x1100 {
			w = 2.05
		}
		if cur+w > usable {
			lines++
			cur = 0
		}
		cur += w
	}
	return lines
}

// empty writes the empty-state line.
func (sh *sheet) empty(st styles) error {
	return sh.add([]any{excelize.Cell{StyleID: st.text, Value: emptyLine}}, 0)
}

func (sh *sheet) flush() error { return sh.sw.Flush() }

// colName is the letter of the n-th column (1 is A).
func colName(n int) string {
	s, _ := excelize.ColumnNumberToName(n)
	return s
}

// writeTasks writes the 任务台账: one row per task or clause. The 指导单位
// and 责任领导 columns appear only when some row has one, so the usual
// 台账 keeps its nine columns.
func writeTasks(f *excelize.File, st styles, s *Selection, desc string) error {
	var guide, leader bool
	for _, r := range s.Rows {
		guide = guide || len(r.Task.GuideUnits) > 0
		leader = leader || r.Task.Leader != ""
	}
	cols := []column{
		{"序号", 6}, {"通知", 22}, {"文号", 14}, {"任务编号", 10},
		{"任务内容", 52}, {"牵头单位", 18}, {"责任单位", 24},
	}
	if guide {
		cols = append(cols, column{"指导单位", 14})
	}
	if leader {
		cols = append(cols, column{"责任领导", 10})
	}
	cols = append(cols, column{"完成时限", 13}, column{"来源文件", 14})
	sh, err := startSheet(f, st, SheetTasks, desc, cols, len(s.Rows))
	if err != nil {
		return err
	}
	if len(s.Rows) == 0 {
		if err := sh.empty(st); err != nil {
			return err
		}
	}
	cells := make([]any, 0, len(cols))
	for i, r := range s.Rows {
		cells = append(cells[:0],
			excelize.Cell{StyleID: st.center, Value: i + 1},
			excelize.Cell{StyleID: st.text, Value: noticeTitle(r.Notice)},
			excelize.Cell{StyleID: st.center, Value: r.Notice.DocNumber},
			excelize.Cell{StyleID: st.center, Value: r.Ref},
			excelize.Cell{StyleID: st.text, Value: taskText(r)},
			excelize.Cell{StyleID: st.text, Value: joinUnits(r.Lead)},
			excelize.Cell{StyleID: st.text, Value: joinUnits(r.Responsible)},
		)
		if guide {
			cells = append(cells, excelize.Cell{StyleID: st.text, Value: joinUnits(r.Task.GuideUnits)})
		}
		if leader {
			cells = append(cells, excelize.Cell{StyleID: st.center, Value: r.Task.Leader})
		}
		cells = append(cells, dueCell(st, r.Deadlines), excelize.Cell{StyleID: st.text, Value: r.Notice.Doc})
		if err := sh.add(cells, 0); err != nil {
			return err
		}
	}
	return sh.flush()
}

// noticeTitle is the notice as the 通知 column names it: its title as
// printed, else how answers name it.
func noticeTitle(n *corpus.Notice) string {
	if n.Title != "" {
		return n.Title
	}
	return n.Name()
}

// taskText is the row's text, marked when a chat model proposed the task
// rather than the rules reading it: a 台账 is acted on, so say so.
func taskText(r Row) string {
	if r.Task.Extracted != "" {
		return "〔模型提取，请核对〕" + r.Text
	}
	return r.Text
}

func joinUnits(units []string) string { return strings.Join(units, "、") }

// dueCell is the 完成时限 cell: a date cell where the deadlines come to one
// date, the phrases as text otherwise.
func dueCell(st styles, ds []corpus.Deadline) excelize.Cell {
	date, text := Due(ds)
	if !date.IsZero() {
		return excelize.Cell{StyleID: st.date, Value: date}
	}
	return excelize.Cell{StyleID: st.center, Value: text}
}

// unitEntry is one line of the 按单位 sheet.
type unitEntry struct {
	written string
	role    string
	row     *Row
	ref     string
	due     []corpus.Deadline
}

// unitEntries lists every unit of the selected rows under its canonical
// key, keys in order of first appearance (the notices' own order: leads
// first), each key's lines by role (牵头, 责任, 指导) then by row. With a
// unit filter only that unit is listed.
func unitEntries(s *Selection) [][]unitEntry {
	type group struct{ byRole [3][]unitEntry }
	var (
		order  []*group
		byKey  = map[string]*group{}
		prevTk *corpus.Task
	)
	add := func(units []string, role int, e unitEntry) {
		for _, u := range units {
			key := s.dir.Canonical(u)
			if s.unit != "" && key != s.unit {
				continue
			}
			g := byKey[key]
			if g == nil {
				g = &group{}
				byKey[key] = g
				order = append(order, g)
			}
			e.written = u
			e.role = []string{RoleLead, RoleResponsible, RoleGuide}[role]
			g.byRole[role] = append(g.byRole[role], e)
		}
	}
	for i := range s.Rows {
		r := &s.Rows[i]
		add(r.Lead, 0, unitEntry{row: r, ref: r.Ref, due: r.Deadlines})
		add(r.Responsible, 1, unitEntry{row: r, ref: r.Ref, due: r.Deadlines})
		if r.Task != prevTk {
			// Guide units are the task's: one line per task, not per clause.
			add(r.Task.GuideUnits, 2, unitEntry{row: r, ref: r.Task.Ref, due: r.Task.Deadlines})
		}
		prevTk = r.Task
	}
	out := make([][]unitEntry, len(order))
	for i, g := range order {
		out[i] = append(append(g.byRole[0], g.byRole[1]...), g.byRole[2]...)
	}
	return out
}

// writeUnits writes the 按单位 sheet: each unit's tasks, the unit printed
// as each notice writes it but the forms of one unit kept together.
func writeUnits(f *excelize.File, st styles, groups [][]unitEntry, desc string) error {
	n := 0
	for _, g := range groups {
		n += len(g)
	}
	cols := []column{{"单位", 22}, {"角色", 7}, {"通知", 28}, {"任务编号", 11}, {"任务摘要", 50}, {"完成时限", 13}}
	sh, err := startSheet(f, st, SheetUnits, desc, cols, n)
	if err != nil {
		return err
	}
	if n == 0 {
		if err := sh.empty(st); err != nil {
			return err
		}
	}
	cells := make([]any, 0, len(cols))
	for _, g := range groups {
		for _, e := range g {
			cells = append(cells[:0],
				excelize.Cell{StyleID: st.text, Value: e.written},
				excelize.Cell{StyleID: st.center, Value: e.role},
				excelize.Cell{StyleID: st.text, Value: e.row.Notice.Name()},
				excelize.Cell{StyleID: st.center, Value: e.ref},
				excelize.Cell{StyleID: st.text, Value: summary(e.row.Text)},
				dueCell(st, e.due),
			)
			if err := sh.add(cells, 0); err != nil {
				return err
			}
		}
	}
	return sh.flush()
}

// summary is the first sentence of a task, at most 40 characters: enough
// to recognise it in a unit's list.
func summary(text string) string {
	text = strings.TrimSpace(text)
	if i := strings.IndexAny(text, "。；;\n"); i > 0 {
		text = text[:i]
	}
	if r := []rune(text); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return text
}

func hasRosters(s *Selection) bool {
	for _, n := range s.Notices {
		for _, g := range n.Groups {
			if len(g.Members) > 0 || g.Office != "" || g.OfficeDirector != "" {
				return true
			}
		}
	}
	return false
}

// writeGroups writes the 领导小组 sheet: every member of every leading
// group of the selected notices, then the group's office.
func writeGroups(f *excelize.File, st styles, s *Selection, desc string) error {
	type line struct{ notice, group, role, name, title string }
	var lines []line
	for _, n := range s.Notices {
		for _, g := range n.Groups {
			for _, m := range g.Members {
				group := g.Name
				if m.Group != "" {
					group += "（" + m.Group + "）"
				}
				lines = append(lines, line{n.Name(), group, m.Role, m.Name, m.Title})
			}
			if g.Office != "" || g.OfficeDirector != "" {
				l := line{notice: n.Name(), group: g.Name, role: "办公室", name: g.OfficeDirector}
				if g.OfficeDirector != "" {
					l.role = "办公室主任"
				}
				if g.Office != "" {
					l.title = "办公室设在" + g.Office
				}
				lines = append(lines, l)
			}
		}
	}
	cols := []column{{"通知", 22}, {"小组", 48}, {"角色", 12}, {"姓名", 10}, {"职务", 36}}
	sh, err := startSheet(f, st, SheetGroups, desc, cols, len(lines))
	if err != nil {
		return err
	}
	for _, l := range lines {
		cells := []any{
			excelize.Cell{StyleID: st.text, Value: l.notice},
			excelize.Cell{StyleID: st.text, Value: l.group},
			excelize.Cell{StyleID: st.center, Value: l.role},
			excelize.Cell{StyleID: st.center, Value: l.name},
			excelize.Cell{StyleID: st.text, Value: l.title},
		}
		if err := sh.add(cells, 0); err != nil {
			return err
		}
	}
	return sh.flush()
}
