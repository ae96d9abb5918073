package retrieval

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// embedCache keeps the vectors of texts already embedded, keyed by the
// hash of the text, in one file per embedding model under DATA_DIR.
// Restart and reload embed only new or changed text: with a remote
// embedder that is money and minutes.
//
// The file is a snapshot followed by appended records, each a 16-byte key
// and the vector's float32s; a reload that embeds a few texts appends a
// few records instead of rewriting a hundred megabytes, and the file is
// compacted (rewritten without stale records) when they make up a large
// share of it.
type embedCache struct {
	mu      sync.Mutex
	dir     string
	path    string
	model   string
	dim     int
	vecs    map[[16]byte][]float32
	fresh   [][16]byte // keys added since open, to append
	records int        // records in the file
	stale   bool       // the file may hold records of texts no longer present
	// want, when not nil, is the only keys read from the file: a reload
	// needs the vectors of a few texts, not all of them. Such a cache only
	// appends; compaction waits for a full build.
	want map[[16]byte]bool
}

// cacheMagic starts a cache file, followed by the model name and dimension.
const cacheMagic = "assignbot-embeddings-v1\n"

func cacheKey(text string) [16]byte {
	sum := sha256.Sum256([]byte(text))
	var k [16]byte
	copy(k[:], sum[:16])
	return k
}

// openCache reads the file for model from dir; a missing or unreadable file
// starts empty (and is rewritten on save). dir "" keeps it in memory only.
func openCache(dir, model string) *embedCache {
	return openCacheFor(dir, model, nil)
}

// openCacheFor is openCache keeping only the vectors of the keys in want
// (all of them when want is nil).
func openCacheFor(dir, model string, want map[[16]byte]bool) *embedCache {
	c := &embedCache{dir: dir, model: model, vecs: map[[16]byte][]float32{}, want: want}
	if dir == "" {
		return c
	}
	slug := strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '-' || r == '.' || r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')) {
			return r
		}
		return '_'
	}, model)
	c.path = filepath.Join(dir, "embeddings-"+slug+".bin")
	if err := c.read(); err != nil {
		c.vecs, c.records, c.dim = map[[16]byte][]float32{}, 0, 0
		c.stale = true // rewrite what is there
	}
	return c
}

func (c *embedCache) read() error {
	f, err := os.Open(c.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	head, err := r.ReadString('\n')
	if err != nil || head != cacheMagic {
		return errors.New("not an embedding cache")
	}
	model, err := r.ReadString('\n')
	if err != nil || strings.TrimSuffix(model, "\n") != c.model {
		return errors.New("cache of another model")
	}
	var dim uint32
	if err := binary.Read(r, binary.LittleEndian, &dim); err != nil || dim == 0 || dim > 1<<16 {
		return errors.New("bad dimension")
	}
	c.dim = int(dim)
	rec := make([]byte, 16+4*c.dim)
	for {
		if _, err := io.ReadFull(r, rec); err != nil {
			if err == io.EOF {
				return nil
			}
			// A torn last record (a crash while appending) is dropped.
			c.stale = true
			return nil
		}
		var k [16]byte
		copy(k[:], rec[:16])
		c.records++
		if c.want != nil && !c.want[k] {
			continue
		}
		v := make([]float32, c.dim)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(rec[16+4*i:]))
		}
		if _, dup := c.vecs[k]; dup {
			c.stale = true
		}
		c.vecs[k] = v
	}
}

func (c *embedCache) get(k [16]byte) ([]float32, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.vecs[k]
	return v, ok
}

func (c *embedCache) put(k [16]byte, v []float32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.vecs[k]; !ok {
		c.fresh = append(c.fresh, k)
	}
	c.vecs[k] = v
}

// prune drops vectors of texts no longer in the corpus.
func (c *embedCache) prune(keep map[[16]byte]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.vecs {
		if !keep[k] {
			delete(c.vecs, k)
			c.stale = true
		}
	}
}

// save appends the new vectors, or rewrites the file when it is new, of
// another dimension, or mostly stale records.
func (c *embedCache) save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.path == "" || (len(c.fresh) == 0 && !c.stale) {
		return nil
	}
	dim := 0
	for _, v := range c.vecs {
		dim = len(v)
		break
	}
	if dim == 0 {
		return nil
	}
	staleRecords := c.records + len(c.fresh) - len(c.vecs)
	if c.records == 0 || c.dim != dim || (c.want == nil && staleRecords > len(c.vecs)/4) {
		return c.rewrite(dim)
	}
	f, err := os.OpenFile(c.path, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil && c.want == nil {
		return c.rewrite(dim)
	}
	if err != nil {
		return err // a partial cache must not replace the file
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for _, k := range c.fresh {
		if v, ok := c.vecs[k]; ok {
			writeRecord(w, k, v)
			c.records++
		}
	}
	c.fresh = nil
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// rewrite writes every vector to a new file and renames it into place.
func (c *embedCache) rewrite(dim int) error {
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), ".embeddings-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	fmt.Fprintf(w, "%s%s\n", cacheMagic, c.model)
	binary.Write(w, binary.LittleEndian, uint32(dim))
	n := 0
	for k, v := range c.vecs {
		if len(v) == dim {
			writeRecord(w, k, v)
			n++
		}
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("write embedding cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), c.path); err != nil {
		return err
	}
	c.records, c.dim, c.stale, c.fresh = n, dim, false, nil
	return nil
}

func writeRecord(w *bufio.Writer, k [16]byte, v []float32) {
	w.Write(k[:])
	var buf [4]byte
	for _, x := range v {
		binary.LittleEndian.PutUint32(buf[:], math.Float32bits(x))
		w.Write(buf[:])
	}
}
