package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/bot/dingtalk"
	"github.com/assignbot/assignbot/bot/feishu"
	"github.com/assignbot/assignbot/bot/telegram"
	"github.com/assignbot/assignbot/bot/web"
	"github.com/assignbot/assignbot/bot/wecom"
	"github.com/assignbot/assignbot/corpus"
)

// `assignbot doctor` checks what an operator can get wrong on a server,
// with the configuration serve would read, and prints one line per check:
// ✓ and what it found, or ✗, what is wrong and the fix. It changes
// nothing: no store is created, no file written but a probe it removes,
// no channel started. The exit status is 0 only when every check passes.

// checkResult is one line of doctor's report.
type checkResult struct {
	name   string
	ok     bool
	detail string // what was found
	fix    string // with !ok: what to do about it
}

func pass(name, detail string) checkResult { return checkResult{name: name, ok: true, detail: detail} }
func fail(name, detail, fix string) checkResult {
	return checkResult{name: name, detail: detail, fix: fix}
}

// errChecksFailed is doctor's error when a check failed (exit status 1).
var errChecksFailed = errors.New("some checks failed")

// doctorTimeout bounds each network check (token endpoints, the model).
const doctorTimeout = 15 * time.Second

// minFreeSpace is the least free space DATA_DIR should have: the index
// snapshot is written beside the old one before it replaces it, and the
// store grows with the outbox during an outage.
const minFreeSpace = 256 << 20

// channelCheck is one chat platform's line in doctor: whether its
// credentials are set, and a call to the platform's token endpoint with
// them. A new channel adds its row to channelChecks.
type channelCheck struct {
	name       string
	configured func(getenv func(string) string) bool
	// check returns what it found, or an error and the fix.
	check func(ctx context.Context, getenv func(string) string, client *http.Client) (detail string, fix string, err error)
}

var channelChecks = []channelCheck{
	{
		name:       "Telegram",
		configured: func(getenv func(string) string) bool { return envOr(getenv, "TELEGRAM_BOT_TOKEN", "") != "" },
		check: func(ctx context.Context, getenv func(string) string, client *http.Client) (string, string, error) {
			cfg, err := telegramConfig(getenv)
			if err != nil {
				return "", "list the admins' numeric Telegram user ids (ask @userinfobot), comma-separated", err
			}
			apiURL := cfg.APIURL
			name, err := telegram.Check(ctx, cfg.Token, apiURL, client)
			if errors.Is(err, telegram.ErrTokenRejected) {
				return "", "copy the token again from @BotFather (/mybots → API Token) into TELEGRAM_BOT_TOKEN", err
			}
			if err != nil {
				return "", "the server needs outbound HTTPS to " + hostOf(apiURL, "api.telegram.org") + " (or a proxy in HTTPS_PROXY)", err
			}
			return "getMe answered: the bot is @" + name, "", nil
		},
	},
	{
		name: "DingTalk",
		configured: func(getenv func(string) string) bool {
			return envOr(getenv, "DINGTALK_CLIENT_ID", "") != "" || envOr(getenv, "DINGTALK_CLIENT_SECRET", "") != ""
		},
		check: func(ctx context.Context, getenv func(string) string, client *http.Client) (string, string, error) {
			cfg := dingtalkConfig(getenv)
			cfg.HTTPClient = client
			ch, err := dingtalk.New(cfg, func(context.Context, dingtalk.Incoming) {})
			if err != nil {
				return "", "set both DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET (the app's 凭证与基础信息 page)", err
			}
			var refused *dingtalk.APIError
			err = ch.Check(ctx)
			if errors.As(err, &refused) {
				return "", "copy Client ID and Client Secret again from the app's 凭证与基础信息 page in open-dev.dingtalk.com", err
			}
			if err != nil {
				return "", "the server needs outbound HTTPS to " + hostOf(cfg.APIURL, "api.dingtalk.com") + " (or a proxy in HTTPS_PROXY)", err
			}
			return "accessToken answered: client " + cfg.ClientID + ", robot " + cfg.RobotCode, "", nil
		},
	},
	{
		name: "WeCom",
		configured: func(getenv func(string) string) bool {
			return envOr(getenv, "WECOM_BOT_ID", "") != "" || envOr(getenv, "WECOM_BOT_SECRET", "") != ""
		},
		check: func(ctx context.Context, getenv func(string) string, client *http.Client) (string, string, error) {
			cfg := wecomConfig(getenv)
			cfg.HTTPClient = client
			if id := badID(cfg.Admins, wecom.ValidUserID); id != "" {
				return "", "list the admins' WeCom userids (通讯录 → the member's 账号: letters, digits, _-@.), comma-separated",
					fmt.Errorf("WECOM_ADMIN_IDS: %q is not a userid", id)
			}
			ch, err := wecom.New(cfg, func(context.Context, wecom.Incoming) {})
			if err != nil {
				return "", "set both WECOM_BOT_ID and WECOM_BOT_SECRET (the 智能机器人's API mode page)", err
			}
			// WeCom keeps one connection per bot: a subscription from here
			// would take over a running instance's, which then stops
			// receiving until restarted. The store's lock says whether one
			// runs over this DATA_DIR.
			if _, err := bot.ProbeStore(envOr(getenv, "DATA_DIR", "data")); errors.Is(err, bot.ErrStoreLocked) {
				return "bot " + cfg.BotID + "; subscription not tried: a running assignbot holds this bot's only connection", "", nil
			}
			err = ch.Check(ctx)
			if errors.Is(err, wecom.ErrRefused) {
				return "", "copy Bot ID and Secret again from the 智能机器人's API (长连接) settings in the WeCom admin console", err
			}
			if err != nil {
				return "", "the server needs outbound WebSocket (wss) to " + hostOf(strings.TrimPrefix(strings.TrimPrefix(cfg.WSURL, "wss://"), "ws://"), "openws.work.weixin.qq.com") + " (the channel dials it directly, not through HTTPS_PROXY)", err
			}
			return "subscription accepted (and closed): bot " + cfg.BotID, "", nil
		},
	},
	{
		name: "Feishu",
		configured: func(getenv func(string) string) bool {
			return envOr(getenv, "FEISHU_APP_ID", "") != "" || envOr(getenv, "FEISHU_APP_SECRET", "") != ""
		},
		check: func(ctx context.Context, getenv func(string) string, client *http.Client) (string, string, error) {
			cfg := feishuConfig(getenv)
			cfg.HTTPClient = client
			if id := badID(cfg.Admins, feishu.ValidOpenID); id != "" {
				return "", "list the admins' open_ids (ou_…, from the member's profile in the developer console's API explorer), comma-separated",
					fmt.Errorf("FEISHU_ADMIN_IDS: %q is not an open_id", id)
			}
			ch, err := feishu.New(cfg, func(context.Context, feishu.Incoming) {})
			if err != nil {
				return "", "set both FEISHU_APP_ID and FEISHU_APP_SECRET (the app's 凭证与基础信息 page)", err
			}
			var refused *feishu.APIError
			err = ch.Check(ctx)
			if errors.As(err, &refused) && refused.Status < 500 {
				return "", "copy App ID and App Secret again from the app's 凭证与基础信息 page (open.feishu.cn; Lark apps set FEISHU_DOMAIN=https://open.larksuite.com)", err
			}
			if err != nil {
				return "", "the server needs outbound HTTPS to " + hostOf(cfg.Domain, "open.feishu.cn") + " (or a proxy in HTTPS_PROXY)", err
			}
			return "tenant_access_token answered: app " + cfg.AppID + " on " + hostOf(cfg.Domain, "open.feishu.cn"), "", nil
		},
	},
}

// badID is the first of ids (sorted) that valid refuses, or "".
func badID(ids map[string]bool, valid func(string) bool) string {
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		if !valid(id) {
			return id
		}
	}
	return ""
}

func cmdDoctor(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := addIndexFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	client := &http.Client{Timeout: doctorTimeout}
	var results []checkResult
	// The channel checks see DATA_DIR as -data sets it (WeCom's asks
	// whether a running instance holds the store).
	channelEnv := func(k string) string {
		if k == "DATA_DIR" {
			return *cfg.data
		}
		return getenv(k)
	}
	results = append(results, checkChannels(ctx, channelEnv, client)...)
	results = append(results, checkCorpus(*cfg.corpus))
	results = append(results, checkDataDir(*cfg.data)...)
	results = append(results, checkModels(ctx, getenv)...)
	results = append(results, checkWebToken(getenv), checkMetricsAddr(getenv), checkDigestZone(getenv))
	failed := 0
	for _, r := range results {
		if r.ok {
			fmt.Fprintf(stdout, "✓ %s: %s\n", r.name, r.detail)
			continue
		}
		failed++
		fmt.Fprintf(stdout, "✗ %s: %s — fix: %s\n", r.name, r.detail, r.fix)
	}
	if failed > 0 {
		fmt.Fprintf(stdout, "%d of %d checks failed\n", failed, len(results))
		return errChecksFailed
	}
	fmt.Fprintf(stdout, "all %d checks passed\n", len(results))
	return nil
}

// checkChannels runs every configured channel's check; with none, serve
// would have nothing to do but the admin page, or nothing at all.
func checkChannels(ctx context.Context, getenv func(string) string, client *http.Client) []checkResult {
	var out []checkResult
	for _, c := range channelChecks {
		if !c.configured(getenv) {
			continue
		}
		ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
		detail, fix, err := c.check(ctx, getenv, client)
		cancel()
		if err != nil {
			out = append(out, fail(c.name, err.Error(), fix))
		} else {
			out = append(out, pass(c.name, detail))
		}
	}
	if len(out) == 0 {
		if envOr(getenv, "WEB_ADDR", "") != "" {
			return []checkResult{pass("channels", "no chat channel configured: serve runs the admin page alone")}
		}
		return []checkResult{fail("channels", "no chat channel and no admin page configured", errNoChannel.Error())}
	}
	return out
}

// checkCorpus loads CORPUS_DIR as serve would and says what it found.
func checkCorpus(dir string) checkResult {
	const name = "CORPUS_DIR"
	if dir == "" {
		return fail(name, "not set: serve would answer from the five built-in sample notices and refuse uploads",
			"set CORPUS_DIR to the folder of notices")
	}
	abs, _ := filepath.Abs(dir)
	if _, err := os.ReadDir(dir); err != nil {
		return fail(name, abs+": "+errText(err), "create the folder, or give the service user read access to it")
	}
	c, err := corpus.Load(dir)
	if err != nil {
		return fail(name, abs+": "+err.Error(), "run `assignbot report` to see which file fails")
	}
	r := c.Report
	if r.Notices == 0 {
		return fail(name, fmt.Sprintf("%s: no notice loaded (%d files skipped)", abs, r.Skipped),
			"put the notices there (.txt .md .html .docx .pdf .ofd .xlsx); `assignbot report` says why files were skipped")
	}
	detail := fmt.Sprintf("%s: %d notices, %d tasks", abs, r.Notices, r.Tasks)
	if r.Skipped > 0 || r.Alerts > 0 {
		detail += fmt.Sprintf("; %d files skipped, %d alerts (see `assignbot report`)", r.Skipped, r.Alerts)
	}
	if !writable(dir) {
		detail += "; read-only, so admins' uploads will be refused"
	}
	return pass(name, detail)
}

// checkDataDir checks that DATA_DIR can be written and has room, and that
// no running instance holds the store.
func checkDataDir(dir string) []checkResult {
	const name = "DATA_DIR"
	abs, _ := filepath.Abs(dir)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		parent := existingParent(abs)
		if !writable(parent) {
			return []checkResult{fail(name, abs+" does not exist and "+parent+" is not writable",
				"create it and give it to the service user: install -d -o assignbot -g assignbot "+abs)}
		}
		return []checkResult{pass(name, abs+" does not exist yet; serve creates it"+freeText(parent)),
			pass("store", "no store yet; serve creates "+filepath.Join(abs, "assignbot.db"))}
	case err != nil:
		return []checkResult{fail(name, errText(err), "give the service user access to "+abs)}
	case !info.IsDir():
		return []checkResult{fail(name, abs+" is not a folder", "point DATA_DIR at a folder")}
	}
	var out []checkResult
	free, ok := freeSpace(dir)
	switch {
	case !writable(dir):
		out = append(out, fail(name, abs+" is not writable", "chown -R assignbot: "+abs+" (and list it in the unit's ReadWritePaths)"))
	case ok && free < minFreeSpace:
		out = append(out, fail(name, fmt.Sprintf("%s: only %s free", abs, bytesText(free)), "free some space: the index snapshot is rewritten beside the old one"))
	default:
		out = append(out, pass(name, abs+" writable"+freeText(dir)))
	}
	exists, err := bot.ProbeStore(dir)
	switch {
	case errors.Is(err, bot.ErrStoreLocked):
		out = append(out, fail("store", err.Error(), "stop the running instance first (systemctl stop assignbot), or give this one another DATA_DIR"))
	case err != nil:
		out = append(out, fail("store", err.Error(), "move the damaged file aside; serve starts a new store (subscriptions and queued messages are lost)"))
	case !exists:
		out = append(out, pass("store", "no store yet; serve creates "+filepath.Join(abs, "assignbot.db")))
	default:
		out = append(out, pass("store", "not locked by a running instance"))
	}
	return out
}

// checkModels calls the chat model and the embedding model when set.
func checkModels(ctx context.Context, getenv func(string) string) []checkResult {
	base := envOr(getenv, "OPENAI_BASE_URL", "")
	chat := envOr(getenv, "CHAT_MODEL", "")
	embedModel := envOr(getenv, "EMBEDDING_MODEL", "")
	timeout, err := llmTimeout(getenv)
	if err != nil {
		return []checkResult{fail("model", err.Error(), "set LLM_TIMEOUT to a duration such as 15s")}
	}
	if _, err := llmConcurrency(getenv); err != nil {
		return []checkResult{fail("model", err.Error(), "set LLM_CONCURRENCY to a small number such as 3")}
	}
	var out []checkResult
	switch {
	case chat != "" && base == "":
		out = append(out, fail("model", "CHAT_MODEL is set without OPENAI_BASE_URL", "set OPENAI_BASE_URL to the model server, or clear CHAT_MODEL"))
	case chat == "" && base != "" && embedModel == "":
		out = append(out, fail("model", "OPENAI_BASE_URL is set but neither CHAT_MODEL nor EMBEDDING_MODEL", "name the model to use in CHAT_MODEL"))
	case chat == "":
		out = append(out, pass("model", "none set: answers are written offline"))
	default:
		ctx, cancel := context.WithTimeout(ctx, timeout+5*time.Second)
		start := time.Now()
		reply, err := completerFromEnv(getenv).Complete(ctx, "Reply with the single word OK.", "ping")
		cancel()
		switch {
		case err != nil:
			out = append(out, fail("model", fmt.Sprintf("%s at %s: %v", chat, base, err),
				"check OPENAI_BASE_URL, OPENAI_API_KEY and CHAT_MODEL (the model's exact name on that server)"))
		case strings.TrimSpace(reply) == "":
			out = append(out, fail("model", chat+" answered with empty text", "check that CHAT_MODEL is a chat model"))
		default:
			took := time.Since(start).Round(time.Millisecond)
			detail := fmt.Sprintf("%s at %s answered in %s", chat, base, took)
			if took > timeout/2 {
				detail += fmt.Sprintf(" (LLM_TIMEOUT is %s: slow answers fall back to offline)", timeout)
			}
			out = append(out, pass("model", detail))
		}
	}
	if embedModel == "" {
		return out
	}
	emb := embedderFromEnv(getenv)
	if emb == nil {
		return append(out, fail("embeddings", "EMBEDDING_MODEL is set without EMBEDDING_BASE_URL or OPENAI_BASE_URL",
			"set the embedding server's URL, or clear EMBEDDING_MODEL to use the local embedder"))
	}
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	vecs, err := emb.Embed(ctx, []string{"市商务局牵头步行街建设"})
	switch {
	case err != nil:
		out = append(out, fail("embeddings", fmt.Sprintf("%s: %v", emb.Model(), err),
			"check EMBEDDING_BASE_URL (or OPENAI_BASE_URL), the key and EMBEDDING_MODEL"))
	case len(vecs) != 1 || len(vecs[0]) == 0:
		out = append(out, fail("embeddings", emb.Model()+" returned no vector", "check that EMBEDDING_MODEL is an embedding model"))
	default:
		out = append(out, pass("embeddings", fmt.Sprintf("%s answered: %d dimensions", emb.Model(), len(vecs[0]))))
	}
	return out
}

// checkWebToken checks the admin page's token when the page is on.
func checkWebToken(getenv func(string) string) checkResult {
	const name = "WEB_TOKEN"
	addr, token := envOr(getenv, "WEB_ADDR", ""), envOr(getenv, "WEB_TOKEN", "")
	if addr == "" {
		return pass(name, "admin page off (WEB_ADDR not set)")
	}
	const fix = "set WEB_TOKEN to a long random secret: openssl rand -hex 24"
	if err := web.CheckToken(token); err != nil {
		return fail(name, err.Error(), fix)
	}
	if why := weakToken(token); why != "" {
		return fail(name, why, fix)
	}
	detail := fmt.Sprintf("%d characters, about %d bits", len(token), int(tokenBits(token)))
	if !loopback(addr) {
		detail += "; the page listens on " + addr + " in plain HTTP: put the HTTPS proxy of deploy/ in front"
	}
	return pass(name, detail)
}

// weakToken says why a token long enough is still guessable, or "".
func weakToken(token string) string {
	lower := strings.ToLower(token)
	for _, w := range []string{"password", "passwd", "changeme", "change-me", "secret", "example", "admin", "123456", "qwerty", "token"} {
		if strings.Contains(lower, w) {
			return fmt.Sprintf("the token contains the word %q: a guess would find it", w)
		}
	}
	distinct := map[rune]bool{}
	for _, r := range token {
		distinct[r] = true
	}
	if len(distinct) < 8 {
		return fmt.Sprintf("the token uses only %d different characters", len(distinct))
	}
	if b := tokenBits(token); b < 64 {
		return fmt.Sprintf("the token holds about %d bits of randomness; use at least 64", int(b))
	}
	return ""
}

// tokenBits estimates a token's strength as if its characters were drawn
// at random from the classes it uses (lower, upper, digits, other).
func tokenBits(token string) float64 {
	var lower, upper, digit, other bool
	for _, r := range token {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		default:
			other = true
		}
	}
	alphabet := 0
	for _, c := range []struct {
		used bool
		size int
	}{{lower, 26}, {upper, 26}, {digit, 10}, {other, 32}} {
		if c.used {
			alphabet += c.size
		}
	}
	// A hex string (openssl rand -hex) draws from 16 symbols, not 36.
	if lower != upper && digit && !other && isHex(token) {
		alphabet = 16
	}
	return float64(len([]rune(token))) * math.Log2(float64(max(alphabet, 2)))
}

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return s != ""
}

// checkMetricsAddr checks that /healthz and /metrics can listen.
func checkMetricsAddr(getenv func(string) string) checkResult {
	const name = "METRICS_ADDR"
	addr, err := metricsAddr(getenv)
	if err != nil {
		return fail(name, err.Error(), "set METRICS_ADDR to host:port, e.g. 127.0.0.1:9464, or off")
	}
	if addr == "" {
		return pass(name, "off: no /healthz or /metrics")
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fail(name, errText(err), "another program (or a running assignbot) uses "+addr+": choose another port in METRICS_ADDR")
	}
	l.Close()
	detail := "/healthz and /metrics on http://" + addr
	if !loopback(addr) {
		detail += " (not loopback: they carry no token, so firewall the port to the monitoring host)"
	}
	return pass(name, detail)
}

// checkDigestZone checks the digests' time zone and the clock.
func checkDigestZone(getenv func(string) string) checkResult {
	const name = "digest time"
	cfg, now, err := digestSettings(getenv)
	if err != nil {
		return fail(name, err.Error(), "DIGEST_TIME is HH:MM and DIGEST_TZ an IANA zone such as Asia/Shanghai")
	}
	if v := envOr(getenv, "ASSIGNBOT_NOW", ""); v != "" {
		return fail(name, "ASSIGNBOT_NOW="+v+" shifts the bot's clock (for demos)", "remove ASSIGNBOT_NOW from the environment file")
	}
	t := now().In(cfg.TZ)
	return pass(name, fmt.Sprintf("digests at %s %s; it is %s there now (%s on this server)",
		cfg.Time, cfg.TZ, t.Format("2006-01-02 15:04"), time.Now().Format("15:04 MST")))
}

// writable reports whether a file can be created in dir (and removes it).
func writable(dir string) bool {
	f, err := os.CreateTemp(dir, ".assignbot-doctor-*")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}

// existingParent is the nearest folder above path that exists.
func existingParent(path string) string {
	for {
		parent := filepath.Dir(path)
		if _, err := os.Stat(parent); err == nil || parent == path {
			return parent
		}
		path = parent
	}
}

func freeText(dir string) string {
	if free, ok := freeSpace(dir); ok {
		return ", " + bytesText(free) + " free"
	}
	return ""
}

func bytesText(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	default:
		return fmt.Sprintf("%d MB", n>>20)
	}
}

// errText is an error's text without Go's "open /path:" doubling.
func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Path + ": " + pe.Err.Error()
	}
	return err.Error()
}

// loopback reports whether a listen address is on the loopback interface.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hostOf is the host of a URL, or def.
func hostOf(rawURL, def string) string {
	if rawURL == "" {
		return def
	}
	s := strings.TrimPrefix(strings.TrimPrefix(rawURL, "https://"), "http://")
	if i := strings.IndexByte(s, '/'); i >= 0 {
		s = s[:i]
	}
	return s
}
