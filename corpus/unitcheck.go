package corpus

import (
	"strings"
	"unicode/utf8"
)

// Units a task names must read as units. Every rule that reads units
// checks its own names, but a rule that reads past where an item ends (a
// heading it did not know, a sentence run on from the next section) can
// still hand over a span of text. This last check holds for every task
// and clause whatever rule read it: a name with a line break, a wide space
// or a full stop in it, or longer than any unit's name, is not a unit; it
// is dropped and the task's marker reported for a person to read. A wrong
// unit in an answer is worse than none.

// maxUnitRunes is the longest unit name taken; the longest real ones
// (国家粮食和物资储备局…, with a bracketed other name) stay well below it.
const maxUnitRunes = 40

// notAUnit reports a name that cannot be a unit's.
func notAUnit(u string) bool {
	return strings.ContainsAny(u, "\n\r\t\u3000。") || utf8.RuneCountInString(u) > maxUnitRunes
}

// dropNonUnits removes names that are not units from every task and
// clause, and reports each task that lost one.
func (p *parser) dropNonUnits() {
	keep := func(list []string) ([]string, []string) {
		var out, dropped []string
		for _, u := range list {
			if notAUnit(u) {
				dropped = append(dropped, u)
			} else {
				out = append(out, u)
			}
		}
		if dropped == nil {
			return list, nil
		}
		return orEmpty(out), dropped
	}
	for _, t := range p.n.Tasks {
		var dropped []string
		for _, list := range []*[]string{&t.LeadUnits, &t.ResponsibleUnits, &t.GuideUnits} {
			var d []string
			*list, d = keep(*list)
			dropped = append(dropped, d...)
		}
		for i := range t.Clauses {
			c := &t.Clauses[i]
			for _, list := range []*[]string{&c.LeadUnits, &c.ResponsibleUnits} {
				var d []string
				*list, d = keep(*list)
				dropped = append(dropped, d...)
			}
		}
		for _, u := range dropped {
			p.n.Unread = append(p.n.Unread, Unread{
				Line:      t.Line,
				Text:      clipRunes(strings.Join(strings.Fields(u), " "), 80),
				Reason:    "读出的单位名称不像单位（含换行、句号或过长），已去掉",
				Paragraph: clipRunes(t.Text, 500),
			})
		}
	}
}
