package feishu

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/assignbot/assignbot/bot"
)

// Bot is the Feishu channel on assignbot's core: it turns each message
// event into a bot.Message for the core's dispatcher, renders the core's
// replies as rich text, and queues them in the core's outbox, whose
// sender for "feishu" replies to the message (and posts to the chat when
// the message is gone). Digests are posted to chats by chat_id.
type Bot struct {
	ch   *Channel
	core *bot.Core
}

var _ bot.Channel = (*Bot)(nil)

// NewBot makes the Feishu channel and adds it to core.
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

// IsAdmin reports whether an open_id is in FEISHU_ADMIN_IDS.
func (b *Bot) IsAdmin(openID string) bool { return b.ch.IsAdmin(openID) }

// HelpNotes are /help's Feishu lines.
func (b *Bot) HelpNotes() []string {
	return []string{
		"在群里请 @我 提问；群里的其他消息我不会回复。",
		"上传通知：管理员在与我的单聊中发送文件；同名文件不会被覆盖。",
	}
}

// botInfoWait bounds asking Feishu for the bot's own open_id.
const botInfoWait = 10 * time.Second

// handle runs on one of the channel's workers.
func (b *Bot) handle(ctx context.Context, m Incoming) {
	var botID string
	if m.Group {
		c, cancel := context.WithTimeout(ctx, botInfoWait)
		id, err := b.ch.api.BotOpenID(c)
		cancel()
		if err != nil {
			// Without it any mention counts: a bot without the permission
			// to read all group messages gets only those that mention it.
			b.ch.log.Warn("feishu bot info unavailable; any @-mention in a group counts", "err", err)
		}
		botID = id
	}
	addressed, text := m.addressedTo(botID)
	if !addressed {
		return // group chatter
	}
	msg := bot.Message{Chat: bot.ChatRef{Channel: ChannelName, ID: m.ChatID}, Private: !m.Group, SenderID: m.SenderID,
		Addressed: true, Text: text, ID: m.MessageID}
	replier := func(r bot.Reply) { b.reply(ctx, m, r) }
	if m.File != nil && text == "" {
		f := *m.File
		b.core.Upload(ctx, b, msg, f.Name, func(ctx context.Context) ([]byte, error) { return b.ch.api.Download(ctx, m.MessageID, f.Key) },
			replier)
		return
	}
	b.core.Handle(ctx, b, msg, replier)
}

// reply renders r and queues its parts as replies to m.
func (b *Bot) reply(ctx context.Context, m Incoming, r bot.Reply) {
	var entries []bot.OutboxEntry
	for _, p := range split(render(r), b.ch.cfg.MaxMessage) {
		entries = append(entries, entry("reply", m.ChatID, queued{Chat: m.ChatID, ReplyTo: m.MessageID, UUID: newUUID(), Content: p.Content()}))
	}
	if err := b.core.Enqueue(entries...); err != nil {
		b.ch.log.Error("queue feishu reply; sending it directly", "chat", m.ChatID, "message", m.MessageID, "err", err)
		for _, e := range entries {
			if res := b.Send(ctx, e); res.Outcome != bot.Delivered {
				b.ch.log.Error("send feishu reply", "chat", m.ChatID, "message", m.MessageID, "err", res.Err)
				return
			}
		}
	}
}

// RenderDigest renders a chat's digest for the scheduler.
func (b *Bot) RenderDigest(chat bot.ChatRef, d bot.Digest) []bot.OutboxEntry {
	var entries []bot.OutboxEntry
	for _, p := range split(RenderDigest(d), b.ch.cfg.MaxMessage) {
		entries = append(entries, entry("digest", chat.ID, queued{Chat: chat.ID, UUID: newUUID(), Content: p.Content()}))
	}
	return entries
}

// queued is a Feishu message as the outbox keeps it. UUID is Feishu's
// idempotency key: a send repeated after a lost answer posts nothing new.
type queued struct {
	Chat    string `json:"chat"`
	ReplyTo string `json:"reply_to,omitempty"`
	UUID    string `json:"uuid"`
	Content string `json:"content"` // the post, as the message API takes it
}

func entry(kind, chat string, q queued) bot.OutboxEntry {
	payload, _ := json.Marshal(q)
	return bot.OutboxEntry{Channel: ChannelName, Chat: chat, Kind: kind, Payload: payload}
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Send makes one attempt to deliver a queued message: a reply to its
// message, or (for digests, and for a reply whose message was withdrawn)
// a post to the chat.
func (b *Bot) Send(ctx context.Context, e bot.OutboxEntry) bot.Result {
	var q queued
	if err := json.Unmarshal(e.Payload, &q); err != nil {
		return bot.Result{Outcome: bot.Drop, Err: err}
	}
	var err error
	post := q.ReplyTo == ""
	if !post {
		err = b.ch.api.Reply(ctx, q.ReplyTo, q.Content, q.UUID)
		var apiErr *APIError
		if errors.As(err, &apiErr) && !apiErr.temporary() && !apiErr.gone() {
			b.ch.log.Warn("feishu reply refused; posting to the chat", "chat", q.Chat, "err", err)
			post = true
		}
	}
	if post {
		err = b.ch.api.Send(ctx, q.Chat, q.Content, q.UUID)
	}
	var apiErr *APIError
	var unc *UncertainError
	switch {
	case err == nil:
		return bot.Result{Outcome: bot.Delivered}
	case errors.As(err, &unc):
		return bot.Result{Outcome: bot.Retry, Uncertain: true, Err: err}
	case errors.As(err, &apiErr) && apiErr.gone():
		return bot.Result{Outcome: bot.Gone, Err: err}
	case errors.As(err, &apiErr) && !apiErr.temporary():
		return bot.Result{Outcome: bot.Drop, Err: err}
	}
	return bot.Result{Outcome: bot.Retry, Err: err} // network, timeouts, 5xx, throttling
}
