package telegram

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/assignbot/assignbot/bot"
	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// canManage reports whether the sender may change the chat's subscription:
// anyone in a private chat, a group's administrators, and bot admins.
func (b *Bot) canManage(ctx context.Context, m *models.Message) bool {
	if m.Chat.Type == models.ChatTypePrivate || b.isAdmin(m.From.ID) {
		return true
	}
	member, err := b.tg.GetChatMember(ctx, &tg.GetChatMemberParams{ChatID: m.Chat.ID, UserID: m.From.ID})
	if err != nil {
		b.log.Warn("getChatMember failed", "chat", m.Chat.ID, "err", b.apiErr(err))
		return false
	}
	return member.Type == models.ChatMemberTypeOwner || member.Type == models.ChatMemberTypeAdministrator
}

func (b *Bot) subscribe(ctx context.Context, m *models.Message, args string) {
	if !b.canManage(ctx, m) {
		b.reply(ctx, m, esc("只有群管理员可以订阅或退订每日提醒。"), nil)
		return
	}
	b.reply(ctx, m, esc(b.core.Subscribe(tgChat(m.Chat.ID), m.Chat.Title, strconv.FormatInt(m.From.ID, 10), args)), nil)
}

func (b *Bot) unsubscribe(ctx context.Context, m *models.Message) {
	if !b.canManage(ctx, m) {
		b.reply(ctx, m, esc("只有群管理员可以订阅或退订每日提醒。"), nil)
		return
	}
	b.reply(ctx, m, esc(b.core.Unsubscribe(tgChat(m.Chat.ID))), nil)
}

func (b *Bot) listSubscriptions(ctx context.Context, m *models.Message) {
	subs, err := b.store.List()
	if err != nil {
		b.log.Error("list subscriptions", "err", err)
		b.reply(ctx, m, esc(bot.MsgError), nil)
		return
	}
	var s strings.Builder
	fmt.Fprintf(&s, "<b>订阅 %d 个</b>", len(subs))
	for _, sub := range subs {
		state := "有效"
		if !sub.Active {
			state = "已停用：" + bot.Clip(sub.Inactive, 40)
		}
		fmt.Fprintf(&s, "\n· %s %s — %s %s，%s", esc(sub.ID), esc(sub.Title), sub.Time, esc(sub.TZ), esc(state))
		if len(sub.Units) > 0 {
			fmt.Fprintf(&s, "，关注 %s", esc(strings.Join(sub.Units, "、")))
		}
		if sub.LastSent != "" {
			fmt.Fprintf(&s, "，上次 %s", sub.LastSent)
		}
	}
	b.reply(ctx, m, s.String(), nil)
}
