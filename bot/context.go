package bot

import (
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/assignbot/assignbot/retrieval"
)

// Follow-up context. Each private chat, and each person in a group, has
// its own retrieval.Conversation, in memory only and never shared between
// chats; it is forgotten after contextTTL of silence. A reply to one of
// the bot's answers continues from that answer's context, so the bot keeps
// a snapshot per sent answer in a bounded LRU.

// contextTTL is how long a conversation survives silence.
const contextTTL = 30 * time.Minute

// maxContexts bounds the conversations and the answer snapshots kept.
const maxContexts = 10000

// Chats, people and messages are named by strings, so that every channel
// keeps its conversations here: a chat by ChatRef's key, a person and a
// message by the channel's own ids.
type convKey struct{ chat, user string }

type msgKey struct{ chat, msg string }

type convEntry struct {
	mu   sync.Mutex // one question of a person at a time
	conv *retrieval.Conversation
	used time.Time
}

type contexts struct {
	now   func() time.Time
	convs *lru.Cache[convKey, *convEntry]
	// asked keeps the context of each answer by the message it answered;
	// replies links the bot's messages to that question once the outbox has
	// delivered them (a reply's id is known only then).
	asked   *lru.Cache[msgKey, *retrieval.Conversation]
	replies *lru.Cache[msgKey, string]
}

func newContexts(now func() time.Time) *contexts {
	convs, _ := lru.New[convKey, *convEntry](maxContexts)
	asked, _ := lru.New[msgKey, *retrieval.Conversation](maxContexts)
	replies, _ := lru.New[msgKey, string](maxContexts)
	return &contexts{now: now, convs: convs, asked: asked, replies: replies}
}

// key is whose context a message belongs to: the chat in private, the
// person within the chat in groups.
func contextKey(chat, user string, private bool) convKey {
	if private {
		return convKey{chat: chat}
	}
	return convKey{chat: chat, user: user}
}

// get returns the entry of a chat or person, locked; a context silent for
// longer than contextTTL starts afresh.
func (c *contexts) get(k convKey) *convEntry {
	e, ok := c.convs.Get(k)
	if !ok {
		e = &convEntry{conv: &retrieval.Conversation{}}
		if prev, found, _ := c.convs.PeekOrAdd(k, e); found {
			e = prev
		}
	}
	e.mu.Lock()
	if now := c.now(); !e.used.IsZero() && now.Sub(e.used) > contextTTL {
		e.conv.Forget()
	}
	return e
}

// done records the use of an entry and unlocks it.
func (c *contexts) done(e *convEntry) {
	e.used = c.now()
	e.mu.Unlock()
}

// remember keeps the context an answer was given in, by the question it
// answered, for replies to the answer.
func (c *contexts) remember(chat, question string, conv *retrieval.Conversation) {
	if question != "" {
		c.asked.Add(msgKey{chat, question}, conv.Clone())
	}
}

// delivered links a message the bot sent to the question it replied to.
func (c *contexts) delivered(chat, sent, question string) {
	if sent != "" && question != "" {
		c.replies.Add(msgKey{chat, sent}, question)
	}
}

// of returns the context of the answer the bot gave in message msg.
func (c *contexts) of(chat, msg string) (*retrieval.Conversation, bool) {
	q, ok := c.replies.Get(msgKey{chat, msg})
	if !ok {
		return nil, false
	}
	return c.asked.Get(msgKey{chat, q})
}

// forgetChat drops every context of a chat (its scope changed).
func (c *contexts) forgetChat(chat string) {
	for _, k := range c.convs.Keys() {
		if k.chat == chat {
			c.convs.Remove(k)
		}
	}
}
