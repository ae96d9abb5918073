package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Hard-wrapped text. A notice copied out of a PDF or a fixed-width page
// keeps the page's line breaks: a paragraph runs over several lines that
// all end at the page's width, and a units bracket or a label may be cut
// in two. Such a text shows a ceiling — many lines of the same display
// width, next to none wider — that no text written a paragraph a line has.
// Where the ceiling is found, a line that reaches it is joined with the
// next, unless it ends a sentence and the next opens a numbered item.

// minWrapWidth is the narrowest ceiling taken for a page's width, in
// display columns (a Chinese character is two): 25 characters (a 公文
// page sets 28). Cells of a table flattened one a line and roster lines
// stay below it.
const minWrapWidth = 50

// proseWidth is where prose starts: shorter lines (a table's cells one a
// line, headings, signatures) neither show nor hide a ceiling.
const proseWidth = 20

// wrapSlack is how far short of the ceiling a wrapped line may end: a
// half-width character that does not fit leaves a column or two.
const wrapSlack = 3

// itemStartRe opens a numbered item or heading: 一、 （一） (1) 1. 1、 ①
// 第一章 第三条.
var itemStartRe = regexp.MustCompile(`^\s*(?:第[一二三四五六七八九十百零〇\d]+[章节条部分项]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+(?:\.\d+)*[、.．](?:\D|$)|[①-⑳])`)

// sentenceEnd is what a paragraph's last line ends with.
const paragraphEnd = "。；;！!？?：:）)"

// joinHardWraps joins the lines of a hard-wrapped text back into
// paragraphs; any other text comes back as it is.
func joinHardWraps(lines []string) []string {
	width := wrapWidth(lines)
	if width == 0 {
		return lines
	}
	out := make([]string, 0, len(lines))
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		for i+1 < len(lines) && wrapped(l, lines[i], lines[i+1], width) {
			l = strings.TrimRight(l, " \t") + strings.TrimLeft(lines[i+1], " \t\u3000")
			i++
		}
		out = append(out, l)
	}
	return out
}

// unitsBracketEnd is a line ending in the bracket that names a task's
// units: （X牵头，Y参与） — the end of a task's paragraph.
var unitsBracketEnd = regexp.MustCompile(`[（(][^（）()]*(?:牵头|负责|参与|配合|责任单位|指导|协办|落实)[^（）()]*[）)][。；;]?$`)

// wrapped reports whether line l, which ends the paragraph para so far,
// was cut at the page's width and goes on in next.
func wrapped(para, l, next string, width int) bool {
	t := strings.TrimRight(l, " \t\u3000")
	nt := strings.TrimSpace(next)
	if nt == "" || strings.Contains(t, "|") || strings.Contains(nt, "|") {
		return false
	}
	if w := displayWidth(t); w < width-wrapSlack || w > width {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	if strings.ContainsRune(paragraphEnd, last) && (itemStartRe.MatchString(nt) || unitsBracketEnd.MatchString(strings.TrimRight(para, " \t\u3000"))) {
		return false // a paragraph that happened to end at the margin
	}
	return true
}

// wrapWidth finds a hard-wrapped text's ceiling: the display width that
// most lines reach (within wrapSlack) and next to none exceed. 0: none.
func wrapWidth(lines []string) int {
	hist := map[int]int{}
	total := 0
	for _, l := range lines {
		// A paragraph's first line is indented: its indent is part of
		// its width.
		t := strings.TrimRight(l, " \t\u3000")
		if strings.Contains(t, "|") {
			continue
		}
		w := displayWidth(t)
		if w < proseWidth {
			continue
		}
		total++
		if w >= minWrapWidth-wrapSlack {
			hist[w]++
		}
	}
	best, reach := 0, 0
	for w := range hist {
		if w < minWrapWidth {
			continue
		}
		n := 0
		for d := 0; d <= wrapSlack; d++ {
			n += hist[w-d]
		}
		if n > reach || n == reach && w > best {
			best, reach = w, n
		}
	}
	over := 0
	for w, n := range hist {
		if w > best {
			over += n
		}
	}
	// At least eight lines and a quarter of the prose lines at the
	// ceiling, and under one in twenty beyond it.
	if reach < 8 || 4*reach < total || 20*over > total {
		return 0
	}
	return best
}

// displayWidth counts a Chinese or full-width character as two columns and
// any other as one, as a page sets them. Commas, colons, semicolons and
// brackets count two: in a Chinese notice they were full-width on the page
// even where a site or a copy made them half-width.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x2E80 || r >= 0xFF00 && r <= 0xFF60 || r >= 0x2010 && r <= 0x2027 || strings.ContainsRune(",;:!?()", r) {
			w += 2
		} else {
			w++
		}
	}
	return w
}
