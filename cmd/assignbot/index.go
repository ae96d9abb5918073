package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

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

// build loads the corpus and builds its index, reporting progress on a
// terminal.
func (c *indexConfig) build(ctx context.Context, stderr io.Writer, progress bool) (*retrieval.Index, error) {
	corp, err := loadCorpusCached(*c.corpus, *c.data)
	if err != nil {
		return nil, err
	}
	corp = withModelTasks(ctx, corp, c.getenv, *c.data)
	opt := retrieval.Options{DataDir: *c.data, Embedder: embedderFromEnv(c.getenv)}
	if progress {
		opt.Progress = progressBar(stderr)
	}
	return retrieval.Build(ctx, corp, opt)
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
