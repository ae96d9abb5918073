package feishu

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	larkim "github.com/larksuite/oapi-sdk-go/v3/service/im/v1"
)

// ChannelName names this channel in the core's message and store keys.
const ChannelName = "feishu"

// eventMessageReceive is the one event the bot subscribes to.
const eventMessageReceive = "im.message.receive_v1"

// Incoming is one message to the bot.
type Incoming struct {
	EventID   string // the event's id; a redelivered event keeps it
	MessageID string // om_…: replies and file downloads refer to it
	ParentID  string // the message this one replies to, if any
	ChatID    string // oc_…; a one-to-one chat has one too
	Group     bool   // chat_type group
	SenderID  string // the sender's open_id
	Text      string // without the mentions of the bot
	Mentions  []Mention
	File      *File
	MsgType   string
}

// Mention is someone the message @-mentions.
type Mention struct {
	Key    string // @_user_1, as it stands in the text
	OpenID string
	Name   string
}

// File is a file sent to the bot.
type File struct {
	Key  string
	Name string
}

// Handler handles one incoming message on one of the channel's workers.
type Handler func(ctx context.Context, m Incoming)

// errNotMessage is an event that is not a user's message.
var errNotMessage = errors.New("not a message event")

// parseIncoming reads an im.message.receive_v1 event with the SDK's types.
func parseIncoming(payload []byte) (Incoming, error) {
	var ev larkim.P2MessageReceiveV1
	if err := json.Unmarshal(payload, &ev); err != nil {
		return Incoming{}, err
	}
	if ev.EventV2Base == nil || ev.EventV2Base.Header == nil || ev.EventV2Base.Header.EventType != eventMessageReceive || ev.Event == nil || ev.Event.Message == nil {
		return Incoming{}, errNotMessage
	}
	msg, snd := ev.Event.Message, ev.Event.Sender
	if snd != nil && str(snd.SenderType) != "" && str(snd.SenderType) != "user" {
		return Incoming{}, errNotMessage // a bot's message, the bot's own among them
	}
	m := Incoming{EventID: ev.EventV2Base.Header.EventID, MessageID: str(msg.MessageId), ParentID: str(msg.ParentId), ChatID: str(msg.ChatId),
		Group: str(msg.ChatType) == "group", MsgType: str(msg.MessageType)}
	if snd != nil && snd.SenderId != nil {
		m.SenderID = str(snd.SenderId.OpenId)
	}
	for _, mt := range msg.Mentions {
		if mt == nil {
			continue
		}
		men := Mention{Key: str(mt.Key), Name: str(mt.Name)}
		if mt.Id != nil {
			men.OpenID = str(mt.Id.OpenId)
		}
		m.Mentions = append(m.Mentions, men)
	}
	content := str(msg.Content)
	switch m.MsgType {
	case "text":
		var c struct {
			Text string `json:"text"`
		}
		json.Unmarshal([]byte(content), &c)
		m.Text = c.Text
	case "post":
		m.Text = postText(content)
	case "file":
		var c struct {
			FileKey  string `json:"file_key"`
			FileName string `json:"file_name"`
		}
		json.Unmarshal([]byte(content), &c)
		if c.FileKey != "" {
			m.File = &File{Key: c.FileKey, Name: c.FileName}
		}
	}
	return m, nil
}

// postText is the text of a rich-text message: its title and text runs,
// with each @ as its key, as a text message has them.
func postText(content string) string {
	var p struct {
		Title   string `json:"title"`
		Content [][]struct {
			Tag    string `json:"tag"`
			Text   string `json:"text"`
			UserID string `json:"user_id"`
		} `json:"content"`
	}
	json.Unmarshal([]byte(content), &p)
	var lines []string
	if p.Title != "" {
		lines = append(lines, p.Title)
	}
	for _, para := range p.Content {
		var b strings.Builder
		for _, el := range para {
			switch el.Tag {
			case "text", "a", "code_block":
				b.WriteString(el.Text)
			case "at":
				b.WriteString("@" + el.UserID + " ")
			}
		}
		lines = append(lines, b.String())
	}
	return strings.Join(lines, "\n")
}

// addressedTo reports whether m is for the bot (always in a one-to-one
// chat; in a group when it @-mentions the bot, or anyone when the bot's
// open_id is unknown: without the permission to read all group messages a
// bot only gets those that mention it), and returns the text with the
// bot's mentions cut and others' shown as @name.
func (m Incoming) addressedTo(botID string) (bool, string) {
	text := m.Text
	addressed := !m.Group
	for _, men := range m.Mentions {
		if men.Key == "" {
			continue
		}
		if botID == "" || men.OpenID == botID {
			addressed = true
			text = strings.ReplaceAll(text, men.Key, "")
		} else {
			text = strings.ReplaceAll(text, men.Key, "@"+men.Name)
		}
	}
	if m.Group && m.File != nil {
		addressed = false // a file in a group is never for the bot
	}
	return addressed, strings.Join(strings.Fields(text), " ")
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
