package main

import (
	"time"

	"github.com/assignbot/assignbot/retrieval"
)

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

// completerFromEnv returns the chat model when OPENAI_BASE_URL and
// CHAT_MODEL are set, else nil (offline answers).
func completerFromEnv(getenv func(string) string) retrieval.Completer {
	base := envOr(getenv, "OPENAI_BASE_URL", "")
	model := envOr(getenv, "CHAT_MODEL", "")
	if base == "" || model == "" {
		return nil
	}
	timeout, err := time.ParseDuration(envOr(getenv, "LLM_TIMEOUT", "30s"))
	if err != nil {
		timeout = 30 * time.Second
	}
	return retrieval.NewOpenAICompleter(retrieval.OpenAIConfig{
		BaseURL: base, APIKey: envOr(getenv, "OPENAI_API_KEY", ""), Model: model, Timeout: timeout,
	})
}
