//go:build unix

package retrieval

import (
	"os"
	"syscall"
)

// mapFile maps length bytes of f from off (page-aligned by the caller's
// need: mapFile aligns it down and returns just the asked bytes) read-only
// into memory. The mapping lives as long as the process: the vectors of
// an index read from its snapshot stay in the page cache, not the heap,
// and pages the searches never touch are never read.
func mapFile(f *os.File, off, length int64) ([]byte, error) {
	page := int64(os.Getpagesize())
	base := off / page * page
	b, err := syscall.Mmap(int(f.Fd()), base, int(off-base+length), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, err
	}
	return b[off-base:], nil
}

// mapsFiles says mapFile works here.
const mapsFiles = true
