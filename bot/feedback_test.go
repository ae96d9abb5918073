package bot

import (
	"errors"
	"testing"
	"time"
)

func TestFeedbackOneVotePerPerson(t *testing.T) {
	t.Parallel()
	s := openTestStore(t)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	chat := ChatRef{Channel: "telegram", ID: "-100"}
	a1, err := s.RecordAnswer(AnswerRecord{Chat: chat, Question: "谁牵头步行街？", Citations: []Cited{{Label: "武政办〔2021〕22号 二(二)3"}}, Time: t0})
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := s.RecordAnswer(AnswerRecord{Chat: chat, Question: "半年小结何时报送？", Time: t0})
	if len(a1) > 13 || a1 == a2 {
		t.Fatalf("ids %q %q: want short and distinct", a1, a2)
	}
	vote := func(id, who string, up bool, min int) bool {
		t.Helper()
		changed, err := s.Vote(id, who, up, t0.Add(time.Duration(min)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return changed
	}
	if !vote(a1, "alice", false, 1) {
		t.Error("first vote not recorded")
	}
	if vote(a1, "alice", false, 2) {
		t.Error("pressing 👎 twice changed something")
	}
	vote(a1, "bob", false, 3)
	vote(a2, "alice", false, 4)
	vote(a2, "carol", true, 5)
	votes, err := s.Votes()
	if err != nil {
		t.Fatal(err)
	}
	if len(votes) != 4 {
		t.Fatalf("%d votes, want 4 (one per person per answer): %+v", len(votes), votes)
	}
	down, _ := s.LatestDown(10)
	if len(down) != 3 || down[0].Question != "半年小结何时报送？" || down[2].Voter != "alice" || down[2].Citations[0].Label != "武政办〔2021〕22号 二(二)3" {
		t.Fatalf("LatestDown = %+v, want 3 newest first with their answers", down)
	}
	if !vote(a2, "alice", true, 6) {
		t.Error("changing 👎 to 👍 not recorded")
	}
	if down, _ = s.LatestDown(10); len(down) != 2 || down[0].Voter != "bob" {
		t.Fatalf("after alice changed her vote: %+v", down)
	}
	if down, _ = s.LatestDown(1); len(down) != 1 {
		t.Fatalf("limit 1 gave %d", len(down))
	}
	if _, err := s.Vote("zzzz", "alice", true, t0); !errors.Is(err, ErrUnknownAnswer) {
		t.Errorf("vote on unknown answer: %v", err)
	}
}

func TestFeedbackPrunesUnvotedAnswers(t *testing.T) {
	t.Parallel()
	s := openTestStore(t)
	s.maxAnswers = 3
	first, _ := s.RecordAnswer(AnswerRecord{Question: "voted"})
	second, _ := s.RecordAnswer(AnswerRecord{Question: "not voted"})
	if _, err := s.Vote(first, "x", false, time.Now()); err != nil {
		t.Fatal(err)
	}
	for range pruneEvery {
		if _, err := s.RecordAnswer(AnswerRecord{Question: "q"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Answer(first); err != nil {
		t.Errorf("voted answer pruned: %v", err)
	}
	if _, err := s.Answer(second); !errors.Is(err, ErrUnknownAnswer) {
		t.Errorf("oldest unvoted answer kept: %v", err)
	}
}

func openTestStore(tb testing.TB) *Store {
	tb.Helper()
	s, err := OpenStore(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}
