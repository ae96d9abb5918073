package retrieval

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/assignbot/assignbot/corpus"
)

// ErrReloadRunning is returned when a reload is asked for while one runs.
var ErrReloadRunning = errors.New("a reload is already running")

// Engine serves answers from the current index and reloads the corpus
// behind it. A reload builds a new index beside the old one and swaps it
// in atomically: questions in flight keep the index they started with, and
// a reload that fails leaves the old one serving.
type Engine struct {
	load     func(prev *corpus.Corpus) (*corpus.Corpus, error)
	opt      Options
	llm      Completer
	cur      atomic.Pointer[Answerer]
	reloadMu sync.Mutex
}

// NewEngine loads the corpus and builds the first index. load gets the
// corpus being served (nil the first time), so that it can reload
// incrementally (corpus.Corpus.Reload). With opt.CorpusDir and
// opt.DataDir, the engine starts from the index snapshot when the folder
// is unchanged since it was written (updating from it when not), and
// writes the snapshot again after every reload.
func NewEngine(ctx context.Context, load func(prev *corpus.Corpus) (*corpus.Corpus, error), opt Options, llm Completer) (_ *Engine, err error) {
	defer func() {
		// The first load, like every reload, fails with a reason rather
		// than take the process down (serve runs it in the background).
		if r := recover(); r != nil {
			slog.Error("first load panicked", "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("internal error while loading: %v", r)
		}
	}()
	e := &Engine{load: load, opt: opt, llm: llm}
	if opt.CorpusDir != "" && opt.DataDir != "" {
		ix, fresh, err := LoadSnapshot(ctx, opt.CorpusDir, opt)
		switch {
		case err == nil && fresh:
			e.cur.Store(NewAnswerer(ix, llm))
			return e, nil
		case err == nil:
			e.cur.Store(NewAnswerer(ix, llm)) // the start of the update below
		case !errors.Is(err, ErrNoSnapshot):
			slog.Warn("index snapshot not read", "err", err)
		}
	}
	if _, err := e.rebuild(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// Answerer returns the answerer of the current index.
func (e *Engine) Answerer() *Answerer { return e.cur.Load() }

// Answer answers from the current index.
func (e *Engine) Answer(ctx context.Context, question string) (Answer, error) {
	return e.cur.Load().Answer(ctx, question)
}

// Converse answers from the current index in a conversation.
func (e *Engine) Converse(ctx context.Context, c *Conversation, question string) (Answer, error) {
	return e.Answerer().Converse(ctx, c, question)
}

// ConverseWith answers from the current index in a conversation, with
// options.
func (e *Engine) ConverseWith(ctx context.Context, c *Conversation, question string, opt AnswerOptions) (Answer, error) {
	return e.Answerer().ConverseWith(ctx, c, question, opt)
}

// Index returns the current index.
func (e *Engine) Index() *Index { return e.cur.Load().Index() }

// Reload re-reads the corpus and swaps in a new index. Two reloads never
// run at once: the second gets ErrReloadRunning. A panic while reloading
// is an error like any other (its stack goes to the log): the old index
// keeps serving and whoever asked for the reload is told.
func (e *Engine) Reload(ctx context.Context) (ix *Index, err error) {
	if !e.reloadMu.TryLock() {
		return nil, ErrReloadRunning
	}
	defer e.reloadMu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			slog.Error("reload panicked; the old index keeps serving", "panic", r, "stack", string(debug.Stack()))
			ix, err = nil, fmt.Errorf("internal error while reloading: %v", r)
		}
	}()
	return e.rebuild(ctx)
}

func (e *Engine) rebuild(ctx context.Context) (*Index, error) {
	var prev *Index
	var prevCorpus *corpus.Corpus
	if cur := e.cur.Load(); cur != nil {
		prev = cur.Index()
		prevCorpus = prev.Corpus
	}
	c, err := e.load(prevCorpus)
	if err != nil {
		return nil, err
	}
	if c.Report.CacheError != "" {
		slog.Warn("parse cache not saved", "dir", e.opt.DataDir, "err", c.Report.CacheError)
	}
	ix, err := Update(ctx, prev, c, e.opt)
	if err != nil {
		return nil, err
	}
	e.cur.Store(NewAnswerer(ix, e.llm))
	if e.opt.CorpusDir != "" {
		// Questions are answered from the new index meanwhile.
		if err := ix.Save(); err != nil {
			slog.Warn("index snapshot not saved", "dir", e.opt.DataDir, "err", err)
		}
	}
	return ix, nil
}
