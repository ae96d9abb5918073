// Package bot is assignbot's Telegram adapter: it turns updates into calls
// of the answering layer and replies in Telegram HTML. It declares the
// small interface it needs (Engine) and nothing else about retrieval.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/assignbot/assignbot/retrieval"
)

// Engine is what the bot needs of the answering layer: answers, reloads
// and the current index. retrieval.Engine implements it.
type Engine interface {
	Answer(ctx context.Context, question string) (retrieval.Answer, error)
	Converse(ctx context.Context, c *retrieval.Conversation, question string) (retrieval.Answer, error)
	Reload(ctx context.Context) (*retrieval.Index, error)
	Index() *retrieval.Index
}

// Config configures the bot.
type Config struct {
	Token         string
	APIURL        string         // another Bot API server; "" for Telegram's
	Admins        map[int64]bool // Telegram user ids allowed admin commands
	CorpusDir     string         // where uploads are saved; "" refuses uploads
	Workers       int            // updates handled at once; default 8
	QueueSize     int            // updates waiting; default 256
	MaxQuestion   int            // characters; default 500
	PerMinute     int            // questions per user per minute; default 12
	MaxUpload     int64          // bytes; default 20 MiB (the Bot API's getFile limit)
	PollTimeout   time.Duration  // long-poll timeout; default 50s
	WebhookURL    string         // when set, webhook mode
	WebhookSecret string         // X-Telegram-Bot-Api-Secret-Token
	WebhookListen string         // address to listen on in webhook mode; default :8443
	HTTPClient    *http.Client   // for tests; default one with a timeout above the poll timeout
	Store         *Store         // subscriptions; nil disables digests
	Digest        DigestConfig
	Now           func() time.Time
	Logger        *slog.Logger
}

// Bot is the running Telegram bot.
type Bot struct {
	cfg      Config
	tg       *tg.Bot
	engine   Engine
	log      *slog.Logger
	username string
	botID    int64
	started  time.Time
	answered atomic.Int64
	limiter  *limiter
	pages    *pageCache
	uploads  *uploadCache
	contexts *contexts

	store     *Store
	digest    DigestConfig
	scheduler *Scheduler

	reloading   sync.Mutex
	migrateHook func(oldID, newID int64)
	migrated    sync.Map // old chat id → new chat id
}

// ErrNoToken is returned by New without a bot token.
var ErrNoToken = errors.New("no Telegram bot token: create a bot with @BotFather in Telegram (/newbot), then set TELEGRAM_BOT_TOKEN")

// New connects to the Bot API (getMe) and returns the bot.
func New(ctx context.Context, cfg Config, engine Engine) (*Bot, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, ErrNoToken
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = 256
	}
	if cfg.MaxQuestion <= 0 {
		cfg.MaxQuestion = 500
	}
	if cfg.PerMinute <= 0 {
		cfg.PerMinute = 12
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 20 << 20
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 50 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.HTTPClient == nil {
		// The client must outlive a long poll, or every poll ends in a
		// timeout error (the library's default makes them equal).
		cfg.HTTPClient = &http.Client{Timeout: cfg.PollTimeout + 20*time.Second}
	}
	cfg.Digest.defaults()
	b := &Bot{cfg: cfg, engine: engine, log: cfg.Logger, started: cfg.Now(), store: cfg.Store, digest: cfg.Digest,
		limiter: newLimiter(cfg.PerMinute, cfg.Now), pages: newPageCache(2000), uploads: newUploadCache(100),
		contexts: newContexts(cfg.Now)}
	if b.store != nil {
		b.scheduler = NewScheduler(b.store, engine, b.sendHTML, cfg.Now, cfg.Digest, cfg.Logger)
	}
	opts := []tg.Option{
		tg.WithHTTPClient(cfg.PollTimeout, cfg.HTTPClient),
		tg.WithDefaultHandler(b.handle),
		// Bounded concurrency: a fixed pool of workers reads a bounded
		// queue; a flood waits in the queue (and at Telegram) instead of
		// starting a goroutine per update.
		tg.WithNotAsyncHandlers(),
		tg.WithWorkers(cfg.Workers),
		tg.WithUpdatesChannelCap(cfg.QueueSize),
		tg.WithErrorsHandler(func(err error) { b.log.Warn("telegram", "err", redact(err.Error(), cfg.Token)) }),
		tg.WithAllowedUpdates(tg.AllowedUpdates{"message", "callback_query", "my_chat_member"}),
	}
	if cfg.APIURL != "" {
		opts = append(opts, tg.WithServerURL(strings.TrimRight(cfg.APIURL, "/")))
	}
	if cfg.WebhookSecret != "" {
		opts = append(opts, tg.WithWebhookSecretToken(cfg.WebhookSecret))
	}
	var err error
	b.tg, err = tg.New(cfg.Token, append(opts, tg.WithSkipGetMe())...)
	if err != nil {
		return nil, fmt.Errorf("telegram: %s", redact(err.Error(), cfg.Token))
	}
	me, err := b.tg.GetMe(ctx)
	if err != nil {
		return nil, fmt.Errorf("telegram getMe: %s", redact(err.Error(), cfg.Token))
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
	if b.store != nil {
		if err := b.store.Move(oldID, newID); err != nil {
			b.log.Error("move subscription to supergroup", "chat", oldID, "new_chat", newID, "err", err)
		}
	}
	if b.migrateHook != nil {
		b.migrateHook(oldID, newID)
	}
}

// Username is the bot's @username without the @.
func (b *Bot) Username() string { return b.username }

// Run registers the command menu and serves updates until ctx ends: long
// polling, or a webhook when WebhookURL is set.
func (b *Bot) Run(ctx context.Context) error {
	if err := b.setCommands(ctx); err != nil {
		b.log.Warn("setMyCommands failed", "err", redact(err.Error(), b.cfg.Token))
	}
	if b.scheduler != nil {
		go b.scheduler.Run(ctx)
	}
	if b.cfg.WebhookURL == "" {
		if _, err := b.tg.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
			b.log.Warn("deleteWebhook failed", "err", redact(err.Error(), b.cfg.Token))
		}
		b.log.Info("bot started (long polling)", "username", b.username)
		b.tg.Start(ctx)
		return nil
	}
	if _, err := b.tg.SetWebhook(ctx, &tg.SetWebhookParams{URL: b.cfg.WebhookURL, SecretToken: b.cfg.WebhookSecret,
		AllowedUpdates: []string{"message", "callback_query", "my_chat_member"}}); err != nil {
		return fmt.Errorf("setWebhook: %s", redact(err.Error(), b.cfg.Token))
	}
	listen := b.cfg.WebhookListen
	if listen == "" {
		listen = ":8443"
	}
	srv := &http.Server{Addr: listen, Handler: b.tg.WebhookHandler(), ReadHeaderTimeout: 10 * time.Second}
	go b.tg.StartWebhook(ctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	b.log.Info("bot started (webhook)", "username", b.username, "listen", listen)
	select {
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(shut)
	case err := <-errc:
		return err
	}
}

// Process handles one update synchronously (tests, and the webhook path
// through the library).
func (b *Bot) Process(ctx context.Context, upd *models.Update) { b.handle(ctx, b.tg, upd) }

// redact removes the token from a text meant for logs.
func redact(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "***")
}

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
