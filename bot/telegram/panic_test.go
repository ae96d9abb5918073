package telegram

import (
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/assignbot/assignbot/corpus"
)

// TestPanickingParserLeavesBotAnswering: a parser that panics on one file
// costs that file (the reload reports it skipped); a load that panics as a
// whole fails the reload with a reason. Either way /reload answers, the
// process lives on and questions are answered from the last good index.
func TestPanickingParserLeavesBotAnswering(t *testing.T) {
	t.Parallel()
	var wholeLoadPanics atomic.Bool
	load := func(dir string) (*corpus.Corpus, error) {
		if wholeLoadPanics.Load() {
			panic("deliberate failure of the whole load")
		}
		return corpus.Load(dir, corpus.OnFile(func(name string, _ *corpus.Notice) {
			if name == "boom.txt" {
				panic("deliberate parser failure")
			}
		}))
	}
	tb := newTestBotWith(t, testConfig{}, testOptions{load: load})
	const notice = "关于印发重点工作分工的通知\n一、重点任务\n1.推进外贸稳规模优结构。（牵头单位：市商务局；责任单位：市财政局）\n"
	if err := os.WriteFile(filepath.Join(tb.corpus, "boom.txt"), []byte(notice), 0o644); err != nil {
		t.Fatal(err)
	}
	sent := tb.send(t, private(adminID, "/reload"))
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "boom.txt") || !strings.Contains(sent[0].Text, "internal error") {
		t.Fatalf("reload with a file the parser panics on: %+v", sent)
	}
	assertAnswers(t, tb, "reload that skipped a panicking file")

	wholeLoadPanics.Store(true)
	sent = tb.send(t, private(adminID, "/reload"))
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "重新加载失败") || !strings.Contains(sent[0].Text, "仍在使用原来的通知") {
		t.Fatalf("reload whose load panics: %+v", sent)
	}
	assertAnswers(t, tb, "failed reload")
}

func assertAnswers(t *testing.T, tb *testBot, after string) {
	t.Helper()
	if sent := tb.send(t, private(userID, "琴台美术馆建设由谁牵头？")); len(sent) != 1 || !strings.Contains(sent[0].Text, "市文化和旅游局") {
		t.Errorf("question after a %s: %+v", after, sent)
	}
}
