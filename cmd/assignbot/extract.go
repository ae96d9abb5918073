package main

import (
	"context"
	"log/slog"
	"strings"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

// withModelTasks lets the chat model the environment configures propose
// tasks for notices the rules could not read (retrieval.Extractor), unless
// MODEL_EXTRACTION=off. Offline it does nothing.
func withModelTasks(ctx context.Context, c *corpus.Corpus, getenv func(string) string, dataDir string) *corpus.Corpus {
	m := completerFromEnv(getenv)
	if m == nil || c == nil || strings.EqualFold(envOr(getenv, "MODEL_EXTRACTION", "on"), "off") {
		return c
	}
	x := &retrieval.Extractor{Model: m, Name: envOr(getenv, "CHAT_MODEL", "") + "@" + envOr(getenv, "OPENAI_BASE_URL", ""), CacheDir: dataDir}
	if rep := x.Apply(ctx, c); rep.Notices > 0 {
		slog.Info("model extraction", "notices", rep.Notices, "proposed", rep.Proposed, "kept", rep.Kept, "cached", rep.Cached, "errors", len(rep.Errors))
	}
	return c
}
