package feishu

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	larkws "github.com/larksuite/oapi-sdk-go/v3/ws"
)

// The fake Feishu: one httptest server playing the long-connection
// bootstrap and gateway (protobuf frames, pings answered with pongs
// carrying the client settings, events pushed, acknowledgements read)
// and the REST routes the channel calls. Every JSON answer carries
// Content-Type: application/json, as Feishu's do (the SDK reads a body
// only then).

const (
	testAppID  = "cli_test_app"
	testSecret = "app-secret-never-logged"
	testBotID  = "ou_bot_self"
)

var fakeSeq atomic.Int64 // tells the tokens of one fake from another's

// delivered is a message the fake accepted.
type delivered struct {
	Op      string // reply or send
	To      string // the message replied to, or the chat
	UUID    string
	Title   string
	Text    string // the post's title and runs, bold ones as **…**
	Content string
}

type fakeFeishu struct {
	tb  testing.TB
	srv *httptest.Server
	id  int64

	mu          sync.Mutex
	conn        *websocket.Conn
	wmu         sync.Mutex
	dials       int
	connected   chan int
	pings       int
	keys        map[string]bool // access keys handed out with endpoints
	tokens      map[string]bool
	tokenCalls  int
	acks        map[string][]int // message id → the codes of its acknowledgements
	ackArrived  chan struct{}
	sent        []delivered
	uuids       map[string]bool
	failReplies int
	replyHold   time.Duration // replies are taken, then answered this late
	withdrawn   map[string]bool
	files       map[string][]byte
	secretsSeen []string
}

func newFakeFeishu(tb testing.TB) *fakeFeishu {
	tb.Helper()
	f := &fakeFeishu{tb: tb, id: fakeSeq.Add(1), connected: make(chan int, 16), keys: map[string]bool{}, tokens: map[string]bool{},
		acks: map[string][]int{}, ackArrived: make(chan struct{}, 1), uuids: map[string]bool{}, withdrawn: map[string]bool{},
		files: map[string][]byte{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /callback/ws/endpoint", f.endpoint)
	mux.HandleFunc("GET /ws", f.gateway)
	mux.HandleFunc("POST /open-apis/auth/v3/tenant_access_token/internal", f.token)
	mux.HandleFunc("GET /open-apis/bot/v3/info", f.withToken(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"code": 0, "msg": "ok", "bot": map[string]string{"open_id": testBotID, "app_name": "督查助手"}})
	}))
	mux.HandleFunc("POST /open-apis/im/v1/messages/{id}/reply", f.withToken(f.reply))
	mux.HandleFunc("POST /open-apis/im/v1/messages", f.withToken(f.create))
	mux.HandleFunc("GET /open-apis/im/v1/messages/{id}/resources/{key}", f.withToken(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		data, ok := f.files[r.PathValue("id")+"/"+r.PathValue("key")]
		f.mu.Unlock()
		if !ok || r.URL.Query().Get("type") != "file" {
			writeJSON(w, 400, map[string]any{"code": 234003, "msg": "File not in msg."})
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(data)
	}))
	f.srv = httptest.NewServer(mux)
	tb.Cleanup(f.close)
	return f
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (f *fakeFeishu) close() {
	f.mu.Lock()
	if f.conn != nil {
		f.conn.Close()
	}
	f.mu.Unlock()
	f.srv.Close()
}

// endpoint is the long connection's bootstrap.
func (f *fakeFeishu) endpoint(w http.ResponseWriter, r *http.Request) {
	var req larkws.BootstrapRequest
	if json.NewDecoder(r.Body).Decode(&req) != nil || req.AppID != testAppID || req.AppSecret != testSecret {
		writeJSON(w, 200, map[string]any{"code": 1000040343 - 3, "msg": "app id or secret invalid"})
		return
	}
	f.mu.Lock()
	key := fmt.Sprintf("ak-%d-%d-secret", f.id, len(f.keys))
	f.keys[key] = true
	f.secretsSeen = append(f.secretsSeen, key)
	f.mu.Unlock()
	writeJSON(w, 200, larkws.EndpointResp{Code: 0, Data: &larkws.Endpoint{
		Url:          "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws?device_id=dev1&service_id=33&access_key=" + key,
		ClientConfig: &larkws.ClientConfig{ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 1, PingInterval: 1},
	}})
}

// gateway upgrades a keyed request, answers pings and reads
// acknowledgements.
func (f *fakeFeishu) gateway(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	ok := f.keys[r.URL.Query().Get("access_key")]
	delete(f.keys, r.URL.Query().Get("access_key"))
	f.mu.Unlock()
	if !ok {
		w.Header().Set(larkws.HeaderHandshakeStatus, "403")
		w.Header().Set(larkws.HeaderHandshakeMsg, "forbidden")
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	f.mu.Lock()
	if f.conn != nil {
		f.conn.Close()
	}
	f.conn = c
	f.dials++
	n := f.dials
	f.mu.Unlock()
	f.connected <- n
	for {
		typ, data, err := c.ReadMessage()
		if err != nil {
			return
		}
		var fr larkws.Frame
		if typ != websocket.BinaryMessage || fr.Unmarshal(data) != nil {
			f.tb.Errorf("gateway got a frame that is not protobuf")
			continue
		}
		hs := larkws.Headers(fr.Headers)
		switch larkws.FrameType(fr.Method) {
		case larkws.FrameTypeControl:
			if hs.GetString(larkws.HeaderType) == string(larkws.MessageTypePing) {
				f.mu.Lock()
				f.pings++
				f.mu.Unlock()
				conf, _ := json.Marshal(larkws.ClientConfig{ReconnectCount: -1, ReconnectInterval: 1, PingInterval: 1})
				pong := larkws.Frame{Method: int32(larkws.FrameTypeControl), Service: fr.Service,
					Headers: []larkws.Header{{Key: larkws.HeaderType, Value: string(larkws.MessageTypePong)}}, Payload: conf}
				f.write(c, pong)
			}
		case larkws.FrameTypeData:
			var resp larkws.Response
			json.Unmarshal(fr.Payload, &resp)
			f.mu.Lock()
			id := hs.GetString(larkws.HeaderMessageID)
			f.acks[id] = append(f.acks[id], resp.StatusCode)
			f.mu.Unlock()
			select {
			case f.ackArrived <- struct{}{}:
			default:
			}
		}
	}
}

func (f *fakeFeishu) write(c *websocket.Conn, fr larkws.Frame) error {
	data, err := fr.Marshal()
	if err != nil {
		return err
	}
	f.wmu.Lock()
	defer f.wmu.Unlock()
	return c.WriteMessage(websocket.BinaryMessage, data)
}

func (f *fakeFeishu) token(w http.ResponseWriter, r *http.Request) {
	var req struct{ AppID, AppSecret string }
	var raw map[string]string
	json.NewDecoder(r.Body).Decode(&raw)
	req.AppID, req.AppSecret = raw["app_id"], raw["app_secret"]
	if req.AppID != testAppID || req.AppSecret != testSecret {
		writeJSON(w, 400, map[string]any{"code": 10014, "msg": "app secret invalid"})
		return
	}
	f.mu.Lock()
	f.tokenCalls++
	tok := fmt.Sprintf("t-%d-%d-secret", f.id, f.tokenCalls)
	f.tokens[tok] = true
	f.secretsSeen = append(f.secretsSeen, tok)
	f.mu.Unlock()
	writeJSON(w, 200, map[string]any{"code": 0, "msg": "ok", "tenant_access_token": tok, "expire": 7200})
}

// withToken checks the tenant access token as Feishu does.
func (f *fakeFeishu) withToken(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		f.mu.Lock()
		ok := f.tokens[tok]
		f.mu.Unlock()
		if !ok {
			writeJSON(w, 400, map[string]any{"code": 99991663, "msg": "Invalid access token for authorization. Please make a request with token attached."})
			return
		}
		h(w, r)
	}
}

// message records a reply or send, at most once per uuid.
func (f *fakeFeishu) message(w http.ResponseWriter, r *http.Request, op, to string) {
	var body struct {
		ReceiveID string `json:"receive_id"`
		MsgType   string `json:"msg_type"`
		Content   string `json:"content"`
		UUID      string `json:"uuid"`
	}
	json.NewDecoder(r.Body).Decode(&body)
	if op == "send" {
		to = body.ReceiveID
	}
	var post map[string]struct {
		Title   string `json:"title"`
		Content [][]struct {
			Tag   string   `json:"tag"`
			Text  string   `json:"text"`
			Style []string `json:"style"`
		} `json:"content"`
	}
	if body.MsgType != "post" || json.Unmarshal([]byte(body.Content), &post) != nil || post["zh_cn"].Content == nil || len(body.Content) > 30<<10 {
		writeJSON(w, 400, map[string]any{"code": 230001, "msg": "invalid message content"})
		return
	}
	var text strings.Builder
	text.WriteString(post["zh_cn"].Title)
	for _, para := range post["zh_cn"].Content {
		text.WriteString("\n")
		for _, el := range para {
			if len(el.Style) > 0 && el.Style[0] == "bold" {
				text.WriteString("**" + el.Text + "**")
			} else {
				text.WriteString(el.Text)
			}
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if body.UUID != "" && f.uuids[op+body.UUID] {
		writeJSON(w, 200, map[string]any{"code": 0, "msg": "success", "data": map[string]string{"message_id": "om_dup"}})
		return
	}
	f.uuids[op+body.UUID] = true
	f.sent = append(f.sent, delivered{Op: op, To: to, UUID: body.UUID, Title: post["zh_cn"].Title, Text: text.String(), Content: body.Content})
	writeJSON(w, 200, map[string]any{"code": 0, "msg": "success", "data": map[string]string{"message_id": "om_bot_" + strconv.Itoa(len(f.sent))}})
}

func (f *fakeFeishu) reply(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	id := r.PathValue("id")
	if f.withdrawn[id] {
		f.mu.Unlock()
		writeJSON(w, 400, map[string]any{"code": 230011, "msg": "The message was withdrawn."})
		return
	}
	if f.failReplies > 0 {
		f.failReplies--
		f.mu.Unlock()
		writeJSON(w, 500, map[string]any{"code": 2200, "msg": "Internal Error"})
		return
	}
	hold := f.replyHold
	f.mu.Unlock()
	if hold <= 0 {
		f.message(w, r, "reply", id)
		return
	}
	rec := httptest.NewRecorder()
	f.message(rec, r, "reply", id)
	select { // Feishu has the message; its answer comes late
	case <-time.After(hold):
	case <-r.Context().Done():
		return
	}
	maps.Copy(w.Header(), rec.Header())
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

func (f *fakeFeishu) create(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("receive_id_type") != "chat_id" {
		writeJSON(w, 400, map[string]any{"code": 99992402, "msg": "field validation failed"})
		return
	}
	f.message(w, r, "send", "")
}

// frames builds the data frames of an event: one, or several parts of it.
func eventFrames(msgID string, event any, parts int) []larkws.Frame {
	payload, _ := json.Marshal(event)
	var out []larkws.Frame
	size := (len(payload) + parts - 1) / parts
	for i := 0; i < parts; i++ {
		part := payload[min(i*size, len(payload)):min((i+1)*size, len(payload))]
		out = append(out, larkws.Frame{SeqID: uint64(i), Method: int32(larkws.FrameTypeData), Service: 33, Payload: part,
			Headers: []larkws.Header{{Key: larkws.HeaderType, Value: string(larkws.MessageTypeEvent)}, {Key: larkws.HeaderMessageID, Value: msgID},
				{Key: larkws.HeaderSum, Value: strconv.Itoa(parts)}, {Key: larkws.HeaderSeq, Value: strconv.Itoa(i)},
				{Key: larkws.HeaderTraceID, Value: "trace-" + msgID}}})
	}
	return out
}

// push sends an event over the connection, in parts frames back to back.
func (f *fakeFeishu) push(frameID string, event any, parts int) {
	f.tb.Helper()
	f.mu.Lock()
	c := f.conn
	f.mu.Unlock()
	if c == nil {
		f.tb.Fatal("push: no connection")
	}
	for _, fr := range eventFrames(frameID, event, parts) {
		if err := f.write(c, fr); err != nil {
			f.tb.Fatalf("push: %v", err)
		}
	}
}

func (f *fakeFeishu) drop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.conn.UnderlyingConn().Close()
}

func (f *fakeFeishu) waitConnected(n int) {
	f.tb.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case got := <-f.connected:
			if got >= n {
				return
			}
		case <-timeout:
			f.tb.Fatalf("connection %d never came", n)
		}
	}
}

// waitAck waits for the acknowledgement of frame id and returns its code.
func (f *fakeFeishu) waitAck(id string) int {
	f.tb.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		f.mu.Lock()
		acks := f.acks[id]
		f.mu.Unlock()
		if len(acks) > 0 {
			return acks[0]
		}
		select {
		case <-f.ackArrived:
		case <-time.After(10 * time.Millisecond):
		}
	}
	f.tb.Fatalf("event %s never acknowledged", id)
	return 0
}

func (f *fakeFeishu) waitSent(n int) delivered {
	f.tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		f.mu.Lock()
		if len(f.sent) >= n {
			d := f.sent[n-1]
			f.mu.Unlock()
			return d
		}
		f.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
	f.tb.Fatalf("message %d never came", n)
	return delivered{}
}

func (f *fakeFeishu) allSent() []delivered {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]delivered{}, f.sent...)
}

// msgEvent is an im.message.receive_v1 event of a text message; chat
// "" is a one-to-one chat. mentionBot @-mentions the bot, other mentions
// someone else.
func msgEvent(eventID, msgID, sender, chat, text string, mentionBot, other bool) map[string]any {
	chatType, chatID := "p2p", "oc_p2p_"+sender
	if chat != "" {
		chatType, chatID = "group", chat
	}
	var mentions []map[string]any
	if mentionBot {
		text = "@_user_1 " + text
		mentions = append(mentions, map[string]any{"key": "@_user_1", "name": "督查助手", "id": map[string]string{"open_id": testBotID}})
	}
	if other {
		text += " @_user_2"
		mentions = append(mentions, map[string]any{"key": "@_user_2", "name": "王科长", "id": map[string]string{"open_id": "ou_wang"}})
	}
	content, _ := json.Marshal(map[string]string{"text": text})
	return map[string]any{
		"schema": "2.0",
		"header": map[string]any{"event_id": eventID, "event_type": "im.message.receive_v1", "create_time": fmt.Sprint(time.Now().UnixMilli()),
			"token": "", "app_id": testAppID, "tenant_key": "tenant1"},
		"event": map[string]any{
			"sender": map[string]any{"sender_id": map[string]string{"open_id": sender, "union_id": "on_x", "user_id": "u1"},
				"sender_type": "user", "tenant_key": "tenant1"},
			"message": map[string]any{"message_id": msgID, "chat_id": chatID, "chat_type": chatType, "message_type": "text",
				"content": string(content), "mentions": mentions, "create_time": fmt.Sprint(time.Now().UnixMilli())},
		},
	}
}

// testConfig is a Config for the fake with short timings.
func testConfig(f *fakeFeishu, logs io.Writer) Config {
	if logs == nil {
		logs = io.Discard
	}
	return Config{
		AppID: testAppID, AppSecret: testSecret, Domain: f.srv.URL + "/", Admins: map[string]bool{"ou_admin": true},
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 80 * time.Millisecond, MaxDownload: 1 << 20,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
}

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

// startChannel runs a channel against the fake until the test ends.
func startChannel(tb testing.TB, f *fakeFeishu, cfg Config, h Handler) *Channel {
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
