package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(tb testing.TB, env map[string]string, args ...string) (string, error) {
	tb.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err := run(context.Background(), args, getenv, strings.NewReader(""), &out, &errOut)
	return out.String(), err
}

func TestTasksJSONOnSamples(t *testing.T) {
	t.Parallel()
	out, err := runCmd(t, nil, "tasks", "--json", "--doc", "000")
	if err != nil {
		t.Fatal(err)
	}
	var tasks []map[string]any
	if err := json.Unmarshal([]byte(out), &tasks); err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 21 {
		t.Fatalf("%d tasks, want 21", len(tasks))
	}
	for _, key := range []string{"doc", "title", "ref", "text", "lead_units", "responsible_units", "clauses", "deadlines"} {
		if _, ok := tasks[0][key]; !ok {
			t.Errorf("task JSON lacks %q", key)
		}
	}
}

func TestTasksByUnitAlias(t *testing.T) {
	t.Parallel()
	// 002 writes 市经信局; its full name finds those tasks, shown as written.
	out, err := runCmd(t, nil, "tasks", "--unit", "市经济和信息化局", "--doc", "002")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "二(四)1") || !strings.Contains(out, "市经信局") || strings.Contains(out, "\n0 tasks") {
		t.Errorf("unit lookup by short name:\n%s", out)
	}
}

// TestCorpusPrecedence: --corpus beats CORPUS_DIR, which beats .env.
func TestCorpusPrecedence(t *testing.T) {
	dir := t.TempDir()
	one := filepath.Join(dir, "one")
	two := filepath.Join(dir, "two")
	for _, d := range []string{one, two} {
		os.Mkdir(d, 0o755)
	}
	os.WriteFile(filepath.Join(one, "a.txt"), []byte("一、任务\n1．甲。（牵头单位：市商务局）"), 0o644)
	os.WriteFile(filepath.Join(two, "b.txt"), []byte("一、任务\n1．乙。（牵头单位：市财政局）\n2．丙。（牵头单位：市财政局）"), 0o644)
	// .env is loaded into the process environment; undo that afterwards.
	t.Cleanup(func() { os.Unsetenv("CORPUS_DIR") })
	envFile := filepath.Join(dir, ".env")
	os.WriteFile(envFile, []byte("CORPUS_DIR="+two+"\n"), 0o644)

	out, err := runCmd(t, map[string]string{"CORPUS_DIR": one, "ASSIGNBOT_ENV_FILE": envFile}, "tasks")
	if err != nil || !strings.Contains(out, "市商务局") {
		t.Errorf("environment should beat .env: %v\n%s", err, out)
	}
	out, err = runCmd(t, map[string]string{"ASSIGNBOT_ENV_FILE": envFile}, "tasks")
	if err != nil || !strings.Contains(out, "2 tasks") {
		t.Errorf(".env should apply when nothing else is set: %v\n%s", err, out)
	}
	out, err = runCmd(t, map[string]string{"CORPUS_DIR": one}, "tasks", "--corpus", two)
	if err != nil || !strings.Contains(out, "2 tasks") {
		t.Errorf("flag should beat environment: %v\n%s", err, out)
	}
}

func TestUnknownCommand(t *testing.T) {
	t.Parallel()
	if _, err := runCmd(t, nil, "frobnicate"); err == nil {
		t.Error("unknown command accepted")
	}
	if _, err := runCmd(t, nil, "tasks", "--corpus", "/nonexistent/dir"); err == nil {
		t.Error("missing corpus folder accepted")
	}
}

func TestAskJSONLines(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	env := map[string]string{"DATA_DIR": t.TempDir()}
	in := strings.NewReader("哪个单位牵头步行街建设任务？\n\n哪个单位负责火星探测任务？\n")
	if err := run(context.Background(), []string{"ask", "--json", "-"}, func(k string) string { return env[k] }, in, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d answers for 2 questions:\n%s", len(lines), out.String())
	}
	var first, second struct {
		Question  string
		Found     bool
		Intent    string
		Answer    string
		Citations []struct{ Doc, Ref string }
		TookMS    *int64 `json:"took_ms"`
	}
	json.Unmarshal([]byte(lines[0]), &first)
	json.Unmarshal([]byte(lines[1]), &second)
	if !first.Found || first.Intent != "lead" || len(first.Citations) == 0 || first.TookMS == nil || !strings.Contains(first.Answer, "市商务局") {
		t.Errorf("first answer %+v", first)
	}
	if second.Found || len(second.Citations) != 0 {
		t.Errorf("second answer %+v", second)
	}
}

func TestIndexCommandReportsReuse(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATA_DIR": t.TempDir()}
	if _, err := runCmd(t, env, "index"); err != nil {
		t.Fatal(err)
	}
	// The built-in samples have no folder, so no snapshot: the local
	// embedder computes their vectors again (it keeps no cache; a remote
	// embedder's are reused, TestRebuildReusesEmbeddings).
	out, err := runCmd(t, env, "index")
	if err != nil || !strings.Contains(out, "vectors ") || !strings.Contains(out, "0 new, 0 changed, 0 removed") {
		t.Errorf("second index run:\n%s (%v)", out, err)
	}
}

// TestIndexSnapshotThenPagedAsk: index writes the snapshot; the next index
// reads it (nothing embedded, nothing changed) and ask pages a listing.
func TestIndexSnapshotThenPagedAsk(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	for _, name := range []string{"a.txt", "b.txt"} {
		var b strings.Builder
		b.WriteString("关于印发" + name + "方案的通知\n一、工作任务\n")
		for i := 1; i <= 40; i++ {
			fmt.Fprintf(&b, "%d．建设第%d个项目。（牵头单位：市商务局）\n", i, i)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"DATA_DIR": data, "CORPUS_DIR": dir}
	if _, err := runCmd(t, env, "index"); err != nil {
		t.Fatal(err)
	}
	if snaps, _ := filepath.Glob(filepath.Join(data, "index-*.snap")); len(snaps) != 1 {
		t.Fatalf("snapshots %v", snaps)
	}
	// The built-in samples have no folder, so no snapshot: the local
	// embedder computes their vectors again (it keeps no cache; a remote
	// embedder's are reused, TestRebuildReusesEmbeddings).
	out, err := runCmd(t, env, "index")
	if err != nil || !strings.Contains(out, "vectors ") || !strings.Contains(out, "0 new, 0 changed, 0 removed") {
		t.Errorf("second index run:\n%s (%v)", out, err)
	}
	var pages []map[string]any
	for _, p := range []string{"1", "2"} {
		out, err := runCmd(t, env, "ask", "--json", "--page", p, "市商务局牵头哪些任务？")
		if err != nil {
			t.Fatal(err)
		}
		var a map[string]any
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, a)
	}
	for i, a := range pages {
		if a["page"] != float64(i+1) || a["total"] == nil || a["total"].(float64) <= 30 || len(a["citations"].([]any)) == 0 {
			t.Errorf("page %d: page %v of %v, total %v, %d citations", i+1, a["page"], a["pages"], a["total"], len(a["citations"].([]any)))
		}
	}
}

// TestServeWithoutChannel: serve with neither Telegram nor DingTalk
// credentials names both.
func TestServeWithoutChannel(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATA_DIR": t.TempDir(), "DINGTALK_CLIENT_ID": "only-the-id"}
	err := run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "TELEGRAM_BOT_TOKEN") || !strings.Contains(err.Error(), "DINGTALK_CLIENT_SECRET") {
		t.Fatalf("serve without credentials: %v", err)
	}
}
