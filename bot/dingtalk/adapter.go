package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/assignbot/assignbot/bot"
)

// Bot is the DingTalk channel on assignbot's core: it turns each robot
// message into a bot.Message for the core's dispatcher, renders the
// core's replies as markdown, and queues them in the core's outbox, whose
// sender for "dingtalk" answers through the message's sessionWebhook and
// falls back to the OpenAPI. Digests go to groups through the OpenAPI.
type Bot struct {
	ch   *Channel
	core *bot.Core
}

var _ bot.Channel = (*Bot)(nil)

// NewBot makes the DingTalk channel and adds it to core.
func NewBot(cfg Config, core *bot.Core) (*Bot, error) {
	b := &Bot{core: core}
	ch, err := New(cfg, b.handle)
	if err != nil {
		return nil, err
	}
	b.ch = ch
	ch.OnConnection(func(up bool) { core.Metrics().Connected(ChannelName, up) })
	ch.UseInbox(core.Store())
	core.Add(b)
	return b, nil
}

// Name is the channel's key in the store and the outbox.
func (b *Bot) Name() string { return ChannelName }

// Run receives messages until ctx ends, reconnecting as needed.
func (b *Bot) Run(ctx context.Context) error { return b.ch.Run(ctx) }

// Check tests the credentials (an access token) before serving.
func (b *Bot) Check(ctx context.Context) error { return b.ch.Check(ctx) }

// IsAdmin reports whether a staff id is in DINGTALK_ADMIN_IDS.
func (b *Bot) IsAdmin(staffID string) bool { return b.ch.IsAdmin(staffID) }

// HelpNotes are /help's DingTalk lines.
func (b *Bot) HelpNotes() []string {
	return []string{
		"在群里请 @我 提问；群里的其他消息我不会回复。",
		"上传通知：管理员在与我的单聊中发送文件（钉钉不把群里的文件交给机器人）；同名文件不会被覆盖。",
	}
}

// privatePrefix marks a one-to-one chat's id in the store: DingTalk sends
// a proactive message to a person's staff id, not to the conversation, so
// a private chat is stored as the person.
const privatePrefix = "user:"

// chatOf is the store's name for m's chat.
func chatOf(m Incoming) bot.ChatRef {
	if m.ChatKind == Group {
		return bot.ChatRef{Channel: ChannelName, ID: m.ChatID}
	}
	return bot.ChatRef{Channel: ChannelName, ID: privatePrefix + m.SenderID}
}

// targetOf is where a proactive message to a stored chat goes.
func targetOf(chat bot.ChatRef) Target {
	if id, ok := strings.CutPrefix(chat.ID, privatePrefix); ok {
		return Target{Kind: Private, ID: id}
	}
	return Target{Kind: Group, ID: chat.ID}
}

// handle runs on one of the channel's workers.
func (b *Bot) handle(ctx context.Context, m Incoming) {
	if !m.Addressed {
		return // group chatter
	}
	msg := bot.Message{Chat: chatOf(m), Private: m.ChatKind == Private, ChatTitle: m.ChatTitle,
		SenderID: m.SenderID, Addressed: true, Text: m.Text}
	if m.File != nil && m.Text == "" {
		// DingTalk delivers files only in one-to-one chats.
		f := *m.File
		b.core.Upload(ctx, b, msg, f.Name, func(ctx context.Context) ([]byte, error) { return b.ch.Download(ctx, f) },
			func(r bot.Reply) { b.reply(ctx, m, r) })
		return
	}
	b.core.Handle(ctx, b, msg, func(r bot.Reply) { b.reply(ctx, m, r) })
}

// reply renders r and queues it as a reply to m.
func (b *Bot) reply(ctx context.Context, m Incoming, r bot.Reply) {
	var entries []bot.OutboxEntry
	for _, md := range splitMarkdown(render(r), maxMarkdown) {
		entries = append(entries, entry("reply", chatOf(m), queued{To: m.Target(), Webhook: m.SessionWebhook,
			Expires: m.WebhookExpires, MessageID: m.MessageID, Title: md.Title, Text: md.Text}))
	}
	if err := b.core.Enqueue(entries...); err != nil {
		// A store that cannot take it (a full disk): send directly, once.
		b.ch.log.Error("queue dingtalk reply; sending it directly", "chat", m.ChatID, "message", m.MessageID, "err", err)
		for _, e := range entries {
			if res := b.Send(ctx, e); res.Outcome != bot.Delivered {
				b.ch.log.Error("send dingtalk reply", "chat", m.ChatID, "message", m.MessageID, "err", res.Err)
				return
			}
		}
	}
}

// MsgVoteByReply ends every answer: DingTalk's session webhook markdown
// has no buttons, so the core takes the next 有用/没用 as the vote.
const MsgVoteByReply = "回复“有用”或“没用”评价这条回答（群里请 @我）"

// render turns a core reply into one markdown message.
func render(r bot.Reply) Markdown {
	switch {
	case r.Answer != nil:
		md := RenderAnswer(*r.Answer)
		if r.AnswerID != "" {
			// No callback buttons on a session webhook: a vote is a reply.
			md.Text += "\n\n" + MsgVoteByReply
		}
		return md
	case r.Digest != nil:
		return RenderDigest(*r.Digest)
	case r.Doc != nil:
		return RenderMarkdown(r.Doc.Title, r.Doc.Lines)
	}
	return Markdown{}
}

// RenderDigest renders a chat's digest for the scheduler.
func (b *Bot) RenderDigest(chat bot.ChatRef, d bot.Digest) []bot.OutboxEntry {
	var entries []bot.OutboxEntry
	for _, md := range splitMarkdown(RenderDigest(d), maxMarkdown) {
		entries = append(entries, entry("digest", chat, queued{To: targetOf(chat), Title: md.Title, Text: md.Text}))
	}
	return entries
}

// queued is a DingTalk message as the outbox keeps it: a reply carries
// the message's session webhook (short-lived; it dies with the session),
// a digest only its target.
type queued struct {
	To        Target    `json:"to"`
	Webhook   string    `json:"webhook,omitempty"`
	Expires   time.Time `json:"expires,omitzero"`
	MessageID string    `json:"message_id,omitempty"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
}

func entry(kind string, chat bot.ChatRef, q queued) bot.OutboxEntry {
	payload, _ := json.Marshal(q)
	return bot.OutboxEntry{Channel: ChannelName, Chat: chat.ID, Kind: kind, Payload: payload}
}

// Send makes one attempt to deliver a queued message: a reply through
// its webhook while it lives, else (and for digests) the OpenAPI.
func (b *Bot) Send(ctx context.Context, e bot.OutboxEntry) bot.Result {
	var q queued
	if err := json.Unmarshal(e.Payload, &q); err != nil {
		return bot.Result{Outcome: bot.Drop, Err: err}
	}
	md := Markdown{Title: q.Title, Text: q.Text}
	var err error
	if q.Webhook != "" {
		m := Incoming{ChatKind: q.To.Kind, ChatID: q.To.ID, SenderID: q.To.ID, MessageID: q.MessageID,
			SessionWebhook: q.Webhook, WebhookExpires: q.Expires}
		err = b.ch.Reply(ctx, m, md)
	} else {
		err = b.ch.Send(ctx, q.To, md)
	}
	var unc *UncertainError
	switch {
	case err == nil:
		return bot.Result{Outcome: bot.Delivered}
	case errors.As(err, &unc):
		return bot.Result{Outcome: bot.Retry, Uncertain: true, Err: err}
	case errors.Is(err, ErrUnknownUser):
		return bot.Result{Outcome: bot.Gone, Err: err}
	case temporary(err) || ctx.Err() != nil:
		return bot.Result{Outcome: bot.Retry, Err: err}
	}
	return bot.Result{Outcome: bot.Drop, Err: err}
}

// RenderDigest renders a digest as DingTalk markdown, with what the
// Telegram digest shows.
func RenderDigest(d bot.Digest) Markdown {
	title := "每日任务提醒 · " + d.Day
	var lines []string
	section := func(head string) { lines = append(lines, "**"+EscapeMarkdown(head)+"**") }
	if len(d.Units) > 0 {
		lines = append(lines, "关注单位："+EscapeMarkdown(strings.Join(d.Units, "、")))
	}
	if d.Empty() {
		lines = append(lines, "今天没有需要提醒的时间节点，也没有通知变化。")
	}
	list := func(head string, items []bot.DueItem) {
		if len(items) == 0 {
			return
		}
		section(head)
		for _, it := range items {
			line := fmt.Sprintf("%s（%s）%s", it.Date, it.When(), it.What)
			if len(it.Units) > 0 {
				line += "；单位：" + strings.Join(it.Units[:min(6, len(it.Units))], "、")
				if len(it.Units) > 6 {
					line += fmt.Sprintf("等%d个单位", len(it.Units))
				}
			}
			lines = append(lines, "\\- "+EscapeMarkdown(line), "> 来源："+EscapeMarkdown(it.Citation))
		}
	}
	list(fmt.Sprintf("%d天内到期", d.Horizon), d.Upcoming)
	list("近3天已到期", d.Passed)
	if len(d.Added)+len(d.Changed)+len(d.Removed) > 0 {
		section("通知变化")
		for _, c := range []struct {
			what  string
			names []string
		}{{"新增", d.Added}, {"修改", d.Changed}, {"删除", d.Removed}} {
			if len(c.names) > 0 {
				lines = append(lines, EscapeMarkdown(c.what+"："+strings.Join(c.names, "；")))
			}
		}
	}
	list("关注单位牵头、近期有时间节点的任务", d.UnitTasks)
	return Markdown{Title: title, Text: "#### " + EscapeMarkdown(title) + "\n\n" + strings.Join(lines, "\n\n")}
}

// maxMarkdown bounds one message's text in bytes; DingTalk cuts longer
// markdown messages (about 5000 characters).
const maxMarkdown = 12000

// splitMarkdown splits a message between paragraphs into messages of at
// most limit bytes; the title repeats with the part number.
func splitMarkdown(md Markdown, limit int) []Markdown {
	if len(md.Text) <= limit {
		return []Markdown{md}
	}
	var parts []string
	var cur strings.Builder
	for _, p := range strings.Split(md.Text, "\n\n") {
		if cur.Len() > 0 && cur.Len()+2+len(p) > limit {
			parts = append(parts, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteString("\n\n")
		}
		cur.WriteString(p)
	}
	parts = append(parts, cur.String())
	out := make([]Markdown, len(parts))
	for i, p := range parts {
		out[i] = Markdown{Title: fmt.Sprintf("%s（%d/%d）", md.Title, i+1, len(parts)), Text: p}
	}
	return out
}
