package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

func TestLLMSettings(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		name    string
		env     map[string]string
		timeout time.Duration
		slots   int
		bad     bool
	}{
		{"Defaults", map[string]string{}, 15 * time.Second, 3, false},
		{"LongTimeoutHonoured", map[string]string{"LLM_TIMEOUT": "90s"}, 90 * time.Second, 3, false},
		{"SlotsBelowWorkers", map[string]string{"LLM_CONCURRENCY": "50"}, 15 * time.Second, botWorkers - 1, false},
		{"BadTimeout", map[string]string{"LLM_TIMEOUT": "soon"}, 0, 0, true},
		{"BadSlots", map[string]string{"LLM_CONCURRENCY": "0"}, 0, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err1 := llmTimeout(env(tc.env))
			n, err2 := llmConcurrency(env(tc.env))
			if tc.bad {
				if err1 == nil && err2 == nil {
					t.Error("accepted")
				}
				return
			}
			if err1 != nil || err2 != nil || d != tc.timeout || n != tc.slots {
				t.Errorf("timeout %s slots %d (%v %v), want %s %d", d, n, err1, err2, tc.timeout, tc.slots)
			}
		})
	}
	c := completerFromEnv(env(map[string]string{"OPENAI_BASE_URL": "http://127.0.0.1:1", "CHAT_MODEL": "m", "LLM_TIMEOUT": "45s"}))
	if a := retrieval.NewAnswerer(nil, c); a.Timeout != 45*time.Second {
		t.Errorf("answerer timeout %s, want LLM_TIMEOUT", a.Timeout)
	}
}

// TestStartingEngine: before the first index, the engine says it is
// loading; the first Reload builds it.
func TestStartingEngine(t *testing.T) {
	t.Parallel()
	e := &startingEngine{build: func(ctx context.Context) (*retrieval.Engine, error) {
		return retrieval.NewEngine(ctx, func(prev *corpus.Corpus) (*corpus.Corpus, error) { return loadCorpus("") }, retrieval.Options{}, nil)
	}}
	if _, err := e.Answer(context.Background(), "x"); !errors.Is(err, bot.ErrLoading) || e.Index() != nil {
		t.Fatalf("before loading: %v", err)
	}
	if _, err := e.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if a, err := e.Answer(context.Background(), "哪个单位牵头步行街建设任务？"); err != nil || !a.Found {
		t.Errorf("after loading: %v %+v", err, a)
	}
}
