package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// syncBuffer is a buffer several goroutines write.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serveUntil runs serve with env until stop is called, and returns what it
// printed and logged.
func serveUntil(t *testing.T, env map[string]string) (stdout, stderr *syncBuffer, stop func()) {
	t.Helper()
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), stdout, stderr)
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve: %v", err)
				}
			case <-time.After(15 * time.Second):
				t.Error("serve did not stop")
			}
		})
	}
	t.Cleanup(stop)
	return stdout, stderr, stop
}

// TestServeWeComOnly: serve with only the WeCom settings runs WeCom
// alone: it subscribes on WECOM_WS_URL with the bot's credentials,
// answers a message on its req_id, and never logs the secret.
func TestServeWeComOnly(t *testing.T) {
	const secret = "wecom-secret-never-logged"
	subscribed := make(chan map[string]string, 4)
	replies := make(chan string, 4)
	var connMu sync.Mutex
	var conn *websocket.Conn
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			var f struct {
				Cmd     string            `json:"cmd"`
				Headers map[string]string `json:"headers"`
				Body    json.RawMessage   `json:"body"`
			}
			if c.ReadJSON(&f) != nil {
				return
			}
			connMu.Lock()
			conn = c
			c.WriteJSON(map[string]any{"headers": f.Headers, "errcode": 0, "errmsg": "ok"})
			connMu.Unlock()
			switch f.Cmd {
			case "aibot_subscribe":
				var creds map[string]string
				json.Unmarshal(f.Body, &creds)
				subscribed <- creds
			case "aibot_respond_msg":
				replies <- f.Headers["req_id"] + " " + string(f.Body)
			}
		}
	}))
	defer srv.Close()
	env := map[string]string{"DATA_DIR": t.TempDir(), "WECOM_BOT_ID": "aib-serve", "WECOM_BOT_SECRET": secret,
		"WECOM_WS_URL": "ws" + strings.TrimPrefix(srv.URL, "http"), "WECOM_ADMIN_IDS": "admin01"}
	stdout, stderr, stop := serveUntil(t, env)
	select {
	case creds := <-subscribed:
		if creds["bot_id"] != "aib-serve" || creds["secret"] != secret {
			t.Errorf("subscription %v", creds)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("serve never subscribed; log:\n%s", stderr.String())
	}
	connMu.Lock()
	conn.WriteJSON(map[string]any{"cmd": "aibot_msg_callback", "headers": map[string]string{"req_id": "req-serve-1"},
		"body": map[string]any{"msgid": "m1", "chattype": "single", "from": map[string]string{"userid": "u1"}, "msgtype": "text",
			"text": map[string]string{"content": "/help"}}})
	connMu.Unlock()
	select {
	case r := <-replies:
		if !strings.HasPrefix(r, "req-serve-1 ") || !strings.Contains(r, "@我") {
			t.Errorf("reply %s", r)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no reply; log:\n%s", stderr.String())
	}
	stop()
	if out := stdout.String(); !strings.Contains(out, "running on WeCom") || strings.Contains(out, "Telegram") || strings.Contains(out, "DingTalk") {
		t.Errorf("stdout:\n%s", out)
	}
	if log := stderr.String(); !strings.Contains(log, "channels=wecom") || strings.Contains(log, secret) {
		t.Errorf("log:\n%s", log)
	}
}
