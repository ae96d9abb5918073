package corpus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/assignbot/assignbot/corpus/extract"
)

// Corpus is a loaded folder of notices with the unit directory built from
// them and the report of the load.
type Corpus struct {
	Dir       string
	Notices   []*Notice
	Directory *Directory
	Report    Report

	cacheDir   string
	stamps     map[string]FileStamp // regular files' stamps when they were read
	readAt     int64                // UnixNano when the load began
	stampMu    sync.Mutex
	opts       loadOptions        // kept for Reload
	prev       *Corpus            // the load this one reuses notices from
	prevByName map[string]int     // file name → index in prev.Report.Files
	prevNotice map[string]*Notice // file name → prev's notice
	reused     map[*Notice]bool
}

// Option changes how a folder is loaded; Reload keeps the options of the
// load it reloads.
type Option func(*loadOptions)

type loadOptions struct {
	onFile func(name string, n *Notice)
}

// OnFile calls f after each file is read, from the loader's workers, with
// the file's notice (nil when the file was skipped). It is there for
// progress reports and for tests: a panic in f costs that file only, as a
// panic in the parser does.
func OnFile(f func(name string, n *Notice)) Option {
	return func(o *loadOptions) { o.onFile = f }
}

func optionsOf(opts []Option) loadOptions {
	var o loadOptions
	for _, f := range opts {
		f(&o)
	}
	return o
}

// fromPrev returns the previous load's notice for a file whose bytes are
// unchanged.
func (c *Corpus) fromPrev(key, name string) (*Notice, FileReport, bool) {
	if c.prev == nil {
		return nil, FileReport{}, false
	}
	i, ok := c.prevByName[name]
	if !ok || c.prev.Report.Files[i].Hash != key || c.prev.Report.Files[i].Status != "loaded" {
		return nil, FileReport{}, false
	}
	n, ok := c.prevNotice[name]
	return n, c.prev.Report.Files[i], ok
}

// FileStamp is a corpus file's size and modification time (UnixNano) as
// they were when the load read it.
type FileStamp struct{ Size, ModTime int64 }

// Stamp returns the stamp of a file as this load read it: what an index
// snapshot records to tell later whether the file changed. It is the stamp
// of the bytes the notice was parsed from, not of the file now.
func (c *Corpus) Stamp(name string) (FileStamp, bool) {
	c.stampMu.Lock()
	defer c.stampMu.Unlock()
	s, ok := c.stamps[name]
	return s, ok
}

// ReadAt is when the load began: a file whose modification time is not
// well before it may have changed while it was read.
func (c *Corpus) ReadAt() time.Time { return time.Unix(0, c.readAt) }

// stampSlack is how near to a load's start a modification time must not
// be for the file to count as unchanged by its stamp alone: file systems
// keep times coarser than the clock.
const stampSlack = int64(2 * time.Second)

// unchangedSince reports whether the file of e is, by size and time, the
// one the previous load read: then it is not read again.
func (c *Corpus) unchangedSince(e fs.DirEntry, info fs.FileInfo) bool {
	if c.prev == nil || info == nil || !e.Type().IsRegular() {
		return false
	}
	s, ok := c.prev.Stamp(e.Name())
	mod := info.ModTime().UnixNano()
	return ok && s.Size == info.Size() && s.ModTime == mod && mod < c.prev.readAt-stampSlack
}

// Report says what a load read, skipped and repaired, file by file.
type Report struct {
	Files    []FileReport  `json:"files"`
	Took     time.Duration `json:"took_ns"`
	Notices  int           `json:"notices"`
	Tasks    int           `json:"tasks"`
	Skipped  int           `json:"skipped"`
	Warnings int           `json:"warnings"`
	Alerts   int           `json:"alerts"`
	// CacheError says why the parse cache could not be saved, if it could not.
	CacheError string `json:"cache_error,omitempty"`
}

// FileReport is the outcome of loading one file.
type FileReport struct {
	Name     string   `json:"name"`
	Status   string   `json:"status"` // loaded, skipped
	Reason   string   `json:"reason,omitempty"`
	Encoding string   `json:"encoding,omitempty"`
	Format   string   `json:"format,omitempty"`
	Tasks    int      `json:"tasks"`
	Members  int      `json:"members,omitempty"` // people in the notice's leading groups
	Hash     string   `json:"hash,omitempty"`    // sha256 of the file's bytes
	Warnings []string `json:"warnings,omitempty"`
	// Alerts are what an admin must look at: a notice in which nothing was
	// found, unit markers no rule read.
	Alerts []string `json:"alerts,omitempty"`
}

// Formats the loader reads, by extension.
var formats = map[string]string{
	".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
	".html": "html", ".htm": "html", ".shtml": "html", ".docx": "docx",
	".pdf": "pdf", ".ofd": "ofd", ".xlsx": "xlsx",
}

// MaxFileSize bounds one notice file of a packaged format (.docx, .pdf,
// .ofd, .xlsx); larger files are skipped. Plain text and web pages have
// lower caps (maxSize).
const MaxFileSize = 20 << 20

// maxSize is the size cap for one file of a format. A notice in plain text
// is well under a megabyte; a saved web page with its markup a few.
func maxSize(format string) int64 {
	switch format {
	case "text", "markdown":
		return 4 << 20
	case "html":
		return 8 << 20
	}
	return MaxFileSize
}

// ErrUnsupported marks a file whose format the loader does not read.
var ErrUnsupported = errors.New("unsupported format")

// legacyFormats are office formats people do send, which the loader cannot
// read; the reason names the fix.
var legacyFormats = map[string]string{
	".doc": "old Word format .doc", ".dot": "old Word template .dot", ".wps": "WPS text format .wps",
	".wpt": "WPS template .wpt", ".rtf": "rich text format .rtf", ".odt": "OpenDocument text .odt",
	".xls": "old Excel format .xls", ".et": "WPS spreadsheet .et", ".ods": "OpenDocument spreadsheet .ods",
	".ppt": "PowerPoint .ppt", ".pptx": "PowerPoint .pptx", ".dps": "WPS presentation .dps",
	".ceb": "Apabi .ceb", ".caj": "CAJ .caj",
}

// SupportedExt reports whether the loader reads files with this extension.
// It is the one list of readable formats: uploads accept what it accepts.
func SupportedExt(ext string) bool { _, ok := formats[strings.ToLower(ext)]; return ok }

// SupportedExts lists the extensions the loader reads, sorted, for messages.
func SupportedExts() []string {
	var exts []string
	for e := range formats {
		exts = append(exts, e)
	}
	sort.Strings(exts)
	return exts
}

// unsupportedReason says why a file of this extension is not read, and what
// to do about it.
func unsupportedReason(ext string) string {
	ext = strings.ToLower(ext)
	if kind, ok := legacyFormats[ext]; ok {
		to := ".docx or .pdf"
		switch ext {
		case ".xls", ".et", ".ods":
			to = ".xlsx"
		}
		return fmt.Sprintf("%v: %s cannot be read; save it as %s and add that file", ErrUnsupported, kind, to)
	}
	return fmt.Sprintf("%v %q (want %s)", ErrUnsupported, ext, strings.Join(SupportedExts(), " "))
}

// Load reads every notice in dir (not recursing into folders). A file that
// cannot be read or parsed is skipped and reported; one bad file never
// stops the load. Only a missing or unreadable folder is an error.
func Load(dir string, opts ...Option) (*Corpus, error) {
	if info, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("read corpus: %w", err)
	} else if !info.IsDir() {
		return nil, fmt.Errorf("read corpus: %s is not a folder", dir)
	}
	c, err := loadFS(os.DirFS(dir), ".", dir, nil, nil, optionsOf(opts))
	if err != nil {
		return nil, fmt.Errorf("read corpus %s: %w", dir, err)
	}
	c.Dir = dir
	return c, nil
}

// LoadCached is Load with a cache of parsed notices under cacheDir: a file
// whose bytes are unchanged, read by the same build of the parser, is not
// parsed again. Start-up over a large archive and a reload after one
// changed notice then cost little more than reading the files.
func LoadCached(dir, cacheDir string, opts ...Option) (*Corpus, error) {
	if cacheDir == "" {
		return Load(dir, opts...)
	}
	if info, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("read corpus: %w", err)
	} else if !info.IsDir() {
		return nil, fmt.Errorf("read corpus: %s is not a folder", dir)
	}
	return loadCached(dir, cacheDir, nil, optionsOf(opts))
}

func loadCached(dir, cacheDir string, prev *Corpus, opts loadOptions) (*Corpus, error) {
	cache := openParseCache(cacheDir)
	c, err := loadFS(os.DirFS(dir), ".", dir, cache, prev, opts)
	if err != nil {
		cache.close()
		return nil, fmt.Errorf("read corpus %s: %w", dir, err)
	}
	if len(c.reused) > 0 && aliasSignature(c) != aliasSignature(prev) {
		// A notice that came or went defines a short name: every notice
		// must be resolved again, so none is taken over as it was.
		if c, err = loadFS(os.DirFS(dir), ".", dir, cache, nil, opts); err != nil {
			cache.close()
			return nil, fmt.Errorf("read corpus %s: %w", dir, err)
		}
	}
	c.Dir, c.cacheDir, c.prev, c.prevByName, c.prevNotice = dir, cacheDir, nil, nil, nil
	// Saved before the load returns: after a reload that changed one
	// notice that is one parse and the cache's index.
	if err := cache.save(); err != nil {
		// A cache that cannot be written costs time next start, nothing
		// else; the caller is told (Report.CacheError) and logs it.
		c.Report.CacheError = err.Error()
	}
	return c, nil
}

// Reload reads the corpus folder again. Notices whose files are unchanged
// are taken over from c as they are (the same *Notice, which lets the
// index keep their part too); changed and new files are parsed (or taken
// from the parse cache). c is not modified.
func (c *Corpus) Reload() (*Corpus, error) {
	if c.Dir == "" || c.Dir == "." {
		return nil, errors.New("reload: corpus was not loaded from a folder")
	}
	if info, err := os.Stat(c.Dir); err != nil {
		return nil, fmt.Errorf("read corpus: %w", err)
	} else if !info.IsDir() {
		return nil, fmt.Errorf("read corpus: %s is not a folder", c.Dir)
	}
	return loadCached(c.Dir, c.cacheDir, c, c.opts)
}

// aliasSignature lists the short names the notices define, for telling
// whether a reload changed them.
func aliasSignature(c *Corpus) string {
	var pairs []string
	for _, n := range c.Notices {
		for _, a := range n.Aliases {
			pairs = append(pairs, a.Short+"="+a.Full)
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, ";")
}

// LoadFS is Load over an fs.FS (the embedded samples, or os.DirFS). An
// fs.FS cannot tell where a symbolic link leads, so LoadFS follows none;
// Load, which knows the folder on disk, follows those that stay inside it.
func LoadFS(fsys fs.FS, dir string) (*Corpus, error) {
	return loadFS(fsys, dir, "", nil, nil, loadOptions{})
}

// loadFS reads and parses every file, on every CPU; notices whose bytes the
// cache knows are taken from it instead of being parsed again. root is the
// folder on disk that fsys reads, or "" when there is none.
func loadFS(fsys fs.FS, dir, root string, cache *parseCache, prev *Corpus, opts loadOptions) (*Corpus, error) {
	start := time.Now()
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	c := &Corpus{Dir: dir, Directory: NewDirectory(), reused: map[*Notice]bool{}, opts: opts, stamps: map[string]FileStamp{}, readAt: start.UnixNano()}
	if prev != nil {
		c.prev, c.prevByName, c.prevNotice = prev, map[string]int{}, map[string]*Notice{}
		for i, f := range prev.Report.Files {
			c.prevByName[f.Name] = i
		}
		for _, n := range prev.Notices {
			c.prevNotice[n.Doc] = n
		}
	}
	var files []fs.DirEntry
	for _, e := range entries { // fs.ReadDir sorts by name
		if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			files = append(files, e)
		}
	}
	notices := make([]*Notice, len(files))
	reports := make([]FileReport, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	var reusedMu sync.Mutex
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(files) {
					return
				}
				notices[i], reports[i] = c.loadFileSafely(fsys, dir, root, files[i], cache)
				if n := notices[i]; n != nil && c.prev != nil && c.prevNotice[n.Doc] == n {
					reusedMu.Lock()
					c.reused[n] = true
					reusedMu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for i := range files {
		c.Report.Files = append(c.Report.Files, reports[i])
		if notices[i] != nil {
			c.Notices = append(c.Notices, notices[i])
		}
	}
	c.finish(time.Since(start))
	return c, nil
}

func pathJoin(dir, name string) string {
	if dir == "" || dir == "." {
		return name
	}
	return dir + "/" + name
}

func (c *Corpus) finish(took time.Duration) {
	c.Report.Took = took
	for _, f := range c.Report.Files {
		if f.Status == "loaded" {
			c.Report.Notices++
			c.Report.Tasks += f.Tasks
		} else {
			c.Report.Skipped++
		}
		c.Report.Warnings += len(f.Warnings)
		c.Report.Alerts += len(f.Alerts)
	}
}

// loadFileSafely is loadFile on one of the loader's workers: a panic there
// would end the process, so it costs the file instead, reported as skipped
// with the stack in the log.
func (c *Corpus) loadFileSafely(fsys fs.FS, dir, root string, e fs.DirEntry, cache *parseCache) (n *Notice, fr FileReport) {
	defer func() {
		if r := recover(); r != nil {
			slog.Error("loading a file panicked; the file is skipped", "file", e.Name(), "panic", r, "stack", string(debug.Stack()))
			n, fr = nil, FileReport{Name: e.Name(), Status: "skipped", Reason: fmt.Sprintf("internal error while loading: %v", r)}
		}
	}()
	n, fr = c.loadFile(fsys, dir, root, e, cache)
	if c.opts.onFile != nil {
		c.opts.onFile(e.Name(), n)
	}
	return n, fr
}

func (c *Corpus) loadFile(fsys fs.FS, dir, root string, e fs.DirEntry, cache *parseCache) (*Notice, FileReport) {
	name := e.Name()
	fr := FileReport{Name: name, Status: "skipped"}
	ext := filepath.Ext(name)
	if !SupportedExt(ext) {
		fr.Reason = unsupportedReason(ext)
		return nil, fr
	}
	var info fs.FileInfo
	if root != "" && e.Type().IsRegular() {
		info, _ = e.Info()
	}
	if c.unchangedSince(e, info) {
		// Size and time as the previous load read it, well before that
		// load began: its notice is taken over unread.
		if i, ok := c.prevByName[name]; ok {
			if n, fr, ok := c.fromPrev(c.prev.Report.Files[i].Hash, name); ok {
				c.learnAliases(n)
				if cache != nil {
					cache.keep(name+"\x00"+fr.Hash, n, fr)
				}
				c.stamp(name, info)
				return n, fr
			}
		}
	}
	data, err := readNoticeFile(fsys, dir, root, e, maxSize(formats[strings.ToLower(ext)]))
	if err != nil {
		fr.Reason = err.Error()
		return nil, fr
	}
	c.stamp(name, info) // taken before the read: a write during it shows next time
	if cache == nil && c.prev == nil {
		return c.parseBytes(name, data)
	}
	sum := sha256.Sum256(data)
	key := hex.EncodeToString(sum[:])
	if n, fr, ok := c.fromPrev(key, name); ok {
		c.learnAliases(n)
		if cache != nil {
			cache.keep(name+"\x00"+key, n, fr) // or the save after this reload would drop it
		}
		return n, fr
	}
	if cache == nil {
		return c.parseBytes(name, data)
	}
	key = name + "\x00" + key // the same bytes under two names are two notices
	if n, fr, ok := cache.get(key, name); ok {
		c.learnAliases(n) // n is nil when the file was skipped: the cache keeps its report
		return n, fr
	}
	n, fr := c.parseBytes(name, data)
	if n != nil {
		// As a parse read from the cache is (Storable): the outline is
		// the parser's, and at a million tasks it is hundreds of MB.
		n.Outline = nil
	}
	cache.put(key, n, fr)
	return n, fr
}

// stamp records the stamp of a file read from disk.
func (c *Corpus) stamp(name string, info fs.FileInfo) {
	if info == nil {
		return
	}
	c.stampMu.Lock()
	c.stamps[name] = FileStamp{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
	c.stampMu.Unlock()
}

// learnAliases teaches the directory the short names a notice defines. A
// skipped file has no notice: its cached or previous entry carries only
// the report saying why.
func (c *Corpus) learnAliases(n *Notice) {
	if n == nil {
		return
	}
	for _, a := range n.Aliases {
		c.Directory.Learn(a.Short, a.Full)
	}
}

// ParseFile parses one notice from its bytes, as Load does for each file,
// using and extending the corpus' directory.
func (c *Corpus) ParseFile(name string, data []byte) (*Notice, FileReport) {
	return c.parseBytes(name, data)
}

// ParseFileContext is ParseFile that gives up when ctx is done: the file
// is then skipped with ctx's error as the reason, and reading a PDF stops
// at once rather than running on after its caller has gone.
func (c *Corpus) ParseFileContext(ctx context.Context, name string, data []byte) (*Notice, FileReport) {
	return c.parseBytesContext(ctx, name, data)
}

func (c *Corpus) parseBytes(name string, data []byte) (*Notice, FileReport) {
	return c.parseBytesContext(context.Background(), name, data)
}

func (c *Corpus) parseBytesContext(ctx context.Context, name string, data []byte) (n *Notice, fr FileReport) {
	fr = FileReport{Name: name, Status: "skipped"}
	defer func() {
		// A parser bug must cost one file, not the whole load.
		if r := recover(); r != nil {
			slog.Error("parsing a file panicked; the file is skipped", "file", name, "panic", r, "stack", string(debug.Stack()))
			n = nil
			fr.Status, fr.Reason = "skipped", fmt.Sprintf("internal parser error: %v", r)
		}
	}()
	format, ok := formats[strings.ToLower(filepath.Ext(name))]
	if !ok {
		fr.Reason = unsupportedReason(filepath.Ext(name))
		return nil, fr
	}
	if int64(len(data)) > maxSize(format) {
		fr.Reason = fmt.Sprintf("file too large (%d bytes, limit %d for %s)", len(data), maxSize(format), format)
		return nil, fr
	}
	fr.Format = format
	sum := sha256.Sum256(data)
	fr.Hash = hex.EncodeToString(sum[:])
	doc, err := extract.Text(ctx, format, data)
	fr.Encoding = doc.Encoding // known even for a file with no text
	if err != nil {
		fr.Reason = err.Error()
		return nil, fr
	}
	if err := ctx.Err(); err != nil {
		fr.Reason = err.Error()
		return nil, fr
	}
	fr.Warnings = doc.Warnings
	n = Parse(name, doc.Lines, c.Directory)
	// A page's <title> beats the first paragraph, not a heading that names
	// the notice (关于…的通知).
	if htmlTitle := cleanPageTitle(doc.Title); htmlTitle != "" && !titleRe.MatchString(n.Title) {
		n.Title = htmlTitle
		if r := regionOf(htmlTitle); r != "" {
			n.Region = r
		}
	}
	switch {
	case len(n.Tasks) == 0 && len(n.Groups) == 0:
		fr.Alerts = append(fr.Alerts, "没有找到任务，也没有领导小组：请确认这是分工通知，且写法是解析器能读的")
	case len(n.Tasks) == 0:
		fr.Warnings = append(fr.Warnings, "no numbered tasks with units found (a roster only)")
	}
	for _, u := range n.Unread {
		if u.Line == 0 {
			fr.Alerts = append(fr.Alerts, u.Reason) // about the whole notice
			continue
		}
		fr.Alerts = append(fr.Alerts, fmt.Sprintf("第%d行：%s — %s", u.Line, u.Reason, u.Text))
	}
	fr.Status, fr.Tasks = "loaded", len(n.Tasks)
	for _, g := range n.Groups {
		fr.Members += len(g.Members)
	}
	return n, fr
}

// cleanPageTitle cuts the site's name from a page title: 关于…的通知_广元市人民政府.
func cleanPageTitle(t string) string {
	t = strings.TrimSpace(t)
	for _, sep := range []string{"_", "｜", "|", " - ", "—"} {
		if i := strings.Index(t, sep); i > 0 {
			t = strings.TrimSpace(t[:i])
		}
	}
	if isNoTitle(t) {
		return "" // 全文: the page names nothing
	}
	return cutSiteName(t)
}

// Tasks returns every task of the corpus in notice order.
func (c *Corpus) Tasks() []*Task {
	var ts []*Task
	for _, n := range c.Notices {
		ts = append(ts, n.Tasks...)
	}
	return ts
}
