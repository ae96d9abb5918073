// Package telegram is assignbot's Telegram channel on the core of package
// bot: long polling (its own loop, poll.go) or a webhook, replies in
// Telegram HTML (format.go) with inline buttons for pages and citations,
// uploads with a confirmation, supergroups followed. Bot implements
// bot.Channel; its dispatcher (handlers.go) keeps what only Telegram has
// and asks the core for the rest (store, outbox, digests, conversations,
// the per-user limit, subscriptions).
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/assignbot/assignbot/bot"
	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Config configures what is Telegram's own; the store, the outbox, the
// digests, the clock, the logger, the upload folder and the answers'
// limits are the core's (bot.CoreConfig).
type Config struct {
	Token         string
	APIURL        string         // another Bot API server; "" for Telegram's
	Admins        map[int64]bool // Telegram user ids allowed admin commands
	Workers       int            // updates handled at once; default 8
	QueueSize     int            // updates waiting; default 256
	MaxUpload     int64          // bytes; default 20 MiB (the Bot API's getFile limit)
	PollTimeout   time.Duration  // long-poll timeout; default 50s
	WebhookURL    string         // when set, webhook mode
	WebhookSecret string         // X-Telegram-Bot-Api-Secret-Token; "" generates one per run
	WebhookListen string         // address to listen on in webhook mode; default :8443
	HTTPClient    *http.Client   // for tests; default one with a timeout of sendTimeout (above the poll timeout too)
}

// Bot is the running Telegram bot.
type Bot struct {
	cfg      Config
	tg       *tg.Bot
	apiURL   string
	engine   bot.Engine
	log      *slog.Logger
	now      func() time.Time
	username string
	botID    int64
	pages    *pageCache
	uploads  *uploadCache
	reloads  reloadQueue
	// maxSend is the largest file the bot uploads (an export):
	// maxUpload, less in a test.
	maxSend int

	core   *bot.Core
	store  *bot.Store
	outbox *bot.Outbox

	webhookAddr atomic.Value // string: the webhook's listening address, once it listens
	migrateHook func(oldID, newID int64)
	migrated    sync.Map // old chat id → new chat id
}

// sendTimeout bounds one Bot API call. Telegram has held a sendMessage
// answer for 75 s and delivered the message; a client that gave up at 70 s
// sent it again. An attempt that still times out is reported uncertain
// (bot.Attempt) and tried again only after the outbox's UncertainWait.
const sendTimeout = 2 * time.Minute

// ErrNoToken is returned by New without a bot token.
var ErrNoToken = errors.New("no Telegram bot token: create a bot with @BotFather in Telegram (/newbot), then set TELEGRAM_BOT_TOKEN")

// New connects to the Bot API (getMe) and returns the bot, added to core:
// core.Run runs it beside the outbox, the digests and any other channel.
func New(ctx context.Context, cfg Config, core *bot.Core) (*Bot, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, ErrNoToken
	}
	if core == nil {
		return nil, errors.New("telegram: no core (the store, outbox and answers live in it)")
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = 256
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 20 << 20
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 50 * time.Second
	}
	if cfg.HTTPClient == nil {
		// The client must outlive a long poll, or every poll ends in a
		// timeout error (the library's default makes them equal), and
		// outwait Telegram's own slowest answers to a send (sendTimeout).
		cfg.HTTPClient = &http.Client{Timeout: max(cfg.PollTimeout+20*time.Second, sendTimeout)}
	}
	b := &Bot{cfg: cfg, engine: core.Engine(), log: core.Logger(), now: core.Now, store: core.Store(), core: core,
		pages: newPageCache(2000), uploads: newUploadCache(100), maxSend: maxUpload,
		apiURL: "https://api.telegram.org"}
	if cfg.APIURL != "" {
		b.apiURL = strings.TrimRight(cfg.APIURL, "/")
	}
	b.outbox = core.Outbox()
	core.Add(b)
	opts := []tg.Option{
		tg.WithServerURL(b.apiURL),
		tg.WithHTTPClient(cfg.PollTimeout, cfg.HTTPClient),
		tg.WithDefaultHandler(b.handle),
		// The bot runs its own workers (Run); ProcessUpdate then handles
		// an update in the worker that called it.
		tg.WithNotAsyncHandlers(),
		tg.WithErrorsHandler(func(err error) { b.log.Warn("telegram", "err", b.apiErr(err)) }),
		tg.WithSkipGetMe(),
	}
	var err error
	b.tg, err = tg.New(cfg.Token, opts...)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", b.apiErr(err))
	}
	me, err := b.tg.GetMe(ctx)
	if err != nil {
		return nil, fmt.Errorf("telegram getMe: %w", b.apiErr(err))
	}
	b.username, b.botID = me.Username, me.ID
	return b, nil
}

// OnMigrate registers a function told when a group becomes a supergroup
// (the digest scheduler moves its subscription).
func (b *Bot) OnMigrate(f func(oldID, newID int64)) { b.migrateHook = f }

// migrate records that a group became a supergroup: replies to the old id
// go to the new one from now on.
func (b *Bot) migrate(oldID, newID int64) {
	b.migrated.Store(oldID, newID)
	if err := b.store.Move(tgChat(oldID), tgChat(newID)); err != nil {
		b.log.Error("move subscription to supergroup", "chat", oldID, "new_chat", newID, "err", err)
	}
	if b.migrateHook != nil {
		b.migrateHook(oldID, newID)
	}
}

// Name is the channel's name in the store and the outbox.
func (b *Bot) Name() string { return channelTelegram }

// Send delivers one queued Telegram message (the outbox's sender).
func (b *Bot) Send(ctx context.Context, e bot.OutboxEntry) bot.Result { return b.sendEntry(ctx, e) }

// RenderDigest renders a digest as Telegram HTML messages.
func (b *Bot) RenderDigest(chat bot.ChatRef, d bot.Digest) []bot.OutboxEntry {
	return renderDigest(chat, d)
}

// IsAdmin reports whether a Telegram user id (decimal) is a bot admin.
func (b *Bot) IsAdmin(senderID string) bool {
	id, err := strconv.ParseInt(senderID, 10, 64)
	return err == nil && b.isAdmin(id)
}

var _ bot.Channel = (*Bot)(nil)

// Username is the bot's @username without the @.
func (b *Bot) Username() string { return b.username }

// Run registers the command menu and serves updates until ctx ends: long
// polling, or a webhook when WebhookURL is set. A fixed pool of workers
// reads a bounded queue, so a flood waits in the queue (and at Telegram)
// instead of starting a goroutine per update. Run returns only after
// everything it started has stopped: the workers and the webhook server.
// The outbox and the digest scheduler are the core's (bot.Core.Run).
func (b *Bot) Run(ctx context.Context) error {
	// Workers outlive ctx by up to the core's shutdown grace: updates already
	// fetched (Telegram will not send them again) are answered.
	bg, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	if err := b.setCommands(ctx); err != nil {
		b.log.Warn("setMyCommands failed", "err", b.apiErr(err))
	}
	updates := make(chan *models.Update, b.cfg.QueueSize)
	var workers sync.WaitGroup
	for range b.cfg.Workers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for upd := range updates {
				if bg.Err() != nil {
					continue // the grace is over: left in the inbox for the next start
				}
				b.tg.ProcessUpdate(bg, upd)
				if bg.Err() == nil {
					b.handled(upd.ID)
				} // else cut short (no reply was sent): handled again at the next start
			}
		}()
	}
	b.replayInbox(ctx, updates)
	var err error
	if b.cfg.WebhookURL != "" {
		err = b.serveWebhook(ctx, updates)
	} else {
		if _, err := b.tg.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
			b.log.Warn("deleteWebhook failed", "err", b.apiErr(err))
		}
		b.log.Info("bot started (long polling)", "username", b.username)
		b.poll(ctx, updates)
	}
	close(updates) // nothing sends any more: poll and the webhook server have returned
	b.finish(&workers, stop)
	return err
}

// finish waits, for at most the core's shutdown grace, for the workers
// to handle what was fetched and for the outbox to send what they queued;
// then it stops both.
func (b *Bot) finish(workers *sync.WaitGroup, stop context.CancelFunc) {
	deadline := time.NewTimer(b.core.ShutdownGrace())
	defer deadline.Stop()
	done := make(chan struct{})
	go func() {
		workers.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-deadline.C:
		b.log.Warn("shutdown: updates still being handled; stopping them")
		stop()
		<-done
		return
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for b.outbox.Pending() > 0 {
		select {
		case <-tick.C:
		case <-deadline.C:
			b.log.Warn("shutdown: messages left in the outbox for the next start", "pending", b.outbox.Pending())
			return
		}
	}
}

// Process handles one update synchronously (tests).
func (b *Bot) Process(ctx context.Context, upd *models.Update) { b.handle(ctx, b.tg, upd) }

// setCommands registers the command menus for private and group chats.
func (b *Bot) setCommands(ctx context.Context) error {
	private := []models.BotCommand{
		{Command: "ask", Description: "提问：哪个单位牵头某项任务"},
		{Command: "unit", Description: "查单位的全部任务：/unit 市商务局"},
		{Command: "task", Description: "查任务全文：/task 通知 任务号"},
		{Command: "notices", Description: "已加载的通知"},
		{Command: "scope", Description: "限定本聊天的通知范围：/scope 广元"},
		{Command: "digest", Description: "今天的任务提醒"},
		{Command: "subscribe", Description: "订阅每日提醒：/subscribe 08:30 [单位]"},
		{Command: "unsubscribe", Description: "退订每日提醒"},
		{Command: "export", Description: "导出任务台账（Excel）：/export 市商务局"},
		{Command: "help", Description: "使用说明"},
	}
	group := private[:len(private)-1]
	for _, s := range []struct {
		cmds  []models.BotCommand
		scope models.BotCommandScope
	}{
		{private, &models.BotCommandScopeAllPrivateChats{}},
		{group, &models.BotCommandScopeAllGroupChats{}},
	} {
		if _, err := b.tg.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: s.cmds, Scope: s.scope}); err != nil {
			return err
		}
	}
	return nil
}
