package feishu

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/retrieval"
)

// Answers go out as Feishu rich text (msg_type post): a title, and
// paragraphs of text runs, some bold. Text from notices needs no escaping
// there, which markdown would; unit names are bold runs.

// Run is a piece of a paragraph.
type Run struct {
	Text string
	Bold bool
}

// Post is one rich-text message.
type Post struct {
	Title string
	Paras [][]Run
}

// maxTitle bounds a message's title.
const maxTitle = 40

// maxQuote bounds the quote of a cited task under an answer.
const maxQuote = 60

// Content is the post as the message API takes it.
func (p Post) Content() string {
	type el struct {
		Tag   string   `json:"tag"`
		Text  string   `json:"text"`
		Style []string `json:"style,omitempty"`
	}
	content := make([][]el, 0, len(p.Paras))
	for _, para := range p.Paras {
		var row []el
		for _, r := range para {
			e := el{Tag: "text", Text: r.Text}
			if r.Bold {
				e.Style = []string{"bold"}
			}
			row = append(row, e)
		}
		content = append(content, row)
	}
	data, _ := json.Marshal(map[string]any{"zh_cn": map[string]any{"title": p.Title, "content": content}})
	return string(data)
}

// Text is the post as plain text, for tests and logs.
func (p Post) Text() string {
	var b strings.Builder
	b.WriteString(p.Title)
	for _, para := range p.Paras {
		b.WriteString("\n")
		for _, r := range para {
			if r.Bold {
				b.WriteString("**" + r.Text + "**")
			} else {
				b.WriteString(r.Text)
			}
		}
	}
	return b.String()
}

func plain(s string) []Run { return []Run{{Text: s}} }
func bold(s string) []Run  { return []Run{{Text: s, Bold: true}} }

// unitRuns marks the unit names of a line bold.
func unitRuns(line string, units []string) []Run {
	const open, close = "\x01", "\x02"
	marked := bot.MarkUnits(line, units, func(s string) string { return s }, open, close)
	var runs []Run
	for marked != "" {
		i := strings.Index(marked, open)
		if i < 0 {
			runs = append(runs, Run{Text: marked})
			break
		}
		if i > 0 {
			runs = append(runs, Run{Text: marked[:i]})
		}
		rest := marked[i+1:]
		j := strings.Index(rest, close)
		if j < 0 {
			runs = append(runs, Run{Text: rest})
			break
		}
		runs = append(runs, Run{Text: rest[:j], Bold: true})
		marked = rest[j+1:]
	}
	return runs
}

// RenderAnswer renders an answer with what the other channels show: the
// answer's lines with unit names in bold, a 来源 list with a short quote
// of each cited task, and for a listing of several pages which page this
// is and how to get the next (“下一页”).
func RenderAnswer(a retrieval.Answer) Post {
	units := bot.AnswerUnits(a)
	var p Post
	for _, line := range bot.AnswerBody(a) {
		if strings.TrimSpace(line) != "" {
			p.Paras = append(p.Paras, unitRuns(line, units))
		}
	}
	if bot.ShowsSources(a) {
		p.Paras = append(p.Paras, bold("来源"))
		for i, c := range a.Citations {
			p.Paras = append(p.Paras, plain(fmt.Sprintf("%d. %s", i+1, c.Label)))
			if q := truncate(strings.Join(strings.Fields(c.Text), " "), maxQuote); q != "" {
				p.Paras = append(p.Paras, plain("    “"+q+"”"))
			}
		}
	}
	if a.Pages > 1 {
		s := fmt.Sprintf("第 %d/%d 页，共 %d 项。", a.Page, a.Pages, a.Total)
		if a.Page < a.Pages {
			s += "发送“下一页”查看后面的任务。"
		}
		p.Paras = append(p.Paras, plain(s))
	}
	p.Title = truncate(strings.Join(strings.Fields(a.Question), " "), maxTitle)
	return p
}

// RenderDoc renders a title and plain lines.
func RenderDoc(title string, lines []string) Post {
	p := Post{Title: truncate(strings.Join(strings.Fields(title), " "), maxTitle)}
	for _, line := range lines {
		for _, l := range strings.Split(line, "\n") {
			if l = strings.TrimRight(l, " \t\r"); strings.TrimSpace(l) != "" {
				p.Paras = append(p.Paras, plain(l))
			}
		}
	}
	return p
}

// RenderDigest renders a digest with what the other channels show.
func RenderDigest(d bot.Digest) Post {
	p := Post{Title: "每日任务提醒 · " + d.Day}
	if len(d.Units) > 0 {
		p.Paras = append(p.Paras, plain("关注单位："+strings.Join(d.Units, "、")))
	}
	if d.Empty() {
		p.Paras = append(p.Paras, plain("今天没有需要提醒的时间节点，也没有通知变化。"))
	}
	list := func(head string, items []bot.DueItem) {
		if len(items) == 0 {
			return
		}
		p.Paras = append(p.Paras, bold(head))
		for _, it := range items {
			line := fmt.Sprintf("• %s（%s）%s", it.Date, it.When(), it.What)
			if len(it.Units) > 0 {
				line += "；单位：" + strings.Join(it.Units[:min(6, len(it.Units))], "、")
				if len(it.Units) > 6 {
					line += fmt.Sprintf("等%d个单位", len(it.Units))
				}
			}
			p.Paras = append(p.Paras, plain(line), plain("    来源："+it.Citation))
		}
	}
	list(fmt.Sprintf("%d天内到期", d.Horizon), d.Upcoming)
	list("近3天已到期", d.Passed)
	if len(d.Added)+len(d.Changed)+len(d.Removed) > 0 {
		p.Paras = append(p.Paras, bold("通知变化"))
		for _, c := range []struct {
			what  string
			names []string
		}{{"新增", d.Added}, {"修改", d.Changed}, {"删除", d.Removed}} {
			if len(c.names) > 0 {
				p.Paras = append(p.Paras, plain(c.what+"："+strings.Join(c.names, "；")))
			}
		}
	}
	list("关注单位牵头、近期有时间节点的任务", d.UnitTasks)
	return p
}

// MsgVoteByReply ends every answer: the rich text has no buttons, so the
// core takes the next 有用/没用 as the vote.
const MsgVoteByReply = "回复“有用”或“没用”评价这条回答（群里请 @我）"

// render turns a core reply into a post.
func render(r bot.Reply) Post {
	switch {
	case r.Answer != nil:
		p := RenderAnswer(*r.Answer)
		if r.AnswerID != "" {
			p.Paras = append(p.Paras, plain(MsgVoteByReply))
		}
		return p
	case r.Digest != nil:
		return RenderDigest(*r.Digest)
	case r.Doc != nil:
		return RenderDoc(r.Doc.Title, r.Doc.Lines)
	}
	return Post{}
}

// split cuts a post between paragraphs into posts whose text is at most
// limit bytes; the title repeats with the part number. A paragraph longer
// than limit is cut at a rune boundary.
func split(p Post, limit int) []Post {
	size := func(para []Run) int {
		n := 16
		for _, r := range para {
			n += len(r.Text) + 32
		}
		return n
	}
	var parts []Post
	cur, n := Post{Title: p.Title}, len(p.Title)
	for _, para := range p.Paras {
		for _, piece := range cutPara(para, limit/2) {
			if len(cur.Paras) > 0 && n+size(piece) > limit {
				parts = append(parts, cur)
				cur, n = Post{Title: p.Title}, len(p.Title)
			}
			cur.Paras = append(cur.Paras, piece)
			n += size(piece)
		}
	}
	parts = append(parts, cur)
	if len(parts) > 1 {
		for i := range parts {
			parts[i].Title = fmt.Sprintf("%s（%d/%d）", p.Title, i+1, len(parts))
		}
	}
	return parts
}

// cutPara cuts a paragraph with more than limit bytes of text into
// several.
func cutPara(para []Run, limit int) [][]Run {
	var out [][]Run
	var cur []Run
	n := 0
	for _, r := range para {
		for len(r.Text) > 0 {
			room := limit - n
			if room <= 0 {
				out, cur, n = append(out, cur), nil, 0
				room = limit
			}
			take := min(room, len(r.Text))
			for take < len(r.Text) && take > 0 && !utf8.RuneStart(r.Text[take]) {
				take--
			}
			if take == 0 {
				out, cur, n = append(out, cur), nil, 0
				continue
			}
			cur = append(cur, Run{Text: r.Text[:take], Bold: r.Bold})
			n += take
			r.Text = r.Text[take:]
		}
	}
	return append(out, cur)
}

// truncate cuts s to n runes, marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
