package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/bot/dingtalk"
	"github.com/assignbot/assignbot/bot/feishu"
	"github.com/assignbot/assignbot/bot/telegram"
	"github.com/assignbot/assignbot/bot/web"
	"github.com/assignbot/assignbot/bot/wecom"
	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := addIndexFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	token := envOr(getenv, "TELEGRAM_BOT_TOKEN", "")
	dtCfg := dingtalkConfig(getenv)
	wcCfg := wecomConfig(getenv)
	fsCfg := feishuConfig(getenv)
	webAddr, webToken, err := webSettings(getenv)
	if err != nil {
		return err
	}
	chat := token != "" || dtCfg.Enabled() || wcCfg.Enabled() || fsCfg.Enabled()
	if !chat && webAddr == "" { // serve needs a chat channel, the admin page, or both
		return errNoChannel
	}
	tgCfg, err := telegramConfig(getenv)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	timeout, err := llmTimeout(getenv)
	if err != nil {
		return err
	}
	if _, err := llmConcurrency(getenv); err != nil {
		return err
	}
	maddr, err := metricsAddr(getenv)
	if err != nil {
		return err
	}
	metrics := bot.NewMetrics()
	dir := *cfg.corpus
	data := *cfg.data
	load := func(prev *corpus.Corpus) (c *corpus.Corpus, err error) {
		if prev != nil && dir != "" {
			c, err = prev.Reload() // unchanged notices and their index parts are kept
		} else {
			c, err = loadCorpusCached(dir, data)
		}
		return withModelTasks(ctx, c, getenv, data), err
	}
	llm := completerFromEnv(getenv)
	// With a corpus folder the engine starts from the index snapshot under
	// the data folder and writes it again after every reload.
	opt := retrieval.Options{DataDir: data, Embedder: embedderFromEnv(getenv), CorpusDir: dir}
	guardMemory(dir, data, opt)
	engine := &startingEngine{build: func(ctx context.Context) (*retrieval.Engine, error) {
		return retrieval.NewEngine(ctx, load, opt, llm)
	}, metrics: metrics}
	if dir == "" {
		log.Warn("no CORPUS_DIR: serving the built-in samples; uploads are refused")
	}
	dcfg, now, err := digestSettings(getenv)
	if err != nil {
		return err
	}
	svc := retrieval.NewService(engine) // all the chat channels and the admin page see of retrieval
	var run []func(context.Context) error
	var channels []string
	var feedback web.FeedbackSource // the chat channels' votes, for the page
	hl := &health{metrics: metrics, index: engine.loaded, now: now}
	if chat {
		store, err := bot.OpenStore(data)
		if err != nil {
			return err
		}
		defer store.Close()
		feedback = storeFeedback{store}
		// One core (store, outbox, digests) under every channel configured.
		core, err := bot.NewCore(bot.CoreConfig{Store: store, Digest: dcfg, Now: now, LLMTimeout: timeout, CorpusDir: dir,
			Metrics: metrics, Logger: log}, svc)
		if err != nil {
			return err
		}
		hl.channels, hl.outbox = core.Channels, core.Outbox()
		if tgCfg.Token != "" {
			b, err := telegram.New(ctx, tgCfg, core)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "assignbot is running on Telegram as @%s\n", b.Username())
			channels = append(channels, strings.TrimSuffix("Telegram @"+b.Username(), " @"))
		}
		if dtCfg.Enabled() {
			dtCfg.Logger = log
			d, err := dingtalk.NewBot(dtCfg, core)
			if err != nil {
				return err
			}
			// Wrong credentials show now; an unreachable DingTalk only
			// delays the stream, which keeps reconnecting.
			var refused *dingtalk.APIError
			if err := d.Check(ctx); errors.As(err, &refused) {
				return fmt.Errorf("dingtalk: %w", err)
			} else if err != nil {
				log.Warn("dingtalk not reachable yet; the stream keeps trying", "err", err)
			}
			fmt.Fprintf(stdout, "assignbot is running on DingTalk (robot %s)\n", dtCfg.RobotCode)
			channels = append(channels, "DingTalk")
		}
		if wcCfg.Enabled() {
			// Wrong credentials show as a refused subscription in the log;
			// the connection keeps trying, as DingTalk's stream does.
			wcCfg.Logger = log
			if _, err := wecom.NewBot(wcCfg, core); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "assignbot is running on WeCom (robot %s)\n", wcCfg.BotID)
			channels = append(channels, "WeCom")
		}
		if fsCfg.Enabled() {
			// Wrong credentials show as a refused long connection in the
			// log, which keeps trying.
			fsCfg.Logger = log
			if _, err := feishu.NewBot(fsCfg, core); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "assignbot is running on Feishu (app %s)\n", fsCfg.AppID)
			channels = append(channels, "Feishu")
		}
		log.Info("channels running", "channels", strings.Join(core.Channels(), ","))
		run = append(run, core.Run)
	}
	if maddr != "" {
		serveH, err := serveHealth(maddr, hl, log)
		switch {
		case err == nil:
			fmt.Fprintf(stdout, "/healthz and /metrics on http://%s\n", maddr)
			run = append(run, serveH)
		case envOr(getenv, "METRICS_ADDR", "") != "":
			return err
		default: // the default port is taken: the bot runs without them
			log.Warn("/healthz and /metrics not served; set METRICS_ADDR to a free port", "err", err)
		}
	}
	if webAddr != "" {
		serveWeb, err := startWeb(webAddr, webToken, svc, feedback, channels, now, log)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "admin page on http://%s — Ctrl-C to stop\n", webAddr)
		run = append(run, serveWeb)
	}
	// The first load runs beside the bot: until it is done the bot says
	// the notices are loading rather than saying nothing. It touches
	// neither the store nor the bot, so serve waits for it only briefly
	// (a load stuck on a bad file must not hold up a shutdown).
	loaded := make(chan struct{})
	go func() {
		defer close(loaded)
		start := time.Now()
		ix, err := engine.Reload(ctx)
		if err != nil {
			log.Error("loading the notices failed; fix CORPUS_DIR and send /reload", "err", err)
			return
		}
		log.Info("index ready", "notices", ix.Stats.Notices, "tasks", ix.Stats.Tasks, "embedded", ix.Stats.Embedded,
			"reused", ix.Stats.Reused, "took", time.Since(start).Round(time.Millisecond))
	}()
	err = runAll(ctx, run...)
	// A first load still writing its snapshot and parse cache gets a short
	// grace, so that a stop right after a start leaves DATA_DIR whole; one
	// stuck on a bad file does not hold the shutdown up longer.
	select {
	case <-loaded:
	case <-time.After(firstLoadGrace):
		log.Warn("stopping while the first load still runs")
	}
	return err
}

// firstLoadGrace is how long serve's shutdown waits for the first load.
const firstLoadGrace = 5 * time.Second

// errNoChannel is serve's error when it has nothing to serve.
var errNoChannel = errors.New("nothing to serve: set TELEGRAM_BOT_TOKEN for Telegram (create a bot with @BotFather), " +
	"DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET for DingTalk (an internal app with a Stream-mode robot), " +
	"WECOM_BOT_ID and WECOM_BOT_SECRET for WeCom (a 智能机器人 in long-connection mode), " +
	"FEISHU_APP_ID and FEISHU_APP_SECRET for Feishu (a self-built app with a bot, events by long connection), " +
	"WEB_ADDR for the admin page, or several")

// startingEngine is the bot's engine from the moment serve starts: until
// the first index is built, Index is nil and Answer returns
// bot.ErrLoading, so the bot answers at once ("通知正在加载") instead of not
// at all, however long a bad file makes loading take. Afterwards it is the
// retrieval engine, which keeps answering from the last good index while
// a reload runs.
type startingEngine struct {
	build   func(context.Context) (*retrieval.Engine, error)
	cur     atomic.Pointer[retrieval.Engine]
	first   sync.Mutex   // one first load at a time
	metrics *bot.Metrics // told of every load's time and result
}

// loaded gives the loaded index's notices and tasks, for /healthz and
// /metrics; false while none is loaded.
func (s *startingEngine) loaded() (notices, tasks int, ok bool) {
	ix := s.Index()
	if ix == nil {
		return 0, 0, false
	}
	return ix.Stats.Notices, ix.Stats.Tasks, true
}

func (s *startingEngine) Answer(ctx context.Context, q string) (retrieval.Answer, error) {
	if e := s.cur.Load(); e != nil {
		return e.Answer(ctx, q)
	}
	return retrieval.Answer{}, bot.ErrLoading
}

func (s *startingEngine) ConverseWith(ctx context.Context, c *retrieval.Conversation, q string, opt retrieval.AnswerOptions) (retrieval.Answer, error) {
	if e := s.cur.Load(); e != nil {
		return e.ConverseWith(ctx, c, q, opt)
	}
	return retrieval.Answer{}, bot.ErrLoading
}

func (s *startingEngine) Index() *retrieval.Index {
	if e := s.cur.Load(); e != nil {
		return e.Index()
	}
	return nil
}

// Reload reloads, or builds the first index when there is none yet (also
// after a failed first load: /reload tries again). Every load that ran is
// recorded in the metrics with its result.
func (s *startingEngine) Reload(ctx context.Context) (*retrieval.Index, error) {
	ix, err := s.reload(ctx)
	if !errors.Is(err, retrieval.ErrReloadRunning) {
		s.metrics.Reloaded(time.Now(), err)
	}
	return ix, err
}

func (s *startingEngine) reload(ctx context.Context) (*retrieval.Index, error) {
	if e := s.cur.Load(); e != nil {
		return e.Reload(ctx)
	}
	if !s.first.TryLock() {
		return nil, retrieval.ErrReloadRunning
	}
	defer s.first.Unlock()
	if e := s.cur.Load(); e != nil {
		return e.Reload(ctx)
	}
	e, err := s.build(ctx)
	if err != nil {
		return nil, err
	}
	s.cur.Store(e)
	return e.Index(), nil
}

// parseAdmins reads ADMIN_USER_IDS: comma-separated Telegram user ids.
func parseAdmins(s string) (map[int64]bool, error) {
	admins := map[int64]bool{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, errors.New("ADMIN_USER_IDS must be comma-separated numeric Telegram user ids, got " + strconv.Quote(f))
		}
		admins[id] = true
	}
	return admins, nil
}
