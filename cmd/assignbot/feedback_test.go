package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/bot/web"
	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

// noIndex is an engine still loading: the feedback page needs no index.
type noIndex struct{}

func (noIndex) Index() *retrieval.Index                          { return nil }
func (noIndex) Reload(context.Context) (*retrieval.Index, error) { return nil, bot.ErrLoading }
func (noIndex) Answer(context.Context, string) (retrieval.Answer, error) {
	return retrieval.Answer{}, bot.ErrLoading
}
func (noIndex) ConverseWith(context.Context, *retrieval.Conversation, string, retrieval.AnswerOptions) (retrieval.Answer, error) {
	return retrieval.Answer{}, bot.ErrLoading
}

// TestWebFeedbackFromStore: a 👎 stored by a chat shows on the admin
// page's feedback list with its question and citation; a 👍 does not.
func TestWebFeedbackFromStore(t *testing.T) {
	t.Parallel()
	store, err := bot.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	down, _ := store.RecordAnswer(bot.AnswerRecord{Chat: bot.ChatRef{Channel: "telegram", ID: "-42"}, ChatTitle: "督办群",
		Question: "哪个单位牵头步行街建设？", Citations: []bot.Cited{{Label: "武政办〔2021〕22号 二(二)3"}}, Time: now})
	up, _ := store.RecordAnswer(bot.AnswerRecord{Chat: bot.ChatRef{Channel: "dingtalk", ID: "cid"}, Question: "半年小结什么时候报送？", Time: now})
	if _, err := store.Vote(down, "7", false, now); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Vote(up, "8", true, now); err != nil {
		t.Fatal(err)
	}
	const token = "feedback-test-token-0123456789"
	page, err := web.New(web.Config{Token: token, Engine: retrieval.NewService(noIndex{}), Feedback: storeFeedback{store}})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/feedback", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	page.ServeHTTP(w, r)
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, "哪个单位牵头步行街建设？") || !strings.Contains(body, "督办群") ||
		!strings.Contains(body, "二(二)3") {
		t.Fatalf("feedback page: %d\n%.2000s", w.Code, body)
	}
	if strings.Contains(body, "半年小结什么时候报送？") {
		t.Error("a 👍 is listed among the 👎")
	}

	// With the notices loaded, the citation links its task's row.
	e, err := retrieval.NewEngine(context.Background(), func(*corpus.Corpus) (*corpus.Corpus, error) {
		return corpus.LoadFS(corpus.Samples, ".")
	}, retrieval.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	for _, n := range e.Index().Corpus.Notices {
		if n.DocNumber == "武政办〔2021〕22号" {
			doc = n.Doc
		}
	}
	linked, _ := store.RecordAnswer(bot.AnswerRecord{Question: "步行街谁负责？", Time: now,
		Citations: []bot.Cited{{Label: "武政办〔2021〕22号 二(二)3", Doc: doc, Ref: "二(二)3"}}})
	if _, err := store.Vote(linked, "9", false, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	page, err = web.New(web.Config{Token: token, Engine: retrieval.NewService(e), Feedback: storeFeedback{store}})
	if err != nil {
		t.Fatal(err)
	}
	w = httptest.NewRecorder()
	page.ServeHTTP(w, r)
	if body := w.Body.String(); doc == "" || !strings.Contains(body, "步行街谁负责？") || !strings.Contains(body, "/notice?doc=") {
		t.Errorf("feedback page with the notices: no link to the cited task (doc %q)\n%.3000s", doc, body)
	}
}
