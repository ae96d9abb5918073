package bot

import (
	"context"
	"testing"
	"time"

	"github.com/assignbot/assignbot/retrieval"
)

// The outbox: nothing the bot queued is lost to an outage of the Bot API
// or a restart, and nothing is sent twice.

// TestOutboxGivesUpAfterGiveUp: an entry is dropped only after GiveUp,
// never before.
func TestOutboxGivesUpAfterGiveUp(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, cst)}
	store, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ob := NewOutbox(store, OutboxConfig{GiveUp: 10 * time.Minute}, c.now, quietLog())
	tries := 0
	ob.Handle("test", func(context.Context, OutboxEntry) Result { tries++; return Result{Outcome: Retry} })
	ob.Enqueue(testEntries(1, "x")...)
	for range 9 {
		ob.Flush(context.Background())
		c.set(c.now().Add(time.Minute))
	}
	if ob.Pending() != 1 {
		t.Fatalf("dropped before GiveUp after %d tries", tries)
	}
	c.set(c.now().Add(2 * time.Minute))
	ob.Flush(context.Background())
	if ob.Pending() != 0 {
		t.Errorf("still retrying after GiveUp")
	}
}

// TestClaimAndEnqueueOneTransaction: a claim that finds the day taken
// queues nothing.
func TestClaimAndEnqueueOneTransaction(t *testing.T) {
	t.Parallel()
	store, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	store.Put(Subscription{ChatRef: testChat(9), Time: "08:30", Active: true})
	now := time.Now()
	for i, want := range []bool{true, false} {
		ok, err := store.ClaimDigest(testChat(9), "2021-06-25", nil, testEntries(9, "· 2021-06-25<"), now)
		if err != nil || ok != want {
			t.Errorf("claim %d: %v %v, want %v", i, ok, err, want)
		}
	}
	ob := NewOutbox(store, OutboxConfig{}, nil, quietLog())
	if n := ob.Pending(); n != 1 {
		t.Errorf("%d digests queued for one day", n)
	}
}

var _ Engine = (*retrieval.Service)(nil)
