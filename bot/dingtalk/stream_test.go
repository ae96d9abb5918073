package dingtalk

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/payload"
)

func TestHandshake(t *testing.T) {
	t.Parallel()
	f := newFakeDingTalk(t)
	startChannel(t, f, testConfig(f, nil), received(make(chan Incoming, 1)).handler)
	f.mu.Lock()
	req := f.opens[0]
	f.mu.Unlock()
	subscribed := map[string]bool{}
	for _, s := range req.Subscriptions {
		subscribed[s.Type+" "+s.Topic] = true
	}
	for _, want := range []string{"CALLBACK /v1.0/im/bot/messages/get", "SYSTEM ping", "SYSTEM disconnect"} {
		if !subscribed[want] {
			t.Errorf("handshake does not subscribe %q; got %v", want, subscribed)
		}
	}
}

func TestPrivateMessageAnsweredThroughWebhook(t *testing.T) {
	t.Parallel()
	f := newFakeDingTalk(t)
	var ch *Channel
	replied := make(chan error, 1)
	got := make(chan Incoming, 1)
	ch = startChannel(t, f, testConfig(f, nil), func(ctx context.Context, m Incoming) {
		got <- m
		replied <- ch.Reply(ctx, m, RenderMarkdown("答复", []string{"牵头单位：市发展改革委"}))
	})
	f.push(robotFrame("frame-1", privateText("msg-1", "  数字政府建设由谁牵头？ ", f.hookURL("sess-1"))))

	m := received(got).next(t)
	want := Incoming{Channel: "dingtalk", ChatID: "cidPrivate==", ChatKind: Private, MessageID: "msg-1",
		SenderID: "staff-001", SenderName: "张科长", Addressed: true, Text: "数字政府建设由谁牵头？", MsgType: "text"}
	if m.SessionWebhook == "" || m.WebhookExpires.Before(time.Now()) {
		t.Errorf("webhook %q expiring %v", m.SessionWebhook, m.WebhookExpires)
	}
	m.SessionWebhook, m.WebhookExpires = "", time.Time{}
	if m != want {
		t.Errorf("incoming\n got %+v\nwant %+v", m, want)
	}
	if err := <-replied; err != nil {
		t.Fatal(err)
	}
	if ack := f.waitAck("frame-1"); ack.Code != 200 {
		t.Errorf("ack code %d", ack.Code)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.hookCalls) != 1 {
		t.Fatalf("%d webhook calls", len(f.hookCalls))
	}
	body := f.hookCalls[0]
	md, _ := body["markdown"].(map[string]any)
	if body["msgtype"] != "markdown" || md["title"] != "答复" || !strings.Contains(md["text"].(string), "牵头单位：市发展改革委") {
		t.Errorf("webhook body %v", body)
	}
	if len(f.groupSends)+len(f.otoSends) != 0 {
		t.Errorf("the OpenAPI was used for a live webhook")
	}
}

func TestGroupMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		text      string
		atBot     bool
		addressed bool
		wantText  string
	}{
		{"MentionLeavesLeadingSpace", " 数字政府建设由谁牵头？", true, true, "数字政府建设由谁牵头？"},
		{"MentionFullWidthSpace", "\u3000/unit 市教育局 ", true, true, "/unit 市教育局"},
		{"NoMentionNotAddressed", "大家好，明天开会", false, false, "大家好，明天开会"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeDingTalk(t)
			got := received(make(chan Incoming, 1))
			startChannel(t, f, testConfig(f, nil), got.handler)
			f.push(robotFrame("f-"+tt.name, groupText("m-"+tt.name, tt.text, f.hookURL("s"), tt.atBot)))
			m := got.next(t)
			if m.ChatKind != Group || m.ChatID != "cidGroup123==" || m.ChatTitle != "督查室工作群" {
				t.Errorf("chat %q %q %q", m.ChatKind, m.ChatID, m.ChatTitle)
			}
			if m.Addressed != tt.addressed || m.Text != tt.wantText {
				t.Errorf("addressed %v text %q; want %v %q", m.Addressed, m.Text, tt.addressed, tt.wantText)
			}
			if got := m.Target(); got != (Target{Kind: Group, ID: "cidGroup123=="}) {
				t.Errorf("target %+v", got)
			}
			if ack := f.waitAck("f-" + tt.name); ack.Code != 200 {
				t.Errorf("ack code %d", ack.Code)
			}
		})
	}
}

// TestEveryFrameAcknowledged sends every kind of frame the gateway may
// send and expects one response each, with the frame's message id.
func TestEveryFrameAcknowledged(t *testing.T) {
	t.Parallel()
	f := newFakeDingTalk(t)
	got := received(make(chan Incoming, 4))
	startChannel(t, f, testConfig(f, nil), got.handler)
	tests := []struct {
		name     string
		frame    payload.DataFrame
		wantCode int
	}{
		{"RobotMessage", robotFrame("ack-robot", privateText("m1", "你好", f.hookURL("s1"))), 200},
		{"SystemPing", frame("SYSTEM", "ping", "ack-ping", `{"opaque":"abc"}`), 200},
		{"UnsubscribedEvent", frame("EVENT", "chat_update_title", "ack-event", `{}`), 404},
		{"UndecodableRobotMessage", frame("CALLBACK", payload.BotMessageCallbackTopic, "ack-bad", `{"msgId":`), 500},
		{"RedeliveredMessage", robotFrame("ack-again", privateText("m1", "你好", f.hookURL("s1"))), 200},
	}
	for _, tt := range tests {
		f.push(tt.frame)
	}
	for _, tt := range tests {
		ack := f.waitAck(tt.frame.GetMessageId())
		if ack.Code != tt.wantCode {
			t.Errorf("%s: code %d, want %d", tt.name, ack.Code, tt.wantCode)
		}
	}
	if ack := f.waitAck("ack-ping"); ack.Data != `{"opaque":"abc"}` {
		t.Errorf("pong data %q, want the ping's", ack.Data)
	}
	got.next(t)
	got.none(t, 200*time.Millisecond) // m1 delivered again is not handled twice
	for _, tt := range tests {
		if n := f.ackCount(tt.frame.GetMessageId()); n != 1 {
			t.Errorf("%s acknowledged %d times", tt.name, n)
		}
	}
}

// TestSlowHandlerDoesNotDelayAck: the ack leaves before the answer,
// since the gateway resends what it does not see acknowledged in time.
func TestSlowHandlerDoesNotDelayAck(t *testing.T) {
	t.Parallel()
	f := newFakeDingTalk(t)
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	startChannel(t, f, testConfig(f, nil), func(ctx context.Context, m Incoming) {
		started <- struct{}{}
		select {
		case <-release:
		case <-ctx.Done():
		}
	})
	defer close(release)
	f.push(robotFrame("slow", privateText("m-slow", "问题", f.hookURL("s"))))
	<-started
	if ack := f.waitAck("slow"); ack.Code != 200 {
		t.Errorf("ack code %d", ack.Code)
	}
}

// TestFullQueueRefusesForRedelivery: with the one worker busy and the
// queue full, a message is answered 500 so that the gateway resends it.
func TestFullQueueRefusesForRedelivery(t *testing.T) {
	t.Parallel()
	f := newFakeDingTalk(t)
	cfg := testConfig(f, nil)
	cfg.Workers, cfg.QueueSize = 1, 1
	release := make(chan struct{})
	handled := make(chan string, 4)
	startChannel(t, f, cfg, func(ctx context.Context, m Incoming) {
		handled <- m.MessageID
		<-release
	})
	f.push(robotFrame("q1", privateText("m-q1", "一", f.hookURL("s"))))
	if id := <-handled; id != "m-q1" {
		t.Fatal(id)
	}
	f.push(robotFrame("q2", privateText("m-q2", "二", f.hookURL("s"))))
	f.waitAck("q2")
	f.push(robotFrame("q3", privateText("m-q3", "三", f.hookURL("s"))))
	if ack := f.waitAck("q3"); ack.Code != 500 {
		t.Errorf("full queue: ack code %d, want 500", ack.Code)
	}
	close(release)
	if id := <-handled; id != "m-q2" {
		t.Errorf("handled %s, want m-q2", id)
	}
	// The gateway's redelivery of the refused message is handled.
	f.push(robotFrame("q3-again", privateText("m-q3", "三", f.hookURL("s"))))
	if ack := f.waitAck("q3-again"); ack.Code != 200 {
		t.Errorf("redelivery: ack code %d", ack.Code)
	}
	select {
	case id := <-handled:
		if id != "m-q3" {
			t.Errorf("handled %s, want m-q3", id)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("redelivered message never handled")
	}
}

func TestReconnect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cause func(f *fakeDingTalk)
	}{
		{"ConnectionDropped", func(f *fakeDingTalk) { f.drop() }},
		{"GatewayDisconnectFrame", func(f *fakeDingTalk) { f.push(frame("SYSTEM", "disconnect", "bye", `{"reason":"upgrade"}`)) }},
		{"PeerSilent", func(f *fakeDingTalk) { f.goSilent() }}, // noticed by the missing pong
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeDingTalk(t)
			got := received(make(chan Incoming, 2))
			startChannel(t, f, testConfig(f, nil), got.handler)
			f.push(robotFrame("before", privateText("m-before", "第一问", f.hookURL("s"))))
			if m := got.next(t); m.Text != "第一问" {
				t.Fatal(m.Text)
			}
			tt.cause(f)
			f.waitConnected(2)
			f.push(robotFrame("after", privateText("m-after", "第二问", f.hookURL("s"))))
			if m := got.next(t); m.Text != "第二问" {
				t.Fatalf("after reconnecting got %q", m.Text)
			}
			if ack := f.waitAck("after"); ack.Code != 200 {
				t.Errorf("ack code %d", ack.Code)
			}
		})
	}
}

// TestGatewayDownThenUp: the open call failing is retried with backoff
// until the gateway answers.
func TestGatewayDownThenUp(t *testing.T) {
	t.Parallel()
	f := newFakeDingTalk(t)
	var failures int
	inner := f.srv.Config.Handler
	f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		fail := r.URL.Path == "/v1.0/gateway/connections/open" && failures < 3
		if fail {
			failures++
		}
		f.mu.Unlock()
		if fail {
			http.Error(w, `{"code":"ServiceUnavailable"}`, http.StatusServiceUnavailable)
			return
		}
		inner.ServeHTTP(w, r)
	})
	startChannel(t, f, testConfig(f, nil), received(make(chan Incoming, 1)).handler)
	f.mu.Lock()
	defer f.mu.Unlock()
	if failures != 3 || len(f.opens) != 1 {
		t.Errorf("%d failed opens, %d good ones", failures, len(f.opens))
	}
}
