package corpus

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/assignbot/assignbot/corpus/t2s"
)

// Tables. Many notices assign their tasks in a table — 序号 | 重点工作 |
// 牵头单位 | 责任单位 | 完成时限 — rather than in numbered paragraphs. A table
// reaches the parser in one of three shapes:
//
//   - pipe rows, one row a line: `| 1 | 任务 | 市商务局 |` (what the loader
//     makes of HTML, DOCX and spreadsheet tables);
//   - one cell a line, each ending in ` |` (a page capture of such a table);
//   - one cell a line, cells apart by a blank line, an empty cell as one
//     more blank line (a table copied out of a page or a PDF).
//
// Columns are found by their header text (headerRoles), so the order and
// the set of columns may vary. Each numbered row is a task; its ref is the
// row's 序号 under the table's group (一1: group row 一、… above row 1;
// 附件1-3: row 3 of the table under the heading 附件1; 二5: row 5 of the
// table under section 二、).

// colRole is what a table column holds.
type colRole int

const (
	colOther colRole = iota
	colSeq
	colText
	colLead
	colResp
	colGuide
	colLeader
	colDeadline
	colNote // 任务来源, 依据, 备注: about the task, not part of it
)

// headerRoles maps the words of a header cell to its column's role, most
// specific first. This table is the one place column names are read.
var headerRoles = []struct {
	word string
	role colRole
}{
	{"来源", colNote}, {"依据", colNote}, {"备注", colNote},
	{"序号", colSeq}, {"编号", colSeq},
	{"牵头领导", colLeader}, {"责任领导", colLeader}, {"分管领导", colLeader}, {"牵头市领导", colLeader}, {"分管省领导", colLeader}, {"分管市领导", colLeader}, {"联系领导", colLeader},
	{"牵头单位", colLead}, {"牵头部门", colLead}, {"主办单位", colLead}, {"主责单位", colLead}, {"牵头", colLead},
	{"指导部门", colGuide}, {"指导单位", colGuide},
	{"责任单位", colResp}, {"责任部门", colResp}, {"配合单位", colResp}, {"配合部门", colResp}, {"协办单位", colResp}, {"参与单位", colResp}, {"承办单位", colResp}, {"实施单位", colResp},
	{"完成时限", colDeadline}, {"时限", colDeadline}, {"完成时间", colDeadline}, {"时间节点", colDeadline}, {"截止时间", colDeadline},
	{"任务", colText}, {"工作", colText}, {"目标", colText}, {"举措", colText}, {"内容", colText}, {"事项", colText}, {"措施", colText}, {"指标", colText}, {"项目", colText},
}

func headerRole(cell string) colRole {
	c := strings.ReplaceAll(t2s.String(cell), " ", "")
	if strings.Contains(c, "牵头") && (strings.Contains(c, "责任") || strings.Contains(c, "配合")) && strings.Count(c, "单位")+strings.Count(c, "部门") > 1 {
		// 牵头单位及责任单位: one column of both roles; a unit marked （牵头）
		// or the notice's first-listed rule names the lead.
		return colResp
	}
	// A header is a label without its colon: read it by its parts, as
	// labels are (牵头责任单位, 协同单位, 牵头负责领导, 完成期限).
	if r := labelColumn(stripBrackets(foldText(c))); r != colOther {
		return r
	}
	for _, h := range headerRoles {
		if strings.Contains(c, h.word) {
			return h.role
		}
	}
	return colOther
}

// labelColumn is the role of a column whose header reads as a label; a
// header of several names (责任单位及责任人) takes the role of its units.
func labelColumn(c string) colRole {
	var person, date bool
	for _, part := range splitTopLevel(strings.NewReplacer("及", "、", "和", "、", "与", "、", "/", "、").Replace(c), "、") {
		kind, r := classifyLabel(part)
		switch kind {
		case labelUnits:
			switch r {
			case roleLead:
				return colLead
			case roleGuide:
				return colGuide
			}
			return colResp
		case labelPerson:
			person = true
		case labelDate:
			date = true
		}
	}
	switch {
	case person:
		return colLeader
	case date:
		return colDeadline
	}
	return colOther
}

// table is one table found in a notice's lines.
type table struct {
	start, end int // line range [start, end)
	header     []colRole
	rows       []tableRow
}

type tableRow struct {
	group string // the group row above (一、知识产权保护方面), if any
	sub   string // a group within the group ((一)加强对防疫重点企业财税支持), if any
	cells []string
	line  int
}

var (
	seqCell    = regexp.MustCompile(`^\d{1,3}[.、．]?$`)
	annexHead  = regexp.MustCompile(`^附件\s*(\d{1,2})\s*[:：]?$`)
	groupLabel = regexp.MustCompile(`^([一二三四五六七八九十]+)[、.．]`)
)

// findTables finds every table in the lines of a notice.
func findTables(lines []string) []table {
	var ts []table
	for i := 0; i < len(lines); i++ {
		var t table
		var ok bool
		switch l := lines[i]; {
		case strings.HasPrefix(l, "|") && strings.HasSuffix(l, "|") && strings.Count(l, "|") >= 3,
			strings.Count(l, "\t") >= 2:
			t, ok = pipeTable(lines, i)
		case isSeqHeader(l):
			t, ok = cellTable(lines, i)
		case mayBeHeaderWord(l):
			t, ok = numberedCellTable(lines, i)
		}
		if ok {
			groupAbove(lines, &t)
			ts = append(ts, t)
			i = t.end - 1
		}
	}
	return ts
}

// groupAbove takes the heading just above a table as the group of its
// first rows when it says who answers for them: 李四副市长负责事项, or
// 一、县示范区管委会牵头工作(8项). A heading numbered below the first level
// ((一)…) stays an item of the outline, which the table stands under.
func groupAbove(lines []string, t *table) {
	j := t.start - 1
	for j >= 0 && strings.TrimSpace(lines[j]) == "" {
		j--
	}
	if j < 0 {
		return
	}
	g := strings.TrimSpace(lines[j])
	if cells, ok := lineCells(g); ok && nonEmptyCells(cells) == 1 {
		g = firstNonEmpty(cells) // | 李四副市长负责事项 |
	}
	if !isGroupHeading(g) {
		return
	}
	if level, _, _ := labelOf(g); level > 1 {
		return
	}
	for k := range t.rows {
		if t.rows[k].group != "" {
			break
		}
		t.rows[k].group = g
	}
	t.start = j
}

// pipeTable reads consecutive pipe rows from lines[i].
func pipeTable(lines []string, i int) (table, bool) {
	t := table{start: i}
	group := ""
	var headerCells []string
	j := i
	for ; j < len(lines); j++ {
		cells, ok := lineCells(lines[j])
		if !ok {
			break
		}
		if isRuleRow(cells) {
			continue // a Markdown table's |---|---|
		}
		switch {
		case t.header == nil:
			if !isHeaderRow(cells) {
				if nonEmptyCells(cells) == 1 {
					if g := firstNonEmpty(cells); isGroupHeading(g) {
						group = g // the first group, above the header
					}
					continue // a title row above the header
				}
				return table{}, false
			}
			t.header, headerCells = roles(cells), cells
		case len(t.rows) == 0 && isSubHeader(cells):
			// A two-row header: 责任单位 over 牵头单位 | 配合单位.
			headerCells = mergeSubHeader(headerCells, cells)
			t.header = roles(headerCells)
		case isHeaderRow(cells):
			continue // the header again, on a new page or under a group
		case nonEmptyCells(cells) == 1 && !seqCell.MatchString(firstNonEmpty(cells)):
			group = firstNonEmpty(cells)
		default:
			t.rows = append(t.rows, tableRow{group: group, cells: cells, line: j + 1})
		}
	}
	t.end = j
	return t, t.header != nil && len(t.rows) > 0
}

// isSubHeader reports the second row of a two-row header: every cell
// empty or a column name of units or dates.
func isSubHeader(cells []string) bool {
	n := 0
	for _, c := range cells {
		if c == "" {
			continue
		}
		switch headerRole(c) {
		case colLead, colResp, colGuide, colLeader, colDeadline:
			n++
		default:
			return false
		}
	}
	return n >= 2
}

// mergeSubHeader puts the names of a second header row in place of the
// first row's cell they divide (责任单位 → 牵头单位, 配合单位).
func mergeSubHeader(top, sub []string) []string {
	var names []string
	for _, c := range sub {
		if c != "" {
			names = append(names, c)
		}
	}
	for i, c := range top {
		if r := headerRole(c); r == colLead || r == colResp || r == colGuide || strings.Contains(c, "单位") || strings.Contains(c, "分工") {
			out := append(append(append([]string(nil), top[:i]...), names...), top[i+1:]...)
			return out
		}
	}
	return top
}

// lineCells splits a table row written on one line: | a | b | (the
// loader's tables) or a\tb\tc (a table pasted into a text file).
func lineCells(l string) ([]string, bool) {
	var cells []string
	switch t := strings.TrimSpace(l); {
	case strings.HasPrefix(t, "|") && strings.HasSuffix(t, "|") && len(t) > 1:
		cells = strings.Split(strings.Trim(t, "|"), "|")
	case strings.Count(l, "\t") >= 1:
		cells = strings.Split(l, "\t")
	default:
		return nil, false
	}
	for k := range cells {
		cells[k] = strings.TrimSpace(cells[k])
	}
	return cells, true
}

var ruleCell = regexp.MustCompile(`^:?-{3,}:?$`)

// isRuleRow reports a Markdown table's rule under its header.
func isRuleRow(cells []string) bool {
	for _, c := range cells {
		if !ruleCell.MatchString(c) {
			return false
		}
	}
	return len(cells) > 0
}

// isHeaderRow reports a header: a 序号 column, a text column and a column
// of units.
func isHeaderRow(cells []string) bool {
	var seq, text, units bool
	for _, c := range cells {
		if utf8.RuneCountInString(c) > 12 {
			return false
		}
		switch headerRole(c) {
		case colSeq:
			seq = true
		case colText:
			text = true
		case colLead, colResp, colGuide:
			units = true
		}
	}
	return seq && text && units
}

func roles(cells []string) []colRole {
	rs := make([]colRole, len(cells))
	for i, c := range cells {
		rs[i] = headerRole(c)
	}
	return rs
}

func nonEmptyCells(cells []string) int {
	n := 0
	for _, c := range cells {
		if c != "" {
			n++
		}
	}
	return n
}

func firstNonEmpty(cells []string) string {
	for _, c := range cells {
		if c != "" {
			return c
		}
	}
	return ""
}

// tableTasks turns the rows of a table into tasks. prefix is the ref of
// what the table stands under (二, 附件1-). It returns the rows that name
// units but gave no task, for a person to check.
func (p *parser) tableTasks(t table, prefix string, under *Node) []Unread {
	var unread []Unread
	onlyGuide := !hasRole(t.header, colLead) && !hasRole(t.header, colResp)
	rule := LeadRule(p.n.LeadRule)
	refs := rowRefs(t)
	for ri, row := range t.rows {
		cells := alignCells(row.cells, t.header)
		if cells == nil {
			unread = append(unread, skippedRow(row, "表格行与表头对不上，没有读成任务"))
			continue
		}
		// Who answers for the row when its cells do not say: the nearest
		// group row or the heading above the table (李四副市长负责事项,
		// X牵头工作).
		headings := []string{row.sub, row.group}
		if under != nil {
			headings = append(headings, under.Title)
		}
		task := &Task{Doc: p.n.Doc, Title: p.n.Title, Line: row.line, Clauses: []Clause{}}
		for _, h := range headings {
			if task.Leader = headingLeader(h); task.Leader != "" {
				break
			}
		}
		task.Ref = prefix + refs[ri]
		task.Sections = []string{}
		for _, g := range []string{row.group, row.sub} {
			if g != "" {
				task.Sections = append(task.Sections, g)
			}
		}
		var text []string
		var lead, resp, guide []string
		for c, r := range t.header {
			v := strings.TrimSpace(cells[c])
			if v == "" {
				continue
			}
			switch r {
			case colText, colOther:
				// Other columns (推广范围, 区本级任务数) stay in the text, so
				// that a question about them finds the row.
				text = append(text, v)
			case colNote:
				// 任务来源, 备注: where the task comes from is not the task.
			case colLeader:
				task.Leader = v
			case colDeadline:
				task.Deadlines = append(task.Deadlines, Deadline{Kind: "due", Phrase: v, Text: v, Ref: task.Ref, Line: row.line})
			case colLead, colResp, colGuide:
				m, ok := parseSegments(foldText(v), NoRule)
				if ok {
					lead, resp, guide = appendUnique(lead, asWritten(v, foldText(v), m.lead)...), appendUnique(resp, asWritten(v, foldText(v), m.resp)...), appendUnique(guide, asWritten(v, foldText(v), m.guide)...)
					continue
				}
				us := asWritten(v, foldText(v), cellUnits(foldText(v)))
				if marked := markedLeads(v, us); len(marked) > 0 {
					lead = appendUnique(lead, marked...)
					resp = appendUnique(resp, without(us, marked)...)
					continue
				}
				switch {
				case r == colLead:
					lead = appendUnique(lead, us...)
				case r == colGuide && !onlyGuide:
					guide = appendUnique(guide, us...)
				default:
					// A table whose one unit column is 指导部门 names no
					// other units: they are the units responsible.
					if len(lead) == 0 && !hasRole(t.header, colLead) && rule == FirstRule && len(us) > 0 {
						lead, us = us[:1], us[1:]
					}
					resp = appendUnique(resp, us...)
				}
			}
		}
		if len(text) == 0 || (hasRole(t.header, colText) && strings.TrimSpace(cells[indexOf(t.header, colText)]) == "") {
			if len(lead)+len(resp)+len(guide) > 0 {
				unread = append(unread, skippedRow(row, "表格行写了单位，但任务内容一格是空的，没有读成任务"))
			}
			continue
		}
		for _, h := range headings {
			if m, ok := headingUnits(h, rule); ok && len(lead) == 0 {
				lead, resp = m.lead, appendUnique(m.resp, resp...)
				break
			}
		}
		task.Text = strings.Join(text, "\n")
		task.LeadUnits = orEmpty(lead)
		task.ResponsibleUnits = orEmpty(without(resp, lead))
		task.GuideUnits = guide
		if len(task.Deadlines) == 0 {
			task.Deadlines = nil
		}
		p.n.Tasks = append(p.n.Tasks, task)
	}
	return unread
}

// skippedRow is a table row that gave no task, as an admin sees it.
func skippedRow(row tableRow, why string) Unread {
	text := strings.Join(row.cells, " | ")
	return Unread{Line: row.line, Text: clipRunes(text, 80), Reason: why, Paragraph: clipRunes(text, 500)}
}

// rowRefs numbers a table's rows: the row's 序号 under its group's label
// (一1 under 一、知识产权保护方面). Groups without a label (李四副市长负责事项)
// that number their rows from 1 each are told apart by their order: the
// first group's rows 一1, 一2, the second's 二1.
func rowRefs(t table) []string {
	si := indexOf(t.header, colSeq)
	refs := make([]string, len(t.rows))
	seen := map[string]bool{}
	clash := false
	for i, row := range t.rows {
		seq := ""
		if cells := alignCells(row.cells, t.header); cells != nil {
			seq = strings.TrimRight(cells[si], ".、．")
		}
		if m := level2Re.FindStringSubmatch(row.sub); m != nil {
			seq = "(" + m[1] + ")" + seq
		}
		if m := groupLabel.FindStringSubmatch(row.group); m != nil {
			seq = m[1] + seq
		}
		refs[i] = seq
		clash = clash || seen[seq]
		seen[seq] = true
	}
	if !clash {
		return refs
	}
	n, group := 0, "\x00"
	for i, row := range t.rows {
		if row.group != group {
			n, group = n+1, row.group
		}
		if row.group != "" && !groupLabel.MatchString(row.group) {
			refs[i] = hanNumber(n) + refs[i]
		}
	}
	return refs
}

// hanNumber writes 1–99 as a Chinese numeral, as notices number their
// sections: 一, 十, 十二, 二十.
func hanNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n > 99:
		return strconv.Itoa(n)
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	}
	return digits[n/10] + "十" + digits[n%10]
}

// alignCells lines a row's cells up with the header. A row with fewer cells
// than the header (empty cells lost in a copy) keeps its number and text on
// the left and its units, leader and deadline on the right.
func alignCells(cells []string, header []colRole) []string {
	switch {
	case len(cells) == len(header):
		return cells
	case len(cells) < 2:
		return nil
	case len(cells) > len(header):
		// Extra cells (a text cell split in two): join them into the text.
		extra := len(cells) - len(header)
		ti := indexOf(header, colText)
		if ti < 0 {
			return nil
		}
		out := append([]string(nil), cells[:ti]...)
		out = append(out, strings.Join(cells[ti:ti+extra+1], "\n"))
		return append(out, cells[ti+extra+1:]...)
	}
	// A row under a cell spanning rows on its left (a 类别 column) starts at
	// the number column.
	off := 0
	if si := indexOf(header, colSeq); si > 0 && seqCell.MatchString(cells[0]) {
		off = si
	}
	if off+2 > len(header) {
		return nil
	}
	out := make([]string, len(header))
	out[off], out[off+1] = cells[0], cells[1]
	rest := cells[2:]
	if len(rest) > len(header)-off-2 {
		rest = rest[len(rest)-(len(header)-off-2):]
	}
	for k, j := range placeCells(rest, header[off+2:]) {
		out[off+2+j] = rest[k]
	}
	return out
}

// cellUnits reads the units of a table cell, without the marks some tables
// put after a unit (区政府办公室*).
func cellUnits(v string) []string {
	var us []string
	// 等 ends each run of a cell: 市经信局、市财政局等,各县、市、区政府.
	runs := splitTopLevel(v, ",;")
	for k := range runs {
		runs[k] = dropEtc(runs[k])
	}
	for _, u := range writtenUnits(splitUnits(strings.Join(runs, ","))) {
		us = append(us, strings.Trim(u, "*＊★☆ "))
	}
	return writtenUnits(us)
}

// markedLeads returns the units of a cell the cell marks （牵头）.
func markedLeads(cell string, units []string) []string {
	m := marker{resp: append([]string(nil), units...)}
	promoteMarkedLeads(&m, foldText(cell))
	return m.lead
}

func hasRole(rs []colRole, r colRole) bool { return indexOf(rs, r) >= 0 }

func indexOf(rs []colRole, r colRole) int {
	for i, x := range rs {
		if x == r {
			return i
		}
	}
	return -1
}

// tablePrefix is the ref of what a table starting at line i stands under:
// the heading 附件N just above it (附件1-), or the numbered section heading
// it directly follows (二), or nothing. A table with group rows numbers
// its rows by its groups alone.
func (p *parser) tablePrefix(lines []string, t table) (string, *Node) {
	grouped := false
	for _, r := range t.rows {
		grouped = grouped || r.group != ""
	}
	seen := 0
	for j := t.start - 1; j >= 0 && seen < 3; j-- {
		l := strings.TrimSpace(lines[j])
		if l == "" {
			continue
		}
		seen++
		if m := annexHead.FindStringSubmatch(l); m != nil {
			return "附件" + m[1] + "-", nil
		}
		if grouped {
			continue
		}
		for _, nd := range p.allNodes {
			if nd.Line == j+1 {
				return nd.Ref, nd
			}
		}
	}
	return "", nil
}

// unreadTables finds the tables a notice prints that were not read as
// tables of tasks: a 序号 header whose columns name no task and units
// (a table of targets, or a header written in words no rule reads).
func unreadTables(lines []string, tables []table) []Unread {
	inTable := func(i int) bool {
		for _, t := range tables {
			if i >= t.start && i < t.end {
				return true
			}
		}
		return false
	}
	var out []Unread
	for i := 0; i < len(lines); i++ {
		if inTable(i) {
			continue
		}
		var header []string
		if cells, ok := lineCells(lines[i]); ok && len(cells) >= 3 && (isSeqHeader(cells[0]) || isSeqHeader(firstNonEmpty(cells))) {
			header = cells
		} else if isSeqHeader(lines[i]) {
			// One cell a line: the header runs to the first row number.
			for j := i; j < len(lines) && j < i+16 && len(header) < 12; j++ {
				c := cellText(lines[j])
				if seqNumber(c) == 1 {
					break
				}
				if c != "" {
					header = append(header, c)
				}
			}
		}
		if header == nil {
			// A block of table rows (a drawn PDF or OFD table, a Word table)
			// with no 序号 column that no table was read from: once a block.
			if cells, ok := lineCells(lines[i]); ok && strings.HasPrefix(strings.TrimSpace(lines[i]), "|") && len(cells) >= 3 &&
				(i == 0 || !isPipeRow(lines[i-1])) && i+1 < len(lines) && isPipeRow(lines[i+1]) && !inTable(i+1) {
				header = cells
			}
		}
		text := strings.Join(header, " | ")
		if len(header) < 3 || strings.Contains(text, "姓名") || strings.Contains(text, "姓  名") || strings.Contains(text, "职务") {
			continue // a list of people (序号 | 姓名 | 职务) is a roster, not tasks
		}
		out = append(out, Unread{Line: i + 1, Text: clipRunes(text, 80), Reason: "表格的表头没有可识别的任务列和单位列，表格没有读成任务", Paragraph: clipRunes(text, 500)})
	}
	return out
}

// isPipeRow reports a table row written | a | b |.
func isPipeRow(l string) bool {
	t := strings.TrimSpace(l)
	return len(t) > 2 && strings.HasPrefix(t, "|") && strings.HasSuffix(t, "|")
}
