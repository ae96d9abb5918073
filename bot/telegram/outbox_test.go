package telegram

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/assignbot/assignbot/bot"
)

// TestOutboxSurvivesOutage: the Bot API is down (a proxy answers 502) for
// nine and a half minutes on the injected clock. The answers to questions
// asked before and during the outage are retried with backoff and
// delivered once, in order, when it is back.
func TestOutboxSurvivesOutage(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, cst)}
	tb := newTestBotConfig(t, testConfig{Now: c.now, PerMinute: 1000})
	ctx := context.Background()
	tb.tg.mu.Lock()
	tb.tg.down = true
	tb.tg.mu.Unlock()

	tb.Process(ctx, private(userID, "哪个单位牵头步行街建设任务？"))
	tb.Process(ctx, private(userID, "琴台美术馆建设由谁牵头？"))
	for elapsed := time.Duration(0); elapsed < 570*time.Second; elapsed += 10 * time.Second {
		tb.outbox.Flush(ctx)
		c.set(c.now().Add(10 * time.Second))
	}
	tb.tg.mu.Lock()
	refused := tb.tg.refused
	tb.tg.down = false
	tb.tg.mu.Unlock()
	if got := tb.tg.sentMessages(); len(got) != 0 {
		t.Fatalf("sent during the outage: %+v", got)
	}
	if refused < 5 || refused > 60 {
		t.Errorf("%d tries in 9.5 minutes: want retries with backoff", refused)
	}
	if n := tb.outbox.Pending(); n != 2 {
		t.Fatalf("%d answers waiting, want 2", n)
	}

	c.set(c.now().Add(time.Minute)) // past the longest backoff
	tb.outbox.Flush(ctx)
	tb.outbox.Flush(ctx)
	got := tb.tg.sentMessages()
	if len(got) != 2 || !strings.Contains(got[0].Text, "市商务局") || !strings.Contains(got[1].Text, "市文化和旅游局") {
		t.Fatalf("after the outage: %d messages, want both answers once and in order: %+v", len(got), got)
	}
	if n := tb.outbox.Pending(); n != 0 {
		t.Errorf("%d entries left after delivery", n)
	}
}

// TestOutboxRetriesInBackground: with the real clock and Run's own loop, an
// answer fetched while the Bot API answers 502 arrives once it recovers.
func TestOutboxRetriesInBackground(t *testing.T) {
	t.Parallel()
	tb := newTestBotConfig(t, testConfig{Outbox: bot.OutboxConfig{MinBackoff: 50 * time.Millisecond, Every: 20 * time.Millisecond}})
	tb.tg.mu.Lock()
	tb.tg.down = true
	tb.tg.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tb.core.Run(ctx) }()
	defer func() { cancel(); <-done }()
	tb.tg.queue(private(userID, "琴台美术馆建设由谁牵头？"))
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		tb.tg.mu.Lock()
		refused := tb.tg.refused
		if refused >= 3 {
			tb.tg.down = false
		}
		tb.tg.mu.Unlock()
		if refused >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d tries in 10s while down", refused)
		}
	}
	select {
	case m := <-tb.tg.sentCh:
		if !strings.Contains(m.Text, "市文化和旅游局") {
			t.Errorf("answer %q", m.Text)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the answer was lost in the outage")
	}
}

// TestOutboxSurvivesRestart: an answer queued while the Bot API is down is
// delivered by the next process, once.
func TestOutboxSurvivesRestart(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	store, err := bot.OpenStore(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	tb := newTestBotConfig(t, testConfig{Store: store})
	tb.tg.mu.Lock()
	tb.tg.down = true
	tb.tg.mu.Unlock()
	tb.Process(context.Background(), private(userID, "琴台美术馆建设由谁牵头？"))
	tb.outbox.Flush(context.Background())
	store.Close() // the process ends

	store2, err := bot.OpenStore(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store2.Close() })
	later := time.Now().Add(time.Minute)
	tb2 := newTestBotConfig(t, testConfig{Store: store2, Now: func() time.Time { return later }})
	tb2.settle(t)
	got := tb2.tg.sentMessages()
	if len(got) != 1 || got[0].ChatID != userID || !strings.Contains(got[0].Text, "市文化和旅游局") {
		t.Fatalf("after the restart: %+v", got)
	}
	tb2.settle(t)
	if n := len(tb2.tg.sentMessages()); n != 1 {
		t.Errorf("delivered %d times", n)
	}
}

// TestDigestSurvivesCrashBetweenClaimAndSend: the scheduler claims the day
// and queues the digest; the Bot API is down and the process dies before
// Telegram answered. After the restart the digest is delivered, once, and
// not claimed or queued again.
func TestDigestSurvivesCrashBetweenClaimAndSend(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	c := &clock{t: time.Date(2021, 6, 25, 9, 0, 0, 0, cst)}
	store, err := bot.OpenStore(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	tb := newTestBotConfig(t, testConfig{Store: store, Now: c.now, Digest: bot.DigestConfig{TZ: cst}})
	subscribeAt(t, store, tgChat(groupID), "08:30", "Asia/Shanghai")
	tb.tg.mu.Lock()
	tb.tg.down = true
	tb.tg.mu.Unlock()
	tb.core.Scheduler().Tick(context.Background())
	tb.outbox.Flush(context.Background())
	if sub, _ := store.Get(tgChat(groupID)); sub.LastSent != "2021-06-25" {
		t.Fatalf("day not claimed: %+v", sub)
	}
	store.Close() // killed before Telegram took the digest

	store2, err := bot.OpenStore(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store2.Close() })
	c.set(c.now().Add(time.Minute))
	tb2 := newTestBotConfig(t, testConfig{Store: store2, Now: c.now, Digest: bot.DigestConfig{TZ: cst}})
	for range 3 {
		tb2.core.Scheduler().Tick(context.Background())
		tb2.settle(t)
	}
	got := tb2.tg.sentMessages()
	if len(got) != 1 || got[0].ChatID != groupID || !strings.Contains(got[0].Text, "每日任务提醒 · 2021-06-25") {
		t.Fatalf("after the crash: %d digests, want 1: %+v", len(got), got)
	}
}

// TestReplyWhenStoreFails: when the store cannot take a reply (here it is
// closed; in life a full disk), the reply is sent directly.
func TestReplyWhenStoreFails(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	tb.store.Close()
	tb.Process(context.Background(), private(userID, "/notices"))
	if got := tb.tg.sentMessages(); len(got) != 1 || !strings.Contains(got[0].Text, "份通知") {
		t.Errorf("with the store failing: %+v", got)
	}
}
