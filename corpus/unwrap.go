package corpus

import (
	"regexp"
	"slices"
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
const wrapSlack = 4

// wrapOver is how far past the ceiling a wrapped line may run: a copy
// that turned full-width punctuation half-width, or the reverse, moves a
// line's width by a column or two.
const wrapOver = 2

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
	// A page that sets every line as a paragraph of its own (a PDF turned
	// into HTML line by line) puts a blank line after each: there a
	// single blank line is no paragraph break.
	step := 1
	if doubleSpaced(lines) {
		step = 2
	}
	out := make([]string, 0, len(lines))
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		for i+step < len(lines) && (step == 1 || strings.TrimSpace(lines[i+1]) == "") && wrapped(l, lines[i], lines[i+step], width) {
			l = strings.TrimRight(l, " \t") + strings.TrimLeft(lines[i+step], " \t\u3000")
			i += step
		}
		out = append(out, l)
	}
	return out
}

// doubleSpaced reports a text whose lines nearly all stand between blank
// lines.
func doubleSpaced(lines []string) bool {
	text, spaced := 0, 0
	for i := 0; i+2 < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "" {
			continue
		}
		text++
		if strings.TrimSpace(lines[i+1]) == "" && strings.TrimSpace(lines[i+2]) != "" {
			spaced++
		}
	}
	return text >= 8 && 10*spaced >= 9*text
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
	if w := displayWidth(t); w < width-wrapSlack || w > width+wrapOver {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	if strings.ContainsRune(paragraphEnd, last) && (itemStartRe.MatchString(nt) || unitsBracketEnd.MatchString(strings.TrimRight(para, " \t\u3000"))) {
		return false // a paragraph that happened to end at the margin
	}
	return true
}

// wrapWidth finds a hard-wrapped text's ceiling: the width next to no
// prose line exceeds (one in twenty may, by more than wrapOver), provided
// at least eight lines and a quarter of the prose lines reach it within
// wrapSlack. 0: none.
func wrapWidth(lines []string) int {
	var widths []int
	for _, l := range lines {
		// A paragraph's first line is indented: its indent is part of
		// its width.
		t := strings.TrimRight(l, " \t\u3000")
		if strings.Contains(t, "|") {
			continue
		}
		if w := displayWidth(t); w >= proseWidth {
			widths = append(widths, w)
		}
	}
	if len(widths) < 8 {
		return 0
	}
	slices.Sort(widths)
	ceiling := widths[len(widths)-1-len(widths)/20]
	if ceiling < minWrapWidth {
		return 0
	}
	reach, over := 0, 0
	for _, w := range widths {
		switch {
		case w > ceiling+wrapOver:
			over++
		case w >= ceiling-wrapSlack:
			reach++
		}
	}
	if reach < 8 || 4*reach < len(widths) || 20*over > len(widths) {
		return 0
	}
	return ceiling
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
