package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Role labels.
//
// A label names what follows its colon: units in a role (牵头单位：),
// units whose roles the value states itself (部门分工：X牵头，Y配合), a
// person (牵头负责领导：, 分管市领导：), a date (完成时限：) or something
// else (督办单位：, 任务来源：). Notices vary their labels freely —
// 牵头责任单位, 协同责任单位, 主责处室, 配合部门, 责任主体 — so a label is
// read from its parts, not looked up whole: the cue morphemes in it say
// the role (roleCues), and its head word says what kind of thing it names
// (a unit, a person, a date). Table column headers are read the same way.

// roleCues are the morphemes that give a label its role, and the one table
// of them. A label holding several takes the strongest: lead, then guide,
// then a cooperating role, then plain duty (负责, 责任: responsible, or
// lead under the notice's first-listed rule).
var roleCues = []struct {
	cue  string
	role role
}{
	{"牵头", roleLead}, {"主办", roleLead}, {"主责", roleLead}, {"主抓", roleLead}, {"主管", roleLead},
	// 主要责任单位 beside 协同配合单位: the main responsible unit is the lead.
	{"主要责任", roleLead}, {"主要负责", roleLead},
	{"指导", roleGuide},
	{"配合", roleResp}, {"协同", roleResp}, {"协办", roleResp}, {"参与", roleResp}, {"协助", roleResp}, {"参加", roleResp}, {"协作", roleResp}, {"会办", roleResp},
	{"责任", roleDuty}, {"负责", roleDuty}, {"承办", roleDuty}, {"实施", roleDuty}, {"落实", roleDuty}, {"承担", roleDuty}, {"执行", roleDuty},
}

// bareCueLabels are cue words used as labels on their own: 牵头：X；配合：Y.
var bareCueLabels = map[string]bool{"牵头": true, "主办": true, "主责": true, "配合": true, "协办": true, "参与": true, "协同": true, "责任": true, "负责": true, "指导": true}

// personCues open labels that name a person however they end: 分管市领导.
var personCues = []string{"分管", "联系", "包保", "挂点", "督导"}

// Head words end a label and say what it names.
var (
	unitHeads   = []string{"单位", "部门", "主体", "处室", "科室", "机构", "机关", "部委", "处", "科"}
	personHeads = []string{"领导", "负责人", "责任人", "领导同志", "同志", "人"}
	dateWords   = []string{"时限", "期限", "时间", "节点", "进度", "日期", "办结"}
	splitHeads  = []string{"分工"}
)

type labelKind int

const (
	labelNone   labelKind = iota // not a label
	labelUnits                   // units in one role
	labelSplit                   // units whose value states their roles: 部门分工：X牵头，Y配合
	labelPerson                  // a person: the task's leader
	labelDate                    // a deadline
	labelOther                   // any other label: its value is neither units nor text
)

// maxLabelRunes bounds a label; a longer run of characters before a colon
// is prose with a label at its end, if any.
const maxLabelRunes = 8

// classifyLabel reads a label (folded, its spaces removed) by its parts.
func classifyLabel(label string) (labelKind, role) {
	n := utf8.RuneCountInString(label)
	if n < 2 || n > maxLabelRunes {
		return labelNone, roleNone
	}
	if bareCueLabels[label] {
		// 牵头：X；配合：Y — the cue alone, with no head word.
		return labelUnits, cueRole(label)
	}
	for _, w := range dateWords {
		if strings.Contains(label, w) {
			return labelDate, roleNone
		}
	}
	for _, h := range splitHeads {
		if strings.HasSuffix(label, h) {
			return labelSplit, roleNone
		}
	}
	if strings.HasSuffix(label, "联系人") || strings.HasSuffix(label, "联系电话") {
		return labelOther, roleNone
	}
	for _, h := range personHeads {
		if strings.HasSuffix(label, h) {
			if h == "人" && !strings.HasSuffix(label, "责任人") && !strings.HasSuffix(label, "负责人") && cueRole(label) == roleNone {
				return labelNone, roleNone
			}
			return labelPerson, roleNone
		}
	}
	for _, c := range personCues {
		// 分管副市长：; but 联系单位： names a unit, not a person.
		if (strings.HasPrefix(label, c) || strings.Contains(label, c+"领导")) && !endsWithAny(label, unitHeads) {
			return labelPerson, roleNone
		}
	}
	for _, h := range unitHeads {
		if !strings.HasSuffix(label, h) {
			continue
		}
		if utf8.RuneCountInString(h) == 1 && n > 4 {
			return labelNone, roleNone // …处, …科 only in short labels: 牵头处, 责任科
		}
		if r := cueRole(label); r != roleNone {
			return labelUnits, r
		}
		return labelOther, roleNone
	}
	return labelNone, roleNone
}

// cueRole is the strongest role the cue morphemes of a label give.
func cueRole(label string) role {
	best := roleNone
	rank := func(r role) int {
		switch r {
		case roleLead:
			return 4
		case roleGuide:
			return 3
		case roleResp:
			return 2
		case roleDuty:
			return 1
		}
		return 0
	}
	for _, c := range roleCues {
		if strings.Contains(label, c.cue) && rank(c.role) > rank(best) {
			best = c.role
		}
	}
	return best
}

// labelMatch is one label found in folded text: [start, end) is the label
// with its colon (or 为).
type labelMatch struct {
	start, end int
	kind       labelKind
	role       role
}

// findLabels returns the labels of folded text in order: each colon
// preceded by a run of Han characters (spaces allowed between them, as in
// 牵 头 单 位：) whose tail reads as a label.
func findLabels(norm string) []labelMatch {
	var out []labelMatch
	for i := 0; i < len(norm); i++ {
		switch {
		case norm[i] == ':':
			if m, ok := labelBefore(norm, i); ok {
				out = append(out, m)
			}
		case strings.HasPrefix(norm[i:], "为") || strings.HasPrefix(norm[i:], "是"):
			// 牵头单位为市政务服务局，配合单位为…: a units label in a
			// sentence, standing at the sentence's or a clause's start.
			if m, ok := labelBefore(norm, i); ok && (m.kind == labelUnits || m.kind == labelSplit) && atClauseStart(norm, m.start) {
				m.end = i + len("为") // 为 and 是 are both three bytes
				out = append(out, m)
			}
		}
	}
	return out
}

// atClauseStart reports whether byte i of folded text starts the text, a
// sentence or a clause.
func atClauseStart(norm string, i int) bool {
	before := strings.TrimRight(norm[:i], " ")
	if before == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	return strings.ContainsRune("。；;，,(:", r)
}

// labelBefore reads the label ending at the colon at byte colon, if any.
func labelBefore(norm string, colon int) (labelMatch, bool) {
	// Walk back over spaces, then Han characters and the spaces between them.
	end := colon
	for end > 0 && norm[end-1] == ' ' {
		end--
	}
	var starts []int // byte offsets where a Han character starts, last first
	i := end
	for i > 0 && len(starts) < 12 {
		r, size := utf8.DecodeLastRuneInString(norm[:i])
		if r == ' ' {
			i -= size
			continue
		}
		if !unicode.Is(unicode.Han, r) {
			break
		}
		i -= size
		starts = append(starts, i)
	}
	if len(starts) < 2 {
		return labelMatch{}, false
	}
	// The longest tail that reads as a label, at most maxLabelRunes long;
	// a run longer than that is prose ending in a label.
	// A label starts where a label can (labelOpener): 市商务局 责任单位：
	// holds the label 责任单位, not 市商务局责任单位.
	for k := min(len(starts), maxLabelRunes); k >= 2; k-- {
		s := starts[k-1]
		label := strings.ReplaceAll(norm[s:end], " ", "")
		if !labelOpener(label) {
			continue
		}
		if kind, r := classifyLabel(label); kind != labelNone {
			return labelMatch{start: s, end: colon + 1, kind: kind, role: r}, true
		}
	}
	if len(starts) <= 4 { // a short label of its own: 单位：, 备注：
		s := starts[len(starts)-1]
		label := strings.ReplaceAll(norm[s:end], " ", "")
		if kind, r := classifyLabel(label); kind != labelNone {
			return labelMatch{start: s, end: colon + 1, kind: kind, role: r}, true
		}
	}
	return labelMatch{}, false
}

// otherOpeners start labels that carry no role cue: 部门分工, 完成时限,
// 督办单位, 任务来源.
var otherOpeners = []string{"部门", "任务", "完成", "截止", "办结", "督办", "督查", "督促", "考核", "报送", "来源", "备注", "联系", "工作"}

// labelOpener reports whether a label can start with the characters of l
// when prose runs straight into it: at a cue, a person cue, a date word,
// or a level word before one (市牵头单位).
func labelOpener(l string) bool {
	for _, w := range otherOpeners {
		if strings.HasPrefix(l, w) {
			return true
		}
	}
	for _, lvl := range []string{"市级", "区级", "县级", "省级", "市", "区", "县", "省", "镇", "乡", "主要", "具体", "其他", "相关", "有关"} {
		if rest, ok := strings.CutPrefix(l, lvl); ok {
			l = rest
			break
		}
	}
	for _, c := range roleCues {
		if strings.HasPrefix(l, c.cue) {
			return true
		}
	}
	for _, c := range personCues {
		if strings.HasPrefix(l, c) {
			return true
		}
	}
	for _, w := range dateWords {
		if strings.HasPrefix(l, w) {
			return true
		}
	}
	return false
}

// unitsLabelAt returns the units (or split) label that starts line, after
// its indent, if there is one.
func unitsLabelAt(line string) (labelMatch, bool) {
	norm := foldText(line)
	for _, m := range findLabels(norm) {
		if strings.TrimSpace(norm[:m.start]) != "" {
			return labelMatch{}, false
		}
		return m, m.kind == labelUnits || m.kind == labelSplit
	}
	return labelMatch{}, false
}

// personLabelAt returns the person a line of its own names after a person
// label (牵头负责领导：张三。), as written.
func personLabelAt(line string) (string, bool) {
	norm := foldText(line)
	ms := findLabels(norm)
	if len(ms) == 0 || ms[0].kind != labelPerson || strings.TrimSpace(norm[:ms[0].start]) != "" {
		return "", false
	}
	start := utf8.RuneCountInString(norm[:ms[0].end])
	rs := []rune(line)
	end := len(rs)
	if len(ms) > 1 { // 牵头领导：张三 责任单位：市科技局 — the person ends at the next label
		end = utf8.RuneCountInString(norm[:ms[1].start])
	}
	v := strings.TrimSpace(string(rs[start:end]))
	v = strings.TrimRight(v, "。.；;，, ")
	if v == "" {
		return "", false
	}
	return v, true
}

// isUnitLine reports a line of its own that names a task's units:
// 牵头单位：…, 协同责任单位：…, 部门分工：….
func isUnitLine(line string) bool {
	_, ok := unitsLabelAt(line)
	return ok
}

// hasRoleLabel reports whether folded text holds a label of units, a
// person or a date.
func hasRoleLabel(norm string) bool {
	for _, l := range findLabels(norm) {
		if l.kind != labelOther {
			return true
		}
	}
	return false
}

// inlineUnitsLabel finds a units label run into a paragraph after its last
// sentence (…加强交通治理。责任单位：市公安局。) and returns the byte offset
// of the label in the folded line.
func inlineUnitsLabel(norm string) (int, bool) {
	for _, l := range findLabels(norm) {
		if l.kind != labelUnits && l.kind != labelSplit {
			continue
		}
		if depthAt(norm, l.start) > 0 {
			continue // inside a bracket: the bracket is the marker, read or reported as one
		}
		before := strings.TrimRight(norm[:l.start], " ")
		spaced := len(before) < l.start // 推进外贸稳规模 牵头单位：…
		if before == "" || spaced || strings.HasSuffix(before, "。") || strings.HasSuffix(before, "；") || strings.HasSuffix(before, ";") || strings.HasSuffix(before, ",") {
			return l.start, true
		}
	}
	return 0, false
}

// bracketLabel rewrites a label written in brackets before its value, rune
// for rune, as the label and a colon: 【牵头单位】X → " 牵头单位：X".
func bracketLabel(line string) string {
	return bracketLabelRe.ReplaceAllStringFunc(line, func(m string) string {
		rs := []rune(m)
		inner := string(rs[1 : len(rs)-1])
		if kind, _ := classifyLabel(foldText(strings.ReplaceAll(inner, " ", ""))); kind == labelNone || kind == labelOther {
			return m
		}
		return " " + inner + "："
	})
}

// continuesUnitLine reports whether next is the wrapped rest of a units
// line: the line did not end its sentence, and next is a short run of
// names (园区党工 / 委、各街道党工委) with no label, number or sentence of
// its own.
func continuesUnitLine(prev, next string) bool {
	p, n := strings.TrimSpace(prev), strings.TrimSpace(next)
	if p == "" || n == "" || strings.HasSuffix(p, "。") || strings.HasSuffix(p, "；") || strings.HasSuffix(p, ";") {
		return false
	}
	if utf8.RuneCountInString(n) > 40 || strings.ContainsAny(n, ":：。") {
		return false
	}
	head, _ := utf8.DecodeRuneInString(n)
	if !unicode.Is(unicode.Han, head) {
		return false
	}
	names := splitTopLevel(foldText(strings.TrimRight(n, "。；;")), "、,;")
	prevNames := splitTopLevel(foldText(p), "、,;:")
	for i, name := range names {
		if i == 0 && len(prevNames) > 0 && !strings.HasSuffix(p, "、") && !strings.HasSuffix(p, "，") {
			// The wrap may cut a name: 园区党工 / 委. The two halves make it.
			name = prevNames[len(prevNames)-1] + name
		}
		if !looksLikeUnit(name) {
			return false
		}
	}
	return true
}
