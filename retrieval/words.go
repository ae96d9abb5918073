package retrieval

import (
	"regexp"
	"slices"
	"strings"
)

// The words of questions, in one place. People ask a chat bot as they ask
// a colleague — "这活儿谁挑头", "夜经济这块归谁管", "啥时候交" — so each
// intent is recognised by the formal words of the notices and by the
// colloquial ones of chat. words_test.go holds a question per row.

// intentWords says which words ask which thing. Understand tries the
// intents in this order: a roster word wins over a deadline word, which
// wins over a unit listing, and so on.
var intentWords = struct {
	roster, rosterPeople, deadline, unitList, notUnitList, resp, lead, fact []string
}{
	roster: []string{"组长", "成员", "领导小组里有谁", "领导小组有谁", "小组里有谁", "领导小组", "办公室设在", "办公室在", "办公室主任",
		"在哪个单位办公", "在哪办公", "召集人", "秘书长", "副主任", "主任", "主席", "委员", "兼任", "谁参加", "是哪位", "哪位"},
	// rosterPeople ask for a person of the group; without one, a question
	// that also asks "when" is about a date (报送领导小组办公室备案).
	rosterPeople: []string{"组长", "成员", "召集人", "秘书长", "主任", "委员", "谁参加", "哪位", "有谁", "是谁", "兼任", "哪些人", "哪几位", "哪几个人", "谁在"},
	deadline: []string{"什么时候", "啥时候", "啥时", "何时", "哪天", "截止", "最晚", "期限", "时限", "时间节点", "几月", "哪个月",
		"什么时间", "日期", "多久", "多长时间", "阶段是", "阶段在", "完成时间", "之前完成", "前完成", "几号",
		"时间要求", "时限要求", "进度要求", "完成时限", "有没有时间", "几时", "哪年", "哪一年", "多会儿", "到啥时"},
	unitList: []string{"哪些任务", "什么任务", "哪些工作", "哪些事", "什么事", "什么活", "负责什么", "牵头什么", "承担什么", "管什么",
		"干什么", "做什么", "有哪些", "哪些", "哪几项", "哪几条", "哪几个", "哪项", "哪条", "哪一条", "哪一项", "任务清单", "清单",
		"承担", "参与什么", "参与哪", "配合哪", "配合什么", "有什么任务", "有啥", "负责啥", "涉及", "有几条", "有几项", "几条", "几项", "分别是", "管哪块", "负责哪块", "哪一块", "哪块", "哪几块", "哪些方面", "哪方面", "什么工作"},
	// notUnitList are words that turn "X…哪些" back into asking who: a
	// question naming a unit and asking which units is not a listing.
	notUnitList: []string{"哪个单位", "哪些单位", "哪个部门", "哪些部门", "由谁", "谁牵头", "谁负责", "还有谁"},
	resp: []string{"责任单位", "配合单位", "参与单位", "协办单位", "协助单位", "配合部门", "参与部门", "哪些单位负责", "哪些单位参与",
		"哪些单位配合", "哪些部门负责", "哪些部门参与", "哪些部门配合", "还有哪些部门", "还有哪些单位", "哪几个单位", "哪几个部门", "哪几家单位", "几个单位", "一起负责", "谁配合",
		"谁参与", "谁协助", "配合", "协助", "参与", "协办", "谁指导", "哪些部门指导", "指导部门", "指导单位"},
	lead: []string{"牵头", "挑头", "抓总", "主抓", "主责", "归谁管", "归哪个", "谁管", "谁来管", "哪个部门管", "哪个单位管",
		"谁负责", "谁主管", "哪个单位", "哪个部门", "什么单位", "什么部门", "由谁", "谁来", "主管", "谁抓", "谁办", "哪家"},
	fact: []string{"多少", "几个", "几家", "几项", "几条", "几座", "几所", "几批", "百分之几", "几年", "几天", "目标", "增幅", "增长", "达到", "超过", "比重", "占比", "规模", "指标"},
}

// askedByDate matches a question that names a date and asks what falls on
// it: 2022年6月底之前要报送什么, 9月底前完成哪些工作.
var askedByDate = regexp.MustCompile(`\d{1,2}\s*月(?:底|末|中旬|上旬|下旬|\d{1,2}\s*日)?(?:之前|以前|前)?.*(?:什么|哪些|要做)`)

// questionWords are removed before searching: they say what kind of answer
// is wanted, not what it is about. Chat filler (这块, 这事, 那个, 一下) goes
// with them, so that "夜经济这块谁挑头" searches for 夜经济 alone. Longer
// words come first: the regexp takes the first alternative that matches.
var questionWords = []string{
	"责任领导", "哪位区领导", "哪位市领导", "哪位领导", "哪个领导", "哪位副区长", "哪位副市长", "区领导", "市领导",
	"我这边在对接", "我这边", "在对接", "同事问的", "同事问", "想确认下", "想确认一下", "确认一下", "确认下", "帮忙看下", "帮忙看看", "帮忙查下",
	"的事情", "的事", "市里", "区里", "这些", "那些", "报给谁", "报给", "交给谁", "报送到", "报到哪", "搞",
	"是干什么的", "干什么的", "干什么", "干啥的", "干啥", "牵头还是配合", "还是配合", "还是牵头", "还是",
	"请问", "麻烦问一下", "问一下", "想问", "一下", "只看", "只要", "只列", "只说", "帮我查查", "帮我查", "查一下", "看看", "还有哪些", "还有谁", "里有谁", "有谁", "有哪些", "有什么", "有啥", "还有", "一起",
	"哪个部门管", "哪个单位管", "部门管", "单位管", "涉及", "哪几项", "哪几条", "哪几个", "哪一项", "哪一条", "哪项", "哪条", "几项", "几条",
	"它们", "它的", "它", "其中", "哪里", "哪儿",
	"哪个单位", "哪些单位", "什么单位", "哪个部门", "哪些部门", "什么部门", "哪个厅", "哪个局", "哪家",
	"牵头单位", "责任单位", "配合单位", "参与单位", "协办单位", "主责单位", "的牵头", "牵头", "挑头", "抓总", "主抓", "主责",
	"负责", "由谁", "是谁", "谁来", "归谁管", "谁管", "谁", "是什么", "是哪个", "是哪些", "什么时候", "啥时候", "何时", "哪天",
	"什么时间", "多少", "哪些", "什么", "是否", "有没有", "能否", "要", "吗", "呢", "啊", "呀", "吧", "嘛",
	"这活儿", "这活", "活儿", "这事儿", "这事", "这件事", "这块儿", "这块", "这一块", "那块", "这一组", "这组", "那一组", "这一类", "这一部分", "哪几位", "哪位", "方面", "这个", "那个", "这项", "那项", "这条", "那条", "该项", "该条",
	"工作任务", "任务", "工作", "相关", "有关", "具体", "情况", "单位", "部门", "的", "是", "由", "为", "和", "及", "哪个", "从几年", "到几年", "几年", "几天", "几个月",
}

// strayChars are characters that say nothing when they stand alone in a
// topic once the question words around them are gone.
const strayChars = "在里中啥了吧哦呗么得着过把被给让从对向于与跟同之其这那哪"

// fillers replaces question words and punctuation by a space. A
// strings.Replacer tries its words in order at each position, as the
// alternation of a regexp would, and is several times faster.
var fillers = func() *strings.Replacer {
	// Words that hold a question word's characters stay whole: 主要 and
	// 要点 are not 要 (主要经济指标, 放管服要点).
	var pairs []string
	for _, w := range []string{"主要", "重要", "要点", "纲要", "要素", "要求", "谁家"} {
		pairs = append(pairs, w, w)
	}
	for _, w := range questionWords {
		pairs = append(pairs, w, " ")
	}
	for _, r := range "?？!！。，,、:：;；“”\"'()（）\t\n" {
		pairs = append(pairs, string(r), " ")
	}
	return strings.NewReplacer(pairs...)
}()

// dropFillers removes question words, punctuation and spaces.
func dropFillers(s string) string { return strings.ReplaceAll(fillers.Replace(s), " ", "") }

// askWords are removed from the topic of a deadline or roster question:
// they only ask "when" or "who in the group". 阶段, 报送 and the like stay;
// they say what is asked about.
var askWords = []string{"什么时候", "时候", "啥时", "何时", "几时", "哪一年", "哪年", "多会儿", "哪天", "什么时间", "几月底", "几月", "哪个月", "多久", "多长时间",
	"截止", "最晚", "期限", "时限", "时间节点", "时间", "日期", "几号", "之前", "以前", "进度要求", "要求", "完成", "做完", "办完", "办结", "搞完",
	"副组长", "组长", "成员", "办公室主任", "办公室", "设在哪", "在哪", "设在", "哪个", "办公", "里有", "召集人", "副召集人", "哪",
	"秘书长", "副主任", "主任", "委员", "兼任", "兼", "参加", "哪位", "分别", "有几个", "几个", "几位", "都是谁", "都"}

// respWords are removed from the topic of a question about responsible
// units: 配合的有谁 asks who, not about 配合.
var respWords = []string{"配合", "协助", "参与", "协办", "分工"}

// colloquial maps chat wording to the wording of notices, so that the
// words people say find the words officials wrote.
var colloquial = strings.NewReplacer(
	"夜经济", "夜间经济",
	"督查阶段", "检查阶段",
	"老小区", "老旧小区",
	"老破小", "老旧小区",
	"数字货币", "数字人民币",
	"网购", "网络购物",
	"直播带货", "直播电商",
	"步行街改造", "步行街改造提升",
	"十四五", "“十四五”",
	"社零总额", "社会消费品零售总额",
	"社零", "社会消费品零售总额",
	"固投", "固定资产投资",
	"gdp", "地区生产总值",
	"省级政府", "省级人民政府",
	"市级政府", "市级人民政府",
	"县级政府", "县级人民政府",
)

// pointedNotice is "this notice" in a question: 在这份方案里, 该通知中. It
// says where, not what, and is left out of the topic.
var pointedNotice = regexp.MustCompile(`在?(?:这份|那份|这个|那个|该|本|这一|此)(?:方案|通知|文件|意见|清单|分解|批复|要点|措施)(?:里面|里|中|内|上)?的?`)

// noticeWords are the words people use for a notice: "衢州那份分解里",
// "这个意见里", "无废城市试点方案里".
var noticeWords = []string{"责任分解方案", "分工方案", "工作方案", "实施方案", "行动方案", "指导意见", "若干意见", "责任分解",
	"分解方案", "责任清单", "推广清单", "工作要点", "方案", "意见", "通知", "分解", "清单", "文件", "要点", "批复", "措施", "办法"}

// noticeKinds are the words that end a notice's name before 里/中:
// noticeWords and the kinds of document people name by their subject
// (稳增长那个政策里, 霍山开发区重点工作里, 1号建议案里).
var noticeKinds = append(slices.Clone(noticeWords), "政策措施", "若干政策", "政策", "重点工作", "工作报告", "建议案", "议案", "行动计划", "计划", "规划", "实施意见",
	"目标任务", "任务分工", "分工", "分解表", "名单", "批复", "那份")

// anaphora are the words that point back at the last answer: its task
// (它, 这项), its notice (这份方案) or its unit.
var (
	taskAnaphora   = []string{"它", "它们", "其", "这个目标", "这一目标", "该目标", "这个指标", "这项工作", "这项任务", "这项", "那项", "该项", "这条", "那条", "这个任务", "那个任务", "该任务", "这件事", "这事", "上面", "刚才", "这几项", "这些"}
	noticeAnaphora = []string{"这份方案", "该方案", "这个方案", "这份通知", "该通知", "这个通知", "这份文件", "这个文件", "该文件",
		"这个意见", "这份意见", "这份分解", "这份清单", "这个清单", "文件里", "方案里", "这份", "本方案", "本通知"}
	moreWords = []string{"还有吗", "还有呢", "还有没有", "还有别的", "还有其他", "其他的呢", "别的呢", "更多", "下一个", "继续"}
)

// positionRe reads a follow-up that names a place in the last answer's
// list or the notice's phases, and little else: 第二个呢, 展开第2条,
// 倒数第二项是什么, 最后一个, 上一项, 第三个阶段什么时候.
var positionRe = regexp.MustCompile(`^(?:那|那么)?(?:展开|看看|说说|详细说说|它的|其中|其中的|里面的|上面的|列表里的|清单里的)?\s*` +
	`(?:(倒数)?第\s*([0-9一二三四五六七八九十两]+)|(最后|最末|末)一?|([上下前后])一)\s*(?:个|条|项|家|点|件)?\s*(阶段|步)?` +
	`(?:的)?(.{0,16})$`)

// positionTail are the words a position's tail may ask with: its details,
// its date, its units, its leader. A longer tail asks something else.
var positionTail = []string{"呢", "的详情", "详情", "全文", "具体是什么", "是什么", "具体内容", "内容", "是啥", "说的什么", "展开", "是哪个", "是哪项", "是哪条",
	"说的是什么", "讲的是什么", "具体", "什么时候之前要完成", "什么时候前要完成", "之前要完成", "要完成", "是什么时候", "什么时候", "在什么时候", "是哪个月", "哪个月", "几月",
	"什么时间", "是什么时间", "时间", "截止", "谁牵头", "是谁牵头", "由谁牵头", "谁负责", "谁来牵头", "牵头单位", "牵头的", "牵头", "责任单位", "配合单位",
	"有哪些", "是谁", "谁配合", "哪些单位配合", "责任领导", "哪位领导", "领导", "是", "要", "的", "哪些", "单位", "时候", "什么", "具体"}

var cnDigits = map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9, '十': 10}

// ordinal reads 2, 二 or 十二 as a number; 0 when it is none.
func ordinal(s string) int {
	n := 0
	digits := true
	for _, r := range s {
		if r < '0' || r > '9' {
			digits = false
		}
	}
	if digits {
		for _, r := range s {
			n = n*10 + int(r-'0')
		}
		return n
	}
	rs := []rune(s)
	switch {
	case len(rs) == 1:
		return cnDigits[rs[0]]
	case len(rs) == 2 && rs[0] == '十':
		return 10 + cnDigits[rs[1]]
	case len(rs) == 2 && rs[1] == '十':
		return cnDigits[rs[0]] * 10
	case len(rs) == 3 && rs[1] == '十':
		return cnDigits[rs[0]]*10 + cnDigits[rs[2]]
	}
	return 0
}
