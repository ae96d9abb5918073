package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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

// allowedUpdates are the update kinds the bot asks for.
var allowedUpdates = []string{"message", "callback_query", "my_chat_member"}

// maxPollBackoff caps the wait between failed getUpdates calls.
const maxPollBackoff = 5 * time.Second

// poll fetches updates until ctx ends and hands them to out.
func (b *Bot) poll(ctx context.Context, out chan<- *models.Update) {
	var offset int64
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
		backoff = 0
		for _, raw := range raws {
			upd, id, err := decodeUpdate(raw)
			offset = max(offset, id+1)
			if err != nil {
				b.log.Warn("skipping an update that cannot be decoded", "update", id, "err", err)
				continue
			}
			select {
			case out <- upd:
			case <-ctx.Done():
				return
			}
		}
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
