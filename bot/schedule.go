package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
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
// sent now, once.
type Scheduler struct {
	store  *Store
	engine Engine
	send   func(ctx context.Context, chatID int64, html string) error
	now    func() time.Time
	cfg    DigestConfig
	log    *slog.Logger
}

// NewScheduler returns a scheduler; send delivers one digest.
func NewScheduler(store *Store, engine Engine, send func(ctx context.Context, chatID int64, html string) error,
	now func() time.Time, cfg DigestConfig, log *slog.Logger) *Scheduler {
	cfg.defaults()
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &Scheduler{store: store, engine: engine, send: send, now: now, cfg: cfg, log: log}
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

// Tick sends every digest that is due and not yet sent today.
func (s *Scheduler) Tick(ctx context.Context) {
	subs, err := s.store.List()
	if err != nil {
		s.log.Error("list subscriptions", "err", err)
		return
	}
	for _, sub := range subs {
		if !sub.Active || ctx.Err() != nil {
			continue
		}
		loc := s.location(sub.TZ)
		local := s.now().In(loc)
		day := local.Format("2006-01-02")
		at, err := time.ParseInLocation("2006-01-02 15:04", day+" "+sub.Time, loc)
		if err != nil || local.Before(at) || sub.LastSent >= day {
			continue
		}
		if err := s.deliver(ctx, sub, local); err != nil {
			s.log.Error("digest", "chat", sub.ChatID, "day", day, "err", err)
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

// deliver claims the day, builds and sends the digest, and records what the
// chat has seen. A failed send gives the claim back, except when the chat
// is gone: then the subscription is marked inactive.
func (s *Scheduler) deliver(ctx context.Context, sub Subscription, local time.Time) error {
	day := local.Format("2006-01-02")
	ok, err := s.store.Claim(sub.ChatID, day)
	if err != nil || !ok {
		return err
	}
	ix := s.engine.Index()
	seen := sub.Seen
	if seen == nil {
		seen = map[string]string{}
	}
	d := BuildDigest(ix, local, DigestOptions{Horizon: s.cfg.Horizon, Units: sub.Units, Seen: seen, Notices: scopeDocs(s.store, ix, sub.ChatID)})
	if d.Empty() && !s.cfg.SendEmpty {
		return s.store.Delivered(sub.ChatID, NoticeHashes(ix))
	}
	if err := s.send(ctx, sub.ChatID, d.HTML()); err != nil {
		if chatGone(err) {
			s.log.Warn("chat gone; digest subscription deactivated", "chat", sub.ChatID, "err", err)
			return s.store.Deactivate(sub.ChatID, err.Error())
		}
		if uerr := s.store.Unclaim(sub.ChatID, day); uerr != nil {
			return errors.Join(err, uerr)
		}
		return fmt.Errorf("send: %w", err)
	}
	s.log.Info("digest sent", "chat", sub.ChatID, "day", day, "upcoming", len(d.Upcoming), "passed", len(d.Passed))
	return s.store.Delivered(sub.ChatID, NoticeHashes(ix))
}

// chatGone reports errors that retrying cannot fix: the bot was blocked or
// removed, or the chat no longer exists.
func chatGone(err error) bool {
	if errors.Is(err, tg.ErrorForbidden) {
		return true
	}
	msg := strings.ToLower(err.Error())
	return errors.Is(err, tg.ErrorBadRequest) && (strings.Contains(msg, "chat not found") || strings.Contains(msg, "bot was kicked") ||
		strings.Contains(msg, "group chat was deactivated") || strings.Contains(msg, "user is deactivated"))
}
