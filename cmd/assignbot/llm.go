package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/assignbot/assignbot/retrieval"
)

// botWorkers is how many updates serve handles at once.
const botWorkers = 8

// embedderFromEnv returns the remote embedder when OPENAI_BASE_URL (or
// EMBEDDING_BASE_URL) is set and an embedding model is named, else nil (the
// local embedder).
func embedderFromEnv(getenv func(string) string) retrieval.Embedder {
	base := envOr(getenv, "EMBEDDING_BASE_URL", envOr(getenv, "OPENAI_BASE_URL", ""))
	model := envOr(getenv, "EMBEDDING_MODEL", "")
	if base == "" || model == "" {
		return nil
	}
	return retrieval.NewOpenAIEmbedder(retrieval.OpenAIConfig{
		BaseURL: base, APIKey: envOr(getenv, "EMBEDDING_API_KEY", envOr(getenv, "OPENAI_API_KEY", "")), Model: model,
	})
}

// llmTimeout reads LLM_TIMEOUT, the one timeout of a model call: the HTTP
// client, the answerer and the bot's answer deadline all follow it.
func llmTimeout(getenv func(string) string) (time.Duration, error) {
	s := envOr(getenv, "LLM_TIMEOUT", "")
	if s == "" {
		return retrieval.DefaultLLMTimeout, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("LLM_TIMEOUT must be a duration such as 15s or 1m, got %q", s)
	}
	return d, nil
}

// llmConcurrency reads LLM_CONCURRENCY, how many model calls may run at
// once (default 3). It stays below the bot's workers, so that commands and
// offline answers always find a free worker.
func llmConcurrency(getenv func(string) string) (int, error) {
	s := envOr(getenv, "LLM_CONCURRENCY", "3")
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("LLM_CONCURRENCY must be a positive number, got %q", s)
	}
	return min(n, botWorkers-1), nil
}

// completerFromEnv returns the chat model when OPENAI_BASE_URL and
// CHAT_MODEL are set, else nil (offline answers). Calls are limited to
// LLM_CONCURRENCY at once and LLM_TIMEOUT each; a malformed setting falls
// back to the default here (serve refuses to start with one).
func completerFromEnv(getenv func(string) string) retrieval.Completer {
	base := envOr(getenv, "OPENAI_BASE_URL", "")
	model := envOr(getenv, "CHAT_MODEL", "")
	if base == "" || model == "" {
		return nil
	}
	timeout, err := llmTimeout(getenv)
	if err != nil {
		timeout = retrieval.DefaultLLMTimeout
	}
	n, err := llmConcurrency(getenv)
	if err != nil {
		n = 3
	}
	c := retrieval.NewOpenAICompleter(retrieval.OpenAIConfig{
		BaseURL: base, APIKey: envOr(getenv, "OPENAI_API_KEY", ""), Model: model, Timeout: timeout,
	})
	return retrieval.LimitCompleter(c, n, timeout)
}
