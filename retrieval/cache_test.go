package retrieval

import (
	"os"
	"testing"
)

func TestEmbedCacheAppendsAndCompacts(t *testing.T) {
	dir := t.TempDir()
	c := openCache(dir, "m")
	for i := 0; i < 100; i++ {
		c.put(cacheKey(itoa(i)), []float32{float32(i), 1})
	}
	if err := c.save(); err != nil {
		t.Fatal(err)
	}
	size := func() int64 { fi, _ := os.Stat(c.path); return fi.Size() }
	full := size()

	// A few new vectors are appended, not the whole file rewritten.
	c = openCache(dir, "m")
	c.put(cacheKey("new"), []float32{7, 7})
	if err := c.save(); err != nil {
		t.Fatal(err)
	}
	if got := size(); got != full+16+8 {
		t.Errorf("append: size %d, want %d", got, full+16+8)
	}
	c = openCache(dir, "m")
	if v, ok := c.get(cacheKey("new")); !ok || v[0] != 7 {
		t.Fatalf("appended vector lost: %v %v", v, ok)
	}
	if v, ok := c.get(cacheKey("42")); !ok || v[0] != 42 {
		t.Fatalf("snapshot vector lost: %v %v", v, ok)
	}

	// Dropping most texts compacts the file.
	keep := map[[16]byte]bool{cacheKey("new"): true}
	c.prune(keep)
	if err := c.save(); err != nil {
		t.Fatal(err)
	}
	if got := size(); got >= full/10 {
		t.Errorf("not compacted: %d bytes", got)
	}

	// A torn last record (a crash while appending) loses only that record;
	// another model's file is not read.
	f, _ := os.OpenFile(c.path, os.O_WRONLY|os.O_APPEND, 0o644)
	f.Write([]byte("torn"))
	f.Close()
	if c := openCache(dir, "m"); len(c.vecs) != 1 {
		t.Errorf("after a torn record: %d vectors", len(c.vecs))
	}
	if c := openCache(dir, "other"); len(c.vecs) != 0 {
		t.Errorf("read another model's vectors")
	}
}

// TestEmbedCachePartialOnlyAppends: a cache opened for some keys holds
// only their vectors, and saving it appends what is new without dropping
// the vectors it did not read.
func TestEmbedCachePartialOnlyAppends(t *testing.T) {
	dir := t.TempDir()
	c := openCache(dir, "m")
	for i := 0; i < 100; i++ {
		c.put(cacheKey(itoa(i)), []float32{float32(i), 1})
	}
	if err := c.save(); err != nil {
		t.Fatal(err)
	}
	p := openCacheFor(dir, "m", map[[16]byte]bool{cacheKey("7"): true, cacheKey("new"): true})
	if len(p.vecs) != 1 {
		t.Fatalf("partial cache holds %d vectors", len(p.vecs))
	}
	if v, ok := p.get(cacheKey("7")); !ok || v[0] != 7 {
		t.Fatalf("wanted vector: %v %v", v, ok)
	}
	p.put(cacheKey("new"), []float32{5, 5})
	if err := p.save(); err != nil {
		t.Fatal(err)
	}
	all := openCache(dir, "m")
	if len(all.vecs) != 101 {
		t.Errorf("after a partial save the file holds %d vectors, want 101", len(all.vecs))
	}
}
