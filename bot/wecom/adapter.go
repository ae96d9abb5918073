package wecom

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/assignbot/assignbot/bot"
)

// Bot is the WeCom channel on assignbot's core: it turns each callback
// into a bot.Message for the core's dispatcher, renders the core's
// replies as markdown, and queues them in the core's outbox, whose sender
// for "wecom" answers the callback (aibot_respond_msg) or pushes to the
// chat (aibot_send_msg).
type Bot struct {
	ch   *Channel
	core *bot.Core
}

var _ bot.Channel = (*Bot)(nil)

// NewBot makes the WeCom channel and adds it to core.
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

// IsAdmin reports whether a userid is in WECOM_ADMIN_IDS.
func (b *Bot) IsAdmin(userID string) bool { return b.ch.IsAdmin(userID) }

// HelpNotes are /help's WeCom lines.
func (b *Bot) HelpNotes() []string {
	return []string{
		"在群里请 @我 提问；群里的其他消息我不会回复。",
		"上传通知：管理员在与我的单聊中发送文件；同名文件不会被覆盖。",
	}
}

// privatePrefix marks a one-to-one chat in the store: WeCom pushes to a
// person by userid, so a private chat is stored as the person.
const privatePrefix = "user:"

// chatOf is the store's name for m's chat.
func chatOf(m Incoming) bot.ChatRef {
	if m.Group {
		return bot.ChatRef{Channel: ChannelName, ID: m.ChatID}
	}
	return bot.ChatRef{Channel: ChannelName, ID: privatePrefix + m.SenderID}
}

// targetOf is the chatid aibot_send_msg takes for a stored chat: a
// group's chatid, a person's userid.
func targetOf(chat bot.ChatRef) string { return strings.TrimPrefix(chat.ID, privatePrefix) }

// MsgWelcome greets someone who opens the robot's chat (WeCom's
// enter_chat event, once a day at most).
const MsgWelcome = "您好，我是任务分工查询机器人：可以问我通知里的任务由哪个单位牵头、哪些单位负责、什么时候完成，" +
	"例如“哪个单位牵头步行街建设任务？”。发送 /help 查看全部用法。"

// welcomeWait bounds the greeting: WeCom takes it within 5 s of the event.
const welcomeWait = 5 * time.Second

// handle runs on one of the channel's workers.
func (b *Bot) handle(ctx context.Context, m Incoming) {
	if m.Event != "" {
		if m.Event == "enter_chat" && b.ch.cfg.Now().Sub(m.Received) < welcomeWait {
			c, cancel := context.WithTimeout(ctx, welcomeWait)
			defer cancel()
			if err := b.ch.Welcome(c, m.ReqID, MsgWelcome); err != nil {
				b.ch.log.Warn("wecom welcome not sent", "user", m.SenderID, "err", err)
			}
		}
		return
	}
	if !m.Addressed {
		return // group chatter
	}
	msg := bot.Message{Chat: chatOf(m), Private: !m.Group, SenderID: m.SenderID, Addressed: true, Text: m.Text, ID: m.MessageID}
	replier := func(r bot.Reply) { b.reply(ctx, m, r) }
	if m.File != nil && m.Text == "" {
		b.upload(ctx, m, msg, replier)
		return
	}
	b.core.Handle(ctx, b, msg, replier)
}

// upload hands an admin's file to the core. WeCom names the file only in
// the download's headers, so the file is fetched before the core's
// checks of the name; a non-admin's file is never fetched.
func (b *Bot) upload(ctx context.Context, m Incoming, msg bot.Message, reply bot.Replier) {
	if !msg.Private {
		reply(bot.Reply{Doc: &bot.Doc{Lines: []string{"请在与我的单聊中发送通知文件（仅管理员）。"}}})
		return
	}
	never := func(context.Context) ([]byte, error) { return nil, errors.New("not fetched") }
	if !b.IsAdmin(m.SenderID) {
		b.core.Upload(ctx, b, msg, "", never, reply) // the core says who may upload
		return
	}
	name, data, err := b.ch.Download(ctx, *m.File)
	if err != nil {
		b.ch.log.Error("wecom download failed", "chat", m.ChatID, "message", m.MessageID, "err", err)
		reply(bot.Reply{Doc: &bot.Doc{Lines: []string{"下载文件失败（文件太大或链接已过期），请重新发送。"}}})
		return
	}
	if name == "" {
		reply(bot.Reply{Doc: &bot.Doc{Lines: []string{"企业微信没有给出文件名，无法保存。请把通知放进服务器的通知目录，再发送 /reload。"}}})
		return
	}
	b.core.Upload(ctx, b, msg, name, func(context.Context) ([]byte, error) { return data, nil }, reply)
}

// reply renders r and queues it: the first part answers the callback,
// the rest are pushed to the chat after it, in order.
func (b *Bot) reply(ctx context.Context, m Incoming, r bot.Reply) {
	md := render(r)
	if md == "" {
		return
	}
	chat := chatOf(m)
	var entries []bot.OutboxEntry
	for i, part := range split(md, b.ch.cfg.MaxMessage) {
		q := queued{To: targetOf(chat), Content: part}
		if i == 0 {
			q.ReqID, q.StreamID, q.Received = m.ReqID, newStreamID(), m.Received
		}
		entries = append(entries, entry("reply", chat, q))
	}
	if err := b.core.Enqueue(entries...); err != nil {
		b.ch.log.Error("queue wecom reply; sending it directly", "chat", m.ChatID, "message", m.MessageID, "err", err)
		for _, e := range entries {
			if res := b.Send(ctx, e); res.Outcome != bot.Delivered {
				b.ch.log.Error("send wecom reply", "chat", m.ChatID, "message", m.MessageID, "err", res.Err)
				return
			}
		}
	}
}

// RenderDigest renders a chat's digest for the scheduler.
func (b *Bot) RenderDigest(chat bot.ChatRef, d bot.Digest) []bot.OutboxEntry {
	var entries []bot.OutboxEntry
	for _, part := range split(RenderDigest(d), b.ch.cfg.MaxMessage) {
		entries = append(entries, entry("digest", chat, queued{To: targetOf(chat), Content: part}))
	}
	return entries
}

// queued is a WeCom message as the outbox keeps it: a reply's first part
// carries its callback's req_id and the time it came, to answer it while
// it lives; everything else is pushed to To.
type queued struct {
	To       string    `json:"to"`
	ReqID    string    `json:"req_id,omitempty"`
	StreamID string    `json:"stream_id,omitempty"`
	Received time.Time `json:"received,omitzero"`
	Content  string    `json:"content"`
}

func entry(kind string, chat bot.ChatRef, q queued) bot.OutboxEntry {
	payload, _ := json.Marshal(q)
	return bot.OutboxEntry{Channel: ChannelName, Chat: chat.ID, Kind: kind, Payload: payload}
}

func newStreamID() string {
	var b [8]byte
	rand.Read(b[:])
	return "ab_" + hex.EncodeToString(b[:])
}

// Send makes one attempt to deliver a queued message: the answer to its
// callback while the req_id lives, else a push to the chat. A callback
// WeCom no longer answers (an error other than "busy") gives way to a
// push in the same attempt.
func (b *Bot) Send(ctx context.Context, e bot.OutboxEntry) bot.Result {
	var q queued
	if err := json.Unmarshal(e.Payload, &q); err != nil {
		return bot.Result{Outcome: bot.Drop, Err: err}
	}
	var err error
	pushed := true
	if q.ReqID != "" && b.ch.cfg.Now().Before(q.Received.Add(b.ch.cfg.ReplyWindow)) {
		err = b.ch.Respond(ctx, q.ReqID, q.StreamID, q.Content)
		pushed = false
		var werr *Error
		if errors.As(err, &werr) && !werr.temporary() {
			b.ch.log.Warn("wecom reply refused; pushing it to the chat", "chat", e.Chat, "err", err)
			pushed = true
		}
	}
	if pushed {
		if q.To == "" {
			return bot.Result{Outcome: bot.Drop, Err: errors.New("wecom: no recipient")}
		}
		err = b.ch.Push(ctx, q.To, q.Content)
	}
	var unc *UncertainError
	switch {
	case err == nil:
		return bot.Result{Outcome: bot.Delivered}
	case errors.As(err, &unc):
		return bot.Result{Outcome: bot.Retry, Uncertain: true, Err: err}
	case temporary(err) || ctx.Err() != nil:
		return bot.Result{Outcome: bot.Retry, Err: err}
	}
	return bot.Result{Outcome: bot.Drop, Err: err}
}

// temporary reports whether a send may pass later.
func temporary(err error) bool {
	var unc *UncertainError
	if errors.As(err, &unc) {
		return false // it may have passed already
	}
	var werr *Error
	if errors.As(err, &werr) {
		return werr.temporary()
	}
	return true // not connected, no answer in time, the connection failed
}
