package telegram

import (
	"context"
	"strconv"

	"github.com/go-telegram/bot/models"

	"github.com/assignbot/assignbot/bot"
)

// The commands Telegram has nothing of its own for go through the core's
// dispatcher, and its Replies are rendered here in Telegram HTML: /help,
// /notices, /task, /scope, /subscribe, /unsubscribe (a group's
// administrators are asked of Telegram: CanManage), /digest, /stats and
// unknown commands. Telegram keeps what only it has: questions and /unit
// with their page and 展开 buttons, uploads with a confirmation and the
// reloads they batch, /subscriptions.

// coreCommand answers a command through the core's dispatcher.
func (b *Bot) coreCommand(ctx context.Context, m *models.Message, cmd, args string) {
	msg := bot.Message{Chat: tgChat(m.Chat.ID), Private: m.Chat.Type == models.ChatTypePrivate, ChatTitle: m.Chat.Title,
		SenderID: strconv.FormatInt(m.From.ID, 10), Addressed: true, Text: m.Text}
	b.core.Command(ctx, b, msg, cmd, args, func(r bot.Reply) {
		if r.Answer != nil {
			b.sendAnswer(ctx, m, *r.Answer, nil)
			return
		}
		b.reply(ctx, m, replyHTML(r), nil)
	})
}

// HelpNotes are /help's Telegram lines.
func (b *Bot) HelpNotes() []string {
	return []string{
		"/ask 问题 — 提问（群里请用 /ask 或 @我）",
		"上传通知：管理员在与我的单聊中发送文件。",
	}
}

// replyHTML renders a core Reply other than an answer in Telegram HTML.
func replyHTML(r bot.Reply) string {
	switch {
	case r.Doc != nil:
		return docHTML(r.Doc)
	case r.Digest != nil:
		return digestHTML(*r.Digest)
	case r.Answer != nil:
		return renderAnswer(*r.Answer)
	}
	return ""
}
