package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/assignbot/assignbot/bot"
	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Sending on Telegram. Replies and digests go through the outbox
// (outbox.go): reply renders a message into outbox entries, and sendEntry
// makes one attempt to deliver one of them and classifies the result.
// go-telegram/bot does not retry: a 429 carries retry_after, a group that
// became a supergroup answers with its new chat id, and HTML Telegram
// rejects is resent as plain text.

// channelTelegram names Telegram in the outbox and the store.
const channelTelegram = "telegram"

// tgChat is a Telegram chat's name in the store.
func tgChat(id int64) bot.ChatRef {
	return bot.ChatRef{Channel: channelTelegram, ID: strconv.FormatInt(id, 10)}
}

// tgMessage is a Telegram message as queued in the outbox.
type tgMessage struct {
	ChatID   int64           `json:"chat_id"`
	Text     string          `json:"text"`
	HTML     bool            `json:"html,omitempty"`
	ReplyTo  int             `json:"reply_to,omitempty"`
	Keyboard *inlineKeyboard `json:"keyboard,omitempty"`
}

// render splits HTML text into pages under the length limit and makes one
// outbox entry per page, the keyboard under the last and the first a
// reply to replyTo (0: none).
func render(kind string, chatID int64, replyTo int, html string, kb *inlineKeyboard) []bot.OutboxEntry {
	pages := splitPages(html, pageBudget)
	entries := make([]bot.OutboxEntry, 0, len(pages))
	for i, page := range pages {
		m := tgMessage{ChatID: chatID, Text: page, HTML: true}
		if i == 0 {
			m.ReplyTo = replyTo
		}
		if i == len(pages)-1 {
			m.Keyboard = kb
		}
		payload, _ := json.Marshal(m)
		entries = append(entries, bot.OutboxEntry{Channel: channelTelegram, Chat: strconv.FormatInt(chatID, 10), Kind: kind, Payload: payload})
	}
	return entries
}

// reply queues HTML text as a reply to m. If the store cannot take it (a
// full disk), the reply is sent directly, once, rather than not at all.
func (b *Bot) reply(ctx context.Context, m *models.Message, html string, kb *inlineKeyboard) {
	entries := render("reply", m.Chat.ID, m.ID, html, kb)
	err := b.outbox.Enqueue(entries...)
	if err == nil {
		return
	}
	b.log.Error("queue reply; sending it directly", "chat", m.Chat.ID, "message", m.ID, "err", err)
	for _, e := range entries {
		if res := b.sendEntry(ctx, e); res.Outcome != bot.Delivered {
			b.log.Error("send reply", "chat", m.Chat.ID, "message", m.ID, "err", res.Err)
			return
		}
	}
}

// renderDigest is the scheduler's render function for Telegram chats.
func renderDigest(chat bot.ChatRef, d bot.Digest) []bot.OutboxEntry {
	id, err := strconv.ParseInt(chat.ID, 10, 64)
	if err != nil {
		return nil // not a Telegram chat id: nothing can be sent
	}
	return render("digest", id, 0, digestHTML(d), nil)
}

// sendEntry makes one attempt to deliver a queued Telegram message.
func (b *Bot) sendEntry(ctx context.Context, e bot.OutboxEntry) bot.Result {
	var m tgMessage
	if err := json.Unmarshal(e.Payload, &m); err != nil {
		return bot.Result{Outcome: bot.Drop, Err: err}
	}
	p := &tg.SendMessageParams{ChatID: b.chatID(m.ChatID), Text: m.Text,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}}
	if m.HTML {
		p.ParseMode = models.ParseModeHTML
	}
	if m.ReplyTo != 0 {
		p.ReplyParameters = &models.ReplyParameters{MessageID: m.ReplyTo, AllowSendingWithoutReply: true}
	}
	if kb := m.Keyboard.markup(); kb != nil {
		p.ReplyMarkup = kb
	}
	// A migration or rejected HTML is fixed and tried again at once; two
	// fixes at most.
	for range 3 {
		var attempt bot.Attempt
		sent, err := b.tg.SendMessage(attempt.Context(ctx), p)
		if err == nil {
			if m.ReplyTo != 0 {
				b.core.Delivered(tgChat(m.ChatID), strconv.Itoa(sent.ID), strconv.Itoa(m.ReplyTo))
			}
			return bot.Result{Outcome: bot.Delivered}
		}
		err = b.apiErr(err)
		var tooMany *tg.TooManyRequestsError
		var migrate *tg.MigrateError
		switch {
		case errors.As(err, &tooMany):
			return bot.Result{Outcome: bot.Retry, RetryAfter: time.Duration(max(1, tooMany.RetryAfter)) * time.Second, Err: err}
		case errors.As(err, &migrate):
			old := chatIDOf(p.ChatID)
			b.log.Info("group migrated to supergroup", "chat", old, "new_chat", migrate.MigrateToChatID)
			b.migrate(old, int64(migrate.MigrateToChatID))
			p.ChatID = int64(migrate.MigrateToChatID)
		case chatGone(err):
			return bot.Result{Outcome: bot.Gone, Err: err}
		case errors.Is(err, tg.ErrorBadRequest) && p.ParseMode != "" && strings.Contains(err.Error(), "parse entities"):
			// Our HTML was rejected: send the text plain rather than nothing.
			b.log.Error("telegram rejected HTML; sending plain text", "chat", chatIDOf(p.ChatID), "err", err)
			p.Text, p.ParseMode = stripTags(p.Text), ""
		case errors.Is(err, tg.ErrorBadRequest):
			return bot.Result{Outcome: bot.Drop, Err: err}
		default:
			// 5xx, a proxy's error page, the network, a wrong token being
			// fixed: all pass, so try again later — much later when the
			// request went out and no answer came (Telegram may have it).
			return bot.Result{Outcome: bot.Retry, Err: err, Uncertain: attempt.Uncertain()}
		}
	}
	return bot.Result{Outcome: bot.Drop, Err: errors.New("sendMessage: too many fix-ups")}
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

// ChatGone deactivates the subscription of a chat that is gone, under
// the supergroup id the chat moved to if it did.
func (b *Bot) ChatGone(chat string, err error) {
	id, perr := strconv.ParseInt(chat, 10, 64)
	if perr != nil {
		return
	}
	why := "gone"
	if err != nil {
		why = err.Error()
	}
	if derr := b.store.Deactivate(tgChat(b.chatID(id)), why); derr != nil && !errors.Is(derr, bot.ErrNoSubscription) {
		b.log.Error("deactivate subscription", "chat", id, "err", derr)
	} else if derr == nil {
		b.log.Warn("chat gone; digest subscription deactivated", "chat", id)
	}
}

// editMessage edits a message in place (the 下一页 buttons). An edit is
// worth little once the moment passed, so it is tried a few times at once
// rather than queued.
func (b *Bot) editMessage(ctx context.Context, p *tg.EditMessageTextParams) error {
	var err error
	backoff := 200 * time.Millisecond
	for attempt := 1; attempt <= 3; attempt++ {
		_, err = b.tg.EditMessageText(ctx, p)
		if err == nil || strings.Contains(err.Error(), "message is not modified") {
			return nil
		}
		err = b.apiErr(err)
		wait := backoff
		var tooMany *tg.TooManyRequestsError
		switch {
		case errors.As(err, &tooMany):
			wait = time.Duration(max(1, tooMany.RetryAfter)) * time.Second
			if wait > 10*time.Second {
				return err
			}
		case errors.Is(err, tg.ErrorBadRequest), errors.Is(err, tg.ErrorForbidden):
			return err
		}
		if attempt < 3 && !bot.Sleep(ctx, wait) {
			return err
		}
		backoff *= 2
	}
	return err
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
