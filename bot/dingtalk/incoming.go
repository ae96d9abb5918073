package dingtalk

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/chatbot"
)

// ChannelName names this channel in the core's message and store keys.
const ChannelName = "dingtalk"

// ChatKind tells a one-to-one chat from a group.
type ChatKind string

// The chat kinds, from the callback's conversationType ("1", "2").
const (
	Private ChatKind = "private"
	Group   ChatKind = "group"
)

// Incoming is one message to the bot, in the shape the channel-neutral
// core will take over: only the reply fields at the end are DingTalk's own.
type Incoming struct {
	Channel    string   // always ChannelName
	ChatID     string   // conversationId; a group's is its openConversationId
	ChatKind   ChatKind // Private or Group
	ChatTitle  string   // the group's name; empty in private chats
	MessageID  string   // msgId; a redelivered message keeps it
	SenderID   string   // senderStaffId: the staff id that admin lists and private sends use
	SenderName string   // senderNick
	Addressed  bool     // always in private; in a group only when the bot was @-mentioned
	Text       string   // the text with the @mention's gap trimmed away; empty for a file
	File       *File    // set when msgtype is file
	MsgType    string   // DingTalk's msgtype, for logs and "unsupported" replies

	// SessionWebhook answers this conversation without an access token
	// until WebhookExpires; after that the OpenAPI must be used.
	SessionWebhook string
	WebhookExpires time.Time
}

// File is a file sent to the bot. The download code is valid for the
// robot that received it (see Channel.Download).
type File struct {
	DownloadCode string
	Name         string
}

// Handler handles one incoming message. It runs on one of the channel's
// workers, never on the stream's reader, so it may take its time.
type Handler func(ctx context.Context, m Incoming)

// messageContent is the "content" object of non-text messages.
type messageContent struct {
	DownloadCode string `json:"downloadCode"`
	FileName     string `json:"fileName"`
	Recognition  string `json:"recognition"` // audio: DingTalk's speech-to-text
	RichText     []struct {
		Text string `json:"text"`
	} `json:"richText"`
}

// Target is where a proactive message goes: a group by its
// openConversationId, a private chat by the staff id of the person, since
// DingTalk sends one-to-one messages to users, not to conversations.
type Target struct {
	Kind ChatKind
	ID   string
}

// Target returns where a proactive message answering m would go.
func (m Incoming) Target() Target {
	if m.ChatKind == Group {
		return Target{Kind: Group, ID: m.ChatID}
	}
	return Target{Kind: Private, ID: m.SenderID}
}

// parseIncoming turns a robot callback, as the SDK decoded it, into an
// Incoming.
func parseIncoming(cb *chatbot.BotCallbackDataModel) Incoming {
	m := Incoming{
		Channel:        ChannelName,
		ChatID:         cb.ConversationId,
		MessageID:      cb.MsgId,
		SenderID:       cb.SenderStaffId,
		SenderName:     cb.SenderNick,
		MsgType:        cb.Msgtype,
		SessionWebhook: cb.SessionWebhook,
	}
	if cb.SessionWebhookExpiredTime > 0 {
		m.WebhookExpires = time.UnixMilli(cb.SessionWebhookExpiredTime)
	}
	switch cb.ConversationType {
	case "2":
		m.ChatKind = Group
		m.ChatTitle = cb.ConversationTitle
		m.Addressed = cb.IsInAtList
	default: // "1"
		m.ChatKind = Private
		m.Addressed = true
	}
	// The SDK leaves "content" as a generic value; read it again typed.
	var content messageContent
	if cb.Content != nil {
		if raw, err := json.Marshal(cb.Content); err == nil {
			_ = json.Unmarshal(raw, &content) // a content we cannot read leaves the message empty
		}
	}
	switch cb.Msgtype {
	case "text":
		m.Text = cb.Text.Content
	case "richText":
		var parts []string
		for _, p := range content.RichText {
			parts = append(parts, p.Text)
		}
		m.Text = strings.Join(parts, "")
	case "audio":
		m.Text = content.Recognition
	case "file":
		if content.DownloadCode != "" {
			m.File = &File{DownloadCode: content.DownloadCode, Name: content.FileName}
		}
	}
	// DingTalk cuts "@bot" out of a group message but leaves the space
	// around it, so " 问题" arrives; full-width spaces are trimmed too.
	m.Text = strings.TrimSpace(m.Text)
	return m
}
