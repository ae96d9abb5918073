package extract

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Article extraction from government web pages. The page is parsed with
// x/net/html; scripts, styles, navigation, headers, footers, share bars and
// forms are dropped, and the element holding the most running Chinese text
// in its own paragraphs is taken as the article. Block elements become line
// breaks, so the numbered items keep their lines.

// chromeClass matches class and id values of page chrome.
var chromeClass = regexp.MustCompile(`(?i)nav|menu|footer|header|share|breadcrumb|crumb|sidebar|copyright|toolbar|bdshare|foot|banner|search|login|related|links`)

// articleClass matches class and id values of article containers on
// Chinese government sites (TRS_Editor, zoom, article-content …).
var articleClass = regexp.MustCompile(`(?i)trs_editor|article|content|zoom|detail|main-?text|text-?con|wzcon|pages_content|view|con_?text`)

var dropTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Nav: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Form: true,
	atom.Iframe: true, atom.Select: true, atom.Button: true, atom.Svg: true,
	atom.Head: true, atom.Template: true,
}

var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Tr: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Table: true, atom.Section: true, atom.Article: true, atom.Blockquote: true,
	atom.Ul: true, atom.Ol: true, atom.Td: true, atom.Pre: true, atom.Center: true,
}

// htmlText returns the title and the article text of an HTML page.
func htmlText(src string) (title, text string, err error) {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return "", "", err
	}
	title = strings.TrimSpace(findTitle(doc))
	prune(doc)
	best := bestContainer(doc)
	var b bytes.Buffer
	writeText(&b, best)
	return title, b.String(), nil
}

func findTitle(n *html.Node) string {
	if n.Type == html.ElementNode && n.DataAtom == atom.Title {
		var b bytes.Buffer
		writeText(&b, n)
		return b.String()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if t := findTitle(c); t != "" {
			return t
		}
	}
	return ""
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// prune removes chrome elements from the tree.
func prune(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.CommentNode ||
			(c.Type == html.ElementNode && (dropTags[c.DataAtom] || isChrome(c))) {
			n.RemoveChild(c)
		} else {
			prune(c)
		}
		c = next
	}
}

func isChrome(n *html.Node) bool {
	if n.DataAtom == atom.Body || n.DataAtom == atom.Html {
		return false
	}
	id, class := attr(n, "id"), attr(n, "class")
	if articleClass.MatchString(id + " " + class) {
		return false
	}
	return chromeClass.MatchString(id + " " + class)
}

// bestContainer picks the element whose direct paragraphs and text hold the
// most Han characters, with a bonus for article-like class names. A page
// with no such element yields its body.
func bestContainer(root *html.Node) *html.Node {
	var best *html.Node
	bestScore := 0.0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.DataAtom == atom.Table && isDataTable(n) {
				return // a table is read whole: its cells are no articles
			}
			s := float64(ownHan(n))
			if articleClass.MatchString(attr(n, "id") + " " + attr(n, "class")) {
				s *= 1.5
			}
			if s > bestScore {
				best, bestScore = n, s
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if best == nil {
		return root
	}
	// Take the parent when the title and the text sit side by side in it
	// with little else: the parent then is the article.
	if p := best.Parent; p != nil && p.Type == html.ElementNode && p.DataAtom != atom.Body {
		if float64(ownHan(p)+han(best)) >= 0.9*float64(han(p)) {
			return p
		}
	}
	return best
}

// ownHan counts Han characters in n's text children and in the paragraphs,
// spans and cells directly under it.
func ownHan(n *html.Node) int {
	total := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			total += countHan(c.Data)
		case c.Type == html.ElementNode && c.DataAtom == atom.Table:
			if isDataTable(c) { // a task table is the notice's own text
				total += han(c)
			}
		case c.Type == html.ElementNode && c.DataAtom != atom.Div &&
			c.DataAtom != atom.Section && c.DataAtom != atom.Article:
			total += han(c)
		}
	}
	return total
}

func han(n *html.Node) int {
	if n.Type == html.TextNode {
		return countHan(n.Data)
	}
	t := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t += han(c)
	}
	return t
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func countHan(s string) int {
	n := 0
	for _, r := range s {
		if isHan(r) {
			n++
		}
	}
	return n
}

func writeText(b *bytes.Buffer, n *html.Node) {
	if n.Type == html.ElementNode && n.DataAtom == atom.Table && isDataTable(n) {
		writeTable(b, n)
		return
	}
	switch n.Type {
	case html.TextNode:
		b.WriteString(strings.Join(strings.Fields(n.Data), " "))
		return
	case html.ElementNode:
		if blockTags[n.DataAtom] {
			b.WriteByte('\n')
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		writeText(b, c)
	}
	if n.Type == html.ElementNode && blockTags[n.DataAtom] {
		b.WriteByte('\n')
	}
}

// Tables. A data table (rows of several cells, as task tables are) comes
// out as one text line per row, "| cell | cell |", with a blank line before
// and after, so the parser reads it row by row (corpus/doc.go). A layout table —
// one holding the page in a big cell, as older government sites do — is
// read as blocks like any other element.

// isDataTable reports whether a table holds rows of data: at least two rows
// of two or more cells, and no cell that reads as a page column (very long,
// or holding most of the table's text in several paragraphs).
func isDataTable(t *html.Node) bool {
	multi, total := 0, han(t)
	for _, tr := range tableRows(t) {
		cells := rowCells(tr)
		if len(cells) >= 2 {
			multi++
		}
		for _, c := range cells {
			// A page column: an article in a cell, holding most of the
			// table's text in paragraphs of its own.
			if h := han(c); h > 1500 || (h > 150 && 3*h >= 2*total && blocks(c) >= 3) {
				return false
			}
		}
	}
	return multi >= 2
}

// blocks counts the paragraphs, divisions and line breaks under n.
func blocks(n *html.Node) int {
	k := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			if blockTags[c.DataAtom] && c.DataAtom != atom.Td && c.DataAtom != atom.Tr {
				k++
			}
			k += blocks(c)
		}
	}
	return k
}

// tableRows returns the rows of t, through thead, tbody and tfoot but not
// into nested tables.
func tableRows(t *html.Node) []*html.Node {
	var rows []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || c.DataAtom == atom.Table {
				continue
			}
			if c.DataAtom == atom.Tr {
				rows = append(rows, c)
				continue
			}
			walk(c)
		}
	}
	walk(t)
	return rows
}

func rowCells(tr *html.Node) []*html.Node {
	var cells []*html.Node
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
			cells = append(cells, c)
		}
	}
	return cells
}

func writeTable(b *bytes.Buffer, t *html.Node) {
	b.WriteString("\n\n")
	for _, tr := range tableRows(t) {
		cells := rowCells(tr)
		if len(cells) == 0 {
			continue
		}
		texts := make([]string, len(cells))
		for i, c := range cells {
			texts[i] = htmlCellText(c)
		}
		if r := pipeRow(texts); r != "" {
			b.WriteString(r)
			b.WriteByte('\n')
		}
	}
	b.WriteString("\n")
}

// htmlCellText is a cell's text on one line: paragraphs, line breaks and
// nested tables are joined with single spaces.
func htmlCellText(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			return
		}
		block := n.Type == html.ElementNode && (blockTags[n.DataAtom] || n.DataAtom == atom.Th)
		if block {
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			b.WriteByte(' ')
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c)
	}
	return b.String()
}

// htmlCharset finds the charset a page declares in a meta tag, if any.
var htmlCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_-]+)`)
