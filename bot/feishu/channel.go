package feishu

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/assignbot/assignbot/bot"
)

// Channel is the Feishu transport: the long connection, a pool of
// workers for incoming messages, and the REST API.
type Channel struct {
	cfg     Config
	log     *slog.Logger
	handler Handler
	api     *api
	stream  *stream
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
	c := &Channel{cfg: cfg, log: cfg.Logger, handler: h, api: newAPI(cfg), queue: make(chan Incoming, cfg.QueueSize), seen: newRecentIDs(4096)}
	c.stream = newStream(cfg, c.deliver)
	return c, nil
}

// IsAdmin reports whether the open_id is in FEISHU_ADMIN_IDS.
func (c *Channel) IsAdmin(openID string) bool { return openID != "" && c.cfg.Admins[openID] }

// Check fetches a tenant access token with the app id and secret: it
// proves that FEISHU_DOMAIN is reachable from here and accepts the
// credentials (an *APIError when it does not). It does not open the long
// connection, so a running instance is not disturbed.
func (c *Channel) Check(ctx context.Context) error {
	_, err := c.api.token(ctx)
	return err
}

// ValidOpenID reports whether id has the form of an open_id (for
// FEISHU_ADMIN_IDS): ou_ followed by letters and digits. A user_id or
// union_id (on_…) is a different id the events do not carry.
func ValidOpenID(id string) bool {
	rest, ok := strings.CutPrefix(id, "ou_")
	if !ok || rest == "" || len(id) > 64 {
		return false
	}
	for _, r := range rest {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// OnConnection registers a function told when the long connection opens
// (true) and when it ends (false): the health and metrics of the channel.
// Call before Run.
func (c *Channel) OnConnection(f func(up bool)) { c.stream.connected = f }

// UseInbox keeps received messages in store's inbox until handled:
// Feishu forgets an event once it is answered, which happens as soon as
// it is queued, so without the inbox a message still queued (or being
// answered) when the bot stops would be lost. Call before Run.
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
		c.log.Error("reading feishu messages left by the last run", "err", err)
	}
	if len(left) > 0 {
		c.log.Info("handling feishu messages received before the restart", "messages", len(left))
	}
	for _, e := range left {
		var m Incoming
		if err := json.Unmarshal(e.Payload, &m); err != nil {
			c.log.Warn("skipping a stored feishu message that cannot be decoded", "message", e.ID, "err", err)
			if err := c.inbox.Handled(ChannelName, e.ID); err != nil {
				c.log.Error("removing a stored feishu message from the inbox", "message", e.ID, "err", err)
			}
			continue
		}
		c.seen.add(m.EventID) // Feishu may push it again
		c.seen.add("msg:" + m.MessageID)
		select {
		case c.queue <- m:
		case <-ctx.Done():
			return
		}
	}
}

// inboxID is m's key in the inbox: its message id, which a re-pushed
// event keeps; the event id when there is none.
func inboxID(m Incoming) string {
	if m.MessageID != "" {
		return m.MessageID
	}
	return m.EventID
}

// received stores m in the inbox before its event is answered.
func (c *Channel) received(m Incoming) error {
	if c.inbox == nil || inboxID(m) == "" {
		return nil
	}
	payload, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return c.inbox.Receive(ChannelName, 0, bot.InboxEntry{ID: inboxID(m), Payload: payload, Received: time.Now()})
}

// handled takes m out of the inbox.
func (c *Channel) handled(m Incoming) {
	if c.inbox == nil || inboxID(m) == "" {
		return
	}
	if err := c.inbox.Handled(ChannelName, inboxID(m)); err != nil {
		c.log.Error("removing a handled feishu message from the inbox", "message", m.MessageID, "err", err)
	}
}

func (c *Channel) handle(ctx context.Context, m Incoming) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("panic handling feishu message", "chat", m.ChatID, "message", m.MessageID, "panic", r, "stack", string(debug.Stack()))
		}
	}()
	c.handler(ctx, m)
}

// deliver queues a message event without waiting, so that the event is
// answered at once. An event seen before (Feishu pushes again what it
// thinks unanswered) is answered and skipped; with the queue full the
// event is refused, so that Feishu pushes it again later.
func (c *Channel) deliver(payload []byte) error {
	m, err := parseIncoming(payload)
	if errors.Is(err, errNotMessage) {
		return nil
	}
	if err != nil {
		c.log.Warn("feishu: undecodable event", "err", err)
		return nil // it would not decode the next time either
	}
	if !c.seen.add(m.EventID) || !c.seen.add("msg:"+m.MessageID) {
		c.log.Info("feishu event delivered again; skipped", "chat", m.ChatID, "event", m.EventID)
		return nil
	}
	if err := c.received(m); err != nil {
		c.seen.remove(m.EventID)
		c.seen.remove("msg:" + m.MessageID)
		c.log.Error("storing a feishu message failed; refused for redelivery", "chat", m.ChatID, "event", m.EventID, "err", err)
		return errBusy
	}
	select {
	case c.queue <- m:
		return nil
	default:
		c.handled(m) // refused: Feishu pushes it again
		c.seen.remove(m.EventID)
		c.seen.remove("msg:" + m.MessageID)
		c.log.Warn("feishu queue full; event refused for redelivery", "chat", m.ChatID, "event", m.EventID)
		return errBusy
	}
}

// recentIDs remembers the last n ids.
type recentIDs struct {
	mu   sync.Mutex
	set  map[string]bool
	ring []string
	next int
}

func newRecentIDs(n int) *recentIDs {
	return &recentIDs{set: make(map[string]bool, n), ring: make([]string, n)}
}

// add records id and reports whether it was new. An empty id is always
// new, and so is "msg:" alone.
func (r *recentIDs) add(id string) bool {
	if id == "" || id == "msg:" {
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

func (r *recentIDs) remove(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.set, id)
}
