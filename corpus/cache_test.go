package corpus

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// readCacheIndex reads the parse cache's index under dir.
func readCacheIndex(tb testing.TB, dir string) cacheIndex {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(dir, cachePrefix()+".idx"))
	if err != nil {
		tb.Fatal(err)
	}
	var ix cacheIndex
	if err := gob.NewDecoder(bytes.NewReader(b[len(parseCacheMagic):])).Decode(&ix); err != nil {
		tb.Fatal(err)
	}
	return ix
}

// noticeN is a small notice of its own for file i.
func noticeN(i int) string {
	return fmt.Sprintf("关于印发第%d号工作方案的通知\n一、工作任务\n1．加快第%d条特色步行街建设。（牵头单位：市商务局；责任单位：市财政局）\n", i, i)
}

// TestReloadWritesOnlyChangedParses: a reload after one changed notice
// writes that notice's parse in a segment of its own and leaves the
// segment holding the others as it was; a restart reads both.
func TestReloadWritesOnlyChangedParses(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	for i := range 6 {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("n%d.txt", i)), []byte(noticeN(i)))
	}
	c, err := LoadCached(dir, cache)
	if err != nil || c.Report.CacheError != "" {
		t.Fatalf("first load: %v %s", err, c.Report.CacheError)
	}
	first := readCacheIndex(t, cache)
	if len(first.Segments) != 1 || len(first.Entries) != 6 {
		t.Fatalf("after the first load: %d segments, %d parses", len(first.Segments), len(first.Entries))
	}
	seg := filepath.Join(cache, first.Segments[0])
	before, err := os.Stat(seg)
	if err != nil {
		t.Fatal(err)
	}

	writeFile(t, filepath.Join(dir, "n3.txt"), []byte(noticeN(33)))
	if c, err = c.Reload(); err != nil || c.Report.CacheError != "" {
		t.Fatalf("reload: %v %s", err, c.Report.CacheError)
	}
	second := readCacheIndex(t, cache)
	if len(second.Segments) != 2 || second.Segments[0] != first.Segments[0] || len(second.Entries) != 6 {
		t.Fatalf("after the reload: segments %v, %d parses", second.Segments, len(second.Entries))
	}
	inNew := 0
	for _, l := range second.Entries {
		if l.Seg == 1 {
			inNew++
		}
	}
	if inNew != 1 {
		t.Errorf("the reload wrote %d parses, want the changed one", inNew)
	}
	if after, err := os.Stat(seg); err != nil || after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the first segment was written again (%v)", err)
	}

	fresh, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	restarted, err := LoadCached(dir, cache)
	if err != nil {
		t.Fatal(err)
	}
	if d := sameState(stateOf(t, restarted), stateOf(t, fresh)); d != "" {
		t.Errorf("restart from the cache differs from a fresh load: %s", d)
	}
}

// TestParseCacheSegmentsMerged: reload after reload, each changing a
// notice, the cache keeps at most maxSegments segments, drops the parses
// of files gone, and still reads as a fresh load.
func TestParseCacheSegmentsMerged(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	for i := range 4 {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("n%d.txt", i)), []byte(noticeN(i)))
	}
	c, err := LoadCached(dir, cache)
	if err != nil {
		t.Fatal(err)
	}
	for step := range 3 * maxSegments {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("n%d.txt", step%4)), []byte(noticeN(100+step)))
		if c, err = c.Reload(); err != nil || c.Report.CacheError != "" {
			t.Fatalf("reload %d: %v %s", step, err, c.Report.CacheError)
		}
		ix := readCacheIndex(t, cache)
		if len(ix.Segments) > maxSegments || len(ix.Entries) != 4 {
			t.Fatalf("reload %d: %d segments, %d parses", step, len(ix.Segments), len(ix.Entries))
		}
		segs, _ := filepath.Glob(filepath.Join(cache, cachePrefix()+"-*.seg"))
		if len(segs) != len(ix.Segments) {
			t.Fatalf("reload %d: %d segment files for %d in the index", step, len(segs), len(ix.Segments))
		}
	}
	fresh, _ := Load(dir)
	restarted, err := LoadCached(dir, cache)
	if err != nil {
		t.Fatal(err)
	}
	if d := sameState(stateOf(t, restarted), stateOf(t, fresh)); d != "" {
		t.Errorf("restart differs from a fresh load: %s", d)
	}
}

// TestParseCacheSaveFailureReported: a cache that cannot be written is
// said in the report of the load and of a reload, and the load is whole.
func TestParseCacheSaveFailureReported(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), []byte(noticeN(1)))
	notADir := filepath.Join(t.TempDir(), "file")
	writeFile(t, notADir, []byte("x"))
	c, err := LoadCached(dir, notADir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Report.CacheError == "" || len(c.Notices) != 1 {
		t.Errorf("load: cache error %q, %d notices", c.Report.CacheError, len(c.Notices))
	}
	writeFile(t, filepath.Join(dir, "b.txt"), []byte(noticeN(2)))
	re, err := c.Reload()
	if err != nil {
		t.Fatal(err)
	}
	if re.Report.CacheError == "" || len(re.Notices) != 2 {
		t.Errorf("reload: cache error %q, %d notices", re.Report.CacheError, len(re.Notices))
	}
}

// TestReloadTrustsOldStamps: a reload takes over unread the notice of a
// file whose size and modification time are as the last load read them
// and well before it began — shown here by bytes changed behind an old
// time, which the reload does not see — and reads a file whose time moved.
func TestReloadTrustsOldStamps(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	for i := range 2 {
		p := filepath.Join(dir, fmt.Sprintf("n%d.txt", i))
		writeFile(t, p, []byte(noticeN(10+i)))
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	c, err := LoadCached(dir, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// Same size, same time, other bytes: not read again.
	p0 := filepath.Join(dir, "n0.txt")
	writeFile(t, p0, []byte(noticeN(20)))
	os.Chtimes(p0, old, old)
	// Same size, a new time: read again.
	writeFile(t, filepath.Join(dir, "n1.txt"), []byte(noticeN(21)))
	re, err := c.Reload()
	if err != nil {
		t.Fatal(err)
	}
	if re.Notices[0] != c.Notices[0] {
		t.Errorf("n0.txt was read again though its stamp is unchanged")
	}
	if re.Notices[1] == c.Notices[1] || !strings.Contains(re.Notices[1].Title, "21") {
		t.Errorf("n1.txt was not read again: %q", re.Notices[1].Title)
	}
	// A file written just before the load is never trusted by its stamp.
	fresh, err := LoadCached(dir, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fresh.Notices[0].Title, "20") {
		t.Errorf("a new load did not read n0.txt: %q", fresh.Notices[0].Title)
	}
}
