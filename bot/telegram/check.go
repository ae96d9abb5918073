package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// ErrTokenRejected is Check's error when the Bot API refuses the token
// (401 Unauthorized or 404 Not Found: revoked, mistyped, or another bot's).
var ErrTokenRejected = errors.New("the Bot API refused the token")

// Check asks the Bot API who the token belongs to (getMe) and returns the
// bot's @username without the @. It is what `assignbot doctor` runs; it
// starts nothing. An error never shows the token.
func Check(ctx context.Context, token, apiURL string, client *http.Client) (string, error) {
	if strings.TrimSpace(token) == "" {
		return "", ErrNoToken
	}
	if apiURL == "" {
		apiURL = "https://api.telegram.org"
	}
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(apiURL, "/")+"/bot"+token+"/getMe", nil)
	if err != nil {
		return "", hideSecrets(err, token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", hideSecrets(err, token)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", hideSecrets(err, token)
	}
	var r struct {
		OK     bool `json:"ok"`
		Result struct {
			Username string `json:"username"`
		} `json:"result"`
		Description string `json:"description"`
	}
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusNotFound {
		return "", fmt.Errorf("getMe: HTTP %d: %w", resp.StatusCode, ErrTokenRejected)
	}
	if err := json.Unmarshal(data, &r); err != nil {
		// A proxy's error page, not the Bot API: its text may echo the URL.
		return "", fmt.Errorf("getMe: HTTP %d: not a Bot API response", resp.StatusCode)
	}
	if !r.OK {
		return "", hideSecrets(fmt.Errorf("getMe: HTTP %d: %s", resp.StatusCode, r.Description), token)
	}
	return r.Result.Username, nil
}
