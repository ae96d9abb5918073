package retrieval

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/corpus/corpusgen"
)

// TestSpilledVectorsMatchHeap: a build of enough notices to spill its
// vectors to a mapped file under the data folder has the vectors of a
// build that keeps them in the heap, removes the file, and writes a
// snapshot that reads back to the same vectors.
func TestSpilledVectorsMatchHeap(t *testing.T) {
	dir, data := t.TempDir(), t.TempDir()
	if _, err := corpusgen.Write(dir, corpusgen.Options{Notices: spillAfter + 5, TasksPerNotice: 4, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	c, err := corpus.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	spilled, err := Build(ctx, c, Options{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	if len(spilled.fileMaps) == 0 {
		t.Fatal("the build did not spill its vectors")
	}
	inHeap, err := Build(ctx, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inHeap.fileMaps) != 0 || len(inHeap.vecs) != len(spilled.vecs) {
		t.Fatalf("heap build: spill %v, %d vectors against %d", len(inHeap.fileMaps) != 0, len(inHeap.vecs), len(spilled.vecs))
	}
	for d := range spilled.vecs {
		if !slices.Equal(spilled.vecs[d], inHeap.vecs[d]) {
			t.Fatalf("vector of %s differs", spilled.Entries[d].ID)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(data, ".vectors-*")); len(left) != 0 {
		t.Errorf("spill files left: %v", left)
	}
	if err := spilled.Save(); err != nil {
		t.Fatal(err)
	}
	read, fresh, err := LoadSnapshot(ctx, dir, Options{DataDir: data})
	if err != nil || !fresh {
		t.Fatalf("snapshot: fresh %v, %v", fresh, err)
	}
	for d := range read.vecs {
		if !slices.Equal(read.vecs[d], inHeap.vecs[d]) {
			t.Fatalf("vector of %s differs after the snapshot", read.Entries[d].ID)
		}
	}
}
