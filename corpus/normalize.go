package corpus

import (
	"strings"
	"unicode"

	"github.com/assignbot/assignbot/corpus/t2s"
)

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
	if to, ok := t2s.Rune(r); ok {
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
