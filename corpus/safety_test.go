package corpus

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assignbot/assignbot/corpus/internal/pdfgen"
)

// safeNotice is a small notice that parses to one task.
const safeNotice = "关于印发重点工作分工的通知\n一、重点任务\n1.推进外贸稳规模优结构。（牵头单位：市商务局；责任单位：市财政局）\n"

// loadReport loads dir and returns the report line of each file by name.
func loadReport(tb testing.TB, dir string) map[string]FileReport {
	tb.Helper()
	c, err := Load(dir)
	if err != nil {
		tb.Fatal(err)
	}
	m := map[string]FileReport{}
	for _, f := range c.Report.Files {
		m[f.Name] = f
	}
	return m
}

func writeFile(tb testing.TB, path string, data []byte) {
	tb.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
}

func TestLoadSymlinks(t *testing.T) {
	outside := t.TempDir()
	dir := t.TempDir()
	writeFile(t, filepath.Join(outside, "secret.txt"), []byte(safeNotice))
	writeFile(t, filepath.Join(dir, "real.txt"), []byte(safeNotice))
	// A big file inside the folder, behind a link, and hidden from the
	// listing by its leading dot: the cap applies to the target.
	writeFile(t, filepath.Join(dir, ".big.txt"), bytes.Repeat([]byte("任务。\n"), 600_000))
	for link, target := range map[string]string{
		"inside.txt":   filepath.Join(dir, "real.txt"),
		"outside.txt":  filepath.Join(outside, "secret.txt"),
		"relative.txt": "../" + filepath.Base(outside) + "/secret.txt",
		"big.txt":      filepath.Join(dir, ".big.txt"),
		"dangling.txt": filepath.Join(dir, "gone.txt"),
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	r := loadReport(t, dir)
	if f := r["inside.txt"]; f.Status != "loaded" || f.Tasks != 1 {
		t.Errorf("inside.txt: %+v, want loaded with 1 task", f)
	}
	for _, name := range []string{"outside.txt", "relative.txt"} {
		if f := r[name]; f.Status != "skipped" || !strings.Contains(f.Reason, "outside the corpus folder") {
			t.Errorf("%s: %+v, want skipped as a link outside the folder", name, f)
		}
	}
	if f := r["big.txt"]; f.Status != "skipped" || !strings.Contains(f.Reason, "too large") {
		t.Errorf("big.txt: %+v, want skipped as too large", f)
	}
	if f := r["dangling.txt"]; f.Status != "skipped" || f.Reason == "" {
		t.Errorf("dangling.txt: %+v, want skipped with a reason", f)
	}
}

// TestLoadBadFiles covers files that must be refused quickly, each with a
// reason a person can act on.
func TestLoadBadFiles(t *testing.T) {
	random := make([]byte, 64<<10)
	rand.Read(random)
	good := pdfgen.Docx(`<w:p><w:r><w:t>关于推进工作的通知</w:t></w:r></w:p>`)
	cases := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"empty.docx", nil, "empty file"},
		{"truncated.docx", good[:len(good)/2], "truncated"},
		{"random.docx", random, "not a readable docx"},
		{"random.txt", random, "binary file"},
		{"random.html", random, "binary file"},
		{"nul.txt", append([]byte(safeNotice), 0, 0, 0, 1, 2, 3), "binary file"},
		{"huge.txt", bytes.Repeat([]byte("一二三四五六七八九十\n"), 200_000), "too large"},
		{"old.doc", []byte{0xD0, 0xCF, 0x11, 0xE0}, "save it as .docx or .pdf"},
		{"sheet.et", []byte{0xD0, 0xCF, 0x11, 0xE0}, "save it as .xlsx"},
	}
	dir := t.TempDir()
	for _, c := range cases {
		writeFile(t, filepath.Join(dir, c.name), c.data)
	}
	start := time.Now()
	r := loadReport(t, dir)
	if took := time.Since(start); took > 20*time.Second { // generous: -race and a busy machine; unbounded work takes minutes
		t.Errorf("loading the bad files took %v", took)
	}
	for _, c := range cases {
		if f := r[c.name]; f.Status != "skipped" || !strings.Contains(f.Reason, c.reason) {
			t.Errorf("%s: %+v, want skipped with %q", c.name, f, c.reason)
		}
	}
}
