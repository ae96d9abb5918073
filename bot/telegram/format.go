package telegram

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf16"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/retrieval"
)

// Telegram limits a message to 4096 characters counted in UTF-16 code
// units, after entity parsing. Pages are kept well under it so that the
// HTML tags around a page never push it over.
const (
	maxMessage = 4096
	pageBudget = 3500
)

// utf16Len counts s as Telegram does.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += len(utf16.Encode([]rune{r}))
	}
	return n
}

// esc escapes text for parse_mode=HTML. Every piece of corpus and user
// text passes through it.
func esc(s string) string { return html.EscapeString(s) }

// splitPages splits already-escaped HTML text into pages of at most budget
// UTF-16 units, on line boundaries; a single longer line is cut between
// characters (never inside an entity or tag it opened, since lines carry
// balanced tags).
func splitPages(text string, budget int) []string {
	var pages []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if s := strings.TrimRight(cur.String(), "\n"); s != "" {
			pages = append(pages, s)
		}
		cur.Reset()
		curLen = 0
	}
	for _, line := range strings.Split(text, "\n") {
		l := utf16Len(line) + 1
		if curLen+l > budget {
			flush()
		}
		for utf16Len(line)+1 > budget {
			head, tail := cutUTF16(line, budget-1)
			cur.WriteString(head)
			flush()
			line = tail
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		curLen += utf16Len(line) + 1
	}
	flush()
	if len(pages) == 0 {
		pages = []string{""}
	}
	return pages
}

// cutUTF16 cuts s after at most n UTF-16 units, not inside an HTML entity
// or tag.
func cutUTF16(s string, n int) (string, string) {
	units, cut := 0, 0
	inEntity, inTag := false, false
	for i, r := range s {
		switch r {
		case '&':
			inEntity = true
		case ';':
			inEntity = false
		case '<':
			inTag = true
		case '>':
			inTag = false
		}
		units += len(utf16.Encode([]rune{r}))
		if units > n {
			break
		}
		if !inEntity && !inTag {
			cut = i + len(string(r))
		}
	}
	if cut == 0 {
		cut = len(s)
	}
	return s[:cut], s[cut:]
}

// renderAnswer turns an answer into Telegram HTML: the answer's lines
// escaped, unit names in bold, quotes kept short, and a 来源 list of
// citations at the end.
func renderAnswer(a retrieval.Answer) string {
	units := bot.AnswerUnits(a)
	var body []string
	for _, line := range bot.AnswerBody(a) {
		body = append(body, boldUnits(esc(line), units))
	}
	text := strings.TrimSpace(strings.Join(body, "\n"))
	if bot.ShowsSources(a) {
		var b strings.Builder
		b.WriteString(text)
		b.WriteString("\n\n<b>来源</b>")
		for i, c := range a.Citations {
			fmt.Fprintf(&b, "\n%d. %s", i+1, esc(c.Label))
		}
		text = b.String()
	}
	return text
}

// boldUnits wraps unit names in <b>; escaped is already escaped.
func boldUnits(escaped string, units []string) string {
	return bot.MarkUnits(escaped, units, esc, "<b>", "</b>")
}

// digestHTML renders a digest as Telegram HTML; every piece of text is
// escaped.
func digestHTML(d bot.Digest) string {
	return d.Render(func(s string) string { return "<b>" + s + "</b>" }, esc)
}
