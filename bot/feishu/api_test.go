package feishu

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/assignbot/assignbot/bot"
)

// TestReplyAnsweredTooLateIsUncertain: a reply Feishu takes and
// answers only after the client gave up is not followed by a post to the
// chat: the reply may be in the chat. The outbox gets an uncertain retry,
// which it holds back; the retry keeps the uuid, so it posts nothing new.
func TestReplyAnsweredTooLateIsUncertain(t *testing.T) {
	// Not parallel: a client timeout of a few hundred milliseconds must
	// not be spent waiting for a CPU.
	f := newFakeFeishu(t)
	f.replyHold = time.Second
	cfg := testConfig(f, nil)
	cfg.HTTPClient = &http.Client{Timeout: 200 * time.Millisecond}
	ch, err := New(cfg, func(context.Context, Incoming) {})
	if err != nil {
		t.Fatal(err)
	}
	err = ch.api.Reply(context.Background(), "om_1", `{"zh_cn":{"title":"答复","content":[[{"tag":"text","text":"内容"}]]}}`, "u-1")
	var unc *UncertainError
	if !errors.As(err, &unc) {
		t.Fatalf("Reply: %v, want an UncertainError", err)
	}
	b := &Bot{ch: ch}
	e := entry("reply", "oc_chat", queued{Chat: "oc_chat", ReplyTo: "om_1", UUID: "u-1",
		Content: `{"zh_cn":{"title":"答复","content":[[{"tag":"text","text":"内容"}]]}}`})
	if res := b.Send(context.Background(), e); res.Outcome != bot.Retry || !res.Uncertain {
		t.Errorf("Send: %+v, want an uncertain retry", res)
	}
	if sent := f.allSent(); len(sent) != 1 || sent[0].Op != "reply" {
		t.Errorf("sent %+v, want the one reply and no post to the chat", sent)
	}
}

// TestCheck: doctor's check fetches a tenant access token and opens no
// long connection; a wrong secret is an *APIError.
func TestCheck(t *testing.T) {
	t.Parallel()
	f := newFakeFeishu(t)
	ch, err := New(testConfig(f, nil), func(context.Context, Incoming) {})
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.Check(context.Background()); err != nil {
		t.Fatalf("Check: %v", err)
	}
	bad := testConfig(f, nil)
	bad.AppSecret = "wrong-" + testSecret
	badCh, _ := New(bad, func(context.Context, Incoming) {})
	err = badCh.Check(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || strings.Contains(err.Error(), testSecret) {
		t.Errorf("Check with a wrong secret: %v, want an APIError without the secret", err)
	}
	f.mu.Lock()
	dials, tokens := f.dials, f.tokenCalls
	f.mu.Unlock()
	if dials != 0 || tokens != 1 {
		t.Errorf("%d long connections and %d tokens, want 0 and 1", dials, tokens)
	}
}
