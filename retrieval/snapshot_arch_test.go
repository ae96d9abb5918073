package retrieval

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/assignbot/assignbot/corpus"
)

// A snapshot copied to a machine of another architecture — an index built
// on an x86 workstation and carried to a Kunpeng or Loongson server with
// DATA_DIR — must be read correctly there or rejected and built again,
// never misread. Its arrays are written as they lie in memory, so what
// decides is the byte order in its header: amd64, arm64 and loong64 are
// all little-endian and read each other's snapshots; a big-endian machine
// rejects them.
//
// .ci/run proves it across machines: the host writes a snapshot with
// ASSIGNBOT_SNAPSHOT_EXPORT=DIR, and the arm64 and loong64 test binaries,
// run under qemu with ASSIGNBOT_SNAPSHOT_IMPORT=DIR, read it and answer
// as the host did. Alone, the test exports and imports on this machine,
// and a copy whose header claims the other byte order is rejected and
// rebuilt.

// archQuestions are answered from the snapshot on both sides.
var archQuestions = []string{"哪个单位牵头步行街建设？", "市商务局牵头哪些任务？", "部署阶段什么时候结束？", "领导小组组长是谁？", "夜经济这块谁挑头"}

// archExport is what the writing machine leaves beside its snapshot.
type archExport struct {
	Arch    string
	Order   string
	Answers map[string]archAnswer
}

type archAnswer struct {
	Text      string
	Citations []Citation
}

func TestSnapshotAcrossArchitectures(t *testing.T) {
	if dir := os.Getenv("ASSIGNBOT_SNAPSHOT_IMPORT"); dir != "" {
		importSnapshot(t, dir)
		return
	}
	dir := os.Getenv("ASSIGNBOT_SNAPSHOT_EXPORT")
	if dir == "" {
		dir = t.TempDir()
	}
	exportSnapshot(t, dir)
	importSnapshot(t, dir)
}

// TestSnapshotOtherByteOrderRebuilt: a snapshot whose header says it was
// written on a machine of the other byte order is rejected, and the
// engine builds the index again (and writes a snapshot of its own).
func TestSnapshotOtherByteOrderRebuilt(t *testing.T) {
	dir := t.TempDir()
	exportSnapshot(t, dir)
	corpusDir, data := filepath.Join(dir, "corpus"), filepath.Join(dir, "data")
	path := SnapshotPath(data, NewHashEmbedder(DefaultDim).Model())
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, withByteOrder(t, b, otherOrder()), 0o644)
	ctx := context.Background()
	if _, _, err := LoadSnapshot(ctx, corpusDir, Options{DataDir: data}); !errors.Is(err, ErrNoSnapshot) {
		t.Fatalf("snapshot of the other byte order: %v, want ErrNoSnapshot", err)
	}
	e, err := NewEngine(ctx, func(*corpus.Corpus) (*corpus.Corpus, error) { return corpus.Load(corpusDir) },
		Options{DataDir: data, CorpusDir: corpusDir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkAnswers(t, e.Index(), readExport(t, dir))
	if _, fresh, err := LoadSnapshot(ctx, corpusDir, Options{DataDir: data}); err != nil || !fresh {
		t.Errorf("the rebuilt index wrote no snapshot of this machine: fresh %v, err %v", fresh, err)
	}
}

// exportSnapshot builds the sample notices' index with its snapshot under
// dir and writes the answers to archQuestions beside it.
func exportSnapshot(t *testing.T, dir string) {
	t.Helper()
	corpusDir, data := filepath.Join(dir, "corpus"), filepath.Join(dir, "data")
	for _, d := range []string{corpusDir, data} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files, err := fs.ReadDir(corpus.Samples, ".")
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour) // well before the snapshot, as on a real archive
	for _, f := range files {
		b, _ := fs.ReadFile(corpus.Samples, f.Name())
		name := filepath.Join(corpusDir, f.Name())
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(name, old, old)
	}
	c, err := corpus.Load(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Build(context.Background(), c, Options{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Save(); err != nil {
		t.Fatal(err)
	}
	exp := archExport{Arch: runtime.GOARCH, Order: thisOrder(), Answers: map[string]archAnswer{}}
	for _, q := range archQuestions {
		a, err := NewAnswerer(ix, nil).Answer(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		exp.Answers[q] = archAnswer{Text: a.Text, Citations: a.Citations}
	}
	b, _ := json.MarshalIndent(exp, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "answers.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// importSnapshot reads the snapshot under dir, written on this machine or
// another: of the same byte order it must be read (not rebuilt) and answer
// as the writer's index did; of the other it must be rejected.
func importSnapshot(t *testing.T, dir string) {
	t.Helper()
	exp := readExport(t, dir)
	corpusDir, data := filepath.Join(dir, "corpus"), filepath.Join(dir, "data")
	ix, fresh, err := LoadSnapshot(context.Background(), corpusDir, Options{DataDir: data})
	if exp.Order != thisOrder() {
		if !errors.Is(err, ErrNoSnapshot) {
			t.Fatalf("a %s-endian snapshot (%s) on a %s-endian %s: %v, want ErrNoSnapshot", exp.Order, exp.Arch, thisOrder(), runtime.GOARCH, err)
		}
		return
	}
	if err != nil || !fresh {
		t.Fatalf("snapshot written on %s not read on %s: fresh %v, err %v", exp.Arch, runtime.GOARCH, fresh, err)
	}
	checkAnswers(t, ix, exp)
	t.Logf("snapshot written on %s read on %s; %d answers alike", exp.Arch, runtime.GOARCH, len(exp.Answers))
}

func readExport(t *testing.T, dir string) archExport {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "answers.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp archExport
	if err := json.Unmarshal(b, &exp); err != nil {
		t.Fatal(err)
	}
	return exp
}

// checkAnswers: ix answers archQuestions word for word as the writer did.
func checkAnswers(t *testing.T, ix *Index, exp archExport) {
	t.Helper()
	for _, q := range archQuestions {
		a, err := NewAnswerer(ix, nil).Answer(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		want := exp.Answers[q]
		got, _ := json.Marshal(a.Citations)
		wantCites, _ := json.Marshal(want.Citations)
		if a.Text != want.Text || !bytes.Equal(got, wantCites) {
			t.Errorf("%s: on %s\n%s\n--- written on %s\n%s", q, runtime.GOARCH, a.Text, exp.Arch, want.Text)
		}
	}
}

func thisOrder() string {
	if littleEndian {
		return "little"
	}
	return "big"
}

func otherOrder() string {
	if littleEndian {
		return "big"
	}
	return "little"
}

// withByteOrder rewrites the byte order a snapshot's header names (a
// length-prefixed string after the model's name).
func withByteOrder(t *testing.T, snap []byte, order string) []byte {
	t.Helper()
	field := func(s string) []byte {
		return append(binary.LittleEndian.AppendUint64(nil, uint64(len(s))), s...)
	}
	cur := field(thisOrder())
	i := bytes.Index(snap, cur)
	if i < 0 || i > 4096 {
		t.Fatal("no byte order in the snapshot's header")
	}
	return append(append(append([]byte{}, snap[:i]...), field(order)...), snap[i+len(cur):]...)
}
