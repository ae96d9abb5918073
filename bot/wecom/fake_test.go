package wecom

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
)

// The fake WeCom: one httptest server playing the long-connection
// gateway (a WebSocket speaking {cmd, headers, body} frames, answering
// subscriptions, pings, replies and pushes as WeCom does) and the file
// store behind download URLs.

const (
	testBotID  = "aib-test-bot"
	testSecret = "bot-secret-never-logged"
)

// sent is a reply or push the fake accepted.
type sent struct {
	Cmd      string
	ReqID    string
	ChatID   string // push
	StreamID string // reply
	Content  string
}

type fakeWeCom struct {
	tb  testing.TB
	srv *httptest.Server

	mu          sync.Mutex
	conn        *websocket.Conn
	wmu         sync.Mutex // one writer on conn
	dials       int
	connected   chan int
	silent      bool // stop answering pings
	subscribes  []map[string]string
	pings       int
	callbacks   map[string]bool // req_ids of callbacks pushed
	sent        []sent
	refusals    []string        // every answer with a non-zero errcode, as cmd:errcode
	failReplies int             // replies still to answer errcode -1
	holdAnswers bool            // take replies and pushes, never answer them
	expired     map[string]bool // req_ids whose replies answer "expired"
	files       map[string][]byte
	names       map[string]string
	frames      [][]byte // every frame the bot wrote
}

func newFakeWeCom(tb testing.TB) *fakeWeCom {
	tb.Helper()
	f := &fakeWeCom{tb: tb, connected: make(chan int, 16), callbacks: map[string]bool{}, expired: map[string]bool{},
		files: map[string][]byte{}, names: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /", f.gateway)
	mux.HandleFunc("GET /files/{code}", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		data, ok := f.files[r.PathValue("code")]
		name := f.names[r.PathValue("code")]
		f.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		if name != "" {
			w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+pathEscape(name))
		}
		w.Write(data)
	})
	f.srv = httptest.NewServer(mux)
	tb.Cleanup(f.close)
	return f
}

func pathEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.') {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func (f *fakeWeCom) close() {
	f.mu.Lock()
	if f.conn != nil {
		f.conn.Close()
	}
	f.mu.Unlock()
	f.srv.Close()
}

func (f *fakeWeCom) wsURL() string { return "ws" + strings.TrimPrefix(f.srv.URL, "http") }

// answer writes the answer frame of a request.
func (f *fakeWeCom) answer(c *websocket.Conn, reqID string, code int, msg string) {
	f.wmu.Lock()
	defer f.wmu.Unlock()
	c.WriteJSON(map[string]any{"headers": map[string]string{"req_id": reqID}, "errcode": code, "errmsg": msg})
}

// gateway is the long connection: it wants a subscription first, then
// answers every request by its req_id. A new connection takes over: the
// old one gets disconnected_event and is closed, as WeCom does.
func (f *fakeWeCom) gateway(w http.ResponseWriter, r *http.Request) {
	c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	var first frame
	if err := c.ReadJSON(&first); err != nil || first.Cmd != cmdSubscribe {
		c.Close()
		return
	}
	var creds map[string]string
	json.Unmarshal(first.Body, &creds)
	f.mu.Lock()
	f.subscribes = append(f.subscribes, creds)
	f.mu.Unlock()
	if creds["bot_id"] != testBotID || creds["secret"] != testSecret {
		f.answer(c, first.Headers.ReqID, 40014, "invalid bot_id or secret")
		c.Close()
		return
	}
	f.mu.Lock()
	if old := f.conn; old != nil {
		f.wmu.Lock()
		old.WriteJSON(map[string]any{"cmd": cmdEvent, "headers": map[string]string{"req_id": "evt-takeover"},
			"body": map[string]any{"msgid": "evt-1", "msgtype": "event", "event": map[string]string{"eventtype": "disconnected_event"}}})
		f.wmu.Unlock()
		old.Close()
	}
	f.conn = c
	f.silent = false
	f.dials++
	n := f.dials
	f.mu.Unlock()
	f.answer(c, first.Headers.ReqID, 0, "ok")
	f.connected <- n
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			return
		}
		var fr frame
		if err := json.Unmarshal(data, &fr); err != nil {
			f.tb.Errorf("gateway got a frame that is not JSON: %s", data)
			continue
		}
		f.mu.Lock()
		f.frames = append(f.frames, data)
		f.mu.Unlock()
		f.request(c, fr)
	}
}

// request answers one request frame.
func (f *fakeWeCom) request(c *websocket.Conn, fr frame) {
	f.mu.Lock()
	defer f.mu.Unlock()
	code, msg := 0, "ok"
	switch fr.Cmd {
	case cmdPing:
		f.pings++
		if f.silent {
			return
		}
	case cmdRespond:
		var body struct {
			MsgType string `json:"msgtype"`
			Stream  struct {
				ID      string `json:"id"`
				Finish  bool   `json:"finish"`
				Content string `json:"content"`
			} `json:"stream"`
		}
		json.Unmarshal(fr.Body, &body)
		switch {
		case !f.callbacks[fr.Headers.ReqID]:
			code, msg = 40058, "invalid req_id"
		case f.expired[fr.Headers.ReqID]:
			code, msg = 846609, "req_id expired"
		case f.failReplies > 0:
			f.failReplies--
			code, msg = -1, "system busy"
		case body.MsgType != "stream" || !body.Stream.Finish || body.Stream.ID == "" || len(body.Stream.Content) > 20480:
			code, msg = 40008, "invalid stream reply"
		default:
			f.sent = append(f.sent, sent{Cmd: cmdRespond, ReqID: fr.Headers.ReqID, StreamID: body.Stream.ID, Content: body.Stream.Content})
		}
	case cmdWelcome:
		var body struct {
			MsgType string `json:"msgtype"`
			Text    struct {
				Content string `json:"content"`
			} `json:"text"`
		}
		json.Unmarshal(fr.Body, &body)
		if !f.callbacks[fr.Headers.ReqID] || body.MsgType != "text" {
			code, msg = 40008, "invalid welcome"
		} else {
			f.sent = append(f.sent, sent{Cmd: cmdWelcome, ReqID: fr.Headers.ReqID, Content: body.Text.Content})
		}
	case cmdSend:
		var body struct {
			ChatID   string `json:"chatid"`
			MsgType  string `json:"msgtype"`
			Markdown struct {
				Content string `json:"content"`
			} `json:"markdown"`
		}
		json.Unmarshal(fr.Body, &body)
		if body.ChatID == "" || body.MsgType != "markdown" || len(body.Markdown.Content) > 4096 {
			code, msg = 40008, "invalid message"
		} else {
			f.sent = append(f.sent, sent{Cmd: cmdSend, ReqID: fr.Headers.ReqID, ChatID: body.ChatID, Content: body.Markdown.Content})
		}
	default:
		code, msg = 40001, "unknown cmd"
	}
	if code != 0 {
		f.refusals = append(f.refusals, fmt.Sprintf("%s:%d", fr.Cmd, code))
	}
	if f.holdAnswers && fr.Cmd != cmdPing {
		return // WeCom has the message; its answer never comes
	}
	go f.answer(c, fr.Headers.ReqID, code, msg)
}

// push writes a message callback to the current connection.
func (f *fakeWeCom) push(reqID string, body map[string]any) {
	f.tb.Helper()
	f.pushCmd(cmdCallback, reqID, body)
}

// pushCmd writes a callback frame of cmd to the current connection.
func (f *fakeWeCom) pushCmd(cmd, reqID string, body map[string]any) {
	f.tb.Helper()
	f.mu.Lock()
	c := f.conn
	f.callbacks[reqID] = true
	f.mu.Unlock()
	if c == nil {
		f.tb.Fatal("push: no connection")
	}
	f.wmu.Lock()
	defer f.wmu.Unlock()
	if err := c.WriteJSON(map[string]any{"cmd": cmd, "headers": map[string]string{"req_id": reqID}, "body": body}); err != nil {
		f.tb.Fatalf("push: %v", err)
	}
}

// drop cuts the connection without a close frame.
func (f *fakeWeCom) drop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.conn.UnderlyingConn().Close()
}

func (f *fakeWeCom) goSilent() {
	f.mu.Lock()
	f.silent = true
	f.mu.Unlock()
}

func (f *fakeWeCom) waitConnected(n int) {
	f.tb.Helper()
	timeout := time.After(5 * time.Second)
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

// waitSent waits for accepted message number n (from 1).
func (f *fakeWeCom) waitSent(n int) sent {
	f.tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		f.mu.Lock()
		if len(f.sent) >= n {
			s := f.sent[n-1]
			f.mu.Unlock()
			return s
		}
		f.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tb.Fatalf("message %d never came; %d sent, refusals %v", n, len(f.sent), f.refusals)
	return sent{}
}

func (f *fakeWeCom) sentCount() int { f.mu.Lock(); defer f.mu.Unlock(); return len(f.sent) }

func (f *fakeWeCom) allSent() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent{}, f.sent...)
}

// textMsg is a callback body of a text message; group "" is a one-to-one chat.
func textMsg(msgID, user, group, text string) map[string]any {
	m := map[string]any{"msgid": msgID, "aibotid": testBotID, "chattype": "single", "from": map[string]string{"userid": user},
		"msgtype": "text", "text": map[string]string{"content": text}, "create_time": time.Now().Unix()}
	if group != "" {
		m["chattype"], m["chatid"] = "group", group
	}
	return m
}

// testConfig is a Config for the fake with short timings.
func testConfig(f *fakeWeCom, logs io.Writer) Config {
	if logs == nil {
		logs = io.Discard
	}
	return Config{
		BotID: testBotID, Secret: testSecret, WSURL: f.wsURL(), Admins: map[string]bool{"admin01": true},
		PingEvery: 300 * time.Millisecond, AckTimeout: 10 * time.Second, // a loaded CI machine can stall a read for seconds: a short deadline drops the connection and makes a reply uncertain
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 80 * time.Millisecond,
		MaxDownload: 1 << 20,
		Logger:      slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
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

// startChannel runs a channel against the fake until the test ends.
func startChannel(tb testing.TB, f *fakeWeCom, cfg Config, h Handler) *Channel {
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
