package telegram

import (
	"context"
	"strconv"

	"github.com/go-telegram/bot/models"

	"github.com/assignbot/assignbot/retrieval"
)

// converse answers a question in the asker's conversation, kept by the
// core, within the chat's scope; a reply to one of the bot's answers
// continues from that answer. A unit listing comes one page at a time:
// more fetches page n of it, answering the same question from the same
// context again. The returned remember keeps the answer's context for
// replies.
func (b *Bot) converse(ctx context.Context, m *models.Message, q string) (a retrieval.Answer, more func(context.Context, int) (retrieval.Answer, error), remember func(), err error) {
	replyTo := ""
	if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == b.botID {
		replyTo = strconv.Itoa(r.ID)
	}
	a, more, keep, err := b.core.Converse(ctx, tgChat(m.Chat.ID), strconv.FormatInt(m.From.ID, 10),
		m.Chat.Type == models.ChatTypePrivate, replyTo, q)
	return a, more, func() { keep(strconv.Itoa(m.ID)) }, err
}
