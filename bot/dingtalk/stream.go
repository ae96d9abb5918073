package dingtalk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"time"

	"github.com/gorilla/websocket"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/chatbot"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/client"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/payload"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/utils"
)

// The stream. DingTalk's Stream mode is an outbound WebSocket: POST the
// app's credentials to /v1.0/gateway/connections/open, get back an
// endpoint and a one-time ticket, dial endpoint?ticket=…, then read JSON
// data frames ({specVersion, type, headers{topic, messageId, …}, data})
// and answer each with a response frame ({code, headers{messageId}, data}).
//
// The SDK (v0.9.1) does the handshake (GetConnectionEndpoint, pointed at
// Config.APIURL by WithOpenApiHost), the frame types, the routing by type
// and topic, the robot message decoding and the ping reply; all of that
// is used here. Its connection loop (StreamClient.Start) is not, because
// reading its source shows it cannot serve a bot that must stay up:
//   - Close does not stop it: with AutoReconnect the read loop's exit
//     starts reconnect(), which retries every 3 s forever, with no context.
//   - After a ping goes unanswered it closes its channels while the reader
//     goroutine still holds the connection; that goroutine then sends on a
//     closed channel and the panic, outside any recover, ends the process.
//   - Each frame is handled and acknowledged on its own goroutine, so acks
//     are written concurrently to one gorilla connection, which allows one
//     writer; the panic is recovered, the ack lost and the message
//     delivered again.
//
// So this file keeps one reader that also writes the acks, a keep-alive
// ping with a read deadline (a half-open connection is noticed), and
// reconnection with jittered exponential backoff until the context ends.

// errGatewayDisconnect is the gateway's "disconnect" system frame: it is
// about to close this connection, so open a new one at once.
var errGatewayDisconnect = errors.New("gateway asked to reconnect")

// errBusy acknowledges a message with code 500 when the queue is full, so
// the gateway delivers it again later instead of the bot dropping it.
var errBusy = errors.New("assignbot busy: queue full")

// writeWait bounds writing one ack.
const writeWait = 10 * time.Second

// stream is the connection to DingTalk's stream gateway.
type stream struct {
	cfg     Config
	log     *slog.Logger
	sdk     *client.StreamClient // the handshake and the frame routes; never started
	dialer  *websocket.Dialer
	deliver func(*chatbot.BotCallbackDataModel) error
	// connected is told when a connection opens (true) and ends (false).
	connected func(up bool)
}

func newStream(cfg Config, deliver func(*chatbot.BotCallbackDataModel) error) *stream {
	s := &stream{cfg: cfg, log: cfg.Logger, deliver: deliver,
		dialer: &websocket.Dialer{HandshakeTimeout: 15 * time.Second}}
	s.sdk = client.NewStreamClient(
		client.WithAppCredential(client.NewAppCredentialConfig(cfg.ClientID, cfg.ClientSecret)),
		client.WithOpenApiHost(cfg.APIURL),
		client.WithAutoReconnect(false),
	)
	// Registering the route is also what subscribes the app to robot
	// messages in the gateway handshake.
	s.sdk.RegisterChatBotCallbackRouter(func(_ context.Context, cb *chatbot.BotCallbackDataModel) ([]byte, error) {
		return nil, s.deliver(cb)
	})
	return s
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
		if errors.Is(err, errGatewayDisconnect) {
			s.log.Info("dingtalk stream: gateway asked to reconnect")
			continue
		}
		wait := backoff/2 + rand.N(backoff/2+1)
		s.log.Warn("dingtalk stream disconnected", "err", err, "retry_in", wait.Round(time.Millisecond))
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		backoff = min(2*backoff, s.cfg.MaxBackoff)
	}
}

// session opens one connection and reads it until it fails. connected
// reports whether the dial succeeded, so that run can reset its backoff.
func (s *stream) session(ctx context.Context) (connected bool, err error) {
	ep, err := s.sdk.GetConnectionEndpoint(ctx)
	if err != nil {
		return false, fmt.Errorf("open stream: %w", err)
	}
	u, err := url.Parse(ep.Endpoint)
	if err != nil {
		return false, fmt.Errorf("stream endpoint: %w", err)
	}
	q := u.Query()
	q.Set("ticket", ep.Ticket)
	u.RawQuery = q.Encode()
	conn, resp, err := s.dialer.DialContext(ctx, u.String(), nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return false, fmt.Errorf("dial stream %s: %w", u.Host, err) // never the URL: it holds the ticket
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	s.log.Info("dingtalk stream connected", "host", u.Host)
	if s.connected != nil {
		s.connected(true)
		defer s.connected(false)
	}

	// Keep-alive: ping every KeepAlive; any frame or pong moves the read
	// deadline, so a connection silent for two periods is given up.
	extend := func() { conn.SetReadDeadline(time.Now().Add(2 * s.cfg.KeepAlive)) }
	extend()
	conn.SetPongHandler(func(string) error { extend(); return nil })
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(s.cfg.KeepAlive)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				// WriteControl may run beside the reader's WriteJSON.
				if conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)) != nil {
					return
				}
			}
		}
	}()

	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return true, fmt.Errorf("read stream: %w", err)
		}
		extend()
		ack, err := s.frame(ctx, data)
		if ack != nil {
			conn.SetWriteDeadline(time.Now().Add(writeWait))
			if werr := conn.WriteJSON(ack); werr != nil {
				return true, fmt.Errorf("acknowledge: %w", werr)
			}
		}
		if err != nil {
			return true, err
		}
	}
}

// frame handles one data frame and returns its acknowledgement. It never
// waits for the bot: robot messages go to the queue and are answered by a
// worker, because the gateway resends a frame not acknowledged in time.
func (s *stream) frame(ctx context.Context, data []byte) (*payload.DataFrameResponse, error) {
	df, err := payload.DecodeDataFrame(data)
	if err != nil || df.Headers == nil {
		s.log.Warn("dingtalk stream: undecodable frame", "bytes", len(data))
		return nil, nil // without a message id there is nothing to acknowledge
	}
	var ack *payload.DataFrameResponse
	var after error
	if df.Type == utils.SubscriptionTypeKSystem && df.GetTopic() == "disconnect" {
		ack, after = payload.NewSuccessDataFrameResponse(), errGatewayDisconnect
	} else if h, err := s.sdk.GetHandler(df.Type, df.GetTopic()); err != nil {
		ack = payload.NewDataFrameResponse(payload.DataFrameResponseStatusCodeKHandlerNotFound)
	} else {
		ack, err = h(ctx, df)
		if err != nil {
			if !errors.Is(err, errBusy) {
				s.log.Warn("dingtalk stream: frame refused", "topic", df.GetTopic(), "err", err)
			}
			ack = payload.NewErrorDataFrameResponse(err)
		}
	}
	if ack == nil {
		ack = payload.NewSuccessDataFrameResponse()
	}
	if ack.Headers == nil {
		ack.Headers = payload.DataFrameHeader{}
	}
	ack.SetHeader(payload.DataFrameHeaderKMessageId, df.GetMessageId())
	if ack.GetHeader(payload.DataFrameHeaderKContentType) == "" {
		ack.SetHeader(payload.DataFrameHeaderKContentType, payload.DataFrameContentTypeKJson)
	}
	return ack, after
}
