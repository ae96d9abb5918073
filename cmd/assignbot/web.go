package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/bot/web"
	"github.com/assignbot/assignbot/retrieval"
)

// webSettings reads WEB_ADDR and WEB_TOKEN: the admin page is off unless
// WEB_ADDR is set, and then it needs a good token, checked before any
// channel starts.
func webSettings(getenv func(string) string) (addr, token string, err error) {
	addr, token = envOr(getenv, "WEB_ADDR", ""), envOr(getenv, "WEB_TOKEN", "")
	if addr == "" {
		return "", "", nil
	}
	if err := web.CheckToken(token); err != nil {
		return "", "", err
	}
	return addr, token, nil
}

// startWeb builds the admin page over the engine; it returns a function
// that serves it on addr until ctx ends.
func startWeb(addr, token string, e web.Engine, fb web.FeedbackSource, channels []string, now func() time.Time, log *slog.Logger) (func(context.Context) error, error) {
	page, err := web.New(web.Config{Token: token, Engine: e, Feedback: fb, Channels: channels, Now: now, Logger: log})
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		log.Info("admin page listening", "addr", addr)
		if err := page.ListenAndServe(ctx, addr); err != nil {
			return fmt.Errorf("admin page on %s: %w", addr, err)
		}
		return nil
	}, nil
}

// storeFeedback shows the chat store's votes on the page: package web
// does not import package bot.
type storeFeedback struct{ store *bot.Store }

func (s storeFeedback) LatestDown(_ context.Context, limit int) ([]web.Feedback, error) {
	votes, err := s.store.LatestDown(limit)
	if err != nil {
		return nil, err
	}
	list := make([]web.Feedback, 0, len(votes))
	for _, v := range votes {
		chat := v.ChatTitle
		if chat == "" {
			chat = v.Chat.ID
		}
		f := web.Feedback{Time: v.At, Channel: v.Chat.Channel, Chat: chat, User: v.Voter, Question: v.Question, Answer: v.Answer, Up: v.Up}
		for _, c := range v.Citations {
			f.Citations = append(f.Citations, retrieval.Citation{Label: c.Label, Doc: c.Doc, Ref: c.Ref})
		}
		list = append(list, f)
	}
	return list, nil
}

// runAll runs every function until ctx ends or one of them fails, which
// stops the others; it returns when all have returned, with the first
// error.
func runAll(ctx context.Context, fns ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(fns))
	for _, f := range fns {
		go func() { errc <- f(ctx) }()
	}
	var first error
	for range fns {
		if err := <-errc; err != nil && first == nil {
			first = err
			cancel()
		}
	}
	return first
}
