package retrieval

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/assignbot/assignbot/corpus"
)

// The index snapshot: everything an index derives from the corpus — the
// notices themselves, entries' postings and document frequencies, unit
// tables, listing lines and vectors — in one file under DATA_DIR, written
// by `assignbot index` and after every reload, and read at start-up with a
// few large reads instead of parsing, tokenizing and embedding again.
//
// The notices are stored in corpus.EncodeNotices' compact form, in chunks
// decoded side by side (their strings point into each chunk's one buffer);
// the derived arrays are stored as they lie in memory. The file starts with
// snapshotVersion, corpus.ParserVersion, the embedding model and the byte
// order: a snapshot that differs in any of them is not read (the index is
// built again). Whether the corpus folder changed since is told from each
// file's size and modification time, and from its content hash only where
// those changed (or are too close to the snapshot's own time to tell).

// snapshotVersion names the layout of the snapshot file; bump it with any
// change to what is written below.
const snapshotVersion = 5

// vectorAlign is the alignment of the vector block in the file, so that it
// can be mapped and read as float32s where it lies.
const vectorAlign = 64

const snapshotMagic = "assignbot-index-snapshot\n"

// ErrNoSnapshot is returned when there is no usable snapshot: none was
// written, or it was written by another layout, parser or embedding model.
var ErrNoSnapshot = errors.New("no usable index snapshot")

// snapshotMeta is the gob-encoded head of a snapshot.
type snapshotMeta struct {
	Dir       string // absolute corpus folder
	Report    corpus.Report
	Files     []fileStamp
	Stats     BuildStats
	WrittenAt int64 // UnixNano: when the load of the notices began (or, for a corpus with no such time, the save)
	Dim       int
	Chunks    int // chunks of notices
}

// fileStamp is what tells a corpus file unchanged.
type fileStamp struct {
	Name    string
	Size    int64
	ModTime int64 // UnixNano
	Hash    string
}

// SnapshotPath is where the snapshot of an index with this embedding model
// lives under dataDir.
func SnapshotPath(dataDir, model string) string {
	return filepath.Join(dataDir, "index-"+slug(model)+".snap")
}

func slug(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '-' || r == '.' || r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')) {
			return r
		}
		return '_'
	}, s)
}

// littleEndian reports the byte order of this machine; the raw arrays of a
// snapshot are only read back on one of the same order.
var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// Save writes the index's snapshot under its DataDir (nothing without
// one, or for a corpus not read from a folder), through a temporary file
// and a rename.
func (ix *Index) Save() error {
	if ix.dataDir == "" || ix.Corpus.Dir == "" || ix.Corpus.Dir == "." {
		return nil
	}
	dim := 0
	for _, v := range ix.vecs {
		if dim == 0 {
			dim = len(v)
		}
		if len(v) != dim || dim == 0 {
			return errors.New("snapshot: vectors of different sizes")
		}
	}
	abs, err := filepath.Abs(ix.Corpus.Dir)
	if err != nil {
		return err
	}
	meta := snapshotMeta{Dir: abs, Report: ix.Corpus.Report, Stats: ix.Stats, WrittenAt: time.Now().UnixNano(), Dim: dim, Chunks: max(8, len(ix.notices)/1000)}
	if t := ix.Corpus.ReadAt(); t.UnixNano() > 0 {
		// The files' stamps are those the load read the notices from, and
		// a file counts as unchanged only if written well before it.
		meta.WrittenAt = t.UnixNano()
	}
	meta.Stats.Added, meta.Stats.Changed, meta.Stats.Removed = nil, nil, nil
	for _, f := range ix.Corpus.Report.Files {
		if st, ok := ix.Corpus.Stamp(f.Name); ok {
			meta.Files = append(meta.Files, fileStamp{Name: f.Name, Size: st.Size, ModTime: st.ModTime, Hash: f.Hash})
			continue
		}
		info, err := os.Stat(filepath.Join(abs, f.Name))
		if err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		meta.Files = append(meta.Files, fileStamp{Name: f.Name, Size: info.Size(), ModTime: info.ModTime().UnixNano(), Hash: f.Hash})
	}
	path := SnapshotPath(ix.dataDir, ix.embedder.Model())
	if err := os.MkdirAll(ix.dataDir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(ix.dataDir, ".index-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := &snapWriter{w: bufio.NewWriterSize(tmp, 1<<20)}
	w.header(ix.embedder.Model())
	w.gob(meta)
	// The chunks are encoded side by side, a CPU's worth at a time, and
	// written in order: only those few are in memory at once. A chunk
	// whose notices are those of the snapshot on disk, unchanged, is
	// copied from it instead: a reload that changed one notice encodes
	// one chunk.
	old := ix.snap.reusable(path, meta.Chunks)
	if old != nil {
		defer old.f.Close()
	}
	written := &snapFile{path: path, chunks: make([]snapChunk, meta.Chunks)}
	member := func(k int) []*corpus.Notice {
		var ns []*corpus.Notice
		for i := k; i < len(ix.notices); i += meta.Chunks {
			ns = append(ns, ix.notices[i])
		}
		return ns
	}
	step := max(1, min(runtime.NumCPU(), meta.Chunks))
	for from := 0; from < meta.Chunks; from += step {
		n := min(step, meta.Chunks-from)
		chunks := make([]bytes.Buffer, n)
		copied := make([]bool, n)
		parallel(n, func(x int) {
			ns := member(from + x)
			if old != nil && slices.Equal(old.chunks[from+x].notices, ns) {
				copied[x] = true
				return
			}
			chunks[x].Write(corpus.EncodeNotices(nil, ns))
		})
		for x := range chunks {
			k := from + x
			written.chunks[k] = snapChunk{off: w.n + 8, notices: member(k)}
			if copied[x] {
				written.copied++
				c := old.chunks[k]
				w.u64(uint64(c.size))
				if w.err == nil {
					var m int64
					m, w.err = io.Copy(w.w, io.NewSectionReader(old.f, c.off, c.size))
					w.n += m
				}
			} else {
				w.slice(chunks[x].Bytes())
				chunks[x] = bytes.Buffer{}
			}
			written.chunks[k].size = w.n - written.chunks[k].off
		}
	}
	w.slice(u32bytes(ix.start))
	// The keyword arrays start at multiples of 8 in the file, so that
	// start-up maps them where they lie instead of reading them into the
	// heap (about a gigabyte at a million tasks; an index never writes to
	// its arrays once built).
	ix.writeKeyword(w)
	// Listing lines: their ends, then their bytes, read back as one block
	// the strings point into.
	w.u64(uint64(len(ix.summary)))
	ends := make([]uint32, len(ix.summary))
	size := uint32(0)
	for i, s := range ix.summary {
		size += uint32(len(s))
		ends[i] = size
	}
	w.slice(u32bytes(ends))
	w.u64(uint64(size))
	for _, s := range ix.summary {
		if w.err == nil {
			_, w.err = w.w.WriteString(s)
			w.n += int64(len(s))
		}
	}
	w.u64(uint64(len(ix.units)))
	for _, u := range ix.Units() {
		t := ix.units[u]
		w.str(u)
		for _, l := range [][]uint32{t.lead, t.resp, t.leadDD, t.respDD} {
			w.slice(u32bytes(l))
		}
	}
	w.u64(uint64(len(ix.vecs)))
	w.align(vectorAlign)
	// Vectors that lie in a mapped file need not stay resident once
	// written: every vector is read here once, and at a million tasks they
	// are 1.3 GB.
	for d, v := range ix.vecs {
		w.raw(f32bytes(v))
		if d%16384 == 16383 {
			ix.dropMappedPages()
		}
	}
	ix.dropMappedPages()
	if w.err == nil {
		w.err = w.w.Flush()
	}
	if w.err != nil {
		tmp.Close()
		return fmt.Errorf("write snapshot: %w", w.err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	ix.snap.set(written.stamped())
	return nil
}

// dropMappedPages lets the system take back the resident pages of the
// mappings the vectors and keyword arrays lie in; they are read from the
// page cache again when a search touches them.
func (ix *Index) dropMappedPages() {
	for _, b := range ix.fileMaps {
		dropPages(b)
	}
}

// snapState is what an index knows of the snapshot file on disk: where
// each chunk of notices lies and which notices it holds. It is shared by
// an index and the ones updated from it, so that the next Save copies the
// chunks no notice of which changed.
type snapState struct {
	mu   sync.Mutex
	file *snapFile
}

type snapFile struct {
	path    string
	size    int64
	modTime int64
	chunks  []snapChunk
	copied  int      // chunks the Save that wrote it copied from the file before
	f       *os.File // open while a Save copies from it
}

// snapChunk is one chunk of notices in a snapshot file: its bytes at
// [off, off+size), and the notices it holds.
type snapChunk struct {
	off, size int64
	notices   []*corpus.Notice
}

// stamped records the file's size and time, by which reusable tells the
// file is still the one described.
func (f *snapFile) stamped() *snapFile {
	info, err := os.Stat(f.path)
	if err != nil {
		return nil
	}
	f.size, f.modTime = info.Size(), info.ModTime().UnixNano()
	return f
}

func (st *snapState) set(f *snapFile) {
	if st == nil {
		return
	}
	st.mu.Lock()
	st.file = f
	st.mu.Unlock()
}

// reusable returns the snapshot on disk at path, opened, when it is the
// one this state describes, written with the same number of chunks; nil
// otherwise (none, or another program wrote it since).
func (st *snapState) reusable(path string, chunks int) *snapFile {
	if st == nil {
		return nil
	}
	st.mu.Lock()
	sf := st.file
	st.mu.Unlock()
	if sf == nil || sf.path != path || len(sf.chunks) != chunks {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	info, err := f.Stat()
	if err != nil || info.Size() != sf.size || info.ModTime().UnixNano() != sf.modTime {
		f.Close()
		return nil
	}
	cp := *sf
	cp.f = f
	return &cp
}

// LoadSnapshot reads the index snapshot under opt.DataDir for the corpus
// folder dir. fresh says whether the folder is as the snapshot saw it; a
// stale index is still whole, and serves as prev for Update after its
// corpus' Reload, which then reads and embeds only what changed.
// ErrNoSnapshot (wrapped) says there is none to read for dir.
func LoadSnapshot(ctx context.Context, dir string, opt Options) (ix *Index, fresh bool, err error) {
	began := time.Now()
	if opt.Embedder == nil {
		opt.Embedder = NewHashEmbedder(DefaultDim)
	}
	if opt.DataDir == "" || dir == "" {
		return nil, false, ErrNoSnapshot
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, false, err
	}
	f, err := os.Open(SnapshotPath(opt.DataDir, opt.Embedder.Model()))
	if err != nil {
		return nil, false, fmt.Errorf("%w: %v", ErrNoSnapshot, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, false, err
	}
	r := &snapReader{r: bufio.NewReaderSize(f, 1<<20), f: f, size: info.Size(), left: info.Size()}
	if !r.header(opt.Embedder.Model()) {
		return nil, false, fmt.Errorf("%w: written by another version, parser or model", ErrNoSnapshot)
	}
	var meta snapshotMeta
	r.gob(&meta)
	if r.err != nil || meta.Dir != abs {
		return nil, false, fmt.Errorf("%w: snapshot of %s (%v)", ErrNoSnapshot, meta.Dir, r.err)
	}
	fresh = unchanged(abs, meta)
	// Notices: chunks decoded side by side straight from the file while
	// the rest is read; no chunk's bytes are held in memory whole.
	read := &snapFile{path: f.Name(), size: info.Size(), modTime: info.ModTime().UnixNano(), chunks: make([]snapChunk, meta.Chunks)}
	for k := range read.chunks {
		size := int64(r.u64())
		off := info.Size() - r.left
		r.skip(size)
		read.chunks[k] = snapChunk{off: off, size: size}
	}
	decoded := make([][]*corpus.Notice, meta.Chunks)
	errs := make([]error, meta.Chunks)
	done := make(chan struct{})
	if r.err == nil {
		go func() {
			defer close(done)
			parallel(meta.Chunks, func(k int) {
				c := read.chunks[k]
				b := make([]byte, c.size)
				if _, err := f.ReadAt(b, c.off); err != nil {
					errs[k] = err
					return
				}
				decoded[k], errs[k] = corpus.DecodeNotices(b)
			})
		}()
	} else {
		close(done)
	}
	ix = &Index{embedder: opt.Embedder, dataDir: opt.DataDir, Stats: meta.Stats}
	ix.setSearch(opt)
	ix.start = readU32(r)
	ix.readKeyword(r, &ix.fileMaps)
	n := int(r.u64())
	if n != len(ix.kw.docLen) || len(ix.kw.first) == 0 || int(ix.kw.first[len(ix.kw.first)-1]) != len(ix.start)-1 || r.err != nil {
		<-done
		return nil, false, fmt.Errorf("%w: damaged (%v)", ErrNoSnapshot, r.err)
	}
	ends := readU32(r)
	lines := r.bytes()
	if len(ends) != n || (n > 0 && int(ends[n-1]) != len(lines)) {
		r.fail(errors.New("listing lines"))
	} else {
		ix.summary = make([]string, n)
		from := uint32(0)
		for i, end := range ends {
			if end < from {
				r.fail(errors.New("listing lines"))
				break
			}
			if end > from {
				ix.summary[i] = unsafe.String(&lines[from], end-from)
			}
			from = end
		}
	}
	ix.units = map[string]*unitTable{}
	for u := int(r.u64()); u > 0 && r.err == nil; u-- {
		name := r.str()
		ix.units[name] = &unitTable{lead: readU32(r), resp: readU32(r), leadDD: readU32(r), respDD: readU32(r)}
	}
	if int(r.u64()) != n || int64(n)*int64(meta.Dim)*4 > r.left {
		r.fail(errors.New("vectors"))
	}
	if pad := r.u64(); pad < vectorAlign && r.err == nil {
		r.raw(make([]byte, pad))
	} else {
		r.fail(errors.New("vector padding"))
	}
	var block []float32
	if r.err == nil {
		// The vectors stay in the file: mapped, not copied into the heap,
		// where the system allows; else read.
		size := int64(n) * int64(meta.Dim) * 4
		if b, err := mapFile(f, info.Size()-r.left, size); err == nil && size > 0 {
			block = unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), n*meta.Dim)
			ix.fileMaps = append(ix.fileMaps, b)
		} else {
			block = make([]float32, n*meta.Dim)
			r.raw(f32bytes(block))
		}
	}
	<-done
	if r.err != nil {
		return nil, false, fmt.Errorf("%w: damaged (%v)", ErrNoSnapshot, r.err)
	}
	var notices []*corpus.Notice
	for k, chunk := range decoded {
		if errs[k] != nil {
			return nil, false, fmt.Errorf("%w: notices: %v", ErrNoSnapshot, errs[k])
		}
		// Chunk k holds notices k, k+chunks, …
		for j, nt := range chunk {
			for len(notices) <= k+j*meta.Chunks {
				notices = append(notices, nil)
			}
			notices[k+j*meta.Chunks] = nt
		}
	}
	if len(ix.start) != len(notices)+1 || ix.start[len(notices)] != uint32(n) || slices.Contains(notices, nil) {
		return nil, false, fmt.Errorf("%w: damaged (notices)", ErrNoSnapshot)
	}
	for k := range read.chunks {
		for i := k; i < len(notices); i += meta.Chunks {
			read.chunks[k].notices = append(read.chunks[k].notices, notices[i])
		}
	}
	ix.snap = &snapState{file: read}
	stamps := make(map[string]corpus.FileStamp, len(meta.Files))
	for _, s := range meta.Files {
		stamps[s.Name] = corpus.FileStamp{Size: s.Size, ModTime: s.ModTime}
	}
	ix.Corpus = corpus.Restore(abs, opt.DataDir, notices, meta.Report, stamps, time.Unix(0, meta.WrittenAt))
	ix.notices = notices
	for i := 1; i < len(ix.start); i++ {
		if ix.start[i] < ix.start[i-1] {
			return nil, false, fmt.Errorf("%w: damaged (entry starts)", ErrNoSnapshot)
		}
	}
	// The entries, listed side by side into their places.
	ix.Entries = make([]*Entry, n)
	var differ atomic.Int64
	differ.Store(-1)
	parallel(len(notices), func(i int) {
		es, _, _ := listEntries(notices[i], false)
		if uint32(len(es)) != ix.start[i+1]-ix.start[i] {
			differ.Store(int64(i))
			return
		}
		copy(ix.Entries[ix.start[i]:], es)
	})
	if i := differ.Load(); i >= 0 {
		return nil, false, fmt.Errorf("%w: entries of %s differ", ErrNoSnapshot, notices[i].Doc)
	}
	ix.vecs = make([][]float32, n)
	for i := range ix.vecs {
		ix.vecs[i] = block[i*meta.Dim : (i+1)*meta.Dim : (i+1)*meta.Dim]
	}
	ix.setByDoc()
	ix.kinds = make([]uint8, n)
	ix.noticeOf = make([]uint32, n)
	for i := range notices {
		for d := ix.start[i]; d < ix.start[i+1]; d++ {
			e := ix.Entries[d]
			ix.kinds[d] = kindBit(e.Kind)
			ix.noticeOf[d] = uint32(i)
		}
	}
	// The tables questions are read against, now rather than in the first
	// question's time.
	unitNames(ix)
	ix.noticeNames()
	if ix.needsGlobal() {
		if _, err := ix.collection(ctx); err != nil {
			return nil, false, err
		}
	}
	ix.Stats.Embedded, ix.Stats.Reused = 0, n
	ix.Stats.Took = time.Since(began)
	return ix, fresh, nil
}

// unchanged reports whether the corpus folder holds the files the
// snapshot was made from, as they were. A file whose size or modification
// time differs — or whose time is too near the snapshot's to tell a later
// write in the same tick — is read and compared by content hash.
func unchanged(dir string, meta snapshotMeta) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	byName := make(map[string]fileStamp, len(meta.Files))
	for _, s := range meta.Files {
		byName[s.Name] = s
	}
	seen := 0
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		s, ok := byName[e.Name()]
		if !ok {
			return false
		}
		seen++
		info, err := e.Info()
		if err != nil {
			return false
		}
		mod := info.ModTime().UnixNano()
		if info.Size() == s.Size && mod == s.ModTime && mod < meta.WrittenAt-int64(2*time.Second) {
			continue
		}
		if s.Hash == "" {
			return false
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return false
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != s.Hash {
			return false
		}
	}
	return seen == len(meta.Files)
}

// snapWriter writes a snapshot, keeping the first error.
type snapWriter struct {
	w   *bufio.Writer
	n   int64 // bytes written
	err error
}

func (w *snapWriter) raw(b []byte) {
	if w.err == nil {
		_, w.err = w.w.Write(b)
		w.n += int64(len(b))
	}
}

// align writes the length of a padding, then the padding, so that what
// follows starts at a multiple of a bytes.
func (w *snapWriter) align(a int64) {
	pad := (a - (w.n+8)%a) % a
	w.u64(uint64(pad))
	w.raw(make([]byte, pad))
}

func (w *snapWriter) u64(x uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], x)
	w.raw(b[:])
}

func (w *snapWriter) str(s string) {
	w.u64(uint64(len(s)))
	if w.err == nil {
		_, w.err = w.w.WriteString(s)
		w.n += int64(len(s))
	}
}

// slice writes the bytes of an array with their length.
func (w *snapWriter) slice(b []byte) {
	w.u64(uint64(len(b)))
	w.raw(b)
}

func (w *snapWriter) gob(v any) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil && w.err == nil {
		w.err = err
	}
	w.slice(buf.Bytes())
}

func (w *snapWriter) header(model string) {
	w.raw([]byte(snapshotMagic))
	w.u64(snapshotVersion)
	w.str(corpus.ParserVersion)
	w.str(model)
	order := "little"
	if !littleEndian {
		order = "big"
	}
	w.str(order)
}

// snapReader reads a snapshot, keeping the first error and never asking
// for more bytes than the file has left.
type snapReader struct {
	r    *bufio.Reader
	f    *os.File // what r reads, for skip
	size int64    // of the file
	left int64
	err  error
}

func (r *snapReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *snapReader) raw(b []byte) {
	if r.err != nil {
		return
	}
	if int64(len(b)) > r.left {
		r.fail(io.ErrUnexpectedEOF)
		return
	}
	_, err := io.ReadFull(r.r, b)
	r.left -= int64(len(b))
	r.fail(err)
}

// skip passes over n bytes without reading them: the file is sought past
// them (ReadAt of other readers is not disturbed).
func (r *snapReader) skip(n int64) {
	if r.err != nil {
		return
	}
	if n < 0 || n > r.left {
		r.fail(io.ErrUnexpectedEOF)
		return
	}
	if _, err := r.f.Seek(r.size-r.left+n, io.SeekStart); err != nil {
		r.fail(err)
		return
	}
	r.r.Reset(r.f)
	r.left -= n
}

func (r *snapReader) u64() uint64 {
	var b [8]byte
	r.raw(b[:])
	return binary.LittleEndian.Uint64(b[:])
}

// mapped reads an array of elements of size bytes written by
// snapWriter.align(8) and snapWriter.slice: mapped read-only where it lies
// in the file (the mapping is added to maps), or read into memory where
// files cannot be mapped.
func (r *snapReader) mapped(size int, maps *[][]byte) []byte {
	if pad := r.u64(); pad < 8 && r.err == nil {
		r.raw(make([]byte, pad))
	} else {
		r.fail(errors.New("array padding"))
	}
	n := r.length(size)
	if r.err != nil {
		return nil
	}
	off := r.size - r.left
	if n > 0 && mapsFiles && off%8 == 0 {
		if b, err := mapFile(r.f, off, int64(n)); err == nil {
			r.skip(int64(n))
			*maps = append(*maps, b)
			return b
		}
	}
	return r.body(n, size)
}

// length reads the length of an array of elements of size bytes.
func (r *snapReader) length(size int) uint64 {
	n := r.u64()
	if r.err != nil || int64(n) > r.left || n%uint64(size) != 0 {
		r.fail(errors.New("bad array length"))
		return 0
	}
	return n
}

// slice reads an array of elements of size bytes written by
// snapWriter.slice, into memory aligned for them.
func (r *snapReader) slice(size int) []byte {
	n := r.length(size)
	if r.err != nil {
		return nil
	}
	return r.body(n, size)
}

// body reads the n bytes of an array of elements of size bytes into
// memory aligned for them.
func (r *snapReader) body(n uint64, size int) []byte {
	var b []byte
	switch size {
	case 4:
		b = u32bytes(make([]uint32, n/4))
	case 8:
		b = u64bytes(make([]uint64, n/8))
	default:
		b = make([]byte, n)
	}
	r.raw(b)
	return b
}

func (r *snapReader) bytes() []byte { return r.slice(1) }

func (r *snapReader) str() string { return string(r.bytes()) }

func (r *snapReader) gob(v any) {
	b := r.bytes()
	if r.err == nil {
		r.fail(gob.NewDecoder(bytes.NewReader(b)).Decode(v))
	}
}

func (r *snapReader) header(model string) bool {
	magic := make([]byte, len(snapshotMagic))
	r.raw(magic)
	if r.err != nil || string(magic) != snapshotMagic || r.u64() != snapshotVersion {
		return false
	}
	order := "little"
	if !littleEndian {
		order = "big"
	}
	return r.str() == corpus.ParserVersion && r.str() == model && r.str() == order && r.err == nil
}

// The arrays of an index, viewed as bytes (and back) without copying.

func u32bytes(s []uint32) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 4*len(s))
}

func u64bytes(s []uint64) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 8*len(s))
}

func f32bytes(s []float32) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 4*len(s))
}

func readU32(r *snapReader) []uint32 { return asU32(r.slice(4)) }

func asU32(b []byte) []uint32 {
	if len(b) == 0 {
		return []uint32{}
	}
	return unsafe.Slice((*uint32)(unsafe.Pointer(&b[0])), len(b)/4)
}

func asU64(b []byte) []uint64 {
	if len(b) == 0 {
		return []uint64{}
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), len(b)/8)
}

func asF32(b []byte) []float32 {
	if len(b) == 0 {
		return []float32{}
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), len(b)/4)
}
