package main

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/assignbot/assignbot/bot"
)

// fakePlatforms answers the token endpoints doctor calls — Telegram's
// getMe, DingTalk's accessToken, Feishu's tenant_access_token, WeCom's
// long-connection subscription — and an OpenAI-compatible model server's
// chat and embedding calls, with the credentials below accepted and every
// other refused as the real services refuse them. (The channels' own fakes
// live in their packages' tests, which cmd cannot import; the channel
// checks are tested against those fakes there: telegram.TestCheck,
// dingtalk.TestBadCredentials, wecom.TestCheck, feishu.TestCheck.)
func fakePlatforms(tb testing.TB) *platforms {
	tb.Helper()
	p := &platforms{}
	const tgToken, dtID, dtSecret, apiKey = "123:GOOD", "dingid", "dingsecret", "sk-good"
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{bot}/getMe", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.PathValue("bot") != "bot"+tgToken {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"ok":false,"error_code":401,"description":"Unauthorized"}`))
			return
		}
		w.Write([]byte(`{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"a","username":"office_bot"}}`))
	})
	mux.HandleFunc("POST /v1.0/oauth2/accessToken", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ AppKey, AppSecret string }
		if json.NewDecoder(r.Body).Decode(&req) != nil || req.AppKey != dtID || req.AppSecret != dtSecret {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"code":"invalidClientIdOrSecret","message":"无效的clientId或者clientSecret"}`))
			return
		}
		w.Write([]byte(`{"accessToken":"tok","expireIn":7200}`))
	})
	authorized := func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer "+apiKey {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}`))
			return false
		}
		return true
	}
	mux.HandleFunc("POST /v1/chat/completions", func(w http.ResponseWriter, r *http.Request) {
		if authorized(w, r) {
			w.Write([]byte(`{"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"OK"},"finish_reason":"stop"}]}`))
		}
	})
	mux.HandleFunc("POST /v1/embeddings", func(w http.ResponseWriter, r *http.Request) {
		if authorized(w, r) {
			w.Write([]byte(`{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2,0.3,0.4]}],"model":"e"}`))
		}
	})
	mux.HandleFunc("POST /open-apis/auth/v3/tenant_access_token/internal", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			AppID     string `json:"app_id"`
			AppSecret string `json:"app_secret"`
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8") // the SDK fails without it
		if json.NewDecoder(r.Body).Decode(&req) != nil || req.AppID != fsID || req.AppSecret != fsSecret {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"code":10014,"msg":"app secret invalid"}`))
			return
		}
		w.Write([]byte(`{"code":0,"msg":"ok","tenant_access_token":"t-fs","expire":7200}`))
	})
	// WeCom's long-connection gateway: the subscription's answer, then
	// the connection stays open until the client closes it.
	mux.HandleFunc("GET /wecom", func(w http.ResponseWriter, r *http.Request) {
		c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		var sub struct {
			Cmd     string            `json:"cmd"`
			Headers map[string]string `json:"headers"`
			Body    map[string]string `json:"body"`
		}
		if c.ReadJSON(&sub) != nil || sub.Cmd != "aibot_subscribe" {
			return
		}
		p.wecomSubscribes.Add(1)
		code, msg := 0, "ok"
		if sub.Body["bot_id"] != wcID || sub.Body["secret"] != wcSecret {
			code, msg = 40014, "invalid bot_id or secret"
		}
		c.WriteJSON(map[string]any{"headers": sub.Headers, "errcode": code, "errmsg": msg})
		for {
			if _, _, err := c.NextReader(); err != nil {
				return
			}
		}
	})
	p.Server = httptest.NewServer(mux)
	tb.Cleanup(p.Close)
	return p
}

// platforms is the fake of fakePlatforms, with what it saw.
type platforms struct {
	*httptest.Server
	wecomSubscribes atomic.Int64 // the subscriptions the WeCom gateway got
}

// The WeCom and Feishu credentials fakePlatforms accepts.
const wcID, wcSecret, fsID, fsSecret = "aib-doctor", "wecom-secret-good", "cli_doctor", "feishu-secret-good"

// wecomURL is fakePlatforms's WeCom gateway.
func wecomURL(srv *platforms) string {
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/wecom"
}

// greenEnv is a configuration every check passes.
func greenEnv(tb testing.TB, srv *platforms) map[string]string {
	tb.Helper()
	return map[string]string{
		"TELEGRAM_BOT_TOKEN": "123:GOOD", "TELEGRAM_API_URL": srv.URL, "ADMIN_USER_IDS": "42",
		"DINGTALK_CLIENT_ID": "dingid", "DINGTALK_CLIENT_SECRET": "dingsecret", "DINGTALK_API_URL": srv.URL,
		"WECOM_BOT_ID": wcID, "WECOM_BOT_SECRET": wcSecret, "WECOM_WS_URL": wecomURL(srv), "WECOM_ADMIN_IDS": "ZhangSan,li.si@office",
		"FEISHU_APP_ID": fsID, "FEISHU_APP_SECRET": fsSecret, "FEISHU_DOMAIN": srv.URL, "FEISHU_ADMIN_IDS": "ou_7d8a6e6df7621556ce0d21922b676706",
		"CORPUS_DIR": "../../corpus/samples", "DATA_DIR": tb.TempDir(),
		"OPENAI_BASE_URL": srv.URL + "/v1", "OPENAI_API_KEY": "sk-good", "CHAT_MODEL": "m", "EMBEDDING_MODEL": "e",
		"WEB_ADDR": "127.0.0.1:8080", "WEB_TOKEN": "3f9a1c7be2d84f60a5c1e9b7d3f2a8c4e6b0d9f1a7c3e5b2",
		"METRICS_ADDR": "127.0.0.1:0", "DIGEST_TZ": "Asia/Shanghai",
		"ASSIGNBOT_ENV_FILE": filepath.Join(tb.TempDir(), "none.env"),
	}
}

// doctorLines runs doctor and returns its lines by check name.
func doctorLines(tb testing.TB, env map[string]string) (map[string][]string, string, error) {
	tb.Helper()
	out, err := runCmd(tb, env, "doctor")
	lines := map[string][]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		mark, rest, _ := strings.Cut(l, " ")
		name, _, ok := strings.Cut(rest, ":")
		if ok && (mark == "✓" || mark == "✗") {
			lines[name] = append(lines[name], l)
		}
	}
	return lines, out, err
}

func TestDoctorAllGreen(t *testing.T) {
	t.Parallel()
	srv := fakePlatforms(t)
	lines, out, err := doctorLines(t, greenEnv(t, srv))
	if err != nil {
		t.Fatalf("doctor: %v\n%s", err, out)
	}
	for _, name := range []string{"Telegram", "DingTalk", "WeCom", "Feishu", "CORPUS_DIR", "DATA_DIR", "store", "model", "embeddings", "WEB_TOKEN", "METRICS_ADDR", "digest time"} {
		if len(lines[name]) != 1 || !strings.HasPrefix(lines[name][0], "✓") {
			t.Errorf("%s: %q\n%s", name, lines[name], out)
		}
	}
	for _, want := range []string{"@office_bot", "subscription accepted", "tenant_access_token answered", "5 notices", "free", "4 dimensions", "Asia/Shanghai"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(out), "checks passed") {
		t.Errorf("no summary:\n%s", out)
	}
}

// TestDoctorRed: each row breaks one thing in the green configuration;
// that check, and only that one, fails with a fix, and doctor exits
// non-zero.
func TestDoctorRed(t *testing.T) {
	t.Parallel()
	srv := fakePlatforms(t)
	fileNotDir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(fileNotDir, []byte("x"), 0o600)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name  string
		check string
		env   map[string]string
		setup func(t *testing.T, env map[string]string)
		want  string // in the failing line
	}{
		{name: "TelegramTokenRefused", check: "Telegram", env: map[string]string{"TELEGRAM_BOT_TOKEN": "123:REVOKED"}, want: "@BotFather"},
		{name: "TelegramUnreachable", check: "Telegram", env: map[string]string{"TELEGRAM_API_URL": "http://127.0.0.1:1"}, want: "outbound HTTPS"},
		{name: "TelegramAdminsNotNumbers", check: "Telegram", env: map[string]string{"ADMIN_USER_IDS": "@boss"}, want: "numeric"},
		{name: "DingTalkSecretWrong", check: "DingTalk", env: map[string]string{"DINGTALK_CLIENT_SECRET": "old-secret-xyz"}, want: "凭证与基础信息"},
		{name: "DingTalkSecretMissing", check: "DingTalk", env: map[string]string{"DINGTALK_CLIENT_SECRET": ""}, want: "set both"},
		{name: "DingTalkUnreachable", check: "DingTalk", env: map[string]string{"DINGTALK_API_URL": "http://127.0.0.1:1"}, want: "outbound HTTPS"},
		{name: "WeComSecretWrong", check: "WeCom", env: map[string]string{"WECOM_BOT_SECRET": "wecom-old-secret"}, want: "API (长连接) settings"},
		{name: "WeComSecretMissing", check: "WeCom", env: map[string]string{"WECOM_BOT_SECRET": ""}, want: "set both"},
		{name: "WeComUnreachable", check: "WeCom", env: map[string]string{"WECOM_WS_URL": "ws://127.0.0.1:1"}, want: "outbound WebSocket"},
		{name: "WeComAdminsMalformed", check: "WeCom", env: map[string]string{"WECOM_ADMIN_IDS": "张三"}, want: "userid"},
		{name: "FeishuSecretWrong", check: "Feishu", env: map[string]string{"FEISHU_APP_SECRET": "feishu-old-secret"}, want: "凭证与基础信息"},
		{name: "FeishuSecretMissing", check: "Feishu", env: map[string]string{"FEISHU_APP_ID": ""}, want: "set both"},
		{name: "FeishuUnreachable", check: "Feishu", env: map[string]string{"FEISHU_DOMAIN": "http://127.0.0.1:1"}, want: "outbound HTTPS to 127.0.0.1:1"},
		{name: "FeishuAdminsNotOpenIDs", check: "Feishu", env: map[string]string{"FEISHU_ADMIN_IDS": "on_union1"}, want: "open_id"},
		{name: "NothingToServe", check: "channels", env: map[string]string{"TELEGRAM_BOT_TOKEN": "", "DINGTALK_CLIENT_ID": "", "DINGTALK_CLIENT_SECRET": "",
			"WECOM_BOT_ID": "", "WECOM_BOT_SECRET": "", "FEISHU_APP_ID": "", "FEISHU_APP_SECRET": "", "WEB_ADDR": ""}, want: "nothing to serve"},
		{name: "CorpusUnset", check: "CORPUS_DIR", env: map[string]string{"CORPUS_DIR": ""}, want: "built-in sample"},
		{name: "CorpusMissing", check: "CORPUS_DIR", env: map[string]string{"CORPUS_DIR": "/nonexistent/notices"}, want: "no such file"},
		{name: "CorpusEmpty", check: "CORPUS_DIR", setup: func(t *testing.T, env map[string]string) { env["CORPUS_DIR"] = t.TempDir() }, want: "no notice loaded"},
		{name: "DataDirIsAFile", check: "DATA_DIR", env: map[string]string{"DATA_DIR": fileNotDir}, want: "not a folder"},
		{name: "DataDirUnderAFile", check: "DATA_DIR", env: map[string]string{"DATA_DIR": filepath.Join(fileNotDir, "data")}, want: "not a directory"},
		{name: "StoreLockedByRunningInstance", check: "store", setup: func(t *testing.T, env map[string]string) {
			s, err := bot.OpenStore(env["DATA_DIR"])
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
		}, want: "systemctl stop"},
		{name: "ModelKeyWrong", check: "model", env: map[string]string{"OPENAI_API_KEY": "sk-bad", "EMBEDDING_API_KEY": "sk-good"}, want: "OPENAI_API_KEY"},
		{name: "ModelWithoutServer", check: "model", env: map[string]string{"OPENAI_BASE_URL": "", "EMBEDDING_MODEL": ""}, want: "without OPENAI_BASE_URL"},
		{name: "ModelTimeoutMalformed", check: "model", env: map[string]string{"LLM_TIMEOUT": "soon"}, want: "LLM_TIMEOUT"},
		{name: "EmbeddingsKeyWrong", check: "embeddings", env: map[string]string{"EMBEDDING_API_KEY": "sk-bad"}, want: "EMBEDDING_MODEL"},
		{name: "WebTokenShort", check: "WEB_TOKEN", env: map[string]string{"WEB_TOKEN": "abc123"}, want: "too short"},
		{name: "WebTokenPlaceholder", check: "WEB_TOKEN", env: map[string]string{"WEB_TOKEN": "changeme-changeme-2024"}, want: "changeme"},
		{name: "WebTokenFewSymbols", check: "WEB_TOKEN", env: map[string]string{"WEB_TOKEN": "abababababababababab"}, want: "different characters"},
		{name: "WebTokenLowEntropy", check: "WEB_TOKEN", env: map[string]string{"WEB_TOKEN": "1029384756102938"}, want: "bits"},
		{name: "MetricsPortInUse", check: "METRICS_ADDR", env: map[string]string{"METRICS_ADDR": busy.Addr().String()}, want: "another port"},
		{name: "MetricsAddrMalformed", check: "METRICS_ADDR", env: map[string]string{"METRICS_ADDR": "9464"}, want: "host:port"},
		{name: "DigestZoneUnknown", check: "digest time", env: map[string]string{"DIGEST_TZ": "Asia/Beijing"}, want: "IANA"},
		{name: "DigestTimeMalformed", check: "digest time", env: map[string]string{"DIGEST_TIME": "8点半"}, want: "HH:MM"},
		{name: "ClockShiftedForDemo", check: "digest time", env: map[string]string{"ASSIGNBOT_NOW": "2021-06-25T08:59:00+08:00"}, want: "remove ASSIGNBOT_NOW"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := greenEnv(t, srv)
			for k, v := range tt.env {
				env[k] = v
			}
			if tt.setup != nil {
				tt.setup(t, env)
			}
			lines, out, err := doctorLines(t, env)
			if !errors.Is(err, errChecksFailed) {
				t.Fatalf("doctor returned %v, want errChecksFailed\n%s", err, out)
			}
			got := lines[tt.check]
			if len(got) != 1 || !strings.HasPrefix(got[0], "✗") || !strings.Contains(got[0], "fix:") || !strings.Contains(got[0], tt.want) {
				t.Errorf("%s: %q, want ✗ with %q and a fix\n%s", tt.check, got, tt.want, out)
			}
			for name, ls := range lines {
				if name != tt.check && strings.HasPrefix(ls[0], "✗") {
					t.Errorf("%s failed too: %s", name, ls[0])
				}
			}
			for _, secret := range []string{"123:GOOD", "123:REVOKED", "dingsecret", "old-secret-xyz", "sk-good", "sk-bad",
				wcSecret, "wecom-old-secret", fsSecret, "feishu-old-secret", "t-fs"} {
				if strings.Contains(out, secret) {
					t.Errorf("report shows the secret %q:\n%s", secret, out)
				}
			}
		})
	}
}

// TestDoctorOnlyWebPage: the admin page alone is a valid deployment.
func TestDoctorOnlyWebPage(t *testing.T) {
	t.Parallel()
	srv := fakePlatforms(t)
	env := greenEnv(t, srv)
	for _, k := range []string{"TELEGRAM_BOT_TOKEN", "DINGTALK_CLIENT_ID", "DINGTALK_CLIENT_SECRET", "WECOM_BOT_ID", "WECOM_BOT_SECRET",
		"FEISHU_APP_ID", "FEISHU_APP_SECRET", "OPENAI_BASE_URL", "CHAT_MODEL", "EMBEDDING_MODEL"} {
		delete(env, k)
	}
	lines, out, err := doctorLines(t, env)
	if err != nil {
		t.Fatalf("doctor: %v\n%s", err, out)
	}
	if !strings.Contains(lines["channels"][0], "admin page alone") || !strings.Contains(lines["model"][0], "offline") {
		t.Errorf("unexpected report:\n%s", out)
	}
}

// TestDoctorWeComLeavesRunningInstanceAlone: with a running assignbot
// holding the store, the WeCom check does not subscribe (WeCom keeps one
// connection per bot; a new one would take over the running one's) and
// says so; the store check is what fails.
func TestDoctorWeComLeavesRunningInstanceAlone(t *testing.T) {
	t.Parallel()
	srv := fakePlatforms(t)
	env := greenEnv(t, srv)
	s, err := bot.OpenStore(env["DATA_DIR"])
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before := srv.wecomSubscribes.Load()
	lines, out, _ := doctorLines(t, env)
	if got := lines["WeCom"]; len(got) != 1 || !strings.HasPrefix(got[0], "✓") || !strings.Contains(got[0], "not tried") {
		t.Errorf("WeCom: %q\n%s", got, out)
	}
	if n := srv.wecomSubscribes.Load() - before; n != 0 {
		t.Errorf("%d subscriptions while an instance runs, want 0", n)
	}
}
