package ledger

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/assignbot/assignbot/corpus"
)

func samples(tb testing.TB) *corpus.Corpus {
	tb.Helper()
	c, err := corpus.LoadFS(corpus.Samples, ".")
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// fixture is one small notice with what the samples lack: a responsible
// leader, guiding units (one in a clause's marker), 长期坚持, a recurring
// deadline and clauses with deadlines of their own.
func fixture(tb testing.TB) *corpus.Corpus {
	tb.Helper()
	c, err := corpus.Load("testdata")
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// workbook selects, writes and reads back the workbook.
func workbook(tb testing.TB, c *corpus.Corpus, f Filter) (*excelize.File, []byte) {
	tb.Helper()
	sel, err := Select(c, f)
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, sel); err != nil {
		tb.Fatal(err)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		tb.Fatalf("read back: %v", err)
	}
	tb.Cleanup(func() { wb.Close() })
	return wb, buf.Bytes()
}

// record is one data row of a sheet: cells by header, and the row number.
type record struct {
	n     int
	cells map[string]string
}

func (r record) get(head string) string { return r.cells[head] }

// records reads a sheet's data rows by its header row.
func records(tb testing.TB, wb *excelize.File, sheet string) (header []string, out []record) {
	tb.Helper()
	rows, err := wb.GetRows(sheet)
	if err != nil {
		tb.Fatal(err)
	}
	if len(rows) == 0 {
		tb.Fatalf("%s: no header row", sheet)
	}
	header = rows[0]
	for i, row := range rows[1:] {
		r := record{n: i + 2, cells: map[string]string{}}
		for j, v := range row {
			r.cells[header[j]] = v
		}
		out = append(out, r)
	}
	return header, out
}

// cellName is the cell of a header's column in row n.
func cellName(tb testing.TB, header []string, head string, n int) string {
	tb.Helper()
	i := slices.Index(header, head)
	if i < 0 {
		tb.Fatalf("no column %s in %v", head, header)
	}
	name, err := excelize.CoordinatesToCellName(i+1, n)
	if err != nil {
		tb.Fatal(err)
	}
	return name
}

func find(rs []record, doc, ref string) (record, bool) {
	for _, r := range rs {
		if r.get("文号") == doc && r.get("任务编号") == ref {
			return r, true
		}
	}
	return record{}, false
}

func noticeByDoc(tb testing.TB, c *corpus.Corpus, docNumber string) *corpus.Notice {
	tb.Helper()
	for _, n := range c.Notices {
		if n.DocNumber == docNumber {
			return n
		}
	}
	tb.Fatalf("no notice %s", docNumber)
	return nil
}

func TestTaskSheetColumns(t *testing.T) {
	t.Parallel()
	wb, _ := workbook(t, samples(t), Filter{})
	header, _ := records(t, wb, SheetTasks)
	want := []string{"序号", "通知", "文号", "任务编号", "任务内容", "牵头单位", "责任单位", "完成时限", "来源文件"}
	if !slices.Equal(header, want) {
		t.Errorf("header = %v, want %v (no task of the samples has a leader or guiding unit)", header, want)
	}
	if got := wb.GetSheetList(); !slices.Equal(got, []string{SheetTasks, SheetUnits, SheetGroups}) {
		t.Errorf("sheets = %v", got)
	}
	if i := wb.GetActiveSheetIndex(); i != 0 {
		t.Errorf("active sheet %d, want the 任务台账", i)
	}
}

func TestTaskRowHasLeadAsWritten(t *testing.T) {
	t.Parallel()
	c := samples(t)
	wb, _ := workbook(t, c, Filter{})
	_, rs := records(t, wb, SheetTasks)
	r, ok := find(rs, "武政办〔2021〕22号", "二(二)3")
	if !ok {
		t.Fatal("no row for 武政办〔2021〕22号 二(二)3")
	}
	if got := r.get("牵头单位"); got != "市商务局" {
		t.Errorf("牵头单位 = %q, want 市商务局", got)
	}
	for _, u := range []string{"市自然资源和规划局", "市政务服务和大数据管理局"} {
		if !strings.Contains(r.get("责任单位"), u) {
			t.Errorf("责任单位 %q lacks %s", r.get("责任单位"), u)
		}
	}
	if !strings.Contains(r.get("任务内容"), "步行街") {
		t.Errorf("任务内容 = %q", r.get("任务内容"))
	}
	n := noticeByDoc(t, c, "武政办〔2021〕22号")
	if r.get("通知") != n.Title || r.get("来源文件") != n.Doc {
		t.Errorf("通知 %q, 来源文件 %q; want %q, %q", r.get("通知"), r.get("来源文件"), n.Title, n.Doc)
	}
	// 序号 runs 1…N down the sheet.
	for i, r := range rs {
		if r.get("序号") != strconv.Itoa(i+1) {
			t.Fatalf("row %d: 序号 %q", r.n, r.get("序号"))
		}
	}
	// Units stay as each notice writes them: the Traditional notice's too.
	var traditional bool
	for _, r := range rs {
		if strings.Contains(r.get("责任单位"), "市應急管理局") {
			traditional = true
		}
	}
	if !traditional {
		t.Error("no row keeps 市應急管理局 as the Traditional notice writes it")
	}
}

func TestClauseRows(t *testing.T) {
	t.Parallel()
	c := samples(t)
	wb, _ := workbook(t, c, Filter{})
	_, rs := records(t, wb, SheetTasks)

	want := 0
	for _, task := range c.Tasks() {
		want += max(1, len(task.Clauses))
	}
	if len(rs) != want {
		t.Errorf("%d rows, want %d (one per task, one per clause of a task with clauses)", len(rs), want)
	}
	// 武政办〔2022〕29号 二(二)2 has four clauses, each with its own units.
	n := noticeByDoc(t, c, "武政办〔2022〕29号")
	var task *corpus.Task
	for _, tk := range n.Tasks {
		if tk.Ref == "二(二)2" {
			task = tk
		}
	}
	if task == nil || len(task.Clauses) < 2 {
		t.Fatal("武政办〔2022〕29号 二(二)2 is not a task with clauses any more")
	}
	if _, ok := find(rs, n.DocNumber, "二(二)2"); ok {
		t.Error("a task with clauses also has a row of its own")
	}
	for _, cl := range task.Clauses {
		ref := "二(二)2-" + strconv.Itoa(cl.N)
		r, ok := find(rs, n.DocNumber, ref)
		if !ok {
			t.Errorf("no row %s", ref)
			continue
		}
		if r.get("牵头单位") != strings.Join(cl.LeadUnits, "、") || r.get("责任单位") != strings.Join(cl.ResponsibleUnits, "、") {
			t.Errorf("%s: 牵头 %q 责任 %q, want the clause's %v %v", ref, r.get("牵头单位"), r.get("责任单位"), cl.LeadUnits, cl.ResponsibleUnits)
		}
		if r.get("任务内容") != cl.Text {
			t.Errorf("%s: 任务内容 is not the clause's text", ref)
		}
	}
	// The second clause is led by 市发改委 and 武汉地铁集团, not the task's first lead.
	if r, _ := find(rs, n.DocNumber, "二(二)2-2"); r.get("牵头单位") != "市发改委、武汉地铁集团" {
		t.Errorf("二(二)2-2 牵头单位 = %q", r.get("牵头单位"))
	}
}

// dateCell checks that cell holds a real Excel date shown as yyyy-mm-dd and
// returns it.
func dateCell(tb testing.TB, wb *excelize.File, sheet, cell string) time.Time {
	tb.Helper()
	raw, err := wb.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		tb.Fatal(err)
	}
	serial, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		tb.Fatalf("%s!%s = %q: not a number, so not an Excel date", sheet, cell, raw)
	}
	if typ, _ := wb.GetCellType(sheet, cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		tb.Errorf("%s!%s has cell type %v", sheet, cell, typ)
	}
	id, err := wb.GetCellStyle(sheet, cell)
	if err != nil {
		tb.Fatal(err)
	}
	st, err := wb.GetStyle(id)
	if err != nil {
		tb.Fatal(err)
	}
	if st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd" {
		tb.Errorf("%s!%s: number format %v / %d, want yyyy-mm-dd", sheet, cell, st.CustomNumFmt, st.NumFmt)
	}
	shown, _ := wb.GetCellValue(sheet, cell)
	d, err := excelize.ExcelDateToTime(serial, false)
	if err != nil {
		tb.Fatal(err)
	}
	if shown != d.Format(time.DateOnly) {
		tb.Errorf("%s!%s shows %q for %s", sheet, cell, shown, d.Format(time.DateOnly))
	}
	return d
}

func TestDeadlinesAreDates(t *testing.T) {
	t.Parallel()
	c := samples(t)
	wb, _ := workbook(t, c, Filter{})
	header, rs := records(t, wb, SheetTasks)
	// Every row whose deadlines come to one date has a date cell with that
	// date; the others have the phrases as text.
	var dates, texts int
	i := 0
	for _, n := range c.Notices {
		for _, task := range n.Tasks {
			for _, row := range rowsOf(n, task) {
				r := rs[i]
				i++
				if r.get("任务编号") != row.Ref {
					t.Fatalf("row %d is %s, want %s", r.n, r.get("任务编号"), row.Ref)
				}
				date, text := Due(row.Deadlines)
				cell := cellName(t, header, "完成时限", r.n)
				switch {
				case !date.IsZero():
					dates++
					if got := dateCell(t, wb, SheetTasks, cell); !got.Equal(date) {
						t.Errorf("%s %s: %s, want %s", n.Name(), row.Ref, got, date)
					}
				case text != "":
					texts++
					if r.get("完成时限") != text {
						t.Errorf("%s %s: 完成时限 %q, want %q", n.Name(), row.Ref, r.get("完成时限"), text)
					}
				}
			}
		}
	}
	if dates == 0 {
		t.Error("no date cell in the samples' 台账")
	}
	// 广元's 四(十) sets three milestones (2020 and 2022): one cell, as written.
	for _, r := range rs {
		if r.get("任务编号") == "四(十)" && r.get("文号") == "" && strings.Contains(r.get("通知"), "广元") {
			if got := r.get("完成时限"); !strings.Contains(got, "到2020年") || !strings.Contains(got, "到2022年") {
				t.Errorf("广元 四(十) 完成时限 = %q", got)
			}
		}
	}
}

func TestDue(t *testing.T) {
	t.Parallel()
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, tc := range []struct {
		name string
		ds   []corpus.Deadline
		date time.Time
		text string
	}{
		{"None", nil, time.Time{}, ""},
		{"OneDate", []corpus.Deadline{{Kind: "due", Date: "2021-06-30", Phrase: "6月底前"}}, day("2021-06-30"), ""},
		{"SameDateTwoPhrases", []corpus.Deadline{{Date: "2022-12-31", Phrase: "到2022年"}, {Date: "2022-12-31", Phrase: "2022年底"}}, day("2022-12-31"), ""},
		{"TwoDates", []corpus.Deadline{{Date: "2020-12-31", Phrase: "到2020年"}, {Date: "2022-12-31", Phrase: "到2022年"}}, time.Time{}, "到2020年；到2022年"},
		{"Recurring", []corpus.Deadline{{Date: "2021-02-28", Phrase: "每年2月底前", Every: "year"}}, time.Time{}, "每年2月底前"},
		{"Ongoing", []corpus.Deadline{{Kind: "ongoing", Phrase: "长期坚持"}}, time.Time{}, "长期坚持"},
		{"DateAndOngoing", []corpus.Deadline{{Date: "2021-06-30", Phrase: "6月底前"}, {Kind: "ongoing", Phrase: "长期坚持"}}, time.Time{}, "6月底前；长期坚持"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			date, text := Due(tc.ds)
			if !date.Equal(tc.date) || text != tc.text {
				t.Errorf("Due = %v %q, want %v %q", date, text, tc.date, tc.text)
			}
		})
	}
}

// canonicalUnits splits a units cell and resolves each name.
func canonicalUnits(c *corpus.Corpus, cells ...string) []string {
	var out []string
	for _, cell := range cells {
		for _, u := range strings.Split(cell, "、") {
			if u != "" {
				out = append(out, c.Directory.Canonical(u))
			}
		}
	}
	return out
}

func TestUnitsSheetKeepsWrittenFormsTogether(t *testing.T) {
	t.Parallel()
	c := samples(t)
	wb, _ := workbook(t, c, Filter{})
	header, rs := records(t, wb, SheetUnits)
	if want := []string{"单位", "角色", "通知", "任务编号", "任务摘要", "完成时限"}; !slices.Equal(header, want) {
		t.Errorf("header = %v, want %v", header, want)
	}
	// Each canonical unit is one run of rows; within it 牵头 before 责任.
	written := map[string]map[string]bool{}
	done := map[string]bool{}
	prev := ""
	for _, r := range rs {
		key := c.Directory.Canonical(r.get("单位"))
		if key != prev && done[key] {
			t.Fatalf("row %d: %s (%s) appears again after other units", r.n, r.get("单位"), key)
		}
		if key != prev {
			done[prev] = true
		}
		prev = key
		if written[key] == nil {
			written[key] = map[string]bool{}
		}
		written[key][r.get("单位")] = true
		if !slices.Contains([]string{RoleLead, RoleResponsible, RoleGuide}, r.get("角色")) {
			t.Errorf("row %d: role %q", r.n, r.get("角色"))
		}
	}
	// 市发展改革委 (2021) and 市发改委 (2022) are one unit, printed as written.
	forms := written["市发展改革委"]
	if !forms["市发展改革委"] || !forms["市发改委"] {
		t.Errorf("市发展改革委 written as %v, want both 市发展改革委 and 市发改委", forms)
	}
	// Every line prints the unit exactly as its task (or clause) writes it.
	written2 := map[string][]string{} // notice name and ref → the row's units as written
	for _, n := range c.Notices {
		for _, task := range n.Tasks {
			for _, row := range rowsOf(n, task) {
				k := n.Name() + " " + row.Ref
				written2[k] = append(append(append(written2[k], row.Lead...), row.Responsible...), task.GuideUnits...)
			}
		}
	}
	for _, r := range rs {
		if units := written2[r.get("通知")+" "+r.get("任务编号")]; !slices.Contains(units, r.get("单位")) {
			t.Errorf("row %d: %s is not how %s %s writes it (%v)", r.n, r.get("单位"), r.get("通知"), r.get("任务编号"), units)
		}
	}
	for _, r := range rs {
		if r.get("通知") == "武政办〔2021〕22号" && r.get("单位") == "市发改委" {
			t.Errorf("row %d: 市发改委 in 武政办〔2021〕22号, which writes 市发展改革委", r.n)
		}
	}
	// Every unit of the task sheet is listed, with its role.
	_, tasks := records(t, wb, SheetTasks)
	want := 0
	for _, r := range tasks {
		want += len(canonicalUnits(c, r.get("牵头单位"), r.get("责任单位")))
	}
	if len(rs) != want {
		t.Errorf("按单位 has %d rows, the task sheet names %d units", len(rs), want)
	}
	// The row of 市商务局 leading 武政办〔2021〕22号 二(二)3.
	found := false
	for _, r := range rs {
		if r.get("单位") == "市商务局" && r.get("角色") == RoleLead && r.get("通知") == "武政办〔2021〕22号" && r.get("任务编号") == "二(二)3" {
			found = true
		}
	}
	if !found {
		t.Error("按单位 lacks 市商务局 牵头 武政办〔2021〕22号 二(二)3")
	}
}

func TestGroupsSheet(t *testing.T) {
	t.Parallel()
	c := samples(t)
	wb, _ := workbook(t, c, Filter{})
	header, rs := records(t, wb, SheetGroups)
	if want := []string{"通知", "小组", "角色", "姓名", "职务"}; !slices.Equal(header, want) {
		t.Errorf("header = %v, want %v", header, want)
	}
	n := noticeByDoc(t, c, "武政办〔2021〕22号")
	if len(n.Groups) == 0 {
		t.Fatal("the 000 notice has no roster any more")
	}
	g := n.Groups[0]
	var mine []record
	for _, r := range rs {
		if r.get("通知") == n.DocNumber {
			mine = append(mine, r)
		}
	}
	if len(mine) != len(g.Members)+1 {
		t.Fatalf("%d rows for %s, want %d members and the office", len(mine), n.DocNumber, len(g.Members))
	}
	for i, m := range g.Members {
		r := mine[i]
		if r.get("小组") != g.Name || r.get("角色") != m.Role || r.get("姓名") != m.Name || r.get("职务") != m.Title {
			t.Errorf("row %d = %v, want %+v", r.n, r.cells, m)
		}
	}
	if first := mine[0]; first.get("角色") != "组长" || first.get("姓名") != "江伟" {
		t.Errorf("first member: %v", first.cells)
	}
	if office := mine[len(mine)-1]; office.get("职务") != "办公室设在"+g.Office {
		t.Errorf("office row: %v", office.cells)
	}
}

func TestNoRostersNoGroupsSheet(t *testing.T) {
	t.Parallel()
	c := samples(t)
	// 广元's notice has tasks and no roster.
	sel, err := Select(c, Filter{Scope: "广元"})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range sel.Notices {
		if len(n.Groups) > 0 {
			t.Fatalf("%s has a roster now; pick another notice", n.Name())
		}
	}
	wb, _ := workbook(t, c, Filter{Scope: "广元"})
	if got := wb.GetSheetList(); !slices.Equal(got, []string{SheetTasks, SheetUnits}) {
		t.Errorf("sheets = %v, want no 领导小组 sheet", got)
	}
}

func TestFilters(t *testing.T) {
	t.Parallel()
	c := samples(t)
	full, _ := workbook(t, c, Filter{})
	_, all := records(t, full, SheetTasks)

	for _, tc := range []struct {
		name   string
		filter Filter
		keep   func(r record) bool // which rows of the full 台账 the filter keeps
	}{
		{"UnitShortName", Filter{Unit: "市经信局"}, func(r record) bool {
			return slices.Contains(canonicalUnits(c, r.get("牵头单位"), r.get("责任单位")), "市经济和信息化局")
		}},
		{"UnitFullName", Filter{Unit: "市发展和改革委员会"}, func(r record) bool {
			return slices.Contains(canonicalUnits(c, r.get("牵头单位"), r.get("责任单位")), "市发展改革委")
		}},
		{"DocNumber", Filter{Doc: "武政办〔2021〕22号"}, func(r record) bool { return r.get("文号") == "武政办〔2021〕22号" }},
		{"DocNumberOtherBrackets", Filter{Doc: "武政办[2021]22号"}, func(r record) bool { return r.get("文号") == "武政办〔2021〕22号" }},
		{"DocNumberSimplified", Filter{Doc: "武政办〔2020〕1号"}, func(r record) bool { return r.get("文号") == "武政辦〔2020〕1號" }},
		{"DocFilePrefix", Filter{Doc: "001_"}, func(r record) bool { return strings.HasPrefix(r.get("来源文件"), "001_") }},
		{"ScopeRegion", Filter{Scope: "广元"}, func(r record) bool { return strings.Contains(r.get("通知"), "广元") }},
		{"ScopeDocNumber", Filter{Scope: "〔2022〕"}, func(r record) bool { return strings.Contains(r.get("文号"), "〔2022〕") }},
		{"DueBefore", Filter{DueBefore: "2021-06-30"}, func(r record) bool {
			// The samples' early deadlines are all 广元's (2020); later ones are 2022.
			return strings.Contains(r.get("完成时限"), "2020")
		}},
		{"UnitAndScope", Filter{Unit: "市商务局", Scope: "广元"}, func(r record) bool {
			return strings.Contains(r.get("通知"), "广元") && slices.Contains(canonicalUnits(c, r.get("牵头单位"), r.get("责任单位")), "市商务局")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for _, r := range all {
				if tc.keep(r) {
					want = append(want, r.get("来源文件")+" "+r.get("任务编号"))
				}
			}
			if len(want) == 0 {
				t.Fatal("the filter should keep some rows of the samples")
			}
			if len(want) == len(all) {
				t.Fatal("the filter should drop some rows of the samples")
			}
			wb, _ := workbook(t, c, tc.filter)
			_, rs := records(t, wb, SheetTasks)
			var got []string
			for _, r := range rs {
				got = append(got, r.get("来源文件")+" "+r.get("任务编号"))
			}
			if !slices.Equal(got, want) {
				t.Errorf("kept %d rows, want %d\n got %v\nwant %v", len(got), len(want), got, want)
			}
		})
	}
}

func TestUnitFilterListsOnlyThatUnit(t *testing.T) {
	t.Parallel()
	c := samples(t)
	wb, _ := workbook(t, c, Filter{Unit: "市经信局"})
	_, rs := records(t, wb, SheetUnits)
	forms := map[string]bool{}
	for _, r := range rs {
		if key := c.Directory.Canonical(r.get("单位")); key != "市经济和信息化局" {
			t.Fatalf("row %d: %s in a 台账 of 市经信局", r.n, r.get("单位"))
		}
		forms[r.get("单位")] = true
	}
	if !forms["市经信局"] || !forms["市经济和信息化局"] {
		t.Errorf("written forms %v, want 市经信局 and 市经济和信息化局", forms)
	}
	// Rosters of the notices it has tasks in only.
	_, groups := records(t, wb, SheetGroups)
	if len(groups) == 0 {
		t.Error("no roster for a unit with tasks in notices that have rosters")
	}
}

func TestDueBeforeKeepsEarlierDates(t *testing.T) {
	t.Parallel()
	c := fixture(t)
	wb, _ := workbook(t, c, Filter{DueBefore: "2024-09-30"})
	header, rs := records(t, wb, SheetTasks)
	var refs []string
	for _, r := range rs {
		refs = append(refs, r.get("任务编号"))
		if r.get("完成时限") == "" {
			t.Errorf("%s: no deadline", r.get("任务编号"))
		}
	}
	// 一(一) 2024-06-30, 一(三) every February from 2024, 一(四)-1 2024-09-30;
	// not 一(四)-2 (2024-12-31), 长期坚持 or the task without a date.
	if want := []string{"一(一)", "一(三)", "一(四)-1"}; !slices.Equal(refs, want) {
		t.Errorf("rows %v, want %v", refs, want)
	}
	if d := dateCell(t, wb, SheetTasks, cellName(t, header, "完成时限", 4)); d.Format(time.DateOnly) != "2024-09-30" {
		t.Errorf("一(四)-1 due %s", d)
	}
	if _, err := Select(c, Filter{DueBefore: "30.9.2024"}); err == nil {
		t.Error("a malformed date is accepted")
	}
}

func TestLeaderGuideAndClauseDeadlines(t *testing.T) {
	t.Parallel()
	c := fixture(t)
	wb, _ := workbook(t, c, Filter{})
	header, rs := records(t, wb, SheetTasks)
	want := []string{"序号", "通知", "文号", "任务编号", "任务内容", "牵头单位", "责任单位", "指导单位", "责任领导", "完成时限", "来源文件"}
	if !slices.Equal(header, want) {
		t.Fatalf("header = %v, want %v", header, want)
	}
	byRef := map[string]record{}
	for _, r := range rs {
		byRef[r.get("任务编号")] = r
	}
	if r := byRef["一(一)"]; r.get("责任领导") != "张三" {
		t.Errorf("一(一) 责任领导 = %q", r.get("责任领导"))
	}
	if r := byRef["一(五)"]; r.get("指导单位") != "市发改委" {
		t.Errorf("一(五) 指导单位 = %q", r.get("指导单位"))
	}
	if r := byRef["一(二)"]; r.get("完成时限") != "长期坚持" {
		t.Errorf("一(二) 完成时限 = %q", r.get("完成时限"))
	}
	if r := byRef["一(三)"]; r.get("完成时限") != "每年2月底前" {
		t.Errorf("一(三) 完成时限 = %q, want the recurring phrase", r.get("完成时限"))
	}
	// Each clause gets the deadline written in it.
	for ref, day := range map[string]string{"一(四)-1": "2024-09-30", "一(四)-2": "2024-12-31"} {
		r, ok := byRef[ref]
		if !ok {
			t.Errorf("no row %s", ref)
			continue
		}
		if d := dateCell(t, wb, SheetTasks, cellName(t, header, "完成时限", r.n)); d.Format(time.DateOnly) != day {
			t.Errorf("%s due %s, want %s", ref, d.Format(time.DateOnly), day)
		}
	}
	// 按单位: 市发改委 leads 一(一) and guides 一(五), listed together.
	_, units := records(t, wb, SheetUnits)
	var fgw []string
	for _, r := range units {
		if r.get("单位") == "市发改委" {
			fgw = append(fgw, r.get("角色")+" "+r.get("任务编号"))
		}
	}
	if w := []string{"牵头 一(一)", "指导 一(五)"}; !slices.Equal(fgw, w) {
		t.Errorf("市发改委 in 按单位: %v, want %v", fgw, w)
	}
	// A guiding unit written in one clause's marker is the task's (clauses
	// carry no guiding units): one 指导 line under the task's number, not
	// one per clause.
	var guides, mzj []string
	for _, r := range units {
		if r.get("角色") == RoleGuide {
			guides = append(guides, r.get("单位")+" "+r.get("任务编号"))
		}
		if r.get("单位") == "市民政局" {
			mzj = append(mzj, r.get("角色")+" "+r.get("任务编号"))
		}
	}
	if w := []string{"市发改委 一(五)", "市大数据局 一(六)"}; !slices.Equal(guides, w) {
		t.Errorf("指导 lines %v, want %v", guides, w)
	}
	if w := []string{"牵头 一(五)", "牵头 一(六)-1", "责任 一(六)-2"}; !slices.Equal(mzj, w) {
		t.Errorf("市民政局 in 按单位: %v, want %v", mzj, w)
	}
	// The roster's office director.
	_, groups := records(t, wb, SheetGroups)
	if last := groups[len(groups)-1]; last.get("角色") != "办公室主任" || last.get("姓名") != "赵六" || last.get("职务") != "办公室设在市发改委" {
		t.Errorf("office row %v", last.cells)
	}
}

func TestLayout(t *testing.T) {
	t.Parallel()
	c := samples(t)
	wb, raw := workbook(t, c, Filter{})
	for _, sheet := range wb.GetSheetList() {
		header, rs := records(t, wb, sheet)
		last := cellName(t, header, header[len(header)-1], len(rs)+1)
		// Frozen header row.
		p, err := wb.GetPanes(sheet)
		if err != nil || !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
			t.Errorf("%s: panes %+v %v", sheet, p, err)
		}
		// Bold, filled header.
		id, _ := wb.GetCellStyle(sheet, "A1")
		st, _ := wb.GetStyle(id)
		if st.Font == nil || !st.Font.Bold {
			t.Errorf("%s: header not bold", sheet)
		}
		// Auto-filter over every row, header repeated when printed.
		names := map[string]string{}
		for _, dn := range wb.GetDefinedName() {
			if dn.Scope == sheet {
				names[dn.Name] = dn.RefersTo
			}
		}
		if got, want := names["_xlnm._FilterDatabase"], "'"+sheet+"'!$A$1:"+absCell(last); got != want {
			t.Errorf("%s: filter %q, want %q", sheet, got, want)
		}
		if got := names["_xlnm.Print_Titles"]; got != "'"+sheet+"'!$1:$1" {
			t.Errorf("%s: print titles %q", sheet, got)
		}
		// A4 landscape, one page wide.
		pl, err := wb.GetPageLayout(sheet)
		if err != nil || *pl.Size != 9 || *pl.Orientation != "landscape" || *pl.FitToWidth != 1 || *pl.FitToHeight != 0 {
			t.Errorf("%s: page layout %v %v %v %v", sheet, *pl.Size, *pl.Orientation, *pl.FitToWidth, err)
		}
		props, err := wb.GetSheetProps(sheet)
		if err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: fit to page not set", sheet)
		}
		hf, _ := wb.GetHeaderFooter(sheet)
		if hf == nil || !strings.Contains(hf.OddHeader, sheet) || !strings.Contains(hf.OddFooter, "&P") {
			t.Errorf("%s: header/footer %+v", sheet, hf)
		}
	}
	// Widths, wrapping and heights of the task sheet.
	header, rs := records(t, wb, SheetTasks)
	text := cellName(t, header, "任务内容", 2)
	col := text[:1]
	if w, _ := wb.GetColWidth(SheetTasks, col); w < 40 {
		t.Errorf("任务内容 is %v wide", w)
	}
	if w, _ := wb.GetColWidth(SheetTasks, "A"); w > 8 {
		t.Errorf("序号 is %v wide", w)
	}
	id, _ := wb.GetCellStyle(SheetTasks, text)
	if st, _ := wb.GetStyle(id); st.Alignment == nil || !st.Alignment.WrapText {
		t.Error("任务内容 does not wrap")
	}
	// Every row is high enough for its longest wrapped cell (LibreOffice
	// does not fit rows itself).
	for _, r := range rs {
		h, _ := wb.GetRowHeight(SheetTasks, r.n)
		for _, head := range []string{"任务内容", "责任单位", "通知"} {
			w, _ := wb.GetColWidth(SheetTasks, cellName(t, header, head, r.n)[:1])
			if lines := textLines(r.get(head), w); float64(lines)*14 > h {
				t.Fatalf("row %d is %v points high for %d lines of %s", r.n, h, lines, head)
			}
		}
	}
	// Excel repairs a sheet whose <col> elements are out of order.
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	colRe := regexp.MustCompile(`<col min="(\d+)"`)
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
			continue
		}
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		prev := 0
		for _, m := range colRe.FindAllSubmatch(b, -1) {
			n, _ := strconv.Atoi(string(m[1]))
			if n <= prev {
				t.Errorf("%s: column %d after %d", zf.Name, n, prev)
			}
			prev = n
		}
	}
}

// absCell turns E12 into $E$12.
func absCell(cell string) string {
	i := strings.IndexAny(cell, "0123456789")
	return "$" + cell[:i] + "$" + cell[i:]
}

func TestEmptySelection(t *testing.T) {
	t.Parallel()
	wb, _ := workbook(t, samples(t), Filter{Unit: "不存在的单位"})
	rows, err := wb.GetRows(SheetTasks)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][0] != emptyLine {
		t.Errorf("rows = %q, want the header and %q", rows, emptyLine)
	}
	if slices.Contains(wb.GetSheetList(), SheetGroups) {
		t.Error("a 领导小组 sheet for no notice")
	}
}

func TestWriteReportsWriterError(t *testing.T) {
	t.Parallel()
	sel, err := Select(samples(t), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	if err := Write(&failingWriter{after: 4096, err: boom}, sel); !errors.Is(err, boom) {
		t.Errorf("Write = %v, want %v", err, boom)
	}
}

type failingWriter struct {
	after int
	err   error
}

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after -= len(p); w.after < 0 {
		return 0, w.err
	}
	return len(p), nil
}

func TestTextLines(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		s     string
		width float64
		want  int
	}{
		{"Empty", "", 10, 1},
		{"FitsOneLine", "市商务局", 10, 1},      // 4 characters, 8.2 units
		{"WrapsChinese", "市商务局市商务局", 10, 2}, // 16.4 units
		{"Newlines", "一\n二\n三", 10, 3},
		{"Latin", strings.Repeat("a", 19), 10, 3}, // 19.95 units in 9.2 a line
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := textLines(tc.s, tc.width); got != tc.want {
				t.Errorf("textLines(%q, %v) = %d, want %d", tc.s, tc.width, got, tc.want)
			}
		})
	}
}

func TestFileName(t *testing.T) {
	t.Parallel()
	day := time.Date(2021, 12, 31, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		f    Filter
		want string
	}{
		{"All", Filter{}, "台账_20211231.xlsx"},
		{"Unit", Filter{Unit: "市商务局"}, "台账_市商务局_20211231.xlsx"},
		{"DocAndDate", Filter{Doc: "武政办〔2021〕22号", DueBefore: "2021-06-30"}, "台账_武政办〔2021〕22号_截至2021-06-30_20211231.xlsx"},
		{"Unsafe", Filter{Scope: "a/b:c d"}, "台账_abc_d_20211231.xlsx"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (&Selection{Filter: tc.f}).FileName(day); got != tc.want {
				t.Errorf("FileName = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestTooManyRows(t *testing.T) {
	t.Parallel()
	sel, err := Select(samples(t), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	// A limit of as many rows as the 任务台账 has: the 按单位 sheet has more.
	if err := write(&buf, sel, len(sel.Rows)); !errors.Is(err, ErrTooManyRows) {
		t.Errorf("Write = %v, want ErrTooManyRows", err)
	}
	if buf.Len() != 0 {
		t.Error("half a workbook written")
	}
}
