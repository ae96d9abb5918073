// Command gencorpus writes a synthetic corpus of notices for benchmarks,
// recombining the sample notices' tasks, units, numbering styles and
// unit-marker conventions with a fixed seed.
//
//	go run ./cmd/gencorpus -notices 2000 -out /tmp/notices
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/assignbot/assignbot/corpus/corpusgen"
)

func main() {
	notices := flag.Int("notices", 2000, "how many notices")
	tasks := flag.Int("tasks", 50, "tasks per notice")
	seed := flag.Uint64("seed", 1, "random seed; the same seed writes the same corpus")
	out := flag.String("out", "", "folder to write into (required)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "gencorpus: -out DIR is required")
		os.Exit(2)
	}
	names, err := corpusgen.Write(*out, corpusgen.Options{Notices: *notices, TasksPerNotice: *tasks, Seed: *seed})
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d notices (%d tasks each) to %s\n", len(names), *tasks, *out)
}
