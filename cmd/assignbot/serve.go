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

	"github.com/assignbot/assignbot/bot"
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
	if token == "" {
		return bot.ErrNoToken
	}
	admins, err := parseAdmins(envOr(getenv, "ADMIN_USER_IDS", ""))
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
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
	engine, err := retrieval.NewEngine(ctx, load, retrieval.Options{DataDir: *cfg.data, Embedder: embedderFromEnv(getenv)}, completerFromEnv(getenv))
	if err != nil {
		return err
	}
	ix := engine.Index()
	log.Info("index ready", "notices", ix.Stats.Notices, "tasks", ix.Stats.Tasks, "embedded", ix.Stats.Embedded, "reused", ix.Stats.Reused)
	if dir == "" {
		log.Warn("no CORPUS_DIR: serving the built-in samples; uploads are refused")
	}
	dcfg, now, err := digestSettings(getenv)
	if err != nil {
		return err
	}
	store, err := bot.OpenStore(*cfg.data)
	if err != nil {
		return err
	}
	defer store.Close()
	b, err := bot.New(ctx, bot.Config{
		Store: store, Digest: dcfg, Now: now,
		Token: token, APIURL: envOr(getenv, "TELEGRAM_API_URL", ""), Admins: admins, CorpusDir: dir,
		WebhookURL: envOr(getenv, "WEBHOOK_URL", ""), WebhookSecret: envOr(getenv, "WEBHOOK_SECRET", ""),
		WebhookListen: envOr(getenv, "WEBHOOK_LISTEN", ""), Logger: log,
	}, engine)
	if err != nil {
		return err
	}
	if b.Username() != "" {
		fmt.Fprintf(stdout, "assignbot is running as @%s — Ctrl-C to stop\n", b.Username())
	}
	return b.Run(ctx)
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
