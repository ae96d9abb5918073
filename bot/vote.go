package bot

import (
	"errors"
	"fmt"
	"strings"

	"github.com/assignbot/assignbot/retrieval"
)

// Votes in chat. Telegram sends 👍/👎 as inline buttons under each
// answer; a channel without buttons (DingTalk's session webhook) asks the
// person to reply 有用 or 没用, and the core takes such a reply as a vote
// on the last answer that person got in that conversation.

// MsgVoted acknowledges a vote.
const MsgVoted = "已记录，谢谢"

// FeedbackLimit is how many 👎 /feedback shows.
const FeedbackLimit = 10

// voteWords are the replies that vote on the last answer.
var voteWords = map[string]bool{"有用": true, "👍": true, "没用": false, "无用": false, "👎": false}

// VoteWord reports whether a message is a vote, and which.
func VoteWord(text string) (up, ok bool) {
	up, ok = voteWords[strings.Trim(strings.TrimSpace(text), "。！!.")]
	return up, ok
}

// KeepAnswer keeps an answer sent in chat for votes on it and returns its
// id ("" when the store failed: the answer goes out without buttons).
func (c *Core) KeepAnswer(chat ChatRef, title, q string, a retrieval.Answer) string {
	id, err := c.store.RecordAnswer(NewAnswerRecord(chat, title, q, a, c.cfg.Now()))
	if err != nil {
		c.log.Error("keep answer for feedback", "chat", chat, "err", err)
		return ""
	}
	return id
}

// Vote records voter's vote on answer id and says what to tell them.
func (c *Core) Vote(id, voter string, up bool) string {
	_, err := c.store.Vote(id, voter, up, c.cfg.Now())
	switch {
	case errors.Is(err, ErrUnknownAnswer):
		return "这条回答太久了，无法评价。"
	case err != nil:
		c.log.Error("store vote", "answer", id, "err", err)
		return MsgError
	}
	return MsgVoted
}

// FeedbackDoc is /feedback: the latest 👎, newest first, for admins.
func (c *Core) FeedbackDoc() *Doc {
	down, err := c.store.LatestDown(FeedbackLimit)
	if err != nil {
		c.log.Error("read feedback", "err", err)
		return &Doc{Lines: []string{MsgError}}
	}
	if len(down) == 0 {
		return &Doc{Title: "最近的 👎", Lines: []string{"还没有人把回答标为 👎。"}}
	}
	d := &Doc{Title: fmt.Sprintf("最近的 👎（%d 条，最新在前）", len(down))}
	for i, v := range down {
		where := v.Chat.Channel + " " + v.Chat.ID
		if v.ChatTitle != "" {
			where = v.Chat.Channel + " " + v.ChatTitle
		}
		d.Lines = append(d.Lines, fmt.Sprintf("%d. %s · %s", i+1, v.At.In(c.cfg.Digest.TZ).Format("01-02 15:04"), where),
			"问："+Clip(v.Question, 80))
		if len(v.Citations) > 0 {
			labels := make([]string, len(v.Citations))
			for i, c := range v.Citations {
				labels[i] = c.Label
			}
			d.Lines = append(d.Lines, "引用："+Clip(strings.Join(labels, "；"), 120))
		}
	}
	return d
}

// keepLast keeps an answer to m and remembers it as the sender's last.
func (c *Core) keepLast(m Message, q string, a retrieval.Answer) string {
	id := c.KeepAnswer(m.Chat, m.ChatTitle, q, a)
	if id != "" {
		c.lastAnswer.Add(convFor(m), id)
	}
	return id
}
