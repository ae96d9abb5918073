package telegram

import (
	"context"
	"fmt"

	"github.com/go-telegram/bot/models"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/retrieval"
)

func (b *Bot) unit(ctx context.Context, m *models.Message, name string) {
	if name == "" {
		b.reply(ctx, m, esc(bot.MsgUnitUsage), nil)
		return
	}
	a, ok, scope := b.scopedUnitAnswer(m.Chat.ID, name, 1)
	if !ok {
		b.reply(ctx, m, esc(fmt.Sprintf("%s没有找到单位“%s”的任务。", scope, bot.Clip(name, 40))), nil)
		return
	}
	b.core.Answered()
	b.sendAnswer(ctx, m, a, func(_ context.Context, page int) (retrieval.Answer, error) {
		a, _, _ := b.scopedUnitAnswer(m.Chat.ID, name, page)
		return a, nil
	})
}
