package retrieval

import (
	"context"
	"strings"

	"github.com/assignbot/assignbot/corpus"
)

// Service is the retrieval side as a chat core sees it: answers, unit
// listings, task lookup, scopes, unit names, the loaded corpus and its
// counts, and reloads — each read from the current index, so that the
// caller never holds an *Index. It adapts a Source: an *Engine, or
// anything that answers like one (serve's engine that answers while the
// first index is loading).
type Service struct{ src Source }

// Source is what a Service reads: an *Engine is one. Index is nil while
// the first index is loading.
type Source interface {
	Answer(ctx context.Context, question string) (Answer, error)
	ConverseWith(ctx context.Context, c *Conversation, question string, opt AnswerOptions) (Answer, error)
	Reload(ctx context.Context) (*Index, error)
	Index() *Index
}

// Loaded is what one load produced, as plain data: the corpus read (its
// notices, directory of unit names and file report) and the build's
// counts, with what the load added, changed and removed.
type Loaded struct {
	Corpus *corpus.Corpus
	Stats  BuildStats
}

// NewService is the Service over src.
func NewService(src Source) *Service { return &Service{src: src} }

// Answer answers a question on its own.
func (s *Service) Answer(ctx context.Context, question string) (Answer, error) {
	return s.src.Answer(ctx, question)
}

// ConverseWith answers a question in a conversation; opt.Page asks for
// one page of a unit listing.
func (s *Service) ConverseWith(ctx context.Context, c *Conversation, question string, opt AnswerOptions) (Answer, error) {
	return s.src.ConverseWith(ctx, c, question, opt)
}

// Current is the loaded corpus and its counts; false while the first
// index is loading.
func (s *Service) Current() (Loaded, bool) {
	ix := s.src.Index()
	if ix == nil {
		return Loaded{}, false
	}
	return Loaded{Corpus: ix.Corpus, Stats: ix.Stats}, true
}

// Reload reloads the notices and returns what the new index holds.
func (s *Service) Reload(ctx context.Context) (Loaded, error) {
	ix, err := s.src.Reload(ctx)
	if err != nil || ix == nil {
		return Loaded{}, err
	}
	return Loaded{Corpus: ix.Corpus, Stats: ix.Stats}, nil
}

// UnitListing lists every task a unit leads or shares (within
// opt.Notices when set; opt.Page from 1); false when the unit has none.
func (s *Service) UnitListing(name string, opt AnswerOptions) (Answer, bool) {
	ix := s.src.Index()
	if ix == nil {
		return Answer{}, false
	}
	return ix.UnitAnswerWith(name, false, opt)
}

// FindTask finds a task by notice (file, title or number) and task ref.
func (s *Service) FindTask(notice, ref string) (*corpus.Notice, *corpus.Task, bool) {
	ix := s.src.Index()
	if ix == nil {
		return nil, nil, false
	}
	return ix.FindTask(notice, ref)
}

// MatchScope matches a scope's words (region, issuer, title, number)
// against the loaded notices.
func (s *Service) MatchScope(text string) Scope {
	ix := s.src.Index()
	if ix == nil {
		return Scope{Text: strings.TrimSpace(text)}
	}
	return ix.MatchScope(text)
}

// ResolveUnit gives the canonical name of a unit some task names.
func (s *Service) ResolveUnit(name string) (string, bool) {
	ix := s.src.Index()
	if ix == nil {
		return "", false
	}
	return ix.ResolveUnit(name)
}

// Units lists the canonical names of every unit some task names (the
// admin page's unit list); nil while the first index is loading.
func (s *Service) Units() []string {
	ix := s.src.Index()
	if ix == nil {
		return nil
	}
	return ix.Units()
}

// UnitTasks lists the tasks a unit (its canonical name) leads or shares.
func (s *Service) UnitTasks(canon string) []UnitTask {
	ix := s.src.Index()
	if ix == nil {
		return nil
	}
	return ix.UnitTasks(canon)
}
