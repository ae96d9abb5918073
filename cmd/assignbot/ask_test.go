package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestAskIsOneConversation: questions read from stdin are one
// conversation, so a follow-up is answered about the answer before it.
func TestAskIsOneConversation(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	env := map[string]string{"DATA_DIR": t.TempDir()}
	in := strings.NewReader("哪个单位牵头步行街建设任务？\n那它的配合单位呢？\n")
	if err := run(context.Background(), []string{"ask", "-"}, func(k string) string { return env[k] }, in, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], "责任单位：") || !strings.Contains(lines[1], "武政办〔2021〕22号 二(二)3") {
		t.Errorf("follow-up not read against the first answer:\n%s", out.String())
	}
}

// TestAskScope: ask --scope answers from the matching notices only and
// says what lies outside.
func TestAskScope(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	env := map[string]string{"DATA_DIR": t.TempDir()}
	in := strings.NewReader("哪个单位牵头步行街建设任务？\n数字人民币试点由谁牵头？\n")
	if err := run(context.Background(), []string{"ask", "--scope", "广元", "-"}, func(k string) string { return env[k] }, in, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || strings.Contains(lines[0], "武政办") || !strings.Contains(lines[0], "市文化广电旅游局") {
		t.Fatalf("scoped answers:\n%s", out.String())
	}
	if !strings.Contains(lines[1], "在当前范围（广元）内没有找到；其他通知中有") {
		t.Errorf("out-of-scope answer: %s", lines[1])
	}
}

// TestEvalDevset: eval --devset runs the real-notice set over the samples
// plus its notices.
func TestEvalDevset(t *testing.T) {
	t.Parallel()
	out, err := runCmd(t, nil, "eval", "--devset", "../../corpus/testdata/devset")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "overall") || !strings.Contains(out, "/56") {
		t.Errorf("eval --devset:\n%s", out)
	}
}
