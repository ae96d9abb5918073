package retrieval

import (
	"os"
	"sync/atomic"
	"unsafe"
)

// vecSpill keeps the vectors a large build computes out of the heap: at
// a million tasks they are 1.3 GB, a third of what a build would hold.
// Each notice's vectors are written to a file under the data folder as
// they are computed; the file is then mapped read-only and the index's
// vectors point into it, as those of an index read from its snapshot
// point into the snapshot. The file is removed as soon as it is mapped:
// its space is the system's again when the process ends.
type vecSpill struct {
	f    *os.File
	next atomic.Int64 // bytes written
	data []byte       // the mapping, once mapped
}

// spillAfter is how many fresh notices make a build spill its vectors:
// a reload of a few notices keeps them in the heap.
const spillAfter = 100

// newVecSpill opens a spill file under dir, or returns nil where files
// cannot be mapped or the file cannot be made (the vectors then stay in
// the heap).
func newVecSpill(dir string) *vecSpill {
	if !mapsFiles || dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil
	}
	f, err := os.CreateTemp(dir, ".vectors-*")
	if err != nil {
		return nil
	}
	return &vecSpill{f: f}
}

// write appends vectors to the file (from any goroutine) and returns
// where they lie, in float32s from the file's start.
func (s *vecSpill) write(v []float32) (int64, error) {
	b := f32bytes(v)
	off := s.next.Add(int64(len(b))) - int64(len(b))
	if _, err := s.f.WriteAt(b, off); err != nil {
		return 0, err
	}
	return off / 4, nil
}

// mapped maps what was written and removes the file; the vectors are
// then block[off : off+n].
func (s *vecSpill) mapped() ([]float32, error) {
	defer os.Remove(s.f.Name())
	defer s.f.Close()
	size := s.next.Load()
	if size == 0 {
		return nil, nil
	}
	b, err := mapFile(s.f, 0, size)
	if err != nil {
		return nil, err
	}
	s.data = b
	return unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), size/4), nil
}
