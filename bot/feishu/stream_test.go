package feishu

import (
	"context"
	"strings"
	"testing"
	"time"

	larkws "github.com/larksuite/oapi-sdk-go/v3/ws"
)

type received chan Incoming

func (r received) handler(_ context.Context, m Incoming) { r <- m }

func (r received) next(tb testing.TB) Incoming {
	tb.Helper()
	select {
	case m := <-r:
		return m
	case <-time.After(5 * time.Second):
		tb.Fatal("no message reached the handler")
		return Incoming{}
	}
}

func (r received) none(tb testing.TB, d time.Duration) {
	tb.Helper()
	select {
	case m := <-r:
		tb.Fatalf("unexpected message reached the handler: %+v", m)
	case <-time.After(d):
	}
}

// TestSplitEventsJoined: events split over several frames, sent back to
// back and interleaved, are each joined, handled once and acknowledged
// once (the SDK's own client can lose a part here).
func TestSplitEventsJoined(t *testing.T) {
	t.Parallel()
	f := newFakeFeishu(t)
	got := received(make(chan Incoming, 8))
	startChannel(t, f, testConfig(f, nil), got.handler)
	long := strings.Repeat("步行街建设任务由哪个单位牵头？", 40)
	f.push("split-3", msgEvent("ev-a", "om_a", "ou_user", "", long, false, false), 3)
	if m := got.next(t); m.MessageID != "om_a" || m.Text != long {
		t.Fatalf("joined event: %q", m.Text)
	}
	a := eventFrames("split-a", msgEvent("ev-b", "om_b", "ou_user", "", "甲"+long, false, false), 2)
	b := eventFrames("split-b", msgEvent("ev-c", "om_c", "ou_user", "", "乙"+long, false, false), 2)
	f.mu.Lock()
	c := f.conn
	f.mu.Unlock()
	for _, fr := range []larkws.Frame{a[0], b[0], b[1], a[1]} {
		if err := f.write(c, fr); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]string{}
	for range 2 {
		m := got.next(t)
		seen[m.MessageID] = m.Text
	}
	if seen["om_b"] != "甲"+long || seen["om_c"] != "乙"+long {
		t.Errorf("interleaved events: %v", seen)
	}
	for _, id := range []string{"split-3", "split-a", "split-b"} {
		if code := f.waitAck(id); code != 200 {
			t.Errorf("%s: ack %d", id, code)
		}
	}
	time.Sleep(100 * time.Millisecond)
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range []string{"split-3", "split-a", "split-b"} {
		if n := len(f.acks[id]); n != 1 {
			t.Errorf("%s acknowledged %d times", id, n)
		}
	}
}

// TestRedeliveredEventSkipped: Feishu pushes an event again when it saw
// no answer; the bot answers it and handles it once.
func TestRedeliveredEventSkipped(t *testing.T) {
	t.Parallel()
	f := newFakeFeishu(t)
	got := received(make(chan Incoming, 4))
	startChannel(t, f, testConfig(f, nil), got.handler)
	ev := msgEvent("ev-1", "om_1", "ou_user", "", "问题", false, false)
	f.push("frame-1", ev, 1)
	f.push("frame-2", ev, 1)
	if m := got.next(t); m.EventID != "ev-1" {
		t.Errorf("first delivery %+v", m)
	}
	got.none(t, 200*time.Millisecond)
	if f.waitAck("frame-1") != 200 || f.waitAck("frame-2") != 200 {
		t.Error("a delivery was not acknowledged with 200")
	}
}

// TestFullQueueRefusesForRedelivery: with every worker busy and the
// queue full, an event is answered 500 so that Feishu pushes it again.
func TestFullQueueRefusesForRedelivery(t *testing.T) {
	t.Parallel()
	f := newFakeFeishu(t)
	block := make(chan struct{})
	defer close(block)
	cfg := testConfig(f, nil)
	cfg.Workers, cfg.QueueSize = 1, 1
	startChannel(t, f, cfg, func(ctx context.Context, m Incoming) {
		select {
		case <-block:
		case <-ctx.Done():
		}
	})
	for i, id := range []string{"a", "b", "c"} {
		f.push("frame-"+id, msgEvent("ev-"+id, "om_"+id, "ou_user", "", "问题", false, false), 1)
		if i == 0 {
			f.waitAck("frame-a")
			time.Sleep(50 * time.Millisecond) // the worker has taken it
		}
	}
	if code := f.waitAck("frame-c"); code != 500 {
		t.Errorf("event beyond the queue: ack %d, want 500", code)
	}
}

func TestPingsAnsweredWithSettings(t *testing.T) {
	t.Parallel()
	f := newFakeFeishu(t)
	ch := startChannel(t, f, testConfig(f, nil), received(make(chan Incoming, 4)).handler)
	time.Sleep(2500 * time.Millisecond)
	f.mu.Lock()
	pings := f.pings
	f.mu.Unlock()
	if pings < 2 || ch.stream.pingInterval() != time.Second {
		t.Errorf("%d pings in 2.5 s, interval %v; want the server's 1 s", pings, ch.stream.pingInterval())
	}
}

// TestSecretsNeverLogged drives the failure paths with logging at debug
// level and looks for the secret, the tokens and the access keys.
func TestSecretsNeverLogged(t *testing.T) {
	t.Parallel()
	f := newFakeFeishu(t)
	var logs logBuffer
	cfg := testConfig(f, &logs)
	ch := startChannel(t, f, cfg, received(make(chan Incoming, 4)).handler)
	if err := ch.api.Send(context.Background(), "oc_x", RenderDoc("t", []string{"x"}).Content(), "u1"); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	clear(f.tokens) // the token is revoked: fetched again
	f.mu.Unlock()
	if err := ch.api.Send(context.Background(), "oc_x", RenderDoc("t", []string{"x"}).Content(), "u2"); err != nil {
		t.Fatalf("send after the token was revoked: %v", err)
	}
	if _, err := ch.api.Download(context.Background(), "om_none", "file_none"); err == nil {
		t.Error("download of nothing: no error")
	} else {
		cfg.Logger.Error("download failed", "err", err)
	}
	f.drop()
	f.waitConnected(2)
	bad := testConfig(f, &logs)
	bad.AppSecret = "wrong-" + testSecret
	badCh, _ := New(bad, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	badCh.Run(ctx)
	cancel()
	if err := badCh.api.Send(context.Background(), "oc_x", "{}", "u3"); err == nil {
		t.Error("send with a wrong secret: no error")
	} else {
		cfg.Logger.Error("send failed", "err", err)
	}

	out := logs.String()
	if !strings.Contains(out, "long connection refused") || !strings.Contains(out, "connection lost") || !strings.Contains(out, "download failed") {
		t.Fatalf("the failures were not logged:\n%s", out)
	}
	f.mu.Lock()
	secrets := append([]string{testSecret}, f.secretsSeen...)
	f.mu.Unlock()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("log shows %q:\n%s", s, out)
		}
	}
}
