package retrieval_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

// TestRestartFromSnapshotWithBadFiles: a folder holding empty and
// unreadable files beside a notice survives every path serve takes — the
// first start, a reload, a restart from the index snapshot and a reload
// after it — with the same notices and the same skipped files each time.
// (The reload after a restart once crashed on a skipped file's cache entry.)
func TestRestartFromSnapshotWithBadFiles(t *testing.T) {
	corpusDir, dataDir := t.TempDir(), t.TempDir()
	writeNotice(t, corpusDir, "a.txt", noticeA)
	for name, data := range map[string][]byte{
		"empty.txt":   nil,
		"binary.txt":  bytes.Repeat([]byte{0, 0xff, 3, 0}, 100),
		"random.docx": bytes.Repeat([]byte("PK\x03\x04junk"), 30),
		"cut.docx":    []byte("PK\x03\x04"),
	} {
		if err := os.WriteFile(filepath.Join(corpusDir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	entries, _ := os.ReadDir(corpusDir)
	for _, e := range entries {
		os.Chtimes(filepath.Join(corpusDir, e.Name()), old, old)
	}
	ctx := context.Background()
	opt := retrieval.Options{DataDir: dataDir, CorpusDir: corpusDir}
	load := func(prev *corpus.Corpus) (*corpus.Corpus, error) {
		if prev != nil {
			return prev.Reload()
		}
		return corpus.LoadCached(corpusDir, dataDir)
	}
	check := func(step string, ix *retrieval.Index) {
		t.Helper()
		if r := ix.Corpus.Report; r.Notices != 1 || r.Skipped != 4 || len(ix.Corpus.Notices) != 1 {
			t.Errorf("%s: %d notices, %d skipped, want 1 and 4", step, r.Notices, r.Skipped)
		}
	}
	e, err := retrieval.NewEngine(ctx, load, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	check("first start", e.Index())
	ix, err := e.Reload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check("reload", ix)
	for range 2 { // a restart from the snapshot, then one more
		if e, err = retrieval.NewEngine(ctx, load, opt, nil); err != nil {
			t.Fatal(err)
		}
		check("restart", e.Index())
		if ix, err = e.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		check("reload after a restart", ix)
	}
	if a, _ := e.Answer(ctx, "步行街建设由谁牵头？"); !a.Found {
		t.Errorf("not found after the restarts: %s", a.Text)
	}
}

// TestFirstLoadPanicIsAnError: a load that panics at start-up is an error
// the caller reports (serve keeps running and /reload tries again), not a
// crash.
func TestFirstLoadPanicIsAnError(t *testing.T) {
	_, err := retrieval.NewEngine(context.Background(), func(*corpus.Corpus) (*corpus.Corpus, error) {
		panic("deliberate")
	}, retrieval.Options{DataDir: t.TempDir()}, nil)
	if err == nil || !strings.Contains(err.Error(), "internal error") {
		t.Fatalf("err = %v, want an internal error", err)
	}
}
