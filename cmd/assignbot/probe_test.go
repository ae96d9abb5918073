package main

import (
	"context"
	"strings"
	"testing"
)

// TestProbeUploadCommand: the child's subcommand parses the file on stdin
// as loading would and prints what it found.
func TestProbeUploadCommand(t *testing.T) {
	t.Parallel()
	notice := "关于印发工作方案的通知\n一、工作任务\n1．建设步行街。（牵头单位：市商务局）\n2．建设夜市。（牵头单位：市财政局）"
	var out strings.Builder
	err := run(context.Background(), []string{probeCommand, "plan.txt"}, func(string) string { return "" },
		strings.NewReader(notice), &out, &strings.Builder{})
	if err != nil || strings.TrimSpace(out.String()) != `{"read":true,"tasks":2,"groups":0}` {
		t.Errorf("%s: %q, %v", probeCommand, out.String(), err)
	}
	out.Reset()
	err = run(context.Background(), []string{probeCommand, "plan.doc"}, func(string) string { return "" },
		strings.NewReader("x"), &out, &strings.Builder{})
	if err != nil || !strings.Contains(out.String(), `"read":false`) || !strings.Contains(out.String(), `"reason":`) {
		t.Errorf("%s on an unsupported file: %q, %v", probeCommand, out.String(), err)
	}
}
