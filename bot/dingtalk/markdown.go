package dingtalk

import (
	"strings"
	"unicode/utf8"
)

// DingTalk markdown is a small subset: headings, bold, italics, links,
// images, lists and quotes, and no HTML at all. Its renderer joins lines
// that are separated by a single newline, so each line of a message is
// its own paragraph here. Text from notices is escaped so that a "1." at
// the start of a line, an asterisk or a bracket shows as written.

// maxTitle bounds the title, which DingTalk shows in the chat list.
const maxTitle = 40

// markdownEscaper puts a backslash before every character DingTalk's
// markdown would read as syntax anywhere in a line.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `~`, `\~`,
	`[`, `\[`, `]`, `\]`, `<`, `\<`, `>`, `\>`, `#`, `\#`, `|`, `\|`,
)

// EscapeMarkdown makes plain text show as written in DingTalk markdown.
func EscapeMarkdown(s string) string {
	s = markdownEscaper.Replace(s)
	// A line starting "- ", "+ " or "12. " would become a list item.
	trimmed := strings.TrimLeft(s, " ")
	indent := s[:len(s)-len(trimmed)]
	switch {
	case strings.HasPrefix(trimmed, "- "), strings.HasPrefix(trimmed, "+ "):
		return indent + `\` + trimmed
	default:
		digits := len(trimmed) - len(strings.TrimLeft(trimmed, "0123456789"))
		if digits > 0 && strings.HasPrefix(trimmed[digits:], ".") {
			return indent + trimmed[:digits] + `\` + trimmed[digits:]
		}
	}
	return s
}

// RenderMarkdown builds a message from a title and plain lines: the title
// as a heading, then each non-empty line escaped as its own paragraph.
func RenderMarkdown(title string, lines []string) Markdown {
	title = strings.Join(strings.Fields(title), " ")
	var b strings.Builder
	if title != "" {
		b.WriteString("#### ")
		b.WriteString(EscapeMarkdown(title))
	}
	for _, line := range lines {
		for _, l := range strings.Split(line, "\n") {
			l = strings.TrimRight(l, " \t\r")
			if strings.TrimSpace(l) == "" {
				continue
			}
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(EscapeMarkdown(l))
		}
	}
	if title == "" && len(lines) > 0 {
		title = strings.Join(strings.Fields(lines[0]), " ")
	}
	return Markdown{Title: truncate(title, maxTitle), Text: b.String()}
}

// truncate cuts s to n runes, marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
