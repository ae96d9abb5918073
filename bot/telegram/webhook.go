package telegram

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/assignbot/assignbot/bot"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Webhook mode. Anyone who finds the webhook URL can post to it, so every
// request must carry the secret registered with setWebhook in the
// X-Telegram-Bot-Api-Secret-Token header; one without it gets 401 and is
// not processed. Without WEBHOOK_SECRET the bot generates a random secret
// at start and registers it (the library's handler would accept anything
// when no secret is set).

const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxWebhookBody bounds one update's body.
const maxWebhookBody = 1 << 20

// errNoUpdateID marks a webhook body without an update id.
var errNoUpdateID = errors.New("no update_id")

// newWebhookSecret returns a random secret in Telegram's alphabet.
func newWebhookSecret() (string, error) {
	var buf [32]byte
	if _, err := rand.Read(buf[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(buf[:]), nil
}

// webhookHandler checks the secret, decodes the update and queues it.
func (b *Bot) webhookHandler(secret string, out chan<- *models.Update) http.Handler {
	want := []byte(secret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		if len(want) == 0 || subtle.ConstantTimeCompare([]byte(r.Header.Get(secretHeader)), want) != 1 {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
		if err != nil {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			return
		}
		upd, id, err := decodeUpdate(body)
		if err == nil && id == 0 {
			err = errNoUpdateID
		}
		if err != nil {
			// Answer 200 all the same: Telegram would send it again and again.
			b.log.Warn("skipping an update that cannot be decoded", "update", id, "err", err)
			return
		}
		// Stored before Telegram hears 200, so a restart does not lose it.
		key := strconv.FormatInt(id, 10)
		if err := b.store.Receive(channelTelegram, 0, bot.InboxEntry{ID: key, Payload: body, Received: b.now()}); err != nil {
			b.log.Error("storing a received update failed; Telegram will send it again", "update", id, "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		select {
		case out <- upd:
		case <-r.Context().Done():
			b.handled(id) // Telegram sends it again
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
}

// serveWebhook registers the webhook and serves it until ctx ends; it
// returns once the server stopped and its handlers returned.
func (b *Bot) serveWebhook(ctx context.Context, out chan<- *models.Update) error {
	secret := b.cfg.WebhookSecret
	if secret == "" {
		var err error
		if secret, err = newWebhookSecret(); err != nil {
			return fmt.Errorf("webhook secret: %w", err)
		}
		b.log.Warn("no WEBHOOK_SECRET: generated a random webhook secret for this run")
	}
	listen := b.cfg.WebhookListen
	if listen == "" {
		listen = ":8443"
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	b.webhookAddr.Store(ln.Addr().String())
	if _, err := b.tg.SetWebhook(ctx, &tg.SetWebhookParams{URL: b.cfg.WebhookURL, SecretToken: secret,
		AllowedUpdates: allowedUpdates}); err != nil {
		ln.Close()
		return fmt.Errorf("setWebhook: %w", b.apiErr(err))
	}
	b.log.Info("webhook registered with its secret token (setWebhook)", "url", redact(b.cfg.WebhookURL, b.cfg.Token, secret))
	srv := &http.Server{Handler: b.webhookHandler(secret, out), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	b.log.Info("bot started (webhook)", "username", b.username, "listen", ln.Addr().String())
	b.core.Metrics().Connected(channelTelegram, true)
	defer b.core.Metrics().Connected(channelTelegram, false)
	select {
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := srv.Shutdown(shut)
		<-errc
		return err
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
