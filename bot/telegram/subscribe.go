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

// CanManage reports whether the sender is an administrator of the
// Telegram group (the core asks it before a group's scope or subscription
// changes; private chats and bot admins it allows itself).
func (b *Bot) CanManage(ctx context.Context, m bot.Message) bool {
	chatID, err1 := strconv.ParseInt(m.Chat.ID, 10, 64)
	userID, err2 := strconv.ParseInt(m.SenderID, 10, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	member, err := b.tg.GetChatMember(ctx, &tg.GetChatMemberParams{ChatID: chatID, UserID: userID})
	if err != nil {
		b.log.Warn("getChatMember failed", "chat", chatID, "err", b.apiErr(err))
		return false
	}
	return member.Type == models.ChatMemberTypeOwner || member.Type == models.ChatMemberTypeAdministrator
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
