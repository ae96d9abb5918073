package telegram

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/retrieval"
)

// Restarts: nothing lost or doubled around one.

// heldEngine holds every answer until its context ends while hold is set.
type heldEngine struct {
	retrieval.Source
	hold    atomic.Bool
	entered chan struct{} // an answer is being held
}

func (h *heldEngine) ConverseWith(ctx context.Context, c *retrieval.Conversation, q string, opt retrieval.AnswerOptions) (retrieval.Answer, error) {
	if h.hold.Load() {
		select {
		case h.entered <- struct{}{}:
		default:
		}
		<-ctx.Done()
		return retrieval.Answer{}, ctx.Err()
	}
	return h.Source.ConverseWith(ctx, c, q, opt)
}

// TestUpdatesLeftAtShutdownHandledAfterRestart: two questions are fetched;
// one is being answered and one waits for a worker when the bot stops and
// the shutdown grace runs out. Neither gets an answer or an error then;
// both are in the inbox, and the next start answers each exactly once.
func TestUpdatesLeftAtShutdownHandledAfterRestart(t *testing.T) {
	t.Parallel()
	var h *heldEngine
	// The held question never finishes: a short grace runs out as surely
	// as the default one.
	tb := newTestBotWith(t, testConfig{Workers: 1, Grace: 300 * time.Millisecond}, testOptions{wrap: func(e retrieval.Source) retrieval.Source {
		h = &heldEngine{Source: e, entered: make(chan struct{}, 1)}
		return h
	}})
	h.hold.Store(true)
	tb.tg.queue(private(userID, "琴台美术馆建设由谁牵头？"))
	tb.tg.queue(private(3, "哪个单位牵头步行街建设？"))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tb.core.Run(ctx) }()
	select {
	case <-h.entered:
	case <-time.After(20 * time.Second):
		t.Fatal("the first question was never being answered")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(bot.ShutdownGrace + 10*time.Second):
		t.Fatal("Run did not return after the shutdown grace")
	}
	tb.tg.mu.Lock()
	sentBefore := append([]sentMessage(nil), tb.tg.sent...)
	tb.tg.mu.Unlock()
	for _, m := range sentBefore {
		t.Errorf("sent while shutting down: %q", m.Text)
	}
	left, err := tb.store.Unhandled(channelTelegram)
	if err != nil || len(left) != 2 {
		t.Fatalf("inbox after the shutdown: %d entries, %v; want the 2 questions", len(left), err)
	}
	if cur := tb.store.Cursor(channelTelegram); cur <= maxUpdateID(t, left) {
		t.Errorf("stored offset %d does not pass the updates stored", cur)
	}

	// The next start: the same store and Bot API, the model answering again.
	h.hold.Store(false)
	next := startTestBot(t, tb.tg, testConfig{Workers: 1}, tb.coreCfg, retrieval.NewService(h))
	restarted := &testBot{Bot: next, tg: tb.tg, corpus: tb.corpus, coreCfg: tb.coreCfg}
	restarted.runBot(t)
	want := map[string]bool{"市文化和旅游局": true, "市商务局": true} // two chats: either may come first
	timeout := time.After(20 * time.Second)
	for len(want) > 0 {
		select {
		case m := <-tb.tg.sentCh:
			for w := range want {
				if strings.Contains(m.Text, w) {
					delete(want, w)
				}
			}
		case <-timeout:
			t.Fatalf("no answer with %v after the restart", want)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		left, _ := tb.store.Unhandled(channelTelegram)
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d updates still in the inbox after they were answered", len(left))
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // a second answer would come now
	tb.tg.mu.Lock()
	defer tb.tg.mu.Unlock()
	answers := map[int64]int{}
	for _, m := range tb.tg.sent {
		if strings.Contains(m.Text, "出错了") {
			t.Errorf("error reply sent: %q", m.Text)
		}
		answers[m.ChatID]++
	}
	if answers[userID] != 1 || answers[3] != 1 {
		t.Errorf("answers per chat after the restart: %v, want one each", answers)
	}
}

func maxUpdateID(t *testing.T, entries []bot.InboxEntry) int64 {
	t.Helper()
	var n int64
	for _, e := range entries {
		_, id, err := decodeUpdate(e.Payload)
		if err != nil {
			t.Fatal(err)
		}
		n = max(n, id)
	}
	return n
}

// TestSendAnsweredTooLateIsUncertain: Telegram takes a message and answers
// only after the client gave up. The attempt is reported uncertain, not as
// an ordinary failure, and the outbox does not send it again until
// UncertainWait has passed; then it does, and says so in the log.
func TestSendAnsweredTooLateIsUncertain(t *testing.T) {
	// Not parallel: a client timeout of a few hundred milliseconds must
	// not be spent waiting for a CPU.
	c := &clock{t: time.Date(2026, 12, 6, 9, 0, 0, 0, cst)}
	log, logs := captureLog()
	tb := newTestBotConfig(t, testConfig{Now: c.now, Logger: log, HTTPClient: &http.Client{Timeout: 300 * time.Millisecond},
		Outbox: bot.OutboxConfig{MinBackoff: time.Second, UncertainWait: 5 * time.Minute}})
	tb.tg.mu.Lock()
	tb.tg.holdSend = 2 * time.Second
	tb.tg.mu.Unlock()
	entries := render("reply", userID, 0, "答复", nil)
	if res := tb.sendEntry(context.Background(), entries[0]); res.Outcome != bot.Retry || !res.Uncertain {
		t.Fatalf("late answer: %+v, want an uncertain retry", res)
	}
	tb.tg.reset()
	if err := tb.outbox.Enqueue(entries...); err != nil {
		t.Fatal(err)
	}
	tb.outbox.Flush(context.Background()) // sent, answered too late
	tb.tg.mu.Lock()
	tb.tg.holdSend = 0
	tb.tg.mu.Unlock()
	for _, after := range []time.Duration{time.Second, time.Minute, 4 * time.Minute} {
		c.set(time.Date(2026, 12, 6, 9, 0, 0, 0, cst).Add(after))
		tb.outbox.Flush(context.Background())
		if n := tb.tg.sentCount(); n != 1 {
			t.Fatalf("%s after an uncertain send: sent %d times, want once", after, n)
		}
	}
	c.set(time.Date(2026, 12, 6, 9, 6, 0, 0, cst))
	tb.outbox.Flush(context.Background())
	if n := tb.tg.sentCount(); n != 2 || tb.outbox.Pending() != 0 {
		t.Errorf("after UncertainWait: sent %d times, %d pending; want the retry", n, tb.outbox.Pending())
	}
	if !strings.Contains(logs.String(), "outcome unknown") {
		t.Errorf("the uncertain send was not logged:\n%s", logs)
	}

	// A proxy's 502 is an answer: an ordinary failure, retried soon.
	tb.tg.mu.Lock()
	tb.tg.down = true
	tb.tg.mu.Unlock()
	if res := tb.sendEntry(context.Background(), entries[0]); res.Outcome != bot.Retry || res.Uncertain {
		t.Errorf("502: %+v, want a certain retry", res)
	}
}

func (f *fakeTelegram) sentCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent)
}
