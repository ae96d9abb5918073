package retrieval

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/assignbot/assignbot/corpus"
)

// snapshotFixture writes the sample notices into a folder, builds their
// index with a data folder and saves its snapshot.
func snapshotFixture(t *testing.T) (dir, data string, built *Index) {
	t.Helper()
	dir, data = t.TempDir(), t.TempDir()
	files, err := fs.ReadDir(corpus.Samples, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := fs.ReadFile(corpus.Samples, f.Name())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// File times well before the snapshot's, as on a real archive.
	old := time.Now().Add(-time.Hour)
	for _, f := range files {
		os.Chtimes(filepath.Join(dir, f.Name()), old, old)
	}
	c, err := corpus.LoadCached(dir, data)
	if err != nil {
		t.Fatal(err)
	}
	built, err = Build(context.Background(), c, Options{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	if err := built.Save(); err != nil {
		t.Fatal(err)
	}
	return dir, data, built
}

// TestSnapshotRoundTrip: an index read from its snapshot holds what the
// built one holds and answers the same.
func TestSnapshotRoundTrip(t *testing.T) {
	dir, data, built := snapshotFixture(t)
	ctx := context.Background()
	loaded, fresh, err := LoadSnapshot(ctx, dir, Options{DataDir: data})
	if err != nil || !fresh {
		t.Fatalf("fresh %v, err %v", fresh, err)
	}
	if len(loaded.Entries) != len(built.Entries) || !reflect.DeepEqual(loaded.kw.blocks, built.kw.blocks) ||
		!reflect.DeepEqual(loaded.kw.first, built.kw.first) || loaded.kw.avgLen != built.kw.avgLen || !reflect.DeepEqual(loaded.summary, built.summary) || !reflect.DeepEqual(loaded.vecs, built.vecs) {
		t.Fatal("loaded index differs from the built one")
	}
	if len(loaded.units) != len(built.units) {
		t.Fatalf("%d unit tables, built %d", len(loaded.units), len(built.units))
	}
	for _, q := range []string{"哪个单位牵头步行街建设？", "市商务局牵头哪些任务？", "部署阶段什么时候结束？", "领导小组组长是谁？"} {
		a, err := NewAnswerer(built, nil).Answer(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		b, err := NewAnswerer(loaded, nil).Answer(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Text != b.Text || !reflect.DeepEqual(a.Citations, b.Citations) {
			t.Errorf("%s: built and loaded answer differently:\n%s\n---\n%s", q, a.Text, b.Text)
		}
	}
	if len(loaded.Corpus.Notices) != len(built.Corpus.Notices) || loaded.Corpus.Directory.Canonical("市经信局") != built.Corpus.Directory.Canonical("市经信局") {
		t.Error("restored corpus differs")
	}
}

// TestSnapshotStaleness: a changed, added or removed file makes the
// snapshot stale (still readable, as the start of an update); a touched
// but unchanged file does not; a reload of the stale index's corpus then
// re-reads only the changed notice.
func TestSnapshotStaleness(t *testing.T) {
	dir, data, _ := snapshotFixture(t)
	ctx := context.Background()
	files, _ := os.ReadDir(dir)
	name := filepath.Join(dir, files[0].Name())
	now := time.Now()
	os.Chtimes(name, now, now) // touched, same bytes
	if _, fresh, err := LoadSnapshot(ctx, dir, Options{DataDir: data}); err != nil || !fresh {
		t.Errorf("touched file: fresh %v, err %v", fresh, err)
	}
	b, _ := os.ReadFile(name)
	os.WriteFile(name, append(b, "\n1．新增一项任务。（牵头单位：市商务局）"...), 0o644)
	ix, fresh, err := LoadSnapshot(ctx, dir, Options{DataDir: data})
	if err != nil || fresh {
		t.Fatalf("changed file: fresh %v, err %v", fresh, err)
	}
	c, err := ix.Corpus.Reload()
	if err != nil {
		t.Fatal(err)
	}
	next, err := Update(ctx, ix, c, Options{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	// The changed notice's entries are embedded again (the local
	// embedder keeps no cache), no other notice's.
	if len(next.Stats.Changed) != 1 || next.Stats.Embedded == 0 || next.Stats.Embedded > next.Stats.Entries/4 {
		t.Errorf("update from a stale snapshot: %+v", next.Stats)
	}
	os.WriteFile(filepath.Join(dir, "new.txt"), []byte("关于印发新方案的通知\n一、工作任务\n1．建设。"), 0o644)
	if _, fresh, _ := LoadSnapshot(ctx, dir, Options{DataDir: data}); fresh {
		t.Error("added file: still fresh")
	}
}

// TestSnapshotRejected: a snapshot of another layout, another model or
// another folder, or a damaged one, is not read.
func TestSnapshotRejected(t *testing.T) {
	dir, data, _ := snapshotFixture(t)
	ctx := context.Background()
	if _, _, err := LoadSnapshot(ctx, dir, Options{DataDir: data, Embedder: NewHashEmbedder(64)}); !errors.Is(err, ErrNoSnapshot) {
		t.Errorf("other model: %v", err)
	}
	if _, _, err := LoadSnapshot(ctx, t.TempDir(), Options{DataDir: data}); !errors.Is(err, ErrNoSnapshot) {
		t.Errorf("other folder: %v", err)
	}
	path := SnapshotPath(data, NewHashEmbedder(DefaultDim).Model())
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	other := append([]byte(nil), b...)
	other[len(snapshotMagic)] ^= 0xff // the layout version
	os.WriteFile(path, other, 0o644)
	if _, _, err := LoadSnapshot(ctx, dir, Options{DataDir: data}); !errors.Is(err, ErrNoSnapshot) {
		t.Errorf("other version: %v", err)
	}
	os.WriteFile(path, b[:len(b)/2], 0o644)
	if _, _, err := LoadSnapshot(ctx, dir, Options{DataDir: data}); !errors.Is(err, ErrNoSnapshot) {
		t.Errorf("cut in half: %v", err)
	}
}

// TestSnapshotCopiesUnchangedChunks: saving an index updated for one
// changed notice copies the chunks of unchanged notices from the
// snapshot on disk, encodes the changed one, and the result reads back as
// the updated corpus.
func TestSnapshotCopiesUnchangedChunks(t *testing.T) {
	dir, data, _ := snapshotFixture(t)
	ctx := context.Background()
	files, _ := os.ReadDir(dir)
	name := filepath.Join(dir, files[0].Name())
	b, _ := os.ReadFile(name)
	os.WriteFile(name, append(b, "\n1．新增一项任务。（牵头单位：市商务局）"...), 0o644)
	stale, fresh, err := LoadSnapshot(ctx, dir, Options{DataDir: data})
	if err != nil || fresh {
		t.Fatalf("changed file: fresh %v, err %v", fresh, err)
	}
	c, err := stale.Corpus.Reload()
	if err != nil {
		t.Fatal(err)
	}
	next, err := Update(ctx, stale, c, Options{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	if err := next.Save(); err != nil {
		t.Fatal(err)
	}
	chunks := len(next.snap.file.chunks)
	if got := next.snap.file.copied; got != chunks-1 {
		t.Errorf("%d of %d chunks copied, want all but the changed notice's", got, chunks)
	}
	loaded, fresh, err := LoadSnapshot(ctx, dir, Options{DataDir: data})
	if err != nil || !fresh {
		t.Fatalf("after save: fresh %v, err %v", fresh, err)
	}
	if len(loaded.notices) != len(next.notices) {
		t.Fatalf("%d notices read back, %d saved", len(loaded.notices), len(next.notices))
	}
	for i := range next.notices {
		want, got := corpus.Storable(next.notices[i]), corpus.Storable(loaded.notices[i])
		if got.Doc != want.Doc || len(got.Tasks) != len(want.Tasks) || !reflect.DeepEqual(got.Deadlines, want.Deadlines) {
			t.Errorf("notice %d (%s) read back differs", i, want.Doc)
		}
	}
	a, err := NewAnswerer(loaded, nil).Answer(ctx, "哪个单位牵头新增一项任务？")
	if err != nil || !a.Found {
		t.Errorf("the changed notice's new task: %+v, %v", a, err)
	}
	// Saved again with nothing changed: every chunk copied.
	if err := loaded.Save(); err != nil {
		t.Fatal(err)
	}
	if got := loaded.snap.file.copied; got != chunks {
		t.Errorf("unchanged: %d of %d chunks copied", got, chunks)
	}
}
