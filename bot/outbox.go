package bot

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The outbox: every reply and every digest is written to the store before
// it is sent and removed once the chat has it. A chat platform that is
// down for minutes, a 429, or a restart in between only delays a message:
// it is retried with backoff (for GiveUp, a day by default) and sent once,
// in order within its chat.
//
// The outbox knows nothing about Telegram. An entry names its channel
// ("telegram") and its chat as a string and carries a payload already
// rendered for that channel; each channel registers one Sender that
// delivers a payload and says what became of it.
//
// Entries live in the "outbox" bucket, keyed channel NUL chat NUL seq
// (big-endian), so a cursor walks a chat's entries in the order they were
// queued. Delivery is at-least-once at the transport and once in effect:
// an entry is deleted right after the platform accepted it, so only a
// crash between those two steps can repeat a message.

var bucketOutbox = []byte("outbox")

// Outcome is what became of one delivery attempt.
type Outcome int

const (
	// Delivered: the chat has the message.
	Delivered Outcome = iota
	// Retry: a passing failure (outage, 5xx, 429, network); try later.
	Retry
	// Drop: this message can never be sent; go on with the next.
	Drop
	// Gone: the chat is gone (blocked, kicked, deleted); drop all its messages.
	Gone
)

// Result is a Sender's answer.
type Result struct {
	Outcome    Outcome
	RetryAfter time.Duration // with Retry: the platform's own wait, if it named one
	// Uncertain, with Retry, says the request was sent but no response
	// came (a timeout, a connection cut): the chat may have the message.
	// It is tried again only after OutboxConfig.UncertainWait, and logged,
	// rather than repeated at once.
	Uncertain bool
	Err       error
}

// Sender delivers one entry on its channel. It makes one attempt (with any
// immediate fix-ups the platform asks for) and never sleeps: waiting is
// the outbox's job.
type Sender func(ctx context.Context, e OutboxEntry) Result

// OutboxEntry is one message waiting for its chat.
type OutboxEntry struct {
	Channel  string          `json:"channel"`
	Chat     string          `json:"chat"`
	Kind     string          `json:"kind"`    // reply, digest
	Payload  json.RawMessage `json:"payload"` // rendered for the channel
	Created  time.Time       `json:"created"`
	Attempts int             `json:"attempts,omitempty"`
	NextTry  time.Time       `json:"next_try,omitzero"`
	LastErr  string          `json:"last_err,omitempty"`
	// Uncertain counts attempts whose outcome is unknown (Result.Uncertain).
	Uncertain int `json:"uncertain,omitempty"`

	key []byte
}

// OutboxConfig tunes retries.
type OutboxConfig struct {
	MinBackoff time.Duration // first wait after a failure; default 1s
	MaxBackoff time.Duration // longest wait between tries; default 1m
	GiveUp     time.Duration // how long an entry is retried; default 24h
	Every      time.Duration // how often due retries are looked for; default 1s
	Parallel   int           // chats delivered at once; default 16
	// UncertainWait is the wait before trying again a message whose last
	// attempt went out and got no answer; default 5m. Telegram has been
	// seen answering a sendMessage after 75 s: the message was delivered,
	// and trying again at once would have sent it twice.
	UncertainWait time.Duration
}

func (c *OutboxConfig) defaults() {
	if c.MinBackoff <= 0 {
		c.MinBackoff = time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = time.Minute
	}
	if c.GiveUp <= 0 {
		c.GiveUp = 24 * time.Hour
	}
	if c.Every <= 0 {
		c.Every = time.Second
	}
	if c.Parallel <= 0 {
		c.Parallel = 16
	}
	if c.UncertainWait <= 0 {
		c.UncertainWait = 5 * time.Minute
	}
}

// Outbox delivers queued messages. Run delivers in the background; Flush
// delivers what is due now, synchronously (tests, and a last pass).
type Outbox struct {
	db      *bolt.DB
	commit  *groupCommit
	cfg     OutboxConfig
	now     func() time.Time
	log     *slog.Logger
	senders map[string]Sender
	onGone  func(channel, chat string, err error)
	metrics *Metrics // send failures and digests sent; may be nil

	mu       sync.Mutex
	sent     map[string]bool // keys delivered whose delete is not committed yet
	deleting int             // those deletes
	deleted  *sync.Cond      // signalled when one is committed
	// reading is held (shared) by every read of entries that consults
	// sent, and taken alone to forget a key: a read transaction began
	// before the delete commit still shows the key, so the key stays in
	// sent until no such read is running.
	reading sync.RWMutex
	busy    map[string]bool // queue → a drain runs
	again   map[string]bool // queue → woken while its drain ran
	ctx     context.Context // Run's context; nil when not running
	sem     chan struct{}
	wg      sync.WaitGroup
}

// NewOutbox returns the outbox kept in store's file.
func NewOutbox(store *Store, cfg OutboxConfig, now func() time.Time, log *slog.Logger) *Outbox {
	cfg.defaults()
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	o := &Outbox{db: store.db, commit: &store.commit, cfg: cfg, now: now, log: log, senders: map[string]Sender{},
		sent: map[string]bool{}, busy: map[string]bool{}, again: map[string]bool{}, sem: make(chan struct{}, cfg.Parallel)}
	o.deleted = sync.NewCond(&o.mu)
	return o
}

// Handle registers the sender of a channel. Call before Run.
func (o *Outbox) Handle(channel string, s Sender) { o.senders[channel] = s }

// OnGone registers a function told when a chat is gone for good.
func (o *Outbox) OnGone(f func(channel, chat string, err error)) { o.onGone = f }

// queueKey is the key prefix of one chat's entries.
func queueKey(channel, chat string) []byte {
	return []byte(channel + "\x00" + chat + "\x00")
}

// putEntries appends entries to their chats' queues inside tx.
func putEntries(tx *bolt.Tx, now time.Time, entries []OutboxEntry) error {
	bk := tx.Bucket(bucketOutbox)
	for _, e := range entries {
		seq, err := bk.NextSequence()
		if err != nil {
			return err
		}
		if e.Created.IsZero() {
			e.Created = now
		}
		v, err := json.Marshal(e)
		if err != nil {
			return err
		}
		key := binary.BigEndian.AppendUint64(queueKey(e.Channel, e.Chat), seq)
		if err := bk.Put(key, v); err != nil {
			return err
		}
	}
	return nil
}

// Enqueue stores entries (one transaction) and starts their delivery.
func (o *Outbox) Enqueue(entries ...OutboxEntry) error {
	if len(entries) == 0 {
		return nil
	}
	now := o.now()
	// The workers' replies share commits (and their fsyncs).
	if err := o.commit.update(func(tx *bolt.Tx) error { return putEntries(tx, now, entries) }); err != nil {
		return err
	}
	o.wakeEntries(entries)
	return nil
}

// wakeEntries starts delivery to the chats of entries stored by others
// (a digest's claim and entry share the store's transaction).
func (o *Outbox) wakeEntries(entries []OutboxEntry) {
	seen := map[string]bool{}
	for _, e := range entries {
		q := string(queueKey(e.Channel, e.Chat))
		if !seen[q] {
			seen[q] = true
			o.wake(q)
		}
	}
}

// wake starts a drain of queue q unless one runs; then it only notes that
// the drain should look again before it stops.
func (o *Outbox) wake(q string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.ctx == nil {
		return // not running: Run's first sweep or Flush will deliver
	}
	if o.busy[q] {
		o.again[q] = true
		return
	}
	o.busy[q] = true
	ctx := o.ctx
	o.wg.Add(1)
	go func() {
		defer o.wg.Done()
		select {
		case o.sem <- struct{}{}:
		case <-ctx.Done():
			o.release(q)
			return
		}
		defer func() { <-o.sem }()
		for {
			o.drain(ctx, q)
			if !o.releaseUnlessWoken(q) {
				return
			}
		}
	}()
}

func (o *Outbox) release(q string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.busy, q)
	delete(o.again, q)
}

// releaseUnlessWoken ends a drain, or reports true when the queue was
// woken meanwhile and must be drained again.
func (o *Outbox) releaseUnlessWoken(q string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.again[q] && o.ctx != nil {
		delete(o.again, q)
		return true
	}
	delete(o.busy, q)
	delete(o.again, q)
	return false
}

// Run delivers until ctx ends: at once for new entries, and every Every
// for entries whose retry is due (also those left by a previous run). It
// returns when every delivery it started has stopped.
func (o *Outbox) Run(ctx context.Context) {
	o.mu.Lock()
	o.ctx = ctx
	o.mu.Unlock()
	t := time.NewTicker(o.cfg.Every)
	defer t.Stop()
	for {
		for _, q := range o.dueQueues() {
			o.wake(q)
		}
		select {
		case <-ctx.Done():
			o.mu.Lock()
			o.ctx = nil
			o.mu.Unlock()
			o.wg.Wait()
			o.waitDeletes()
			return
		case <-t.C:
		}
	}
}

// Flush delivers every entry that is due now, one chat after another, and
// returns when none is left due.
func (o *Outbox) Flush(ctx context.Context) {
	for ctx.Err() == nil {
		progress := false
		for _, q := range o.dueQueues() {
			o.mu.Lock()
			if o.busy[q] {
				o.mu.Unlock()
				continue
			}
			o.busy[q] = true
			o.mu.Unlock()
			o.drain(ctx, q)
			o.release(q)
			progress = true
		}
		if !progress {
			o.waitDeletes()
			return
		}
	}
}

// Pending counts the entries waiting (not those delivered and being
// deleted).
func (o *Outbox) Pending() int {
	n := 0
	o.reading.RLock()
	defer o.reading.RUnlock()
	o.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOutbox).ForEach(func(k, _ []byte) error {
			if !o.delivered(k) {
				n++
			}
			return nil
		})
	})
	return n
}

// Stats counts the entries waiting, as Pending does, and gives the time
// the oldest of them was queued (zero when none waits): the figures a
// monitoring agent alerts on when a platform has been refusing messages.
func (o *Outbox) Stats() (pending int, oldest time.Time) {
	o.reading.RLock()
	defer o.reading.RUnlock()
	o.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
			if o.delivered(k) {
				return nil
			}
			pending++
			var e struct {
				Created time.Time `json:"created"`
			}
			if json.Unmarshal(v, &e) == nil && !e.Created.IsZero() && (oldest.IsZero() || e.Created.Before(oldest)) {
				oldest = e.Created
			}
			return nil
		})
	})
	return pending, oldest
}

// dueQueues lists the queues whose first entry may be tried now.
func (o *Outbox) dueQueues() []string {
	now := o.now()
	var qs []string
	err := o.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketOutbox).Cursor()
		for k, v := c.First(); k != nil; {
			q := k[:len(k)-8]
			var e OutboxEntry
			if err := json.Unmarshal(v, &e); err != nil || !e.NextTry.After(now) {
				qs = append(qs, string(q))
			}
			// Skip the rest of this queue: only its head matters.
			next := append(append([]byte{}, q...), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
			k, v = c.Seek(next)
			if k != nil && bytes.Equal(k, next) {
				k, v = c.Next()
			}
		}
		return nil
	})
	if err != nil {
		o.log.Error("outbox: list queues", "err", err)
	}
	return qs
}

// head reads the first entry of queue q not already delivered.
func (o *Outbox) head(q string) (OutboxEntry, bool, error) {
	var e OutboxEntry
	found := false
	o.reading.RLock()
	defer o.reading.RUnlock()
	err := o.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketOutbox).Cursor()
		for k, v := c.Seek([]byte(q)); k != nil && bytes.HasPrefix(k, []byte(q)); k, v = c.Next() {
			if o.delivered(k) {
				continue
			}
			found = true
			e.key = append([]byte{}, k...)
			return json.Unmarshal(v, &e)
		}
		return nil
	})
	return e, found, err
}

func (o *Outbox) delivered(key []byte) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.sent[string(key)]
}

// done removes a delivered entry. The drain goes on at once: the delete
// joins the next group commit and head skips the entry meanwhile, so a
// busy bot does not wait one commit per message. (A crash in those few
// milliseconds repeats the message, as a crash between the send and any
// delete would.)
func (o *Outbox) done(key []byte) {
	o.mu.Lock()
	o.sent[string(key)] = true
	o.deleting++
	o.mu.Unlock()
	go func() {
		o.deleteKeys(key)
		o.reading.Lock()
		o.mu.Lock()
		delete(o.sent, string(key))
		o.deleting--
		o.deleted.Broadcast()
		o.mu.Unlock()
		o.reading.Unlock()
	}()
}

// waitDeletes waits until every delete of a delivered entry is committed.
func (o *Outbox) waitDeletes() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for o.deleting > 0 {
		o.deleted.Wait()
	}
}

// drain delivers queue q's entries in order until it is empty, its head
// must wait, or ctx ends.
func (o *Outbox) drain(ctx context.Context, q string) {
	for ctx.Err() == nil {
		e, ok, err := o.head(q)
		if err != nil {
			if e.key == nil {
				o.log.Error("outbox: read queue", "queue", printable(q), "err", err)
				return
			}
			// An entry that cannot be read can never be sent: drop it
			// rather than block the chat.
			o.log.Error("outbox: unreadable entry dropped", "queue", printable(q), "err", err)
			o.deleteKeys(e.key)
			continue
		}
		if !ok || e.NextTry.After(o.now()) {
			return
		}
		send := o.senders[e.Channel]
		if send == nil {
			o.log.Error("outbox: no sender for channel; entry dropped", "channel", e.Channel, "chat", e.Chat)
			o.deleteKeys(e.key)
			continue
		}
		res := send(ctx, e)
		if ctx.Err() != nil && res.Outcome == Retry {
			if res.Uncertain {
				o.retryLater(e, res) // the next run must not send it again at once
			}
			return // shutting down: the entry waits for the next run
		}
		if res.Outcome != Delivered {
			o.metrics.SendFailed(e.Channel)
		} else if e.Kind == "digest" {
			o.metrics.DigestSent(e.Channel)
		}
		switch res.Outcome {
		case Delivered:
			o.done(e.key)
		case Drop:
			o.log.Error("outbox: message refused; dropped", "channel", e.Channel, "chat", e.Chat, "kind", e.Kind, "err", res.Err)
			o.done(e.key)
		case Gone:
			o.log.Warn("outbox: chat gone; its messages dropped", "channel", e.Channel, "chat", e.Chat, "err", res.Err)
			o.deleteQueue(q)
			if o.onGone != nil {
				o.onGone(e.Channel, e.Chat, res.Err)
			}
			return
		default:
			o.retryLater(e, res)
			return
		}
	}
}

// retryLater records a failed attempt and when to try next, or gives up
// on an entry that has waited longer than GiveUp.
func (o *Outbox) retryLater(e OutboxEntry, res Result) {
	now := o.now()
	e.Attempts++
	if res.Err != nil {
		e.LastErr = res.Err.Error()
	}
	if now.Sub(e.Created) >= o.cfg.GiveUp {
		o.log.Error("outbox: giving up on a message", "channel", e.Channel, "chat", e.Chat, "kind", e.Kind,
			"attempts", e.Attempts, "queued", e.Created, "err", res.Err)
		o.deleteKeys(e.key)
		return
	}
	wait := o.backoff(e.Attempts)
	if res.RetryAfter > wait {
		wait = res.RetryAfter
	}
	if res.Uncertain {
		e.Uncertain++
		wait = max(wait, o.cfg.UncertainWait)
		o.log.Warn("outbox: delivery outcome unknown (sent, no response); trying again later, which repeats the message if the chat has it",
			"channel", e.Channel, "chat", e.Chat, "kind", e.Kind, "attempt", e.Attempts, "retry_in", wait, "err", res.Err)
	} else {
		o.log.Warn("outbox: delivery failed; will retry", "channel", e.Channel, "chat", e.Chat, "kind", e.Kind,
			"attempt", e.Attempts, "retry_in", wait, "err", res.Err)
	}
	e.NextTry = now.Add(wait)
	v, err := json.Marshal(e)
	if err == nil {
		err = o.commit.update(func(tx *bolt.Tx) error {
			bk := tx.Bucket(bucketOutbox)
			if bk.Get(e.key) == nil {
				return nil // delivered or dropped meanwhile
			}
			return bk.Put(e.key, v)
		})
	}
	if err != nil {
		o.log.Error("outbox: record retry", "chat", e.Chat, "err", err)
	}
}

// backoff is the wait after the n-th failed attempt: doubling from
// MinBackoff up to MaxBackoff.
func (o *Outbox) backoff(n int) time.Duration {
	d := o.cfg.MinBackoff
	for i := 1; i < n && d < o.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, o.cfg.MaxBackoff)
}

func (o *Outbox) deleteKeys(keys ...[]byte) {
	err := o.commit.update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketOutbox)
		for _, k := range keys {
			if k == nil {
				continue
			}
			if err := bk.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		o.log.Error("outbox: delete delivered entry", "err", err)
	}
}

func (o *Outbox) deleteQueue(q string) {
	var keys [][]byte
	o.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketOutbox).Cursor()
		for k, _ := c.Seek([]byte(q)); k != nil && bytes.HasPrefix(k, []byte(q)); k, _ = c.Next() {
			keys = append(keys, append([]byte{}, k...))
		}
		return nil
	})
	o.deleteKeys(keys...)
}

// printable shows a queue key in a log line.
func printable(q string) string { return string(bytes.ReplaceAll([]byte(q), []byte{0}, []byte{'/'})) }
