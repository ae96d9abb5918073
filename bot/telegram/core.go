package telegram

import (
	"context"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/assignbot/assignbot/bot"
)

// The commands Telegram has nothing of its own for go through the core's
// dispatcher, and its Replies are rendered here in Telegram HTML: /help,
// questions, /ask, /unit, /notices, /task, /scope, /subscribe, /unsubscribe (a group's
// administrators are asked of Telegram: CanManage), /digest, /stats and
// unknown commands; answers are sent with their page and 展开 buttons.
// Telegram keeps what only it has: the buttons' callbacks, uploads with a
// confirmation and the reloads they batch, /subscriptions, supergroup
// moves.

// coreCommand answers a command through the core's dispatcher.
func (b *Bot) coreCommand(ctx context.Context, m *models.Message, cmd, args string) {
	b.core.Command(ctx, b, b.coreMessage(m), cmd, args, b.replier(ctx, m))
}

// ask answers a question through the core: in the asker's conversation,
// within the chat's scope; a reply to one of the bot's answers continues
// from that answer.
func (b *Bot) ask(ctx context.Context, m *models.Message, q string) {
	if q = strings.TrimSpace(q); q != "" {
		b.core.Ask(ctx, b.coreMessage(m), q, b.replier(ctx, m))
	}
}

// coreMessage is a Telegram message as the core sees it.
func (b *Bot) coreMessage(m *models.Message) bot.Message {
	msg := bot.Message{Chat: tgChat(m.Chat.ID), Private: m.Chat.Type == models.ChatTypePrivate, ChatTitle: m.Chat.Title,
		SenderID: strconv.FormatInt(m.From.ID, 10), Addressed: true, Text: m.Text, ID: strconv.Itoa(m.ID)}
	if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == b.botID {
		msg.ReplyTo = strconv.Itoa(r.ID)
	}
	return msg
}

// replier renders the core's Replies to m in Telegram HTML; answers get
// their page and 展开 buttons.
func (b *Bot) replier(ctx context.Context, m *models.Message) bot.Replier {
	return func(r bot.Reply) {
		if r.Answer != nil {
			b.sendAnswer(ctx, m, *r.Answer, r.More, r.AnswerID)
			return
		}
		b.reply(ctx, m, replyHTML(r), nil)
	}
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
