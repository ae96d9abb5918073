package dingtalk

import (
	"context"
	"encoding/json"
	"log/slog"
	"runtime/debug"
	"sync"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/chatbot"

	"github.com/assignbot/assignbot/bot"
)

// Channel is the DingTalk channel: it receives robot messages over the
// stream, hands them to a Handler on a pool of workers, and sends replies
// and proactive messages.
type Channel struct {
	cfg     Config
	log     *slog.Logger
	handler Handler
	api     *openAPI
	stream  *stream
	queue   chan Incoming
	seen    *recentIDs
	inbox   *bot.Store // where received messages wait until handled; nil: memory only
}

// New returns a channel that will hand every message to h once Run is
// called. It does not connect; Check does, to test the credentials.
func New(cfg Config, h Handler) (*Channel, error) {
	cfg = cfg.WithDefaults()
	if !cfg.Enabled() {
		return nil, ErrNoCredentials
	}
	c := &Channel{cfg: cfg, log: cfg.Logger, handler: h, api: &openAPI{cfg: cfg},
		queue: make(chan Incoming, cfg.QueueSize), seen: newRecentIDs(4096)}
	c.stream = newStream(cfg, c.deliver)
	return c, nil
}

// Name is the channel's name in messages and store keys.
func (c *Channel) Name() string { return ChannelName }

// IsAdmin reports whether the staff id may run admin commands. DingTalk's
// own "isAdmin" flag (an organization administrator) is not used: the
// bot's admins are the people the deployment names.
func (c *Channel) IsAdmin(staffID string) bool { return staffID != "" && c.cfg.Admins[staffID] }

// Check fetches an access token, so that wrong credentials show at start
// instead of as endless reconnections.
func (c *Channel) Check(ctx context.Context) error {
	_, err := c.api.accessToken(ctx)
	return err
}

// OnConnection registers a function told when the stream connects (true)
// and when the connection ends (false): the health and metrics of the
// channel. Call before Run.
func (c *Channel) OnConnection(f func(up bool)) { c.stream.connected = f }

// UseInbox keeps received messages in store's inbox until handled: the
// gateway forgets a message once its frame is acknowledged, which happens
// as soon as it is queued, so without the inbox a message still queued (or
// being answered) when the bot stops would be lost. Call before Run.
func (c *Channel) UseInbox(store *bot.Store) { c.inbox = store }

// Run receives messages until ctx ends, reconnecting whenever the
// connection drops, and returns when the workers have finished. It first
// hands the workers the messages a previous run received and did not
// handle (the inbox); messages still queued, or cut short, when ctx ends
// stay there for the next start.
func (c *Channel) Run(ctx context.Context) error {
	wait := bot.RunWorkers(ctx, c.cfg.Workers, c.queue, c.handle, c.handled)
	c.replay(ctx)
	c.stream.run(ctx)
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
		c.log.Error("reading dingtalk messages left by the last run", "err", err)
	}
	if len(left) > 0 {
		c.log.Info("handling dingtalk messages received before the restart", "messages", len(left))
	}
	for _, e := range left {
		var m Incoming
		if err := json.Unmarshal(e.Payload, &m); err != nil {
			c.log.Warn("skipping a stored dingtalk message that cannot be decoded", "message", e.ID, "err", err)
			c.handled(Incoming{MessageID: e.ID})
			continue
		}
		c.seen.add(m.MessageID) // the gateway may deliver it again
		select {
		case c.queue <- m:
		case <-ctx.Done():
			return
		}
	}
}

// received stores m in the inbox before its frame is acknowledged.
func (c *Channel) received(m Incoming) error {
	if c.inbox == nil || m.MessageID == "" {
		return nil
	}
	payload, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return c.inbox.Receive(ChannelName, 0, bot.InboxEntry{ID: m.MessageID, Payload: payload, Received: c.cfg.Now()})
}

// handled takes m out of the inbox.
func (c *Channel) handled(m Incoming) {
	if c.inbox == nil || m.MessageID == "" {
		return
	}
	if err := c.inbox.Handled(ChannelName, m.MessageID); err != nil {
		c.log.Error("removing a handled dingtalk message from the inbox", "message", m.MessageID, "err", err)
	}
}

// handle runs the handler on one message; a panic costs that message only.
func (c *Channel) handle(ctx context.Context, m Incoming) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("panic handling dingtalk message", "chat", m.ChatID, "message", m.MessageID, "panic", r, "stack", string(debug.Stack()))
		}
	}()
	c.handler(ctx, m)
}

// deliver queues a robot message without waiting. A message seen before
// (the gateway redelivers what it thinks unacknowledged) is acknowledged
// and dropped; with the queue full the message is refused (code 500), so
// that the gateway sends it again.
func (c *Channel) deliver(cb *chatbot.BotCallbackDataModel) error {
	m := parseIncoming(cb)
	if !c.seen.add(m.MessageID) {
		c.log.Info("dingtalk message delivered again; skipped", "chat", m.ChatID, "message", m.MessageID)
		return nil
	}
	if err := c.received(m); err != nil {
		c.seen.remove(m.MessageID)
		c.log.Error("storing a dingtalk message failed; refused for redelivery", "chat", m.ChatID, "message", m.MessageID, "err", err)
		return errBusy
	}
	select {
	case c.queue <- m:
		return nil
	default:
		c.handled(m) // refused: the gateway delivers it again
		c.seen.remove(m.MessageID)
		c.log.Warn("dingtalk queue full; message refused for redelivery", "chat", m.ChatID, "message", m.MessageID)
		return errBusy
	}
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

// remove forgets id, so that its redelivery is handled.
func (r *recentIDs) remove(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.set, id) // its ring slot is reused in turn; deleting twice is harmless
}
