package corpus

import (
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
)

// ParserVersion names the parser's output. The parse cache (and the index
// snapshot built on it) is keyed on it: bump it whenever a change to
// loading, cleaning or parsing changes what a file parses to, and every
// cached parse is dropped at the next start. Rebuilding the binary without
// changing it keeps the cache.
const ParserVersion = "2026-11-25.9"

// parseCache keeps parsed notices by the hash of their bytes, in one gob
// snapshot under the data folder. Its file name carries ParserVersion, so
// a parser that parses differently never reads an old parse.
type parseCache struct {
	mu      sync.Mutex
	path    string
	entries map[string]cachedNotice
	used    map[string]bool
	dirty   bool
}

type cachedNotice struct {
	Notice *Notice
	Report FileReport
}

// cacheName is the parse cache's file name for this parser version.
func cacheName() string {
	sum := sha256.Sum256([]byte(ParserVersion))
	return "parsed-" + hex.EncodeToString(sum[:8]) + ".gob"
}

// saving is held while a snapshot is written in the background; opening a
// cache waits for it, so a load never misses what the last one stored.
var saving sync.Mutex

func openParseCache(dir string) *parseCache {
	saving.Lock()
	defer saving.Unlock()
	c := &parseCache{entries: map[string]cachedNotice{}, used: map[string]bool{}}
	if dir == "" {
		return c // nothing is kept
	}
	c.path = filepath.Join(dir, cacheName())
	f, err := os.Open(c.path)
	if err != nil {
		return c
	}
	defer f.Close()
	var entries map[string]cachedNotice
	if gob.NewDecoder(f).Decode(&entries) == nil {
		c.entries = entries
	}
	return c
}

// get returns the cached parse of the file with this content hash, under
// the file's current name.
func (c *parseCache) get(key, name string) (*Notice, FileReport, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.Report.Name != name {
		return nil, FileReport{}, false
	}
	c.used[key] = true
	if e.Notice != nil {
		emptyNotNil(e.Notice)
	}
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

// keep marks a file's parse as still in use, adding it if the cache lacks it.
func (c *parseCache) keep(key string, n *Notice, fr FileReport) {
	c.mu.Lock()
	_, ok := c.entries[key]
	if ok {
		c.used[key] = true
	}
	c.mu.Unlock()
	if !ok {
		c.put(key, n, fr)
	}
}

func (c *parseCache) put(key string, n *Notice, fr FileReport) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n != nil {
		n = Storable(n)
	}
	c.entries[key] = cachedNotice{Notice: n, Report: fr}
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

// save writes the snapshot (dropping files no longer in the corpus and
// snapshots of other parser versions) through a temporary file and a rename.
func (c *parseCache) save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.path == "" {
		return nil
	}
	for k := range c.entries {
		if !c.used[k] {
			delete(c.entries, k)
			c.dirty = true
		}
	}
	old, _ := filepath.Glob(filepath.Join(filepath.Dir(c.path), "parsed-*.gob"))
	for _, p := range old {
		if p != c.path {
			os.Remove(p)
		}
	}
	if !c.dirty {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), ".parsed-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := gob.NewEncoder(tmp).Encode(c.entries); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), c.path); err != nil {
		return err
	}
	c.dirty = false
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
