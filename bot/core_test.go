package bot

import (
	"context"
	"testing"
	"time"
)

// testChannel is a channel whose messages go to a recorder.
type testChannel struct{ r *recorder }

func (c testChannel) Name() string                                      { return "test" }
func (c testChannel) Run(ctx context.Context) error                     { <-ctx.Done(); return nil }
func (c testChannel) Send(ctx context.Context, e OutboxEntry) Result    { return c.r.send(ctx, e) }
func (c testChannel) RenderDigest(chat ChatRef, d Digest) []OutboxEntry { return testDigest(chat, d) }
func (c testChannel) IsAdmin(string) bool                               { return false }

// TestCoreDigestsOnlyForRunningChannels: a subscription of a channel not
// started this run (DingTalk's, when serve has only Telegram) is left
// unclaimed for a run that has it, not marked sent with nothing sent.
func TestCoreDigestsOnlyForRunningChannels(t *testing.T) {
	t.Parallel()
	store, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	c := &clock{t: time.Date(2021, 6, 25, 9, 0, 0, 0, cst)}
	core, err := NewCore(CoreConfig{Store: store, Now: c.now, Logger: quietLog(), Digest: DigestConfig{TZ: cst}}, samplesEngine(t))
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{}
	core.Add(testChannel{r})
	subscribeAt(t, store, testChat(1), "08:30", "Asia/Shanghai")
	absent := ChatRef{Channel: "dingtalk", ID: "cidGroup=="}
	subscribeAt(t, store, absent, "08:30", "Asia/Shanghai")
	core.scheduler.Tick(context.Background())
	core.outbox.Flush(context.Background())
	if r.count() != 1 || r.sent[0] != "1 2021-06-25" {
		t.Errorf("sent %v", r.sent)
	}
	if sub, _ := store.Get(absent); sub.LastSent != "" {
		t.Errorf("digest of a channel not running claimed: %+v", sub)
	}
	if sub, _ := store.Get(testChat(1)); sub.LastSent != "2021-06-25" {
		t.Errorf("digest of the running channel not claimed: %+v", sub)
	}
}
