package corpus

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

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
		case c.Type == html.ElementNode && c.DataAtom != atom.Div && c.DataAtom != atom.Table &&
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

func countHan(s string) int {
	n := 0
	for _, r := range s {
		if IsHan(r) {
			n++
		}
	}
	return n
}

func writeText(b *bytes.Buffer, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(strings.Join(strings.Fields(n.Data), " "))
		return
	case html.ElementNode:
		if n.DataAtom == atom.Table {
			writeTable(b, n)
			return
		}
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

// writeTable writes a table as the parser reads tables (table.go): a blank
// line around it and a line a row, | cell | cell |. A cell's paragraphs are
// joined by a space; a nested table's text stays in its cell; a cell
// spanning columns or rows is written once, where it stands.
func writeTable(b *bytes.Buffer, table *html.Node) {
	b.WriteString("\n\n")
	var rows func(n *html.Node)
	rows = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Tr:
				var cells []string
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.Type == html.ElementNode && (td.DataAtom == atom.Td || td.DataAtom == atom.Th) {
						cells = append(cells, cellText(td))
					}
				}
				if len(cells) > 0 && strings.Join(cells, "") != "" {
					b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
				}
			case atom.Thead, atom.Tbody, atom.Tfoot:
				rows(c)
			}
		}
	}
	rows(table)
	b.WriteString("\n")
}

// cellText is the text of a table cell on one line.
func cellText(n *html.Node) string {
	var parts []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			if t := strings.Join(strings.Fields(strings.ReplaceAll(n.Data, "\u00a0", " ")), " "); t != "" {
				parts = append(parts, t)
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	// Pieces of one paragraph (spans) join without a space between Han
	// characters; a space only where Latin text meets.
	var out strings.Builder
	for i, p := range parts {
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(parts[i-1])
			next, _ := utf8.DecodeRuneInString(p)
			if prev < 0x80 && next < 0x80 {
				out.WriteByte(' ')
			}
		}
		out.WriteString(p)
	}
	return strings.ReplaceAll(strings.TrimSpace(out.String()), "|", "｜")
}

// htmlCharset finds the charset a page declares in a meta tag, if any.
var htmlCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_-]+)`)
