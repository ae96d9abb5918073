//go:build !unix

package corpus

import "os"

// openNoBlock opens a file for reading (no named pipes to fear here).
func openNoBlock(path string) (*os.File, error) { return os.Open(path) }
