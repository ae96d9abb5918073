package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Persons-only assignments.
//
// Some plans, a bureau's own above all, name people where others name
// units: （牵头责任人：张三，具体责任人：李四、王五）. Such an item is a task
// all the same; the lead person becomes Task.Leader and the others
// Task.Persons, and no name becomes a unit.

// personMarker reads the brackets of text whose every label names a person
// (牵头责任人, 具体责任人, 责任领导) and whose every value is a list of
// personal names. The leader is the value of the label with a lead cue
// (牵头), else of the first label; the rest are the task's persons.
func personMarker(text string) (leader string, persons []string, ok bool) {
	for _, g := range bracketGroups(text) {
		content := text[g[0]+g[2] : g[1]-g[3]]
		norm := foldText(content)
		labels := findLabels(norm)
		if len(labels) == 0 || strings.TrimSpace(norm[:labels[0].start]) != "" {
			continue
		}
		lead := -1
		var values [][]string
		good := true
		for i, l := range labels {
			if l.kind != labelPerson {
				good = false
				break
			}
			end := len(norm)
			if i+1 < len(labels) {
				end = labels[i+1].start
			}
			names := personNames(content, norm, l.end, end)
			if names == nil {
				good = false
				break
			}
			if lead < 0 && cueRole(strings.ReplaceAll(norm[l.start:l.end], " ", "")) == roleLead {
				lead = i
			}
			values = append(values, names)
		}
		if !good {
			continue
		}
		if lead < 0 {
			lead = 0
		}
		for i, v := range values {
			if i != lead {
				persons = appendUnique(persons, v...)
			}
		}
		return strings.Join(values[lead], "、"), persons, true
	}
	return "", nil, false
}

// personNames splits the value norm[from:to] of a person label into names
// as written in orig, or returns nil when one of them is not a personal
// name: two to four Han characters, padding inside removed (冯 镭), and
// nothing a unit ends in.
func personNames(orig, norm string, from, to int) []string {
	or := []rune(orig)
	start, end := utf8.RuneCountInString(norm[:from]), utf8.RuneCountInString(norm[:to])
	value := strings.TrimRight(strings.TrimSpace(string(or[start:end])), "。.；;，,、 ")
	var names []string
	for _, n := range splitTopLevel(value, "、，,;；") {
		n = strings.Join(strings.Fields(n), "")
		if !isPersonName(n) {
			return nil
		}
		names = append(names, n)
	}
	return names
}

// isPersonName reports two to four Han characters that open with a family
// name and do not read as a unit or a kind of thing (市长, 各局).
func isPersonName(n string) bool {
	k := utf8.RuneCountInString(n)
	if k < 2 || k > 4 {
		return false
	}
	for _, r := range n {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	if looksLikeUnit(n) || isCompleteUnit(n) {
		return false
	}
	for _, end := range []string{"局", "委", "办", "部", "处", "科", "室", "长", "任", "记", "员", "组", "站", "所", "队", "中心"} {
		if strings.HasSuffix(n, end) {
			return false
		}
	}
	// A name opens with a family name (分管, 相关 do not).
	return strings.ContainsRune(surnames, firstRune(n))
}

// isPersonMarker reports a bracket that names people only.
func isPersonMarker(bracket string) bool {
	_, _, ok := personMarker(bracket)
	return ok
}

// personName returns the name of a person written with a post after it
// (阮斌副局长 → 阮斌), or v as it is.
func personName(v string) string {
	for _, w := range postWords { // roster.go's post words
		if name, ok := strings.CutSuffix(v, w); ok {
			for _, rank := range []string{"常务副", "副", "常务"} {
				if n, ok := strings.CutSuffix(name, rank); ok {
					name = n
					break
				}
			}
			if isPersonName(name) {
				return name
			}
		}
	}
	return v
}

// personLine reads a line of its own that names a person after a label
// (牵头领导：阮斌副局长): the name, and whether the label makes the person
// an assisting one (配合领导：) rather than the task's leader.
func personLine(line string) (who string, assist, ok bool) {
	who, ok = personLabelAt(line)
	if !ok {
		return "", false, false
	}
	norm := foldText(line)
	if ms := findLabels(norm); len(ms) > 0 {
		assist = cueRole(strings.ReplaceAll(norm[ms[0].start:ms[0].end], " ", "")) == roleResp
	}
	return personName(who), assist, true
}
