package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/assignbot/assignbot/corpus/ledger"
)

// cmdExport writes the 台账 workbook of the corpus, or of the part the
// filters keep, to --out.
func cmdExport(_ context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stdout)
	dir := corpusFlag(fs, getenv)
	var f ledger.Filter
	fs.StringVar(&f.Unit, "unit", "", "only rows this unit leads, is responsible for or guides (any of its names)")
	fs.StringVar(&f.Doc, "doc", "", "only the notice with this file-name prefix or document number (武政办〔2021〕22号)")
	fs.StringVar(&f.Scope, "scope", "", "only notices whose region, issuer, title or document number contains this text")
	fs.StringVar(&f.DueBefore, "due-before", "", "only rows with a deadline on or before this date (YYYY-MM-DD)")
	out := fs.String("out", "", "the .xlsx file to write (required)")
	force := fs.Bool("force", false, "overwrite --out if it exists")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	switch {
	case fs.NArg() > 0:
		return usageError{fmt.Sprintf("export: unexpected argument %q", fs.Arg(0))}
	case *out == "":
		return usageError{"export: --out FILE.xlsx is required"}
	case !strings.EqualFold(filepath.Ext(*out), ".xlsx"):
		return usageError{fmt.Sprintf("export: --out %s: the file name must end in .xlsx", *out)}
	}
	if !*force {
		if _, err := os.Lstat(*out); err == nil {
			return fmt.Errorf("%s exists; use --force to overwrite it", *out)
		}
	}
	c, err := loadCorpus(*dir)
	if err != nil {
		return err
	}
	sel, err := ledger.Select(c, f)
	if err != nil {
		return usageError{"export: " + err.Error()}
	}
	if len(sel.Rows) == 0 {
		return fmt.Errorf("no task matches (%s); nothing written", f)
	}
	size, err := writeNew(*out, *force, func(w io.Writer) error { return ledger.Write(w, sel) })
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d rows (%d tasks) from %d notices, %d bytes\n", *out, len(sel.Rows), sel.Tasks, len(sel.Notices), size)
	return nil
}

// writeNew writes a file through a temporary file in the same folder, so a
// reader never sees half a workbook. Without overwrite an existing file is
// left alone, even one created while the workbook was being written.
func writeNew(path string, overwrite bool, write func(io.Writer) error) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // after a rename or link, removes nothing or the extra name
	bw := bufio.NewWriterSize(tmp, 256<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	st, err := os.Stat(tmp.Name())
	if err != nil {
		return 0, err
	}
	if overwrite {
		return st.Size(), os.Rename(tmp.Name(), path)
	}
	// A hard link fails when path exists, where a rename would replace it.
	switch err := os.Link(tmp.Name(), path); {
	case err == nil:
		return st.Size(), nil
	case errors.Is(err, os.ErrExist):
		return 0, fmt.Errorf("%s exists; use --force to overwrite it", path)
	}
	// No hard links on this file system: check, then rename.
	if _, err := os.Lstat(path); err == nil {
		return 0, fmt.Errorf("%s exists; use --force to overwrite it", path)
	}
	return st.Size(), os.Rename(tmp.Name(), path)
}
