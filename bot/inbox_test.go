package bot

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestInbox: received messages stay until handled, oldest first, and the
// cursor is stored with them.
func TestInbox(t *testing.T) {
	t.Parallel()
	store, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	t0 := time.Date(2026, 12, 6, 9, 0, 0, 0, cst)
	if err := store.Receive("telegram", 12, InboxEntry{ID: "11", Payload: []byte(`{"b":1}`), Received: t0.Add(time.Second)},
		InboxEntry{ID: "10", Payload: []byte(`{"a":1}`), Received: t0}); err != nil {
		t.Fatal(err)
	}
	store.Receive("dingtalk", 0, InboxEntry{ID: "msg1", Payload: []byte(`{}`), Received: t0})
	if got := store.Cursor("telegram"); got != 12 {
		t.Errorf("cursor %d, want 12", got)
	}
	left, _ := store.Unhandled("telegram")
	if len(left) != 2 || left[0].ID != "10" || left[1].ID != "11" || left[0].Channel != "telegram" {
		t.Fatalf("unhandled: %+v", left)
	}
	store.Handled("telegram", "10")
	if left, _ := store.Unhandled("telegram"); len(left) != 1 || left[0].ID != "11" {
		t.Errorf("after handling 10: %+v", left)
	}
	if left, _ := store.Unhandled("dingtalk"); len(left) != 1 {
		t.Errorf("dingtalk's inbox: %+v", left)
	}
}

// TestOutboxUncertainWaits: a send whose outcome is unknown is tried again
// only after UncertainWait, also when it happened during a shutdown (the
// next run must not repeat it at once).
func TestOutboxUncertainWaits(t *testing.T) {
	t.Parallel()
	for _, shutdown := range []bool{false, true} {
		c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, cst)}
		store, err := OpenStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		ob := NewOutbox(store, OutboxConfig{MinBackoff: time.Second, UncertainWait: 10 * time.Minute}, c.now, quietLog())
		ctx, cancel := context.WithCancel(context.Background())
		tries := 0
		ob.Handle("test", func(context.Context, OutboxEntry) Result {
			tries++
			if tries == 1 {
				if shutdown {
					cancel()
				}
				return Result{Outcome: Retry, Uncertain: true, Err: errors.New("timeout awaiting headers")}
			}
			return Result{Outcome: Delivered}
		})
		ob.Enqueue(testEntries(1, "x")...)
		ob.Flush(ctx)
		for _, after := range []time.Duration{2 * time.Second, time.Minute, 9 * time.Minute} {
			c.set(time.Date(2026, 3, 2, 9, 0, 0, 0, cst).Add(after))
			ob.Flush(context.Background())
			if tries != 1 {
				t.Fatalf("shutdown %v: tried again %s after an uncertain send", shutdown, after)
			}
		}
		c.set(time.Date(2026, 3, 2, 9, 11, 0, 0, cst))
		ob.Flush(context.Background())
		if tries != 2 || ob.Pending() != 0 {
			t.Errorf("shutdown %v: after UncertainWait %d tries, %d pending", shutdown, tries, ob.Pending())
		}
		cancel()
		store.Close()
	}
}
