package telegram

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

// Helpers shared with the core's tests (package bot has its own copies:
// test files do not cross packages).

var (
	sampleOnce   sync.Once
	sampleEngine *retrieval.Engine
)

// sampleHashes maps each sample notice file to its content hash.
func sampleHashes(tb testing.TB) map[string]string {
	ld, _ := retrieval.NewService(samplesEngine(tb)).Current()
	return bot.NoticeHashes(ld.Corpus)
}

// samplesEngine is one engine over the built-in samples, for tests that
// only read.
func samplesEngine(tb testing.TB) *retrieval.Engine {
	tb.Helper()
	sampleOnce.Do(func() {
		var err error
		sampleEngine, err = retrieval.NewEngine(context.Background(), func(*corpus.Corpus) (*corpus.Corpus, error) {
			return corpus.LoadFS(corpus.Samples, ".")
		}, retrieval.Options{}, nil)
		if err != nil {
			tb.Fatal(err)
		}
	})
	return sampleEngine
}

var cst = time.FixedZone("CST", 8*3600)

// clock is an injected clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

func subscribeAt(t *testing.T, store *bot.Store, chat bot.ChatRef, at, tz string, units ...string) {
	t.Helper()
	sub := bot.Subscription{ChatRef: chat, Time: at, TZ: tz, Units: units, Active: true, Seen: sampleHashes(t)}
	if err := store.Put(sub); err != nil {
		t.Fatal(err)
	}
}
