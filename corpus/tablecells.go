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

// isSeqHeader reports the first header cell of a one-cell-a-line table.
func isSeqHeader(l string) bool {
	l = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(l), "|"))
	return l == "序号" || l == "编号"
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
		if header == nil && l == "1" {
			for _, c := range cells[:len(cells)-1] {
				if c.text != "" {
					header = append(header, c.text)
				}
			}
		}
	}
	// The header runs from 序号 to the first row number, 1; a group row
	// may stand between them.
	h := 0
	for h < len(cells) && cells[h].text != "1" {
		h++
	}
	if h < 2 || h == len(cells) || h > 13 {
		return table{}, false
	}
	markGroups(cells)
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

// markGroups marks the group rows of a table's cells: a heading that says
// who answers for the rows below it (李四副市长负责事项) or a numbered
// heading (二、扩大有效投资), standing just before a row number.
func markGroups(cells []tableCell) {
	for k := 0; k+1 < len(cells); k++ {
		c := cells[k].text
		if !seqCell.MatchString(cells[k+1].text) || seqCell.MatchString(c) || c == "" {
			continue
		}
		short := utf8.RuneCountInString(c) <= maxHeadingRunes && !strings.ContainsAny(c, "。；;")
		cells[k].group = isGroupHeading(c) || short && groupLabel.MatchString(c) && k > 0 && lastRowCell(cells[:k])
	}
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
		starts := c.text == strconv.Itoa(next) && (rowStart < 0 || k > rowStart+1)
		if afterGroup && rowStart < 0 && seqCell.MatchString(c.text) {
			starts = true
			next, _ = strconv.Atoi(strings.TrimRight(c.text, ".、．"))
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
