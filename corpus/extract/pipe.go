package extract

import "strings"

// pipeRow writes one table row as the parser reads it (corpus/table.go):
// "| a | b | c |". Whitespace inside a cell collapses to single spaces, a
// "|" in the text becomes a full-width "｜" so it cannot split the cell,
// and an empty cell stays an empty cell ("|  |"). A row with no text at
// all carries nothing and comes out as "".
func pipeRow(cells []string) string {
	var b strings.Builder
	empty := true
	b.WriteString("|")
	for _, c := range cells {
		c = strings.Join(strings.Fields(strings.ReplaceAll(c, "|", "｜")), " ")
		if c != "" {
			empty = false
		}
		b.WriteString(" ")
		b.WriteString(c)
		b.WriteString(" |")
	}
	if empty {
		return ""
	}
	return b.String()
}
