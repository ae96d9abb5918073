package retrieval

import (
	"context"
	"errors"
	"testing"

	"github.com/assignbot/assignbot/corpus"
)

// loadingSource is a Source whose first index is not built yet.
type loadingSource struct{}

var errLoading = errors.New("loading")

func (loadingSource) Answer(context.Context, string) (Answer, error) { return Answer{}, errLoading }
func (loadingSource) ConverseWith(context.Context, *Conversation, string, AnswerOptions) (Answer, error) {
	return Answer{}, errLoading
}
func (loadingSource) Reload(context.Context) (*Index, error) { return nil, ErrReloadRunning }
func (loadingSource) Index() *Index                          { return nil }

// TestServiceWhileLoading: before the first index, every read says
// there is nothing yet instead of failing.
func TestServiceWhileLoading(t *testing.T) {
	s := NewService(loadingSource{})
	if _, ok := s.Current(); ok {
		t.Error("Current reports a load while loading")
	}
	if _, ok := s.UnitListing("市商务局", AnswerOptions{Page: 1}); ok {
		t.Error("UnitListing found a unit while loading")
	}
	if _, _, ok := s.FindTask("1", "1"); ok {
		t.Error("FindTask found a task while loading")
	}
	if _, ok := s.ResolveUnit("市商务局"); ok {
		t.Error("ResolveUnit resolved while loading")
	}
	if sc := s.MatchScope(" 广元 "); sc.Text != "广元" || len(sc.Docs) != 0 {
		t.Errorf("MatchScope while loading: %+v", sc)
	}
	if _, err := s.Reload(context.Background()); !errors.Is(err, ErrReloadRunning) {
		t.Errorf("Reload while loading: %v", err)
	}
	if _, err := s.Answer(context.Background(), "谁牵头？"); !errors.Is(err, errLoading) {
		t.Errorf("Answer while loading: %v", err)
	}
}

// TestServiceReadsCurrentIndex: the Service's reads are the index's.
func TestServiceReadsCurrentIndex(t *testing.T) {
	e, err := NewEngine(context.Background(), func(*corpus.Corpus) (*corpus.Corpus, error) {
		return corpus.LoadFS(corpus.Samples, ".")
	}, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := NewService(e)
	ix := e.Index()
	ld, ok := s.Current()
	if !ok || ld.Corpus != ix.Corpus || ld.Stats.Tasks != ix.Stats.Tasks || ld.Stats.Tasks == 0 {
		t.Fatalf("Current: %v, %d tasks, want the index's corpus and %d tasks", ok, ld.Stats.Tasks, ix.Stats.Tasks)
	}
	task := ix.Corpus.Tasks()[0]
	if len(task.LeadUnits) == 0 {
		t.Fatal("fixture: the first sample task names no lead unit")
	}
	unit := task.LeadUnits[0]
	want, _ := ix.UnitAnswerWith(unit, false, AnswerOptions{Page: 1})
	if got, ok := s.UnitListing(unit, AnswerOptions{Page: 1}); !ok || got.Text != want.Text {
		t.Errorf("UnitListing(%s): %v\n%s\nwant\n%s", unit, ok, got.Text, want.Text)
	}
	canon, ok := s.ResolveUnit(unit)
	if wantCanon, _ := ix.ResolveUnit(unit); !ok || canon != wantCanon {
		t.Errorf("ResolveUnit(%s) = %q, %v; want %q", unit, canon, ok, wantCanon)
	}
	n := ix.Corpus.Notices[0]
	if _, got, ok := s.FindTask(n.Doc, n.Tasks[0].Ref); !ok || got != n.Tasks[0] {
		t.Errorf("FindTask(%s, %s): %v", n.Doc, n.Tasks[0].Ref, ok)
	}
	ld, err = s.Reload(context.Background())
	if err != nil || ld.Corpus != e.Index().Corpus || ld.Stats.Notices != len(ix.Corpus.Notices) {
		t.Errorf("Reload: %v; want the new index's corpus and counts", err)
	}
}
