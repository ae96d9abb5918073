package wecom

import (
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// DefaultWSURL is WeCom's long-connection gateway.
const DefaultWSURL = "wss://openws.work.weixin.qq.com"

// Config configures the WeCom channel. The zero values of the tuning
// fields take the defaults documented beside them.
type Config struct {
	BotID  string          // WECOM_BOT_ID
	Secret string          // WECOM_BOT_SECRET; never logged
	WSURL  string          // WECOM_WS_URL; default DefaultWSURL
	Admins map[string]bool // userids allowed admin commands (WECOM_ADMIN_IDS)

	Workers     int           // messages handled at once; default 8
	QueueSize   int           // messages waiting for a worker; default 256
	MaxDownload int64         // bytes of one downloaded file; default 20 MiB
	MaxMessage  int           // bytes of one message's markdown; default 4000 (see the package comment)
	PingEvery   time.Duration // heartbeat period; default 30s
	AckTimeout  time.Duration // wait for the answer to a request; default 10s
	ReplyWindow time.Duration // how long a callback's req_id is answered; default 4m
	MinBackoff  time.Duration // first wait before reconnecting; default 1s
	MaxBackoff  time.Duration // longest wait between reconnections; default 1 min

	HTTPClient *http.Client     // for file downloads; default one with a 30 s timeout
	Now        func() time.Time // the clock for the reply window
	Logger     *slog.Logger
}

// ErrNoCredentials is returned by New when the bot id or secret is missing.
var ErrNoCredentials = errors.New("no WeCom credentials: create a 智能机器人 with the API (长连接) mode in the WeCom admin console, then set WECOM_BOT_ID and WECOM_BOT_SECRET")

// Enabled reports whether credentials are set, so that serve can start
// the channel only when it is configured.
func (c Config) Enabled() bool { return c.BotID != "" && c.Secret != "" }

// WithDefaults fills every zero field with its default.
func (c Config) WithDefaults() Config {
	if c.WSURL == "" {
		c.WSURL = DefaultWSURL
	}
	if c.Workers <= 0 {
		c.Workers = 8
	}
	if c.QueueSize <= 0 {
		c.QueueSize = 256
	}
	if c.MaxDownload <= 0 {
		c.MaxDownload = 20 << 20
	}
	if c.MaxMessage <= 0 || c.MaxMessage > maxContent {
		c.MaxMessage = maxContent
	}
	if c.PingEvery <= 0 {
		c.PingEvery = 30 * time.Second
	}
	if c.AckTimeout <= 0 {
		c.AckTimeout = 10 * time.Second
	}
	if c.ReplyWindow <= 0 {
		// The req_id of a callback is answered for five minutes; a
		// reply later than that is pushed instead.
		c.ReplyWindow = 4 * time.Minute
	}
	if c.MinBackoff <= 0 {
		c.MinBackoff = time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = time.Minute
	}
	if c.MaxBackoff < c.MinBackoff {
		c.MaxBackoff = c.MinBackoff
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}
