package wecom

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/retrieval"
)

// WeCom markdown (the stream reply's content and the markdown push) reads
// headings, bold, links, quotes and lists. Text from notices is escaped
// with backslashes so that a "1." at the start of a line, an asterisk or a
// bracket shows as written; each line is its own paragraph.

// maxContent bounds one message in bytes (see the package comment).
const maxContent = 4000

// maxQuote bounds the quote of a cited task under an answer.
const maxQuote = 60

var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `~`, `\~`,
	`[`, `\[`, `]`, `\]`, `<`, `&lt;`, `>`, `&gt;`, `#`, `\#`, `|`, `\|`,
)

// EscapeMarkdown makes plain text show as written in WeCom markdown.
func EscapeMarkdown(s string) string {
	s = markdownEscaper.Replace(s)
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

// RenderMarkdown builds a message from a title (bold) and plain lines,
// each non-empty line escaped as its own paragraph.
func RenderMarkdown(title string, lines []string) string {
	var parts []string
	if title = strings.Join(strings.Fields(title), " "); title != "" {
		parts = append(parts, "**"+EscapeMarkdown(title)+"**")
	}
	for _, line := range lines {
		for _, l := range strings.Split(line, "\n") {
			if l = strings.TrimRight(l, " \t\r"); strings.TrimSpace(l) != "" {
				parts = append(parts, EscapeMarkdown(l))
			}
		}
	}
	return strings.Join(parts, "\n\n")
}

// MsgVoteByReply ends every answer: a finished markdown reply has no
// buttons, so the core takes the next 有用/没用 as the vote.
const MsgVoteByReply = "回复“有用”或“没用”评价这条回答（群里请 @我）"

// RenderAnswer renders an answer with what the other channels show: the
// answer's lines with unit names in bold, a 来源 list with a short quote
// of each cited task, and for a listing of several pages which page this
// is and how to get the next (a new message: “下一页”).
func RenderAnswer(a retrieval.Answer) string {
	units := bot.AnswerUnits(a)
	var parts []string
	for _, line := range bot.AnswerBody(a) {
		if strings.TrimSpace(line) != "" {
			parts = append(parts, bot.MarkUnits(EscapeMarkdown(line), units, EscapeMarkdown, "**", "**"))
		}
	}
	if bot.ShowsSources(a) {
		parts = append(parts, "**来源**")
		for i, c := range a.Citations {
			parts = append(parts, fmt.Sprintf("%d\\. %s", i+1, EscapeMarkdown(c.Label)))
			if q := truncate(strings.Join(strings.Fields(c.Text), " "), maxQuote); q != "" {
				parts = append(parts, "> "+EscapeMarkdown(q))
			}
		}
	}
	if a.Pages > 1 {
		p := fmt.Sprintf("第 %d/%d 页，共 %d 项。", a.Page, a.Pages, a.Total)
		if a.Page < a.Pages {
			p += "发送“下一页”查看后面的任务。"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "\n\n")
}

// RenderDigest renders a digest with what the other channels show.
func RenderDigest(d bot.Digest) string {
	lines := []string{"**" + EscapeMarkdown("每日任务提醒 · "+d.Day) + "**"}
	if len(d.Units) > 0 {
		lines = append(lines, "关注单位："+EscapeMarkdown(strings.Join(d.Units, "、")))
	}
	if d.Empty() {
		lines = append(lines, "今天没有需要提醒的时间节点，也没有通知变化。")
	}
	list := func(head string, items []bot.DueItem) {
		if len(items) == 0 {
			return
		}
		lines = append(lines, "**"+EscapeMarkdown(head)+"**")
		for _, it := range items {
			line := fmt.Sprintf("%s（%s）%s", it.Date, it.When(), it.What)
			if len(it.Units) > 0 {
				line += "；单位：" + strings.Join(it.Units[:min(6, len(it.Units))], "、")
				if len(it.Units) > 6 {
					line += fmt.Sprintf("等%d个单位", len(it.Units))
				}
			}
			lines = append(lines, "\\- "+EscapeMarkdown(line), "> 来源："+EscapeMarkdown(it.Citation))
		}
	}
	list(fmt.Sprintf("%d天内到期", d.Horizon), d.Upcoming)
	list("近3天已到期", d.Passed)
	if len(d.Added)+len(d.Changed)+len(d.Removed) > 0 {
		lines = append(lines, "**通知变化**")
		for _, c := range []struct {
			what  string
			names []string
		}{{"新增", d.Added}, {"修改", d.Changed}, {"删除", d.Removed}} {
			if len(c.names) > 0 {
				lines = append(lines, EscapeMarkdown(c.what+"："+strings.Join(c.names, "；")))
			}
		}
	}
	list("关注单位牵头、近期有时间节点的任务", d.UnitTasks)
	return strings.Join(lines, "\n\n")
}

// render turns a core reply into markdown.
func render(r bot.Reply) string {
	switch {
	case r.Answer != nil:
		md := RenderAnswer(*r.Answer)
		if r.AnswerID != "" {
			md += "\n\n" + MsgVoteByReply
		}
		return md
	case r.Digest != nil:
		return RenderDigest(*r.Digest)
	case r.Doc != nil:
		return RenderMarkdown(r.Doc.Title, r.Doc.Lines)
	}
	return ""
}

// split cuts markdown between paragraphs into parts of at most limit
// bytes; a paragraph longer than limit is cut at a rune boundary. Parts
// after the first are marked （续）.
func split(md string, limit int) []string {
	if len(md) <= limit {
		return []string{md}
	}
	var parts []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			parts = append(parts, cur.String())
			cur.Reset()
		}
	}
	for _, p := range strings.Split(md, "\n\n") {
		for len(p) > limit {
			flush()
			cut := limit
			for cut > 0 && !utf8.RuneStart(p[cut]) {
				cut--
			}
			parts = append(parts, p[:cut])
			p = p[cut:]
		}
		if cur.Len() > 0 && cur.Len()+2+len(p) > limit {
			flush()
		}
		if cur.Len() > 0 {
			cur.WriteString("\n\n")
		}
		cur.WriteString(p)
	}
	flush()
	return parts
}

// truncate cuts s to n runes, marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
