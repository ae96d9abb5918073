package retrieval_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assignbot/assignbot/retrieval"
)

// fakeOpenAI is an OpenAI-compatible server: it records the prompts it
// gets and answers with reply(user prompt).
type fakeOpenAI struct {
	mu      sync.Mutex
	prompts []string
	reply   func(user string) (status int, content string)
	delay   time.Duration
}

func (f *fakeOpenAI) serve(tb testing.TB) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/chat/completions") {
			http.NotFound(w, r)
			return
		}
		var req struct {
			Messages []struct{ Role, Content string } `json:"messages"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Messages) < 2 {
			http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
			return
		}
		user := req.Messages[len(req.Messages)-1].Content
		f.mu.Lock()
		f.prompts = append(f.prompts, req.Messages[0].Content+"\n---\n"+user)
		f.mu.Unlock()
		if f.delay > 0 {
			select {
			case <-time.After(f.delay):
			case <-r.Context().Done():
				return
			}
		}
		status, content := f.reply(user)
		w.Header().Set("Content-Type", "application/json")
		if status != http.StatusOK {
			w.WriteHeader(status)
			w.Write([]byte(`{"error":{"message":"server exploded","type":"server_error"}}`))
			return
		}
		json.NewEncoder(w).Encode(map[string]any{
			"id": "x", "object": "chat.completion", "model": "fake",
			"choices": []map[string]any{{"index": 0, "finish_reason": "stop",
				"message": map[string]string{"role": "assistant", "content": content}}},
		})
	}))
	tb.Cleanup(srv.Close)
	return srv
}

func llmAnswerer(tb testing.TB, f *fakeOpenAI, timeout time.Duration) *retrieval.Answerer {
	srv := f.serve(tb)
	llm := retrieval.NewOpenAICompleter(retrieval.OpenAIConfig{BaseURL: srv.URL + "/v1", APIKey: "test-key", Model: "fake"})
	a := retrieval.NewAnswerer(sampleIndex(tb), llm)
	a.Timeout = timeout
	return a
}

func TestLLMAnswerWithCheckedCitations(t *testing.T) {
	f := &fakeOpenAI{reply: func(string) (int, string) {
		return 200, "加快特色步行街建设由市商务局牵头[1]，另见[9]。"
	}}
	a, err := llmAnswerer(t, f, 5*time.Second).Answer(context.Background(), "哪个单位牵头步行街建设任务？")
	if err != nil {
		t.Fatal(err)
	}
	if a.Source != "llm" || !a.Incomplete {
		t.Fatalf("source %s incomplete %v: %s", a.Source, a.Incomplete, a.Text)
	}
	if strings.Contains(a.Text, "[9]") || !strings.Contains(a.Text, "[1]") || !strings.Contains(a.Text, "无法核实") {
		t.Errorf("unknown citation not removed or not flagged:\n%s", a.Text)
	}
	if len(a.Citations) != 1 || a.Citations[0].Label != "武政办〔2021〕22号 二(二)3" {
		t.Errorf("citations %+v", a.Citations)
	}
	// The prompt carries the question, the rules and the retrieved tasks
	// with their units and labels.
	p := f.prompts[0]
	for _, want := range []string{"哪个单位牵头步行街建设任务？", "[1] 武政办〔2021〕22号 二(二)3", "牵头单位：市商务局", "never invent a unit", "加快特色步行街"} {
		if !strings.Contains(p, want) {
			t.Errorf("prompt lacks %q:\n%s", want, p)
		}
	}
}

func TestLLMFallsBackToOffline(t *testing.T) {
	tests := []struct {
		name    string
		f       *fakeOpenAI
		timeout time.Duration
	}{
		{"HTTP500", &fakeOpenAI{reply: func(string) (int, string) { return 500, "" }}, 5 * time.Second},
		{"Timeout", &fakeOpenAI{delay: 2 * time.Second, reply: func(string) (int, string) { return 200, "市商务局[1]" }}, 100 * time.Millisecond},
		{"EmptyOutput", &fakeOpenAI{reply: func(string) (int, string) { return 200, "   " }}, 5 * time.Second},
		{"NoCitation", &fakeOpenAI{reply: func(string) (int, string) { return 200, "市财政局牵头。" }}, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			a, err := llmAnswerer(t, tt.f, tt.timeout).Answer(context.Background(), "哪个单位牵头步行街建设任务？")
			if err != nil {
				t.Fatal(err)
			}
			if a.Source != "offline" || !a.Found || !strings.Contains(a.Text, "市商务局") || strings.Contains(a.Text, "市财政局牵头") {
				t.Errorf("fallback answer %s: %s", a.Source, a.Text)
			}
			if time.Since(start) > 1500*time.Millisecond {
				t.Errorf("took %s", time.Since(start))
			}
		})
	}
}

func TestLLMTranslatesForeignQuestions(t *testing.T) {
	f := &fakeOpenAI{reply: func(user string) (int, string) {
		if strings.HasPrefix(strings.TrimSpace(user), "Which") {
			return 200, "哪个单位牵头琴台美术馆建设？"
		}
		return 200, "The lead unit is 市文化和旅游局 [1]."
	}}
	a, err := llmAnswerer(t, f, 5*time.Second).Answer(context.Background(), "Which unit leads building the Qintai art gallery?")
	if err != nil {
		t.Fatal(err)
	}
	if a.Source != "llm" || a.Lang != "en" || len(a.Citations) == 0 || !strings.HasPrefix(a.Citations[0].Doc, "004") || !strings.Contains(a.Text, "Sources:") {
		t.Errorf("%s %s %+v\n%s", a.Source, a.Lang, a.Citations, a.Text)
	}
}

func TestLLMNotAskedWhenNothingFound(t *testing.T) {
	f := &fakeOpenAI{reply: func(string) (int, string) { return 200, "火星探测由市航天局牵头[1]。" }}
	a, _ := llmAnswerer(t, f, time.Second).Answer(context.Background(), "哪个单位负责火星探测任务？")
	if a.Found || len(f.prompts) != 0 {
		t.Errorf("found %v, prompts %d: %s", a.Found, len(f.prompts), a.Text)
	}
}
