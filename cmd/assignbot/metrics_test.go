package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/assignbot/assignbot/bot"
)

func get(tb testing.TB, h http.Handler, path string) (int, string, string) {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String(), rec.Header().Get("Content-Type")
}

// TestHealthz: 503 naming what is wrong until every started channel is
// connected and an index is loaded, then 200.
func TestHealthz(t *testing.T) {
	m := bot.NewMetrics()
	loaded := false
	h := &health{metrics: m, channels: func() []string { return []string{"telegram", "dingtalk"} },
		index: func() (int, int, bool) { return 5, 348, loaded }, now: time.Now}
	for _, tc := range []struct {
		name      string
		tg, dt    bool
		loaded    bool
		code      int
		want, not []string
	}{
		{name: "Starting", code: 503, want: []string{"unhealthy", "telegram: not connected", "dingtalk: not connected", "index: not loaded"}},
		{name: "IndexLoadingChannelsUp", tg: true, dt: true, code: 503, want: []string{"index: not loaded", "telegram: connected"}},
		{name: "DingTalkStreamDown", tg: true, loaded: true, code: 503, want: []string{"dingtalk: not connected", "index: 5 notices, 348 tasks"}},
		{name: "AllUp", tg: true, dt: true, loaded: true, code: 200, want: []string{"ok\n", "telegram: connected", "dingtalk: connected"}, not: []string{"not connected", "not loaded"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m.Connected("telegram", tc.tg)
			m.Connected("dingtalk", tc.dt)
			loaded = tc.loaded
			code, body, _ := get(t, h.handler(), "/healthz")
			if code != tc.code {
				t.Errorf("status %d, want %d\n%s", code, tc.code, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q:\n%s", w, body)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(body, w) {
					t.Errorf("body has %q:\n%s", w, body)
				}
			}
		})
	}
}

// TestMetricsEndpoint: /metrics is the text format with every metric the
// docs/deploy.md names, the outbox read at scrape time.
func TestMetricsEndpoint(t *testing.T) {
	store, err := bot.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	queued := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	ob := bot.NewOutbox(store, bot.OutboxConfig{}, func() time.Time { return queued }, nil)
	ob.Enqueue(bot.OutboxEntry{Channel: "telegram", Chat: "1", Kind: "reply", Payload: []byte(`{}`)})
	m := bot.NewMetrics()
	m.Question("telegram", 40*time.Millisecond, false)
	m.Command("telegram", "help")
	m.Connected("telegram", true)
	h := &health{metrics: m, channels: func() []string { return []string{"telegram"} }, outbox: ob,
		index: func() (int, int, bool) { return 5, 348, true }, now: func() time.Time { return queued.Add(2 * time.Minute) }}
	code, body, ctype := get(t, h.handler(), "/metrics")
	if code != 200 || !strings.HasPrefix(ctype, "text/plain; version=0.0.4") {
		t.Fatalf("status %d, content type %q", code, ctype)
	}
	for _, name := range readmeMetrics(t) {
		if !strings.Contains(body, "# TYPE "+name+" ") {
			t.Errorf("%s named in docs/deploy.md but not served", name)
		}
	}
	for _, want := range []string{"assignbot_outbox_pending 1\n", "assignbot_outbox_oldest_age_seconds 120\n", "assignbot_tasks_loaded 348\n",
		`assignbot_not_found_total{channel="telegram"} 1`, `assignbot_channel_connected{channel="telegram"} 1`, "assignbot_build_info{"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
}

// readmeMetrics are the metric names docs/deploy.md's table lists.
func readmeMetrics(tb testing.TB) []string {
	tb.Helper()
	data, err := os.ReadFile("../../docs/deploy.md")
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "| `assignbot_") {
			name, _, _ := strings.Cut(strings.TrimPrefix(line, "| `"), "`")
			names = append(names, name)
		}
	}
	if len(names) < 10 {
		tb.Fatalf("docs/deploy.md lists %d metrics", len(names))
	}
	return names
}

// TestServeHealthAndMetrics: serve answers /healthz and /metrics on
// METRICS_ADDR, without a token, 200 once the notices are loaded.
func TestServeHealthAndMetrics(t *testing.T) {
	addr := freeAddr(t)
	env := map[string]string{"DATA_DIR": t.TempDir(), "WEB_ADDR": freeAddr(t), "WEB_TOKEN": "serve-test-token-0123456789", "METRICS_ADDR": addr}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard)
	}()
	fetch := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	deadline := time.Now().Add(30 * time.Second)
	code, body := 0, ""
	for time.Now().Before(deadline) {
		if code, body = fetch("/healthz"); code == http.StatusOK {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve returned early: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	if code != http.StatusOK || !strings.Contains(body, "index: 5 notices") {
		t.Fatalf("/healthz: %d\n%s", code, body)
	}
	code, body = fetch("/metrics")
	if code != http.StatusOK || !strings.Contains(body, "assignbot_notices_loaded 5\n") || !strings.Contains(body, `assignbot_reloads_total{result="ok"} 1`) ||
		!strings.Contains(body, "assignbot_last_reload_success 1\n") {
		t.Errorf("/metrics: %d\n%s", code, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestServeMetricsAddrInUse: a METRICS_ADDR the operator chose that is
// taken stops serve at once; a bad one too.
func TestServeMetricsAddrInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, addr := range []string{l.Addr().String(), "9464"} {
		env := map[string]string{"DATA_DIR": t.TempDir(), "WEB_ADDR": freeAddr(t), "WEB_TOKEN": "serve-test-token-0123456789", "METRICS_ADDR": addr}
		if _, err := runCmd(t, env, "serve"); err == nil || !strings.Contains(err.Error(), "METRICS_ADDR") {
			t.Errorf("METRICS_ADDR=%s: %v", addr, err)
		}
	}
}

func freeAddr(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
