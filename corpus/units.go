package corpus

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Unit markers and unit lists.
//
// A task names its units in a bracketed marker after its text, in one of
// several conventions (see doc.go). A marker's unit list is split on 、，,；
// and on 和/及/与 between complete names, but never inside brackets; a suffix
// shared by a run of names is expanded (青山、江夏、黄陂区人民政府 → three
// 人民政府); and each name is resolved to its canonical form through the
// unit directory.

// LeadRule is a notice-wide rule that says which units of a plain list lead.
type LeadRule string

// The lead rules notices state.
const (
	NoRule    LeadRule = ""
	CommaRule LeadRule = "comma" // 逗号前为牵头单位: the units before the first top-level comma lead
	FirstRule LeadRule = "first" // 列第一位的责任单位为牵头单位: the first unit leads
)

var (
	commaRuleRe = regexp.MustCompile(`逗号前[的为]*(?:单位)?[为是]?牵头单位`)
	firstRuleRe = regexp.MustCompile(`(?:列|排)(?:在)?(?:第一位|首位|第一)的?(?:责任)?(?:单位)?[为是]牵头单位|第一个(?:责任)?单位[为是]牵头单位|排名第一的?[为是]牵头单位`)
	alwaysRe    = regexp.MustCompile(`以下(?:工作|任务)(?:均|都)?需(.+?)(?:参与|配合|参加)[,，]?(?:不再|均不再)列出`)
	proseLeadRe = regexp.MustCompile(`([^，。,；;：:（）()]{2,60}?)[为是](?:该|本|此)?(?:议案|建议案|提案|方案)?(?:办理)?(?:工作)?的?牵头(?:责任)?单位`)
)

// detectLeadRule finds the notice's lead rule in its normalized text.
func detectLeadRule(norm string) LeadRule {
	switch {
	case commaRuleRe.MatchString(norm):
		return CommaRule
	case firstRuleRe.MatchString(norm):
		return FirstRule
	}
	return NoRule
}

// labelRe matches a role label inside a marker: 牵头单位：, 责任单位： …
var labelRe = regexp.MustCompile(`(牵头单位|牵头部门|主责单位|主办单位|责任单位|责任部门|配合单位|配合部门|协办单位|参与单位|协助单位)\s*:`)

// xLeadsRe matches the "X牵头，Y按职责分工负责" convention.
var xLeadsRe = regexp.MustCompile(`^(.+?)牵头\s*[,、;]?\s*(.*?)(?:按职责分工负责|按职责负责|分工负责|配合|参与|协助|负责)?\s*[。.]?$`)

// marker is one unit marker found in a task's text.
type marker struct {
	start, end int // byte offsets of the whole bracket in the text
	lead, resp []string
	ownLine    bool // read from 牵头单位：… lines after the task
}

// findMarkers returns the unit markers of text, in order, with their byte
// offsets in text.
func findMarkers(text string, rule LeadRule, dir *Directory) []marker {
	var ms []marker
	for _, g := range bracketGroups(text) {
		content := text[g[0]+g[2] : g[1]-g[3]]
		if !mayBeMarker(content) {
			continue // (一), (2020—2022年), (以下简称…): not units
		}
		if m, ok := parseMarker(foldText(content), rule, dir); ok {
			m.start, m.end = g[0], g[1]
			ms = append(ms, m)
		}
	}
	return ms
}

// mayBeMarker is the cheap test before a bracket is read as a marker.
func mayBeMarker(s string) bool {
	for _, w := range []string{"单位", "單位", "部门", "部門", "牵头", "牽頭", "负责", "負責", "配合"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// parseMarker reads the folded content of one bracket as a unit marker.
func parseMarker(content string, rule LeadRule, dir *Directory) (marker, bool) {
	norm := content
	var m marker
	labels := topLevelMatches(norm, labelRe)
	if len(labels) > 0 && labels[0][0] <= 2 {
		leadSeen := false
		for i, l := range labels {
			end := len(norm)
			if i+1 < len(labels) {
				end = labels[i+1][0]
			}
			seg := cutSentence(content[l[1]:end])
			units := writtenUnits(splitUnits(seg))
			switch label := norm[l[2]:l[3]]; {
			case strings.HasPrefix(label, "牵头") || label == "主责单位" || label == "主办单位":
				m.lead = appendUnique(m.lead, units...)
				leadSeen = true
			default:
				m.resp = appendUnique(m.resp, units...)
			}
		}
		if !leadSeen && rule != NoRule {
			m.lead, m.resp = applyRule(content[labels[0][1]:], rule, dir)
		}
		return m, len(m.lead)+len(m.resp) > 0
	}
	// X牵头，Y按职责分工负责 / X牵头，Y配合
	if sub := xLeadsRe.FindStringSubmatchIndex(norm); sub != nil && !strings.Contains(norm[:sub[3]], ":") {
		lead := writtenUnits(splitUnits(content[sub[2]:sub[3]]))
		if allUnits(lead) {
			m.lead = lead
			if sub[4] < sub[5] {
				m.resp = writtenUnits(splitUnits(content[sub[4]:sub[5]]))
				if !allUnits(m.resp) {
					m.resp = nil
				}
			}
			return m, true
		}
	}
	return m, false
}

// applyRule splits a plain unit list into leads and the rest under the
// notice's rule.
func applyRule(list string, rule LeadRule, dir *Directory) (lead, resp []string) {
	list = cutSentence(list)
	switch rule {
	case CommaRule:
		if i := topLevelIndexAny(list, ",;"); i >= 0 {
			return writtenUnits(splitUnits(list[:i])), writtenUnits(splitUnits(list[i+1:]))
		}
		return writtenUnits(splitUnits(list)), nil
	case FirstRule:
		all := writtenUnits(splitUnits(list))
		if len(all) == 0 {
			return nil, nil
		}
		return all[:1], all[1:]
	}
	return nil, writtenUnits(splitUnits(list))
}

// cutSentence cuts a unit list at the first top-level full stop: what
// follows is a remark (逗号前为牵头单位(下同)).
func cutSentence(s string) string {
	if i := topLevelIndexAny(s, "。"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimRight(strings.TrimSpace(s), ",;、。 ")
}

// splitUnits splits a unit list into raw names, expanding shared suffixes
// and bracketed sub-lists.
func splitUnits(list string) []string {
	var out []string
	for _, run := range splitTopLevel(list, ",;") {
		names := splitTopLevel(run, "、")
		var split []string
		for _, n := range names {
			split = append(split, splitConj(n)...)
		}
		out = append(out, expandSharedSuffix(split)...)
	}
	var units []string
	for _, n := range out {
		units = append(units, expandInner(n)...)
	}
	return units
}

// splitConj splits "A和B" / "A及B" / "A与B" where A is a complete unit name;
// 市经济和信息化局 stays whole because 市经济 is not a name.
func splitConj(s string) []string {
	depth := 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case '和', '及', '与':
			if depth == 0 && i > 0 && isCompleteUnit(s[:i]) && len(s) > i+len(string(r)) {
				return append([]string{strings.TrimSpace(s[:i])}, splitConj(s[i+len(string(r)):])...)
			}
		}
	}
	return []string{s}
}

// unitSuffixes end a complete unit name.
var unitSuffixes = []string{
	"局", "委", "办", "部", "厅", "院", "会", "处", "室", "所", "站", "队", "台", "社", "行", "馆",
	"团", "组", "司", "府", "心", "关", "联", "署", "协", "门", "科", "校", "庭", "中心", "集团",
}

// isCompleteUnit reports whether s ends like a unit name (局, 委, 人民政府 …)
// rather than a bare place (江岸区, 青山) that shares a later name's suffix.
func isCompleteUnit(s string) bool {
	n := stripBrackets(strings.TrimSpace(s))
	if utf8.RuneCountInString(n) < 2 || strings.HasSuffix(n, "单位") {
		return false
	}
	for _, suf := range unitSuffixes {
		if strings.HasSuffix(n, suf) {
			return true
		}
	}
	return false
}

// stripBrackets removes trailing bracketed notes: 各区人民政府〈含开发区管委会〉.
func stripBrackets(s string) string {
	for {
		t := strings.TrimSpace(s)
		gs := bracketGroups(t)
		if len(gs) == 0 || gs[len(gs)-1][1] != len(t) || gs[len(gs)-1][0] == 0 {
			return t
		}
		s = t[:gs[len(gs)-1][0]]
	}
}

// sharedSuffixes are the endings a run of names can share, longest first.
var sharedSuffixes = []string{"区人民政府", "县人民政府", "市人民政府", "人民政府", "管理委员会", "管委会", "区管委会"}

// expandSharedSuffix completes a run of names that share the last one's
// suffix: 江岸、黄陂区人民政府 → 江岸区人民政府, 黄陂区人民政府.
func expandSharedSuffix(names []string) []string {
	if len(names) < 2 {
		return names
	}
	last := stripBrackets(names[len(names)-1])
	suffix := ""
	for _, s := range sharedSuffixes {
		if strings.HasSuffix(last, s) && utf8.RuneCountInString(last) > utf8.RuneCountInString(s) {
			suffix = s
			break
		}
	}
	if suffix == "" {
		return names
	}
	out := make([]string, len(names))
	for i, n := range names {
		n = strings.TrimSpace(n)
		out[i] = n
		if i == len(names)-1 || isCompleteUnit(n) || n == "" {
			continue
		}
		first, _ := utf8.DecodeRuneInString(suffix)
		switch {
		case (first == '区' || first == '县' || first == '市') && strings.HasSuffix(n, string(first)):
			out[i] = n + suffix[utf8.RuneLen(first):]
		default:
			out[i] = n + suffix
		}
	}
	return out
}

// expandInner replaces a descriptive name with the units its bracket lists:
// 5个专题组牵头单位〈市科技局、市交通运输局〉 → 市科技局, 市交通运输局. Notes such
// as 〈含开发区管委会，下同〉 are dropped; an alternative name in brackets
// (武汉经济技术开发区管委会〈汉南区人民政府〉) keeps the outer name.
func expandInner(name string) []string {
	name = strings.TrimSpace(name)
	gs := bracketGroups(name)
	if len(gs) == 0 {
		return nonEmpty(name)
	}
	g := gs[len(gs)-1]
	outer := strings.TrimSpace(name[:g[0]] + name[g[1]:])
	inner := strings.TrimSpace(name[g[0]+g[2] : g[1]-g[3]])
	isNote := strings.HasPrefix(inner, "含") || strings.HasPrefix(inner, "包括") ||
		strings.HasPrefix(inner, "不含") || strings.HasPrefix(inner, "下同")
	if g[1] == len(name) && !isNote && !isCompleteUnit(outer) {
		if subs := splitUnits(inner); len(subs) > 0 && allUnits(subs) {
			return subs
		}
	}
	if g[1] == len(name) && g[0] > 0 && (isNote || isCompleteUnit(outer)) {
		return nonEmpty(outer)
	}
	return nonEmpty(name) // 各县(区)人民政府: the bracket is part of the name
}

func nonEmpty(s string) []string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return []string{s}
}

func allUnits(names []string) bool {
	if len(names) == 0 {
		return false
	}
	for _, n := range names {
		if !isCompleteUnit(n) && !strings.HasPrefix(n, "各") {
			return false
		}
	}
	return true
}

// openers and closers of every bracket shape notices use.
const (
	openers = "(（〔[［【〈《{｛"
	closers = ")）〕]］】〉》}｝"
)

// bracketGroups returns the top-level bracket groups of s as
// [start, end, openLen, closeLen] byte offsets, any shape matching any.
func bracketGroups(s string) [][4]int {
	var gs [][4]int
	depth, start, openLen := 0, 0, 0
	for i, r := range s {
		switch {
		case strings.ContainsRune(openers, r):
			if depth == 0 {
				start, openLen = i, utf8.RuneLen(r)
			}
			depth++
		case strings.ContainsRune(closers, r) && depth > 0:
			depth--
			if depth == 0 {
				gs = append(gs, [4]int{start, i + utf8.RuneLen(r), openLen, utf8.RuneLen(r)})
			}
		}
	}
	return gs
}

// splitTopLevel splits s at any of seps outside brackets.
func splitTopLevel(s, seps string) []string {
	var parts []string
	depth, last := 0, 0
	for i, r := range s {
		switch {
		case strings.ContainsRune(openers, r):
			depth++
		case strings.ContainsRune(closers, r):
			if depth > 0 {
				depth--
			}
		case depth == 0 && strings.ContainsRune(seps, r):
			if p := strings.TrimSpace(s[last:i]); p != "" {
				parts = append(parts, p)
			}
			last = i + utf8.RuneLen(r)
		}
	}
	if p := strings.TrimSpace(s[last:]); p != "" {
		parts = append(parts, p)
	}
	return parts
}

// topLevelIndexAny returns the byte offset of the first of chars outside
// brackets in a folded string, or -1.
func topLevelIndexAny(norm, chars string) int {
	depth := 0
	for i, r := range norm {
		switch {
		case r == '(':
			depth++
		case r == ')':
			if depth > 0 {
				depth--
			}
		case depth == 0 && strings.ContainsRune(chars, r):
			return i
		}
	}
	return -1
}

// topLevelMatches returns the submatch indexes of re in a folded string
// that lie outside brackets.
func topLevelMatches(norm string, re *regexp.Regexp) [][]int {
	var out [][]int
	for _, m := range re.FindAllStringSubmatchIndex(norm, -1) {
		if depthAt(norm, m[0]) == 0 {
			out = append(out, m)
		}
	}
	return out
}

func depthAt(norm string, pos int) int {
	depth := 0
	for i, r := range norm {
		if i >= pos {
			break
		}
		switch r {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		}
	}
	return depth
}

// foldText folds every character for recognition (see foldRune) but keeps
// white space: marker contents are read in this form, so canonical unit
// names come out Simplified, with half-width brackets and punctuation.
func foldText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}
