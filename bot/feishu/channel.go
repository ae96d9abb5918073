package feishu

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"sync"
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
}

// New returns a channel that will hand every message to h once Run is
// called. It does not connect.
func New(cfg Config, h Handler) (*Channel, error) {
	cfg = cfg.withDefaults()
	if !cfg.Enabled() {
		return nil, ErrNoCredentials
	}
	c := &Channel{cfg: cfg, log: cfg.Logger, handler: h, api: newAPI(cfg), queue: make(chan Incoming, cfg.QueueSize), seen: newRecentIDs(4096)}
	c.stream = newStream(cfg, c.deliver)
	return c, nil
}

// IsAdmin reports whether the open_id is in FEISHU_ADMIN_IDS.
func (c *Channel) IsAdmin(openID string) bool { return openID != "" && c.cfg.Admins[openID] }

// Run receives messages until ctx ends, reconnecting whenever the
// connection drops, and returns when the workers have finished.
func (c *Channel) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for range c.cfg.Workers {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case m := <-c.queue:
					c.handle(ctx, m)
				}
			}
		})
	}
	c.stream.run(ctx)
	wg.Wait()
	return nil
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
	select {
	case c.queue <- m:
		return nil
	default:
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
