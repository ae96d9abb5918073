package extract

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Drawn tables. A PDF or OFD has no table, only strings and the rules
// drawn round them: Word, WPS and LibreOffice stroke each cell border as
// a line (or fill it as a thin rectangle). The horizontal rules that
// touch vertical ones make a grid; its rows are the bands between the
// horizontal rules, and a band's cells lie between the vertical rules
// that cross it, so a cell spanning columns (a group row) is one cell. A
// cell with no rule above it runs on from the cell above (a merged cell):
// its row keeps an empty cell there, as DOCX writes a vertical merge.
//
// Each string goes to the cell its middle falls in; a cell's lines are
// joined back into its text, and each row is written as a pipe row
// (pipe.go), the shape the table reader (corpus/table.go) takes from HTML and
// DOCX as well.

// rule is a line drawn on a page (a zero-width or thin rectangle), from
// (x0, y0) to (x1, y1) with x0 <= x1 and y0 <= y1.
type rule struct{ x0, y0, x1, y1 float64 }

// newRule makes the rule of a rectangle given by two corners.
func newRule(ax, ay, bx, by float64) rule {
	return rule{math.Min(ax, bx), math.Min(ay, by), math.Max(ax, bx), math.Max(ay, by)}
}

const (
	ruleThick = 2.0 // a rule is at most this thick …
	ruleLong  = 4.0 // … and longer than this
	ruleTol   = 2.0 // rules this close meet
	// maxPageRules bounds the rules read on one page: a page of that many
	// is a drawing or a chart, not a table.
	maxPageRules = 3000
)

// drawnTable is a table rebuilt from a page: its frame and rows.
type drawnTable struct {
	top, bottom float64
	cols        []float64 // where its vertical rules stand, left to right
	rows        [][]string
}

// write writes the table as pipe rows set apart by blank lines, as the
// DOCX reader does. A grid of one row is no table but boxes round text (a
// framed page in two columns, a boxed note): its cells are written as
// paragraphs. (A table's last row alone on a page is taken in by the
// table before it, see absorb.)
func (t *drawnTable) write(b *strings.Builder) {
	if len(t.rows) == 1 {
		for _, c := range t.rows[0] {
			if c != "" {
				b.WriteString(c)
				b.WriteByte('\n')
			}
		}
		return
	}
	b.WriteString("\n")
	for _, r := range t.rows {
		if s := pipeRow(r); s != "" {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	b.WriteString("\n")
}

// absorb takes in the part of the table drawn on the next page, when next
// is that part: its columns stand where t's do. The header rows repeated
// on the new page (those equal to t's first rows) are dropped, and a row
// broken by the page (one part with an empty first cell) is joined back.
func (t *drawnTable) absorb(next *drawnTable) bool {
	if len(t.cols) != len(next.cols) || len(t.rows) == 0 {
		return false
	}
	for i := range t.cols {
		if math.Abs(t.cols[i]-next.cols[i]) > ruleTol {
			return false
		}
	}
	rows := next.rows
	for k := 0; k < len(rows) && k+1 < len(t.rows) && slices.Equal(rows[0], t.rows[k]); k++ {
		rows = rows[1:]
	}
	if last := t.rows[len(t.rows)-1]; len(t.rows) > 1 && len(rows) > 0 && len(rows[0]) == len(last) && len(last) > 1 &&
		(rows[0][0] == "" || last[0] == "") {
		for i := range last {
			if a, b := last[i], rows[0][i]; unitsMeet(a, b) {
				last[i] = a + " " + b // one unit a line, broken by the page
			} else {
				last[i] = joinWrapped(a, b)
			}
		}
		rows = rows[1:]
	}
	t.rows = append(t.rows, rows...)
	return true
}

// joinWrapped joins two parts of a text wrapped between them: with no
// space (Chinese has none, and a number or a marker may wrap anywhere),
// unless an English word ended there.
func joinWrapped(a, b string) string {
	if wordBreak(a, b) {
		return a + " " + b
	}
	return a + b
}

// wordBreak reports whether a ends an English word and b starts one.
func wordBreak(a, b string) bool {
	x, _ := utf8.DecodeLastRuneInString(a)
	y, _ := utf8.DecodeRuneInString(b)
	return isLetter(x) && isLetter(y)
}

// gridCell is one cell of a drawn table: its columns' edges, the strings
// in it (by index), and the cell it runs on from, if it has no top rule.
type gridCell struct {
	x0, x1 float64
	owner  *gridCell
	runs   []int
}

func (c *gridCell) root() *gridCell {
	for c.owner != nil {
		c = c.owner
	}
	return c
}

// findDrawnTables finds the tables drawn on a page and reports which runs
// they hold.
func findDrawnTables(rules []rule, runs []glyphRun) ([]drawnTable, []bool) {
	inTable := make([]bool, len(runs))
	var hs, vs []rule
	for _, r := range rules {
		w, h := r.x1-r.x0, r.y1-r.y0
		switch {
		case h <= ruleThick && w > ruleLong:
			y := (r.y0 + r.y1) / 2
			hs = append(hs, rule{r.x0, y, r.x1, y})
		case w <= ruleThick && h > ruleLong:
			x := (r.x0 + r.x1) / 2
			vs = append(vs, rule{x, r.y0, x, r.y1})
		}
	}
	if len(hs) < 2 || len(vs) < 2 || len(hs)+len(vs) > maxPageRules {
		return nil, inTable
	}
	// Rules that touch are one frame.
	parent := make([]int, len(hs)+len(vs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, h := range hs {
		for j, v := range vs {
			if v.x0 >= h.x0-ruleTol && v.x0 <= h.x1+ruleTol && h.y0 >= v.y0-ruleTol && h.y0 <= v.y1+ruleTol {
				parent[find(i)] = find(len(hs) + j)
			}
		}
	}
	frames := map[int]*[2][]rule{}
	var roots []int
	for i := range parent {
		root := find(i)
		f := frames[root]
		if f == nil {
			f = &[2][]rule{}
			frames[root] = f
			roots = append(roots, root)
		}
		if i < len(hs) {
			f[0] = append(f[0], hs[i])
		} else {
			f[1] = append(f[1], vs[i-len(hs)])
		}
	}
	var list []*[2][]rule
	for _, root := range roots {
		list = append(list, frames[root])
	}
	var tables []drawnTable
	var grids [][][]*gridCell
	var bands [][]float64
	for _, f := range joinOpenFrames(list) {
		t, grid, ys, ok := buildGrid(f[0], f[1])
		if ok {
			tables = append(tables, t)
			grids = append(grids, grid)
			bands = append(bands, ys)
		}
	}
	if len(tables) == 0 {
		return nil, inTable
	}
	// Each string goes to the cell its middle is in.
	for ri, r := range runs {
		cx, cy := (r.x0+r.x1)/2, r.y+0.3*r.em
		for ti := range tables {
			ys := bands[ti]
			t := &tables[ti]
			if cy > t.top || cy < t.bottom || cx < t.cols[0] || cx > t.cols[len(t.cols)-1] {
				continue
			}
			b := sort.Search(len(ys)-1, func(i int) bool { return ys[i+1] < cy })
			if b >= len(ys)-1 {
				continue
			}
			band := grids[ti][b]
			if k := sort.Search(len(band), func(k int) bool { return band[k].x1 >= cx }); k < len(band) {
				c := band[k].root()
				c.runs = append(c.runs, ri)
				inTable[ri] = true
			}
			break
		}
	}
	for ti := range tables {
		t := &tables[ti]
		for _, band := range grids[ti] {
			row := make([]string, 0, len(band))
			for _, c := range band {
				if c.owner != nil {
					row = append(row, "")
					continue
				}
				cr := make([]glyphRun, len(c.runs))
				for k, ri := range c.runs {
					cr[k] = runs[ri]
				}
				row = append(row, drawnCellText(cr, c.x0, c.x1))
			}
			t.rows = append(t.rows, row)
		}
	}
	sort.SliceStable(tables, func(a, b int) bool { return tables[a].top > tables[b].top })
	return tables, inTable
}

// joinOpenFrames joins frames of rules that are parts of one table open
// at its sides: there a row spanning the table (a group row) has no
// vertical rule at all, so the rows above and below it touch nothing in
// common. Two frames are parts of one when the lower edge of one and the
// upper edge of the next are rules of the same length less than a few
// lines apart, and their columns stand in the same places (or the lower
// one is a lone rule: the foot of a group row closing a page).
func joinOpenFrames(frames []*[2][]rule) []*[2][]rule {
	type box struct {
		top, bottom      float64
		topRule, botRule rule
		cols             []float64
	}
	boxOf := func(f *[2][]rule) box {
		b := box{top: math.Inf(-1), bottom: math.Inf(1)}
		for _, h := range f[0] {
			if h.y0 > b.top {
				b.top, b.topRule = h.y0, h
			}
			if h.y0 < b.bottom {
				b.bottom, b.botRule = h.y0, h
			}
		}
		var xv []float64
		for _, v := range f[1] {
			xv = append(xv, v.x0)
		}
		b.cols = clusterValues(xv)
		return b
	}
	sort.SliceStable(frames, func(a, b int) bool { return boxOf(frames[a]).top > boxOf(frames[b]).top })
	var out []*[2][]rule
	for _, f := range frames {
		if n := len(out); n > 0 {
			a, b := boxOf(out[n-1]), boxOf(f)
			gap := a.bottom - b.top
			if gap > 0 && gap < 80 && math.Abs(a.botRule.x0-b.topRule.x0) <= ruleTol &&
				math.Abs(a.botRule.x1-b.topRule.x1) <= ruleTol && (sameCols(a.cols, b.cols) || len(b.cols) == 0) {
				out[n-1] = &[2][]rule{append(out[n-1][0], f[0]...), append(out[n-1][1], f[1]...)}
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

func sameCols(a, b []float64) bool {
	if len(a) != len(b) || len(a) == 0 {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > ruleTol {
			return false
		}
	}
	return true
}

// buildGrid makes the rows and cells of one frame of rules: ys are its
// horizontal rules top down, and grid[i] the cells of the band below
// ys[i]. A frame of fewer than two columns is a box round some text, not
// a table.
func buildGrid(hs, vs []rule) (drawnTable, [][]*gridCell, []float64, bool) {
	var yv, xv []float64
	for _, h := range hs {
		yv = append(yv, h.y0)
	}
	for _, v := range vs {
		xv = append(xv, v.x0)
	}
	ys, xs := clusterValues(yv), clusterValues(xv)
	slices.Reverse(ys) // top down
	// A table drawn open at its sides (no outer vertical rules) ends where
	// its horizontal rules do.
	if len(xs) > 0 {
		left, right := math.Inf(1), math.Inf(-1)
		for _, h := range hs {
			left, right = math.Min(left, h.x0), math.Max(right, h.x1)
		}
		if xs[0]-left > ruleLong {
			xs = append([]float64{left}, xs...)
		}
		if right-xs[len(xs)-1] > ruleLong {
			xs = append(xs, right)
		}
	}
	if len(ys) < 2 || len(xs) < 3 {
		return drawnTable{}, nil, nil, false
	}
	t := drawnTable{top: ys[0], bottom: ys[len(ys)-1], cols: xs}
	grid := make([][]*gridCell, len(ys)-1)
	for i := range grid {
		top, bot := ys[i], ys[i+1]
		mid := (top + bot) / 2
		bounds := []float64{xs[0]}
		for _, x := range xs[1 : len(xs)-1] {
			if crosses(vs, x, mid) {
				bounds = append(bounds, x)
			}
		}
		bounds = append(bounds, xs[len(xs)-1])
		for k := 0; k+1 < len(bounds); k++ {
			c := &gridCell{x0: bounds[k], x1: bounds[k+1]}
			if i > 0 && !crossesH(hs, top, (c.x0+c.x1)/2) {
				for _, up := range grid[i-1] {
					if math.Abs(up.x0-c.x0) <= ruleTol && math.Abs(up.x1-c.x1) <= ruleTol {
						c.owner = up.root()
					}
				}
			}
			grid[i] = append(grid[i], c)
		}
	}
	return t, grid, ys, true
}

// crosses reports whether a vertical rule at x crosses height y.
func crosses(vs []rule, x, y float64) bool {
	for _, v := range vs {
		if math.Abs(v.x0-x) <= ruleTol && v.y0 <= y && v.y1 >= y {
			return true
		}
	}
	return false
}

// crossesH reports whether a horizontal rule at y passes over x.
func crossesH(hs []rule, y, x float64) bool {
	for _, h := range hs {
		if math.Abs(h.y0-y) <= ruleTol && h.x0 <= x && h.x1 >= x {
			return true
		}
	}
	return false
}

// clusterValues sorts values and merges those within ruleTol of the
// previous one (a border drawn twice, or as a thin rectangle).
func clusterValues(v []float64) []float64 {
	sort.Float64s(v)
	var out []float64
	for _, x := range v {
		if len(out) > 0 && x-out[len(out)-1] <= ruleTol {
			continue
		}
		out = append(out, x)
	}
	return out
}

// drawnCellText joins the lines of a cell, top down, the cell standing
// between x0 and x1. A line wraps on into the next with no space between
// (Chinese has none) when the next line's first character would not have
// fitted at its end, or could not stand at a line's start (，。）…) or end
// (（《“…). Otherwise the line ended a paragraph of the cell, and the next
// follows on a new line: a space once written as a pipe row, as the DOCX
// reader joins a cell's paragraphs.
func drawnCellText(runs []glyphRun, x0, x1 float64) string {
	lines := runLines(runs)
	if len(lines) == 0 {
		return ""
	}
	order := make([]int, len(lines))
	left := math.Inf(1)
	for i := range lines {
		order[i] = i
		left = math.Min(left, lines[i].x0)
	}
	// The text may run as far from the right rule as it starts from the
	// left one.
	right := x1 - math.Max(0, left-x0)
	sort.SliceStable(order, func(a, b int) bool {
		la, lb := &lines[order[a]], &lines[order[b]]
		if math.Abs(la.y-lb.y) > 0.5*la.em {
			return la.y > lb.y
		}
		return la.x0 < lb.x0
	})
	var b strings.Builder
	for k, i := range order {
		l := &lines[i]
		s := strings.TrimSpace(l.text.String())
		if k > 0 && s != "" && b.Len() > 0 {
			prev := &lines[order[k-1]]
			switch {
			case endsParagraph(prev, s, right):
				b.WriteByte('\n') // a pipe row makes it a space
			case wordBreak(b.String(), s):
				b.WriteByte(' ')
			}
		}
		b.WriteString(s)
	}
	return strings.TrimSpace(b.String())
}

// endsParagraph reports whether a line of a cell ended its paragraph: the
// next line's first character (or Latin word) would have fitted after it,
// and no line-breaking rule kept it off. A full line can end a paragraph
// too, which shows only in a cell of units one a line: a line ending in a
// unit's head word (局, 委, 政府) whose next opens another (市, 区, 各) is
// taken as two.
func endsParagraph(l *drawnLine, next string, right float64) bool {
	last := lastRune(strings.TrimSpace(l.text.String()))
	first, _ := utf8.DecodeRuneInString(next)
	if strings.ContainsRune(noLineStart, first) || strings.ContainsRune(noLineEnd, last) {
		return false
	}
	if unitsMeet(strings.TrimSpace(l.text.String()), next) {
		return true
	}
	need := l.em
	if first < 0x2E80 {
		word := next
		if i := strings.IndexFunc(next, func(r rune) bool { return r == ' ' || r >= 0x2E80 }); i > 0 {
			word = next[:i]
		}
		need = 0.5 * l.em * float64(utf8.RuneCountInString(word))
	}
	if strings.ContainsRune(noLineEnd, first) {
		need += l.em // an opening bracket or quote goes down with what follows it
	}
	return right-l.x1 >= need-0.02*l.em
}

// unitsMeet reports whether a ends with a unit's head word and b starts
// with another unit's name.
func unitsMeet(a, b string) bool {
	first, _ := utf8.DecodeRuneInString(b)
	return (strings.ContainsRune(unitEnd, lastRune(a)) || strings.HasSuffix(a, "委会")) && strings.ContainsRune(unitStart, first)
}

// Characters that Chinese typesetting keeps off the start, and off the
// end, of a line: a line may end early to obey them. And the last
// characters of units' head words, and the first of units' names.
const (
	unitEnd     = "局委办厅部署院府司关心团"
	unitStart   = "市省区县镇乡各"
	noLineStart = "，。、；：？！）】》」』〕”’％…—·,.;:?!)]}%"
	noLineEnd   = "（【《「『〔“‘([{"
)

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}
