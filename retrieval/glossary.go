package retrieval

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/assignbot/assignbot/corpus"
)

// English questions are read offline through a bilingual glossary: the
// policy terms and unit names of task-assignment notices, longest phrase
// first. The answer says which Chinese terms it searched for, so that a
// reader can tell a wrong reading from a missing task. With a chat model
// configured, questions are translated by the model instead (Answerer).

// glossary maps English words and phrases (lower case) to the Chinese the
// notices use.
var glossary = map[string]string{
	// Asking words.
	"who": "谁", "which": "哪个", "lead": "牵头", "leads": "牵头", "leading": "牵头", "led": "牵头", "in charge": "负责",
	"in charge of": "负责", "take the lead": "牵头", "takes the lead": "牵头", "lead unit": "牵头单位", "lead units": "牵头单位",
	"lead department": "牵头单位", "responsible": "责任单位", "responsibility": "责任单位", "responsible units": "责任单位",
	"cooperate": "配合", "cooperates": "配合", "cooperating": "配合", "assist": "协助", "share the work": "配合",
	"participate": "参与", "participating": "参与", "guidance": "指导", "guide": "指导", "guiding": "指导", "provide guidance": "指导",
	"unit": "单位", "units": "单位", "department": "部门", "departments": "部门", "bureau": "局", "bureaus": "局",
	"ministry": "部", "ministries": "部", "when": "什么时候", "deadline": "截止", "due": "截止", "by when": "什么时候",
	"how long": "多长时间", "how many": "多少", "how much": "多少", "target": "目标", "targets": "目标", "quota": "任务数",
	"task": "任务", "tasks": "任务", "item": "任务", "measure": "举措", "measures": "举措", "reform measures": "改革举措",
	"list": "哪些", "what": "什么", "where": "哪里", "it": "它", "its": "它的", "they": "它们", "them": "它们",
	"this task": "这项", "that task": "这项", "this one": "这项", "this notice": "这份通知", "this plan": "这份方案",
	"anything else": "还有吗",
	"county":        "县",
	// Roles and bodies.
	"deputy conveners": "副召集人", "vice-chair": "副主任", "vice chairman": "副主任", "vice-chairs": "副主任",
	"central propaganda department": "中央宣传部", "propaganda department": "宣传部", "office-space": "办公用房",
	// Policy terms.
	"household waste": "生活垃圾", "green lifestyles": "绿色生活方式", "green lifestyle": "绿色生活方式", "farmland": "农田",
	"farm machinery": "农机", "trademark pledge": "商标质押", "pledge": "质押", "loan": "贷款", "loans": "贷款", "smes": "中小企业",
	"small and medium-sized enterprises": "中小企业", "energy consumption": "能耗", "per unit of gdp": "单位地区生产总值",
	"chain convenience stores": "连锁便利店", "convenience stores": "便利店", "convenience store": "便利店",
	"regeneration": "更新", "space": "空间", "city circle": "城市圈", "cppcc": "政协", "working days": "工作日",
	"environmental impact report": "环境影响报告书", "approved": "审批", "works with": "配合", "work with": "配合", "working with": "配合", "worked with": "配合",
	"deputy heads": "副组长", "deputy head": "副组长",
	"metaverse": "元宇宙", "blockchain": "区块链", "real economy": "实体经济", "integrating": "融合", "integration": "融合",
	"cloud computing": "云计算", "internet of things": "物联网",
	"international": "国际", "sports center": "体育中心", "center": "中心", "centre": "中心", "days": "天", "day": "天",
	"within how many days": "多少天内", "provinces": "各地", "implementation measures": "实施办法", "issue": "出台", "issued": "印发",
	"help them": "配合", "partners": "配合单位", "directs its office": "办公室主任", "directs the office": "办公室主任",
	"heads its office": "办公室主任", "runs its office": "办公室主任", "sino-us": "中美", "sino-american": "中美", "sino-japanese": "中日",
	"sino-german": "中德", "sino-french": "中法", "sino-british": "中英", "sino-korean": "中韩", "industrial park": "产业园",
	"international industrial park": "国际产业园", "civil affairs": "民政", "civil affairs bureau": "民政局",
	"bureau of civil affairs": "民政局", "sports bureau": "体育局", "bureau of sports": "体育局", "phases": "阶段", "stages": "阶段", "work phases": "工作阶段",
	"steps": "步骤", "what are": "有哪些", "which phases": "哪几个阶段", "any more": "还有吗",
	"what does": "哪些", "what do": "哪些", "which tasks": "哪些任务", "what tasks": "哪些任务", "what work": "哪些工作",
	"which items": "哪几项", "what is it responsible for": "负责什么", "responsible for what": "负责什么",
	"where is its office": "办公室设在哪", "where is the office": "办公室设在哪", "office located": "办公室设在",
	"who heads": "组长是谁", "heads": "组长", "head": "组长",
	"leading city official": "牵头市领导", "city leader": "牵头市领导", "provincial leader": "分管省领导",
	"leader in charge": "责任领导", "official in charge": "责任领导",
	// Leading groups and rosters.
	"leading group": "领导小组", "group leader": "组长", "head of the group": "组长", "deputy leader": "副组长",
	"deputy leaders": "副组长", "members": "成员", "member": "成员", "sits on": "成员", "represents": "成员", "office": "办公室",
	"office director": "办公室主任", "convener": "召集人", "deputy convener": "副召集人", "joint conference": "联席会议",
	"committee": "委员会", "chair": "主任", "chairman": "主任", "vice chair": "副主任", "vice chairs": "副主任",
	"secretary-general": "秘书长", "secretary general": "秘书长", "responsible leader": "责任领导",
	// Policy terms.
	"digital rmb": "数字人民币", "digital renminbi": "数字人民币", "e-cny": "数字人民币", "digital currency": "数字人民币",
	"pedestrian street": "步行街", "pedestrian streets": "步行街", "night-time economy": "夜间经济", "nighttime economy": "夜间经济",
	"night economy": "夜间经济", "old residential compounds": "老旧小区", "old residential communities": "老旧小区",
	"old neighborhoods": "老旧小区", "old neighbourhoods": "老旧小区", "digital economy": "数字经济",
	"consumption center": "消费中心", "international consumption center": "国际消费中心", "business district": "商圈",
	"night": "夜间", "economy": "经济", "economic": "经济", "consumption": "消费", "consumer": "消费", "pedestrian": "步行",
	"street": "街", "digital": "数字", "commerce": "商务", "commercial": "商业", "tourism": "旅游", "culture": "文化",
	"cultural": "文化", "education": "教育", "vocational education": "职业教育", "textbook": "教材", "textbooks": "教材",
	"school": "学校", "health": "健康", "medical": "医疗", "hospital": "医院", "sports": "体育", "sport": "体育",
	"transport": "交通", "traffic": "交通", "railway": "铁路", "airport": "机场", "port": "港", "water": "水",
	"environment": "环境", "environmental": "环境", "ecological": "生态", "pollution": "污染", "air quality": "空气质量", "air": "空气",
	"agriculture": "农业", "agricultural": "农业", "rural": "农村", "village": "乡村", "poverty": "贫困",
	"farm mechanization": "农业机械化", "agricultural machinery": "农机装备", "mechanization": "机械化",
	"employment": "就业", "jobs": "就业", "business incubators": "创业孵化", "incubators": "孵化", "incubator": "孵化",
	"finance": "金融", "financial": "金融", "tax": "税", "tax base": "税源", "revenue": "收入", "budget": "预算",
	"general public budget revenue": "一般公共预算收入", "public budget": "公共预算", "investment": "投资",
	"fixed-asset investment": "固定资产投资", "fixed asset investment": "固定资产投资", "industry": "产业", "industrial": "工业",
	"manufacturing": "制造", "innovation": "创新", "innovation system": "创新体系", "technology": "科技", "science": "科学",
	"internet": "互联网", "data": "数据", "big data": "大数据", "artificial intelligence": "人工智能", "ai": "人工智能", "5g": "5G",
	"housing": "住房", "renovation": "改造", "construction": "建设", "build": "建设", "building": "建设",
	"construction waste": "建筑垃圾", "waste": "废物", "zero-waste city": "无废城市", "zero waste city": "无废城市",
	"zero-waste": "无废", "urban": "城市", "city": "城市", "food safety": "食品安全", "safety": "安全", "security": "安全",
	"elderly care": "养老", "pension": "养老", "brand": "品牌", "brands": "品牌", "time-honored": "老字号",
	"export": "出口", "import": "进口", "foreign trade": "外贸", "trade": "贸易", "cross-border": "跨境",
	"e-commerce": "电商", "market": "市场", "supervision": "监管", "government": "政府", "service": "服务",
	"services": "服务", "museum": "博物馆", "art museum": "美术馆", "gallery": "美术馆", "park": "公园", "greening": "绿化",
	"forest": "林业", "garden": "园林", "logistics": "物流", "summary": "小结", "half-year": "半年",
	"annual": "年度", "report": "报送", "inspection": "检查", "phase": "阶段", "stage": "阶段", "evaluation": "评估",
	"mid-term": "中期", "midterm": "中期", "land approval": "土地审批", "land": "土地", "approval": "审批", "sewage": "污水",
	"sewage treatment": "污水处理", "space regeneration": "空间再造", "income": "收入", "resident income": "居民收入",
	"development zone": "开发区", "key work": "重点工作", "key tasks": "重点任务", "work report": "政府工作报告",
	"government work report": "政府工作报告", "breakdown": "分解", "task breakdown": "责任分解", "patent insurance": "专利保险",
	"unemployment insurance": "失业保险", "gdp": "地区生产总值", "gross domestic product": "地区生产总值",
	"retail sales": "社会消费品零售总额", "total retail sales of consumer goods": "社会消费品零售总额",
	"imports and exports": "进出口", "import and export": "进出口", "growth": "增长", "air quality target": "空气质量", "office space": "办公用房", "census": "普查", "economic census": "经济普查",
	// Units.
	"municipal bureau of commerce": "市商务局", "bureau of commerce": "商务局", "commerce bureau": "商务局",
	"development and reform commission": "发展改革委", "ndrc": "国家发展改革委", "reform commission": "发展改革委",
	"municipal development and reform commission": "市发展改革委", "bureau of economy and information technology": "经济和信息化局",
	"economy and information technology bureau": "经济和信息化局", "finance bureau": "财政局", "bureau of finance": "财政局",
	"ministry of finance": "财政部", "ministry of commerce": "商务部", "ministry of education": "教育部",
	"ministry of science and technology": "科技部", "ministry of industry and information technology": "工业和信息化部",
	"miit": "工业和信息化部", "ministry of agriculture and rural affairs": "农业农村部", "ministry of agriculture": "农业农村部",
	"ministry of human resources and social security": "人力资源社会保障部", "ministry of ecology and environment": "生态环境部",
	"ministry of housing and urban-rural development": "住房城乡建设部", "ministry of natural resources": "自然资源部",
	"ministry of transport": "交通运输部", "people's bank of china": "人民银行", "state administration of taxation": "税务总局",
	"state taxation administration": "税务总局", "national bureau of statistics": "统计局", "statistics bureau": "统计局",
	"sasac": "国资委", "market regulation": "市场监管", "administration for market regulation": "市场监管总局",
	"housing and urban-rural development": "住房城乡建设", "natural resources": "自然资源", "culture and tourism": "文化和旅游",
	"bureau of culture and tourism": "文化和旅游局", "public security bureau": "公安局", "ecology and environment": "生态环境",
	"state council": "国务院", "general office": "办公厅", "people's government": "人民政府", "district": "区", "municipal": "市",
	"provincial": "省", "province": "省",
}

// docNoRe reads a document number written in English: Guofa [2018] No. 42.
var docNoRe = regexp.MustCompile(`(?i)\b(guobanfa|guobanhan|guofa|guohan)\s*[\[(（〔]\s*(\d{4})\s*[\])）〕]\s*(?:no\.?\s*)?(\d+)`)

var docNoPrefixes = map[string]string{"guofa": "国发", "guobanfa": "国办发", "guohan": "国函", "guobanhan": "国办函"}

var wordRe = regexp.MustCompile(`\p{Han}*〔\d{4}〕\d+号|[A-Za-z0-9][A-Za-z0-9'\-]*|\p{Han}+`)

// isEnglish reports a question written mostly in Latin letters; a Chinese
// word or unit name in brackets inside it does not make it Chinese.
func isEnglish(s string) bool {
	latin, han := 0, 0
	for _, r := range s {
		switch {
		case corpus.IsHan(r):
			han++
		case r < 0x80 && unicode.IsLetter(r):
			latin++
		}
	}
	return latin > 0 && latin >= 3*han
}

// glossaryTranslate replaces the English words it knows, longest phrases
// first, keeps Chinese words as written and drops the rest. It returns
// the Chinese read and the terms used, in order.
func glossaryTranslate(s string) (string, []string) {
	var out, terms []string
	s = docNoRe.ReplaceAllStringFunc(s, func(m string) string {
		p := docNoRe.FindStringSubmatch(m)
		no := docNoPrefixes[strings.ToLower(p[1])] + "〔" + p[2] + "〕" + p[3] + "号"
		terms = append(terms, no)
		return " " + no + " "
	})
	lower := strings.NewReplacer("'s ", " ", "’s ", " ", "s' ", "s ").Replace(strings.ToLower(s) + " ")
	words := wordRe.FindAllString(lower, -1)
	for i := 0; i < len(words); {
		if hasHan(words[i]) {
			out = append(out, words[i])
			i++
			continue
		}
		matched := false
		for n := 6; n >= 1 && !matched; n-- {
			if i+n > len(words) {
				continue
			}
			p := strings.Join(words[i:i+n], " ")
			if zh, ok := glossary[p]; ok {
				out = append(out, zh)
				if utf8Len(zh) >= 2 && zh != "什么时候" && zh != "哪个" && zh != "哪些" && zh != "什么" && zh != "哪里" && zh != "多少" {
					terms = append(terms, zh)
				}
				i += n
				matched = true
			}
		}
		if !matched {
			// A year, a number or an acronym (BIM, GDP) is kept as written.
			if w := words[i]; yearRe.MatchString(w) && len(w) == 4 {
				out = append(out, w+"年")
				terms = append(terms, w+"年")
			} else if w != "" && (w[0] >= '0' && w[0] <= '9' || acronym[w]) {
				out = append(out, w)
			}
			i++
		}
	}
	return strings.Join(out, " "), terms
}

// acronym are Latin words notices write as they are.
var acronym = map[string]bool{"bim": true, "gdp": true, "5g": true, "ai": true, "it": false, "app": true, "ppp": true, "vr": true, "ar": true}

// glossaryPlaces are the glossary's places: English spelling → Chinese.
var glossaryPlaces = map[string]string{
	"wuhan": "武汉", "guangyuan": "广元", "quzhou": "衢州", "shapingba": "沙坪坝", "longwan": "龙湾", "huoshan": "霍山",
	"zhonglou": "钟楼", "guandu": "官渡", "changzhou": "常州", "wenzhou": "温州", "kunming": "昆明", "chongqing": "重庆",
	"guangdong": "广东", "sichuan": "四川", "hubei": "湖北", "zhejiang": "浙江", "jiangsu": "江苏", "anhui": "安徽", "yunnan": "云南",
	"beijing": "北京", "shanghai": "上海", "tianjin": "天津", "chengdu": "成都", "hangzhou": "杭州", "nanjing": "南京",
	"hunan": "湖南", "henan": "河南", "hebei": "河北", "shandong": "山东", "shanxi": "山西", "fujian": "福建", "jiangxi": "江西",
	"guangxi": "广西", "guizhou": "贵州", "hainan": "海南", "gansu": "甘肃", "qinghai": "青海", "ningxia": "宁夏", "xinjiang": "新疆",
	"tibet": "西藏", "liaoning": "辽宁", "jilin": "吉林", "heilongjiang": "黑龙江", "shenzhen": "深圳", "guangzhou": "广州",
	"xian": "西安", "changsha": "长沙", "zhengzhou": "郑州", "jinan": "济南", "qingdao": "青岛", "xiamen": "厦门", "ningbo": "宁波",
	"suzhou": "苏州", "hefei": "合肥", "nanchang": "南昌", "fuzhou": "福州", "shenyang": "沈阳", "dalian": "大连", "harbin": "哈尔滨",
	"changchun": "长春", "shijiazhuang": "石家庄", "taiyuan": "太原", "nanning": "南宁", "guiyang": "贵阳", "lanzhou": "兰州",
	"tianning": "天宁", "wujin": "武进", "xinbei": "新北", "jiangxia": "江夏", "huangpi": "黄陂",
}

func init() {
	for en, zh := range glossaryPlaces {
		if _, ok := glossary[en]; !ok {
			glossary[en] = zh
		}
	}
}
