package corpus

import (
	"math"
	"strings"
)

// Fixed-layout documents (PDF, OFD) draw lines, not paragraphs: a long
// paragraph is wrapped at the right margin into several lines. The parser
// wants one paragraph a line, so a wrapped paragraph is joined back.

// drawnLine is one line of a page as drawn: its text, where it starts and
// ends, its baseline and its text size, in the page's units.
type drawnLine struct {
	text      strings.Builder
	x0, x1, y float64
	em        float64
}

// writeDrawnLines writes a page's lines, joining a paragraph wrapped at
// the right margin back into one line: a line that runs to the margin
// continues on the next when that one starts at the left margin (a
// Chinese paragraph starts indented), in the same size, close by, and not
// with a list marker. Anything else keeps its own line.
func writeDrawnLines(out *strings.Builder, lines []drawnLine) {
	left, right := math.Inf(1), math.Inf(-1)
	for i := range lines {
		left, right = math.Min(left, lines[i].x0), math.Max(right, lines[i].x1)
	}
	for i := range lines {
		l := &lines[i]
		out.WriteString(l.text.String())
		if i+1 < len(lines) {
			n := &lines[i+1]
			wrapped := l.x1 >= right-1.5*l.em && n.x0 <= left+0.5*l.em &&
				math.Abs(n.em-l.em) < 0.2*l.em && math.Abs(l.y-n.y) < 2.5*l.em &&
				!startsListItem(n.text.String())
			if wrapped {
				continue
			}
		}
		out.WriteByte('\n')
	}
}

// startsListItem reports whether a line opens with a numbering marker
// (一、 （一） 1. 1、 (1) ①), so it is no wrapped paragraph's tail.
func startsListItem(s string) bool {
	s = strings.TrimSpace(s)
	rs := []rune(s)
	if len(rs) < 2 {
		return false
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
		return rs[0] >= '①' && rs[0] <= '⑳'
	}
	if j >= len(rs) {
		return false
	}
	switch rs[j] {
	case '、', '）', ')':
		return true
	case '.', '．':
		return i == 0 && (j+1 == len(rs) || rs[j+1] < '0' || rs[j+1] > '9')
	}
	return false
}
