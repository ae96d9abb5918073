package corpus

//go:generate go run gen_t2s.go -in /usr/share/unicode/Unihan_Variants.txt.bz2 -out t2s_table.go

import (
	"strings"
	"unicode"
)

// t2sTable maps a Traditional character of the BMP to its Simplified form
// (0: no change), built once from the generated pairs. An array rather
// than a map: folding runs over every character of every notice.
var t2sTable = func() *[0x10000]uint16 {
	var t [0x10000]uint16
	for _, p := range t2sPairs {
		t[p[0]] = p[1]
	}
	return &t
}()

// t2s returns the Simplified form of r and whether it differs.
func t2s(r rune) (rune, bool) {
	if r < 0x10000 {
		if s := t2sTable[r]; s != 0 {
			return rune(s), true
		}
	}
	return r, false
}

// ToSimplified folds Traditional characters to Simplified, character by
// character. It is meant for matching and for canonical unit names; answers
// quote the original text.
func ToSimplified(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r, _ = t2s(r)
		b.WriteRune(r)
	}
	return b.String()
}

// foldRune folds one character for matching: full-width ASCII forms become
// half-width, the ideographic space a space, Traditional becomes Simplified,
// every bracket shape becomes a round one and letters are lower-cased.
func foldRune(r rune) rune {
	if r < 0x80 {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		switch r {
		case '[', '{':
			return '('
		case ']', '}':
			return ')'
		case '~':
			return '-'
		}
		return r
	}
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000 || r == 0xA0:
		return ' '
	}
	switch r {
	case '〔', '［', '[', '【', '〈', '〖', '｛', '{':
		return '('
	case '〕', '］', ']', '】', '〉', '〗', '｝', '}':
		return ')'
	case '：':
		return ':'
	case '—', '–', '－', '~', '～':
		return '-'
	case '“', '”', '「', '」', '『', '』':
		return '"'
	case '‘', '’':
		return '\''
	}
	if to, ok := t2s(r); ok {
		return to
	}
	return unicode.ToLower(r)
}

// Normalize returns s folded for matching (see foldRune), with runs of white
// space collapsed to one space. Two spellings of the same text — full-width
// or half-width punctuation, Traditional or Simplified — normalize equal.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		r = foldRune(r)
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// IsHan reports whether r is a CJK ideograph.
func IsHan(r rune) bool { return unicode.Is(unicode.Han, r) }
