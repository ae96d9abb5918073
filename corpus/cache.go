package corpus

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
)

// ParserVersion names the parser's output. The parse cache (and the index
// snapshot built on it) is keyed on it: bump it whenever a change to
// loading, cleaning or parsing changes what a file parses to, and every
// cached parse is dropped at the next start. Rebuilding the binary without
// changing it keeps the cache.
const ParserVersion = "2026-12-06.4"

// parseCache keeps parsed notices by the hash of their bytes, in one file
// under the data folder: an index of keys, then each parse gob-encoded on
// its own, so that a load reads only the parses it needs — a reload that
// takes most notices over from the previous load reads none. Its file name
// carries ParserVersion, so a parser that parses differently never reads
// an old parse.
type parseCache struct {
	mu      sync.Mutex
	path    string
	f       *os.File                // the file, open while parses may be read from it
	base    int64                   // where the parses start in the file
	entries map[string]span         // parses in the file, by key
	mem     map[string]cachedNotice // parses read, kept or added by this load
	used    map[string]bool
	dirty   bool
}

// span is where one parse lies in the file, from base.
type span struct{ Off, Len int64 }

type cachedNotice struct {
	Notice *Notice
	Report FileReport
}

// parseCacheMagic starts the file; it names the layout.
const parseCacheMagic = "assignbot-parse-cache-v2\n"

// cacheName is the parse cache's file name for this parser version.
func cacheName() string {
	sum := sha256.Sum256([]byte(ParserVersion + "\x00" + parseCacheMagic))
	return "parsed-" + hex.EncodeToString(sum[:8]) + ".gob"
}

// saving is held while a snapshot is written in the background; opening a
// cache waits for it, so a load never misses what the last one stored.
var saving sync.Mutex

// WaitSaved waits until no parse cache is being written in the background:
// before a test's temporary cache folder is removed, or a process exits,
// or a build from a corpus just loaded asks for the memory the save holds.
func WaitSaved() {
	saving.Lock()
	defer saving.Unlock()
}

func openParseCache(dir string) *parseCache {
	saving.Lock()
	defer saving.Unlock()
	c := &parseCache{entries: map[string]span{}, mem: map[string]cachedNotice{}, used: map[string]bool{}}
	if dir == "" {
		return c // nothing is kept
	}
	c.path = filepath.Join(dir, cacheName())
	f, err := os.Open(c.path)
	if err != nil {
		return c
	}
	r := bufio.NewReader(f)
	magic := make([]byte, len(parseCacheMagic))
	var n uint64
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != parseCacheMagic ||
		binary.Read(r, binary.LittleEndian, &n) != nil || n > 1<<31 {
		f.Close()
		return c
	}
	index := make([]byte, n)
	var entries map[string]span
	if _, err := io.ReadFull(r, index); err != nil || gob.NewDecoder(bytes.NewReader(index)).Decode(&entries) != nil {
		f.Close()
		return c
	}
	c.f, c.base, c.entries = f, int64(len(parseCacheMagic))+8+int64(n), entries
	return c
}

// get returns the cached parse of the file with this content hash, under
// the file's current name.
func (c *parseCache) get(key, name string) (*Notice, FileReport, bool) {
	c.mu.Lock()
	e, ok := c.mem[key]
	sp, inFile := c.entries[key]
	f := c.f
	c.mu.Unlock()
	if !ok {
		if !inFile || f == nil {
			return nil, FileReport{}, false
		}
		// Read and decoded outside the lock: loads run on every CPU.
		b := make([]byte, sp.Len)
		if _, err := f.ReadAt(b, c.base+sp.Off); err != nil || gob.NewDecoder(bytes.NewReader(b)).Decode(&e) != nil {
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
	c.mem[key] = e
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
	if _, ok := c.mem[key]; ok {
		return
	}
	if n != nil {
		n = Storable(n)
	}
	c.mem[key] = cachedNotice{Notice: n, Report: fr}
	if _, ok := c.entries[key]; !ok {
		c.dirty = true
	}
}

func (c *parseCache) put(key string, n *Notice, fr FileReport) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n != nil {
		n = Storable(n)
	}
	c.mem[key] = cachedNotice{Notice: n, Report: fr}
	c.used[key] = true
	c.dirty = true
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
// stored with them (the index snapshot keeps both), as LoadCached would
// have loaded it: lists gob decodes as nil are made empty, the directory
// learns the short names the notices define, and Reload reads dir again
// with cacheDir as its parse cache.
func Restore(dir, cacheDir string, notices []*Notice, report Report) *Corpus {
	c := &Corpus{Dir: dir, cacheDir: cacheDir, Notices: notices, Directory: NewDirectory(), Report: report}
	for _, n := range notices {
		emptyNotNil(n)
		for _, a := range n.Aliases {
			c.Directory.Learn(a.Short, a.Full)
		}
	}
	return c
}

// saveInBackground writes the snapshot without holding up the load that
// filled it: a reload returns as soon as the index can be swapped.
func (c *parseCache) saveInBackground() {
	saving.Lock()
	go func() {
		defer saving.Unlock()
		_ = c.save() // a snapshot that cannot be written costs time next start, nothing else
	}()
}

// save writes the file again when this load added a parse or left one
// unused (a file no longer in the corpus), through a temporary file and a
// rename; caches of other parser versions are removed.
func (c *parseCache) save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.f != nil {
		c.f.Close()
		c.f = nil
	}
	if c.path == "" {
		return nil
	}
	old, _ := filepath.Glob(filepath.Join(filepath.Dir(c.path), "parsed-*.gob"))
	for _, p := range old {
		if p != c.path {
			os.Remove(p)
		}
	}
	for k := range c.entries {
		if !c.used[k] {
			c.dirty = true
		}
	}
	if !c.dirty {
		return nil
	}
	keys := make([]string, 0, len(c.mem))
	for k := range c.mem {
		if c.used[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	blobs := make([][]byte, len(keys))
	errs := make([]error, len(keys))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(keys); i = int(next.Add(1) - 1) {
				var buf bytes.Buffer
				errs[i] = gob.NewEncoder(&buf).Encode(c.mem[keys[i]])
				blobs[i] = buf.Bytes()
			}
		}()
	}
	wg.Wait()
	entries := make(map[string]span, len(keys))
	var off int64
	for i, k := range keys {
		if errs[i] != nil {
			return errs[i]
		}
		entries[k] = span{off, int64(len(blobs[i]))}
		off += int64(len(blobs[i]))
	}
	var index bytes.Buffer
	if err := gob.NewEncoder(&index).Encode(entries); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), ".parsed-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	w.WriteString(parseCacheMagic)
	binary.Write(w, binary.LittleEndian, uint64(index.Len()))
	w.Write(index.Bytes())
	for _, b := range blobs {
		w.Write(b)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), c.path); err != nil {
		return err
	}
	c.entries, c.dirty = entries, false
	return nil
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
