package extract

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Fixed-layout documents (PDF, OFD) draw strings at places, not
// paragraphs. A reader of such a file hands each page over as glyph runs
// and the rules (lines) it draws; layoutPages turns them back into the
// text the parser wants:
//
//   - a table drawn with rules becomes pipe rows, one row a line, as HTML
//     and DOCX tables do (drawntable.go); a table running over several
//     pages is one table, its header row repeated on each page kept once;
//   - a paragraph wrapped at the right margin is one line again, also when
//     it runs on to the next page;
//   - a running header or footer (the same line at the top or foot of
//     every page) and page numbers (— 3 —, 第3页 共9页) are dropped;
//   - a gap the layout put between digits and Chinese (Word and WPS set
//     1 家 and 5G 基础设施 apart by a quarter em) is no space.
//
// Coordinates are in points with y growing upwards (PDF's own; the OFD
// reader converts its millimetres).

// glyphRun is one string drawn at one place: where it starts and ends,
// its baseline and its text size.
type glyphRun struct {
	x0, x1, y, em float64
	text          string
	turn          int8 // quarter turns of the baseline from left-to-right (PDF only)
}

// drawnPage is what a reader saw on one page.
type drawnPage struct {
	runs  []glyphRun
	rules []rule
}

// drawnLine is one line of a page as drawn: its text, where it starts and
// ends, its baseline and its text size.
type drawnLine struct {
	text      strings.Builder
	x0, x1, y float64
	em        float64
}

// pageItem is a page's line or table, in reading order.
type pageItem struct {
	line  *drawnLine
	table *drawnTable
	page  int
	// A line running to the right margin (wrapEnd) goes on in the next
	// one when that starts at the left margin (wrapStart), or where the
	// text after a list marker at the margin starts (hangAt, a hanging
	// indent), and is no list item itself.
	wrapEnd, wrapStart, listItem bool
	hangAt                       float64
}

// layoutPages writes the text of a document from its pages' items
// (pageItems), which a reader makes page by page so that only one page's
// runs are held at a time.
func layoutPages(items [][]pageItem) string {
	dropRunningLines(items)
	var all []pageItem
	for p, its := range items {
		markWraps(its)
		for i := range its {
			its[i].page = p
		}
		all = append(all, its...)
	}
	var b strings.Builder
	var open *drawnTable // the table last read, which the next page may go on
	openPage := 0
	for i := range all {
		it := &all[i]
		if it.table != nil {
			if open != nil && it.page > openPage && open.absorb(it.table) {
				openPage = it.page
				continue
			}
			if open != nil {
				open.write(&b)
			}
			open, openPage = it.table, it.page
			continue
		}
		if open != nil {
			open.write(&b)
			open = nil
		}
		b.WriteString(it.line.text.String())
		if i+1 < len(all) && all[i+1].line != nil && joins(it, &all[i+1]) {
			continue
		}
		b.WriteByte('\n')
	}
	if open != nil {
		open.write(&b)
	}
	return b.String()
}

// joins reports whether line a wraps on into line b: a runs to the right
// margin, b is no list item, in the same size, a line below on the same
// page or the first on the next, and starts at the left margin (a Chinese
// paragraph starts indented) — or, in a list set with a hanging indent
// (WPS and Word numbering), under the text after a's marker.
func joins(a, b *pageItem) bool {
	l, n := a.line, b.line
	if !a.wrapEnd || b.listItem || math.Abs(n.em-l.em) >= 0.2*l.em {
		return false
	}
	switch b.page {
	case a.page:
		if n.y >= l.y || l.y-n.y >= 2.5*l.em {
			return false
		}
	case a.page + 1: // a ends its page, b starts the next
	default:
		return false
	}
	if b.wrapStart {
		return true
	}
	if a.hangAt > 0 && math.Abs(n.x0-a.hangAt) < 0.6*l.em {
		b.hangAt = n.x0 // its own next line hangs there too
		return true
	}
	return false
}

// pageItems reads a page: its drawn tables, and its other runs as lines,
// each table placed before the first line below it.
func pageItems(p drawnPage) []pageItem {
	p.runs = dropOverprint(p.runs)
	tables, inTable := findDrawnTables(p.rules, p.runs)
	var free []glyphRun
	for i, r := range p.runs {
		if !inTable[i] {
			free = append(free, r)
		}
	}
	lines := runLines(free)
	var items []pageItem
	t := 0
	for i := range lines {
		for t < len(tables) && lines[i].y < tables[t].bottom {
			items = append(items, pageItem{table: &tables[t]})
			t++
		}
		items = append(items, pageItem{line: &lines[i]})
	}
	for ; t < len(tables); t++ {
		items = append(items, pageItem{table: &tables[t]})
	}
	return items
}

// dropOverprint drops a string drawn again within a point of where it
// was drawn already: a fake bold (Chinese fonts have no bold, so some
// writers draw a heading twice, a hair apart) or a glyph overprinted,
// which would come out twice (标标题题, a stray ”” for ”).
func dropOverprint(runs []glyphRun) []glyphRun {
	type at struct {
		text string
		x, y int
	}
	seen := make(map[at]bool, len(runs))
	kept := runs[:0]
	for _, r := range runs {
		x, y := int(math.Round(r.x0)), int(math.Round(r.y))
		dup := false
		for dx := -1; dx <= 1 && !dup; dx++ {
			for dy := -1; dy <= 1 && !dup; dy++ {
				dup = seen[at{r.text, x + dx, y + dy}]
			}
		}
		if !dup {
			seen[at{r.text, x, y}] = true
			kept = append(kept, r)
		}
	}
	return kept
}

// runLines groups runs into lines in drawing order: a change of baseline
// starts a new line, by half the larger of the line's and the run's sizes
// (so that a small raised or lowered run, m² or a note mark, stays on its
// line); on one baseline a wide gap (a table's next cell, a tab) or the
// gap between two Latin words becomes a space.
func runLines(runs []glyphRun) []drawnLine {
	var lines []drawnLine
	var last *glyphRun
	for i := range runs {
		r := &runs[i]
		if r.text == "" {
			continue
		}
		if last == nil || math.Abs(r.y-lines[len(lines)-1].y) > 0.5*math.Max(r.em, lines[len(lines)-1].em) {
			lines = append(lines, drawnLine{x0: r.x0, y: r.y, em: r.em})
		} else if gapIsSpace(last.text, r.text, r.x0-last.x1, r.em) {
			lines[len(lines)-1].text.WriteByte(' ')
		}
		l := &lines[len(lines)-1]
		l.text.WriteString(r.text)
		l.x1 = r.x1
		last = r
	}
	return lines
}

// gapIsSpace reports whether a gap between two strings on one line stands
// for a space. Gaps of a cell or tab width always do; a narrower one only
// between Latin words (PDFs draw their spaces as gaps), or, wide, between
// two numbers. Digits next to Chinese are set apart by the layout alone
// (1 家, 117 号 as Word and WPS draw them), so that gap is no space.
func gapIsSpace(before, after string, gap, em float64) bool {
	if gap > 1.5*em {
		return true
	}
	if gap <= 0.2*em {
		return false
	}
	a, _ := utf8.DecodeLastRuneInString(before)
	b, _ := utf8.DecodeRuneInString(after)
	if isDigit(a) && isDigit(b) {
		return gap > 0.8*em
	}
	return a > ' ' && a < 0x7F && b > ' ' && b < 0x7F
}

func isDigit(r rune) bool  { return r >= '0' && r <= '9' }
func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// markWraps marks the lines of a page that run to its right margin and
// those that start at its left margin, the margins being where its lines
// outside tables start and end.
func markWraps(items []pageItem) {
	left, right := math.Inf(1), math.Inf(-1)
	for _, it := range items {
		if it.line != nil {
			left, right = math.Min(left, it.line.x0), math.Max(right, it.line.x1)
		}
	}
	for i := range items {
		if l := items[i].line; l != nil {
			marker := listMarker(l.text.String())
			items[i].listItem = marker != ""
			items[i].wrapEnd = l.x1 >= right-1.5*l.em
			// A paragraph indented with spaces (　　, as many Word files
			// are) starts at the margin too, but starts a paragraph.
			text := l.text.String()
			items[i].wrapStart = l.x0 <= left+0.5*l.em && !strings.HasPrefix(text, "　") && !strings.HasPrefix(text, "  ")
			if marker != "" && l.x0 <= left+0.5*l.em {
				w := 0.0
				for _, r := range marker {
					w += 0.5
					if r >= 0x2E80 {
						w += 0.5
					}
				}
				items[i].hangAt = l.x0 + w*l.em
			}
		}
	}
}

var (
	digitRun = regexp.MustCompile(`[0-9０-９]+`)
	// pageNumber matches a page number line: 3, - 3 -, — 3 —, 第3页,
	// 第 3 页 共 9 页, 3/9, Page 3 of 9.
	pageNumber = regexp.MustCompile(`^[-—–－_·•\s]*(第\s*)?(Page\s*)?[0-9０-９]+(\s*页)?(\s*([/／,，]|of)?\s*(共\s*)?[0-9０-９]+\s*页?)?[-—–－_·•\s]*$`)
)

// dropRunningLines drops page numbers and running headers and footers:
// a page number among the two top and the two bottom lines of a page,
// and a page's top or bottom line that stands (its digits aside) at the
// same height on at least two pages and on half the pages at least.
func dropRunningLines(pages [][]pageItem) {
	type edge struct{ page, item int }
	type place struct {
		key string
		y   int
	}
	placeOf := func(l *drawnLine) place { return place{runningKey(l), int(math.Round(l.y / 2))} }
	seen := map[place]int{}
	edges := map[edge]bool{} // true for the outermost line, which may run
	for p, its := range pages {
		for _, e := range edgeLines(its) {
			edges[edge{p, e.item}] = e.outer && len(its) >= 3
			if edges[edge{p, e.item}] {
				seen[placeOf(its[e.item].line)]++
			}
		}
	}
	for p := range pages {
		kept := pages[p][:0]
		for i, it := range pages[p] {
			outer, ok := edges[edge{p, i}]
			if ok && (pageNumber.MatchString(it.line.text.String()) ||
				outer && seen[placeOf(it.line)] >= 2 && 2*seen[placeOf(it.line)] >= len(pages)) {
				continue
			}
			kept = append(kept, it)
		}
		pages[p] = kept
	}
}

// edgeLine is a line at a page's top or foot; outer if no item is above
// (or below) it.
type edgeLine struct {
	item  int
	outer bool
}

// edgeLines returns the lines among the two highest and the two lowest
// items of a page, when the page has more than one item.
func edgeLines(items []pageItem) []edgeLine {
	if len(items) < 2 {
		return nil
	}
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	top := func(it pageItem) float64 {
		if it.table != nil {
			return it.table.top
		}
		return it.line.y
	}
	sort.SliceStable(order, func(a, b int) bool { return top(items[order[a]]) > top(items[order[b]]) })
	var out []edgeLine
	for k, i := range order {
		if (k < 2 || k >= len(order)-2) && items[i].line != nil {
			out = append(out, edgeLine{i, k == 0 || k == len(order)-1})
		}
	}
	return out
}

// runningKey is a line's text with its numbers blanked, so that 第3页 and
// 第4页 are one footer.
func runningKey(l *drawnLine) string {
	return digitRun.ReplaceAllString(strings.Join(strings.Fields(l.text.String()), ""), "#")
}

// listMarker returns the numbering marker a line opens with, if any.
func listMarker(s string) string {
	s = strings.TrimSpace(s)
	rs := []rune(s)
	if len(rs) < 2 {
		return ""
	}
	i := 0
	if rs[0] == '（' || rs[0] == '(' {
		i = 1
	}
	j := i
	for j < len(rs) && (strings.ContainsRune("一二三四五六七八九十", rs[j]) || rs[j] >= '0' && rs[j] <= '9' || rs[j] >= '０' && rs[j] <= '９') {
		j++
	}
	if j == i {
		if rs[0] >= '①' && rs[0] <= '⑳' {
			return string(rs[:1])
		}
		return ""
	}
	if j >= len(rs) {
		return ""
	}
	switch rs[j] {
	case '、', '）', ')':
		return string(rs[:j+1])
	case '.', '．':
		if i == 0 && (j+1 == len(rs) || rs[j+1] < '0' || rs[j+1] > '9') {
			return string(rs[:j+1])
		}
	}
	return ""
}
