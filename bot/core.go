package bot

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
	lru "github.com/hashicorp/golang-lru/v2"
)

// Channel is what a chat platform implements to run on the core: the
// core keeps the store, the outbox, the digests and the conversations,
// and a channel receives messages, renders what the core answers, and
// delivers it. Adding WeCom or Feishu means one new subpackage
// (bot/wecom) with a type implementing Channel, and one line in serve
// that adds it to the core; nothing in the core or the other channels
// changes.
type Channel interface {
	// Name is the channel's key in the store and the outbox ("dingtalk").
	Name() string
	// Run receives messages until ctx ends (stopping is cancelling ctx).
	Run(ctx context.Context) error
	// Send makes one attempt to deliver a message the channel rendered
	// and queued in the outbox, and says what became of it.
	Send(ctx context.Context, e OutboxEntry) Result
	// RenderDigest renders a chat's daily digest as outbox entries.
	RenderDigest(chat ChatRef, d Digest) []OutboxEntry
	// IsAdmin reports whether a sender may run the bot's admin commands
	// (/reload, uploads): the deployment's list for the channel.
	IsAdmin(senderID string) bool
}

// Editing a sent message and downloading a file are the channel's own
// business where the platform has them: Telegram edits an answer in place
// to page through it and downloads uploads with getFile; a DingTalk robot
// can do neither in groups, so its pages are new messages (下一页).

// chatGoner is implemented by a channel that must handle a chat gone for
// good itself (Telegram follows a group's move to a supergroup); others
// have their subscription deactivated by the core.
type chatGoner interface {
	ChatGone(chat string, err error)
}

// CoreConfig configures the core shared by every channel.
type CoreConfig struct {
	Store       *Store // subscriptions, scopes and the outbox; required
	Outbox      OutboxConfig
	Digest      DigestConfig
	CorpusDir   string        // where uploads are saved; "" refuses uploads
	MaxQuestion int           // characters; default 500
	PerMinute   int           // messages per user per minute; default 12
	LLMTimeout  time.Duration // the model's timeout (LLM_TIMEOUT); default retrieval.DefaultLLMTimeout
	// Probe checks an upload before it is saved; default InProcessProbe.
	Probe Prober
	// ProbeTimeout bounds one check; default ProbeTimeout.
	ProbeTimeout time.Duration
	// ShutdownGrace is how long the channels and the outbox get, once
	// Run's ctx ends, to finish; default ShutdownGrace.
	ShutdownGrace time.Duration
	Metrics       *Metrics // counters for /metrics; default fresh ones
	Now           func() time.Time
	Logger        *slog.Logger
}

// Core is the channel-neutral half of the bot: the store, the outbox,
// the digest scheduler, and the dispatcher (dispatch.go) that answers a
// Message from any channel.
type Core struct {
	cfg       CoreConfig
	engine    Engine
	store     *Store
	outbox    *Outbox
	scheduler *Scheduler
	log       *slog.Logger
	limiter   *limiter
	contexts  *contexts
	listings  *lru.Cache[convKey, *listing]
	started   time.Time
	answered  atomic.Int64
	reloadMu  sync.Mutex

	mu       sync.Mutex
	channels map[string]Channel
	order    []Channel

	// lastAnswer is the id of the last answer each person got, for a
	// vote by reply (vote.go).
	lastAnswer *lru.Cache[convKey, string]
}

// NewCore returns the core over store; channels are added with Add.
func NewCore(cfg CoreConfig, engine Engine) (*Core, error) {
	if cfg.Store == nil {
		return nil, errors.New("bot: no store (the outbox and subscriptions live in it)")
	}
	if cfg.MaxQuestion <= 0 {
		cfg.MaxQuestion = 500
	}
	if cfg.PerMinute <= 0 {
		cfg.PerMinute = 12
	}
	if cfg.LLMTimeout <= 0 {
		cfg.LLMTimeout = retrieval.DefaultLLMTimeout
	}
	if cfg.Probe == nil {
		cfg.Probe = InProcessProbe
	}
	if cfg.ProbeTimeout <= 0 {
		cfg.ProbeTimeout = ProbeTimeout
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = ShutdownGrace
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	cfg.Digest.defaults()
	listings, _ := lru.New[convKey, *listing](maxContexts)
	c := &Core{cfg: cfg, engine: engine, store: cfg.Store, log: cfg.Logger, channels: map[string]Channel{},
		limiter: newLimiter(cfg.PerMinute, cfg.Now), contexts: newContexts(cfg.Now), listings: listings, started: cfg.Now()}
	c.lastAnswer, _ = lru.New[convKey, string](maxContexts)
	c.outbox = NewOutbox(c.store, cfg.Outbox, cfg.Now, cfg.Logger)
	c.outbox.OnGone(c.chatGone)
	c.outbox.metrics = cfg.Metrics
	c.scheduler = NewScheduler(c.store, engine, c.outbox, c.renderDigest, cfg.Now, cfg.Digest, cfg.Logger)
	c.scheduler.runs = c.runs
	return c, nil
}

// Add registers a channel: its sender in the outbox and its digests.
// Call before Run.
func (c *Core) Add(ch Channel) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.channels[ch.Name()]; !ok {
		c.order = append(c.order, ch)
	}
	c.channels[ch.Name()] = ch
	c.outbox.Handle(ch.Name(), ch.Send)
}

// Channels names the channels added, in order.
func (c *Core) Channels() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var names []string
	for _, ch := range c.order {
		names = append(names, ch.Name())
	}
	return names
}

// Store is the store the core keeps its state in.
func (c *Core) Store() *Store { return c.store }

// Enqueue queues rendered messages in the outbox.
func (c *Core) Enqueue(entries ...OutboxEntry) error { return c.outbox.Enqueue(entries...) }

func (c *Core) channel(name string) Channel {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.channels[name]
}

// runs reports whether a channel is added: a subscription of a channel
// not running this time waits, unclaimed, for a run that has it.
func (c *Core) runs(name string) bool { return c.channel(name) != nil }

func (c *Core) renderDigest(chat ChatRef, d Digest) []OutboxEntry {
	if ch := c.channel(chat.Channel); ch != nil {
		return ch.RenderDigest(chat, d)
	}
	return nil
}

// chatGone deactivates the subscription of a chat that is gone.
func (c *Core) chatGone(channel, chat string, err error) {
	if g, ok := c.channel(channel).(chatGoner); ok {
		g.ChatGone(chat, err)
		return
	}
	why := "gone"
	if err != nil {
		why = err.Error()
	}
	if derr := c.store.Deactivate(ChatRef{Channel: channel, ID: chat}, why); derr == nil {
		c.log.Warn("chat gone; digest subscription deactivated", "channel", channel, "chat", chat)
	} else if !errors.Is(derr, ErrNoSubscription) {
		c.log.Error("deactivate subscription", "channel", channel, "chat", chat, "err", derr)
	}
}

// Run runs every channel added, the outbox and the digest scheduler until
// ctx ends. Once every channel has returned, the outbox gets up to
// the shutdown grace to send what they queued; the rest waits in the store
// for the next start. A channel that fails ends the others too.
func (c *Core) Run(ctx context.Context) error {
	c.mu.Lock()
	chans := append([]Channel{}, c.order...)
	c.mu.Unlock()
	if len(chans) == 0 {
		return errors.New("bot: no channel to run")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	bg, stopOutbox := context.WithCancel(context.WithoutCancel(ctx))
	var bgWG sync.WaitGroup
	if n := c.outbox.Pending(); n > 0 {
		c.log.Info("outbox: delivering messages left by the last run", "pending", n)
	}
	bgWG.Go(func() { c.outbox.Run(bg) })
	bgWG.Go(func() { c.scheduler.Run(ctx) })
	errs := make(chan error, len(chans))
	for _, ch := range chans {
		go func() {
			err := ch.Run(ctx)
			if err != nil && ctx.Err() == nil {
				c.log.Error("channel stopped", "channel", ch.Name(), "err", err)
				err = errors.Join(errors.New(ch.Name()), err)
			} else {
				err = nil
			}
			cancel()
			errs <- err
		}()
	}
	var first error
	for range chans {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	c.drainOutbox()
	stopOutbox()
	bgWG.Wait()
	return first
}

// drainOutbox waits up to the shutdown grace for the outbox to empty.
func (c *Core) drainOutbox() {
	deadline := time.NewTimer(c.cfg.ShutdownGrace)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for c.outbox.Pending() > 0 {
		select {
		case <-tick.C:
		case <-deadline.C:
			c.log.Warn("shutdown: messages left in the outbox for the next start", "pending", c.outbox.Pending())
			return
		}
	}
}

// Engine is what the bot needs of the answering layer, and all it sees of
// it: answers, unit listings, task lookup, scopes, unit names, the loaded
// corpus with its counts, and reloads. The bot never holds a search index;
// retrieval.Service implements Engine over a retrieval.Engine.
type Engine interface {
	Answer(ctx context.Context, question string) (retrieval.Answer, error)
	// ConverseWith answers a question in a conversation; opt.Page asks for
	// one page of a unit listing.
	ConverseWith(ctx context.Context, c *retrieval.Conversation, question string, opt retrieval.AnswerOptions) (retrieval.Answer, error)
	// UnitListing lists a unit's tasks (within opt.Notices when set).
	UnitListing(name string, opt retrieval.AnswerOptions) (retrieval.Answer, bool)
	// FindTask finds a task by notice and task ref (/task).
	FindTask(notice, ref string) (*corpus.Notice, *corpus.Task, bool)
	// MatchScope matches a scope's words against the loaded notices.
	MatchScope(text string) retrieval.Scope
	// ResolveUnit gives the canonical name of a unit some task names.
	ResolveUnit(name string) (string, bool)
	// Current is the loaded corpus (notices, unit directory, file report)
	// and its counts; false while the first load runs.
	Current() (retrieval.Loaded, bool)
	// Reload reloads the notices and returns what the new load holds.
	Reload(ctx context.Context) (retrieval.Loaded, error)
}

// ShutdownGrace is how long Run, once ctx ends, keeps handling the
// updates already fetched and sending the replies queued meanwhile, unless
// CoreConfig.ShutdownGrace says otherwise. Whatever is left stays in the
// outbox for the next start.
const ShutdownGrace = 5 * time.Second

// The core's parts a channel with its own dispatcher (Telegram) uses.

// ShutdownGrace is how long a channel, once Run's ctx ends, keeps
// handling what it already received.
func (c *Core) ShutdownGrace() time.Duration { return c.cfg.ShutdownGrace }

// Engine is the answering side the core and its channels use.
func (c *Core) Engine() Engine { return c.engine }

// Now is the core's clock.
func (c *Core) Now() time.Time { return c.cfg.Now() }

// Logger is the core's logger, which its channels log to too.
func (c *Core) Logger() *slog.Logger { return c.log }

// CorpusDir is where uploads are saved; "" when uploads are refused.
func (c *Core) CorpusDir() string { return c.cfg.CorpusDir }

// Metrics are the counters channels report to (commands, connection).
func (c *Core) Metrics() *Metrics { return c.cfg.Metrics }

// Outbox is the outbox every channel's messages go through.
func (c *Core) Outbox() *Outbox { return c.outbox }

// Scheduler is the digest scheduler.
func (c *Core) Scheduler() *Scheduler { return c.scheduler }

// DigestConfig is the digest configuration, defaults filled in.
func (c *Core) DigestConfig() DigestConfig { return c.cfg.Digest }

// AnswerTimeout bounds the work of one answer: the model's timeout and a
// margin for the offline part.
func (c *Core) AnswerTimeout() time.Duration { return c.cfg.LLMTimeout + AnswerMargin }

// Allow takes one message, command or button press of a user from the
// per-user limit; user is the channel and the sender ("telegram:42").
// When it refuses, warn says whether to tell the user (once).
func (c *Core) Allow(user string) (ok, warn bool) { return c.limiter.allow(user) }

// Answered counts one more question answered (/stats).
func (c *Core) Answered() { c.answered.Add(1) }

// Scope is a chat's scope matched against the current index.
func (c *Core) Scope(chat ChatRef) retrieval.Scope { return chatScope(c.store, c.engine, chat, c.log) }

// UnitAnswer lists a unit's tasks within the chat's scope (page from 1);
// where names the scope for a not-found reply.
func (c *Core) UnitAnswer(chat ChatRef, name string, page int) (a retrieval.Answer, ok bool, where string) {
	return unitAnswer(c.store, c.engine, chat, name, page, c.log)
}

// ForgetChat drops every conversation of a chat (its scope changed).
func (c *Core) ForgetChat(chat ChatRef) { c.contexts.forgetChat(string(chat.key())) }

// Delivered links a message the bot sent in chat to the question it
// answered, so that a reply to it continues that answer's conversation.
func (c *Core) Delivered(chat ChatRef, sent, question string) {
	c.contexts.delivered(string(chat.key()), sent, question)
}

// Converse answers question q of user in chat, in the user's
// conversation (the chat's, in a private chat) within the chat's scope;
// replyTo, when the message replies to one of the bot's answers, continues
// from that answer. more fetches page n of a unit listing from the same
// context; remember(question) keeps the answer's context for replies.
func (c *Core) Converse(ctx context.Context, chat ChatRef, user string, private bool, replyTo, q string) (a retrieval.Answer,
	more func(context.Context, int) (retrieval.Answer, error), remember func(question string), err error) {
	key := string(chat.key())
	e := c.contexts.get(contextKey(key, user, private))
	defer c.contexts.done(e)
	if replyTo != "" {
		if conv, ok := c.contexts.of(key, replyTo); ok {
			e.conv = conv.Clone()
		}
	}
	e.conv.Scope = c.Scope(chat)
	before := e.conv.Clone()
	a, err = c.engine.ConverseWith(ctx, e.conv, q, retrieval.AnswerOptions{Page: 1})
	conv := e.conv.Clone()
	more = func(ctx context.Context, page int) (retrieval.Answer, error) {
		return c.engine.ConverseWith(ctx, before.Clone(), q, retrieval.AnswerOptions{Page: page})
	}
	return a, more, func(question string) { c.contexts.remember(key, question, conv) }, err
}
