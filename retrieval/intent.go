package retrieval

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/assignbot/assignbot/corpus"
)

// Intents of a question.
const (
	IntentLead     = "lead"     // 哪个单位牵头X
	IntentResp     = "resp"     // X的责任单位有哪些
	IntentUnit     = "unit"     // 市商务局牵头哪些任务
	IntentDeadline = "deadline" // X什么时候
	IntentRoster   = "roster"   // 领导小组组长是谁
	IntentFact     = "fact"     // 目标是多少
)

// Query is a question understood: its intent, the unit it names, the role
// asked about, the words left to search for and the notices it is about.
type Query struct {
	Question string
	Lang     string // zh or en
	Intent   string
	Unit     string // canonical unit named in the question, if any
	UnitName string // as written
	LeadOnly bool   // a unit question about what it leads
	Topic    string // what to search for, intent words removed

	// Asked is true when the question's own words say what it asks (a
	// lead, deadline or roster word); false when the intent is a guess.
	Asked bool
	// Docs limits the answer to these notices (by Notice.Doc): the chat's
	// scope, the notice the question names, or the notice a follow-up
	// points back at. Empty: every notice.
	Docs []string
	// Where names Docs for people: 广元, 国发〔2018〕42号.
	Where string
	// Terms are the Chinese words an English question was read as.
	Terms []string
	// choices are the notices a name in the question could mean when it
	// fits more than one (那个夜经济的通知): the answer asks which.
	choices []string
	// carried are words a follow-up keeps from the turn before: the unit
	// of "领导小组里市民政局是谁" when the next turn asks "那城市圈建议案里呢".
	carried string
	// swapped is set on a follow-up that asks the last question in
	// another notice.
	swapped bool
}

// read is the question as Chinese, normalized, with the words a follow-up
// carries: what slot detectors read.
func (q Query) read() string {
	s := q.Question
	if q.Lang == "en" {
		s, _ = glossaryTranslate(s)
	}
	return strings.ReplaceAll(corpus.Normalize(s+" "+q.carried), " ", "")
}

// Understand classifies a question. names maps every known unit name
// (canonical or alias, as unit keys) to its canonical name.
func Understand(question string, names map[string]string) Query {
	q := Query{Question: question, Lang: "zh"}
	if isEnglish(question) {
		q.Lang = "en"
		question, q.Terms = glossaryTranslate(question)
	}
	norm := colloquial.Replace(corpus.Normalize(question))
	for _, p := range []string{"那么", "那"} {
		if rest, ok := strings.CutPrefix(norm, p); ok && utf8Len(rest) >= 2 {
			norm = rest
			break
		}
	}
	q.Unit, q.UnitName = findUnit(norm, names)
	if q.Unit == "" {
		q.Unit, q.UnitName = abbreviatedUnit(norm, names)
	}
	q.Asked = true
	roster := containsAny(strings.ReplaceAll(norm, "委员会", ""), intentWords.roster)
	deadline := containsAny(norm, intentWords.deadline) || askedByDate.MatchString(norm)
	if roster && deadline && !containsAny(norm, intentWords.rosterPeople) {
		// "具体工作方案什么时候报送领导小组办公室备案" asks when; the group
		// is only where the plan goes.
		roster = false
	}
	if roster && containsAny(norm, []string{"领导", "副区长", "副市长", "区长", "市长"}) && !containsAny(norm, []string{"领导小组", "小组", "委员会", "联席会议", "指挥部"}) {
		// 由哪位区领导牵头: the task's responsible leader, not a group's.
		roster = false
	}
	switch {
	case roster:
		q.Intent = IntentRoster
	case deadline:
		q.Intent = IntentDeadline
	case q.Unit == "" && totalAsked(norm):
		// 一共多少项具体任务，涉及几个牵头单位: a figure the notice states
		// of itself, not a task's units.
		q.Intent = IntentFact
	case q.Unit != "" && containsAny(norm, []string{"牵头还是", "还是配合", "还是参与", "还是牵头", "还是责任单位", "什么角色", "啥角色"}):
		// 市商务局是牵头还是配合: its tasks, each under the role it has.
		q.Intent = IntentUnit
	case q.Unit != "" && containsAny(norm, intentWords.unitList) && !containsAny(norm, intentWords.notUnitList):
		q.Intent = IntentUnit
		// 牵头还是配合 asks which of the two: both lists answer it.
		q.LeadOnly = containsAny(norm, []string{"牵头", "挑头", "主抓", "抓总"}) && !containsAny(norm, []string{"还是", "配合", "参与"})
	case containsAny(norm, intentWords.resp):
		q.Intent = IntentResp
	case containsAny(norm, intentWords.lead):
		q.Intent = IntentLead
	case containsAny(norm, intentWords.fact):
		q.Intent = IntentFact
	case q.Unit != "" && utf8Len(dropFillers(strings.Replace(norm, q.UnitName, "", 1))) <= 2:
		q.Intent, q.Asked = IntentUnit, false // just a unit name: list what it does
	default:
		q.Intent, q.Asked = IntentLead, false
	}
	topic := pointedNotice.ReplaceAllString(norm, " ")
	if q.Intent == IntentUnit && q.UnitName != "" {
		topic = strings.Replace(topic, q.UnitName, " ", 1)
	}
	topic = fillers.Replace(topic)
	if q.Intent == IntentResp {
		for _, w := range respWords {
			topic = strings.ReplaceAll(topic, w, " ")
		}
	}
	if q.Intent == IntentDeadline || q.Intent == IntentRoster {
		for _, w := range askWords {
			topic = strings.ReplaceAll(topic, w, " ")
		}
	}
	// A character left alone between removed words (在, 里, 啥) says
	// nothing about the subject.
	q.Topic = strings.Join(slices.DeleteFunc(strings.Fields(topic), func(f string) bool {
		return utf8Len(f) == 1 && strings.Contains(strayChars, f)
	}), " ")
	return q
}

// countAskedRe asks how many tasks or units: 多少项具体任务, 几个牵头单位.
var countAskedRe = regexp.MustCompile(`(?:多少|几)\s*(?:项|个|家|条|件)\s*(?:具体|重点|主要)?\s*(任务|工作|事项|实事|牵头单位|责任单位|配合单位|单位|部门)`)

// totalAsked reports a question about a notice's own totals: how many
// tasks it sets (多少项任务), or how many units in all (一共涉及几个牵头
// 单位) — not how many units one task names.
func totalAsked(norm string) bool {
	m := countAskedRe.FindStringSubmatch(norm)
	if m == nil {
		return false
	}
	switch m[1] {
	case "任务", "事项", "实事":
		return true
	}
	return containsAny(norm, []string{"一共", "总共", "共计", "合计", "总计", "涉及", "全部"})
}

// findUnit finds the longest unit name in a normalized question.
func findUnit(norm string, names map[string]string) (canon, written string) {
	key := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, norm)
	// Every substring of 3 to maxUnitName characters is looked up: a
	// question is short, the table of names is not.
	var starts []int
	for i := range key {
		starts = append(starts, i)
	}
	starts = append(starts, len(key))
	best := ""
	for i := 0; i < len(starts)-1; i++ {
		for j := i + 3; j < len(starts) && j-i <= maxUnitName; j++ {
			if name := key[starts[i]:starts[j]]; len(name) > len(best) {
				if _, ok := names[name]; ok {
					best = name
				}
			}
		}
	}
	if best == "" {
		return "", ""
	}
	return names[best], best
}

// maxUnitName is the longest unit name findUnit finds, in characters.
const maxUnitName = 32

// unitNames maps every name of every unit with tasks to its canonical
// name: canonical names, curated aliases and short names notices define.
// It is computed once per index.
func unitNames(ix *Index) map[string]string {
	ix.namesOnce.Do(func() { ix.names = buildUnitNames(ix) })
	return ix.names
}

func buildUnitNames(ix *Index) map[string]string {
	m := map[string]string{}
	short := map[string]string{} // 商务局 for 市商务局; "" when two units share it
	for _, u := range ix.Units() {
		for _, a := range append(ix.Corpus.Directory.Aliases(u), u) {
			m[a] = u
			// People drop the 市 of a city bureau (经信局, 商务局) and the
			// 各 of a class of units (省级人民政府), the 中国 or 国家 of a national
			// body (证监会, 发展改革委).
			for _, p := range []string{"市", "各", "中国", "国家"} {
				if rest, ok := strings.CutPrefix(a, p); ok && utf8Len(rest) >= 3 {
					if prev, seen := short[rest]; seen && prev != u {
						short[rest] = ""
					} else {
						short[rest] = u
					}
				}
			}
		}
	}
	for name, u := range short {
		if _, taken := m[name]; !taken && u != "" {
			m[name] = u
		}
	}
	return m
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func hasHan(s string) bool {
	for _, r := range s {
		if corpus.IsHan(r) {
			return true
		}
	}
	return false
}

func utf8Len(s string) int { return len([]rune(s)) }

// shortUnitRe finds a short name of a unit: 人社部, 发改委, 网信办.
var shortUnitRe = regexp.MustCompile(`\p{Han}{2,4}?(?:部|局|委|厅|办|署)`)

// abbreviatedUnit finds a unit named by an abbreviation no directory
// lists (人社部 for 人力资源社会保障部): its characters in order in exactly
// one unit's name. A short name that fits several units names none.
func abbreviatedUnit(norm string, names map[string]string) (canon, written string) {
	var shorts []string
	for _, m := range shortUnitRe.FindAllString(strings.ReplaceAll(norm, " ", ""), 3) {
		rs := []rune(m)
		for i := len(rs) - 3; i >= 0; i-- {
			shorts = append(shorts, string(rs[i:])) // 见里人社部: 人社部 first
		}
	}
	for _, short := range shorts {
		if containsAny(short, []string{"哪", "个", "些", "什么", "的", "里"}) {
			continue // 哪个部, 的局: question words, not a name
		}
		found := ""
		for name, c := range names {
			if c == found || !abbreviates(short, name) || utf8Len(name) > 3*utf8Len(short) {
				continue
			}
			if found != "" {
				found = "-" // two units: ambiguous
				break
			}
			found = c
		}
		if found != "" && found != "-" {
			return found, short
		}
	}
	return "", ""
}
