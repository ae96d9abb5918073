package corpus

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ParserVersion names the parser's output. The parse cache (and the index
// snapshot built on it) is keyed on it: bump it whenever a change to
// loading, cleaning or parsing changes what a file parses to, and every
// cached parse is dropped at the next start. Rebuilding the binary without
// changing it keeps the cache.
const ParserVersion = "2026-12-07.3"

// parseCache keeps parsed notices by file name and content hash under the
// data folder, so that a load reads only the parses it needs — a reload
// that takes most notices over from the previous load reads none.
//
// The parses lie in segment files, each written once and never changed;
// an index file, replaced through a rename, says in which segment and
// where each parse lies. A save writes the parses the load added into one
// new segment and writes the index again: a reload after one changed
// notice writes one parse, not every notice. Segments whose parses are
// mostly gone, or too many small ones, are merged by copying their
// parses' bytes as they are. File names carry ParserVersion, so a parser
// that parses differently never reads an old parse.
//
// A cache belongs to the load that opened it and is saved by it before
// the load returns: no goroutine outlives a load, and a failed save is
// the load's to report (Report.CacheError).
type parseCache struct {
	mu      sync.Mutex
	dir     string     // "" keeps nothing
	segs    []*os.File // the index's segments, open (nil: missing)
	names   []string   // their file names
	entries map[string]loc
	added   map[string]cachedNotice // parses the segments lack, to save
	used    map[string]bool         // parses this load used
}

// loc is where one parse lies: in which segment of the index, at which
// offset and how long.
type loc struct {
	Seg      int32
	Off, Len int64
}

// cacheIndex is the index file's content (after its magic).
type cacheIndex struct {
	Segments []string
	Entries  map[string]loc
}

type cachedNotice struct {
	Notice *Notice
	Report FileReport
}

// parseCacheMagic starts the index file; it names the layout.
const parseCacheMagic = "assignbot-parse-cache-v3\n"

// maxSegments bounds the segments of a cache: beyond it, a save merges
// all but the largest.
const maxSegments = 8

// cachePrefix starts the names of the parse cache's files for this parser
// version: the index is PREFIX.idx, the segments PREFIX-*.seg.
func cachePrefix() string {
	sum := sha256.Sum256([]byte(ParserVersion + "\x00" + parseCacheMagic))
	return "parsed-" + hex.EncodeToString(sum[:8])
}

func openParseCache(dir string) *parseCache {
	c := &parseCache{dir: dir, entries: map[string]loc{}, added: map[string]cachedNotice{}, used: map[string]bool{}}
	if dir == "" {
		return c // nothing is kept
	}
	b, err := os.ReadFile(filepath.Join(dir, cachePrefix()+".idx"))
	if err != nil || !bytes.HasPrefix(b, []byte(parseCacheMagic)) {
		return c
	}
	var ix cacheIndex
	if gob.NewDecoder(bytes.NewReader(b[len(parseCacheMagic):])).Decode(&ix) != nil {
		return c
	}
	c.names = ix.Segments
	c.segs = make([]*os.File, len(ix.Segments))
	for i, name := range ix.Segments {
		if filepath.Base(name) != name {
			return &parseCache{dir: dir, entries: map[string]loc{}, added: map[string]cachedNotice{}, used: map[string]bool{}}
		}
		if f, err := os.Open(filepath.Join(dir, name)); err == nil {
			c.segs[i] = f // a missing segment makes its parses misses
		}
	}
	for k, l := range ix.Entries {
		if l.Seg >= 0 && int(l.Seg) < len(c.segs) && c.segs[l.Seg] != nil && l.Off >= 0 && l.Len > 0 {
			c.entries[k] = l
		}
	}
	return c
}

// close closes the segments; the cache reads nothing more.
func (c *parseCache) close() {
	for i, f := range c.segs {
		if f != nil {
			f.Close()
			c.segs[i] = nil
		}
	}
}

// get returns the cached parse of the file with this content hash, under
// the file's current name.
func (c *parseCache) get(key, name string) (*Notice, FileReport, bool) {
	c.mu.Lock()
	e, ok := c.added[key]
	l, inFile := c.entries[key]
	var f *os.File
	if inFile {
		f = c.segs[l.Seg]
	}
	c.mu.Unlock()
	if !ok {
		if !inFile || f == nil || l.Len > 1<<31 {
			return nil, FileReport{}, false
		}
		// Read and decoded outside the lock: loads run on every CPU.
		b := make([]byte, l.Len)
		if _, err := f.ReadAt(b, l.Off); err != nil || gob.NewDecoder(bytes.NewReader(b)).Decode(&e) != nil {
			return nil, FileReport{}, false
		}
	}
	if e.Report.Name != name {
		return nil, FileReport{}, false
	}
	if e.Notice != nil {
		emptyNotNil(e.Notice)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.used[key] = true
	return e.Notice, e.Report, true
}

// emptyNotNil restores the empty lists gob decodes as nil, so that a cached
// parse prints exactly as a fresh one ([] rather than null in JSON).
func emptyNotNil(n *Notice) {
	if n.Tasks == nil {
		n.Tasks = []*Task{}
	}
	if n.Passages == nil {
		n.Passages = []Passage{}
	}
	if n.Deadlines == nil {
		n.Deadlines = []Deadline{}
	}
	for _, t := range n.Tasks {
		t.LeadUnits, t.ResponsibleUnits, t.Sections = orEmpty(t.LeadUnits), orEmpty(t.ResponsibleUnits), orEmpty(t.Sections)
		if t.Clauses == nil {
			t.Clauses = []Clause{}
		}
		for i := range t.Clauses {
			t.Clauses[i].LeadUnits, t.Clauses[i].ResponsibleUnits = orEmpty(t.Clauses[i].LeadUnits), orEmpty(t.Clauses[i].ResponsibleUnits)
		}
		if t.Deadlines == nil {
			t.Deadlines = []Deadline{}
		}
	}
	for i := range n.Groups {
		if n.Groups[i].Members == nil {
			n.Groups[i].Members = []Member{}
		}
	}
}

// keep marks a file's parse as still in use, adding it if the cache lacks
// it; the parse is not read again.
func (c *parseCache) keep(key string, n *Notice, fr FileReport) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.used[key] = true
	if _, ok := c.entries[key]; ok {
		return
	}
	if _, ok := c.added[key]; ok {
		return
	}
	if n != nil {
		n = Storable(n)
	}
	c.added[key] = cachedNotice{Notice: n, Report: fr}
}

func (c *parseCache) put(key string, n *Notice, fr FileReport) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n != nil {
		n = Storable(n)
	}
	c.added[key] = cachedNotice{Notice: n, Report: fr}
	c.used[key] = true
}

// Storable returns a shallow copy of n that encoding/gob can write: the
// outline holds parent pointers gob cannot keep; tasks, passages and
// deadlines carry everything answers use.
func Storable(n *Notice) *Notice {
	cp := *n
	cp.Outline = nil
	return &cp
}

// Restore puts together the corpus of dir from notices and the load report
// stored with them (the index snapshot keeps both, and the files' stamps
// and the time the load began), as LoadCached would have loaded it: empty
// lists are made non-nil, the directory learns the short names the
// notices define, and Reload reads dir again with cacheDir as its parse
// cache, skipping files whose stamps are unchanged.
func Restore(dir, cacheDir string, notices []*Notice, report Report, stamps map[string]FileStamp, readAt time.Time) *Corpus {
	if stamps == nil {
		stamps = map[string]FileStamp{}
	}
	c := &Corpus{Dir: dir, cacheDir: cacheDir, Notices: notices, Directory: NewDirectory(), Report: report, stamps: stamps, readAt: readAt.UnixNano()}
	for _, n := range notices {
		emptyNotNil(n)
		for _, a := range n.Aliases {
			c.Directory.Learn(a.Short, a.Full)
		}
	}
	return c
}

// save writes what this load changed: the parses it added go into a new
// segment, parses it did not use (files gone or changed) leave the index,
// segments that are mostly such leftovers — or too many — are merged, and
// caches of other parser versions are removed. Nothing is written when
// the load used exactly what the cache held. The cache is closed after.
func (c *parseCache) save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.close()
	if c.dir == "" {
		return nil
	}
	prefix := cachePrefix()
	if old, _ := filepath.Glob(filepath.Join(c.dir, "parsed-*")); len(old) > 0 {
		for _, p := range old {
			if !strings.HasPrefix(filepath.Base(p), prefix) {
				os.Remove(p) // another parser version's, or the layout before segments
			}
		}
	}
	var fresh []string // used parses the segments lack
	for k := range c.added {
		if _, ok := c.entries[k]; !ok && c.used[k] {
			fresh = append(fresh, k)
		}
	}
	live := make([]int64, len(c.segs))  // bytes of used parses, by segment
	total := make([]int64, len(c.segs)) // bytes of each segment file
	for s, f := range c.segs {
		if f != nil {
			if info, err := f.Stat(); err == nil {
				total[s] = info.Size()
			}
		}
	}
	dead := 0
	for k, l := range c.entries {
		if c.used[k] {
			live[l.Seg] += l.Len
		} else {
			dead++
		}
	}
	if len(fresh) == 0 && dead == 0 {
		return nil
	}
	// Which segments stay as they are: those at least half alive, at most
	// maxSegments-1 of them (the largest kept); the others' parses are
	// copied into the new segment.
	var keepSegs []int
	for s := range c.segs {
		if live[s] > 0 && 2*live[s] >= total[s] {
			keepSegs = append(keepSegs, s)
		}
	}
	if len(keepSegs) >= maxSegments {
		sort.Slice(keepSegs, func(a, b int) bool { return live[keepSegs[a]] > live[keepSegs[b]] })
		keepSegs = keepSegs[:1]
	}
	newNum := map[int]int32{}
	ix := cacheIndex{Entries: make(map[string]loc, len(c.used))}
	for _, s := range keepSegs {
		newNum[s] = int32(len(ix.Segments))
		ix.Segments = append(ix.Segments, c.names[s])
	}
	var moved []string // used parses in segments not kept
	for k, l := range c.entries {
		if !c.used[k] {
			continue
		}
		if n, ok := newNum[int(l.Seg)]; ok {
			ix.Entries[k] = loc{Seg: n, Off: l.Off, Len: l.Len}
		} else {
			moved = append(moved, k)
		}
	}
	if len(fresh)+len(moved) > 0 {
		name, err := c.writeSegment(prefix, fresh, moved, int32(len(ix.Segments)), ix.Entries)
		if err != nil {
			return err
		}
		ix.Segments = append(ix.Segments, name)
	}
	var b bytes.Buffer
	b.WriteString(parseCacheMagic)
	if err := gob.NewEncoder(&b).Encode(ix); err != nil {
		return err
	}
	if err := WriteFileAtomic(filepath.Join(c.dir, prefix+".idx"), b.Bytes()); err != nil {
		return err
	}
	// Segments the index no longer names go; a reader that has one open
	// keeps reading it.
	named := map[string]bool{}
	for _, n := range ix.Segments {
		named[n] = true
	}
	segs, _ := filepath.Glob(filepath.Join(c.dir, prefix+"-*.seg"))
	for _, p := range segs {
		if !named[filepath.Base(p)] {
			os.Remove(p)
		}
	}
	return nil
}

// writeSegment writes a new segment: the parses of fresh, gob-encoded a
// few hundred at a time on every CPU, then those of moved, copied from
// their segments as they are. Their places go into entries under segment
// number seg.
func (c *parseCache) writeSegment(prefix string, fresh, moved []string, seg int32, entries map[string]loc) (string, error) {
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(c.dir, prefix+"-*.seg")
	if err != nil {
		return "", err
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w := bufio.NewWriterSize(tmp, 1<<20)
	var off int64
	sort.Strings(fresh)
	const batch = 256
	for from := 0; from < len(fresh); from += batch {
		keys := fresh[from:min(from+batch, len(fresh))]
		blobs := make([][]byte, len(keys))
		errs := make([]error, len(keys))
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(runtime.NumCPU(), len(keys)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := int(next.Add(1) - 1); i < len(keys); i = int(next.Add(1) - 1) {
					var buf bytes.Buffer
					errs[i] = gob.NewEncoder(&buf).Encode(c.added[keys[i]])
					blobs[i] = buf.Bytes()
				}
			}()
		}
		wg.Wait()
		for i, k := range keys {
			if errs[i] != nil {
				return "", errs[i]
			}
			if _, err := w.Write(blobs[i]); err != nil {
				return "", err
			}
			entries[k] = loc{Seg: seg, Off: off, Len: int64(len(blobs[i]))}
			off += int64(len(blobs[i]))
		}
	}
	// Moved parses in file order, so that the copy reads each old segment
	// front to back.
	sort.Slice(moved, func(a, b int) bool {
		la, lb := c.entries[moved[a]], c.entries[moved[b]]
		return la.Seg < lb.Seg || la.Seg == lb.Seg && la.Off < lb.Off
	})
	for _, k := range moved {
		l := c.entries[k]
		n, err := io.Copy(w, io.NewSectionReader(c.segs[l.Seg], l.Off, l.Len))
		if err != nil || n != l.Len {
			return "", fmt.Errorf("parse cache: copy %d of %d bytes: %v", n, l.Len, err)
		}
		entries[k] = loc{Seg: seg, Off: off, Len: l.Len}
		off += l.Len
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	ok = true
	return filepath.Base(tmp.Name()), nil
}

// WriteFileAtomic writes a file through a temporary file in the same folder
// and a rename, so that a reader — a reload, a restart after a crash —
// sees the old file or the new one, never half of one. The temporary name
// starts with a dot, which loads skip.
func WriteFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
