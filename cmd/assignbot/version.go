package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// The release stamp. scripts/release sets these with -ldflags -X; a plain
// go build leaves them empty and version falls back to what the Go
// toolchain recorded (the module version and the VCS revision).
var (
	version = ""
	commit  = ""
	date    = ""
)

// stamp is the version line: what an operator quotes when reporting a
// problem, and what tells two binaries apart on a server. v, c and d are
// the linker's stamp; what is empty comes from the build info.
func stamp(v, c, d string) string {
	stamped := v != ""
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if c == "" {
					c = s.Value
				}
			case "vcs.time":
				if d == "" {
					d = s.Value
				}
			case "vcs.modified":
				if s.Value == "true" && !stamped {
					c += "-dirty"
				}
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	if c == "" {
		c = "unknown"
	}
	if d == "" {
		d = "unknown"
	}
	return fmt.Sprintf("assignbot %s (commit %s, built %s, %s %s/%s)", v, c, d, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func cmdVersion(stdout io.Writer) error {
	_, err := fmt.Fprintln(stdout, stamp(version, commit, date))
	return err
}
