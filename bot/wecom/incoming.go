package wecom

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"time"
)

// ChannelName names this channel in the core's message and store keys.
const ChannelName = "wecom"

// Incoming is one message to the bot.
type Incoming struct {
	ReqID     string // the callback's req_id: aibot_respond_msg answers it
	MessageID string // msgid; unique per callback
	Group     bool   // chattype group
	ChatID    string // the group's chatid; empty in a one-to-one chat
	SenderID  string // from.userid
	Addressed bool   // always in private; in a group when the text @-mentions someone (the bot: WeCom sends it nothing else)
	Text      string // the text without the mention
	File      *File  // set for a file message
	MsgType   string
	Received  time.Time
	Event     string // for an event callback, its eventtype (enter_chat); "" for a message
}

// File is a file sent to the bot: a URL valid for about five minutes and
// the AES key its content is encrypted with.
type File struct {
	URL    string
	AESKey string
}

// Handler handles one incoming message on one of the channel's workers.
type Handler func(ctx context.Context, m Incoming)

// callback is the body of aibot_msg_callback, with the req_id the link
// adds.
type callback struct {
	ReqID    string `json:"req_id"`
	MsgID    string `json:"msgid"`
	ChatID   string `json:"chatid"`
	ChatType string `json:"chattype"`
	From     struct {
		UserID string `json:"userid"`
	} `json:"from"`
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
	Voice struct {
		Content string `json:"content"` // WeCom's speech-to-text
	} `json:"voice"`
	Mixed struct {
		Items []struct {
			MsgType string `json:"msgtype"`
			Text    struct {
				Content string `json:"content"`
			} `json:"text"`
		} `json:"msg_item"`
	} `json:"mixed"`
	File struct {
		URL    string `json:"url"`
		AESKey string `json:"aeskey"`
	} `json:"file"`
}

// parseEvent reads an aibot_event_callback body.
func parseEvent(body json.RawMessage, now time.Time) (Incoming, error) {
	var ev struct {
		ReqID    string `json:"req_id"`
		MsgID    string `json:"msgid"`
		ChatID   string `json:"chatid"`
		ChatType string `json:"chattype"`
		From     struct {
			UserID string `json:"userid"`
		} `json:"from"`
		Event struct {
			EventType string `json:"eventtype"`
		} `json:"event"`
	}
	if err := json.Unmarshal(body, &ev); err != nil {
		return Incoming{}, err
	}
	return Incoming{ReqID: ev.ReqID, MessageID: ev.MsgID, Group: ev.ChatType == "group", ChatID: ev.ChatID,
		SenderID: ev.From.UserID, Event: ev.Event.EventType, Received: now}, nil
}

// mention is an @-mention as WeCom leaves it in a group message's text.
var mention = regexp.MustCompile(`@[^\s@]+`)

// parseIncoming reads a callback body.
func parseIncoming(body json.RawMessage, now time.Time) (Incoming, error) {
	var cb callback
	if err := json.Unmarshal(body, &cb); err != nil {
		return Incoming{}, err
	}
	m := Incoming{ReqID: cb.ReqID, MessageID: cb.MsgID, Group: cb.ChatType == "group", SenderID: cb.From.UserID,
		MsgType: cb.MsgType, Received: now}
	if m.Group {
		m.ChatID = cb.ChatID
	}
	switch cb.MsgType {
	case "text":
		m.Text = cb.Text.Content
	case "voice":
		m.Text = cb.Voice.Content
	case "mixed":
		var parts []string
		for _, it := range cb.Mixed.Items {
			if it.MsgType == "text" {
				parts = append(parts, it.Text.Content)
			}
		}
		m.Text = strings.Join(parts, "\n")
	case "file":
		if cb.File.URL != "" {
			m.File = &File{URL: cb.File.URL, AESKey: cb.File.AESKey}
		}
	}
	m.Addressed = !m.Group
	if m.Group {
		// "@助手 问题": the mention of the bot stays in the text. Cut the
		// leading mentions, or else the first one.
		t := strings.TrimSpace(m.Text)
		cut := false
		for strings.HasPrefix(t, "@") {
			loc := mention.FindStringIndex(t)
			if loc == nil || loc[0] != 0 {
				break
			}
			t, cut = strings.TrimSpace(t[loc[1]:]), true
		}
		if !cut {
			if loc := mention.FindStringIndex(t); loc != nil {
				t, cut = strings.TrimSpace(strings.TrimSpace(t[:loc[0]])+" "+strings.TrimSpace(t[loc[1]:])), true
			}
		}
		m.Text = t
		m.Addressed = cut || m.File != nil
	}
	m.Text = strings.TrimSpace(m.Text)
	return m, nil
}
