package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Subscription commands: /subscribe [HH:MM] [单位…], /unsubscribe, /digest,
// /subscriptions.

var hhmm = regexp.MustCompile(`^([01]?\d|2[0-3])[:：]([0-5]\d)$`)

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
	b.reply(ctx, m, esc(b.core.subscribe(tgChat(m.Chat.ID), m.Chat.Title, strconv.FormatInt(m.From.ID, 10), args)), nil)
}

func (b *Bot) unsubscribe(ctx context.Context, m *models.Message) {
	if !b.canManage(ctx, m) {
		b.reply(ctx, m, esc("只有群管理员可以订阅或退订每日提醒。"), nil)
		return
	}
	b.reply(ctx, m, esc(b.core.unsubscribe(tgChat(m.Chat.ID))), nil)
}

// subscribe stores a chat's subscription from /subscribe's arguments
// ([HH:MM] [单位…]) and returns the plain-text reply.
func (c *Core) subscribe(chat ChatRef, title, by, args string) string {
	at := c.cfg.Digest.Time
	fields := strings.FieldsFunc(args, func(r rune) bool { return r == ' ' || r == '、' || r == '，' || r == ',' })
	if len(fields) > 0 && hhmm.MatchString(fields[0]) {
		p := hhmm.FindStringSubmatch(fields[0])
		at = fmt.Sprintf("%02d:%s", atoi2(p[1]), p[2])
		fields = fields[1:]
	}
	ix := c.engine.Index()
	var units, unknown []string
	for _, f := range fields {
		if canon, ok := ix.ResolveUnit(f); ok {
			units = appendNew(units, canon)
		} else {
			unknown = append(unknown, f)
		}
	}
	if len(unknown) > 0 {
		return fmt.Sprintf("没有找到这些单位的任务：%s。请用通知里的单位名称，例如 /subscribe 08:30 市商务局", strings.Join(unknown, "、"))
	}
	loc := c.cfg.Digest.TZ
	now := c.cfg.Now().In(loc)
	sub := Subscription{ChatRef: chat, Title: title, Time: at, TZ: loc.String(), Units: units, Active: true,
		Created: now, Seen: NoticeHashes(ix), CreatedBy: by}
	// Subscribing after today's time starts tomorrow, not with a digest now.
	next := "今天"
	if t, err := time.ParseInLocation("2006-01-02 15:04", now.Format("2006-01-02")+" "+at, loc); err == nil && !now.Before(t) {
		sub.LastSent = now.Format("2006-01-02")
		next = "明天"
	}
	if err := c.store.Put(sub); err != nil {
		c.log.Error("save subscription", "chat", chat, "err", err)
		return msgError
	}
	text := fmt.Sprintf("已订阅每日提醒：每天 %s（%s）推送，下次推送：%s %s。", at, loc.String(), next, at)
	if len(units) > 0 {
		text += "\n关注单位：" + strings.Join(units, "、")
	}
	return text + "\n退订：/unsubscribe；现在查看：/digest"
}

// unsubscribe deletes a chat's subscription and returns the reply.
func (c *Core) unsubscribe(chat ChatRef) string {
	switch err := c.store.Delete(chat); {
	case errors.Is(err, ErrNoSubscription):
		return "这个聊天没有订阅每日提醒。"
	case err != nil:
		c.log.Error("delete subscription", "chat", chat, "err", err)
		return msgError
	}
	return "已退订每日提醒。"
}

// showDigest sends today's digest now, to anyone who asks; it changes
// nothing in the schedule.
func (b *Bot) showDigest(ctx context.Context, m *models.Message) {
	opt := DigestOptions{Horizon: b.digest.Horizon}
	opt.Notices = scopeDocs(b.store, b.engine.Index(), tgChat(m.Chat.ID))
	if sub, err := b.store.Get(tgChat(m.Chat.ID)); err == nil {
		opt.Units = sub.Units
	}
	d := BuildDigest(b.engine.Index(), b.cfg.Now().In(b.digest.TZ), opt)
	b.reply(ctx, m, d.HTML(), nil)
}

func (b *Bot) listSubscriptions(ctx context.Context, m *models.Message) {
	subs, err := b.store.List()
	if err != nil {
		b.log.Error("list subscriptions", "err", err)
		b.reply(ctx, m, esc(msgError), nil)
		return
	}
	var s strings.Builder
	fmt.Fprintf(&s, "<b>订阅 %d 个</b>", len(subs))
	for _, sub := range subs {
		state := "有效"
		if !sub.Active {
			state = "已停用：" + clip(sub.Inactive, 40)
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

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func atoi2(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
