package retrieval

import (
	"os"
	"syscall"
	"unsafe"
)

// dropPages tells the system that the pages of a read-only file mapping
// are not needed now: they leave the process's resident memory and are
// read from the page cache again when touched. Only whole pages inside b
// are given up (madvise wants a page-aligned start).
func dropPages(b []byte) error {
	page := uintptr(os.Getpagesize())
	if uintptr(len(b)) < 2*page {
		return nil
	}
	start := uintptr(unsafe.Pointer(&b[0]))
	skip := (page - start%page) % page
	return syscall.Madvise(b[skip:], syscall.MADV_DONTNEED)
}
