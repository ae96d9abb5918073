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
// and on 和/及/与 between complete names, but never inside brackets or a
// collective name. Names are kept as the notice writes them: the directory
// learns the full names of a run sharing a suffix (青山、江夏、黄陂区人民政府)
// and resolves every written form to one key, for matching only.

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
	firstRuleRe = regexp.MustCompile(`(?:列|排|排列|排名)(?:在)?(?:第一位|首位|第一)(?:者|的)?(?:责任)?(?:单位|部门)?[为是](?:牵头|主责)(?:单位|部门)|第一个(?:责任)?(?:单位|部门)[为是]牵头(?:单位|部门)|(?:首列|列首)(?:单位|部门)?[为是]牵头(?:单位|部门)`)
	alwaysRe    = regexp.MustCompile(`以下(?:工作|任务)(?:均|都)?需(.+?)(?:参与|配合|参加)[,，]?(?:不再|均不再)列出`)
	proseLeadRe = regexp.MustCompile(`([^，。,；;：:（）()]{2,60}?)[为是](?:该|本|此)?(?:议案|建议案|提案|方案)?(?:办理)?(?:工作)?的?牵头(?:责任)?单位`)
)

// detectLeadRule finds the notice's lead rule in its normalized text.
func detectLeadRule(norm string) LeadRule {
	if !strings.Contains(norm, "牵头") && !strings.Contains(norm, "主责") {
		return NoRule // every rule names the lead
	}
	switch {
	case strings.Contains(norm, "逗号") && commaRuleRe.MatchString(norm):
		return CommaRule
	case firstRuleRe.MatchString(norm):
		return FirstRule
	}
	return NoRule
}

// role is what a marker makes of a unit.
type role int

const (
	roleNone  role = iota
	roleLead       // 牵头
	roleResp       // 配合, 参与, 协办
	roleGuide      // 指导
	roleDuty       // 负责: responsible, or lead when the notice says the first-listed unit leads
)

// segmentVerbs end a run of units inside a marker and say their role,
// longest first: （X牵头，Y配合）, （X、Y等负责）, （X指导，Y参与）. This table is
// the one place the parser learns what a marker's verbs mean.
var segmentVerbs = []struct {
	word string
	role role
}{
	{"牵头负责", roleLead}, {"牵头落实", roleLead}, {"牵头实施", roleLead}, {"牵头", roleLead}, {"主责", roleLead},
	{"指导", roleGuide},
	{"按职责分工负责", roleDuty}, {"按照职责分工负责", roleDuty}, {"按职责分工落实", roleDuty}, {"按职责负责", roleDuty},
	{"分工负责", roleDuty}, {"共同负责", roleDuty}, {"分别负责", roleDuty}, {"各自负责", roleDuty}, {"负责落实", roleDuty}, {"具体负责", roleDuty},
	{"组织实施", roleDuty}, {"负责", roleDuty},
	{"按职责分工配合", roleResp}, {"配合", roleResp}, {"参与", roleResp}, {"协助", roleResp}, {"协办", roleResp}, {"参加", roleResp},
}

// marker is one unit marker found in a task's text.
type marker struct {
	start, end int // byte offsets of the whole bracket in the text
	lead, resp []string
	guide      []string
	ownLine    bool     // read from 牵头单位：… lines after the task
	aliases    []Alias  // full names of runs sharing a suffix (江夏 = 江夏区人民政府)
	leader     string   // a person the marker names as leading (牵头责任人：张三)
	persons    []string // other people it names (具体责任人：李四、王五)
}

func (m marker) empty() bool { return len(m.lead)+len(m.resp)+len(m.guide) == 0 }

// findMarkers returns the unit markers of text, in order, with their byte
// offsets in text.
func findMarkers(text string, rule LeadRule) []marker {
	var ms []marker
	for _, g := range bracketGroups(text) {
		content := text[g[0]+g[2] : g[1]-g[3]]
		if !mayBeMarker(content) {
			continue // (一), (2020—2022年), (以下简称…): not units
		}
		if m, ok := parseMarker(content, rule); ok {
			m.start, m.end = g[0], g[1]
			ms = append(ms, m)
		}
	}
	return ms
}

// bracketLabelRe is a units label written in brackets before its units.
var bracketLabelRe = regexp.MustCompile(`[【\[［〔]\p{Han}[\p{Han} ]{1,9}[】\]］〕]`)

// proseUnitsRe are the unit assignments a notice writes in a sentence of
// its own rather than in a bracket: X会同Y负责, 由X牵头，Y配合.
var proseUnitsRe = []*regexp.Regexp{
	regexp.MustCompile(`(?:^|[。；;，,])\s*(?:由)?([^，。；;,()（）]{2,40}?会同[^，。；;()（）]{2,120}?负责)`),
	regexp.MustCompile(`(?:^|[。；;，,])\s*(由[^，。；;,()（）]{2,40}?牵头[，,][^，。；;()（）]{2,120}?(?:配合|参与|协助))`),
	// 市商务局牵头，市财政局、市税务局配合。 — a closing sentence of units
	// and their verbs only (parseSegments checks every name).
	regexp.MustCompile(`(?:^|[。；;])\s*([^，。；;,()（）]{2,40}?(?:牵头|牵头负责)[，,][^。；;()（）]{2,160}?(?:配合|参与|协助|负责))\s*。?\s*$`),
}

// proseMarkers reads the unit assignments an item states in prose, for an
// item that has no marker. Only a clause whose every name reads as a unit
// counts: 生态环境部会同有关部门负责评估 is one, 由此产生的资金由地方财政承担 is not.
func proseMarkers(text string, rule LeadRule) []marker {
	norm := foldText(text)
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, "】") || strings.Contains(line, "]") {
			// 【牵头单位】X 【责任单位】Y: the label in brackets, rewritten in
			// place, rune for rune, as 牵头单位：X.
			line = bracketLabel(line)
		}
		ln := foldText(line)
		if at, ok := inlineUnitsLabel(ln); ok {
			orig := string([]rune(line)[utf8.RuneCountInString(ln[:at]):])
			if mk, ok := parseMarker(orig, rule); ok {
				mk.ownLine = true
				return []marker{mk}
			}
		}
	}
	if !strings.Contains(norm, "会同") && !strings.Contains(norm, "牵头") && !strings.Contains(norm, "主办") && !strings.Contains(norm, "请") {
		return nil
	}
	for _, re := range proseUnitsRe {
		for _, m := range re.FindAllStringSubmatchIndex(norm, -1) {
			clause := norm[m[2]:m[3]]
			if mk, ok := parseSegments(clause, NoRule); ok && len(mk.lead) > 0 {
				orig := text
				mk.lead, mk.resp = asWritten(orig, norm, mk.lead), asWritten(orig, norm, mk.resp)
				mk.start, mk.end = m[2], m[3]
				mk.ownLine = true // not a bracket: no clause of its own
				return []marker{mk}
			}
		}
	}
	return proseRoleMarkers(text, norm) // prose.go: 由X会同Y…, 由X主办
}

// mayBeMarker is the cheap test before a bracket is read as a marker.
func mayBeMarker(s string) bool {
	if strings.ContainsAny(s, " 　 ") {
		s = strings.NewReplacer(" ", "", "　", "", " ", "").Replace(s) // 牵 头 单 位
	}
	for _, w := range []string{"单位", "單位", "部门", "部門", "牵头", "牽頭", "负责", "負責", "配合", "指导", "指導", "参与", "參與", "协办", "協辦", "分工"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// parseMarker reads the content of one bracket (or of a units line) as a
// unit marker. Units come out as the notice writes them; the full names of
// runs sharing a suffix come with the marker (aliases) for the directory.
func parseMarker(content string, rule LeadRule) (m marker, ok bool) {
	norm := foldText(content)
	if strings.Contains(norm, "、") {
		defer func() {
			if ok {
				m.aliases = sharedSuffixAliases(norm)
			}
		}()
	}
	var labels []labelMatch
	if strings.ContainsAny(norm, ":为是") { // a label ends in a colon, or 为 in a sentence
		for _, l := range findLabels(norm) {
			if depthAt(norm, l.start) == 0 {
				labels = append(labels, l)
			}
		}
	}
	if len(labels) > 0 && labels[0].start <= 2 {
		leadSeen, dutyLabels := false, 0
		for i, l := range labels {
			end := len(norm)
			if i+1 < len(labels) {
				end = labels[i+1].start
			}
			if l.kind != labelUnits && l.kind != labelSplit {
				continue // a date, a person or another note: never units
			}
			seg := cutSentence(norm[l.end:end])
			units := writtenUnits(splitUnits(dropEtc(seg)))
			if sm, ok := parseSegments(seg, NoRule); ok {
				if sm.lead != nil || sm.guide != nil || l.kind == labelSplit {
					// 部门分工：X牵头，Y配合 — the value carries its own roles.
					m.lead = appendUnique(m.lead, sm.lead...)
					m.resp = appendUnique(m.resp, sm.resp...)
					m.guide = appendUnique(m.guide, sm.guide...)
					leadSeen = leadSeen || len(sm.lead) > 0
					continue
				}
				units = sm.resp // 责任单位：X、Y负责 — the label says the role
			}
			switch l.role {
			case roleLead:
				m.lead = appendUnique(m.lead, units...)
				leadSeen = true
			case roleGuide:
				m.guide = appendUnique(m.guide, units...)
			case roleDuty:
				dutyLabels++
				m.resp = appendUnique(m.resp, units...)
			default:
				m.resp = appendUnique(m.resp, units...)
			}
		}
		if !leadSeen && rule != NoRule && dutyLabels == 1 && len(labels) == 1 {
			m.lead, m.resp = applyRule(norm[labels[0].end:], rule)
		}
		m.lead, m.resp, m.guide = asWritten(content, norm, m.lead), asWritten(content, norm, m.resp), asWritten(content, norm, m.guide)
		promoteMarkedLeads(&m, norm)
		return m, !m.empty()
	}
	m, ok = parseSegments(cutSentence(norm), rule)
	if !ok {
		return marker{}, false
	}
	m.lead, m.resp, m.guide = asWritten(content, norm, m.lead), asWritten(content, norm, m.resp), asWritten(content, norm, m.guide)
	return m, true
}

// leadMarkRe is a unit marked as lead inside a list: 市文旅局（牵头）.
var leadMarkRe = regexp.MustCompile(`([^、,;:()]+?)\((?:牵头|牵头单位|牵头部门|主责|主办)\)`)

// promoteMarkedLeads moves the units a list marks （牵头） to the leads.
func promoteMarkedLeads(m *marker, norm string) {
	if !strings.Contains(norm, "(牵头") && !strings.Contains(norm, "(主") {
		return
	}
	for _, lm := range leadMarkRe.FindAllStringSubmatch(norm, -1) {
		name := strings.TrimSpace(lm[1])
		for i := 0; i < len(m.resp); i++ {
			if foldText(m.resp[i]) == name {
				m.lead = appendUnique(m.lead, m.resp[i])
				m.resp = append(m.resp[:i], m.resp[i+1:]...)
				i--
			}
		}
	}
}

// parseSegments reads a folded unit list made of segments, each a run of
// units ended by a verb of segmentVerbs: X牵头，Y、Z配合 / X、Y，Z按职责分工负责
// / X会同Y负责 / 由X牵头 / X指导，Y负责落实. A segment without a verb takes the
// role of the next one. Under a first-listed or comma rule the units of a
// 负责 run lead as the rule says, unless another segment names a lead.
func parseSegments(s string, rule LeadRule) (marker, bool) {
	var m marker
	var pending []string // units of verb-less segments before a verb
	var duty [][]string  // units of 负责 segments, in order, pending and all
	verbSeen := false
	segs := splitTopLevel(s, ",;")
	for i, seg := range segs {
		seg = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(seg), "由"))
		body, r := cutVerb(seg)
		if r == roleNone {
			units := markerUnits(body)
			if units == nil {
				if verbSeen && i == len(segs)-1 {
					break // a trailing remark: （X负责，2021年底前完成）
				}
				return marker{}, false
			}
			pending = append(pending, units...)
			continue
		}
		verbSeen = true
		var lead []string
		if j := strings.Index(body, "会同"); j > 0 {
			// X会同Y负责: X leads, Y takes part.
			lead = markerUnits(body[:j])
			body = body[j+len("会同"):]
			if lead == nil {
				return marker{}, false
			}
			m.lead = appendUnique(m.lead, lead...)
			r = roleResp
		}
		units := markerUnits(body)
		if units == nil {
			return marker{}, false
		}
		units = append(pending, units...)
		pending = nil
		switch r {
		case roleLead:
			m.lead = appendUnique(m.lead, units...)
		case roleGuide:
			m.guide = appendUnique(m.guide, units...)
		case roleResp:
			m.resp = appendUnique(m.resp, units...)
		case roleDuty:
			duty = append(duty, units)
		}
	}
	if !verbSeen {
		return marker{}, false
	}
	var all []string
	for _, d := range duty {
		all = append(all, d...)
	}
	switch {
	case len(all) == 0:
	case len(m.lead) > 0 || len(m.guide) > 0 || rule == NoRule:
		m.resp = appendUnique(m.resp, all...)
	case rule == FirstRule:
		m.lead = appendUnique(m.lead, all[0])
		m.resp = appendUnique(m.resp, all[1:]...)
	case rule == CommaRule:
		m.lead = appendUnique(m.lead, duty[0]...)
		for _, d := range duty[1:] {
			m.resp = appendUnique(m.resp, d...)
		}
	}
	m.resp = without(m.resp, m.lead)
	return m, !m.empty()
}

// cutVerb splits the verb of segmentVerbs off the end of a segment.
func cutVerb(seg string) (string, role) {
	seg = strings.TrimRight(seg, "。. ")
	for _, v := range segmentVerbs {
		if body, ok := strings.CutSuffix(seg, v.word); ok && body != "" {
			return strings.TrimSpace(trimVerbModifiers(body)), v.role
		}
	}
	return seg, roleNone
}

// isBareVerb reports a bracket holding only a marker verb, after units a
// label gave: 责任单位：X、Y（按职责分工负责）.
func isBareVerb(content string) bool {
	c := strings.TrimRight(strings.TrimSpace(foldText(content)), "。. ")
	for _, v := range segmentVerbs {
		if c == v.word {
			return true
		}
	}
	return false
}

// verbModifiers stand before a marker verb without changing its role:
// 协同配合, 积极配合, 共同负责, 全力配合.
var verbModifiers = []string{"协同", "共同", "积极", "密切", "全力", "协助", "做好", "认真", "分别", "各自"}

// trimVerbModifiers strips the modifiers before a verb from a segment's
// units: 市科技局协同(配合) leaves 市科技局.
func trimVerbModifiers(body string) string {
	for changed := true; changed; {
		changed = false
		for _, m := range verbModifiers {
			if b, ok := strings.CutSuffix(body, m); ok && b != "" {
				body, changed = b, true
			}
		}
	}
	return body
}

// markerUnits splits the units of one marker segment and checks that every
// one reads as a unit; nil when one does not (the bracket is then prose,
// not a marker). X等 and X等部门 give X; X等有关部门和单位 gives X and
// 有关部门和单位.
func markerUnits(s string) []string {
	units := writtenUnits(splitUnits(dropEtc(s)))
	if len(units) == 0 {
		return nil
	}
	for _, u := range units {
		if !looksLikeUnit(u) {
			return nil
		}
	}
	return units
}

// dropEtc rewrites the 等 of a unit list: X等 and X等部门 end at X;
// X等有关部门和单位 lists 有关部门和单位 after X.
func dropEtc(s string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "和及与") {
		s = groupConjRe.ReplaceAllString(s, "、$1")
	}
	for _, w := range []string{"等有关", "等相关", "等其他"} {
		s = strings.Replace(s, w, "、"+strings.TrimPrefix(w, "等"), 1)
	}
	// 等 ends each top-level run: X、Y等，各县、市、区政府 lists X, Y and
	// 各县、市、区政府, not Y等. The separators stay, for the comma rule.
	var b strings.Builder
	depth, last := 0, 0
	for i, r := range s {
		switch {
		case strings.ContainsRune(openers, r):
			depth++
		case strings.ContainsRune(closers, r):
			if depth > 0 {
				depth--
			}
		case depth == 0 && strings.ContainsRune(",;，；", r):
			b.WriteString(trimEtc(s[last:i]))
			b.WriteRune(r)
			last = i + utf8.RuneLen(r)
		}
	}
	b.WriteString(trimEtc(s[last:]))
	return b.String()
}

// trimEtc cuts the 等 (等部门, 等单位) that ends one run of a unit list.
func trimEtc(s string) string {
	t := strings.TrimSpace(s)
	for _, w := range []string{"等部门和单位", "等有关部门", "等部门", "等单位", "等"} {
		if u, ok := strings.CutSuffix(t, w); ok && strings.TrimSpace(u) != "" {
			return u
		}
	}
	return s
}

// catchAllPrefixes open the collective names notices give units (各地,
// 有关部门和单位, 区级相关部门): they read as units though they end in no
// unit suffix.
var catchAllPrefixes = []string{"各", "有关", "相关", "其他", "其它", "区级", "市级", "县级", "省级", "全市", "全区", "全县"}

// genericWords name a kind of unit, not a unit: 有关部门和单位 is one name.
var genericWords = map[string]bool{"单位": true, "部门": true, "机构": true, "企业": true, "公司": true, "政府": true, "组织": true, "团体": true}

// looksLikeUnit reports whether a name from a marker reads as a unit (or a
// group of units) rather than words of prose.
func looksLikeUnit(u string) bool {
	n := utf8.RuneCountInString(u)
	if n < 2 || n > 40 || strings.ContainsAny(u, "。:\"") || genericWords[u] {
		return false
	}
	if isCompleteUnit(u) {
		return true
	}
	for _, p := range catchAllPrefixes {
		if strings.HasPrefix(u, p) {
			// 各地, 有关部门和单位, 区级相关部门, 各区（县、市）: a collective
			// name still ends like a unit or a place.
			base := stripBrackets(u)
			for _, end := range []string{"部门", "单位", "政府", "机构", "机关", "部委", "企业", "地", "区", "县", "市", "镇", "乡", "街道", "方面", "组织", "团体", "院校", "学校"} {
				if strings.HasSuffix(base, end) {
					return true
				}
			}
			return false
		}
	}
	for _, suf := range []string{"政府", "单位", "银行", "总社", "公司", "企业", "街道", "乡镇", "各地", "机构", "法院", "检察院",
		"开发区", "高新区", "新区", "园区", "试验区", "示范区", "片区", "镇", "乡", "社区", "专班", "指挥部", "工作组",
		"中央", "大学", "海关", "集团", "总社", "党工委", "工委"} {
		if strings.HasSuffix(u, suf) {
			return true
		}
	}
	return false
}

// asWritten maps units read from the folded form of a marker back to the
// characters the notice printed (full-width brackets, Traditional script):
// folding maps rune to rune, so a unit's rune span in the folded text is its
// span in the original. A name the folded text does not hold (an expanded
// list) stays as it is.
func asWritten(orig, norm string, units []string) []string {
	if len(units) == 0 {
		return units
	}
	or := []rune(orig)
	out := make([]string, 0, len(units))
	for _, u := range units {
		i := strings.Index(norm, u)
		if i < 0 {
			out = append(out, u)
			continue
		}
		start := utf8.RuneCountInString(norm[:i])
		end := start + utf8.RuneCountInString(u)
		if end > len(or) {
			out = append(out, u)
			continue
		}
		out = append(out, string(or[start:end]))
	}
	return out
}

// applyRule splits a plain unit list into leads and the rest under the
// notice's rule.
func applyRule(list string, rule LeadRule) (lead, resp []string) {
	list = cutSentence(list)
	if body, r := cutVerb(list); r != roleNone {
		list = body // 责任单位：X、Y负责
	}
	list = dropEtc(list)
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
		if isGroupRun(names) {
			// 各区、县级市人民政府: one collective unit, not two.
			out = append(out, run)
			continue
		}
		var split []string
		for _, n := range names {
			for _, c := range splitConj(n) {
				split = append(split, splitSpaced(c)...)
			}
		}
		out = append(out, split...)
	}
	var units []string
	for _, n := range out {
		units = append(units, expandInner(n)...)
	}
	return units
}

// splitSpaced splits names a table cell or a page kept apart only by white
// space (one unit a paragraph: 市发展改革委 市财政局), when every part reads
// as a unit on its own; padded names (市 商 务 局) stay whole.
func splitSpaced(s string) []string {
	if !strings.ContainsAny(s, " \u3000\u00a0") {
		return []string{s}
	}
	parts := strings.Fields(s)
	if len(parts) < 2 {
		return []string{s}
	}
	for _, p := range parts {
		if utf8.RuneCountInString(p) < 3 || !looksLikeUnit(p) {
			return []string{s}
		}
	}
	return parts
}

// isGroupRun reports a run of names that is one collective unit: it opens
// with 各 on a bare place word and only its last name carries the suffix
// (各区、县级市人民政府, 各省、自治区、直辖市人民政府).
func isGroupRun(names []string) bool {
	if len(names) < 2 || !strings.HasPrefix(names[0], "各") || isCompleteUnit(names[0]) {
		return false
	}
	for _, n := range names[1 : len(names)-1] {
		if isCompleteUnit(n) || strings.HasPrefix(n, "各") || utf8.RuneCountInString(n) > 4 {
			return false
		}
	}
	last := stripBrackets(names[len(names)-1])
	if strings.HasPrefix(last, "各") {
		return false
	}
	if strings.HasSuffix(last, "人民政府") || strings.HasSuffix(last, "政府") || strings.HasSuffix(last, "管委会") {
		return true
	}
	// 各区、县级市 and 各省、自治区、直辖市: bare places throughout, the 各 of
	// the first reaching over all of them.
	return !isCompleteUnit(last) && utf8.RuneCountInString(last) <= 4 && isPlaceWord(last) && isPlaceWord(strings.TrimPrefix(strings.TrimPrefix(names[0], "各"), "有关"))
}

// isPlaceWord reports a bare kind of place: 区, 县级市, 自治区, 乡镇, 街道.
func isPlaceWord(s string) bool {
	for _, end := range []string{"区", "县", "市", "州", "盟", "旗", "镇", "乡", "街道", "乡镇", "省", "村", "社区", "园区"} {
		if strings.HasSuffix(s, end) {
			return true
		}
	}
	return false
}

// groupConjRe joins a list to a collective name: X等和各有关省级人民政府,
// X以及各县（市、区）, X和有关部门. The collective name is a unit of its own.
var groupConjRe = regexp.MustCompile(`(?:等)?(?:以及|和|及|与)((?:各|有关|相关|其他|其它)\p{Han})`)

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
			if depth == 0 && i > 0 && isCompleteUnit(s[:i]) && len(s) > i+len(string(r)) && !genericWords[strings.TrimSpace(s[i+len(string(r)):])] {
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

// sharedSuffixAliases gives the full names of a run of names that share
// the last one's suffix (江岸、黄陂区人民政府: 江岸 is 江岸区人民政府), so
// that listings find them; the task keeps the names as the notice writes
// them.
func sharedSuffixAliases(list string) []Alias {
	var out []Alias
	for _, run := range splitTopLevel(list, ",;") {
		if i := strings.LastIndex(run, ":"); i >= 0 {
			run = run[i+1:] // 责任单位:
		}
		names := splitTopLevel(run, "、")
		full := expandSharedSuffix(names)
		for i := range names {
			if short := strings.TrimSpace(names[i]); short != full[i] {
				out = append(out, Alias{Short: short, Full: full[i]})
			}
		}
	}
	return out
}

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
	if g[1] == len(name) && g[0] > 0 && isNote {
		return nonEmpty(outer)
	}
	// 区发改局(区粮食局), 武汉经济技术开发区管委会〈汉南区人民政府〉: one body
	// under two names, kept as written; the directory learns both names
	// (altNameAliases). Any other bracket after a complete name is a note.
	if g[1] == len(name) && g[0] > 0 && isCompleteUnit(outer) && !isAltName(inner) {
		return nonEmpty(outer)
	}
	return nonEmpty(name) // 各县(区)人民政府: the bracket is part of the name
}

// isAltName reports a bracket that holds another name of the unit before
// it: one complete unit name, not a list or a remark.
func isAltName(inner string) bool {
	inner = strings.TrimSpace(inner)
	return isCompleteUnit(inner) && !strings.ContainsAny(inner, "、,，;；:：") && utf8.RuneCountInString(inner) <= 20
}

// altNameAliases gives the directory both names of units written with an
// alternate name in brackets: 区民政局(区委社会工委) is found as 区民政局 and
// as 区委社会工委.
func altNameAliases(units []string) []Alias {
	var out []Alias
	for _, u := range units {
		gs := bracketGroups(u)
		if len(gs) == 0 {
			continue
		}
		g := gs[len(gs)-1]
		if g[1] != len(u) || g[0] == 0 {
			continue
		}
		outer, inner := strings.TrimSpace(u[:g[0]]), strings.TrimSpace(u[g[0]+g[2]:g[1]-g[3]])
		if isCompleteUnit(outer) && isAltName(inner) {
			out = append(out, Alias{Short: u, Full: outer}, Alias{Short: inner, Full: outer})
		}
	}
	return out
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

// bracketDelta is how many brackets s opens and leaves open (negative
// when it closes more than it opens).
func bracketDelta(s string) int {
	d := 0
	for _, r := range s {
		switch {
		case strings.ContainsRune(openers, r):
			d++
		case strings.ContainsRune(closers, r):
			d--
		}
	}
	return d
}

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
// white space. Folding maps rune to rune, so what a pattern finds in the
// folded text is taken back from the original, rune for rune (asWritten).
func foldText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}
