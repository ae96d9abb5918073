package eval_test

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/assignbot/assignbot/retrieval"
	"github.com/assignbot/assignbot/retrieval/eval"
)

// The chat-style sets of issue 24, written from the notices alone by a
// helper who had not read the code: their scores may only go up.
const (
	chatQuestionsFloor = 210
	chatDialogsFloor   = 60
	chatPrecisionFloor = 0.92
)

func chatAnswerer(tb testing.TB) *retrieval.Answerer {
	tb.Helper()
	c, err := eval.DevsetCorpus(devsetDir)
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := retrieval.Build(context.Background(), c, retrieval.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return retrieval.NewAnswerer(ix, nil)
}

// TestChatQuestions runs the chat-style questions offline and reports the
// score by category and the citation precision.
func TestChatQuestions(t *testing.T) {
	qs, err := eval.ReadFile(filepath.Join(devsetDir, "questions-chat.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := eval.Run(context.Background(), chatAnswerer(t), qs)
	if err != nil {
		t.Fatal(err)
	}
	cats := make([]string, 0, len(s.ByCat))
	for c := range s.ByCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		t.Logf("%-12s %d/%d", c, s.ByCat[c][0], s.ByCat[c][1])
	}
	t.Logf("chat questions %d/%d (%.1f%%), citation precision %.1f%% (%d/%d)", s.Pass, s.Total,
		100*float64(s.Pass)/float64(s.Total), 100*s.CitationPrecision(), s.Kept, s.Cited)
	for _, f := range s.Failed {
		t.Logf("miss %s", f)
	}
	for _, f := range s.Extra {
		t.Logf("extra citations %s", f)
	}
	if s.Pass < chatQuestionsFloor {
		t.Errorf("chat questions %d/%d, below the floor of %d", s.Pass, s.Total, chatQuestionsFloor)
	}
	if s.CitationPrecision() < chatPrecisionFloor {
		t.Errorf("citation precision %.3f, below the floor of %.3f", s.CitationPrecision(), chatPrecisionFloor)
	}
}

// TestChatDialogs plays the chat-style dialogs; a dialog passes when
// every turn does.
func TestChatDialogs(t *testing.T) {
	ds, err := eval.ReadDialogs(strings.NewReader(eval.ChatDialogs))
	if err != nil {
		t.Fatal(err)
	}
	ans := chatAnswerer(t)
	pass, kept, cited := 0, 0, 0
	for _, d := range ds {
		res, err := eval.RunDialog(context.Background(), ans, d)
		if err != nil {
			t.Fatal(err)
		}
		ok := true
		for i, r := range res {
			kept += r.Kept
			cited += r.Cited
			if r.Why != "" {
				ok = false
				t.Logf("miss %s turn %d %q: %s\n%s", d.ID, i+1, r.Q, r.Why, r.Answer)
			}
		}
		if ok {
			pass++
		}
	}
	prec := 1.0
	if cited > 0 {
		prec = float64(kept) / float64(cited)
	}
	t.Logf("chat dialogs %d/%d (%.1f%%), citation precision %.1f%% (%d/%d)", pass, len(ds), 100*float64(pass)/float64(len(ds)), 100*prec, kept, cited)
	if pass < chatDialogsFloor {
		t.Errorf("chat dialogs %d/%d, below the floor of %d", pass, len(ds), chatDialogsFloor)
	}
}

// newNoticeQuestionsFloor and newNoticePrecisionFloor hold the questions written, from the notices
// alone, over the 21 notices added for issue 23 — notices the answering
// work was not tuned on, the nearest thing here to a held-out set. Its
// score is the honest figure for unseen notices; it may only go up.
const (
	newNoticeQuestionsFloor = 85
	newNoticePrecisionFloor = 0.88
)

// TestNewNoticeQuestions runs questions-new.jsonl (93 questions over the
// notices added for issue 23) and reports the score by category.
func TestNewNoticeQuestions(t *testing.T) {
	qs, err := eval.ReadFile(filepath.Join(devsetDir, "questions-new.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := eval.Run(context.Background(), chatAnswerer(t), qs)
	if err != nil {
		t.Fatal(err)
	}
	cats := make([]string, 0, len(s.ByCat))
	for c := range s.ByCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		t.Logf("%-12s %d/%d", c, s.ByCat[c][0], s.ByCat[c][1])
	}
	t.Logf("new-notice questions %d/%d (%.1f%%), citation precision %.1f%% (%d/%d)", s.Pass, s.Total,
		100*float64(s.Pass)/float64(s.Total), 100*s.CitationPrecision(), s.Kept, s.Cited)
	for _, f := range s.Failed {
		t.Logf("miss %s", f)
	}
	if s.Pass < newNoticeQuestionsFloor {
		t.Errorf("new-notice questions %d/%d, below the floor of %d", s.Pass, s.Total, newNoticeQuestionsFloor)
	}
	if s.CitationPrecision() < newNoticePrecisionFloor {
		t.Errorf("citation precision %.3f, below the floor of %.3f", s.CitationPrecision(), newNoticePrecisionFloor)
	}
}
