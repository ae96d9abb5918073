package retrieval

import (
	"regexp"
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
// asked about and the words left to search for.
type Query struct {
	Question string
	Lang     string // zh or en
	Intent   string
	Unit     string // canonical unit named in the question, if any
	UnitName string // as written
	LeadOnly bool   // a unit question about what it leads
	Topic    string // what to search for, intent words removed
}

var (
	rosterWords   = []string{"组长", "成员", "领导小组", "办公室设在", "办公室在", "办公室主任", "在哪个单位办公", "在哪办公"}
	deadlineWords = []string{"什么时候", "何时", "哪天", "截止", "期限", "时限", "时间节点", "几月", "哪个月", "什么时间", "日期", "多久", "阶段是", "阶段在"}
	unitListWords = []string{"哪些任务", "什么任务", "哪些工作", "哪些事", "负责什么", "牵头什么", "承担什么", "干什么", "做什么", "有哪些", "哪些", "任务清单", "清单", "承担", "参与什么", "参与哪些", "配合哪些", "配合什么"}
	respWords     = []string{"责任单位", "配合单位", "参与单位", "协办单位", "哪些单位负责", "哪些单位参与", "哪些单位配合", "哪些部门负责"}
	leadWords     = []string{"牵头", "谁负责", "哪个单位", "哪个部门", "什么单位", "什么部门", "由谁", "谁来", "主管", "主责"}
	factWords     = []string{"多少", "几个", "几家", "几项", "目标", "增幅", "增长", "达到", "超过", "比重", "占比", "规模", "指标"}
)

// askedByDate matches a question that names a date and asks what falls on
// it: 2022年6月底之前要报送什么, 9月底前完成哪些工作.
var askedByDate = regexp.MustCompile(`\d{1,2}\s*月(?:底|末|中旬|上旬|下旬|\d{1,2}\s*日)?(?:之前|以前|前)?.*(?:什么|哪些|要做)`)

// fillers are question words removed before searching: they say what kind
// of answer is wanted, not what it is about.
var fillers = regexp.MustCompile(`请问|一下|哪个单位|哪些单位|什么单位|哪个部门|哪些部门|什么部门|牵头单位|责任单位|配合单位|参与单位|主责单位|的牵头|牵头|负责|由谁|是谁|谁来|谁|是什么|是哪个|是哪些|什么时候|何时|哪天|什么时间|多少|哪些|什么|是否|有没有|能否|要|吗|呢|啊|呀|任务|工作任务|单位|部门|具体|情况|有关|相关|的|是|由|为|和|及|[?？!！。，,、:：;；“”"'()（）\s]`)

// Understand classifies a question. names maps every known unit name
// (canonical or alias, as unit keys) to its canonical name.
func Understand(question string, names map[string]string) Query {
	q := Query{Question: question, Lang: "zh"}
	if !hasHan(question) {
		q.Lang = "en"
		question = glossaryTranslate(question)
	}
	norm := corpus.Normalize(question)
	q.Unit, q.UnitName = findUnit(norm, names)
	switch {
	case containsAny(norm, rosterWords):
		q.Intent = IntentRoster
	case containsAny(norm, deadlineWords) || askedByDate.MatchString(norm):
		q.Intent = IntentDeadline
	case q.Unit != "" && containsAny(norm, unitListWords) && !containsAny(norm, []string{"哪个单位", "哪些单位", "哪个部门", "由谁"}):
		q.Intent = IntentUnit
		q.LeadOnly = strings.Contains(norm, "牵头")
	case containsAny(norm, respWords):
		q.Intent = IntentResp
	case containsAny(norm, leadWords):
		q.Intent = IntentLead
	case containsAny(norm, factWords):
		q.Intent = IntentFact
	case q.Unit != "" && utf8Len(fillers.ReplaceAllString(strings.Replace(norm, q.UnitName, "", 1), "")) <= 2:
		q.Intent = IntentUnit // just a unit name: list what it does
	default:
		q.Intent = IntentLead
	}
	topic := norm
	if q.Intent == IntentUnit && q.UnitName != "" {
		topic = strings.Replace(topic, q.UnitName, " ", 1)
	}
	topic = fillers.ReplaceAllString(topic, " ")
	if q.Intent == IntentDeadline || q.Intent == IntentRoster {
		// Words that only ask "when" or "who in the group"; 阶段, 报送 and
		// the like stay, they say what is asked about.
		for _, w := range []string{"什么时候", "时候", "何时", "哪天", "什么时间", "几月", "哪个月", "多久", "截止", "期限", "时限", "时间节点", "时间", "日期",
			"副组长", "组长", "成员", "办公室主任", "办公室", "设在", "在哪", "哪个", "办公"} {
			topic = strings.ReplaceAll(topic, w, " ")
		}
	}
	q.Topic = strings.Join(strings.Fields(topic), " ")
	return q
}

// findUnit finds the longest unit name in a normalized question.
func findUnit(norm string, names map[string]string) (canon, written string) {
	key := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, norm)
	best := ""
	for name := range names {
		if len(name) > len(best) && len([]rune(name)) >= 3 && strings.Contains(key, name) {
			best = name
		}
	}
	if best == "" {
		return "", ""
	}
	return names[best], best
}

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
			// People drop the 市 of a city bureau: 经信局, 商务局.
			if rest, ok := strings.CutPrefix(a, "市"); ok && utf8Len(rest) >= 3 {
				if prev, seen := short[rest]; seen && prev != u {
					short[rest] = ""
				} else {
					short[rest] = u
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

// glossary maps English words of questions about government work to the
// Chinese the notices use, so that an English question finds its task
// offline. With an LLM configured, questions are translated properly
// instead.
var glossary = map[string]string{
	"who": "谁", "lead": "牵头", "leads": "牵头", "leading": "牵头", "led": "牵头", "in charge": "负责",
	"responsible": "责任单位", "responsibility": "责任单位", "unit": "单位", "units": "单位", "department": "部门",
	"when": "什么时候", "deadline": "截止", "due": "截止", "how many": "多少", "how much": "多少", "target": "目标",
	"task": "任务", "tasks": "任务", "group leader": "组长", "leading group": "领导小组", "office": "办公室",
	"night economy": "夜间经济", "night": "夜间", "economy": "经济", "economic": "经济", "consumption": "消费",
	"consumer": "消费", "pedestrian street": "步行街", "pedestrian": "步行", "street": "街", "digital": "数字",
	"commerce": "商务", "commercial": "商业", "business district": "商圈", "tourism": "旅游", "culture": "文化",
	"cultural": "文化", "education": "教育", "school": "学校", "health": "健康", "medical": "医疗", "hospital": "医院",
	"sports": "体育", "sport": "体育", "transport": "交通", "traffic": "交通", "railway": "铁路", "airport": "机场",
	"port": "港", "water": "水", "environment": "环境", "ecological": "生态", "pollution": "污染", "air": "空气",
	"agriculture": "农业", "rural": "农村", "village": "乡村", "poverty": "贫困", "employment": "就业", "jobs": "就业",
	"finance": "金融", "financial": "金融", "tax": "税", "investment": "投资", "industry": "产业", "industrial": "工业",
	"manufacturing": "制造", "innovation": "创新", "technology": "科技", "science": "科学", "internet": "互联网",
	"data": "数据", "big data": "大数据", "artificial intelligence": "人工智能", "ai": "人工智能", "5g": "5G",
	"housing": "住房", "old neighborhoods": "老旧小区", "renovation": "改造", "construction": "建设", "build": "建设",
	"building": "建设", "urban": "城市", "city": "城市", "food safety": "食品安全", "safety": "安全", "security": "安全",
	"elderly care": "养老", "pension": "养老", "brand": "品牌", "brands": "品牌", "time-honored": "老字号",
	"export": "出口", "import": "进口", "foreign trade": "外贸", "trade": "贸易", "cross-border": "跨境",
	"e-commerce": "电商", "market": "市场", "supervision": "监管", "government": "政府", "service": "服务",
	"services": "服务", "museum": "博物馆", "art museum": "美术馆", "gallery": "美术馆", "park": "公园", "greening": "绿化",
	"forest": "林业", "garden": "园林", "logistics": "物流", "summary": "小结", "half-year": "半年",
	"annual": "年度", "report": "报送", "inspection": "检查", "phase": "阶段", "stage": "阶段",
}

var wordRe = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9'\-]*`)

// glossaryTranslate replaces the English words it knows, longest phrases
// first, and keeps the rest.
func glossaryTranslate(s string) string {
	var out []string
	words := wordRe.FindAllString(strings.ToLower(s), -1)
	for i := 0; i < len(words); {
		matched := false
		for n := 3; n >= 1 && !matched; n-- {
			if i+n > len(words) {
				continue
			}
			p := strings.Join(words[i:i+n], " ")
			if zh, ok := glossary[p]; ok {
				out = append(out, zh)
				i += n
				matched = true
			}
		}
		if !matched {
			i++
		}
	}
	return strings.Join(out, " ")
}
