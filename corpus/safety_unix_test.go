//go:build unix

package corpus

import (
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadSkipsFIFO: a named pipe in the folder is reported at once and
// never opened (opening it would block until a writer came).
func TestLoadSkipsFIFO(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), []byte(safeNotice))
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan map[string]FileReport, 1)
	go func() { done <- loadReport(t, dir) }()
	select {
	case r := <-done:
		if f := r["pipe.txt"]; f.Status != "skipped" || !strings.Contains(f.Reason, "named pipe") {
			t.Errorf("pipe.txt: %+v, want skipped as a named pipe", f)
		}
		if r["a.txt"].Status != "loaded" {
			t.Errorf("a.txt: %+v", r["a.txt"])
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Load blocked on a named pipe")
	}
}

// TestOpenSwappedForFIFO: a file that became a named pipe after it was
// checked is opened without blocking and then refused.
func TestOpenSwappedForFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "swapped.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := readRegular(func() (fs.File, error) { return openNoBlock(fifo) }, "", 1<<20)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("err = %v, want a refusal naming the pipe", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("opening a named pipe blocked")
	}
}

func mkfifo(tb testing.TB, path string) {
	tb.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		tb.Skipf("no named pipes here: %v", err)
	}
}
