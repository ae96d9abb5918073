package dingtalk

import (
	"fmt"
	"strings"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/retrieval"
)

// maxQuote bounds the quote of a cited task under a DingTalk answer: the
// full text is one /task away, and a long markdown message is cut by the
// client.
const maxQuote = 60

// RenderAnswer renders an answer as DingTalk markdown, with the content
// Telegram shows: the answer's lines, unit names in bold, a 来源 list with
// a short quote of each cited task, and for a listing of several pages
// which page this is and how to get the next (a robot's markdown message
// cannot be edited, so there is no 下一页 button: the next page is a new
// message).
func RenderAnswer(a retrieval.Answer) Markdown {
	units := bot.AnswerUnits(a)
	var b strings.Builder
	for _, line := range bot.AnswerBody(a) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(boldUnits(EscapeMarkdown(line), units))
	}
	if bot.ShowsSources(a) {
		b.WriteString("\n\n**来源**")
		for i, c := range a.Citations {
			fmt.Fprintf(&b, "\n\n%d\\. %s", i+1, EscapeMarkdown(c.Label))
			if q := quote(c.Text); q != "" {
				b.WriteString("\n\n> " + EscapeMarkdown(q))
			}
		}
	}
	if a.Pages > 1 {
		fmt.Fprintf(&b, "\n\n第 %d/%d 页，共 %d 项。", a.Page, a.Pages, a.Total)
		if a.Page < a.Pages {
			b.WriteString("发送“下一页”查看后面的任务。")
		}
	}
	title := a.Question
	if title == "" {
		title = "回答"
	}
	return Markdown{Title: truncate(strings.Join(strings.Fields(title), " "), maxTitle), Text: b.String()}
}

// quote is the first words of a cited text, on one line.
func quote(s string) string {
	return truncate(strings.Join(strings.Fields(s), " "), maxQuote)
}

// boldUnits wraps each unit name of an escaped line in **.
func boldUnits(escaped string, units []string) string {
	return bot.MarkUnits(escaped, units, EscapeMarkdown, "**", "**")
}
