package bot

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Subscription commands: /subscribe [HH:MM] [单位…], /unsubscribe, /digest,
// /subscriptions.

var hhmm = regexp.MustCompile(`^([01]?\d|2[0-3])[:：]([0-5]\d)$`)

// Subscribe stores a chat's subscription from /subscribe's arguments
// ([HH:MM] [单位…]) and returns the plain-text reply.
func (c *Core) Subscribe(chat ChatRef, title, by, args string) string {
	at := c.cfg.Digest.Time
	fields := strings.FieldsFunc(args, func(r rune) bool { return r == ' ' || r == '、' || r == '，' || r == ',' })
	if len(fields) > 0 && hhmm.MatchString(fields[0]) {
		p := hhmm.FindStringSubmatch(fields[0])
		at = fmt.Sprintf("%02d:%s", atoi2(p[1]), p[2])
		fields = fields[1:]
	}
	ld, _ := c.engine.Current()
	var units, unknown []string
	for _, f := range fields {
		if canon, ok := c.engine.ResolveUnit(f); ok {
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
		Created: now, Seen: NoticeHashes(ld.Corpus), CreatedBy: by}
	// Subscribing after today's time starts tomorrow, not with a digest now.
	next := "今天"
	if t, err := time.ParseInLocation("2006-01-02 15:04", now.Format("2006-01-02")+" "+at, loc); err == nil && !now.Before(t) {
		sub.LastSent = now.Format("2006-01-02")
		next = "明天"
	}
	if err := c.store.Put(sub); err != nil {
		c.log.Error("save subscription", "chat", chat, "err", err)
		return MsgError
	}
	text := fmt.Sprintf("已订阅每日提醒：每天 %s（%s）推送，下次推送：%s %s。", at, loc.String(), next, at)
	if len(units) > 0 {
		text += "\n关注单位：" + strings.Join(units, "、")
	}
	return text + "\n退订：/unsubscribe；现在查看：/digest"
}

// Unsubscribe deletes a chat's subscription and returns the reply.
func (c *Core) Unsubscribe(chat ChatRef) string {
	switch err := c.store.Delete(chat); {
	case errors.Is(err, ErrNoSubscription):
		return "这个聊天没有订阅每日提醒。"
	case err != nil:
		c.log.Error("delete subscription", "chat", chat, "err", err)
		return MsgError
	}
	return "已退订每日提醒。"
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
