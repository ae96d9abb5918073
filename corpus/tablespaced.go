package corpus

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Tables flattened to text with their cells apart by spaces. A page
// capture or a copy out of a PDF may keep a table's rows, one a line, but
// lose its borders, so that only a space parts two cells:
//
//	序号 重点工作任务 主要责任单位 协同配合单位
//	一、主要预期目标
//	1 地区生产总值增长6.5%左右。 区发改委 区财政局,各乡镇人民政府。
//	2 一般公共预算收入增长5%左右。 区财政局
//	区税务局
//	区政府有关部门,各乡镇人民政府。
//
// A cell that holds one unit a line (区财政局 / 区税务局) carries its rows
// over several lines. Units and task text hold no spaces, so a space is a
// cell's edge; when a row has more parts than the header has columns, the
// units standing alone on a line of their own join the cell above them.

// spacedRowRe starts a row: its number, a space, its text.
var spacedRowRe = regexp.MustCompile(`^(\d{1,3})[.、．]?\s+(\S)`)

// spacedHeader returns the column names of a header line whose cells
// stand apart by spaces (序号 重点工作任务 主要责任单位 协同配合单位), or nil.
func spacedHeader(l string) []string {
	fields := strings.Fields(l)
	if len(fields) < 3 || len(fields) > 12 || strings.Contains(l, "|") || strings.Contains(l, "\t") {
		return nil
	}
	if !isHeaderRow(fields) {
		return nil
	}
	return fields
}

// spacedTable reads a table whose cells stand apart by spaces from its
// header at lines[i].
func spacedTable(lines []string, i int) (table, bool) {
	names := spacedHeader(lines[i])
	t := table{start: i, header: roles(names)}
	textCol := indexOf(t.header, colText)
	type part struct {
		text  string
		alone bool // a single unit on a line of its own
		line  int  // the line it stands on
	}
	var parts []part
	rowLine, group := 0, ""
	emit := func() {
		if rowLine == 0 {
			return
		}
		// More parts than columns: a unit alone on its line continues the
		// unit cell above it (two lead units in one cell).
		for k := len(parts) - 1; k > 0 && len(parts) > len(names); k-- {
			if parts[k].alone && k-1 != textCol && k-1 > 0 {
				parts[k-1].text += "、" + parts[k].text
				parts = append(parts[:k], parts[k+1:]...)
			}
		}
		// Still more: the text cell held spaces of its own.
		for len(parts) > len(names) && textCol >= 0 && textCol+1 < len(parts) && parts[textCol+1].line == parts[textCol].line {
			parts[textCol].text += " " + parts[textCol+1].text
			parts = append(parts[:textCol+1], parts[textCol+2:]...)
		}
		cells := make([]string, len(parts))
		for k, p := range parts {
			cells[k] = p.text
			if k != textCol {
				cells[k] = strings.TrimRight(p.text, "。；;")
			}
		}
		t.rows = append(t.rows, tableRow{group: group, cells: cells, line: rowLine})
		parts, rowLine = nil, 0
	}
	j := i + 1
	for ; j < len(lines); j++ {
		l := strings.TrimSpace(lines[j])
		switch {
		case l == "":
			continue
		case spacedHeader(l) != nil:
			continue // the header again, on a new page
		case spacedRowRe.MatchString(l):
			emit()
			m := spacedRowRe.FindStringSubmatchIndex(l)
			rowLine = j + 1
			rest := l[m[4]:]
			parts = []part{{text: l[m[2]:m[3]], line: j}}
			for _, f := range strings.Fields(rest) {
				parts = append(parts, part{text: f, line: j})
			}
		case groupLabel.MatchString(l) && utf8.RuneCountInString(l) <= 40 && !strings.ContainsAny(l, "。；;"):
			emit()
			group = l
		case rowLine > 0 && unitsOnly(l):
			fields := strings.Fields(l)
			for _, f := range fields {
				parts = append(parts, part{text: f, line: j, alone: len(fields) == 1 && len(splitUnits(foldText(strings.TrimRight(f, "。；;")))) == 1})
			}
		default:
			if rowLine > 0 && textCol >= 0 && len(parts) > textCol+1 && startsWithUnit(l) {
				// The row's units go on in words no rule reads (a page cut
				// off mid-name: 区发改委,…谯城经开): which of its cells are
				// leads is not certain, so the row keeps its text only.
				parts = parts[:textCol+1]
			}
			emit()
			t.end = j
			return t, len(t.rows) > 0
		}
	}
	emit()
	t.end = j
	return t, len(t.rows) > 0
}

// unitsOnly reports a line every space-apart part of which is a list of
// units: the rest of a row's unit cells.
func unitsOnly(l string) bool {
	for _, f := range strings.Fields(l) {
		names := splitUnits(foldText(strings.TrimRight(f, "。；;")))
		if len(names) == 0 {
			return false
		}
		for _, n := range names {
			if !looksLikeUnit(n) {
				return false
			}
		}
	}
	return true
}

// unnumberedCellTable reads a table written one cell a line whose 序号
// column is empty in every row, so that no row number shows where a row
// starts (a page that numbered its rows with a list style the copy lost).
// The rows are then told apart by their size alone: each row is one cell
// for every column after 序号, its unit cells lists of units and its text
// cell none. Rows are numbered in order; the table ends at the first run
// of cells that is no such row.
func unnumberedCellTable(lines []string, i int) (table, bool) {
	type cell struct {
		text string
		line int
	}
	var cells []cell
	for j := i; j < len(lines) && len(cells) < 400; j++ {
		if l := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(lines[j]), "|")); l != "" {
			cells = append(cells, cell{l, j})
		}
	}
	h := 0
	for h < len(cells) && h < 12 && (h == 0 || mayBeHeaderWord(cells[h].text)) {
		h++
	}
	var names []string
	for _, c := range cells[:h] {
		names = append(names, c.text)
	}
	header := roles(names)
	if h < 3 || !isHeaderRow(names) || header[0] != colSeq {
		return table{}, false
	}
	width := h - 1
	t := table{start: i, header: header, unnumbered: true}
	end := cells[h-1].line + 1
	for k := h; k+width <= len(cells); k += width {
		row := []string{""}
		ok := true
		for c := 0; c < width; c++ {
			v := cells[k+c].text
			switch header[c+1] {
			case colText:
				ok = ok && utf8.RuneCountInString(v) > 8 && !unitsOnly(v)
			case colLead, colResp, colGuide:
				ok = ok && unitsOnly(v)
			}
			row = append(row, v)
		}
		if !ok {
			break
		}
		row[0] = strconv.Itoa(len(t.rows) + 1)
		t.rows = append(t.rows, tableRow{cells: row, line: cells[k].line + 1})
		end = cells[k+width-1].line + 1
	}
	t.end = end
	return t, len(t.rows) > 0
}

// startsWithUnit reports a line whose first name reads as a unit.
func startsWithUnit(l string) bool {
	f := strings.Fields(l)
	if len(f) == 0 {
		return false
	}
	names := splitUnits(foldText(f[0]))
	return len(names) > 0 && looksLikeUnit(names[0])
}
