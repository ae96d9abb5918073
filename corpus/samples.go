package corpus

import (
	"embed"
	"io/fs"
)

//go:embed samples
var samples embed.FS

// Samples is the built-in corpus: five real public notices, used when no
// corpus folder is configured, so that a fresh clone answers questions.
var Samples fs.FS = mustSub(samples, "samples")

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
