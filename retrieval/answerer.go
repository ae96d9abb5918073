package retrieval

import (
	"context"
	"time"
)

// Completer is a chat model: a system prompt and a user prompt in, text
// out. The go-openai adapter implements it; tests use a fake server.
type Completer interface {
	Complete(ctx context.Context, system, user string) (string, error)
}

// Answerer answers questions from an index, offline or with a model.
type Answerer struct {
	ix  *Index
	llm Completer // nil: offline
}

// NewAnswerer returns an answerer; llm may be nil.
func NewAnswerer(ix *Index, llm Completer) *Answerer { return &Answerer{ix: ix, llm: llm} }

// Index returns the index the answerer uses.
func (a *Answerer) Index() *Index { return a.ix }

// Answer answers one question.
func (a *Answerer) Answer(ctx context.Context, question string) (Answer, error) {
	start := time.Now()
	ans, err := a.ix.AnswerOffline(ctx, question)
	ans.TookMS = time.Since(start).Milliseconds()
	return ans, err
}
