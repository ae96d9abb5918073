package bot

import (
	"context"
	"sync"
)

// RunWorkers starts n workers that take messages from queue and handle
// each, until ctx ends, and returns a function that waits for them. A
// message taken while stopping is left alone, and done is called only for
// a message handled while ctx was still live: what a shutdown cut short
// stays in the store's inbox for the next start. Every channel with an
// inbox (DingTalk, WeCom, Feishu) runs its messages this way.
func RunWorkers[T any](ctx context.Context, n int, queue <-chan T, handle func(context.Context, T), done func(T)) (wait func()) {
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case m := <-queue:
					if ctx.Err() != nil {
						return // stopping: m stays in the inbox
					}
					handle(ctx, m)
					if ctx.Err() == nil {
						done(m)
					}
				}
			}
		})
	}
	return wg.Wait
}
