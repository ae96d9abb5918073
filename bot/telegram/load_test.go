package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"
)

// BenchmarkLoad pushes 1000 questions from 200 users through the fake Bot
// API server into the bot's real polling loop, and reports throughput and
// the slowest reply. Every question must be answered.
//
//	go test -run '^$' -bench Load -benchtime 1x ./bot
func BenchmarkLoad(b *testing.B) {
	questions := []string{
		"哪个单位牵头步行街建设任务？", "老字号自主品牌建设由谁牵头？", "市商务局牵头哪些任务？",
		"半年工作小结什么时候报送？", "琴台美术馆建设由谁牵头？",
	}
	const users, perUser = 200, 5
	for b.Loop() {
		tb := newTestBotConfig(b, testConfig{PerMinute: 1000, Workers: 8})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- tb.core.Run(ctx) }()

		var mu sync.Mutex
		enqueued := map[int]time.Time{}
		start := time.Now()
		for u := 0; u < users; u++ {
			for q := 0; q < perUser; q++ {
				upd := private(int64(1000+u), questions[(u+q)%len(questions)])
				mu.Lock()
				enqueued[upd.Message.ID] = time.Now()
				mu.Unlock()
				tb.tg.queue(upd)
			}
		}
		var slowest time.Duration
		for got := 0; got < users*perUser; got++ {
			select {
			case m := <-tb.tg.sentCh:
				var rp struct {
					MessageID int `json:"message_id"`
				}
				json.Unmarshal([]byte(m.ReplyTo), &rp)
				mu.Lock()
				if t0, ok := enqueued[rp.MessageID]; ok {
					slowest = max(slowest, time.Since(t0))
					delete(enqueued, rp.MessageID)
				}
				mu.Unlock()
			case <-time.After(60 * time.Second):
				b.Fatalf("only %d of %d questions answered", got, users*perUser)
			}
		}
		took := time.Since(start)
		if len(enqueued) != 0 {
			b.Fatalf("%d questions without a reply", len(enqueued))
		}
		cancel()
		<-done
		b.ReportMetric(float64(users*perUser)/took.Seconds(), "questions/s")
		b.ReportMetric(float64(slowest.Milliseconds()), "slowest-ms")
		fmt.Fprintf(testWriter{b}, "1000 questions from 200 users in %s; slowest reply %s\n", took.Round(time.Millisecond), slowest.Round(time.Millisecond))
	}
}

type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Log(string(p))
	return len(p), nil
}
