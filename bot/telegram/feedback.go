package telegram

import (
	"context"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/assignbot/assignbot/bot"
)

// Answer feedback on Telegram: 👍 and 👎 under every answer the core kept
// (bot/vote.go), in the same keyboard as 下一页 and 展开. The callback
// data is "f:<answer id>:u" or ":d" (the id is at most 13 characters).

// voteRow is the keyboard row that votes on answer id.
func voteRow(id string) []inlineButton {
	return []inlineButton{{Text: "👍 有用", CallbackData: "f:" + id + ":u"}, {Text: "👎 没用", CallbackData: "f:" + id + ":d"}}
}

// onVote stores a press of 👍 or 👎 and acknowledges it quietly.
func (b *Bot) onVote(cq *models.CallbackQuery, parts []string, answer func(string)) {
	if len(parts) != 3 || (parts[2] != "u" && parts[2] != "d") {
		answer("")
		return
	}
	answer(b.core.Vote(parts[1], strconv.FormatInt(cq.From.ID, 10), parts[2] == "u"))
}

// feedback is /feedback: the latest 👎, for admins.
func (b *Bot) feedback(ctx context.Context, m *models.Message) {
	b.reply(ctx, m, docHTML(b.core.FeedbackDoc()), nil)
}

// docHTML renders a core Doc: a bold title and escaped lines.
func docHTML(d *bot.Doc) string {
	var s strings.Builder
	if d.Title != "" {
		s.WriteString("<b>" + esc(d.Title) + "</b>\n")
	}
	for _, l := range d.Lines {
		s.WriteString(esc(l) + "\n")
	}
	return strings.TrimSpace(s.String())
}
