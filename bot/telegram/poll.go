package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/assignbot/assignbot/bot"
	"github.com/go-telegram/bot/models"
)

// Long polling. go-telegram/bot decodes a getUpdates batch as a whole: one
// update it cannot decode fails the batch, the offset never moves, and the
// same batch is fetched again forever. The library has no hook for this,
// so the bot polls itself: each update of a batch is decoded on its own,
// one that cannot be is skipped with one log line naming its update_id,
// and the offset always moves past what was fetched. Decoded updates go
// to the library's ProcessUpdate through the bot's worker pool.
//
// Telegram forgets an update once a getUpdates call's offset passes it, and
// the bot's next call does that while the update may still wait for a
// worker. So a batch is written to the store's inbox (bot/inbox.go),
// together with the next offset, before it is handed to the workers, and
// each update leaves the inbox when handled. An update not handled when the
// bot stops stays there and is handled at the next start (replayInbox);
// the stored offset keeps Telegram from sending what the inbox holds again.
// The offset moves past an update only once it is handled or stored: were
// it held at the first update in flight, every long poll would return at
// once with the updates still being answered, for as long as a slow answer
// takes.

// allowedUpdates are the update kinds the bot asks for.
var allowedUpdates = []string{"message", "callback_query", "my_chat_member"}

// maxPollBackoff caps the wait between failed getUpdates calls.
const maxPollBackoff = 5 * time.Second

// poll fetches updates until ctx ends and hands them to out.
func (b *Bot) poll(ctx context.Context, out chan<- *models.Update) {
	offset := b.store.Cursor(channelTelegram) // where the last run left off; 0: Telegram's own
	var backoff time.Duration
	metrics := b.core.Metrics()
	defer metrics.Connected(channelTelegram, false)
	for ctx.Err() == nil {
		raws, err := b.getUpdates(ctx, offset)
		metrics.Connected(channelTelegram, err == nil)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			backoff = min(max(2*backoff, 100*time.Millisecond), maxPollBackoff)
			b.log.Warn("getUpdates failed; retrying", "retry_in", backoff, "err", err)
			bot.Sleep(ctx, backoff)
			continue
		}
		next := offset
		var batch []*models.Update
		var entries []bot.InboxEntry
		for _, raw := range raws {
			upd, id, err := decodeUpdate(raw)
			next = max(next, id+1)
			if err != nil {
				b.log.Warn("skipping an update that cannot be decoded", "update", id, "err", err)
				continue
			}
			batch = append(batch, upd)
			entries = append(entries, bot.InboxEntry{ID: strconv.FormatInt(id, 10), Payload: raw, Received: b.now()})
		}
		if next != offset {
			if err := b.store.Receive(channelTelegram, next, entries...); err != nil {
				// Not stored: nothing is handed on, and the same updates
				// are fetched again (the offset stays).
				backoff = min(max(2*backoff, 100*time.Millisecond), maxPollBackoff)
				b.log.Error("storing received updates failed; fetching them again", "retry_in", backoff, "err", err)
				bot.Sleep(ctx, backoff)
				continue
			}
			offset = next
		}
		backoff = 0
		for _, upd := range batch {
			select {
			case out <- upd:
			case <-ctx.Done():
				return
			}
		}
	}
}

// replayInbox hands the workers the updates a previous run received but
// did not handle, oldest first.
func (b *Bot) replayInbox(ctx context.Context, out chan<- *models.Update) {
	left, err := b.store.Unhandled(channelTelegram)
	if err != nil {
		b.log.Error("reading updates left by the last run", "err", err)
	}
	if len(left) > 0 {
		b.log.Info("handling updates received before the restart", "updates", len(left))
	}
	for _, e := range left {
		upd, id, err := decodeUpdate(e.Payload)
		if err != nil {
			b.log.Warn("skipping a stored update that cannot be decoded", "update", id, "err", err)
			b.handled(id)
			continue
		}
		select {
		case out <- upd:
		case <-ctx.Done():
			return
		}
	}
}

// handled takes an update out of the inbox.
func (b *Bot) handled(id int64) {
	if err := b.store.Handled(channelTelegram, strconv.FormatInt(id, 10)); err != nil {
		b.log.Error("removing a handled update from the inbox", "update", id, "err", err)
	}
}

// decodeUpdate decodes one update. The id is read on its own first, so an
// update whose body does not decode can still be skipped by id.
func decodeUpdate(raw []byte) (*models.Update, int64, error) {
	var head struct {
		UpdateID int64 `json:"update_id"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, head.UpdateID, err
	}
	upd := &models.Update{}
	if err := json.Unmarshal(raw, upd); err != nil {
		return nil, head.UpdateID, err
	}
	return upd, head.UpdateID, nil
}

// apiResponse is the Bot API's envelope, with the result left raw.
type apiResponse struct {
	OK          bool              `json:"ok"`
	Result      []json.RawMessage `json:"result"`
	ErrorCode   int               `json:"error_code"`
	Description string            `json:"description"`
}

// getUpdates makes one long-poll call.
func (b *Bot) getUpdates(ctx context.Context, offset int64) ([]json.RawMessage, error) {
	// A long poll answers within PollTimeout; one that does not is hung.
	ctx, cancel := context.WithTimeout(ctx, b.cfg.PollTimeout+20*time.Second)
	defer cancel()
	body, _ := json.Marshal(map[string]any{
		"offset": offset, "timeout": int(b.cfg.PollTimeout.Seconds()), "allowed_updates": allowedUpdates,
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.apiURL+"/bot"+b.cfg.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, b.apiErr(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, b.apiErr(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, b.apiErr(err)
	}
	var r apiResponse
	if err := json.Unmarshal(data, &r); err != nil {
		// A proxy's error page, not the Bot API: its text may echo the URL.
		return nil, fmt.Errorf("getUpdates: HTTP %d: not a Bot API response", resp.StatusCode)
	}
	if !r.OK {
		return nil, b.apiErr(fmt.Errorf("getUpdates: %d %s", r.ErrorCode, r.Description))
	}
	return r.Result, nil
}
