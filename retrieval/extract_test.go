package retrieval_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

// A notice whose units are written in no convention the rules read.
const proseNotice = "关于做好步行街建设工作的通知\n一、工作安排\n（一）步行街建设工作由市商务局统筹，市财政局予以资金保障，各区抓好落实。\n（二）请各单位高度重视。"

func loadText(tb testing.TB, name, text string) *corpus.Corpus {
	tb.Helper()
	c := &corpus.Corpus{Directory: corpus.NewDirectory()}
	n, fr := c.ParseFile(name, []byte(text))
	if n == nil {
		tb.Fatalf("not loaded: %s", fr.Reason)
	}
	c.Notices = []*corpus.Notice{n}
	c.Report.Files = []corpus.FileReport{fr}
	return c
}

// TestModelExtraction: the model's proposals are kept only where the notice
// bears them out, marked as model-extracted, and cached by content.
func TestModelExtraction(t *testing.T) {
	c := loadText(t, "prose.txt", proseNotice)
	if len(c.Notices[0].Tasks) != 0 {
		t.Fatalf("the rules read %d tasks; the test needs a notice they cannot read", len(c.Notices[0].Tasks))
	}
	f := &fakeOpenAI{reply: func(user string) (int, string) {
		// The paragraph's number, as the prompt gives it: "[N] text".
		p := ""
		for _, l := range strings.Split(user, "\n") {
			if strings.Contains(l, "由市商务局统筹") && strings.HasPrefix(l, "[") {
				p = l[1:strings.Index(l, "]")]
			}
		}
		if p == "" {
			return http.StatusOK, `{"tasks":[]}`
		}
		return http.StatusOK, "```json\n" + `{"tasks":[
			{"p":` + p + `,"text":"步行街建设工作由市商务局统筹，市财政局予以资金保障，各区抓好落实。","lead":["市商务局"],"resp":["市财政局","市发展和改革委员会","各区"]},
			{"p":` + p + `,"text":"夜市建设由市文旅局负责。","lead":["市文旅局"],"resp":[]},
			{"p":99,"text":"x","lead":["市商务局"],"resp":[]}
		]}` + "\n```"
	}}
	srv := f.serve(t)
	cache := t.TempDir()
	x := &retrieval.Extractor{Model: retrieval.NewOpenAICompleter(retrieval.OpenAIConfig{BaseURL: srv.URL + "/v1", Model: "fake"}), Name: "fake", CacheDir: cache}
	rep := x.Apply(context.Background(), c)
	tasks := c.Notices[0].Tasks
	if rep.Notices != 1 || rep.Proposed != 3 || rep.Kept != 1 || len(tasks) != 1 {
		t.Fatalf("report %+v, tasks %+v", rep, tasks)
	}
	task := tasks[0]
	if task.Extracted != "model" || strings.Join(task.LeadUnits, "、") != "市商务局" || strings.Join(task.ResponsibleUnits, "、") != "市财政局、各区" || task.Ref != "一(一)" {
		t.Errorf("task %+v: want lead 市商务局, resp 市财政局、各区 (the invented unit dropped), ref 一(一)", task)
	}

	// Cited as model-extracted.
	ix, err := retrieval.Build(context.Background(), c, retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := retrieval.NewAnswerer(ix, nil).Answer(context.Background(), "步行街建设工作由谁统筹？")
	if len(a.Citations) == 0 || a.Citations[0].Extracted != "model" || !strings.Contains(a.Citations[0].Label, "模型提取") {
		t.Errorf("citation of a model-extracted task: %+v", a.Citations)
	}

	// The same notice again: answered from the cache, the model not asked.
	asked := len(f.prompts)
	c2 := loadText(t, "prose.txt", proseNotice)
	f.reply = func(string) (int, string) { return http.StatusInternalServerError, "" }
	if rep := x.Apply(context.Background(), c2); rep.Cached != 1 || len(c2.Notices[0].Tasks) != 1 || len(f.prompts) != asked {
		t.Errorf("second apply %+v, %d prompts (was %d)", rep, len(f.prompts), asked)
	}

	// A failing model costs the proposals and nothing else.
	c3 := loadText(t, "prose.txt", proseNotice)
	x.CacheDir = ""
	if rep := x.Apply(context.Background(), c3); len(rep.Errors) != 1 || len(c3.Notices[0].Tasks) != 0 {
		t.Errorf("failing model: %+v", rep)
	}
}

// TestModelExtractionLeavesReadNotices: a notice the rules read whole is
// never sent to the model.
func TestModelExtractionLeavesReadNotices(t *testing.T) {
	c := loadText(t, "read.txt", "关于印发方案的通知\n一、工作任务\n1．建设步行街。（牵头单位：市商务局）")
	f := &fakeOpenAI{reply: func(string) (int, string) { return http.StatusOK, `{"tasks":[]}` }}
	srv := f.serve(t)
	x := &retrieval.Extractor{Model: retrieval.NewOpenAICompleter(retrieval.OpenAIConfig{BaseURL: srv.URL + "/v1", Model: "fake"})}
	if rep := x.Apply(context.Background(), c); rep.Notices != 0 || len(f.prompts) != 0 {
		t.Errorf("report %+v, %d prompts", rep, len(f.prompts))
	}
}
