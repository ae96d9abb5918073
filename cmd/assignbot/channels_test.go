package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	larkws "github.com/larksuite/oapi-sdk-go/v3/ws"
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
	t.Parallel()
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
	time.Sleep(200 * time.Millisecond) // the reply's answer reaches the bot: nothing left for the next start
	stop()
	if out := stdout.String(); !strings.Contains(out, "running on WeCom") || strings.Contains(out, "Telegram") || strings.Contains(out, "DingTalk") {
		t.Errorf("stdout:\n%s", out)
	}
	if log := stderr.String(); !strings.Contains(log, "channels=wecom") || strings.Contains(log, secret) || strings.Contains(log, "left in the outbox") {
		t.Errorf("log:\n%s", log)
	}
}

// TestServeFeishuOnly: serve with only the Feishu settings runs Feishu
// alone: it opens the long connection through FEISHU_DOMAIN, answers an
// event at once, replies through the REST API, and never logs the secret.
func TestServeFeishuOnly(t *testing.T) {
	t.Parallel()
	const secret = "feishu-secret-never-logged"
	connected := make(chan *websocket.Conn, 4)
	acks := make(chan string, 4)
	replies := make(chan string, 4)
	var srv *httptest.Server
	jsonAnswer := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /callback/ws/endpoint", func(w http.ResponseWriter, r *http.Request) {
		var req larkws.BootstrapRequest
		json.NewDecoder(r.Body).Decode(&req)
		if req.AppID != "cli_serve" || req.AppSecret != secret {
			jsonAnswer(w, map[string]any{"code": 1000040337, "msg": "invalid app"})
			return
		}
		jsonAnswer(w, larkws.EndpointResp{Data: &larkws.Endpoint{Url: "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws?service_id=1&access_key=k",
			ClientConfig: &larkws.ClientConfig{PingInterval: 30}}})
	})
	mux.HandleFunc("GET /ws", func(w http.ResponseWriter, r *http.Request) {
		c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		connected <- c
		for {
			_, data, err := c.ReadMessage()
			if err != nil {
				return
			}
			var f larkws.Frame
			if f.Unmarshal(data) == nil && f.Method == int32(larkws.FrameTypeData) {
				acks <- larkws.Headers(f.Headers).GetString(larkws.HeaderMessageID) + " " + string(f.Payload)
			}
		}
	})
	mux.HandleFunc("POST /open-apis/auth/v3/tenant_access_token/internal", func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, map[string]any{"code": 0, "tenant_access_token": "t-serve", "expire": 7200})
	})
	mux.HandleFunc("POST /open-apis/im/v1/messages/{id}/reply", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		replies <- r.PathValue("id") + " " + r.Header.Get("Authorization") + " " + string(body)
		jsonAnswer(w, map[string]any{"code": 0, "data": map[string]string{"message_id": "om_r"}})
	})
	srv = httptest.NewServer(mux)
	defer srv.Close()

	env := map[string]string{"DATA_DIR": t.TempDir(), "FEISHU_APP_ID": "cli_serve", "FEISHU_APP_SECRET": secret,
		"FEISHU_DOMAIN": srv.URL, "FEISHU_ADMIN_IDS": "ou_admin"}
	stdout, stderr, stop := serveUntil(t, env)
	var conn *websocket.Conn
	select {
	case conn = <-connected:
	case <-time.After(20 * time.Second):
		t.Fatalf("serve never connected; log:\n%s", stderr.String())
	}
	content, _ := json.Marshal(map[string]string{"text": "/help"})
	event, _ := json.Marshal(map[string]any{"schema": "2.0",
		"header": map[string]any{"event_id": "ev1", "event_type": "im.message.receive_v1", "app_id": "cli_serve"},
		"event": map[string]any{"sender": map[string]any{"sender_id": map[string]string{"open_id": "ou_u"}, "sender_type": "user"},
			"message": map[string]any{"message_id": "om_1", "chat_id": "oc_1", "chat_type": "p2p", "message_type": "text", "content": string(content)}}})
	frame := larkws.Frame{Method: int32(larkws.FrameTypeData), Service: 1, Payload: event, Headers: []larkws.Header{
		{Key: larkws.HeaderType, Value: "event"}, {Key: larkws.HeaderMessageID, Value: "f1"}, {Key: larkws.HeaderSum, Value: "1"}, {Key: larkws.HeaderSeq, Value: "0"}}}
	data, _ := frame.Marshal()
	conn.WriteMessage(websocket.BinaryMessage, data)
	select {
	case a := <-acks:
		if !strings.HasPrefix(a, "f1 ") || !strings.Contains(a, `"code":200`) {
			t.Errorf("ack %s", a)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the event was not acknowledged")
	}
	select {
	case r := <-replies:
		if !strings.HasPrefix(r, "om_1 Bearer t-serve ") || !strings.Contains(r, `\"tag\":\"text\"`) {
			t.Errorf("reply %s", r)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no reply; log:\n%s", stderr.String())
	}
	stop()
	if out := stdout.String(); !strings.Contains(out, "running on Feishu") || strings.Contains(out, "WeCom") || strings.Contains(out, "DingTalk") {
		t.Errorf("stdout:\n%s", out)
	}
	if log := stderr.String(); !strings.Contains(log, "channels=feishu") || strings.Contains(log, secret) {
		t.Errorf("log:\n%s", log)
	}
}

// TestServeChannelMix: with DingTalk, WeCom and Feishu all configured,
// serve starts the three (their platforms unreachable here: each keeps
// reconnecting) and logs which run.
func TestServeChannelMix(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATA_DIR": t.TempDir(),
		"DINGTALK_CLIENT_ID": "ding-mix", "DINGTALK_CLIENT_SECRET": "mix-secret-1", "DINGTALK_API_URL": "http://127.0.0.1:1",
		"WECOM_BOT_ID": "aib-mix", "WECOM_BOT_SECRET": "mix-secret-2", "WECOM_WS_URL": "ws://127.0.0.1:1",
		"FEISHU_APP_ID": "cli_mix", "FEISHU_APP_SECRET": "mix-secret-3", "FEISHU_DOMAIN": "http://127.0.0.1:1"}
	stdout, stderr, stop := serveUntil(t, env)
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(stderr.String(), "channels running") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // a few reconnections
	stop()
	log := stderr.String()
	if !strings.Contains(log, "channels=dingtalk,wecom,feishu") {
		t.Errorf("log does not name the three channels:\n%s", log)
	}
	for _, s := range []string{"mix-secret-1", "mix-secret-2", "mix-secret-3"} {
		if strings.Contains(log, s) {
			t.Errorf("log shows %q", s)
		}
	}
	out := stdout.String()
	for _, want := range []string{"DingTalk", "WeCom", "Feishu"} {
		if !strings.Contains(out, "running on "+want) {
			t.Errorf("stdout does not say %s runs:\n%s", want, out)
		}
	}
}
