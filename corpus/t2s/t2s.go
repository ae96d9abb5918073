// Package t2s folds Traditional Chinese characters to Simplified, one
// character at a time, from Unicode's Unihan data (kSimplifiedVariant).
// It is meant for matching, for canonical unit names and for judging a
// decoding; answers quote the original text, so character-level folding
// is all it needs.
package t2s

//go:generate go run gen.go -in /usr/share/unicode/Unihan_Variants.txt.bz2 -out table.go

import "strings"

// table maps a Traditional character of the BMP to its Simplified form
// (0: no change), built once from the generated pairs. An array rather
// than a map: folding runs over every character of every notice.
var table = func() *[0x10000]uint16 {
	var t [0x10000]uint16
	for _, p := range pairs {
		t[p[0]] = p[1]
	}
	return &t
}()

// Rune returns the Simplified form of r and whether it differs.
func Rune(r rune) (rune, bool) {
	if r >= 0 && r < 0x10000 {
		if s := table[r]; s != 0 {
			return rune(s), true
		}
	}
	return r, false
}

// String folds every Traditional character of s to its Simplified form.
func String(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r, _ = Rune(r)
		b.WriteRune(r)
	}
	return b.String()
}
