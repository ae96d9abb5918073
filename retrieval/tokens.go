package retrieval

import (
	"strings"
	"unicode"

	"github.com/assignbot/assignbot/corpus"
)

// Tokens for keyword search: Chinese is written without spaces and no
// segmenter is available as pure Go from the module proxy, so text is
// indexed as character unigrams and bigrams of the normalized text (which
// also makes Traditional and Simplified match), and ASCII as words.

// contentRune reports characters that carry meaning: ideographs, letters
// and digits.
func contentRune(r rune) bool {
	return corpus.IsHan(r) || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// tokens returns the unigrams and bigrams of Han runs and the words of
// ASCII runs in text, which must be normalized.
func tokens(norm string) []string {
	var out []string
	rs := []rune(norm)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case corpus.IsHan(r):
			out = append(out, string(r))
			if i+1 < len(rs) && corpus.IsHan(rs[i+1]) {
				out = append(out, string(rs[i:i+2]))
			}
			i++
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			j := i
			for j < len(rs) && rs[j] < 0x80 && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '.') {
				j++
			}
			out = append(out, strings.TrimRight(string(rs[i:j]), "."))
			i = j
		default:
			i++
		}
	}
	return out
}

// bigrams returns only the Han bigrams and ASCII words of tokens: the
// tokens that say enough to judge whether a text is about a question.
func bigrams(toks []string) []string {
	var out []string
	for _, t := range toks {
		if len([]rune(t)) >= 2 {
			out = append(out, t)
		}
	}
	return out
}
