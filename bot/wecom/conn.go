package wecom

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net/url"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// The commands of the long connection.
const (
	cmdSubscribe = "aibot_subscribe"
	cmdPing      = "ping"
	cmdCallback  = "aibot_msg_callback"
	cmdEvent     = "aibot_event_callback"
	cmdRespond   = "aibot_respond_msg"
	cmdSend      = "aibot_send_msg"
	cmdWelcome   = "aibot_respond_welcome_msg"
)

// frame is one JSON frame either way. A server's answer to a request has
// no cmd, the request's req_id, and errcode/errmsg.
type frame struct {
	Cmd     string          `json:"cmd,omitempty"`
	Headers headers         `json:"headers"`
	Body    json.RawMessage `json:"body,omitempty"`
	ErrCode *int            `json:"errcode,omitempty"`
	ErrMsg  string          `json:"errmsg,omitempty"`
}

type headers struct {
	ReqID string `json:"req_id"`
}

// Error is a request WeCom answered with a non-zero errcode.
type Error struct {
	Cmd  string
	Code int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("wecom %s: errcode %d: %s", e.Cmd, e.Code, e.Msg) }

// temporary reports whether the same request may pass later: system busy
// (-1), frequency and concurrency limits (45009, 45033).
func (e *Error) temporary() bool { return e.Code == -1 || e.Code == 45009 || e.Code == 45033 }

var (
	// errNotConnected is a send while no connection is subscribed.
	errNotConnected = errors.New("wecom: not connected")
	// errAckTimeout is a request WeCom did not answer in time.
	errAckTimeout = errors.New("wecom: no answer to the request in time")
	// errTakenOver is the server's disconnected_event: another connection
	// of the same bot took over.
	errTakenOver = errors.New("another connection of this bot took over")
	// errAuth is a subscription WeCom refused (wrong bot id or secret).
	errAuth = ErrRefused
)

// ErrRefused is a subscription WeCom refused: a wrong bot id or secret,
// or a bot not in the API (长连接) mode.
var ErrRefused = errors.New("wecom refused the subscription: check WECOM_BOT_ID and WECOM_BOT_SECRET")

// writeWait bounds writing one frame.
const writeWait = 10 * time.Second

// newReqID makes a request id the way the SDKs do: the command, the time,
// and random hex.
func newReqID(cmd string) string {
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s_%d_%s", cmd, time.Now().UnixMilli(), hex.EncodeToString(b[:]))
}

// conn is one subscribed connection: a single reader (run by link.session)
// and writes under a lock, requests matched to answers by req_id.
type conn struct {
	ws   *websocket.Conn
	wmu  sync.Mutex
	done chan struct{} // closed when the reader stops

	mu      sync.Mutex
	pending map[string]chan frame
}

func (c *conn) write(f frame) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(writeWait))
	return c.ws.WriteJSON(f)
}

// request writes a command and waits for its answer.
func (c *conn) request(ctx context.Context, cmd, reqID string, body any, timeout time.Duration) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	ch := make(chan frame, 1)
	c.mu.Lock()
	if _, busy := c.pending[reqID]; busy {
		c.mu.Unlock()
		return fmt.Errorf("wecom %s: a request with this req_id is waiting", cmd)
	}
	c.pending[reqID] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, reqID)
		c.mu.Unlock()
	}()
	if err := c.write(frame{Cmd: cmd, Headers: headers{ReqID: reqID}, Body: raw}); err != nil {
		return fmt.Errorf("wecom %s: %w", cmd, err)
	}
	// From here the request is out: WeCom may have taken it, so a request
	// left unanswered is uncertain.
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case ans := <-ch:
		if ans.ErrCode != nil && *ans.ErrCode != 0 {
			return &Error{Cmd: cmd, Code: *ans.ErrCode, Msg: ans.ErrMsg}
		}
		return nil
	case <-c.done:
		return &UncertainError{Err: fmt.Errorf("wecom %s: connection lost before the answer", cmd)}
	case <-t.C:
		return &UncertainError{Err: fmt.Errorf("wecom %s: %w", cmd, errAckTimeout)}
	case <-ctx.Done():
		return &UncertainError{Err: fmt.Errorf("wecom %s: %w", cmd, ctx.Err())}
	}
}

// UncertainError is a request written to the connection that got no
// answer (none in time, the connection cut, the caller gone): WeCom may
// have delivered it. It is not pushed by the other route; the outbox
// tries it again after its UncertainWait.
type UncertainError struct{ Err error }

func (e *UncertainError) Error() string {
	return "outcome unknown (sent, no answer): " + e.Err.Error()
}
func (e *UncertainError) Unwrap() error { return e.Err }

// answered hands an answer frame to the request waiting for it.
func (c *conn) answered(f frame) bool {
	c.mu.Lock()
	ch, ok := c.pending[f.Headers.ReqID]
	c.mu.Unlock()
	if ok {
		select {
		case ch <- f:
		default:
		}
	}
	return ok
}

// link keeps the long connection open and hands callbacks to deliver.
type link struct {
	cfg     Config
	log     *slog.Logger
	dialer  *websocket.Dialer
	deliver func(cmd string, body json.RawMessage)
	// connected is told when a subscription is accepted (true) and when
	// that connection ends (false).
	connected func(up bool)

	mu  sync.Mutex
	cur *conn // the subscribed connection, nil between connections
}

func newLink(cfg Config, deliver func(string, json.RawMessage)) *link {
	return &link{cfg: cfg, log: cfg.Logger, deliver: deliver,
		dialer: &websocket.Dialer{HandshakeTimeout: 15 * time.Second}}
}

// current is the subscribed connection, or nil.
func (l *link) current() *conn {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cur
}

// request sends a command on the current connection.
func (l *link) request(ctx context.Context, cmd, reqID string, body any) error {
	c := l.current()
	if c == nil {
		return errNotConnected
	}
	return c.request(ctx, cmd, reqID, body, l.cfg.AckTimeout)
}

// run keeps a connection until ctx ends. When another connection of the
// bot takes over, it says so and waits for ctx without reconnecting: two
// instances would otherwise kick each other off for ever.
func (l *link) run(ctx context.Context) {
	backoff := l.cfg.MinBackoff
	for ctx.Err() == nil {
		subscribed, err := l.session(ctx)
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, errTakenOver) {
			l.log.Error("wecom: another connection of this bot took over (a second assignbot instance, or another program with the same bot id); "+
				"this instance stops receiving WeCom messages until it is restarted", "bot", l.cfg.BotID)
			<-ctx.Done()
			return
		}
		if subscribed {
			backoff = l.cfg.MinBackoff
		}
		wait := backoff/2 + mrand.N(backoff/2+1)
		if errors.Is(err, errAuth) {
			l.log.Error("wecom: subscription refused; check WECOM_BOT_ID and WECOM_BOT_SECRET", "bot", l.cfg.BotID, "err", err, "retry_in", wait.Round(time.Millisecond))
		} else {
			l.log.Warn("wecom connection lost", "err", err, "retry_in", wait.Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		backoff = min(2*backoff, l.cfg.MaxBackoff)
	}
}

// session dials, subscribes and reads until the connection fails.
// subscribed reports whether WeCom accepted the subscription.
func (l *link) session(ctx context.Context) (subscribed bool, err error) {
	c, err := l.subscribe(ctx)
	if err != nil {
		return false, err
	}
	ws := c.ws
	defer ws.Close()
	stop := context.AfterFunc(ctx, func() { ws.Close() })
	defer stop()
	l.log.Info("wecom connected", "host", hostOf(l.cfg.WSURL), "bot", l.cfg.BotID)
	if l.connected != nil {
		l.connected(true)
		defer l.connected(false)
	}
	l.mu.Lock()
	l.cur = c
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		if l.cur == c {
			l.cur = nil
		}
		l.mu.Unlock()
		close(c.done)
	}()

	// Heartbeat: a ping every PingEvery; any frame (a ping's answer among
	// them) moves the read deadline, so two silent periods end the
	// connection.
	extend := func() { ws.SetReadDeadline(time.Now().Add(2*l.cfg.PingEvery + l.cfg.PingEvery/2)) }
	extend()
	var wg sync.WaitGroup
	quit := make(chan struct{})
	defer func() { close(quit); wg.Wait() }()
	wg.Go(func() {
		t := time.NewTicker(l.cfg.PingEvery)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				if c.write(frame{Cmd: cmdPing, Headers: headers{ReqID: newReqID(cmdPing)}}) != nil {
					return
				}
			}
		}
	})

	for {
		var f frame
		_, data, err := ws.ReadMessage()
		if err != nil {
			return true, fmt.Errorf("read: %w", err)
		}
		extend()
		if err := json.Unmarshal(data, &f); err != nil {
			l.log.Warn("wecom: undecodable frame", "bytes", len(data))
			continue
		}
		switch f.Cmd {
		case cmdCallback:
			l.deliver(f.Cmd, withReqID(f))
		case cmdEvent:
			var ev struct {
				Event struct {
					EventType string `json:"eventtype"`
				} `json:"event"`
			}
			json.Unmarshal(f.Body, &ev)
			if ev.Event.EventType == "disconnected_event" {
				return true, errTakenOver
			}
			l.deliver(f.Cmd, withReqID(f))
		case "":
			c.answered(f) // a ping's answer, or a request's
		default:
			l.log.Debug("wecom: frame ignored", "cmd", f.Cmd)
		}
	}
}

// subscribe dials and subscribes; the caller closes the connection.
func (l *link) subscribe(ctx context.Context) (*conn, error) {
	ws, resp, err := l.dialer.DialContext(ctx, l.cfg.WSURL, nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", hostOf(l.cfg.WSURL), err)
	}
	c := &conn{ws: ws, done: make(chan struct{}), pending: map[string]chan frame{}}
	stop := context.AfterFunc(ctx, func() { ws.Close() })
	defer stop()
	fail := func(err error) (*conn, error) {
		ws.Close()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, err
	}

	// The first answer must be the subscription's.
	sub := newReqID(cmdSubscribe)
	raw, _ := json.Marshal(map[string]string{"bot_id": l.cfg.BotID, "secret": l.cfg.Secret})
	if err := c.write(frame{Cmd: cmdSubscribe, Headers: headers{ReqID: sub}, Body: raw}); err != nil {
		return fail(fmt.Errorf("subscribe: %w", err))
	}
	ws.SetReadDeadline(time.Now().Add(l.cfg.AckTimeout))
	var ans frame
	if err := ws.ReadJSON(&ans); err != nil {
		return fail(fmt.Errorf("subscribe: %w", err))
	}
	if ans.Headers.ReqID != sub || ans.ErrCode == nil {
		return fail(fmt.Errorf("subscribe: unexpected first frame %q", ans.Cmd))
	}
	if *ans.ErrCode != 0 {
		return fail(fmt.Errorf("%w (errcode %d: %s)", errAuth, *ans.ErrCode, ans.ErrMsg))
	}
	return c, nil
}

// withReqID puts the frame's req_id into its body as "req_id", so that a
// callback carries what its reply needs.
func withReqID(f frame) json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(f.Body, &m) != nil || m == nil {
		m = map[string]json.RawMessage{}
	}
	id, _ := json.Marshal(f.Headers.ReqID)
	m["req_id"] = id
	out, _ := json.Marshal(m)
	return out
}

// hostOf is the host of a URL, for logs (never the query).
func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return "?"
}
