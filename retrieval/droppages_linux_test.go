package retrieval

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// rssFile is this process's resident file-backed memory, in kB.
func rssFile(tb testing.TB) int {
	tb.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		tb.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "RssFile:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return kb
		}
	}
	tb.Skip("no RssFile")
	return 0
}

// TestDropPagesLetsGo: the pages of a mapping read through leave the
// resident memory when dropped, and read back the same.
func TestDropPagesLetsGo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "block")
	data := make([]byte, 32<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := mapFile(f, 100, int64(len(data)-100)) // not page-aligned, as the snapshot's vectors
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, x := range b {
		sum += int(x)
	}
	before := rssFile(t)
	if err := dropPages(b); err != nil {
		t.Fatal(err)
	}
	after := rssFile(t)
	if before-after < 24<<10 {
		t.Errorf("resident file memory %d kB → %d kB: the pages stayed", before, after)
	}
	again := 0
	for _, x := range b {
		again += int(x)
	}
	if again != sum {
		t.Errorf("the mapping reads differently after its pages were dropped")
	}
}
