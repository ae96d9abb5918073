package telegram

import (
	"fmt"
	"strings"
	"testing"
)

// TestCommandsThroughCore: /task, /stats and /help are the core
// dispatcher's replies rendered in Telegram HTML (the title bold, every
// line escaped), with Telegram's own /help lines; questions asked on
// Telegram count in the core's /stats.
func TestCommandsThroughCore(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	ld, ok := tb.engine.Current()
	if !ok {
		t.Fatal("fixture: not loaded")
	}
	n := ld.Corpus.Notices[0]
	task := n.Tasks[0]
	got := oneText(t, tb.send(t, private(userID, fmt.Sprintf("/task %s %s", n.Doc, task.Ref))))
	if want := "<b>" + esc(n.Name()+" "+task.Ref) + "</b>"; !strings.HasPrefix(got, want) {
		t.Errorf("/task starts %q, want the core's title in bold %q", got, want)
	}
	if !strings.Contains(got, esc(task.Text)) || !strings.Contains(got, "牵头单位："+esc(strings.Join(task.LeadUnits, "、"))) {
		t.Errorf("/task: %s", got)
	}
	if got := oneText(t, tb.send(t, private(userID, "/task 不存在的通知 99"))); !strings.Contains(got, "没有找到任务") {
		t.Errorf("/task not found: %s", got)
	}

	oneText(t, tb.send(t, private(userID, "哪个单位牵头步行街建设任务？")))
	stats := oneText(t, tb.send(t, private(adminID, "/stats")))
	for _, want := range []string{"<b>运行状态</b>", "已回答问题：1", "索引条目：", "渠道：telegram"} {
		if !strings.Contains(stats, want) {
			t.Errorf("/stats lacks %q:\n%s", want, stats)
		}
	}
	help := oneText(t, tb.send(t, private(userID, "/help")))
	if !strings.Contains(help, "/task 通知 任务号") || !strings.Contains(help, "/ask 问题") {
		t.Errorf("/help is not the core's with Telegram's lines:\n%s", help)
	}
}
