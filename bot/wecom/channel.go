package wecom

import (
	"context"
	"encoding/json"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/assignbot/assignbot/bot"
)

// Channel is the WeCom transport: the long connection, a pool of workers
// for incoming messages, and requests on the connection.
type Channel struct {
	cfg     Config
	log     *slog.Logger
	handler Handler
	link    *link
	queue   chan Incoming
	seen    *recentIDs
	inbox   *bot.Store // where received messages wait until handled; nil: memory only
}

// New returns a channel that will hand every message to h once Run is
// called. It does not connect.
func New(cfg Config, h Handler) (*Channel, error) {
	cfg = cfg.WithDefaults()
	if !cfg.Enabled() {
		return nil, ErrNoCredentials
	}
	c := &Channel{cfg: cfg, log: cfg.Logger, handler: h, queue: make(chan Incoming, cfg.QueueSize), seen: newRecentIDs(4096)}
	c.link = newLink(cfg, c.deliver)
	return c, nil
}

// IsAdmin reports whether the userid is in WECOM_ADMIN_IDS.
func (c *Channel) IsAdmin(userID string) bool { return userID != "" && c.cfg.Admins[userID] }

// Check subscribes once with the bot id and secret and closes the
// connection at once: it proves that the gateway is reachable from here
// and accepts the credentials (ErrRefused when it does not). WeCom keeps
// one connection per bot and a new subscription takes over, so a running
// instance of the same bot loses its connection: check only while none
// runs.
func (c *Channel) Check(ctx context.Context) error {
	conn, err := c.link.subscribe(ctx)
	if err != nil {
		return err
	}
	return conn.ws.Close()
}

// ValidUserID reports whether id has the form of a WeCom userid (for
// WECOM_ADMIN_IDS): 1 to 64 bytes of letters, digits and _-@.
func ValidUserID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-@.", r)) {
			return false
		}
	}
	return true
}

// OnConnection registers a function told when WeCom accepts the
// subscription (true) and when that connection ends (false): the health
// and metrics of the channel. Call before Run.
func (c *Channel) OnConnection(f func(up bool)) { c.link.connected = f }

// UseInbox keeps received messages in store's inbox until handled: WeCom
// sends a callback once and never again, so without the inbox a message
// still queued (or being answered) when the bot stops would be lost. Call
// before Run.
func (c *Channel) UseInbox(store *bot.Store) { c.inbox = store }

// Run receives messages until ctx ends, reconnecting whenever the
// connection drops, and returns when the workers have finished. It first
// hands the workers the messages a previous run received and did not
// handle (the inbox); messages still queued, or cut short, when ctx ends
// stay there for the next start.
func (c *Channel) Run(ctx context.Context) error {
	wait := bot.RunWorkers(ctx, c.cfg.Workers, c.queue, c.handle, c.handled)
	c.replay(ctx)
	c.link.run(ctx)
	wait()
	return nil
}

// replay queues the messages left in the inbox by the last run.
func (c *Channel) replay(ctx context.Context) {
	if c.inbox == nil {
		return
	}
	left, err := c.inbox.Unhandled(ChannelName)
	if err != nil {
		c.log.Error("reading wecom messages left by the last run", "err", err)
	}
	if len(left) > 0 {
		c.log.Info("handling wecom messages received before the restart", "messages", len(left))
	}
	for _, e := range left {
		var m Incoming
		if err := json.Unmarshal(e.Payload, &m); err != nil {
			c.log.Warn("skipping a stored wecom message that cannot be decoded", "message", e.ID, "err", err)
			c.handled(Incoming{MessageID: e.ID})
			continue
		}
		c.seen.add(m.MessageID) // WeCom may push it again
		select {
		case c.queue <- m:
		case <-ctx.Done():
			return
		}
	}
}

// received stores m in the inbox before it is queued.
func (c *Channel) received(m Incoming) error {
	if c.inbox == nil || m.MessageID == "" {
		return nil
	}
	payload, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return c.inbox.Receive(ChannelName, 0, bot.InboxEntry{ID: m.MessageID, Payload: payload, Received: m.Received})
}

// handled takes m out of the inbox.
func (c *Channel) handled(m Incoming) {
	if c.inbox == nil || m.MessageID == "" {
		return
	}
	if err := c.inbox.Handled(ChannelName, m.MessageID); err != nil {
		c.log.Error("removing a handled wecom message from the inbox", "message", m.MessageID, "err", err)
	}
}

// handle runs the handler on one message; a panic costs that message only.
func (c *Channel) handle(ctx context.Context, m Incoming) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("panic handling wecom message", "chat", m.ChatID, "message", m.MessageID, "panic", r, "stack", string(debug.Stack()))
		}
	}()
	c.handler(ctx, m)
}

// deliver queues a callback without waiting: the reader must go on
// reading (heartbeat answers, request answers).
func (c *Channel) deliver(cmd string, body json.RawMessage) {
	parse := parseIncoming
	if cmd == cmdEvent {
		parse = parseEvent
	}
	m, err := parse(body, c.cfg.Now())
	if err != nil {
		c.log.Warn("wecom: undecodable message", "err", err)
		return
	}
	if !c.seen.add(m.MessageID) {
		c.log.Info("wecom message delivered again; skipped", "chat", m.ChatID, "message", m.MessageID)
		return
	}
	if err := c.received(m); err != nil {
		// WeCom does not send a callback again: handle it all the same,
		// and lose it only if the bot stops before.
		c.log.Error("storing a wecom message failed; it is lost if the bot stops before answering", "chat", m.ChatID, "message", m.MessageID, "err", err)
	}
	select {
	case c.queue <- m:
	default:
		c.handled(m)
		c.log.Warn("wecom queue full; message dropped", "chat", m.ChatID, "message", m.MessageID, "user", m.SenderID)
	}
}

// Respond answers a callback with a finished stream message of markdown
// content: the reply shows at once, whole. streamID names the bubble, so
// that a repeated attempt replaces rather than adds.
func (c *Channel) Respond(ctx context.Context, reqID, streamID, content string) error {
	body := map[string]any{"msgtype": "stream", "stream": map[string]any{"id": streamID, "finish": true, "content": content}}
	return c.link.request(ctx, cmdRespond, reqID, body)
}

// Welcome answers an enter_chat event (someone opened the robot's chat)
// with a text greeting; WeCom takes it within 5 s of the event.
func (c *Channel) Welcome(ctx context.Context, reqID, text string) error {
	body := map[string]any{"msgtype": "text", "text": map[string]string{"content": text}}
	return c.link.request(ctx, cmdWelcome, reqID, body)
}

// Push sends markdown to a chat: a group's chatid or a person's userid.
func (c *Channel) Push(ctx context.Context, chatID, content string) error {
	body := map[string]any{"chatid": chatID, "msgtype": "markdown", "markdown": map[string]string{"content": content}}
	return c.link.request(ctx, cmdSend, newReqID(cmdSend), body)
}

// recentIDs remembers the last n message ids.
type recentIDs struct {
	mu   sync.Mutex
	set  map[string]bool
	ring []string
	next int
}

func newRecentIDs(n int) *recentIDs {
	return &recentIDs{set: make(map[string]bool, n), ring: make([]string, n)}
}

// add records id and reports whether it was new. An empty id is always new.
func (r *recentIDs) add(id string) bool {
	if id == "" {
		return true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.set[id] {
		return false
	}
	if old := r.ring[r.next]; old != "" {
		delete(r.set, old)
	}
	r.ring[r.next] = id
	r.next = (r.next + 1) % len(r.ring)
	r.set[id] = true
	return true
}
