package retrieval

import (
	"strings"

	"github.com/assignbot/assignbot/corpus"
)

// A topic is searched as the characters and pairs of characters of its
// runs of Han, since no segmenter is at hand. Where two words meet
// ("试点业务落地": 点业, 务落), the pair across them is no word; when no
// entry holds it, it can only lower every entry's coverage alike, and a
// wordy question ("推进数字人民币试点业务落地，相关责任部门都有哪些") then
// finds nothing. splitJunctions cuts a run there. A pair no entry holds
// that is not such a junction — a name (中英国际产业园: 中英) — stays, so
// that a name the notices do not know still keeps a question from being
// answered about another.

// bigramDF is how many entries hold a pair of characters.
func (ix *Index) bigramDF(a, b rune) int {
	return ix.termDF(bigramBit | uint64(a)<<21 | uint64(b))
}

// splitJunctions puts a space where a run of Han crosses from one known
// word to another through a pair no entry holds.
func (ix *Index) splitJunctions(topic string) string {
	if len(ix.kw.docLen) == 0 {
		return topic
	}
	rs := []rune(corpus.Normalize(topic))
	known := make([]bool, len(rs)) // known[i]: rs[i], rs[i+1] is a pair some entry holds
	for i := 0; i+1 < len(rs); i++ {
		known[i] = corpus.IsHan(rs[i]) && corpus.IsHan(rs[i+1]) && ix.bigramDF(rs[i], rs[i+1]) > 0
	}
	var b strings.Builder
	for i, r := range rs {
		b.WriteRune(r)
		if i+1 >= len(rs) || known[i] || !corpus.IsHan(r) || !corpus.IsHan(rs[i+1]) {
			continue
		}
		// rs[i] ends a known pair and rs[i+1] starts one: a junction.
		if i > 0 && known[i-1] && i+2 < len(rs) && known[i+1] {
			b.WriteRune(' ')
		}
	}
	return b.String()
}
