package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

// indexConfig is what every command that builds an index needs.
type indexConfig struct {
	corpus *string
	data   *string
	getenv func(string) string
}

func addIndexFlags(fs *flag.FlagSet, getenv func(string) string) *indexConfig {
	return &indexConfig{
		corpus: corpusFlag(fs, getenv),
		data:   fs.String("data", envOr(getenv, "DATA_DIR", "data"), "folder for the index and caches (default: DATA_DIR, else ./data)"),
		getenv: getenv,
	}
}

// build opens the index: from its snapshot under the data folder when the
// corpus folder is unchanged since; else it loads the corpus (re-reading
// only changed files when there is a snapshot to start from), updates the
// index and writes the snapshot for the next start.
func (c *indexConfig) build(ctx context.Context, stderr io.Writer, progress bool) (*retrieval.Index, error) {
	opt := retrieval.Options{DataDir: *c.data, Embedder: embedderFromEnv(c.getenv)}
	if progress {
		opt.Progress = progressBar(stderr)
	}
	guardMemory(*c.corpus, *c.data, opt)
	var prev *retrieval.Index
	if *c.corpus != "" && *c.data != "" {
		ix, fresh, err := retrieval.LoadSnapshot(ctx, *c.corpus, opt)
		switch {
		case err == nil && fresh:
			return ix, nil
		case err == nil:
			prev = ix
		case !errors.Is(err, retrieval.ErrNoSnapshot):
			fmt.Fprintln(stderr, "index snapshot not read:", err)
		}
	}
	var corp *corpus.Corpus
	var err error
	if prev != nil {
		corp, err = prev.Corpus.Reload()
	} else {
		corp, err = loadCorpusCached(*c.corpus, *c.data)
	}
	if err != nil {
		return nil, err
	}
	if corp.Report.CacheError != "" {
		fmt.Fprintln(stderr, "parse cache not saved:", corp.Report.CacheError)
	}
	corp = withModelTasks(ctx, corp, c.getenv, *c.data)
	ix, err := retrieval.Update(ctx, prev, corp, opt)
	if err != nil {
		return nil, err
	}
	prev = nil
	runtime.GC() // the build's garbage goes before anything else is asked of the heap
	if err := ix.Save(); err != nil {
		fmt.Fprintln(stderr, "index snapshot not saved:", err)
	}
	return ix, nil
}

// guardMemory sets a soft memory limit (GOMEMLIMIT, unless the environment
// sets one) from the size of the data: the index snapshot, or the corpus
// folder when there is none yet. It is a guard against a runaway heap, not
// what keeps the heap small.
func guardMemory(corpusDir, dataDir string, opt retrieval.Options) {
	if os.Getenv("GOMEMLIMIT") != "" || corpusDir == "" {
		return
	}
	model := retrieval.NewHashEmbedder(retrieval.DefaultDim).Model()
	if opt.Embedder != nil {
		model = opt.Embedder.Model()
	}
	var limit int64
	// An index read from its snapshot holds less than the snapshot's size
	// in the heap (its vectors stay in the file, mapped); a build holds at
	// most some ten times its corpus' text (its vectors spilled to a
	// mapped file; 408 MB at 120k tasks, 34 MB of text). The limit leaves
	// a little room above that: at a million tasks it keeps `index` from
	// nothing, `ask` and `serve` under 4 GB.
	if info, err := os.Stat(retrieval.SnapshotPath(dataDir, model)); err == nil {
		limit = info.Size()
	} else if entries, err := os.ReadDir(corpusDir); err == nil {
		var size int64
		for _, e := range entries {
			if info, err := e.Info(); err == nil && !e.IsDir() {
				size += info.Size()
			}
		}
		limit = 11 * size
	}
	debug.SetMemoryLimit(256<<20 + limit)
}

// answerer builds the index and the answerer (offline, or with the LLM the
// environment configures).
func (c *indexConfig) answerer(ctx context.Context, stderr io.Writer) (*retrieval.Answerer, error) {
	ix, err := c.build(ctx, stderr, false)
	if err != nil {
		return nil, err
	}
	return retrieval.NewAnswerer(ix, completerFromEnv(c.getenv)), nil
}

func cmdIndex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := addIndexFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	ix, err := cfg.build(ctx, stderr, isTerminal(os.Stderr))
	if err != nil {
		return err
	}
	s := ix.Stats
	r := ix.Corpus.Report
	fmt.Fprintf(stdout, "notices   %d loaded, %d skipped\n", r.Notices, r.Skipped)
	fmt.Fprintf(stdout, "tasks     %d (%d searchable entries)\n", s.Tasks, s.Entries)
	fmt.Fprintf(stdout, "changes   %d new, %d changed, %d removed since the last build\n", len(s.Added), len(s.Changed), len(s.Removed))
	for _, l := range []struct {
		what  string
		names []string
	}{{"new", s.Added}, {"changed", s.Changed}, {"removed", s.Removed}} {
		if len(l.names) > 0 && len(l.names) <= 20 {
			fmt.Fprintf(stdout, "          %s: %s\n", l.what, strings.Join(l.names, ", "))
		}
	}
	fmt.Fprintf(stdout, "vectors   %d computed, %d reused (model %s)\n", s.Embedded, s.Reused, s.Model)
	fmt.Fprintf(stdout, "time      %s\n", s.Took.Round(time.Millisecond))
	for _, f := range r.Files {
		if f.Status != "loaded" {
			fmt.Fprintf(stdout, "skipped   %s — %s\n", f.Name, f.Reason)
		}
		for _, a := range f.Alerts {
			fmt.Fprintf(stdout, "check     %s — %s\n", f.Name, a)
		}
	}
	return nil
}

// progressBar draws a one-line bar on a terminal.
func progressBar(w io.Writer) func(done, total int) {
	return func(done, total int) {
		if total == 0 {
			return
		}
		const width = 30
		n := done * width / total
		fmt.Fprintf(w, "\rembedding [%s%s] %d/%d", strings.Repeat("=", n), strings.Repeat(" ", width-n), done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}
