package bot

import (
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
