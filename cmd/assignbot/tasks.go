package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/assignbot/assignbot/corpus"
)

func cmdTasks(_ context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("tasks", flag.ContinueOnError)
	fs.SetOutput(stdout)
	dir := corpusFlag(fs, getenv)
	asJSON := fs.Bool("json", false, "print one JSON array of tasks")
	unit := fs.String("unit", "", "only tasks this unit leads or is responsible for (any of its names)")
	doc := fs.String("doc", "", "only notices whose file name starts with this prefix")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	c, err := loadCorpus(*dir)
	if err != nil {
		return err
	}
	var tasks []*corpus.Task
	want := ""
	if *unit != "" {
		want = c.Directory.Canonical(*unit)
	}
	for _, t := range c.Tasks() {
		if *doc != "" && !strings.HasPrefix(t.Doc, *doc) {
			continue
		}
		if want != "" && !hasUnit(c.Directory, t, want) {
			continue
		}
		tasks = append(tasks, t)
	}
	if *asJSON {
		if tasks == nil {
			tasks = []*corpus.Task{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(tasks)
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DOC\tREF\tLEAD\tRESPONSIBLE\tTASK")
	for _, t := range tasks {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", shortDoc(t.Doc), t.Ref, dash(strings.Join(t.LeadUnits, "、")),
			dash(clip(strings.Join(t.ResponsibleUnits, "、"), 30)), clip(firstLine(t.Text), 40))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%d tasks\n", len(tasks))
	return nil
}

func hasUnit(dir *corpus.Directory, t *corpus.Task, canon string) bool {
	for _, u := range t.Units() {
		if dir.Canonical(u) == canon {
			return true
		}
	}
	for _, cl := range t.Clauses {
		for _, u := range append(append([]string(nil), cl.LeadUnits...), cl.ResponsibleUnits...) {
			if dir.Canonical(u) == canon {
				return true
			}
		}
	}
	return false
}

func shortDoc(doc string) string {
	if i := strings.IndexByte(doc, '_'); i > 0 {
		return doc[:i]
	}
	return doc
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// clip shortens s to n characters with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func cmdReport(_ context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stdout)
	dir := corpusFlag(fs, getenv)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	c, err := loadCorpus(*dir)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(c.Report)
	}
	for _, f := range c.Report.Files {
		if f.Status == "loaded" {
			members := ""
			if f.Members > 0 {
				members = fmt.Sprintf(", %d in leading groups", f.Members)
			}
			fmt.Fprintf(stdout, "loaded   %s  (%s, %s, %d tasks%s)\n", f.Name, f.Format, f.Encoding, f.Tasks, members)
		} else {
			fmt.Fprintf(stdout, "skipped  %s  — %s\n", f.Name, f.Reason)
		}
		for _, a := range f.Alerts {
			fmt.Fprintf(stdout, "         ! %s\n", a)
		}
		for _, w := range f.Warnings {
			fmt.Fprintf(stdout, "         · %s\n", w)
		}
	}
	r := c.Report
	fmt.Fprintf(stdout, "\n%d notices, %d tasks, %d skipped, %d alerts, %d warnings, %s\n", r.Notices, r.Tasks, r.Skipped, r.Alerts, r.Warnings, r.Took.Round(1000))
	return nil
}
