package bot

import (
	"slices"
	"sort"
	"strings"

	"github.com/assignbot/assignbot/retrieval"
)

// AnswerUnits lists the units an answer's citations name, longest first,
// so that a channel highlighting them marks 市经济和信息化局 whole, not
// 市经济.
func AnswerUnits(a retrieval.Answer) []string {
	var units []string
	seen := map[string]bool{}
	for _, c := range a.Citations {
		for _, u := range append(append([]string{}, c.LeadUnits...), c.ResponsibleUnits...) {
			if !seen[u] {
				seen[u] = true
				units = append(units, u)
			}
		}
	}
	sort.SliceStable(units, func(i, j int) bool { return len(units[i]) > len(units[j]) })
	return units
}

// MarkUnits wraps each unit name in an escaped line with open and close
// (<b></b> for Telegram, ** for DingTalk). escape is the channel's own
// escaping, applied to the names to find them in the line. Units come
// longest first (AnswerUnits); a name inside one already marked is left
// alone, so 市经济和信息化局 is marked whole.
func MarkUnits(escaped string, units []string, escape func(string) string, open, close string) string {
	if len(units) == 0 {
		return escaped
	}
	marked := make([]bool, len(escaped))
	ends := map[int]int{} // start → end of each marked name
	for _, u := range units {
		eu := escape(u)
		if eu == "" {
			continue
		}
		for off := 0; ; {
			i := strings.Index(escaped[off:], eu)
			if i < 0 {
				break
			}
			s, e := off+i, off+i+len(eu)
			if !slices.Contains(marked[s:e], true) {
				for k := s; k < e; k++ {
					marked[k] = true
				}
				ends[s] = e
			}
			off = e
		}
	}
	var b strings.Builder
	for i := 0; i < len(escaped); {
		if e, ok := ends[i]; ok {
			b.WriteString(open + escaped[i:e] + close)
			i = e
			continue
		}
		b.WriteByte(escaped[i])
		i++
	}
	return b.String()
}

// AnswerBody is the answer's text as plain lines, without the source list
// the answer text may end with: every channel renders the citations
// itself, from a.Citations.
func AnswerBody(a retrieval.Answer) []string {
	var body []string
	for _, line := range strings.Split(strings.TrimSpace(a.Text), "\n") {
		if strings.HasPrefix(line, "来源：") || strings.HasPrefix(line, "Source: ") || strings.HasPrefix(line, "Sources:") {
			continue
		}
		if strings.HasPrefix(line, "[") && a.Source == "llm" {
			continue // the model answer's source list
		}
		body = append(body, line)
	}
	return body
}

// ShowsSources reports whether an answer ends with a 来源 list: a unit
// listing is its own list of tasks.
func ShowsSources(a retrieval.Answer) bool {
	return len(a.Citations) > 0 && a.Intent != retrieval.IntentUnit
}
