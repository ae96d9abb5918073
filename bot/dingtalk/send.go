package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/assignbot/assignbot/bot"
)

// Sending. A reply goes through the message's sessionWebhook, which needs
// no token but lives only until WebhookExpires (about 1.5 hours today);
// a webhook that has expired, or keeps failing, gives way to the OpenAPI,
// so a slow answer still arrives (a webhook that answered 500 after all
// delivering would show the reply twice; losing it is worse). Proactive messages (digests) always use
// the OpenAPI: groups by openConversationId, people by staff id.

// webhookMargin is how long before its expiry a webhook is no longer tried.
const webhookMargin = 30 * time.Second

// ErrTooLarge is returned by Download for a file above Config.MaxDownload.
var ErrTooLarge = errors.New("file too large")

// WebhookError is a sessionWebhook that answered with an error.
type WebhookError struct {
	Status  int
	ErrCode int
	ErrMsg  string
}

func (e *WebhookError) Error() string {
	return fmt.Sprintf("dingtalk session webhook: %d errcode %d: %s", e.Status, e.ErrCode, e.ErrMsg)
}

// temporary reports whether the webhook may accept the message later:
// server errors, throttling, and DingTalk's "system busy" (-1).
func (e *WebhookError) temporary() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests || e.ErrCode == -1
}

// Markdown is one DingTalk markdown message: the title shows in the chat
// list and notifications, the text in the chat (see RenderMarkdown).
type Markdown struct {
	Title string
	Text  string
}

// Reply answers m in its conversation.
func (c *Channel) Reply(ctx context.Context, m Incoming, md Markdown) error {
	if m.SessionWebhook != "" && c.cfg.Now().Add(webhookMargin).Before(m.WebhookExpires) {
		err := c.replyWebhook(ctx, m.SessionWebhook, md)
		var unc *UncertainError
		if err == nil || ctx.Err() != nil || errors.As(err, &unc) {
			return err
		}
		c.log.Warn("dingtalk webhook reply failed; sending through the OpenAPI", "chat", m.ChatID, "message", m.MessageID, "err", err)
	}
	if err := c.Send(ctx, m.Target(), md); err != nil {
		return fmt.Errorf("reply %s: %w", m.MessageID, err)
	}
	return nil
}

// replyWebhook posts md to a session webhook, retrying what may pass later.
func (c *Channel) replyWebhook(ctx context.Context, hook string, md Markdown) error {
	body := map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": md.Title, "text": md.Text}}
	backoff := c.cfg.MinBackoff
	for attempt := 1; ; attempt++ {
		err := c.postWebhook(ctx, hook, body)
		if err == nil || attempt >= c.cfg.SendAttempts || !temporary(err) || ctx.Err() != nil {
			return err
		}
		if !bot.Sleep(ctx, backoff) {
			return ctx.Err()
		}
		backoff *= 2
	}
}

func (c *Channel) postWebhook(ctx context.Context, hook string, body any) error {
	payload, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook, strings.NewReader(string(payload)))
	if err != nil {
		return errors.New("session webhook: bad URL") // the URL holds the session key: not in the error
	}
	req.Header.Set("Content-Type", "application/json")
	var attempt bot.Attempt
	resp, err := c.cfg.HTTPClient.Do(req.WithContext(attempt.Context(ctx)))
	if err != nil {
		return uncertain(&attempt, fmt.Errorf("session webhook: %w", unwrapURL(err)))
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxAPIResponse))
	var ans struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	_ = json.Unmarshal(data, &ans) // a 200 without a body is success
	if resp.StatusCode != http.StatusOK || ans.ErrCode != 0 {
		return &WebhookError{Status: resp.StatusCode, ErrCode: ans.ErrCode, ErrMsg: ans.ErrMsg}
	}
	return nil
}

// Send sends md to a group or a person through the OpenAPI.
func (c *Channel) Send(ctx context.Context, to Target, md Markdown) error {
	if to.ID == "" {
		return errors.New("send: no recipient")
	}
	param, err := json.Marshal(map[string]string{"title": md.Title, "text": md.Text})
	if err != nil {
		return err
	}
	if to.Kind == Group {
		body := map[string]any{"robotCode": c.cfg.RobotCode, "openConversationId": to.ID,
			"msgKey": "sampleMarkdown", "msgParam": string(param)}
		return c.api.call(ctx, "/v1.0/robot/groupMessages/send", body, nil)
	}
	body := map[string]any{"robotCode": c.cfg.RobotCode, "userIds": []string{to.ID},
		"msgKey": "sampleMarkdown", "msgParam": string(param)}
	var out struct {
		Invalid   []string `json:"invalidStaffIdList"`
		Throttled []string `json:"flowControlledStaffIdList"`
	}
	if err := c.api.call(ctx, "/v1.0/robot/oToMessages/batchSend", body, &out); err != nil {
		return err
	}
	if len(out.Invalid) > 0 {
		return fmt.Errorf("send to %s: %w", to.ID, ErrUnknownUser)
	}
	if len(out.Throttled) > 0 {
		return fmt.Errorf("send to %s: throttled by DingTalk", to.ID)
	}
	return nil
}

// ErrUnknownUser is returned by Send for a staff id DingTalk does not
// know in this organization (someone who left, say); the core may drop
// that person's subscription as it does for a Telegram chat that blocked
// the bot.
var ErrUnknownUser = errors.New("unknown staff id")

// Download fetches a file sent to the bot: the robot message file API
// turns the message's download code into a short-lived URL, which is
// fetched without the token. Files above Config.MaxDownload are refused.
func (c *Channel) Download(ctx context.Context, f File) ([]byte, error) {
	var out struct {
		DownloadURL string `json:"downloadUrl"`
	}
	body := map[string]string{"downloadCode": f.DownloadCode, "robotCode": c.cfg.RobotCode}
	if err := c.api.call(ctx, "/v1.0/robot/messageFiles/download", body, &out); err != nil {
		return nil, fmt.Errorf("download %s: %w", f.Name, err)
	}
	if out.DownloadURL == "" {
		return nil, fmt.Errorf("download %s: no URL in response", f.Name)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, out.DownloadURL, nil)
	if err != nil {
		return nil, fmt.Errorf("download %s: bad URL", f.Name)
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", f.Name, unwrapURL(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download %s: status %d", f.Name, resp.StatusCode)
	}
	if resp.ContentLength > c.cfg.MaxDownload {
		return nil, fmt.Errorf("download %s: %w (%d bytes)", f.Name, ErrTooLarge, resp.ContentLength)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxDownload+1))
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", f.Name, err)
	}
	if int64(len(data)) > c.cfg.MaxDownload {
		return nil, fmt.Errorf("download %s: %w", f.Name, ErrTooLarge)
	}
	return data, nil
}
