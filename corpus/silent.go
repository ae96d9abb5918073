package corpus

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Items that name units but gave no task units.
//
// A parser that reads only the conventions it knows would load a notice in
// another convention with its units on no task, and nobody would know. So
// every numbered item that names units (a name this notice's tasks use, or
// a name shaped like a unit: 市…局, 区…委, …办公室) followed by a role word,
// yet became no task, is reported with its line; and a notice in which
// more than a third of the items among its tasks have no units gets a
// warning of its own.

// unitNameRe finds names shaped like a unit in a list or before a role
// word: a level word, a short name, a unit head (，市发改委、, 由区民政局牵头).
var unitNameRe = regexp.MustCompile(`(?:^|[，。；、,;（(：:\s由])((?:市|区|县|省)[\p{Han}]{1,8}?(?:委员会|管委会|办公室|人民政府|局|委|办|厅|中心))(?:[、，,；;）)]|牵头|负责|配合|会同|$)`)

// roleWordRe is a role word after a name: 牵头, 负责, 配合 …
var roleWordRe = regexp.MustCompile(`牵头|负责|配合|参与|协办|主办|主责|协同|落实|承办`)

// silentItems reports the items that name units with a role word but are
// no task, and warns when over a third of the items beside tasks are so.
func (p *parser) silentItems() []Unread {
	known := map[string]bool{}
	for _, t := range p.n.Tasks {
		for _, u := range append(append(append([]string{}, t.LeadUnits...), t.ResponsibleUnits...), t.GuideUnits...) {
			if utf8.RuneCountInString(u) >= 3 {
				known[u] = true
			}
		}
	}
	taskParents := map[*Node]bool{} // sections that hold tasks
	for _, nd := range p.allNodes {
		if (nd.Task != nil || nd.paraTasks) && nd.parent != nil {
			taskParents[nd.parent] = true
		}
	}
	var out []Unread
	items, silent := 0, 0
	for _, nd := range p.allNodes {
		if len(nd.Children) > 0 {
			continue
		}
		isTask := nd.Task != nil || nd.paraTasks
		if nd.parent != nil && taskParents[nd.parent] {
			items++
			if !isTask || (nd.Task != nil && len(nd.Task.LeadUnits)+len(nd.Task.ResponsibleUnits)+len(nd.Task.GuideUnits) == 0) {
				silent++
			}
		}
		if isTask || passageKind(nd) != "section" {
			continue // goals, phases, the leading group and requirements name units without tasks
		}
		names := unitNamesIn(nd.Text, known)
		if len(names) == 0 || !roleWordRe.MatchString(nd.Text) {
			continue
		}
		out = append(out, Unread{Line: nd.Line, Text: clipRunes(strings.Join(names, "、"), 80),
			Reason: "条目写了单位，但没有读出任务的牵头或责任单位", Paragraph: clipRunes(nd.Text, 500)})
	}
	if items >= 6 && silent*3 > items {
		out = append(out, Unread{Reason: fmt.Sprintf("任务所在各节共%d项，其中%d项没有读出单位（超过三分之一）：请核对这份通知的写法", items, silent)})
	}
	return out
}

// unitNamesIn lists the unit names of text: the notice's own units first,
// then names shaped like units, each once.
func unitNamesIn(text string, known map[string]bool) []string {
	var out []string
	seen := map[string]bool{}
	names := make([]string, 0, len(known))
	for u := range known {
		names = append(names, u)
	}
	sort.Strings(names)
	for _, u := range names {
		if strings.Contains(text, u) && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	for _, m := range unitNameRe.FindAllStringSubmatch(text, 8) {
		if u := m[1]; !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}
