package feishu

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	larkcore "github.com/larksuite/oapi-sdk-go/v3/core"
	larkim "github.com/larksuite/oapi-sdk-go/v3/service/im/v1"

	"github.com/assignbot/assignbot/bot"
)

// The REST API, through the SDK's core and its im/v1 service: replies,
// messages to chats, and files sent to the bot. The SDK's root client is
// not built: it would link every one of the SDK's sixty services into the
// binary. The tenant access token is kept here, not in the SDK's token
// cache: that cache is one package variable for every client, and v3.13.0
// retries a request whose token Feishu rejects with the same cached token
// until it expires (up to two hours); here a rejected token is dropped and
// fetched again once.

// APIError is a call Feishu answered with a non-zero code.
type APIError struct {
	Op     string
	Status int
	Code   int
	Msg    string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("feishu %s: status %d code %d: %s", e.Op, e.Status, e.Code, e.Msg)
}

// temporary reports whether the same call may pass later: server errors,
// throttling (99991400, 230020) and "internal error" codes.
func (e *APIError) temporary() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests || e.Code == 99991400 || e.Code == 230020 || e.Code == 2200
}

// gone reports whether the chat is closed to the bot for good: the bot is
// no longer in the group (230002).
func (e *APIError) gone() bool { return e.Code == 230002 }

// ErrTooLarge is returned by Download for a file above Config.MaxDownload.
var ErrTooLarge = errors.New("file too large")

// api calls Feishu's REST API.
type api struct {
	cfg  Config
	core *larkcore.Config
	im   *larkim.V1

	mu      sync.Mutex
	botID   string // the bot's open_id, once known
	tok     string // the tenant access token
	expires time.Time
}

func newAPI(cfg Config) *api {
	conf := &larkcore.Config{BaseUrl: cfg.Domain, AppId: cfg.AppID, AppSecret: cfg.AppSecret, EnableTokenCache: false,
		AppType: larkcore.AppTypeSelfBuilt, HttpClient: cfg.HTTPClient, LogLevel: larkcore.LogLevelWarn, Logger: sdkLogger{cfg.Logger}}
	larkcore.NewLogger(conf)
	larkcore.NewCache(conf)
	larkcore.NewSerialization(conf)
	larkcore.NewHttpClient(conf)
	return &api{cfg: cfg, core: conf, im: larkim.New(conf)}
}

// token returns the tenant access token, fetching one when there is none
// or it expires within a few minutes.
func (a *api) token(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.tok != "" && time.Now().Add(3*time.Minute).Before(a.expires) {
		return a.tok, nil
	}
	resp, err := larkcore.Request(ctx, &larkcore.ApiReq{HttpMethod: http.MethodPost, ApiPath: larkcore.TenantAccessTokenInternalUrlPath,
		Body:                      &larkcore.SelfBuiltTenantAccessTokenReq{AppID: a.cfg.AppID, AppSecret: a.cfg.AppSecret},
		SupportedAccessTokenTypes: []larkcore.AccessTokenType{larkcore.AccessTokenTypeNone}}, a.core)
	if err != nil {
		return "", check("token", nil, larkcore.CodeError{}, err)
	}
	var ans larkcore.TenantAccessTokenResp
	if err := json.Unmarshal(resp.RawBody, &ans); err != nil {
		return "", &APIError{Op: "token", Status: resp.StatusCode, Msg: "unreadable answer"}
	}
	if err := check("token", resp, ans.CodeError, nil); err != nil {
		return "", err
	}
	if ans.TenantAccessToken == "" {
		return "", &APIError{Op: "token", Status: resp.StatusCode, Msg: "no token in the answer"}
	}
	a.tok, a.expires = ans.TenantAccessToken, time.Now().Add(time.Duration(ans.Expire)*time.Second)
	return a.tok, nil
}

// tokenRejected reports whether Feishu refused the call's access token.
func tokenRejected(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && (apiErr.Code == 99991663 || apiErr.Code == 99991661 || apiErr.Code == 99991668)
}

// withToken makes call with the tenant access token, and once more with
// a new token when Feishu rejects the one it got.
func (a *api) withToken(ctx context.Context, call func(opt larkcore.RequestOptionFunc) error) error {
	for attempt := 0; ; attempt++ {
		tok, err := a.token(ctx)
		if err != nil {
			return err
		}
		err = call(larkcore.WithTenantAccessToken(tok))
		if attempt > 0 || !tokenRejected(err) {
			return err
		}
		a.mu.Lock()
		if a.tok == tok {
			a.tok = ""
		}
		a.mu.Unlock()
	}
}

// check turns an SDK answer into an error.
func check(op string, resp *larkcore.ApiResp, ce larkcore.CodeError, err error) error {
	if err != nil {
		return fmt.Errorf("feishu %s: %w", op, unwrapURL(err))
	}
	if ce.Code != 0 || resp.StatusCode != http.StatusOK {
		return &APIError{Op: op, Status: resp.StatusCode, Code: ce.Code, Msg: ce.Msg}
	}
	return nil
}

// Reply answers a message with rich text. uuid makes a repeated attempt
// harmless: Feishu sends at most one message per uuid an hour.
func (a *api) Reply(ctx context.Context, messageID, content, uuid string) error {
	req := larkim.NewReplyMessageReqBuilder().MessageId(messageID).Body(larkim.NewReplyMessageReqBodyBuilder().
		MsgType(larkim.MsgTypePost).Content(content).Uuid(uuid).Build()).Build()
	return a.withToken(ctx, func(opt larkcore.RequestOptionFunc) error {
		var attempt bot.Attempt
		resp, err := a.im.Message.Reply(attempt.Context(ctx), req, opt)
		if err != nil {
			return uncertain(&attempt, check("reply", nil, larkcore.CodeError{}, err))
		}
		return check("reply", resp.ApiResp, resp.CodeError, nil)
	})
}

// Send posts rich text to a chat by its chat_id.
func (a *api) Send(ctx context.Context, chatID, content, uuid string) error {
	req := larkim.NewCreateMessageReqBuilder().ReceiveIdType("chat_id").Body(larkim.NewCreateMessageReqBodyBuilder().
		ReceiveId(chatID).MsgType(larkim.MsgTypePost).Content(content).Uuid(uuid).Build()).Build()
	return a.withToken(ctx, func(opt larkcore.RequestOptionFunc) error {
		var attempt bot.Attempt
		resp, err := a.im.Message.Create(attempt.Context(ctx), req, opt)
		if err != nil {
			return uncertain(&attempt, check("send", nil, larkcore.CodeError{}, err))
		}
		return check("send", resp.ApiResp, resp.CodeError, nil)
	})
}

// UncertainError is a send whose request went out and got no response (a
// timeout, a connection cut): Feishu may have delivered it. It is not
// followed by a post to the chat; the outbox tries it again after its
// UncertainWait, with the same uuid, so Feishu posts it at most once
// within the hour its uuid is remembered.
type UncertainError struct{ Err error }

func (e *UncertainError) Error() string {
	return "outcome unknown (sent, no response): " + e.Err.Error()
}
func (e *UncertainError) Unwrap() error { return e.Err }

// uncertain wraps err when attempt's request went out unanswered.
func uncertain(attempt *bot.Attempt, err error) error {
	if err != nil && attempt.Uncertain() {
		return &UncertainError{Err: err}
	}
	return err
}

// Download fetches a file sent to the bot through the message-resource
// API.
func (a *api) Download(ctx context.Context, messageID, fileKey string) ([]byte, error) {
	req := larkim.NewGetMessageResourceReqBuilder().MessageId(messageID).FileKey(fileKey).Type("file").Build()
	var file io.Reader
	err := a.withToken(ctx, func(opt larkcore.RequestOptionFunc) error {
		resp, err := a.im.MessageResource.Get(ctx, req, opt)
		if err != nil {
			return check("download", nil, larkcore.CodeError{}, err)
		}
		if resp.StatusCode != http.StatusOK || resp.File == nil {
			return check("download", resp.ApiResp, resp.CodeError, nil)
		}
		file = resp.File
		return nil
	})
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(file, a.cfg.MaxDownload+1))
	if err != nil {
		return nil, fmt.Errorf("feishu download: %w", err)
	}
	if int64(len(data)) > a.cfg.MaxDownload {
		return nil, fmt.Errorf("feishu download: %w", ErrTooLarge)
	}
	return data, nil
}

// BotOpenID is the bot's own open_id (/open-apis/bot/v3/info), to tell an
// @-mention of the bot from one of someone else.
func (a *api) BotOpenID(ctx context.Context) (string, error) {
	a.mu.Lock()
	id := a.botID
	a.mu.Unlock()
	if id != "" {
		return id, nil
	}
	err := a.withToken(ctx, func(opt larkcore.RequestOptionFunc) error {
		resp, err := larkcore.Request(ctx, &larkcore.ApiReq{HttpMethod: http.MethodGet, ApiPath: "/open-apis/bot/v3/info",
			SupportedAccessTokenTypes: []larkcore.AccessTokenType{larkcore.AccessTokenTypeTenant}}, a.core, opt)
		if err != nil {
			return check("bot info", nil, larkcore.CodeError{}, err)
		}
		var info struct {
			larkcore.CodeError
			Bot struct {
				OpenID string `json:"open_id"`
			} `json:"bot"`
		}
		if err := json.Unmarshal(resp.RawBody, &info); err != nil {
			return &APIError{Op: "bot info", Status: resp.StatusCode, Msg: "unreadable answer"}
		}
		if err := check("bot info", resp, info.CodeError, nil); err != nil {
			return err
		}
		id = info.Bot.OpenID
		return nil
	})
	if err != nil {
		return "", err
	}
	a.mu.Lock()
	a.botID = id
	a.mu.Unlock()
	return id, nil
}

// sdkLogger hands the SDK's warnings and errors to slog; its request
// logs stay off (they are at debug level and the level is warn).
type sdkLogger struct{ log *slog.Logger }

func (l sdkLogger) Debug(ctx context.Context, args ...any) {}
func (l sdkLogger) Info(ctx context.Context, args ...any)  {}
func (l sdkLogger) Warn(ctx context.Context, args ...any) {
	l.log.Warn("feishu sdk", "msg", fmt.Sprint(args...))
}
func (l sdkLogger) Error(ctx context.Context, args ...any) {
	l.log.Error("feishu sdk", "msg", fmt.Sprint(args...))
}
