package feishu

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// DefaultDomain is Feishu's open platform; Lark's is https://open.larksuite.com.
const DefaultDomain = "https://open.feishu.cn"

// Config configures the Feishu channel. The zero values of the tuning
// fields take the defaults documented beside them.
type Config struct {
	AppID     string          // FEISHU_APP_ID
	AppSecret string          // FEISHU_APP_SECRET; never logged
	Domain    string          // FEISHU_DOMAIN: the REST API and the long-connection bootstrap; default DefaultDomain
	Admins    map[string]bool // open_ids allowed admin commands (FEISHU_ADMIN_IDS)

	Workers     int           // messages handled at once; default 8
	QueueSize   int           // messages waiting for a worker; default 256
	MaxDownload int64         // bytes of one downloaded file; default 20 MiB
	MaxMessage  int           // bytes of one message's text; default 20000 (the API takes 30 KB of rich text)
	MinBackoff  time.Duration // first wait before reconnecting; default 1s
	MaxBackoff  time.Duration // longest wait between reconnections; default 1 min

	HTTPClient *http.Client // for the REST API and the bootstrap; default one with a 30 s timeout
	Logger     *slog.Logger
}

// ErrNoCredentials is returned by New when the app id or secret is missing.
var ErrNoCredentials = errors.New("no Feishu credentials: create a self-built app with the bot capability in the Feishu developer console, then set FEISHU_APP_ID and FEISHU_APP_SECRET")

// Enabled reports whether credentials are set.
func (c Config) Enabled() bool { return c.AppID != "" && c.AppSecret != "" }

// WithDefaults fills every zero field with its default.
func (c Config) WithDefaults() Config {
	if c.Domain == "" {
		c.Domain = DefaultDomain
	}
	c.Domain = strings.TrimRight(c.Domain, "/")
	if c.Workers <= 0 {
		c.Workers = 8
	}
	if c.QueueSize <= 0 {
		c.QueueSize = 256
	}
	if c.MaxDownload <= 0 {
		c.MaxDownload = 20 << 20
	}
	if c.MaxMessage <= 0 || c.MaxMessage > 20000 {
		c.MaxMessage = 20000
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
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}
