package dingtalk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/assignbot/assignbot/bot"
)

// The OpenAPI (api.dingtalk.com, or Config.APIURL): an app access token
// from /v1.0/oauth2/accessToken, sent as x-acs-dingtalk-access-token on
// every other call. Failures answer a non-200 status with
// {"code","message"}; a token that expired or was revoked answers
// InvalidAuthentication (400 or 401), and is fetched again once.

// maxAPIResponse caps an OpenAPI response body read into memory.
const maxAPIResponse = 1 << 20

// APIError is an OpenAPI call DingTalk refused.
type APIError struct {
	Path    string
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("dingtalk %s: %d %s: %s", e.Path, e.Status, e.Code, e.Message)
}

// tokenRejected reports whether the call failed for its access token.
func (e *APIError) tokenRejected() bool {
	return e.Status == http.StatusUnauthorized || e.Code == "InvalidAuthentication"
}

// temporary reports whether the same call may succeed later.
func (e *APIError) temporary() bool {
	return e.Status == http.StatusTooManyRequests || e.Status >= 500 || e.Code == "Throttling"
}

// openAPI calls DingTalk's OpenAPI with a cached access token.
type openAPI struct {
	cfg Config

	mu      sync.Mutex // held while a token is fetched, so only one fetch runs
	token   string
	expires time.Time
}

// accessToken returns the cached token, fetching one when there is none
// or it expires within a few minutes.
func (a *openAPI) accessToken(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token != "" && a.cfg.Now().Before(a.expires) {
		return a.token, nil
	}
	var resp struct {
		AccessToken string `json:"accessToken"`
		ExpireIn    int64  `json:"expireIn"` // seconds, 7200 today
	}
	req := map[string]string{"appKey": a.cfg.ClientID, "appSecret": a.cfg.ClientSecret}
	if err := a.post(ctx, "/v1.0/oauth2/accessToken", "", req, &resp); err != nil {
		return "", fmt.Errorf("access token: %w", err)
	}
	if resp.AccessToken == "" {
		return "", errors.New("access token: empty in response")
	}
	life := time.Duration(resp.ExpireIn) * time.Second
	if life <= 0 {
		life = 2 * time.Hour
	}
	a.token, a.expires = resp.AccessToken, a.cfg.Now().Add(life-min(5*time.Minute, life/10))
	return a.token, nil
}

// forget drops token if it is still the cached one.
func (a *openAPI) forget(token string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token == token {
		a.token = ""
	}
}

// call POSTs body to path with the access token and decodes the answer
// into out. A rejected token is fetched again once; throttling, server
// errors and network failures are retried with backoff.
func (a *openAPI) call(ctx context.Context, path string, body, out any) error {
	refreshed := false
	backoff := a.cfg.MinBackoff
	for attempt := 1; ; attempt++ {
		token, err := a.accessToken(ctx)
		if err == nil {
			err = a.post(ctx, path, token, body, out)
		}
		if err == nil {
			return nil
		}
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.tokenRejected() && token != "" && !refreshed {
			a.forget(token)
			refreshed = true
			continue
		}
		if attempt >= a.cfg.SendAttempts || !temporary(err) || ctx.Err() != nil {
			return err
		}
		if !bot.Sleep(ctx, backoff) {
			return ctx.Err()
		}
		backoff *= 2
	}
}

// post sends one JSON request.
func (a *openAPI) post(ctx context.Context, path, token string, body, out any) error {
	payload, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.cfg.APIURL+path, bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("x-acs-dingtalk-access-token", token)
	}
	var attempt bot.Attempt
	resp, err := a.cfg.HTTPClient.Do(req.WithContext(attempt.Context(ctx)))
	if err != nil {
		return uncertain(&attempt, fmt.Errorf("%s: %w", path, unwrapURL(err)))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAPIResponse))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		e := &APIError{Path: path, Status: resp.StatusCode}
		var body struct{ Code, Message string }
		if json.Unmarshal(data, &body) == nil {
			e.Code, e.Message = body.Code, body.Message
		}
		return e
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s: decode: %w", path, err)
		}
	}
	return nil
}

// UncertainError is a send whose request went out and got no response (a
// timeout, a connection cut): DingTalk may have delivered it. It is not
// tried again at once, nor through the other route (webhook, OpenAPI); the
// outbox tries it again after its UncertainWait.
type UncertainError struct{ Err error }

func (e *UncertainError) Error() string {
	return "outcome unknown (sent, no response): " + e.Err.Error()
}
func (e *UncertainError) Unwrap() error { return e.Err }

// uncertain wraps err when attempt's request went out unanswered.
func uncertain(attempt *bot.Attempt, err error) error {
	if err != nil && attempt.Uncertain() {
		return &UncertainError{Err: err}
	}
	return err
}

// temporary reports whether err may pass on a later try: throttling,
// server errors and failures to reach the server.
func temporary(err error) bool {
	var unc *UncertainError
	if errors.As(err, &unc) {
		return false // it may have passed already
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.temporary()
	}
	var hookErr *WebhookError
	if errors.As(err, &hookErr) {
		return hookErr.temporary()
	}
	return !errors.Is(err, ErrTooLarge) // callers check their context themselves
}

// unwrapURL drops the URL net/http puts in its errors: a session webhook's
// or a download's URL is itself a credential and must not reach the logs.
func unwrapURL(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return fmt.Errorf("%s: %w", urlErr.Op, urlErr.Err)
	}
	return err
}
