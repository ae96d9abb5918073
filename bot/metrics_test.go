package bot

import (
	"bufio"
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sampleLine is one sample of the Prometheus text format.
var sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (\S+)$`)

// parseText checks every line of the text format and returns the samples
// as "name{labels}" → value.
func parseText(tb testing.TB, text string) map[string]float64 {
	tb.Helper()
	samples := map[string]float64{}
	typed := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "# TYPE ") {
			f := strings.Fields(line)
			typed[f[2]] = f[3]
			continue
		}
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		m := sampleLine.FindStringSubmatch(line)
		if m == nil {
			tb.Fatalf("not a sample line: %q", line)
		}
		family := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m[1], "_bucket"), "_sum"), "_count")
		if typed[m[1]] == "" && typed[family] == "" {
			tb.Errorf("sample %s has no # TYPE before it", m[1])
		}
		v, err := strconv.ParseFloat(m[len(m)-1], 64)
		if err != nil {
			tb.Fatalf("value of %q: %v", line, err)
		}
		samples[m[1]+m[2]] = v
	}
	return samples
}

func TestMetricsText(t *testing.T) {
	t.Parallel()
	m := NewMetrics()
	m.Question("telegram", 30*time.Millisecond, true)
	m.Question("telegram", 3*time.Second, false)
	m.Question("dingtalk", 200*time.Millisecond, true)
	m.Command("telegram", "unit")
	m.Command("telegram", "unit")
	m.Command("dingtalk", "rm -rf")
	m.SendFailed("dingtalk")
	m.DigestSent("telegram")
	m.Connected("telegram", true)
	m.Connected("dingtalk", false)
	m.Reloaded(time.Unix(1700000000, 0), nil)
	m.Reloaded(time.Unix(1700000100, 0), errors.New("bad file"))
	var b strings.Builder
	err := m.WriteText(&b, Gauges{OutboxPending: 3, OutboxOldestAge: 90 * time.Second, IndexLoaded: true, Notices: 5, Tasks: 348,
		Build: map[string]string{"version": `v1 "quoted"`, "goarch": "loong64"}})
	if err != nil {
		t.Fatal(err)
	}
	got := parseText(t, b.String())
	for name, want := range map[string]float64{
		`assignbot_questions_total{channel="telegram"}`:                          2,
		`assignbot_questions_total{channel="dingtalk"}`:                          1,
		`assignbot_not_found_total{channel="telegram"}`:                          1,
		`assignbot_commands_total{channel="telegram",command="unit"}`:            2,
		`assignbot_commands_total{channel="dingtalk",command="other"}`:           1,
		`assignbot_answer_duration_seconds_bucket{channel="telegram",le="0.05"}`: 1,
		`assignbot_answer_duration_seconds_bucket{channel="telegram",le="2.5"}`:  1,
		`assignbot_answer_duration_seconds_bucket{channel="telegram",le="5"}`:    2,
		`assignbot_answer_duration_seconds_bucket{channel="telegram",le="+Inf"}`: 2,
		`assignbot_answer_duration_seconds_count{channel="telegram"}`:            2,
		`assignbot_answer_duration_seconds_sum{channel="telegram"}`:              3.03,
		`assignbot_send_failures_total{channel="dingtalk"}`:                      1,
		`assignbot_digests_sent_total{channel="telegram"}`:                       1,
		`assignbot_outbox_pending`:                                               3,
		`assignbot_outbox_oldest_age_seconds`:                                    90,
		`assignbot_reloads_total{result="ok"}`:                                   1,
		`assignbot_reloads_total{result="error"}`:                                1,
		`assignbot_last_reload_timestamp_seconds`:                                1700000100,
		`assignbot_last_reload_success`:                                          0,
		`assignbot_index_loaded`:                                                 1,
		`assignbot_notices_loaded`:                                               5,
		`assignbot_tasks_loaded`:                                                 348,
		`assignbot_channel_connected{channel="telegram"}`:                        1,
		`assignbot_channel_connected{channel="dingtalk"}`:                        0,
		`assignbot_build_info{goarch="loong64",version="v1 \"quoted\""}`:         1,
	} {
		if v, ok := got[name]; !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", name, v, ok, want)
		}
	}
	if !m.IsConnected("telegram") || m.IsConnected("dingtalk") || m.IsConnected("wecom") {
		t.Error("IsConnected does not follow Connected")
	}
}

// TestMetricsNil: a channel reports without asking whether anyone counts.
func TestMetricsNil(t *testing.T) {
	t.Parallel()
	var m *Metrics
	m.Question("x", time.Second, true)
	m.Command("x", "help")
	m.SendFailed("x")
	m.DigestSent("x")
	m.Connected("x", true)
	m.Reloaded(time.Now(), nil)
	var b strings.Builder
	if err := m.WriteText(&b, Gauges{}); err != nil || !strings.Contains(b.String(), "assignbot_outbox_pending 0") {
		t.Errorf("nil metrics: %v\n%s", err, b.String())
	}
}

// TestOutboxMetrics: failed attempts count as send failures, a delivered
// digest as a digest sent, and Stats gives the depth and the oldest entry.
func TestOutboxMetrics(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, cst)}
	store, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ob := NewOutbox(store, OutboxConfig{MinBackoff: time.Minute}, c.now, quietLog())
	ob.metrics = NewMetrics()
	fail := true
	ob.Handle("test", func(context.Context, OutboxEntry) Result {
		if fail {
			return Result{Outcome: Retry, Err: errors.New("502")}
		}
		return Result{Outcome: Delivered}
	})
	queued := c.now()
	ob.Enqueue(testEntries(1, "a")...)
	c.set(c.now().Add(time.Second))
	ob.Enqueue(testEntries(2, "b")...)
	ob.Flush(context.Background())
	if n, oldest := ob.Stats(); n != 2 || !oldest.Equal(queued) {
		t.Errorf("Stats = %d, %v; want 2, %v", n, oldest, queued)
	}
	fail = false
	c.set(c.now().Add(2 * time.Minute))
	ob.Flush(context.Background())
	if n, oldest := ob.Stats(); n != 0 || !oldest.IsZero() {
		t.Errorf("Stats after delivery = %d, %v", n, oldest)
	}
	var b strings.Builder
	ob.metrics.WriteText(&b, Gauges{})
	got := parseText(t, b.String())
	if got[`assignbot_send_failures_total{channel="test"}`] != 2 || got[`assignbot_digests_sent_total{channel="test"}`] != 2 {
		t.Errorf("failures %v, digests %v; want 2 and 2", got[`assignbot_send_failures_total{channel="test"}`], got[`assignbot_digests_sent_total{channel="test"}`])
	}
}

// TestCoreCountsQuestions: the core counts what it answers, by channel,
// with found and not found apart.
func TestCoreCountsQuestions(t *testing.T) {
	t.Parallel()
	store, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	core, err := NewCore(CoreConfig{Store: store, Logger: quietLog()}, samplesEngine(t))
	if err != nil {
		t.Fatal(err)
	}
	ch := testChannel{&recorder{}}
	core.Add(ch)
	core.Handle(context.Background(), ch, Message{Chat: ChatRef{Channel: ch.Name(), ID: "c"}, Private: true, SenderID: "u", Addressed: true,
		Text: "哪个单位牵头步行街建设任务？"}, func(Reply) {})
	core.Handle(context.Background(), ch, Message{Chat: ChatRef{Channel: ch.Name(), ID: "c"}, Private: true, SenderID: "u", Addressed: true,
		Text: "/notices"}, func(Reply) {})
	var b strings.Builder
	core.Metrics().WriteText(&b, Gauges{})
	got := parseText(t, b.String())
	q := `assignbot_questions_total{channel="` + ch.Name() + `"}`
	cmd := `assignbot_commands_total{channel="` + ch.Name() + `",command="notices"}`
	if got[q] != 1 || got[cmd] != 1 {
		t.Errorf("%s = %v, %s = %v; want 1 and 1\n%s", q, got[q], cmd, got[cmd], b.String())
	}
}
