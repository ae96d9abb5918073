package dingtalk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/assignbot/assignbot/bot"
)

// newTestChannel is a channel for the send tests; they need no stream.
func newTestChannel(tb testing.TB, f *fakeDingTalk, logs *logBuffer) *Channel {
	tb.Helper()
	ch, err := New(testConfig(f, logs), func(context.Context, Incoming) {})
	if err != nil {
		tb.Fatal(err)
	}
	return ch
}

// incoming is a message whose webhook expires at exp.
func incoming(f *fakeDingTalk, kind ChatKind, exp time.Time) Incoming {
	m := Incoming{Channel: ChannelName, ChatKind: kind, ChatID: "cidPrivate==", MessageID: "msg-9",
		SenderID: "staff-001", SessionWebhook: f.hookURL("sess-9"), WebhookExpires: exp}
	if kind == Group {
		m.ChatID = "cidGroup123=="
	}
	return m
}

func TestReplyWebhook500ThenSuccess(t *testing.T) {
	t.Parallel()
	f := newFakeDingTalk(t)
	f.hookFails = 2
	ch := newTestChannel(t, f, nil)
	md := RenderMarkdown("答复", []string{"第一行"})
	if err := ch.Reply(context.Background(), incoming(f, Private, time.Now().Add(time.Hour)), md); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.hookCalls) != 3 || len(f.otoSends) != 0 {
		t.Errorf("%d webhook calls, %d OpenAPI sends; want 3 and 0", len(f.hookCalls), len(f.otoSends))
	}
}

// TestReplyFallsBackToOpenAPI: a webhook that expired, or that keeps
// failing, gives way to the OpenAPI, to the group or to the person.
func TestReplyFallsBackToOpenAPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		kind       ChatKind
		expires    time.Time
		hookStatus int
		wantHooks  int
	}{
		{"ExpiredGroup", Group, time.Now().Add(-time.Minute), 0, 0},
		{"ExpiringPrivate", Private, time.Now().Add(5 * time.Second), 0, 0},
		{"NoExpiryGiven", Private, time.Time{}, 0, 0},
		{"WebhookAlways500", Group, time.Now().Add(time.Hour), 500, 4},
		{"WebhookGone", Private, time.Now().Add(time.Hour), 404, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeDingTalk(t)
			f.hookStatus = tt.hookStatus
			ch := newTestChannel(t, f, nil)
			m := incoming(f, tt.kind, tt.expires)
			if err := ch.Reply(context.Background(), m, RenderMarkdown("答复", []string{"内容"})); err != nil {
				t.Fatal(err)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			if len(f.hookCalls) != tt.wantHooks {
				t.Errorf("%d webhook calls, want %d", len(f.hookCalls), tt.wantHooks)
			}
			if tt.kind == Group {
				if len(f.groupSends) != 1 || f.groupSends[0]["openConversationId"] != "cidGroup123==" {
					t.Errorf("group sends %v", f.groupSends)
				}
			} else {
				if len(f.otoSends) != 1 || !sameJSON(f.otoSends[0]["userIds"], []string{"staff-001"}) {
					t.Errorf("private sends %v", f.otoSends)
				}
			}
		})
	}
}

func TestSendGroup(t *testing.T) {
	t.Parallel()
	f := newFakeDingTalk(t)
	ch := newTestChannel(t, f, nil)
	md := RenderMarkdown("每日督办提醒", []string{"1. 完成方案（市教育局牵头）", "截止：2026-12-01"})
	if err := ch.Send(context.Background(), Target{Kind: Group, ID: "cidGroup123=="}, md); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.groupSends) != 1 {
		t.Fatalf("%d group sends", len(f.groupSends))
	}
	body := f.groupSends[0]
	if body["robotCode"] != testClientID || body["openConversationId"] != "cidGroup123==" || body["msgKey"] != "sampleMarkdown" {
		t.Errorf("body %v", body)
	}
	var param struct{ Title, Text string }
	if err := json.Unmarshal([]byte(body["msgParam"].(string)), &param); err != nil {
		t.Fatalf("msgParam is not JSON text: %v", err)
	}
	if param.Title != md.Title || param.Text != md.Text {
		t.Errorf("msgParam %+v, want %+v", param, md)
	}
}

func TestSendPrivateUnknownUser(t *testing.T) {
	t.Parallel()
	f := newFakeDingTalk(t)
	ch := newTestChannel(t, f, nil)
	inner := f.srv.Config.Handler
	f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1.0/robot/oToMessages/batchSend" {
			w.Write([]byte(`{"processQueryKey":"k","invalidStaffIdList":["staff-gone"]}`))
			return
		}
		inner.ServeHTTP(w, r)
	})
	err := ch.Send(context.Background(), Target{Kind: Private, ID: "staff-gone"}, RenderMarkdown("t", []string{"x"}))
	if !errors.Is(err, ErrUnknownUser) {
		t.Errorf("err %v, want ErrUnknownUser", err)
	}
}

// TestExpiredTokenRefreshed: a token DingTalk stopped accepting is
// fetched again once and the call repeated; a token near its expiry by
// the clock is replaced before use.
func TestExpiredTokenRefreshed(t *testing.T) {
	t.Parallel()
	f := newFakeDingTalk(t)
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	cfg := testConfig(f, nil)
	cfg.Now = func() time.Time { return now }
	ch, err := New(cfg, func(context.Context, Incoming) {})
	if err != nil {
		t.Fatal(err)
	}
	send := func() {
		t.Helper()
		if err := ch.Send(context.Background(), Target{Kind: Group, ID: "cid1"}, RenderMarkdown("t", []string{"x"})); err != nil {
			t.Fatal(err)
		}
	}
	tokenCalls := func() int { f.mu.Lock(); defer f.mu.Unlock(); return f.tokenCalls }

	send()
	send()
	if n := tokenCalls(); n != 1 {
		t.Fatalf("%d token fetches for two sends, want 1 (cached)", n)
	}
	f.mu.Lock()
	clear(f.tokens) // DingTalk revokes it
	f.mu.Unlock()
	send()
	if n := tokenCalls(); n != 2 {
		t.Errorf("%d token fetches after a revoked token, want 2", n)
	}
	now = now.Add(2*time.Hour - time.Minute) // within the margin before expiry
	send()
	if n := tokenCalls(); n != 3 {
		t.Errorf("%d token fetches near expiry, want 3", n)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.groupSends) != 4 {
		t.Errorf("%d sends arrived, want 4", len(f.groupSends))
	}
}

func TestBadCredentials(t *testing.T) {
	t.Parallel()
	f := newFakeDingTalk(t)
	cfg := testConfig(f, nil)
	cfg.ClientSecret = "wrong"
	ch, err := New(cfg, func(context.Context, Incoming) {})
	if err != nil {
		t.Fatal(err)
	}
	err = ch.Check(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "invalidClientIdOrSecret" {
		t.Errorf("Check: %v", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error shows the secret: %v", err)
	}
	if _, err := New(Config{ClientID: "x"}, nil); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("New without secret: %v", err)
	}
}

func TestDownload(t *testing.T) {
	t.Parallel()
	f := newFakeDingTalk(t)
	f.files["code-small"] = []byte("关于印发重点任务分工方案的通知")
	f.files["code-big"] = bytes.Repeat([]byte("x"), 2<<10) // above the test's 1 KiB cap
	got := received(make(chan Incoming, 1))
	ch := startChannel(t, f, testConfig(f, nil), got.handler)
	msg := privateText("m-file", "", f.hookURL("s"))
	delete(msg, "text")
	msg["msgtype"] = "file"
	msg["content"] = map[string]string{"downloadCode": "code-small", "fileName": "分工方案.docx"}
	f.push(robotFrame("file-frame", msg))
	m := got.next(t)
	if m.File == nil || *m.File != (File{DownloadCode: "code-small", Name: "分工方案.docx"}) || m.Text != "" {
		t.Fatalf("file message %+v", m)
	}
	data, err := ch.Download(context.Background(), *m.File)
	if err != nil || string(data) != "关于印发重点任务分工方案的通知" {
		t.Errorf("Download: %q, %v", data, err)
	}
	if _, err := ch.Download(context.Background(), File{DownloadCode: "code-big", Name: "big.pdf"}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("big file: %v, want ErrTooLarge", err)
	}
	if _, err := ch.Download(context.Background(), File{DownloadCode: "code-unknown", Name: "x"}); err == nil {
		t.Error("unknown download code: no error")
	}
}

// TestSecretsNeverLogged drives every failure path with logging at debug
// level and looks for the secret, tokens, tickets and webhook sessions.
func TestSecretsNeverLogged(t *testing.T) {
	t.Parallel()
	f := newFakeDingTalk(t)
	var logs logBuffer
	f.hookStatus = 500
	got := received(make(chan Incoming, 2))
	cfg := testConfig(f, &logs)
	ch := startChannel(t, f, cfg, got.handler)
	f.push(robotFrame("s1", groupText("m-s1", " 问题", f.hookURL("sess-secret-1"), true)))
	m := got.next(t)
	f.mu.Lock()
	clear(f.tokens)
	f.mu.Unlock()
	ch.Check(context.Background())
	f.mu.Lock()
	clear(f.tokens)
	f.mu.Unlock()
	if err := ch.Reply(context.Background(), m, RenderMarkdown("t", []string{"x"})); err != nil {
		t.Fatal(err)
	}
	dead := m
	dead.SessionWebhook = "http://127.0.0.1:1/robot/sendBySession?session=sess-dead-secret"
	if err := ch.Reply(context.Background(), dead, RenderMarkdown("t", []string{"x"})); err != nil {
		t.Fatal(err)
	}
	f.drop()
	f.waitConnected(2)
	cfg.ClientSecret = "wrong-" + testSecret
	bad, _ := New(cfg, nil)
	bad.Check(context.Background())

	f.mu.Lock()
	secrets := append([]string{testSecret, "sess-dead-secret"}, f.secretsSeen...)
	f.mu.Unlock()
	time.Sleep(50 * time.Millisecond) // let the reconnect log its line
	out := logs.String()
	if !strings.Contains(out, "webhook reply failed") || !strings.Contains(out, "disconnected") {
		t.Fatalf("the failures were not logged at all:\n%s", out)
	}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("log shows %q:\n%s", s, out)
		}
	}
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// TestReplyAnsweredTooLateIsUncertain: a session webhook that
// takes the reply and answers only after the client gave up is neither
// posted again nor followed by the OpenAPI: the reply may be in the chat.
// The outbox gets an uncertain retry, which it holds back.
func TestReplyAnsweredTooLateIsUncertain(t *testing.T) {
	// Not parallel: a client timeout of a few hundred milliseconds must
	// not be spent waiting for a CPU.
	f := newFakeDingTalk(t)
	f.hookHold = time.Second
	cfg := testConfig(f, nil)
	cfg.HTTPClient = &http.Client{Timeout: 200 * time.Millisecond}
	ch, err := New(cfg, func(context.Context, Incoming) {})
	if err != nil {
		t.Fatal(err)
	}
	m := incoming(f, Private, time.Now().Add(time.Hour))
	err = ch.Reply(context.Background(), m, RenderMarkdown("答复", []string{"内容"}))
	var unc *UncertainError
	if !errors.As(err, &unc) {
		t.Fatalf("Reply: %v, want an UncertainError", err)
	}
	f.mu.Lock()
	hooks, oto := len(f.hookCalls), len(f.otoSends)
	f.mu.Unlock()
	if hooks != 1 || oto != 0 {
		t.Errorf("%d webhook posts and %d OpenAPI sends, want 1 and 0", hooks, oto)
	}
	b := &Bot{ch: ch}
	e := entry("reply", chatOf(m), queued{To: m.Target(), Webhook: m.SessionWebhook, Expires: m.WebhookExpires, MessageID: m.MessageID, Title: "答复", Text: "内容"})
	if res := b.Send(context.Background(), e); res.Outcome != bot.Retry || !res.Uncertain {
		t.Errorf("Send: %+v, want an uncertain retry", res)
	}
}
