package retrieval

import "syscall"

// dropPages tells the system that the pages of a read-only file mapping
// are not needed now: they leave the process's resident memory and are
// read from the page cache again when touched.
func dropPages(b []byte) {
	_ = syscall.Madvise(b, syscall.MADV_DONTNEED)
}
