package telegram

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/retrieval"
	"github.com/go-telegram/bot/models"
)

// scopeOf returns a Telegram chat's scope matched against the current index.
func (b *Bot) scopeOf(chatID int64) retrieval.Scope {
	return b.core.Scope(tgChat(chatID))
}

func (b *Bot) scope(ctx context.Context, m *models.Message, args string) {
	if b.store == nil {
		b.reply(ctx, m, esc("这个机器人没有配置数据目录，不能设置范围。"), nil)
		return
	}
	if args == "" {
		s := b.scopeOf(m.Chat.ID)
		if s.Text == "" {
			b.reply(ctx, m, esc("当前没有限定范围：回答来自全部已加载的通知。\n用法：/scope 广元（按地区、发文机关、标题或文号限定），/scope 全部 取消。"), nil)
			return
		}
		b.reply(ctx, m, b.scopeHTML("当前范围", s), nil)
		return
	}
	if !b.canManage(ctx, m) {
		b.reply(ctx, m, esc("只有群管理员或机器人管理员可以修改范围。"), nil)
		return
	}
	if bot.IsAllScope(args) {
		if err := b.store.SetScope(tgChat(m.Chat.ID), bot.ChatScope{}); err != nil {
			b.log.Error("clear scope", "chat", m.Chat.ID, "err", err)
			b.reply(ctx, m, esc(bot.MsgError), nil)
			return
		}
		b.core.ForgetChat(tgChat(m.Chat.ID))
		b.reply(ctx, m, esc("已取消范围限定：回答来自全部已加载的通知。"), nil)
		return
	}
	s := b.engine.MatchScope(args)
	if len(s.Docs) == 0 {
		b.reply(ctx, m, esc(fmt.Sprintf("没有与“%s”匹配的通知，范围没有改变。发送 /notices 查看已加载的通知。", bot.Clip(args, 40))), nil)
		return
	}
	if err := b.store.SetScope(tgChat(m.Chat.ID), bot.ChatScope{Text: s.Text, SetBy: strconv.FormatInt(m.From.ID, 10)}); err != nil {
		b.log.Error("set scope", "chat", m.Chat.ID, "err", err)
		b.reply(ctx, m, esc(bot.MsgError), nil)
		return
	}
	b.core.ForgetChat(tgChat(m.Chat.ID))
	b.reply(ctx, m, b.scopeHTML("范围已设为", s), nil)
}

// scopeHTML lists the notices in a scope.
func (b *Bot) scopeHTML(title string, s retrieval.Scope) string {
	var out strings.Builder
	fmt.Fprintf(&out, "<b>%s：%s</b>（%d 份通知）\n", esc(title), esc(s.Text), len(s.Docs))
	ld, _ := b.engine.Current()
	for i, n := range bot.ScopeNotices(ld.Corpus, s) {
		if i == 20 {
			fmt.Fprintf(&out, "……共 %d 份\n", len(s.Docs))
			break
		}
		fmt.Fprintf(&out, "· %s\n", esc(bot.Clip(n.Name(), 50)))
	}
	out.WriteString("发送 /scope 全部 取消限定。")
	return out.String()
}

// scopedUnitAnswer lists a unit's tasks within a Telegram chat's scope.
func (b *Bot) scopedUnitAnswer(chatID int64, name string, page int) (a retrieval.Answer, ok bool, where string) {
	return b.core.UnitAnswer(tgChat(chatID), name, page)
}
