package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/assignbot/assignbot/bot/web"
)

func TestServeNeedsAChannel(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	if _, err := runCmd(t, map[string]string{"DATA_DIR": data}, "serve"); !errors.Is(err, errNoChannel) {
		t.Errorf("no channel: %v, want errNoChannel", err)
	}
	if _, err := runCmd(t, map[string]string{"DATA_DIR": data, "WEB_ADDR": "127.0.0.1:0"}, "serve"); !errors.Is(err, web.ErrNoToken) {
		t.Errorf("WEB_ADDR without WEB_TOKEN: %v, want web.ErrNoToken", err)
	}
	// Checked before Telegram is contacted (the token here is not real).
	env := map[string]string{"DATA_DIR": data, "WEB_ADDR": "127.0.0.1:0", "WEB_TOKEN": "short", "TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_API_URL": "http://127.0.0.1:1"}
	if _, err := runCmd(t, env, "serve"); err == nil || !strings.Contains(err.Error(), "WEB_TOKEN is too short") {
		t.Errorf("a short WEB_TOKEN: %v", err)
	}
}

// TestServeWebOnly: serve with WEB_ADDR and no chat token serves the
// admin page over the built-in samples and stops with its context.
func TestServeWebOnly(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	const token = "serve-test-token-0123456789"
	env := map[string]string{"DATA_DIR": t.TempDir(), "WEB_ADDR": addr, "WEB_TOKEN": token}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard)
	}()
	get := func(auth string) (int, string) {
		req, _ := http.NewRequest("GET", "http://"+addr+"/", nil)
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	deadline := time.Now().Add(30 * time.Second)
	code, body := 0, ""
	for time.Now().Before(deadline) {
		if code, body = get(token); code == http.StatusOK {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve returned early: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	if code != http.StatusOK || !strings.Contains(body, "武政办〔2021〕22号") || !strings.Contains(body, "没有运行聊天渠道") {
		t.Fatalf("overview: status %d\n%.300s", code, body)
	}
	if code, _ := get(""); code != http.StatusUnauthorized {
		t.Errorf("without the token: %d", code)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}
