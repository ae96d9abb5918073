package corpus

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/assignbot/assignbot/corpus/t2s"
)

// Numbering labels, outermost first: 一、 （一） 1. （1）. Levels are the
// notice's own: a notice that numbers its tasks （三）…（二十四） has tasks at
// level 2.
var (
	level1Re = regexp.MustCompile(`^([一二三四五六七八九十百零〇]+)\s*[、.．]\s*`)
	level2Re = regexp.MustCompile(`^[(（]\s*([一二三四五六七八九十百零〇]+)\s*[)）]\s*[、.．]?\s*`)
	level3Re = regexp.MustCompile(`^(\d{1,3})\s*(?:[.．](?:[^\d]|$)|、)\s*`)
	// decimalRe is a decimal item number, 1.1 or 2.3, followed by the item's
	// words, not by the rest of a number (3.5亿元, 2.100个).
	// gluedNumberRe is an item number whose text starts with digits: 11.121人才.
	gluedNumberRe = regexp.MustCompile(`^(\d{1,3})[.．]\d`)
	decimalRe     = regexp.MustCompile(`^(\d{1,2}[.．]\d{1,2})(?:\s+|[、.．]\s*)?(\p{Han}|“|《)`)
	level4Re      = regexp.MustCompile(`^[(（]\s*(\d{1,3})\s*[)）]\s*|^([①-⑳])\s*`)
	dashHead      = regexp.MustCompile(`^[—–-]{1,2}\s*(\S.*)$`)
	rosterHeadRe  = regexp.MustCompile(`(?:领导小组|委员会|联席会议|工作小组|指挥部).*名单|名单.*(?:领导小组|委员会|联席会议)`)
	pdfLine       = regexp.MustCompile(`(?i)\.(pdf|docx?|wps)\s*$`)
)

// Parse turns the cleaned lines of one notice into a Notice. dir resolves
// unit names and learns the short names the notice defines. Parse never
// fails: text it cannot place stays in passages.
func Parse(doc string, lines []string, dir *Directory) *Notice {
	n := &Notice{Doc: doc}
	full := strings.Join(lines, "\n")
	norm := foldText(full)
	readMeta(n, lines)
	findRegion(n, lines)
	n.LeadRule = string(detectLeadRule(norm))
	learnAliases(n, norm, dir)

	p := &parser{n: n, dir: dir, read: map[string]marker{}}
	tables := findTables(lines)
	var rosterLines map[int]bool
	n.Groups, rosterLines, n.Unread = parseGroups(lines, norm, dir)
	if !titleRe.MatchString(n.Title) && n.PlanTitle == "" && len(n.Groups) > 0 && n.Groups[0].Name != "" {
		n.Title = n.Groups[0].Name // a notice captured without its title that founds a group
	}
	if n.Title == "" {
		n.Title = strings.TrimSuffix(doc, path.Ext(doc)) // a bare table: the file's name
	}
	outlineLines := lines
	if len(tables) > 0 || len(rosterLines) > 0 {
		// Table rows are read as rows and rosters as rosters, not as
		// numbered paragraphs.
		outlineLines = append([]string(nil), lines...)
		for _, t := range tables {
			for i := t.start; i < t.end; i++ {
				outlineLines[i] = ""
			}
		}
		for i := range rosterLines {
			outlineLines[i] = ""
		}
	}
	p.outline(outlineLines)
	p.assignTasks()
	var unreadRows []Unread
	for _, t := range tables {
		prefix, under := p.tablePrefix(lines, t)
		unreadRows = append(unreadRows, p.tableTasks(t, prefix, under)...)
	}
	if len(tables) > 0 {
		sort.SliceStable(n.Tasks, func(i, j int) bool { return n.Tasks[i].Line < n.Tasks[j].Line })
	}
	n.Deadlines = findDeadlines(n, p.allNodes, dir)
	n.Unread = append(n.Unread, p.unreadMarkers(outlineLines)...)
	n.Unread = append(n.Unread, p.silentItems()...)
	// table.go: rows that name units but gave no task, and tables whose
	// header names no columns of tasks and units.
	n.Unread = append(append(n.Unread, unreadRows...), unreadTables(lines, tables)...)
	// Empty lists are empty, never null: a parse read back from the cache
	// (where gob keeps no empty list) must print as this one does.
	emptyNotNil(n)
	return n
}

// learn records short names the notice's units imply (江夏 for 江夏区人民政府
// in a run sharing a suffix): in the directory now, and in the notice, so
// that a load that takes the notice from a cache learns them again.
func (p *parser) learn(aliases []Alias) {
	for _, a := range aliases {
		if !slices.Contains(p.n.Aliases, a) {
			p.dir.Learn(a.Short, a.Full)
			p.n.Aliases = append(p.n.Aliases, a)
		}
	}
}

// unreadMarkers finds the brackets that close a sentence and name units
// (负责, 牵头, 配合, 单位…) but that no marker rule read, and own-line unit
// labels outside any task: text a person must check because its units are
// in no task.
func (p *parser) unreadMarkers(lines []string) []Unread {
	n, rule := p.n, LeadRule(p.n.LeadRule)
	// The lines of every numbered item that became tasks.
	inTask := map[int]bool{}
	for i, nd := range p.allNodes {
		if nd.Task == nil && !nd.paraTasks {
			continue
		}
		end := len(lines)
		if i+1 < len(p.allNodes) {
			end = p.allNodes[i+1].Line - 1
		}
		for l := nd.Line; l <= end; l++ {
			inTask[l] = true
		}
	}
	for _, t := range n.Tasks {
		inTask[t.Line] = true // table rows
	}
	var out []Unread
	for i, l := range lines {
		if l == "" {
			continue
		}
		if isUnitLine(l) && !inTask[i+1] {
			out = append(out, Unread{Line: i + 1, Text: clipRunes(l, 80), Reason: "单位行不在任何编号任务之内", Paragraph: clipRunes(l, 500)})
			continue
		}
		for _, g := range bracketGroups(l) {
			content := l[g[0]+g[2] : g[1]-g[3]]
			if !mayBeMarker(content) || !closesSentence(l, g[1]) || !markerShaped(content) || isBareVerb(content) {
				continue
			}
			m, ok := p.read[l[g[0]:g[1]]] // read already, in a task
			if !ok {
				m, ok = parseMarker(content, rule)
			}
			switch {
			case !ok && strings.ContainsAny(foldText(content), ":") && !hasRoleLabel(foldText(content)):
				continue // (以下简称…：) and other notes
			case !ok:
				out = append(out, Unread{Line: i + 1, Text: clipRunes(l[g[0]:g[1]], 80), Reason: "括注写了单位，但没有规则能读出", Paragraph: clipRunes(l, 500)})
			case !inTask[i+1]:
				out = append(out, Unread{Line: i + 1, Text: clipRunes(l[g[0]:g[1]], 80), Reason: fmt.Sprintf("括注（%d个单位）所在段落不是编号任务", len(m.lead)+len(m.resp)+len(m.guide)), Paragraph: clipRunes(l, 500)})
			}
		}
	}
	return out
}

// closesSentence reports whether a bracket ending at byte end closes a
// sentence or clause: the line ends, or a stop or comma follows.
func closesSentence(l string, end int) bool {
	rest := strings.TrimLeft(l[end:], " ")
	return rest == "" || strings.HasPrefix(rest, "。") || strings.HasPrefix(rest, "；") || strings.HasPrefix(rest, ";") ||
		strings.HasPrefix(rest, "，") || strings.HasPrefix(rest, ",") || strings.HasPrefix(rest, ".")
}

// markerShaped reports whether a bracket reads like a unit marker: it
// starts with a role label or its first sentence ends in a marker verb.
func markerShaped(content string) bool {
	norm := foldText(content)
	if ls := findLabels(norm); len(ls) > 0 && ls[0].start <= 2 && ls[0].kind != labelOther {
		return true
	}
	_, r := cutVerb(cutSentence(norm))
	return r != roleNone
}

func clipRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

type parser struct {
	read     map[string]marker // brackets read as markers, by their text
	n        *Notice
	dir      *Directory
	allNodes []*Node
	preamble []string
	preLine  int
}

// halfWidthDigits turns the full-width digits and stop of an item number at
// the start of a line (１．, （１）) into ASCII, so that one pattern reads both.
func halfWidthDigits(line string) string {
	if !strings.ContainsAny(line, "０１２３４５６７８９") {
		return line
	}
	rs := []rune(line)
	i := 0
	for i < len(rs) && (rs[i] == '(' || rs[i] == '（' || rs[i] == ' ' || rs[i] == '\u3000') {
		i++
	}
	if i == len(rs) || rs[i] < '０' || rs[i] > '９' {
		return line // the item number only, never the digits of its text
	}
	for ; i < len(rs) && rs[i] >= '０' && rs[i] <= '９'; i++ {
		rs[i] = rs[i] - '０' + '0'
	}
	return string(rs)
}

// leaderHeadRe is a section heading that names the leader of the tasks
// under it: 二、李丹常委、常务副区长牵头重点工作, 一、夏禹桨区长牵头重点工作.
var leaderHeadRe = regexp.MustCompile(`^([\p{Han}]{2,3}?)(?:同志|常委|委员|区长|副区长|常务副区长|市长|副市长|常务副市长|县长|副县长|常务副县长|省长|副省长|书记|副书记|主任|副主任|秘书长|副秘书长|部长|局长)[^，。；]{0,24}?(?:牵头|分管|负责)`)

// leaderOf returns the person a section heading names as leading the
// tasks under it, as written, or "".
func leaderOf(nd *Node) string {
	if nd == nil {
		return ""
	}
	if m := leaderHeadRe.FindStringSubmatchIndex(t2s.String(nd.Title)); m != nil {
		return string([]rune(nd.Title)[:utf8.RuneCountInString(t2s.String(nd.Title)[:m[3]])])
	}
	return ""
}

// measureWords follow a decimal number that is a quantity, not an item
// number: 3.5亿元, 1.2万人.
const measureWords = "亿万千百十个元倍%‰米吨亩家项次人年月日天公平度分秒级所座条台辆套户倍岁名期批"

// labelOf recognizes a numbering label at the start of a line.
func labelOf(line string) (level int, label, rest string) {
	line = halfWidthDigits(line)
	if m := level2Re.FindStringSubmatchIndex(line); m != nil {
		return 2, "(" + line[m[2]:m[3]] + ")", line[m[1]:]
	}
	if m := level4Re.FindStringSubmatchIndex(line); m != nil {
		if m[2] >= 0 {
			return 4, "(" + line[m[2]:m[3]] + ")", line[m[1]:]
		}
		return 4, line[m[4]:m[5]], line[m[1]:]
	}
	if m := level1Re.FindStringSubmatchIndex(line); m != nil {
		return 1, line[m[2]:m[3]], line[m[1]:]
	}
	if m := decimalRe.FindStringSubmatchIndex(line); m != nil {
		next, _ := utf8.DecodeRuneInString(line[m[4]:])
		if !strings.ContainsRune(measureWords, next) {
			return 3, strings.ReplaceAll(line[m[2]:m[3]], "．", "."), line[m[4]:]
		}
		return 0, "", line
	}
	if m := level3Re.FindStringSubmatchIndex(line); m != nil {
		rest := line[m[1]:]
		// "1.5亿元" is a number, not a label: level3Re consumed one
		// non-digit after the dot; give it back.
		if strings.HasPrefix(line[m[3]:], ".") || strings.HasPrefix(line[m[3]:], "．") {
			dot := 1
			if strings.HasPrefix(line[m[3]:], "．") {
				dot = len("．")
			}
			rest = strings.TrimLeft(line[m[3]+dot:], " \t")
		}
		return 3, line[m[2]:m[3]], rest
	}
	return 0, "", line
}

// outline builds the tree of numbered items. Item text runs on over
// following unnumbered lines; a roster heading or a file name ends it.
func (p *parser) outline(lines []string) {
	var stack []*Node
	var cur *Node
	group := ""
	seenL1 := map[string]bool{}
	inRoster := false
	annex := "" // 附件1-: the items of a numbered annex carry its number
	lastL3 := 0 // the last number of a 1. 2. 3. list, which may run across sections
	part := 0
	partOf := map[*Node]int{}
	for i, line := range lines {
		if line == "" {
			continue
		}
		if isRosterHead(line) || pdfLine.MatchString(line) {
			inRoster = true
			cur, stack = nil, nil
			continue
		}
		if inRoster {
			continue
		}
		if m := annexHead.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			annex = "附件" + m[1] + "-"
			cur, stack = nil, nil
		}
		level, label, rest := labelOf(line)
		if level == 0 && lastL3 > 0 {
			// 11.121人才梯队项目: item 11 runs into a number of its text;
			// it is an item only as the next number of the list.
			if m := gluedNumberRe.FindStringSubmatch(line); m != nil && m[1] == strconv.Itoa(lastL3+1) {
				_, size := utf8.DecodeRuneInString(line[len(m[1]):]) // the stop, . or ．
				level, label, rest = 3, m[1], line[len(m[1])+size:]
			}
		}
		if level == 3 {
			lastL3, _ = strconv.Atoi(label)
		}
		if level == 0 && isSignature(line) {
			// The issuer and date under a cover letter end its last item.
			cur = nil
			p.preamble = append(p.preamble, line)
			continue
		}
		if level == 0 {
			if m := dashHead.FindStringSubmatch(line); m != nil && cur != nil && utf8.RuneCountInString(m[1]) < 40 {
				group = strings.TrimSpace(m[1])
				continue
			}
			switch {
			case cur != nil:
				open := cur.open > 0
				cur.Text += "\n" + line
				cur.open = max(0, cur.open+bracketDelta(line))
				if open {
					// The line continues a bracket opened above: （牵头单位：X；
					// / 责任单位：Y） is one marker, read as such.
				} else if isUnitLine(line) {
					cur.units = append(cur.units, line)
					cur.unitsEnd = i
				} else if last := len(cur.units) - 1; last >= 0 && cur.unitsEnd == i-1 && continuesUnitLine(cur.units[last], line) {
					// A units line wrapped by the page: 园区党工 / 委、各街道党工委.
					cur.units[last] += line
					cur.unitsEnd = i
				} else if who, ok := personLabelAt(line); ok && cur.leader == "" {
					cur.leader = who
				}
			default:
				if p.preamble == nil {
					p.preLine = i + 1
				}
				p.preamble = append(p.preamble, line)
			}
			continue
		}
		if level == 1 {
			if seenL1[label] {
				// Numbering starts again: the cover letter had its own
				// 一、二、三、; the plan begins here.
				seenL1 = map[string]bool{}
				stack = nil
				part++
			}
			seenL1[label] = true
			group = ""
		}
		for len(stack) > 0 && stack[len(stack)-1].Level >= level {
			stack = stack[:len(stack)-1]
		}
		node := &Node{Label: label, Level: level, Text: rest, Line: i + 1, group: group, open: max(0, bracketDelta(rest))}
		if level <= 2 {
			group = ""
			node.group = ""
		}
		ref := annex
		if len(stack) > 0 {
			node.parent = stack[len(stack)-1]
			ref = node.parent.Ref
			node.parent.Children = append(node.parent.Children, node)
		} else {
			p.n.Outline = append(p.n.Outline, node)
		}
		node.Ref = ref + label
		node.Title = titleOf(rest)
		stack = append(stack, node)
		p.allNodes = append(p.allNodes, node)
		partOf[node] = part
		cur = node
	}
	// When numbering starts again (a cover letter and its plan both use
	// 一、), the earlier parts' refs get the prefix 通知 so that the plan
	// keeps the plain refs people cite, and every ref stays unique.
	for _, nd := range p.allNodes {
		if partOf[nd] < part {
			nd.Ref = strings.Repeat("通知", part-partOf[nd]) + nd.Ref
		}
	}
}

// isRosterHead reports a roster's heading line: short, naming a leading
// group and a list (名单), not a sentence that mentions one.
func isRosterHead(line string) bool {
	return (strings.Contains(line, "名单") || strings.Contains(line, "名單")) && utf8.RuneCountInString(line) <= 50 && !strings.ContainsAny(line, "。，,") &&
		rosterHeadRe.MatchString(t2s.String(line))
}

// isSignature reports the issuer or date line that closes a cover letter.
func isSignature(line string) bool {
	t := strings.TrimSpace(line)
	if dateLineRe.MatchString(t) {
		return true
	}
	s := t2s.String(t)
	return utf8.RuneCountInString(s) <= 24 && !strings.ContainsAny(s, "。，,;；:：()（）") &&
		(strings.HasSuffix(s, "办公厅") || strings.HasSuffix(s, "办公室") || strings.HasSuffix(s, "人民政府"))
}

// titleOf takes the heading part of an item's first line: up to the first
// full stop or marker.
func titleOf(rest string) string {
	t := rest
	if i := strings.IndexAny(t, "。；;"); i >= 0 {
		t = t[:i]
	}
	if gs := bracketGroups(t); len(gs) > 0 && strings.Contains(foldText(t[gs[0][0]:]), "单位") {
		t = t[:gs[0][0]]
	}
	return strings.TrimSpace(t)
}

// assignTasks decides which items are tasks and reads their units.
func (p *parser) assignTasks() {
	rule := LeadRule(p.n.LeadRule)
	marks := map[*Node][]marker{}
	for _, nd := range p.allNodes {
		ms := findMarkers(nd.Text, rule)
		for _, m := range ms {
			p.read[nd.Text[m.start:m.end]] = m
		}
		ms = append(ms, ownLineMarkers(nd.units, rule)...)
		if len(ms) == 0 && len(nd.Children) == 0 {
			ms = proseMarkers(nd.Text, rule)
		}
		ms = headingMarkers(nd, ms, rule) // heading.go: 一、X牵头工作 over the items
		marks[nd] = ms
		for _, m := range ms {
			p.learn(m.aliases)
			for _, us := range [][]string{m.lead, m.resp, m.guide} {
				p.learn(altNameAliases(us))
			}
		}
	}
	anyMarks := false
	for _, ms := range marks {
		anyMarks = anyMarks || len(ms) > 0
	}
	isTask := func(nd *Node) bool { return len(marks[nd]) > 0 }
	if !anyMarks && len(p.n.LeadUnits) > 0 {
		// The notice names its lead in prose and marks no task: every
		// leaf item of a work section is a task of that lead.
		isTask = func(nd *Node) bool { return len(nd.Children) == 0 && passageKind(nd) == "section" }
	}
	for _, nd := range p.allNodes {
		task := isTask(nd)
		if !task && len(nd.Children) == 0 && nd.parent != nil {
			// A leaf without a marker among siblings that are tasks is a
			// task whose units the notice left out.
			sib, tasks := 0, 0
			for _, s := range nd.parent.Children {
				if len(s.Children) == 0 {
					sib++
					if isTask(s) {
						tasks++
					}
				}
			}
			task = sib >= 3 && tasks*4 >= sib*3
		}
		if !task {
			p.passage(nd)
			continue
		}
		if p.paragraphTasks(nd, marks[nd]) {
			continue
		}
		t := &Task{
			Doc: p.n.Doc, Title: p.n.Title, Ref: nd.Ref, Text: nd.Text, Line: nd.Line,
			Sections: sectionTitles(nd),
		}
		ms := marks[nd]
		for _, m := range ms {
			t.LeadUnits = appendUnique(t.LeadUnits, m.lead...)
			t.ResponsibleUnits = appendUnique(t.ResponsibleUnits, m.resp...)
			t.GuideUnits = appendUnique(t.GuideUnits, m.guide...)
		}
		// A unit that leads any clause leads the task; keep the roles apart.
		t.ResponsibleUnits = without(t.ResponsibleUnits, t.LeadUnits)
		if len(ms) == 0 && len(p.n.LeadUnits) > 0 {
			t.LeadUnits = append(t.LeadUnits, p.n.LeadUnits...)
		}
		t.Clauses = clauses(nd.Text, ms)
		t.Leader = nd.leader
		for a := nd.parent; a != nil && t.Leader == ""; a = a.parent {
			t.Leader = leaderOf(a)
		}
		if t.LeadUnits == nil {
			t.LeadUnits = []string{}
		}
		if t.ResponsibleUnits == nil {
			t.ResponsibleUnits = []string{}
		}
		nd.Task = t
		p.n.Tasks = append(p.n.Tasks, t)
	}
	if len(p.preamble) > 0 {
		p.n.Passages = append([]Passage{{Kind: "preamble", Title: p.n.Title, Text: strings.Join(p.preamble, "\n"), Line: p.preLine}}, p.n.Passages...)
	}
}

// paragraphTasks splits an item whose paragraphs each carry their own unit
// markers (a State Council plan: （一）heading and unnumbered paragraphs, each
// ending in （X牵头，Y参与）) into one task per marker. Their refs follow the
// item: 二(一)-2 is the item's second paragraph (its heading paragraph is
// the first), 二(二)-2.1 the first marker of a paragraph with several.
// It reports false when the markers stand in one paragraph: that is one
// task with clauses.
func (p *parser) paragraphTasks(nd *Node, ms []marker) bool {
	var inline []marker
	for _, m := range ms {
		if !m.ownLine {
			inline = append(inline, m)
		}
	}
	if len(inline) < 2 || len(inline) != len(ms) {
		return false
	}
	para := func(off int) int { return strings.Count(nd.Text[:off], "\n") + 1 }
	if para(inline[0].start) == para(inline[len(inline)-1].start) {
		return false
	}
	perPara := map[int]int{}
	for _, m := range inline {
		perPara[para(m.start)]++
	}
	start, seen := 0, map[int]int{}
	for _, m := range inline {
		pi := para(m.start)
		if ls := strings.LastIndex(nd.Text[:m.start], "\n") + 1; ls > start {
			start = ls // a paragraph's first task starts with the paragraph
		}
		seen[pi]++
		ref := fmt.Sprintf("%s-%d", nd.Ref, pi)
		if perPara[pi] > 1 {
			ref = fmt.Sprintf("%s.%d", ref, seen[pi])
		}
		text := strings.TrimSpace(nd.Text[start:m.end])
		if pi == 1 {
			text = strings.TrimSpace(strings.TrimPrefix(text, nd.Title))
			text = strings.TrimLeft(text, "。.，, ")
		}
		t := &Task{
			Doc: p.n.Doc, Title: p.n.Title, Ref: ref, Text: text, Line: nd.Line + pi - 1,
			Sections:         append(sectionTitles(nd), nd.Title),
			LeadUnits:        orEmpty(m.lead),
			ResponsibleUnits: orEmpty(without(m.resp, m.lead)),
			GuideUnits:       m.guide,
			Clauses:          []Clause{},
		}
		p.n.Tasks = append(p.n.Tasks, t)
		start = m.end
	}
	nd.paraTasks = true
	p.passage(nd)
	return true
}

// passageKinds maps words of a section title to the kind of passage.
var passageKinds = []struct{ word, kind string }{
	{"目标", "goal"}, {"总体要求", "goal"}, {"指导思想", "goal"},
	{"阶段", "phase"}, {"工作安排", "phase"}, {"进度", "phase"}, {"时间", "phase"}, {"步骤", "phase"},
	{"领导", "group"}, {"组织", "requirement"}, {"要求", "requirement"}, {"保障", "requirement"}, {"措施", "requirement"},
}

func (p *parser) passage(nd *Node) {
	p.n.Passages = append(p.n.Passages, Passage{Kind: passageKind(nd), Ref: nd.Ref, Title: nd.Title, Text: nd.Text, Line: nd.Line})
}

// passageKind classifies an item by its own title and its sections'.
func passageKind(nd *Node) string {
	path := append(sectionTitles(nd), nd.Title)
	for i := len(path) - 1; i >= 0; i-- {
		t := t2s.String(path[i])
		for _, k := range passageKinds {
			if strings.Contains(t, k.word) {
				return k.kind
			}
		}
	}
	return "section"
}

// sectionTitles lists the titles of the sections enclosing nd, with the
// dash heading it stands under last.
func sectionTitles(nd *Node) []string {
	var ts []string
	for a := nd.parent; a != nil; a = a.parent {
		ts = append([]string{a.Title}, ts...)
	}
	if nd.group != "" {
		ts = append(ts, nd.group)
	}
	if ts == nil {
		ts = []string{}
	}
	return ts
}

// ownLineMarkers reads units given on lines of their own after a task.
func ownLineMarkers(lines []string, rule LeadRule) []marker {
	if len(lines) == 0 {
		return nil
	}
	m, ok := parseMarker(strings.Join(lines, ";"), rule)
	if !ok {
		return nil
	}
	m.ownLine = true
	return []marker{m}
}

// clauses splits a task with several markers into clauses, each with its
// own units. A task with one marker has no clauses.
func clauses(text string, ms []marker) []Clause {
	inline := ms[:0:0]
	for _, m := range ms {
		if !m.ownLine {
			inline = append(inline, m)
		}
	}
	if len(inline) < 2 {
		return []Clause{}
	}
	var cs []Clause
	start := 0
	for i, m := range inline {
		end := m.end
		if i == len(inline)-1 {
			end = len(text)
		}
		t := strings.TrimLeft(text[start:end], "。；;，,、 \n")
		t = strings.TrimRight(t, "；;，, \n")
		cs = append(cs, Clause{N: i + 1, Text: t, LeadUnits: orEmpty(m.lead), ResponsibleUnits: orEmpty(m.resp)})
		start = m.end
	}
	return cs
}

// without returns the names of a that are not in b.
func without(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Metadata.
var (
	docNumberRe = regexp.MustCompile(`[\p{Han}]{1,8}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*\d{1,4}\s*[号號]`)
	dateLineRe  = regexp.MustCompile(`^(?:成文日期|发布日期|發布日期)?[:：]?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$`)
	issuerRe    = regexp.MustCompile(`(?:发文机构|發文機構|发布机构|發布機構)[:：]?\s*([\p{Han}]+?)(?:发文字号|發文字號|\s|$)`)
	titleRe     = regexp.MustCompile(`(关于|關於|關于)[\p{Han}\p{P}\w〈〉《》]*(通知|方案|要点|要點|意见|意見|决定|決定|批复|批覆|通报|通報|办法|辦法|规划|規劃|函)`)
	titleEndRe  = regexp.MustCompile(`(通知|方案|要点|要點|意见|意見|决定|決定|批复|批覆|通报|通報|办法|辦法|规划|規劃|函|清单|清單|分工|分解)$`)
	planTitleRe = regexp.MustCompile(`^[^，。,;；：:]{4,60}(方案|要点|要點|清单|清單|分工|分解|计划|計劃)$`)
	aliasRe     = regexp.MustCompile(`([\p{Han}]{2,30}?)[(（]以下简称\s*[“"]?([\p{Han}]{2,10})[”"]?[)）]`)
)

// readMeta fills title, document number, issuer and date.
func readMeta(n *Notice, lines []string) {
	for i, l := range lines {
		if i > 40 {
			break
		}
		if n.DocNumber == "" {
			n.DocNumber = docNumberIn(l)
		}
		if n.Title == "" {
			l := joinTitleLines(lines, i)
			if m := titleRe.FindStringIndex(l); m != nil && !strings.HasPrefix(strings.TrimSpace(l), "为") {
				t := l
				if dn := docNumberRe.FindStringIndex(t); dn != nil && dn[0] == 0 {
					t = t[dn[1]:]
				}
				t = cutSiteName(strings.TrimSpace(strings.Trim(strings.TrimSpace(t), "《》")))
				if utf8.RuneCountInString(t) <= 100 {
					n.Title = t
				}
			}
			if n.Title == "" {
				n.Title = embeddedTitle(l)
			}
		} else if t := fullerTitle(n.Title, joinTitleLines(lines, i)); t != "" {
			n.Title = t
		}
		if n.Issuer == "" {
			if m := issuerRe.FindStringSubmatch(l); m != nil {
				n.Issuer = m[1]
			}
		}
	}
	for i, l := range lines {
		if n.Date == "" {
			if m := dateLineRe.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
				n.Date = isoDate(atoi(m[1]), atoi(m[2]), atoi(m[3]))
				if n.Issuer == "" && i > 0 && isCompleteUnit(foldText(lines[i-1])) && utf8.RuneCountInString(lines[i-1]) < 30 {
					n.Issuer = lines[i-1]
				}
			}
		}
	}
	// The plan's own title: a short line ending in 方案, possibly split over
	// two lines (…1号议案 / 办理工作方案).
	for i, l := range lines {
		if i > 60 || n.PlanTitle != "" {
			break
		}
		if l == n.Title || strings.Contains(l, "关于") || strings.Contains(l, "關於") || strings.Contains(l, "關于") {
			continue
		}
		if planTitleRe.MatchString(l) {
			if prev := prevNonEmpty(lines, i); prev != "" && utf8.RuneCountInString(l) <= 8 && !strings.ContainsAny(prev, "。，,") {
				l = prev + l
			}
			n.PlanTitle = strings.Trim(l, "《》")
		}
	}
	if n.Title == "" && n.PlanTitle != "" {
		n.Title = n.PlanTitle
	}
	if n.Title == "" {
		// No title printed (a page capture): the first line that is not an
		// addressee list, cut to its first clause.
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" && !strings.HasSuffix(l, ":") && !strings.HasSuffix(l, "：") && !(docNumberRe.MatchString(l) && utf8.RuneCountInString(l) <= 30) &&
				!strings.HasPrefix(l, "|") && !strings.Contains(l, "\t") && !isNoTitle(l) {
				n.Title = clipTitle(l)
				break
			}
		}
	}
	if n.Issuer == "" {
		if i := strings.Index(n.Title, "关于"); i > 0 {
			n.Issuer = n.Title[:i]
		} else if i := strings.Index(n.Title, "關于"); i > 0 {
			n.Issuer = n.Title[:i]
		}
	}
}

// clipTitle cuts a paragraph used as a title to its first clause, at most
// 40 characters.
func clipTitle(l string) string {
	if i := strings.IndexAny(l, "。；;，,"); i > 0 {
		l = l[:i]
	}
	if r := []rune(l); len(r) > 40 {
		l = string(r[:40]) + "…"
	}
	return l
}

// joinTitleLines returns line i joined with the lines that continue it
// when a title is printed over two or three lines (国务院关于加快推进农业机械化和
// / 农机装备产业转型升级的指导意见): a line that opens a title (关于) without
// its closing word takes short unpunctuated lines until one ends the title.
func joinTitleLines(lines []string, i int) string {
	l := strings.TrimSpace(lines[i])
	if titleEndRe.MatchString(l) || !(strings.Contains(l, "关于") || strings.Contains(l, "關於") || strings.Contains(l, "關于")) ||
		strings.ContainsAny(l, "。，,：:") || utf8.RuneCountInString(l) > 40 {
		return lines[i]
	}
	joined := l
	for j, taken := i+1, 0; j < len(lines) && taken < 3; j++ {
		next := strings.TrimSpace(lines[j])
		if next == "" {
			continue
		}
		if strings.ContainsAny(next, "。，,：:") || utf8.RuneCountInString(next) > 40 || docNumberRe.MatchString(next) {
			break
		}
		joined += next
		taken++
		if titleEndRe.MatchString(next) {
			return joined
		}
	}
	return lines[i]
}

func prevNonEmpty(lines []string, i int) string {
	for j := i - 1; j >= 0; j-- {
		if strings.TrimSpace(lines[j]) != "" {
			return strings.TrimSpace(lines[j])
		}
	}
	return ""
}

// docNumberIn finds the notice's own document number in a line: not one
// the text cites in brackets (川办发〔2020〕52号), and without a label run
// into it (发文字号武政办〔2020〕1号).
func docNumberIn(l string) string {
	for _, m := range docNumberRe.FindAllStringIndex(l, -1) {
		before := strings.TrimRight(l[:m[0]], " ")
		if strings.HasSuffix(before, "(") || strings.HasSuffix(before, "（") || strings.HasSuffix(before, "《") {
			continue
		}
		num := strings.ReplaceAll(l[m[0]:m[1]], " ", "")
		for _, label := range []string{"字号", "字號", "文号", "文號"} {
			if i := strings.LastIndex(num, label); i >= 0 {
				num = num[i+len(label):]
			}
		}
		return num
	}
	return ""
}

// learnAliases records the short names a notice defines for units and the
// units its prose makes leads of the whole work. norm is the folded text;
// each pattern runs only where its key words occur.
func learnAliases(n *Notice, norm string, dir *Directory) {
	for _, sent := range splitSentences(norm) {
		learnFromSentence(n, sent, dir)
	}
}

func learnFromSentence(n *Notice, sent string, dir *Directory) {
	if !strings.Contains(sent, "以下简称") && !strings.Contains(sent, "不再列出") && !strings.Contains(sent, "牵头") {
		return
	}
	for _, m := range aliasRe.FindAllStringSubmatch(sent, -1) {
		fullName := trimLeadingVerb(m[1])
		if !isCompleteUnit(fullName) {
			continue
		}
		dir.Learn(m[2], fullName)
		n.Aliases = append(n.Aliases, Alias{Short: m[2], Full: dir.Canonical(fullName)})
	}
	for _, m := range alwaysRe.FindAllStringSubmatch(sent, -1) {
		n.AlwaysUnits = appendUnique(n.AlwaysUnits, writtenUnits(splitUnits(m[1]))...)
	}
	if !strings.Contains(sent, "牵头责任单位") && !strings.Contains(sent, "的牵头单位") {
		return
	}
	for _, m := range proseLeadRe.FindAllStringSubmatch(sent, -1) {
		units := writtenUnits(splitUnits(trimLeadingVerb(m[1])))
		if allUnits(units) {
			n.LeadUnits = appendUnique(n.LeadUnits, units...)
		}
	}
}

// leadingVerbs are verbs that run into a unit name in prose (强化武汉城市圈…).
var leadingVerbs = []string{"强化", "加强", "发挥", "依托", "支持", "成立", "设立", "组建", "建立", "充分发挥", "由", "请", "推动", "明确", "在"}

// trimLeadingVerb cuts the prose before a unit name: after the last
// punctuation and a leading verb.
func trimLeadingVerb(s string) string {
	if i := strings.LastIndexAny(s, "，。、；,;: "); i >= 0 {
		s = s[i+1:]
	}
	for _, v := range leadingVerbs {
		if strings.HasPrefix(s, v) && utf8.RuneCountInString(s) > utf8.RuneCountInString(v)+1 {
			return s[len(v):]
		}
	}
	return s
}
