package dingtalk

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkStreamDelivery pushes robot messages through the fake gateway
// and waits until each is acknowledged and handled; it reports the worst
// time from push to acknowledgement.
func BenchmarkStreamDelivery(b *testing.B) {
	f := newFakeDingTalk(b)
	handled := make(chan struct{}, 1024)
	cfg := testConfig(f, nil)
	cfg.KeepAlive = time.Minute
	startChannel(b, f, cfg, func(context.Context, Incoming) { handled <- struct{}{} })
	hook := f.hookURL("s")
	b.ReportAllocs()
	b.ResetTimer()
	var worst time.Duration
	for i := range b.N {
		id := fmt.Sprintf("bench-%d", i)
		start := time.Now()
		f.push(robotFrame(id, privateText("m-"+id, "问题", hook)))
		f.waitAck(id)
		worst = max(worst, time.Since(start))
		<-handled
	}
	b.ReportMetric(float64(worst.Microseconds()), "worst-ack-µs")
}
