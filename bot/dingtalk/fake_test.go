package dingtalk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/payload"
)

// The fake DingTalk: one httptest server playing the stream gateway
// (POST /v1.0/gateway/connections/open, then a WebSocket speaking the
// SDK's data frames), the OpenAPI routes the channel calls, the session
// webhooks and the file store behind download URLs.

const (
	testClientID = "ding-app-key"
	testSecret   = "app-secret-never-logged"
)

type fakeDingTalk struct {
	tb  testing.TB
	srv *httptest.Server

	mu          sync.Mutex
	conn        *websocket.Conn
	opens       []payload.ConnectionEndpointRequest
	tickets     map[string]bool
	dials       int
	connected   chan int // the number of each new stream connection
	silent      bool     // stop answering WebSocket pings (a half-open connection)
	acks        map[string][]payload.DataFrameResponse
	ackArrived  chan struct{}
	tokens      map[string]bool // tokens the fake still accepts
	tokenCalls  int
	hookFails   int // webhook calls still to answer 500
	hookCalls   []map[string]any
	hookStatus  int           // when set, every webhook call answers this
	hookHold    time.Duration // webhook calls take the message, then answer this late
	groupSends  []map[string]any
	otoSends    []map[string]any
	files       map[string][]byte // download code → content
	secretsSeen []string          // tokens, tickets and webhook sessions handed out
}

func newFakeDingTalk(tb testing.TB) *fakeDingTalk {
	tb.Helper()
	f := &fakeDingTalk{tb: tb, tickets: map[string]bool{}, connected: make(chan int, 16),
		acks: map[string][]payload.DataFrameResponse{}, ackArrived: make(chan struct{}, 1),
		tokens: map[string]bool{}, files: map[string][]byte{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1.0/gateway/connections/open", f.open)
	mux.HandleFunc("GET /gateway", f.gateway)
	mux.HandleFunc("POST /v1.0/oauth2/accessToken", f.accessToken)
	mux.HandleFunc("POST /v1.0/robot/groupMessages/send", f.withToken(func(body map[string]any) any {
		f.groupSends = append(f.groupSends, body)
		return map[string]string{"processQueryKey": "pqk"}
	}))
	mux.HandleFunc("POST /v1.0/robot/oToMessages/batchSend", f.withToken(func(body map[string]any) any {
		f.otoSends = append(f.otoSends, body)
		return map[string]any{"processQueryKey": "pqk", "invalidStaffIdList": []string{}}
	}))
	mux.HandleFunc("POST /v1.0/robot/messageFiles/download", f.withToken(func(body map[string]any) any {
		code, _ := body["downloadCode"].(string)
		if _, ok := f.files[code]; !ok || body["robotCode"] != testClientID {
			return nil
		}
		return map[string]string{"downloadUrl": f.srv.URL + "/files/" + code + "?sig=presigned"}
	}))
	mux.HandleFunc("GET /files/{code}", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		data, ok := f.files[r.PathValue("code")]
		f.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	})
	mux.HandleFunc("POST /webhook/{session}", f.webhook)
	f.srv = httptest.NewServer(mux)
	tb.Cleanup(f.close)
	return f
}

func (f *fakeDingTalk) close() {
	f.mu.Lock()
	if f.conn != nil {
		f.conn.Close()
	}
	f.mu.Unlock()
	f.srv.Close()
}

// open is the gateway handshake: credentials in, endpoint and ticket out.
func (f *fakeDingTalk) open(w http.ResponseWriter, r *http.Request) {
	var req payload.ConnectionEndpointRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.ClientId != testClientID || req.ClientSecret != testSecret {
		http.Error(w, `{"code":"InvalidAuthentication","message":"bad credentials"}`, http.StatusUnauthorized)
		return
	}
	f.mu.Lock()
	f.opens = append(f.opens, req)
	ticket := fmt.Sprintf("ticket-%d-secret", len(f.opens))
	f.tickets[ticket] = true
	f.secretsSeen = append(f.secretsSeen, ticket)
	f.mu.Unlock()
	json.NewEncoder(w).Encode(payload.ConnectionEndpointResponse{
		Endpoint: "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gateway", Ticket: ticket})
}

// gateway upgrades a ticketed request and reads its acknowledgements.
func (f *fakeDingTalk) gateway(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	ok := f.tickets[r.URL.Query().Get("ticket")]
	delete(f.tickets, r.URL.Query().Get("ticket")) // one use each
	f.mu.Unlock()
	if !ok {
		http.Error(w, "bad ticket", http.StatusForbidden)
		return
	}
	conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	conn.SetPingHandler(func(data string) error {
		f.mu.Lock()
		silent := f.silent
		f.mu.Unlock()
		if silent {
			return nil
		}
		return conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	f.mu.Lock()
	if f.conn != nil {
		f.conn.Close()
	}
	f.conn = conn
	f.silent = false
	f.dials++
	n := f.dials
	f.mu.Unlock()
	f.connected <- n
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		var ack payload.DataFrameResponse
		if err := json.Unmarshal(data, &ack); err != nil {
			f.tb.Errorf("gateway got a frame that is not a response: %s", data)
			continue
		}
		f.mu.Lock()
		id := ack.Headers[payload.DataFrameHeaderKMessageId]
		f.acks[id] = append(f.acks[id], ack)
		f.mu.Unlock()
		select {
		case f.ackArrived <- struct{}{}:
		default:
		}
	}
}

func (f *fakeDingTalk) accessToken(w http.ResponseWriter, r *http.Request) {
	var req struct{ AppKey, AppSecret string }
	if json.NewDecoder(r.Body).Decode(&req) != nil || req.AppKey != testClientID || req.AppSecret != testSecret {
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"code":"invalidClientIdOrSecret","message":"无效的clientId或者clientSecret"}`))
		return
	}
	f.mu.Lock()
	f.tokenCalls++
	token := fmt.Sprintf("token-%d-secret", f.tokenCalls)
	f.tokens[token] = true
	f.secretsSeen = append(f.secretsSeen, token)
	f.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]any{"accessToken": token, "expireIn": 7200})
}

// withToken checks the access token as DingTalk does (a revoked or
// unknown one answers 400 InvalidAuthentication) and records the body.
// A nil answer from h is a 400 with a parameter error.
func (f *fakeDingTalk) withToken(h func(body map[string]any) any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if !f.tokens[r.Header.Get("x-acs-dingtalk-access-token")] {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"code":"InvalidAuthentication","requestid":"r1","message":"不合法的access_token"}`))
			return
		}
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, `{"code":"InvalidParameter"}`, http.StatusBadRequest)
			return
		}
		ans := h(body)
		if ans == nil {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"code":"InvalidParameter","message":"bad request"}`))
			return
		}
		json.NewEncoder(w).Encode(ans)
	}
}

func (f *fakeDingTalk) webhook(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	json.NewDecoder(r.Body).Decode(&body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hookCalls = append(f.hookCalls, body)
	if hold := f.hookHold; hold > 0 {
		f.mu.Unlock()
		select { // DingTalk has the message; its answer comes late
		case <-time.After(hold):
		case <-r.Context().Done():
		}
		f.mu.Lock()
	}
	if f.hookStatus != 0 {
		w.WriteHeader(f.hookStatus)
		return
	}
	if f.hookFails > 0 {
		f.hookFails--
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"errcode":-1,"errmsg":"系统繁忙"}`))
		return
	}
	w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
}

// hookURL is a session webhook on the fake.
func (f *fakeDingTalk) hookURL(session string) string {
	f.mu.Lock()
	f.secretsSeen = append(f.secretsSeen, session)
	f.mu.Unlock()
	return f.srv.URL + "/webhook/" + session
}

// push writes a frame to the current stream connection.
func (f *fakeDingTalk) push(df payload.DataFrame) {
	f.tb.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conn == nil {
		f.tb.Fatal("push: no stream connection")
	}
	if err := f.conn.WriteJSON(df); err != nil {
		f.tb.Fatalf("push: %v", err)
	}
}

// drop cuts the stream connection without a close frame.
func (f *fakeDingTalk) drop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.conn.UnderlyingConn().Close()
}

// goSilent stops answering pings, as a connection whose peer vanished.
func (f *fakeDingTalk) goSilent() {
	f.mu.Lock()
	f.silent = true
	f.mu.Unlock()
}

// waitConnected waits for stream connection number n.
func (f *fakeDingTalk) waitConnected(n int) {
	f.tb.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case got := <-f.connected:
			if got >= n {
				return
			}
		case <-timeout:
			f.tb.Fatalf("stream connection %d never came", n)
		}
	}
}

// waitAck waits for the acknowledgement of message id.
func (f *fakeDingTalk) waitAck(id string) payload.DataFrameResponse {
	f.tb.Helper()
	timeout := time.After(5 * time.Second)
	for {
		f.mu.Lock()
		acks := f.acks[id]
		f.mu.Unlock()
		if len(acks) > 0 {
			return acks[0]
		}
		select {
		case <-f.ackArrived:
		case <-time.After(20 * time.Millisecond):
		case <-timeout:
			f.tb.Fatalf("frame %s never acknowledged", id)
		}
	}
}

// ackCount is how many acknowledgements message id got.
func (f *fakeDingTalk) ackCount(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.acks[id])
}

// frame builds a data frame as the gateway sends it.
func frame(typ, topic, id string, data any) payload.DataFrame {
	s, ok := data.(string)
	if !ok {
		b, _ := json.Marshal(data)
		s = string(b)
	}
	now := time.Now().UnixMilli()
	return payload.DataFrame{SpecVersion: "1.0", Type: typ, Time: now, Data: s,
		Headers: payload.DataFrameHeader{"topic": topic, "messageId": id, "contentType": "application/json",
			"time": fmt.Sprint(now), "appId": "app-1"}}
}

// robotFrame is a robot message callback.
func robotFrame(id string, msg map[string]any) payload.DataFrame {
	return frame("CALLBACK", payload.BotMessageCallbackTopic, id, msg)
}

// privateText is a one-to-one text message as DingTalk sends it.
func privateText(msgID, text, hook string) map[string]any {
	return map[string]any{
		"conversationId": "cidPrivate==", "conversationType": "1", "msgId": msgID, "msgtype": "text",
		"senderStaffId": "staff-001", "senderNick": "张科长", "senderId": "$:LWCP_v1:$abc",
		"chatbotUserId": "$:LWCP_v1:$bot", "isInAtList": true,
		"sessionWebhook": hook, "sessionWebhookExpiredTime": time.Now().Add(90 * time.Minute).UnixMilli(),
		"createAt": time.Now().UnixMilli(), "text": map[string]any{"content": text},
	}
}

// groupText is a group text message; atBot says whether it @-mentions the bot.
func groupText(msgID, text, hook string, atBot bool) map[string]any {
	m := privateText(msgID, text, hook)
	m["conversationId"], m["conversationType"], m["conversationTitle"] = "cidGroup123==", "2", "督查室工作群"
	m["isInAtList"] = atBot
	if atBot {
		m["atUsers"] = []map[string]string{{"dingtalkId": "$:LWCP_v1:$bot"}}
	}
	return m
}

// testConfig is a Config for the fake with short timings.
func testConfig(f *fakeDingTalk, logs *logBuffer) Config {
	var w io.Writer = io.Discard
	if logs != nil {
		w = logs
	}
	return Config{
		ClientID: testClientID, ClientSecret: testSecret, APIURL: f.srv.URL + "/",
		Admins:    map[string]bool{"staff-admin": true},
		KeepAlive: 150 * time.Millisecond, MinBackoff: 10 * time.Millisecond, MaxBackoff: 80 * time.Millisecond,
		MaxDownload: 1 << 10,
		Logger:      slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
}

// logBuffer collects the logs of several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// startChannel runs a channel against the fake until the test ends, and
// waits for its first stream connection.
func startChannel(tb testing.TB, f *fakeDingTalk, cfg Config, h Handler) *Channel {
	tb.Helper()
	ch, err := New(cfg, h)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		ch.Run(ctx)
	}()
	tb.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			tb.Error("Run did not return after cancel")
		}
	})
	f.waitConnected(1)
	return ch
}

// received collects handled messages.
type received chan Incoming

func (r received) handler(_ context.Context, m Incoming) { r <- m }

func (r received) next(tb testing.TB) Incoming {
	tb.Helper()
	select {
	case m := <-r:
		return m
	case <-time.After(5 * time.Second):
		tb.Fatal("no message reached the handler")
		return Incoming{}
	}
}

func (r received) none(tb testing.TB, d time.Duration) {
	tb.Helper()
	select {
	case m := <-r:
		tb.Fatalf("unexpected message reached the handler: %+v", m)
	case <-time.After(d):
	}
}
