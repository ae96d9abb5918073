package retrieval

import (
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// embedCache keeps the vectors of texts already embedded, keyed by the
// embedding model and the text's hash, in one snapshot file per model under
// DATA_DIR. Restart and reload embed only new or changed text: with a
// remote embedder that is money and minutes.
type embedCache struct {
	mu    sync.Mutex
	path  string
	model string
	vecs  map[string][]float32
	dirty bool
}

func cacheKey(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:16])
}

// openCache reads the snapshot for model from dir; a missing or unreadable
// snapshot starts empty (and is rewritten on save). dir "" keeps it in
// memory only.
func openCache(dir, model string) *embedCache {
	c := &embedCache{model: model, vecs: map[string][]float32{}}
	if dir == "" {
		return c
	}
	slug := strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '-' || r == '.' || r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')) {
			return r
		}
		return '_'
	}, model)
	c.path = filepath.Join(dir, "embeddings-"+slug+".gob")
	f, err := os.Open(c.path)
	if err != nil {
		return c
	}
	defer f.Close()
	var snap struct {
		Model string
		Vecs  map[string][]float32
	}
	if err := gob.NewDecoder(f).Decode(&snap); err == nil && snap.Model == model {
		c.vecs = snap.Vecs
	}
	return c
}

func (c *embedCache) get(text string) ([]float32, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.vecs[cacheKey(text)]
	return v, ok
}

func (c *embedCache) put(text string, v []float32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.vecs[cacheKey(text)] = v
	c.dirty = true
}

// prune drops vectors of texts no longer in the corpus.
func (c *embedCache) prune(keep map[string]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.vecs {
		if !keep[k] {
			delete(c.vecs, k)
			c.dirty = true
		}
	}
}

// save writes the snapshot atomically: a temporary file renamed over the
// old one, so a crash never leaves half a cache.
func (c *embedCache) save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.path == "" || !c.dirty {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), ".embeddings-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	snap := struct {
		Model string
		Vecs  map[string][]float32
	}{c.model, c.vecs}
	if err := gob.NewEncoder(tmp).Encode(snap); err != nil {
		tmp.Close()
		return fmt.Errorf("write embedding cache: %w", err)
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
