package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// openWorkbook reads the task sheet of a written workbook.
func openWorkbook(tb testing.TB, path string) [][]string {
	tb.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	rows, err := f.GetRows("任务台账")
	if err != nil {
		tb.Fatal(err)
	}
	return rows
}

func TestExportWritesWorkbook(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "台账.xlsx")
	stdout, err := runCmd(t, nil, "export", "--unit", "市经信局", "--doc", "002", "--out", out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "wrote "+out) {
		t.Errorf("stdout: %q", stdout)
	}
	rows := openWorkbook(t, out)
	if len(rows) < 2 || rows[0][0] != "序号" {
		t.Fatalf("rows: %q", rows)
	}
	for _, r := range rows[1:] {
		// 002 writes 市经信局; each row names it as lead or responsible.
		if !strings.Contains(strings.Join(r, "|"), "市经信局") {
			t.Errorf("row without 市经信局: %q", r)
		}
	}
	// Only the workbook is left: no temporary file.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
}

func TestExportRefusesToOverwrite(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "台账.xlsx")
	if err := os.WriteFile(out, []byte("someone's edited 台账"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := runCmd(t, nil, "export", "--out", out)
	if err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("export over an existing file: %v", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "someone's edited 台账" {
		t.Fatal("the existing file was changed")
	}
	if _, err := runCmd(t, nil, "export", "--force", "--doc", "武政办〔2021〕22号", "--out", out); err != nil {
		t.Fatal(err)
	}
	rows := openWorkbook(t, out)
	if len(rows) < 2 || rows[1][2] != "武政办〔2021〕22号" {
		t.Errorf("--force did not write the workbook: %q", rows[:min(2, len(rows))])
	}
}

func TestExportFromCorpusDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	corpusDir := filepath.Join(dir, "notices")
	os.Mkdir(corpusDir, 0o755)
	os.WriteFile(filepath.Join(corpusDir, "a.txt"), []byte("某市工作方案\n一、任务\n1．建设步行街，2024年6月底前完成。（牵头单位：市商务局；责任单位：市城建局）"), 0o644)
	out := filepath.Join(dir, "x.xlsx")
	if _, err := runCmd(t, map[string]string{"CORPUS_DIR": corpusDir}, "export", "--due-before", "2024-12-31", "--out", out); err != nil {
		t.Fatal(err)
	}
	rows := openWorkbook(t, out)
	if len(rows) != 2 || rows[1][5] != "市商务局" || rows[1][7] != "2024-06-30" {
		t.Errorf("rows: %q", rows)
	}
}

func TestExportUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool // a mistake in the command line, not a failure
		want  string
	}{
		{"NoOut", []string{"export"}, true, "--out"},
		{"NotXLSX", []string{"export", "--out", filepath.Join(dir, "a.xls")}, true, ".xlsx"},
		{"BadDate", []string{"export", "--due-before", "2021-6-30", "--out", filepath.Join(dir, "b.xlsx")}, true, "YYYY-MM-DD"},
		{"Stray", []string{"export", "--out", filepath.Join(dir, "c.xlsx"), "市商务局"}, true, "unexpected"},
		{"NothingMatches", []string{"export", "--unit", "不存在的单位", "--out", filepath.Join(dir, "d.xlsx")}, false, "no task"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runCmd(t, nil, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one about %q", err, tc.want)
			}
			var u usageError
			if errors.As(err, &u) != tc.usage {
				t.Errorf("usage error: %v, want %v", errors.As(err, &u), tc.usage)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}
