package wecom

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/assignbot/assignbot/bot"
)

// received collects handled messages.
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

func TestSubscribesAndPings(t *testing.T) {
	t.Parallel()
	f := newFakeWeCom(t)
	startChannel(t, f, testConfig(f, nil), received(make(chan Incoming, 4)).handler)
	time.Sleep(1000 * time.Millisecond)
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.subscribes) != 1 || f.subscribes[0]["bot_id"] != testBotID || f.subscribes[0]["secret"] != testSecret {
		t.Errorf("subscriptions %v", f.subscribes)
	}
	if f.pings < 2 {
		t.Errorf("%d pings in 3.3 periods", f.pings)
	}
	for _, raw := range f.frames {
		if strings.Contains(string(raw), `"cmd":"ping"`) && !strings.Contains(string(raw), `"req_id":"ping_`) {
			t.Errorf("ping frame %s", raw)
		}
	}
}

func TestRedeliveredMessageSkipped(t *testing.T) {
	t.Parallel()
	f := newFakeWeCom(t)
	got := received(make(chan Incoming, 4))
	startChannel(t, f, testConfig(f, nil), got.handler)
	f.push("r1", textMsg("m1", "u1", "", "问题"))
	f.push("r2", textMsg("m1", "u1", "", "问题"))
	if m := got.next(t); m.ReqID != "r1" || m.Text != "问题" {
		t.Errorf("first delivery %+v", m)
	}
	select {
	case m := <-got:
		t.Errorf("the same msgid handled twice: %+v", m)
	case <-time.After(200 * time.Millisecond):
	}
}

// TestSilentConnectionReplaced: pings that go unanswered end the
// connection and a new one is opened.
func TestSilentConnectionReplaced(t *testing.T) {
	t.Parallel()
	f := newFakeWeCom(t)
	startChannel(t, f, testConfig(f, nil), received(make(chan Incoming, 4)).handler)
	f.goSilent()
	f.waitConnected(2)
}

// TestTakenOverNotFought: a second instance with the same bot takes the
// connection; the first logs it and does not reconnect, so the second
// keeps it.
func TestTakenOverNotFought(t *testing.T) {
	t.Parallel()
	f := newFakeWeCom(t)
	var logs logBuffer
	startChannel(t, f, testConfig(f, &logs), received(make(chan Incoming, 4)).handler)
	second := received(make(chan Incoming, 4))
	ch2, _ := New(testConfig(f, nil), second.handler)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); ch2.Run(ctx) }()
	defer func() { cancel(); <-done }()
	f.waitConnected(2)
	time.Sleep(300 * time.Millisecond)
	f.mu.Lock()
	dials := f.dials
	f.mu.Unlock()
	if dials != 2 {
		t.Errorf("%d connections: the instances fought over the bot", dials)
	}
	if !strings.Contains(logs.String(), "another connection of this bot took over") {
		t.Errorf("the takeover was not logged:\n%s", logs.String())
	}
	f.push("r1", textMsg("m1", "u1", "", "问题"))
	if m := second.next(t); m.MessageID != "m1" {
		t.Errorf("second instance got %+v", m)
	}
}

// TestSecretsNeverLogged drives the failure paths with logging at debug
// level and looks for the secret, a file's AES key and its URL.
func TestSecretsNeverLogged(t *testing.T) {
	t.Parallel()
	f := newFakeWeCom(t)
	var logs logBuffer
	cfg := testConfig(f, &logs)
	got := received(make(chan Incoming, 4))
	ch := startChannel(t, f, cfg, got.handler)

	// A file whose download fails, and one whose key is wrong.
	msg := fileMsg(f, "m-file", "admin01", "code-1", "a.txt", []byte("x"))
	fileURL := msg["file"].(map[string]string)["url"]
	key := msg["file"].(map[string]string)["aeskey"]
	for _, file := range []File{{URL: "http://127.0.0.1:1/files/code-1?sig=presigned-secret", AESKey: key}, {URL: strings.Replace(fileURL, "code-1", "none", 1), AESKey: key},
		{URL: fileURL, AESKey: base64.StdEncoding.EncodeToString([]byte("wrong-key-wrong-key-wrong-key-32"))}} {
		if _, _, err := ch.Download(context.Background(), file); err == nil {
			t.Errorf("download of %v: no error", file)
		} else {
			cfg.Logger.Error("download failed", "err", err)
		}
	}
	// The connection dropped, then a wrong secret.
	f.drop()
	f.waitConnected(2)
	bad := testConfig(f, &logs)
	bad.Secret = "wrong-" + testSecret
	badCh, _ := New(bad, got.handler)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	badCh.Run(ctx)
	cancel()

	out := logs.String()
	if !strings.Contains(out, "subscription refused") || !strings.Contains(out, "connection lost") || !strings.Contains(out, "download failed") {
		t.Fatalf("the failures were not logged:\n%s", out)
	}
	for _, s := range []string{testSecret, key, "presigned-secret", "code-1"} {
		if strings.Contains(out, s) {
			t.Errorf("log shows %q:\n%s", s, out)
		}
	}
}

// TestReplyAnsweredTooLateIsUncertain: a reply WeCom takes and
// does not answer within AckTimeout is neither sent again at once nor
// pushed to the chat instead: it may be in the chat. The outbox gets an
// uncertain retry, which it holds back.
func TestReplyAnsweredTooLateIsUncertain(t *testing.T) {
	// Not parallel: a client timeout of a few hundred milliseconds must
	// not be spent waiting for a CPU.
	f := newFakeWeCom(t)
	f.holdAnswers = true
	cfg := testConfig(f, nil)
	cfg.AckTimeout = 200 * time.Millisecond
	ch := startChannel(t, f, cfg, func(context.Context, Incoming) {})
	f.mu.Lock()
	f.callbacks["req-1"] = true
	f.mu.Unlock()
	for deadline := time.Now().Add(5 * time.Second); ch.link.current() == nil && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond) // the subscription's answer is on its way
	}
	err := ch.Respond(context.Background(), "req-1", "ab_1", "答复")
	var unc *UncertainError
	if !errors.As(err, &unc) {
		t.Fatalf("Respond: %v, want an UncertainError", err)
	}
	b := &Bot{ch: ch}
	e := entry("reply", bot.ChatRef{Channel: ChannelName, ID: privatePrefix + "user01"},
		queued{To: "user01", ReqID: "req-1", StreamID: "ab_1", Received: time.Now(), Content: "答复"})
	if res := b.Send(context.Background(), e); res.Outcome != bot.Retry || !res.Uncertain {
		t.Errorf("Send: %+v, want an uncertain retry", res)
	}
	var replies, pushes int
	for _, s := range f.allSent() {
		switch s.Cmd {
		case cmdRespond:
			replies++
		case cmdSend:
			pushes++
		}
	}
	if replies != 2 || pushes != 0 {
		t.Errorf("%d replies and %d pushes, want 2 (one per attempt) and 0", replies, pushes)
	}
}

// TestCheck: doctor's check subscribes once and closes; a wrong secret is
// ErrRefused, and the error does not show the secret.
func TestCheck(t *testing.T) {
	t.Parallel()
	f := newFakeWeCom(t)
	ch, err := New(testConfig(f, nil), func(context.Context, Incoming) {})
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.Check(context.Background()); err != nil {
		t.Fatalf("Check: %v", err)
	}
	bad := testConfig(f, nil)
	bad.Secret = "wrong-" + testSecret
	badCh, _ := New(bad, func(context.Context, Incoming) {})
	err = badCh.Check(context.Background())
	if !errors.Is(err, ErrRefused) || strings.Contains(err.Error(), testSecret) {
		t.Errorf("Check with a wrong secret: %v, want ErrRefused without the secret", err)
	}
	f.mu.Lock()
	n := len(f.subscribes)
	f.mu.Unlock()
	if n != 2 {
		t.Errorf("%d subscriptions, want 2", n)
	}
}
