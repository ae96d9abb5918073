package corpus

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Group headings. A task list is often grouped under headings that say who
// answers for the tasks below them, so that the tasks themselves name no
// one: a leader (李四副市长负责事项, 二、李丹常委、常务副区长牵头重点工作) or a
// lead unit (一、县示范区管委会牵头工作(8项)). Such a heading stands over
// numbered items or over the rows of a table, as a table's group row.

// headingTailRe is the end of a heading that assigns the work below it:
// 工作, 事项, 重点工作, 工作任务, with the count of items the group holds,
// (8项) or （共5项）.
var headingTailRe = regexp.MustCompile(`(?:的)?(?:重点|主要)?(?:工作任务|工作|事项|任务)\s*(?:\(\s*共?\s*\d{1,3}\s*项\s*\))?$`)

// maxHeadingRunes bounds a group heading: a longer line is a sentence.
const maxHeadingRunes = 40

// headingUnits returns the units a group heading puts in charge of the
// items under it, as a marker: 县示范区管委会牵头工作(8项) gives the lead
// 县示范区管委会; under the notice's first-listed rule X、Y负责事项 gives the
// lead X. A heading that names a person (李四副市长负责事项) gives none: a
// person is the tasks' leader, never a unit.
func headingUnits(title string, rule LeadRule) (marker, bool) {
	_, _, rest := labelOf(strings.TrimSpace(title))
	rest = strings.TrimSpace(rest)
	if rest == "" || utf8.RuneCountInString(rest) > maxHeadingRunes || headingLeader(rest) != "" {
		return marker{}, false
	}
	norm := foldText(rest)
	if strings.ContainsAny(norm, "。,;:") {
		return marker{}, false
	}
	loc := headingTailRe.FindStringIndex(norm)
	if loc == nil || loc[0] == 0 {
		return marker{}, false
	}
	// Only a heading that hands the work over (牵头, 负责, 主责) assigns it:
	// 加强部门配合工作 is the name of a piece of work.
	if _, r := cutVerb(norm[:loc[0]]); r != roleLead && r != roleDuty {
		return marker{}, false
	}
	m, ok := parseSegments(norm[:loc[0]], rule)
	if !ok {
		return marker{}, false
	}
	m.lead, m.resp, m.guide = asWritten(rest, norm, m.lead), asWritten(rest, norm, m.resp), asWritten(rest, norm, m.guide)
	m.ownLine = true // not a bracket in the item's text: no clause of its own
	return m, true
}

// headingLeader returns the person a heading names as leading the tasks
// under it (李四副市长负责事项 gives 李四), as written, or "".
func headingLeader(title string) string {
	_, _, rest := labelOf(strings.TrimSpace(title))
	if who := leaderOf(&Node{Title: strings.TrimSpace(rest)}); who != "" {
		return who
	}
	// A person label in the heading's bracket: 一、…工作目标(牵头领导:成坤、柯相国、王俊).
	for _, g := range bracketGroups(rest) {
		if who, ok := personLabelAt(rest[g[0]+g[2] : g[1]-g[3]]); ok {
			return who
		}
	}
	return ""
}

// isGroupHeading reports a line that heads a group of tasks by naming who
// answers for them: a leader or a lead unit.
func isGroupHeading(l string) bool {
	l = strings.TrimSpace(l)
	if l == "" || utf8.RuneCountInString(l) > maxHeadingRunes || strings.ContainsAny(l, "。，,；;") {
		return false
	}
	if headingLeader(l) != "" {
		return true
	}
	_, ok := headingUnits(l, NoRule)
	return ok
}

// headingMarkers adds to the markers of a leaf item that names no lead
// of its own the units of the nearest heading above it that hands its
// group's work to a unit (一、县示范区管委会牵头工作(8项) over 1. 2. 3.).
func headingMarkers(nd *Node, ms []marker, rule LeadRule) []marker {
	if len(nd.Children) > 0 {
		return ms
	}
	for _, m := range ms {
		if len(m.lead) > 0 {
			return ms
		}
	}
	for a := nd.parent; a != nil; a = a.parent {
		if m, ok := headingUnits(a.Title, rule); ok {
			return append(ms, m)
		}
	}
	return ms
}
