package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/assignbot/assignbot/bot"
)

// /healthz and /metrics are served on METRICS_ADDR, apart from the admin
// page and without its token, so that a monitoring agent (Prometheus, a
// Zabbix HTTP check, a load balancer) can scrape them. They say nothing a
// colleague could not learn from the bot itself, and they listen on
// loopback unless the operator says otherwise.

// defaultMetricsAddr is where /healthz and /metrics listen unless
// METRICS_ADDR says otherwise (9464: the port Prometheus exporters of
// this kind commonly take).
const defaultMetricsAddr = "127.0.0.1:9464"

// metricsAddr reads METRICS_ADDR: host:port, or "off" for none.
func metricsAddr(getenv func(string) string) (string, error) {
	v := strings.TrimSpace(envOr(getenv, "METRICS_ADDR", defaultMetricsAddr))
	switch strings.ToLower(v) {
	case "off", "none", "false", "no", "-":
		return "", nil
	}
	if _, _, err := net.SplitHostPort(v); err != nil {
		return "", fmt.Errorf("METRICS_ADDR must be host:port or off, got %q", v)
	}
	return v, nil
}

// health is what /healthz and /metrics read: the counters, the running
// channels, the index and the outbox.
type health struct {
	metrics  *bot.Metrics
	channels func() []string            // the chat channels started; nil when none
	index    func() (n, t int, ok bool) // notices and tasks of the loaded index; false while none is loaded
	outbox   *bot.Outbox                // nil without a chat channel
	now      func() time.Time
}

// handler serves /healthz and /metrics.
func (h *health) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", h.healthz)
	mux.HandleFunc("GET /metrics", h.serveMetrics)
	return mux
}

// healthz answers 200 when every started channel is connected and an index
// is loaded, 503 otherwise; the body names each part's state, the failing
// ones first.
func (h *health) healthz(w http.ResponseWriter, _ *http.Request) {
	var bad, good []string
	if h.channels != nil {
		for _, ch := range h.channels() {
			if h.metrics.IsConnected(ch) {
				good = append(good, ch+": connected")
			} else {
				bad = append(bad, ch+": not connected")
			}
		}
	}
	if n, t, ok := h.index(); ok {
		good = append(good, fmt.Sprintf("index: %d notices, %d tasks", n, t))
	} else {
		bad = append(bad, "index: not loaded")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if len(bad) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "unhealthy")
	} else {
		fmt.Fprintln(w, "ok")
	}
	for _, line := range append(bad, good...) {
		fmt.Fprintln(w, line)
	}
}

func (h *health) serveMetrics(w http.ResponseWriter, _ *http.Request) {
	g := bot.Gauges{Build: map[string]string{"version": versionOrDev(), "goversion": runtime.Version(), "goarch": runtime.GOARCH}}
	g.Notices, g.Tasks, g.IndexLoaded = h.index()
	if h.outbox != nil {
		var oldest time.Time
		g.OutboxPending, oldest = h.outbox.Stats()
		if !oldest.IsZero() {
			g.OutboxOldestAge = max(0, h.now().Sub(oldest))
		}
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	h.metrics.WriteText(w, g)
}

// serveHealth returns a function that serves h on addr until ctx ends.
// The listener is opened now, so that a port in use fails serve at once.
func serveHealth(addr string, h *health, log *slog.Logger) (func(context.Context) error, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("METRICS_ADDR %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h.handler(), ReadHeaderTimeout: 10 * time.Second}
	return func(ctx context.Context) error {
		log.Info("/healthz and /metrics listening", "addr", ln.Addr().String())
		errc := make(chan error, 1)
		go func() { errc <- srv.Serve(ln) }()
		select {
		case <-ctx.Done():
			shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := srv.Shutdown(shut)
			<-errc
			return err
		case err := <-errc:
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return fmt.Errorf("metrics on %s: %w", addr, err)
		}
	}, nil
}

// versionOrDev is the release version for assignbot_build_info.
func versionOrDev() string {
	if version != "" {
		return version
	}
	return "dev"
}
