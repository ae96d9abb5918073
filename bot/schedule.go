package bot

import (
	"context"
	"log/slog"
	"time"
)

// DigestConfig configures the daily digests.
type DigestConfig struct {
	Time      string         // default HH:MM, DIGEST_TIME (08:30)
	TZ        *time.Location // DIGEST_TZ (Asia/Shanghai)
	Horizon   int            // DIGEST_HORIZON_DAYS (7)
	SendEmpty bool           // DIGEST_SEND_EMPTY
	Every     time.Duration  // how often the scheduler looks; default 20s
}

func (c *DigestConfig) defaults() {
	if c.Time == "" {
		c.Time = "08:30"
	}
	if c.TZ == nil {
		c.TZ = shanghai()
	}
	if c.Horizon <= 0 {
		c.Horizon = 7
	}
	if c.Every <= 0 {
		c.Every = 20 * time.Second
	}
}

// shanghai is China Standard Time; a fixed zone stands in when the
// system has no time zone database.
func shanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// Scheduler sends each subscribed chat its digest once a day at its time.
// It looks every few seconds rather than sleeping until a time, so a
// changed clock, a restart or a missed minute all resolve the same way: a
// digest whose time has passed today and that was not claimed today is
// queued now, once. The claim and the queued messages are one store
// transaction, and the outbox delivers them, so a crash can neither lose
// a claimed digest nor send it twice.
type Scheduler struct {
	store  *Store
	engine Engine
	outbox *Outbox
	render DigestRenderer
	runs   func(channel string) bool // nil: every channel
	now    func() time.Time
	cfg    DigestConfig
	log    *slog.Logger
}

// DigestRenderer turns a chat's digest into the outbox entries of its
// channel; nil entries send nothing.
type DigestRenderer func(chat ChatRef, d Digest) []OutboxEntry

// NewScheduler returns a scheduler; render turns a chat's digest into the
// outbox entries of its channel.
func NewScheduler(store *Store, engine Engine, outbox *Outbox, render DigestRenderer,
	now func() time.Time, cfg DigestConfig, log *slog.Logger) *Scheduler {
	cfg.defaults()
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &Scheduler{store: store, engine: engine, outbox: outbox, render: render, now: now, cfg: cfg, log: log}
}

// Run ticks until ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.Every)
	defer t.Stop()
	for {
		s.Tick(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick queues every digest that is due and not yet claimed today.
func (s *Scheduler) Tick(ctx context.Context) {
	subs, err := s.store.List()
	if err != nil {
		s.log.Error("list subscriptions", "err", err)
		return
	}
	for _, sub := range subs {
		if !sub.Active || ctx.Err() != nil || (s.runs != nil && !s.runs(sub.Channel)) {
			continue // a channel not running now: its digest waits, unclaimed
		}
		loc := s.location(sub.TZ)
		local := s.now().In(loc)
		day := local.Format("2006-01-02")
		at, err := time.ParseInLocation("2006-01-02 15:04", day+" "+sub.Time, loc)
		if err != nil || local.Before(at) || sub.LastSent >= day {
			continue
		}
		if err := s.deliver(sub, local); err != nil {
			s.log.Error("digest", "chat", sub.ChatRef, "day", day, "err", err)
		}
	}
}

func (s *Scheduler) location(name string) *time.Location {
	if name == "" {
		return s.cfg.TZ
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return s.cfg.TZ
}

// deliver builds the chat's digest, then claims the day and queues the
// digest in one transaction. An empty digest (unless SendEmpty) claims the
// day without a message.
func (s *Scheduler) deliver(sub Subscription, local time.Time) error {
	day := local.Format("2006-01-02")
	ld, ok := s.engine.Current()
	if !ok {
		return nil // the first index is still loading; the next tick tries again
	}
	seen := sub.Seen
	if seen == nil {
		seen = map[string]string{}
	}
	d := BuildDigest(ld.Corpus, local, DigestOptions{Horizon: s.cfg.Horizon, Units: sub.Units, Seen: seen, Notices: scopeDocs(s.store, s.engine, sub.ChatRef)})
	var entries []OutboxEntry
	if !d.Empty() || s.cfg.SendEmpty {
		entries = s.render(sub.ChatRef, d)
	}
	ok, err := s.store.ClaimDigest(sub.ChatRef, day, NoticeHashes(ld.Corpus), entries, s.now())
	if err != nil || !ok {
		return err
	}
	if len(entries) > 0 {
		s.outbox.wakeEntries(entries)
		s.log.Info("digest queued", "chat", sub.ChatRef, "day", day, "upcoming", len(d.Upcoming), "passed", len(d.Passed))
	}
	return nil
}
