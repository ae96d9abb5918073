package corpus

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Tables written one cell a line. A table copied out of a web page, a PDF
// or a Word file into text loses its rows: each cell becomes a line, and
// only the row numbers (1, 2, 3 …) show where a row starts. Such a table
// may also carry
//
//   - its header again on each page or under each group;
//   - group rows between the rows (李四副市长负责事项, 一、县示范区管委会牵头工作),
//     each one line before the next row number, the numbers starting again
//     at 1 or running on;
//   - empty cells, shown as a further blank line when cells stand apart by
//     blank lines, or lost.

// tableCell is one cell of a table written one cell a line.
type tableCell struct {
	text  string
	line  int  // 1-based
	group bool // a group row (李四副市长负责事项), not a cell of a row
}

// isSeqHeader reports the first header cell of a one-cell-a-line table,
// padded or not (序  号).
func isSeqHeader(l string) bool {
	l = ToSimplified(strings.Join(strings.Fields(cellText(l)), ""))
	return l == "序号" || l == "编号"
}

// seqNumber is the row number a cell holds (1, 2., 3、), or 0.
func seqNumber(c string) int {
	if !seqCell.MatchString(c) {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimRight(c, ".、．"))
	return n
}

// cellTable reads a table written one cell a line from its 序号 header at
// lines[i]: cells end in " |", or stand apart by blank lines with one more
// blank line for an empty cell, or stand on consecutive lines.
func cellTable(lines []string, i int) (table, bool) {
	piped := strings.HasSuffix(strings.TrimSpace(lines[i]), "|")
	var cells []tableCell
	var header []string // the header's cells, once the first row number is seen
	j, blanks := i, 0
	for ; j < len(lines); j++ {
		l := strings.TrimSpace(lines[j])
		if piped {
			if !strings.HasSuffix(l, "|") {
				if l == "" {
					continue
				}
				break
			}
			l = strings.TrimSpace(strings.TrimSuffix(l, "|"))
		} else {
			if l == "" {
				blanks++
				continue
			}
			if annexHead.MatchString(l) || isSignature(l) {
				break
			}
		}
		if j > i && isSeqHeader(l) {
			// The header again, on a new page or under a group: skip it.
			// Any other header starts another table.
			end, ok := repeatedHeader(lines, j, header)
			if !ok {
				break
			}
			j, blanks = end-1, 0
			continue
		}
		// One blank line parts two cells; each further one is an empty cell.
		for ; blanks > 1 && len(cells) > 0; blanks-- {
			cells = append(cells, tableCell{line: j})
		}
		blanks = 0
		cells = append(cells, tableCell{text: l, line: j + 1})
		if header == nil && seqNumber(l) == 1 {
			// The header as printed, without a group row under it: what a
			// header printed again must match.
			markGroups(cells, 0)
			for _, c := range cells[:len(cells)-1] {
				if c.text != "" && !c.group {
					header = append(header, c.text)
				}
			}
		}
	}
	// The header runs from 序号 to the first row number, 1; a group row
	// may stand between them.
	h := 0
	for h < len(cells) && seqNumber(cells[h].text) != 1 {
		h++
	}
	if h < 2 || h == len(cells) || h > 13 {
		return table{}, false
	}
	var names []string
	group := ""
	for _, c := range cells[:h] {
		switch {
		case c.group:
			group = c.text
		case c.text != "":
			names = append(names, c.text)
		}
	}
	if len(names) > 12 || !isHeaderRow(names) {
		return table{}, false
	}
	t := table{start: i, end: j, header: roles(names)}
	markGroups(cells[h:], len(names))
	t.rows = cellRows(cells[h:], group)
	return t, len(t.rows) > 0
}

// repeatedHeader reports whether the lines from j repeat a table's header
// cells, and where they end.
func repeatedHeader(lines []string, j int, header []string) (int, bool) {
	if header == nil {
		return j, false
	}
	k := 0
	for ; j < len(lines) && k < len(header); j++ {
		l := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(lines[j]), "|"))
		if l == "" {
			continue
		}
		if l != header[k] {
			return j, false
		}
		k++
	}
	return j, k == len(header)
}

// markGroups marks the group rows of a table's cells: standing just
// before a row number, a heading that says who answers for the rows below
// it (李四副市长负责事项), a numbered heading (二、扩大有效投资), or any short
// line after a row that has all its ncols cells (产业发展类). ncols is 0
// while the header is not known.
func markGroups(cells []tableCell, ncols int) {
	for k := 0; k+1 < len(cells); k++ {
		c := cells[k].text
		if !seqCell.MatchString(cells[k+1].text) || seqCell.MatchString(c) || c == "" || cells[k].group {
			continue
		}
		short := utf8.RuneCountInString(c) <= maxHeadingRunes && !strings.ContainsAny(c, "。；;，,")
		// A numbered heading may run long: 一、主要经济社会发展指标、发改、财政
		// ……等工作目标(牵头领导:成坤、柯相国、王俊).
		numbered := utf8.RuneCountInString(c) <= 3*maxHeadingRunes && !strings.ContainsAny(c, "。；;") && groupLabel.MatchString(c)
		cells[k].group = isGroupHeading(c) ||
			numbered && k > 0 && lastRowCell(cells[:k]) ||
			short && ncols > 0 && rowFull(cells[:k], ncols) && kindOf(c) == kindText
	}
}

// rowFull reports whether the cells before k already make a whole row of
// ncols cells, its number first.
func rowFull(before []tableCell, ncols int) bool {
	for k := len(before) - 1; k >= 0; k-- {
		if before[k].group {
			return false
		}
		if seqCell.MatchString(before[k].text) {
			return len(before)-k >= ncols
		}
	}
	return false
}

// lastRowCell reports whether the cells before a numbered heading end a
// row: a numbered heading there is a group row only if the row before it
// has more than its number.
func lastRowCell(before []tableCell) bool {
	n := 0
	for k := len(before) - 1; k >= 0 && !seqCell.MatchString(before[k].text); k-- {
		if before[k].group || isSeqHeader(before[k].text) {
			return true
		}
		n++
	}
	return n >= 1
}

// cellRows splits a table's cells after its header into rows: a row starts
// at the next row number in sequence, or at any row number after a group
// row (the numbers may start again under each group).
func cellRows(cells []tableCell, group string) []tableRow {
	var rows []tableRow
	next, rowStart := 1, -1
	emit := func(end int) {
		if rowStart < 0 {
			return
		}
		var texts []string
		for _, c := range cells[rowStart:end] {
			texts = append(texts, c.text)
		}
		rows = append(rows, tableRow{group: group, cells: trimEmptyTail(texts), line: cells[rowStart].line})
		rowStart = -1
	}
	afterGroup := false
	for k, c := range cells {
		if c.group {
			emit(k)
			group, afterGroup = c.text, true
			continue
		}
		starts := seqNumber(c.text) == next && (rowStart < 0 || k > rowStart+1)
		if afterGroup && rowStart < 0 && seqNumber(c.text) > 0 {
			starts = true
			next = seqNumber(c.text)
		}
		afterGroup = false
		if starts {
			emit(k)
			rowStart = k
			next++
		}
	}
	emit(len(cells))
	return rows
}

func trimEmptyTail(cells []string) []string {
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	return cells
}

// Tables whose rows are numbered in their own text. Some tables have no
// 序号 column: the work is grouped by cells spanning rows (重点工作 一、…,
// 主要任务 (一)…) and each row's text opens with its number (2.纳入…).
// Flattened one cell a line, the groups, the numbered texts, the cells of
// units and the notes follow one another:
//
//	重点工作 / 主要 / 任务 / 工作措施 / 责任单位 / 备注
//	一、加大财政金融支持力度
//	(一)加强对防疫重点企业财税支持
//	市税务局等,各县、市、区政府,咸宁高新区管委会
//	2020年12月
//	2.纳入工信部支持……
//	市经信局、市财政局等,各县、市、区政府,咸宁高新区管委会
//
// Each cell is read by what it holds: a numbered heading is a group, a
// numbered text starts a row, a cell of unit names fills the row's unit
// column, anything after it the columns that follow. A cell of units with
// no text before it (the text lost from the copy) is a row of its own,
// numbered next, its text the group's title.

// maxHeaderWordRunes bounds one line of a header cell printed one a line
// (a cell may be broken over two lines: 主要 / 任务).
const maxHeaderWordRunes = 6

// mayBeHeaderWord is the cheap test for a line that may open a header
// printed one cell a line.
func mayBeHeaderWord(l string) bool {
	l = headerWord(l)
	n := utf8.RuneCountInString(l)
	return n >= 2 && n <= maxHeaderWordRunes && !strings.ContainsAny(l, "0123456789。，,、；;：:()（）|") && headerRole(l) != colOther
}

// numberedCellTable reads a table without a 序号 column, one cell a line,
// whose header starts at lines[i].
func numberedCellTable(lines []string, i int) (table, bool) {
	// The header: short lines of column names, a name broken over two
	// lines joined back (主要 / 任务).
	var names []string
	j := i
	for ; j < len(lines); j++ {
		l := headerWord(lines[j])
		n := utf8.RuneCountInString(l)
		if n == 0 {
			continue // cells apart by blank lines
		}
		if n > maxHeaderWordRunes || strings.ContainsAny(l, "0123456789。，,、；;：:()（）|") {
			break
		}
		if k := len(names) - 1; k >= 0 && headerRole(names[k]) == colOther && headerRole(names[k]+l) != colOther {
			names[k] += l
			continue
		}
		names = append(names, l)
	}
	if len(names) < 3 || len(names) > 10 || j == len(lines) {
		return table{}, false
	}
	if level, _, _ := labelOf(cellText(lines[j])); level == 0 {
		return table{}, false // the rows open with a number
	}
	header := roles(names)
	textCol := -1
	var unitCols []int
	for k, r := range header {
		switch r {
		case colSeq:
			return table{}, false
		case colText:
			if textCol >= 0 {
				header[textCol] = colOther // a column of groups, spanning rows
			}
			textCol = k
		case colLead, colResp, colGuide:
			unitCols = append(unitCols, k)
		}
	}
	if textCol < 0 || len(unitCols) == 0 || unitCols[0] < textCol {
		return table{}, false
	}
	header = append([]colRole{colSeq}, header...) // the row's own number
	t := table{start: i, header: header}

	var group, sub string
	var row []string // cells of the row being read, by column; nil between rows
	col := 0         // the last column filled
	num := 0         // the last row number under the current group
	line := 0
	flush := func() {
		if row != nil {
			t.rows = append(t.rows, tableRow{group: group, sub: sub, cells: row, line: line})
			row = nil
		}
	}
	open := func(n int, text string, at int) {
		flush()
		row = make([]string, len(header))
		row[0], row[textCol+1] = strconv.Itoa(n), text
		col, num, line = textCol+1, n, at
	}
	for ; j < len(lines); j++ {
		l := cellText(lines[j])
		if l == "" {
			continue
		}
		if annexHead.MatchString(l) || isSignature(l) || isSeqHeader(l) {
			break
		}
		level, label, rest := labelOf(l)
		switch {
		case level == 1:
			flush()
			group, sub, num = l, "", 0
		case level == 2:
			flush()
			sub, num = l, 0
		case level == 3:
			n, _ := strconv.Atoi(label)
			open(n, strings.TrimSpace(rest), j+1)
		case isUnitsCell(l):
			if row == nil {
				// The row's text is lost: the group's title stands for it.
				_, _, title := labelOf(firstNonEmpty([]string{sub, group}))
				open(num+1, title, j+1)
			}
			for _, c := range unitCols {
				if c+1 > col {
					row[c+1], col = l, c+1
					break
				}
			}
		case row != nil && col > textCol+1 && col+1 < len(header) && fitsAfterUnits(l, header[col+1]):
			col++
			row[col] = l // a note or a date in the column after the units
		case row != nil && col == textCol+1:
			row[col] += "\n" + l // the text goes on
		default:
			flush()
			t.end = j
			return t, len(t.rows) > 0
		}
	}
	flush()
	t.end = j
	return t, len(t.rows) > 0
}

// fitsAfterUnits reports whether a line can be the cell of a column after
// a row's units: a date under 完成时限, a short note under 备注; a
// paragraph there is the text after the table.
func fitsAfterUnits(l string, r colRole) bool {
	if r == colDeadline {
		return isDateCell(l)
	}
	return utf8.RuneCountInString(l) <= maxHeadingRunes && !strings.Contains(l, "。")
}

// isUnitsCell reports a cell that holds unit names and nothing else.
func isUnitsCell(l string) bool {
	norm := foldText(l)
	if strings.ContainsAny(norm, "。:") || utf8.RuneCountInString(norm) > 120 {
		return false
	}
	us := cellUnits(norm)
	if len(us) == 0 {
		return false
	}
	for _, u := range us {
		if !looksLikeUnit(u) {
			return false
		}
	}
	return true
}

// A row copied one cell a line loses its empty cells when no blank line
// marks them: 1 / 建设快速路。/ 市住建局 / 全年 / 市政府工作报告 under 序号 |
// 工作任务 | 牵头单位 | 责任单位 | 完成时限 | 任务来源. Which cells are
// missing is read from what the others hold: units go in a unit column,
// a date in the deadline column, and a lost cell among the unit columns
// is a later one (a task always has a lead; 配合单位 is often empty).

// placeCells places the cells to the right of a row's number and text in
// the columns cols (len(cells) <= len(cols)) and returns each cell's column.
// With nothing to tell them apart the cells stand rightmost, as before.
func placeCells(cells []string, cols []colRole) []int {
	if len(cols) > maxPlacedCols {
		// Too many ways to try: the cells stand rightmost.
		pos := make([]int, len(cells))
		for k := range pos {
			pos[k] = len(cols) - len(cells) + k
		}
		return pos
	}
	kinds := make([]cellKind, len(cells))
	for k, c := range cells {
		kinds[k] = kindOf(c)
	}
	best, bestScore := []int(nil), 0
	pos := make([]int, len(cells))
	// Every order-keeping choice of columns, rightmost placement first.
	var walk func(k, from int)
	walk = func(k, from int) {
		if k < 0 {
			score := 0
			for i, j := range pos {
				score += fit(kinds[i], cols[j])
			}
			if best == nil || score > bestScore {
				best, bestScore = append([]int(nil), pos...), score
			}
			return
		}
		for j := from; j >= k; j-- {
			pos[k] = j
			walk(k-1, j-1)
		}
	}
	walk(len(cells)-1, len(cols)-1)
	return best
}

// maxPlacedCols bounds the columns placeCells tries every placement in
// (at most C(12,6) = 924 of them).
const maxPlacedCols = 12

type cellKind int

const (
	kindText cellKind = iota
	kindEmpty
	kindUnits
	kindDate
)

func kindOf(c string) cellKind {
	switch {
	case c == "":
		return kindEmpty
	case isDateCell(c):
		return kindDate
	case isUnitsCell(c):
		return kindUnits
	}
	return kindText
}

// fit scores a cell of a kind in a column of a role.
func fit(k cellKind, r colRole) int {
	units := r == colLead || r == colResp || r == colGuide
	switch k {
	case kindUnits:
		switch {
		case r == colLead:
			return 3
		case units:
			return 2
		}
		return -3
	case kindDate:
		switch {
		case r == colDeadline:
			return 2
		case units || r == colLeader:
			return -3
		}
	}
	return 0
}

// isDateCell reports a cell that holds a deadline and nothing else:
// 2024年12月底前, 全年, 长期坚持.
func isDateCell(c string) bool {
	if utf8.RuneCountInString(c) > 24 || strings.ContainsAny(c, "。，,；;") {
		return false
	}
	if ongoingRe.MatchString(c) || strings.Contains(c, "全年") || strings.Contains(c, "年内") {
		return true
	}
	return len(datesIn(c, 2000)) > 0
}

// cellText is a line's cell without the " |" a captured table ends it with.
func cellText(l string) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(l), "|"))
}

// headerWord is a line's header cell without its padding: 责 任 单 位
// reads 责任单位.
func headerWord(l string) string {
	return strings.Join(strings.Fields(cellText(l)), "")
}
