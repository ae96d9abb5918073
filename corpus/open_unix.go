//go:build unix

package corpus

import (
	"os"
	"syscall"
)

// openNoBlock opens a file for reading without waiting: should a named
// pipe take a regular file's place between the check and the open, the
// open returns at once instead of blocking until a writer comes.
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
