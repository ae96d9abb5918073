package feishu

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	larkws "github.com/larksuite/oapi-sdk-go/v3/ws"
)

// The long connection. Feishu's event subscription by long connection
// (长连接) is a WebSocket of protobuf frames (pbbp2): POST the app's
// credentials to {domain}/callback/ws/endpoint, get back a URL and the
// client settings (ping interval, reconnect timing), dial the URL, ping
// every PingInterval with a control frame, and answer every data frame
// with the same frame carrying {"code":200} — Feishu pushes an event again
// when it sees no answer within 3 s.
//
// The SDK's types are used for all of that (larkws.Frame, Headers,
// NewPingFrame, Response, EndpointResp, ClientConfig), but not its
// ws.Client. Reading its v3.13.0 source shows two things a bot that must
// not lose questions cannot take:
//   - Every frame is handled on its own goroutine, and an event split over
//     several frames is joined in a cache without a lock (combine): two
//     parts arriving together can both start a new buffer, and the event is
//     lost (never answered, so pushed again, and lost again the same way).
//   - An event is answered only after the handler returns.
// So this file keeps one reader that joins split events in order and
// answers every event as soon as it is queued, with reconnection and
// backoff under the caller's context, as bot/dingtalk does for DingTalk's
// stream.

// errBusy answers an event with code 500 when the queue is full, so that
// Feishu pushes it again later.
var errBusy = errors.New("assignbot busy: queue full")

// writeWait bounds writing one frame.
const writeWait = 10 * time.Second

// stream is the long connection.
type stream struct {
	cfg     Config
	log     *slog.Logger
	dialer  *websocket.Dialer
	deliver func(payload []byte) error // an event's JSON; an error answers 500
	// connected is told when a connection opens (true) and ends (false).
	connected func(up bool)

	mu    sync.Mutex
	ping  time.Duration // from the server's ClientConfig
	parts map[string][][]byte
}

func newStream(cfg Config, deliver func([]byte) error) *stream {
	return &stream{cfg: cfg, log: cfg.Logger, deliver: deliver, ping: 2 * time.Minute,
		dialer: &websocket.Dialer{HandshakeTimeout: 15 * time.Second}, parts: map[string][][]byte{}}
}

func (s *stream) pingInterval() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ping
}

// configure applies the server's client settings: only the ping interval
// matters here (reconnection keeps its own backoff).
func (s *stream) configure(conf *larkws.ClientConfig) {
	if conf == nil || conf.PingInterval <= 0 {
		return
	}
	s.mu.Lock()
	s.ping = time.Duration(conf.PingInterval) * time.Second
	s.mu.Unlock()
}

// run keeps a connection open until ctx ends.
func (s *stream) run(ctx context.Context) {
	backoff := s.cfg.MinBackoff
	for ctx.Err() == nil {
		connected, err := s.session(ctx)
		if ctx.Err() != nil {
			return
		}
		if connected {
			backoff = s.cfg.MinBackoff
		}
		wait := backoff/2 + rand.N(backoff/2+1)
		var refused *larkws.ClientError
		if errors.As(err, &refused) {
			s.log.Error("feishu long connection refused; check FEISHU_APP_ID, FEISHU_APP_SECRET and that the app subscribes to events by long connection",
				"err", err, "retry_in", wait.Round(time.Millisecond))
		} else {
			s.log.Warn("feishu long connection lost", "err", err, "retry_in", wait.Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		backoff = min(2*backoff, s.cfg.MaxBackoff)
	}
}

// endpoint asks for the WebSocket URL and the client settings.
func (s *stream) endpoint(ctx context.Context) (string, error) {
	body, _ := json.Marshal(larkws.BootstrapRequest{AppID: s.cfg.AppID, AppSecret: s.cfg.AppSecret})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.Domain+larkws.GenEndpointUri, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("locale", "zh")
	resp, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return "", fmt.Errorf("bootstrap: %w", err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var ans larkws.EndpointResp
	if err := json.Unmarshal(data, &ans); err != nil {
		return "", fmt.Errorf("bootstrap: status %d, unreadable answer", resp.StatusCode)
	}
	switch {
	case resp.StatusCode != http.StatusOK, ans.Code == larkws.SystemBusy, ans.Code == larkws.InternalError:
		return "", larkws.NewServerError(max(ans.Code, resp.StatusCode), ans.Msg)
	case ans.Code != larkws.OK:
		return "", larkws.NewClientError(ans.Code, ans.Msg)
	case ans.Data == nil || ans.Data.Url == "":
		return "", errors.New("bootstrap: no endpoint")
	}
	s.configure(ans.Data.ClientConfig)
	return ans.Data.Url, nil
}

// session opens one connection and reads it until it fails. connected
// reports whether the dial succeeded.
func (s *stream) session(ctx context.Context) (connected bool, err error) {
	raw, err := s.endpoint(ctx)
	if err != nil {
		return false, err
	}
	u, err := url.Parse(raw)
	if err != nil {
		return false, errors.New("bootstrap: bad endpoint URL")
	}
	// The URL carries an access key: only its host reaches the logs.
	conn, resp, err := s.dialer.DialContext(ctx, raw, nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			code, _ := strconv.Atoi(resp.Header.Get(larkws.HeaderHandshakeStatus))
			msg := resp.Header.Get(larkws.HeaderHandshakeMsg)
			if code == larkws.Forbidden || resp.Header.Get(larkws.HeaderHandshakeAuthErrCode) == strconv.Itoa(larkws.ExceedConnLimit) {
				return false, larkws.NewClientError(code, msg)
			}
			return false, fmt.Errorf("dial %s: status %d %s", u.Host, resp.StatusCode, msg)
		}
		return false, fmt.Errorf("dial %s: %w", u.Host, unwrapURL(err))
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	serviceID, _ := strconv.ParseInt(u.Query().Get(larkws.ServiceID), 10, 32)
	s.log.Info("feishu long connection open", "host", u.Host)
	if s.connected != nil {
		s.connected(true)
		defer s.connected(false)
	}

	var wmu sync.Mutex
	write := func(f *larkws.Frame) error {
		data, err := f.Marshal()
		if err != nil {
			return err
		}
		wmu.Lock()
		defer wmu.Unlock()
		conn.SetWriteDeadline(time.Now().Add(writeWait))
		return conn.WriteMessage(websocket.BinaryMessage, data)
	}
	extend := func() { conn.SetReadDeadline(time.Now().Add(2*s.pingInterval() + 5*time.Second)) }
	extend()

	// The heartbeat: a ping at once, then every PingInterval.
	done := make(chan struct{})
	var wg sync.WaitGroup
	defer func() { close(done); wg.Wait() }()
	wg.Go(func() {
		for {
			if write(larkws.NewPingFrame(int32(serviceID))) != nil {
				return
			}
			select {
			case <-done:
				return
			case <-time.After(s.pingInterval()):
			}
		}
	})

	for {
		typ, data, err := conn.ReadMessage()
		if err != nil {
			return true, fmt.Errorf("read: %w", err)
		}
		extend()
		if typ != websocket.BinaryMessage {
			continue
		}
		var f larkws.Frame
		if err := f.Unmarshal(data); err != nil {
			s.log.Warn("feishu: undecodable frame", "bytes", len(data))
			continue
		}
		if ack := s.frame(f); ack != nil {
			if err := write(ack); err != nil {
				return true, fmt.Errorf("acknowledge: %w", err)
			}
		}
	}
}

// frame handles one frame and returns the answer to write, if any.
func (s *stream) frame(f larkws.Frame) *larkws.Frame {
	hs := larkws.Headers(f.Headers)
	switch larkws.FrameType(f.Method) {
	case larkws.FrameTypeControl:
		if larkws.MessageType(hs.GetString(larkws.HeaderType)) == larkws.MessageTypePong && len(f.Payload) > 0 {
			var conf larkws.ClientConfig
			if json.Unmarshal(f.Payload, &conf) == nil {
				s.configure(&conf)
			}
		}
		return nil
	case larkws.FrameTypeData:
	default:
		return nil
	}
	start := time.Now()
	payload := f.Payload
	if sum := hs.GetInt(larkws.HeaderSum); sum > 1 {
		payload = s.combine(hs.GetString(larkws.HeaderMessageID), sum, hs.GetInt(larkws.HeaderSeq), payload)
		if payload == nil {
			return nil // the rest is still to come; the whole event is answered once joined
		}
	}
	code := http.StatusOK
	if larkws.MessageType(hs.GetString(larkws.HeaderType)) == larkws.MessageTypeEvent {
		if err := s.deliver(payload); err != nil {
			code = http.StatusInternalServerError
		}
	}
	resp, _ := json.Marshal(larkws.NewResponseByCode(code))
	hs.Add(larkws.HeaderBizRt, strconv.FormatInt(time.Since(start).Milliseconds(), 10))
	ack := f
	ack.Headers = hs
	ack.Payload = resp
	return &ack
}

// combine joins the parts of a split event, in the reader, so that no
// part can be lost to a race. A part whose siblings never come is
// forgotten once too many events are pending.
func (s *stream) combine(id string, sum, seq int, part []byte) []byte {
	if seq < 0 || seq >= sum || sum > 1024 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	buf := s.parts[id]
	if len(buf) != sum {
		if len(s.parts) > 256 {
			clear(s.parts)
		}
		buf = make([][]byte, sum)
		s.parts[id] = buf
	}
	buf[seq] = append([]byte{}, part...)
	var whole []byte
	for _, p := range buf {
		if p == nil {
			return nil
		}
		whole = append(whole, p...)
	}
	delete(s.parts, id)
	return whole
}

// unwrapURL drops the URL net/http puts in its errors (the endpoint's
// carries an access key).
func unwrapURL(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return fmt.Errorf("%s: %w", urlErr.Op, urlErr.Err)
	}
	return err
}
