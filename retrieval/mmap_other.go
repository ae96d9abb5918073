//go:build !unix

package retrieval

import (
	"errors"
	"os"
)

// mapFile is not offered here: the snapshot's vectors are read into the
// heap.
func mapFile(*os.File, int64, int64) ([]byte, error) {
	return nil, errors.New("no memory-mapped files on this system")
}

// mapsFiles says mapFile works here.
const mapsFiles = false
