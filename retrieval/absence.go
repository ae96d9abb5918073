package retrieval

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/assignbot/assignbot/corpus"
)

// Honest absence: a question that names a leading group, committee or
// joint conference is answered from that group or not at all. Asked who
// heads 国家乡村振兴领导小组 when only 第三次全国经济普查领导小组 is loaded,
// the answer says the group is not loaded, and names the loaded groups
// whose names come closest, rather than the head of another group.

// groupNameRe finds the name of a group in a question: the words before
// 领导小组, 委员会, 联席会议 and the like.
var groupNameRe = regexp.MustCompile(`([\p{Han}0-9]{2,30}?)(领导小组|工作小组|委员会|联席会议|指挥部|工作专班)`)

// groupCut are the words a group's name never runs across: what comes
// before them names the notice or asks the question.
var groupCut = regexp.MustCompile(`.*(?:里|中|的|在|哪|那个|这个|那份|这份|关于|请问|问一下|成立|调整|建立)`)

// groupGeneric are the words of a group's name that tell no group apart.
var groupGeneric = strings.NewReplacer("建议案", "", "议案", "", "办理", "", "国务院", "", "全国", "", "国家", "", "工作", "", "有关", "", "相关", "", "部际", "")

// namedGroup is the group a question names, as written, and its
// distinguishing words; "" when it names none in particular.
func namedGroup(norm string) (name, specific string) {
	m := groupNameRe.FindStringSubmatch(norm)
	if m == nil {
		return "", ""
	}
	head := groupCut.ReplaceAllString(strings.TrimSuffix(m[1], "的"), "")
	for _, w := range []string{"谁是", "是谁", "哪位", "谁", "组长", "主任", "召集人", "成员", "委员", "秘书长", "办公室", "主席"} {
		if i := strings.LastIndex(head, w); i >= 0 {
			head = head[i+len(w):]
		}
	}
	spec := strings.TrimLeft(groupGeneric.Replace(head), "省市区县")
	if utf8Len(spec) < 2 {
		return "", ""
	}
	return head + m[2], spec
}

// missingGroup says a question's group is not loaded, naming the loaded
// groups closest to it; "" when the group is loaded or none is named.
func (ix *Index) missingGroup(q Query) string {
	norm := corpus.Normalize(q.Question)
	if q.Lang == "en" {
		zh, _ := glossaryTranslate(q.Question)
		norm = corpus.Normalize(zh)
	}
	norm = strings.ReplaceAll(norm, " ", "")
	if !containsAny(norm, []string{"领导小组", "工作小组", "委员会", "联席会议", "指挥部", "工作专班"}) {
		return ""
	}
	name, spec := namedGroup(norm)
	if name == "" {
		return ""
	}
	head := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "领导小组"), "工作小组"), "委员会"), "联席会议"), "指挥部"), "工作专班")
	// The name as asked, and its endings of four characters or more: a
	// unit or notice named before the group (税务总局在经济普查领导小组)
	// does not make it another group.
	var wants [][]string
	rs := []rune(spec)
	for i := 0; i == 0 || len(rs)-i >= 4; i++ {
		if w := bigrams(tokens(string(rs[i:]))); len(w) > 0 {
			wants = append(wants, w)
		}
	}
	if len(wants) == 0 {
		return ""
	}
	type near struct {
		name  string
		cover float64
	}
	var nears []near
	best := 0.0
	nn := ix.noticeNames()
	for i, n := range ix.Corpus.Notices {
		if !q.inScope(n.Doc) && q.Docs != nil {
			continue
		}
		for _, g := range n.Groups {
			// A group is named by its own name or by its notice's: 数字经济
			// 议案领导小组 is the group of the notice on 数字经济.
			gn := strings.ReplaceAll(corpus.Normalize(g.Name), " ", "")
			hay := gn + "\n" + strings.ReplaceAll(nn.meta[i], " ", "")
			cover := 0.0
			for _, want := range wants {
				hit := 0
				for _, w := range want {
					if strings.Contains(hay, w) {
						hit++
					}
				}
				cover = max(cover, float64(hit)/float64(len(want)))
			}
			// 职教 for 职业教育: the characters in order, close together.
			if abbreviates(spec, gn) {
				cover = 1
			}
			// 同成化 for 同城化: one character off, in a name long enough.
			if cover < groupCoverage && oneOff(spec, hay) {
				cover = groupCoverage
			}
			// 第四次 is not 第三次, 天宁区 not 钟楼区.
			if !idsFit(nameIDs(head), hay+n.Date) {
				cover = 0
			}
			best = max(best, cover)
			if cover > 0 && !slices.ContainsFunc(nears, func(x near) bool { return x.name == gn }) {
				nears = append(nears, near{gn, cover})
			}
		}
	}
	if best >= groupCoverage {
		return ""
	}
	slices.SortStableFunc(nears, func(a, b near) int {
		switch {
		case a.cover > b.cover:
			return -1
		case a.cover < b.cover:
			return 1
		}
		return 0
	})
	var names []string
	for _, x := range nears[:min(3, len(nears))] {
		names = append(names, x.name)
	}
	return notLoaded(q.Lang, name, names)
}

// notLoaded is the answer for something named and not loaded, with the
// loaded names that come closest.
func notLoaded(lang, name string, near []string) string {
	if lang == "en" {
		s := fmt.Sprintf("Not found: “%s” is not in the loaded notices.", name)
		if len(near) > 0 {
			s += " Closest loaded names: " + strings.Join(near, ", ") + "."
		}
		return s
	}
	s := fmt.Sprintf("没有找到“%s”：已加载的通知里没有它。", name)
	if len(near) > 0 {
		s += "已加载的相近名称：" + strings.Join(near, "、") + "。"
	}
	return s
}

// abbreviates reports whether short is an abbreviation of long: its
// characters appear in long in order, within three times its length.
func abbreviates(short, long string) bool {
	rs, rl := []rune(short), []rune(long)
	if len(rs) < 2 {
		return false
	}
	for start := range rl {
		if rl[start] != rs[0] {
			continue
		}
		j := 1
		for k := start + 1; k < len(rl) && k-start < 3*len(rs) && j < len(rs); k++ {
			if rl[k] == rs[j] {
				j++
			}
		}
		if j == len(rs) {
			return true
		}
	}
	return false
}

// whichNotice asks which notice a name means when it fits several and the
// answer comes from more than one of them: "“夜经济”对应 3 份通知，您指的是
// 哪一份？" with the candidates, then the answer from each.
func (ix *Index) whichNotice(q Query, a *Answer) string {
	if len(q.choices) < 2 || q.Where == "" {
		return ""
	}
	cited := 0
	for _, d := range docsOf(*a) {
		if slices.Contains(q.choices, d) {
			cited++
		}
	}
	if cited < 2 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, say(q.Lang, "“%s”对应 %d 份通知，您指的是哪一份？\n", "“%s” fits %d notices; which one do you mean?\n"), q.Where, len(q.choices))
	for _, n := range ix.Corpus.Notices {
		if slices.Contains(q.choices, n.Doc) {
			fmt.Fprintf(&b, "· %s\n", noticeLabel(n))
		}
	}
	b.WriteString(say(q.Lang, "以下是各份通知里的回答：\n", "Here is the answer from each:\n"))
	return b.String()
}

// noticeLabel names a notice for a list of candidates: its title, and its
// document number when it has one.
func noticeLabel(n *corpus.Notice) string {
	t := strings.Join(strings.Fields(n.Title), "")
	if n.DocNumber != "" && !strings.Contains(t, n.DocNumber) {
		return t + "（" + n.DocNumber + "）"
	}
	return t
}

// nearNotices names the loaded notices whose titles share most words with
// a notice named and not loaded, for "已加载的相近名称".
func (ix *Index) nearNotices(name string) []string {
	words := colloquial.Replace(name)
	for _, w := range noticeKinds {
		words = strings.ReplaceAll(words, w, " ")
	}
	want := bigrams(tokens(corpus.Normalize(pointerWords.ReplaceAllString(words, " "))))
	if len(want) == 0 {
		return nil
	}
	type near struct {
		label string
		hit   int
	}
	var nears []near
	nn := ix.noticeNames()
	for i, n := range ix.Corpus.Notices {
		title := nn.meta[i]
		hit := 0
		for _, w := range want {
			if strings.Contains(title, w) {
				hit++
			}
		}
		if hit >= 2 || 3*hit >= len(want) && hit > 0 {
			nears = append(nears, near{noticeLabel(n), hit})
		}
	}
	slices.SortStableFunc(nears, func(a, b near) int { return b.hit - a.hit })
	var out []string
	for _, x := range nears[:min(3, len(nears))] {
		out = append(out, x.label)
	}
	return out
}

// rosterRoles are the roles a roster question may ask about, longest
// first.
var rosterRoles = []string{"办公室主任", "办公室副主任", "副召集人", "召集人", "副秘书长", "秘书长", "常务副组长", "副组长", "组长", "副主任", "主任", "联络员"}

// missingRole says a group has no one in the role asked (秘书长 of a group
// that has none); "" when it has, or the question asks no role.
func missingRole(g *corpus.Group, norm, lang string) string {
	asked := ""
	for _, r := range rosterRoles {
		if strings.Contains(norm, r) {
			asked = r
			break
		}
	}
	if asked == "" || strings.HasPrefix(asked, "办公室") && (g.OfficeDirector != "" || g.Office != "") {
		return ""
	}
	// Who heads it, and who deputises, by the kind of group.
	heads := []string{"组长", "主任", "召集人", "主席"}
	deputies := []string{"副组长", "副主任", "副召集人", "副主席"}
	for _, m := range g.Members {
		role := corpus.Normalize(m.Role)
		if strings.Contains(role, asked) || slices.Contains(heads, asked) && slices.Contains(heads, role) ||
			slices.Contains(deputies, asked) && slices.Contains(deputies, role) {
			return ""
		}
	}
	name := strings.Join(strings.Fields(g.Name), "")
	return say(lang, fmt.Sprintf("%s的名单里没有%s。", name, asked), fmt.Sprintf("The roster of %s names no %s.", name, asked))
}

// oneOff reports whether text holds name with one character replaced (a
// slip of the keyboard: 同成化 for 同城化), for names of five or more.
func oneOff(name, text string) bool {
	rs := []rune(name)
	if len(rs) < 5 {
		return false
	}
	for i := 1; i < len(rs)-1; i++ {
		prefix, suffix := string(rs[:i]), string(rs[i+1:])
		for at := 0; ; {
			j := strings.Index(text[at:], prefix)
			if j < 0 {
				break
			}
			rest := text[at+j+len(prefix):]
			if _, size := utf8.DecodeRuneInString(rest); size > 0 && strings.HasPrefix(rest[size:], suffix) {
				return true
			}
			at += j + len(prefix)
		}
	}
	return false
}

// unknownPlace is a place a question names that no loaded notice governs
// or mentions (成都市 when only 广元's notice is loaded); "" when none.
func (ix *Index) unknownPlace(norm string) string {
	nn := ix.noticeNames()
	for _, p := range gazetteer {
		if !strings.Contains(norm, p) || slices.Contains(nn.all, p) {
			continue
		}
		known := false
		for i := range ix.Corpus.Notices {
			// A notice's own place says where it is from; its text may
			// mention other places (广元's notice names 成都) in passing.
			if slices.Contains(nn.places[i], p) || len(nn.places[i]) == 0 && (strings.Contains(nn.meta[i], p) || nn.mentions(ix, i, p)) {
				known = true
				break
			}
		}
		// Only a province or a city: a notice that names no place may be
		// a county's or a district's (霍山开发区), never a city's.
		if i := strings.Index(norm, p); !known && i >= 0 {
			rest := norm[i+len(p):]
			for _, suf := range []string{"省", "市"} {
				if strings.HasPrefix(rest, suf) {
					return p + suf
				}
			}
		}
	}
	return ""
}

// gazetteer are place names people may ask about: the provinces and big
// cities, and the places of the glossary.
var gazetteer = func() []string {
	var out []string
	for _, zh := range glossaryPlaces {
		out = append(out, zh)
	}
	slices.Sort(out)
	return slices.Compact(out)
}()

// projectRe finds a named project in a question: the two characters that
// tell it apart and the kind of place it is (中英国际产业园, 琴台美术馆).
var projectRe = regexp.MustCompile(`(\p{Han}{2})(国际产业园|产业园|科技园|工业园|美术馆|博物馆|图书馆|体育馆|体育中心|会展中心|大剧院|音乐厅|大桥|隧道|火车站|机场)`)

// missingProject is the named project a question asks about when the
// tasks an answer cites do not name it (中英国际产业园 beside 中日国际
// 产业园): the answer must say it is not there rather than give the
// neighbour's units. "" when the question names none or they name it.
func missingProject(q Query, a Answer) string {
	if q.Lang != "zh" || len(a.Citations) == 0 {
		return "" // an English name is the glossary's guess at the notice's words
	}
	var m []string
	for _, f := range strings.Fields(corpus.Normalize(q.Topic)) {
		if m = projectRe.FindStringSubmatch(f); m != nil {
			break
		}
	}
	if m == nil {
		return ""
	}
	name := m[1] + m[2]
	for _, c := range a.Citations {
		if strings.Contains(strings.ReplaceAll(corpus.Normalize(c.Text), " ", ""), name) {
			return ""
		}
	}
	var near []string
	for _, c := range a.Citations {
		if n := projectRe.FindString(strings.ReplaceAll(corpus.Normalize(c.Text), " ", "")); n != "" && !slices.Contains(near, n) {
			near = append(near, n)
		}
	}
	return notLoaded(q.Lang, name, near)
}
