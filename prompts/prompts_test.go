package prompts

import (
	"strings"
	"testing"
)

func TestRenderAnswer(t *testing.T) {
	system, user, err := Render("answer.tmpl", Answer{Question: "谁牵头？", Sources: []Source{
		{N: 1, Label: "武政办〔2021〕22号 二(二)3", Lead: "市商务局", Text: "加快特色步行街建设。"},
		{N: 2, Label: "乙 一1", Responsible: "市财政局", Text: "建设夜市。"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(system, "[N]") || !strings.Contains(system, "简体中文") || strings.Contains(system, "谁牵头") {
		t.Errorf("system prompt:\n%s", system)
	}
	for _, want := range []string{"问题：谁牵头？", "[1] 武政办〔2021〕22号 二(二)3\n牵头单位：市商务局\n原文：加快特色步行街建设。", "[2] 乙 一1\n责任单位：市财政局"} {
		if !strings.Contains(user, want) {
			t.Errorf("user prompt lacks %q:\n%s", want, user)
		}
	}
	system, _, _ = Render("answer.tmpl", Answer{Question: "Who?", English: true})
	if !strings.Contains(system, "Answer in English") {
		t.Errorf("English system prompt:\n%s", system)
	}
}

func TestRenderTranslate(t *testing.T) {
	system, user, err := Render("translate.tmpl", Translate{Question: "Who leads?"})
	if err != nil || user != "Who leads?" || !strings.Contains(system, "Simplified Chinese") {
		t.Errorf("%q %q %v", system, user, err)
	}
}
