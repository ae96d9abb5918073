package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Sending. go-telegram/bot does not retry: a 429 carries retry_after and
// the caller must wait; other failures are retried a few times with
// backoff; a group that became a supergroup answers with its new chat id.

// maxSendAttempts bounds the tries of one message.
const maxSendAttempts = 4

// maxRetryAfter caps how long one 429 may hold a message.
const maxRetryAfter = 2 * time.Minute

// sendMessage sends with retries and returns the message sent. On a
// migration it records the new chat id and sends there.
func (b *Bot) sendMessage(ctx context.Context, p *tg.SendMessageParams) (*models.Message, error) {
	var lastErr error
	backoff := 300 * time.Millisecond
	for attempt := 1; attempt <= maxSendAttempts; attempt++ {
		msg, err := b.tg.SendMessage(ctx, p)
		if err == nil {
			return msg, nil
		}
		lastErr = err
		if !b.retryable(ctx, err, p, &backoff, attempt) {
			break
		}
	}
	return nil, lastErr
}

// editMessage edits a message with the same retry rules.
func (b *Bot) editMessage(ctx context.Context, p *tg.EditMessageTextParams) error {
	backoff := 300 * time.Millisecond
	var lastErr error
	for attempt := 1; attempt <= maxSendAttempts; attempt++ {
		_, err := b.tg.EditMessageText(ctx, p)
		if err == nil || strings.Contains(err.Error(), "message is not modified") {
			return nil
		}
		lastErr = err
		if !b.retryable(ctx, err, nil, &backoff, attempt) {
			break
		}
	}
	return lastErr
}

// retryable waits as the error asks and reports whether to try again.
func (b *Bot) retryable(ctx context.Context, err error, p *tg.SendMessageParams, backoff *time.Duration, attempt int) bool {
	if attempt == maxSendAttempts || ctx.Err() != nil {
		return false
	}
	var tooMany *tg.TooManyRequestsError
	var migrate *tg.MigrateError
	switch {
	case errors.As(err, &tooMany):
		wait := time.Duration(tooMany.RetryAfter) * time.Second
		if wait <= 0 {
			wait = time.Second
		}
		if wait > maxRetryAfter {
			return false
		}
		b.log.Warn("telegram rate limit; waiting", "retry_after", tooMany.RetryAfter)
		return sleep(ctx, wait)
	case errors.As(err, &migrate):
		if p == nil {
			return false
		}
		old := chatIDOf(p.ChatID)
		b.log.Info("group migrated to supergroup", "chat", old, "new_chat", migrate.MigrateToChatID)
		b.migrate(old, int64(migrate.MigrateToChatID))
		p.ChatID = int64(migrate.MigrateToChatID)
		return true
	case errors.Is(err, tg.ErrorForbidden), errors.Is(err, tg.ErrorUnauthorized), errors.Is(err, tg.ErrorNotFound):
		return false // blocked, kicked, or wrong token: retrying changes nothing
	case errors.Is(err, tg.ErrorBadRequest):
		if p != nil && p.ParseMode != "" && strings.Contains(err.Error(), "parse entities") {
			// Our HTML was rejected: send the text plain rather than nothing.
			b.log.Error("telegram rejected HTML; sending plain text", "chat", chatIDOf(p.ChatID), "err", err)
			p.Text, p.ParseMode = stripTags(p.Text), ""
			return true
		}
		return false
	}
	b.log.Warn("telegram call failed; retrying", "attempt", attempt, "err", err)
	ok := sleep(ctx, *backoff)
	*backoff *= 2
	return ok
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func chatIDOf(id any) int64 {
	if v, ok := id.(int64); ok {
		return v
	}
	return 0
}

// stripTags removes our HTML tags and unescapes entities for a plain-text
// fallback.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	r := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", "\"", "&#34;", "\"", "&#39;", "'", "&amp;", "&")
	return r.Replace(b.String())
}
