package bot

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Metrics counts what the bot does, for a monitoring agent to scrape
// (/metrics, in the Prometheus text format) and for /healthz to judge.
// The core counts questions, answer latency, not-found answers, send
// failures and digests sent itself; a channel reports its commands and
// whether it is connected. Every method is safe on a nil *Metrics, so a
// channel calls them without asking whether anyone is counting.
//
// The text format is small enough to write here: the Prometheus client
// library would bring protobuf and a dozen modules into a binary that is
// copied onto offline servers by hand.
type Metrics struct {
	mu        sync.Mutex
	questions map[string]uint64    // channel
	notFound  map[string]uint64    // channel
	commands  map[[2]string]uint64 // channel, command
	failures  map[string]uint64    // channel
	digests   map[string]uint64    // channel
	latency   map[string]*histogram
	connected map[string]bool
	reloads   map[bool]uint64
	reloadAt  time.Time
	reloadOK  bool
}

// NewMetrics returns empty counters.
func NewMetrics() *Metrics {
	return &Metrics{questions: map[string]uint64{}, notFound: map[string]uint64{}, commands: map[[2]string]uint64{},
		failures: map[string]uint64{}, digests: map[string]uint64{}, latency: map[string]*histogram{},
		connected: map[string]bool{}, reloads: map[bool]uint64{}}
}

// latencyBuckets are the answer-latency histogram's upper bounds in
// seconds: offline answers take milliseconds, a model answer up to
// LLM_TIMEOUT (15 s by default).
var latencyBuckets = []float64{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30}

type histogram struct {
	counts []uint64 // per bucket, not cumulative; one more for +Inf
	sum    float64
	n      uint64
}

// knownCommands bounds the command label: anything else counts as "other".
var knownCommands = map[string]bool{"start": true, "help": true, "ask": true, "unit": true, "task": true, "notices": true,
	"scope": true, "subscribe": true, "unsubscribe": true, "digest": true, "reload": true, "stats": true, "export": true,
	"feedback": true, "subscriptions": true}

// Question counts one question answered on channel, how long the answer
// took and whether it found anything.
func (m *Metrics) Question(channel string, took time.Duration, found bool) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.questions[channel]++
	if !found {
		m.notFound[channel]++
	}
	h := m.latency[channel]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets)+1)}
		m.latency[channel] = h
	}
	s := took.Seconds()
	i, _ := slices.BinarySearch(latencyBuckets, s)
	h.counts[i]++
	h.sum += s
	h.n++
}

// Command counts one command (without the slash) on channel.
func (m *Metrics) Command(channel, cmd string) {
	if m == nil {
		return
	}
	if !knownCommands[cmd] {
		cmd = "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.commands[[2]string{channel, cmd}]++
}

// SendFailed counts one delivery attempt on channel that did not deliver.
func (m *Metrics) SendFailed(channel string) {
	if m != nil {
		m.add(m.failures, channel)
	}
}

// DigestSent counts one digest message the platform accepted.
func (m *Metrics) DigestSent(channel string) {
	if m != nil {
		m.add(m.digests, channel)
	}
}

func (m *Metrics) add(c map[string]uint64, channel string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c[channel]++
}

// Connected records whether channel is connected to its platform now: a
// long poll that answered, a stream that is open, a webhook registered.
func (m *Metrics) Connected(channel string, up bool) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.connected[channel] = up
}

// IsConnected reports the last state channel reported (false before any).
func (m *Metrics) IsConnected(channel string) bool {
	if m == nil {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.connected[channel]
}

// Reloaded records a load of the notices (the first one or a reload) and
// whether it succeeded.
func (m *Metrics) Reloaded(at time.Time, err error) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reloadAt, m.reloadOK = at, err == nil
	m.reloads[err == nil]++
}

// Gauges are the values read at scrape time from outside the counters.
type Gauges struct {
	OutboxPending   int
	OutboxOldestAge time.Duration // of the oldest message waiting; 0 when none
	IndexLoaded     bool
	Notices, Tasks  int
	Build           map[string]string // version, commit, goarch…: one assignbot_build_info series
}

// WriteText writes every metric in the Prometheus text exposition format
// (version 0.0.4).
func (m *Metrics) WriteText(w io.Writer, g Gauges) error {
	if m == nil {
		m = NewMetrics()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p := &promWriter{w: w}
	p.family("assignbot_questions_total", "counter", "Questions answered, by channel.")
	for _, ch := range metricKeys(m.questions) {
		p.sample("assignbot_questions_total", labels("channel", ch), float64(m.questions[ch]))
	}
	p.family("assignbot_not_found_total", "counter", "Questions answered with nothing found, by channel.")
	for _, ch := range metricKeys(m.notFound) {
		p.sample("assignbot_not_found_total", labels("channel", ch), float64(m.notFound[ch]))
	}
	p.family("assignbot_commands_total", "counter", "Commands received, by channel and command.")
	cmds := make([][2]string, 0, len(m.commands))
	for k := range m.commands {
		cmds = append(cmds, k)
	}
	slices.SortFunc(cmds, func(a, b [2]string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) })
	for _, k := range cmds {
		p.sample("assignbot_commands_total", labels("channel", k[0], "command", k[1]), float64(m.commands[k]))
	}
	p.family("assignbot_answer_duration_seconds", "histogram", "Time to answer a question, by channel.")
	for _, ch := range metricKeys(m.latency) {
		h := m.latency[ch]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i]
			p.sample("assignbot_answer_duration_seconds_bucket", labels("channel", ch, "le", formatFloat(le)), float64(cum))
		}
		p.sample("assignbot_answer_duration_seconds_bucket", labels("channel", ch, "le", "+Inf"), float64(h.n))
		p.sample("assignbot_answer_duration_seconds_sum", labels("channel", ch), h.sum)
		p.sample("assignbot_answer_duration_seconds_count", labels("channel", ch), float64(h.n))
	}
	p.family("assignbot_send_failures_total", "counter", "Delivery attempts that failed (retried, dropped or chat gone), by channel.")
	for _, ch := range metricKeys(m.failures) {
		p.sample("assignbot_send_failures_total", labels("channel", ch), float64(m.failures[ch]))
	}
	p.family("assignbot_digests_sent_total", "counter", "Digest messages delivered, by channel.")
	for _, ch := range metricKeys(m.digests) {
		p.sample("assignbot_digests_sent_total", labels("channel", ch), float64(m.digests[ch]))
	}
	p.family("assignbot_outbox_pending", "gauge", "Messages waiting in the outbox.")
	p.sample("assignbot_outbox_pending", "", float64(g.OutboxPending))
	p.family("assignbot_outbox_oldest_age_seconds", "gauge", "Age of the oldest message waiting in the outbox; 0 when empty.")
	p.sample("assignbot_outbox_oldest_age_seconds", "", g.OutboxOldestAge.Seconds())
	p.family("assignbot_reloads_total", "counter", "Loads of the notices, by result.")
	p.sample("assignbot_reloads_total", labels("result", "error"), float64(m.reloads[false]))
	p.sample("assignbot_reloads_total", labels("result", "ok"), float64(m.reloads[true]))
	p.family("assignbot_last_reload_timestamp_seconds", "gauge", "Unix time of the last load of the notices; 0 before the first.")
	p.sample("assignbot_last_reload_timestamp_seconds", "", unixSeconds(m.reloadAt))
	p.family("assignbot_last_reload_success", "gauge", "1 when the last load of the notices succeeded.")
	p.sample("assignbot_last_reload_success", "", boolValue(m.reloadOK))
	p.family("assignbot_index_loaded", "gauge", "1 when an index is loaded and questions are answered.")
	p.sample("assignbot_index_loaded", "", boolValue(g.IndexLoaded))
	p.family("assignbot_notices_loaded", "gauge", "Notices in the loaded index.")
	p.sample("assignbot_notices_loaded", "", float64(g.Notices))
	p.family("assignbot_tasks_loaded", "gauge", "Tasks in the loaded index.")
	p.sample("assignbot_tasks_loaded", "", float64(g.Tasks))
	p.family("assignbot_channel_connected", "gauge", "1 when the channel is connected to its platform.")
	for _, ch := range metricKeys(m.connected) {
		p.sample("assignbot_channel_connected", labels("channel", ch), boolValue(m.connected[ch]))
	}
	if len(g.Build) > 0 {
		p.family("assignbot_build_info", "gauge", "The running binary's version, commit and architecture.")
		var kv []string
		for _, k := range metricKeys(g.Build) {
			kv = append(kv, k, g.Build[k])
		}
		p.sample("assignbot_build_info", labels(kv...), 1)
	}
	return p.err
}

// promWriter writes the text format and keeps the first write error.
type promWriter struct {
	w   io.Writer
	err error
}

func (p *promWriter) family(name, typ, help string) {
	p.printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

func (p *promWriter) sample(name, labels string, v float64) {
	p.printf("%s%s %s\n", name, labels, formatFloat(v))
}

func (p *promWriter) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// labels formats name, value pairs as {a="x",b="y"}, values escaped as the
// format requires.
func labels(kv ...string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(kv[i])
		b.WriteString(`="`)
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(kv[i+1]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixMilli()) / 1000
}

func metricKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
