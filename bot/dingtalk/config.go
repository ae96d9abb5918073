package dingtalk

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// DefaultAPIURL is DingTalk's OpenAPI host; the stream gateway is opened
// through it too.
const DefaultAPIURL = "https://api.dingtalk.com"

// Config configures the DingTalk channel. The zero values of the tuning
// fields take the defaults documented beside them.
type Config struct {
	ClientID     string          // the app's AppKey (DINGTALK_CLIENT_ID)
	ClientSecret string          // the app's AppSecret (DINGTALK_CLIENT_SECRET); never logged
	RobotCode    string          // DINGTALK_ROBOT_CODE; default ClientID
	APIURL       string          // DINGTALK_API_URL: the gateway and every OpenAPI call; default DefaultAPIURL
	Admins       map[string]bool // staff ids allowed admin commands (DINGTALK_ADMIN_IDS)

	Workers      int           // messages handled at once; default 8
	QueueSize    int           // messages waiting for a worker; default 256
	MaxDownload  int64         // bytes of one downloaded file; default 20 MiB
	KeepAlive    time.Duration // idle time before a WebSocket ping; default 60s
	MinBackoff   time.Duration // first wait before reconnecting or resending; default 1s
	MaxBackoff   time.Duration // longest wait between reconnections; default 1 min
	SendAttempts int           // tries of one webhook or OpenAPI send; default 4

	HTTPClient *http.Client     // for OpenAPI and webhook calls; default one with a 15 s timeout
	Now        func() time.Time // the clock for token and webhook expiry
	Logger     *slog.Logger
}

// ErrNoCredentials is returned by New when the app key or secret is missing.
var ErrNoCredentials = errors.New("no DingTalk credentials: create an internal app with the robot capability in the DingTalk developer console, then set DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET")

// Enabled reports whether credentials are set, so that serve can start
// the channel only when it is configured.
func (c Config) Enabled() bool { return c.ClientID != "" && c.ClientSecret != "" }

// WithDefaults fills every zero field with its default.
func (c Config) WithDefaults() Config {
	if c.RobotCode == "" {
		c.RobotCode = c.ClientID
	}
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	c.APIURL = strings.TrimRight(c.APIURL, "/")
	if c.Workers <= 0 {
		c.Workers = 8
	}
	if c.QueueSize <= 0 {
		c.QueueSize = 256
	}
	if c.MaxDownload <= 0 {
		c.MaxDownload = 20 << 20
	}
	if c.KeepAlive <= 0 {
		c.KeepAlive = 60 * time.Second
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
	if c.SendAttempts <= 0 {
		c.SendAttempts = 4
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}
