package main

import (
	"runtime"
	"strings"
	"testing"
)

// TestVersion: `assignbot version` prints the stamp scripts/release sets
// with -ldflags -X; a plain build says what the toolchain recorded.
func TestVersion(t *testing.T) {
	t.Parallel()
	out, err := runCmd(t, nil, "version")
	if err != nil || !strings.HasPrefix(out, "assignbot ") || !strings.Contains(out, runtime.GOARCH) {
		t.Fatalf("version: %q %v", out, err)
	}
	out = stamp("v1.2.3", "0123abc", "2026-12-06T20:00:00Z")
	want := "assignbot v1.2.3 (commit 0123abc, built 2026-12-06T20:00:00Z, " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	if out != want {
		t.Errorf("version = %q, want %q", out, want)
	}
}
