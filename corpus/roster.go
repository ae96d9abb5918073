package corpus

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/assignbot/assignbot/corpus/t2s"
)

// Roster lines. After its role label a line holds one member or several,
// in whatever layout the notice's typist chose:
//
//	江伟  市委常委、市人民政府副市长     name, padding, post
//	龚 正 市长 / 黄　卫　科技部副部长     a two-character name padded apart
//	王晓剑 谭志新 / 闵 成 马梅红        several names a line, no posts
//	张三、李四、王五                    names listed with 、
//	林克庆省委常委、常务副省长          name glued to its post
//	姜大明国土资源部部长丁向阳国务院…   a whole role's members glued in one run
//
// Padding delimits a name. Where nothing does, a name ends where its post
// recognisably begins — a post word (副省长), an administrative prefix
// (省, 市, 国务院), a place (珠海市, 广东), or a unit the notice or the
// directory names (统计局, 广东恒健投资控股有限公司) — and a post ends at
// a post word (部长, 副局长, 一级巡视员). A glued run is read only when
// exactly one cut fits; otherwise the line is reported, never guessed.

// postWords end a post. 副, 常务, 一级 before them are part of the post.
var postWords = []string{
	"总理", "国务委员", "部长", "局长", "厅长", "处长", "科长", "司长", "署长", "审计长", "主任", "主席",
	"省长", "市长", "区长", "县长", "镇长", "乡长", "州长", "旗长", "盟长", "村长",
	"书记", "秘书长", "委员", "常委", "成员", "组长", "巡视员", "调研员", "研究员", "专员", "督察",
	"院长", "校长", "行长", "社长", "台长", "馆长", "站长", "所长", "队长", "会长", "理事长", "董事长",
	"经理", "总裁", "总监", "关长", "检察长", "庭长", "参谋长", "政委", "司令员", "总队长",
	"工程师", "规划师", "会计师", "经济师", "总师", "编辑", "主编", "编审", "院士", "教授", "教师",
	"负责人", "负责同志", "秘书", "干事", "顾问", "参事", "监事", "助理",
}

// postPrefixes begin a post: an administrative level, a rank, or a body
// every notice abbreviates the same way. The 武汉 words are the sample
// notices' own units (titleStart in group.go keeps them too).
var postPrefixes = []string{
	"省", "市", "区", "县", "州", "镇", "乡", "村", "盟", "旗", "国务院", "国家", "中央", "中共", "中国", "全国",
	"人行", "团", "各", "党组", "党委", "党工委", "副", "常务", "一级", "二级", "三级", "四级", "原", "驻", "自治区",
	"正高级", "高级", "特级", "首席",
	"湖北", "武汉", "长报", "东湖", "临空港", "长江", "汉南",
}

// nationalBodies are the State Council departments and the Party and army
// bodies as rosters name them (2008–2023 names), without 国家 or 国务院.
var nationalBodies = []string{
	"外交部", "国防部", "发展改革委", "教育部", "科技部", "工业和信息化部", "国家民委", "民委", "公安部", "安全部", "监察部",
	"民政部", "司法部", "财政部", "人力资源社会保障部", "国土资源部", "自然资源部", "环境保护部", "环保部", "生态环境部",
	"住房城乡建设部", "交通运输部", "铁道部", "水利部", "农业部", "农业农村部", "商务部", "文化部", "文化和旅游部",
	"卫生部", "卫生计生委", "卫生健康委", "人口计生委", "退役军人部", "退役军人事务部", "应急管理部", "人民银行", "审计署",
	"国资委", "海关总署", "税务总局", "工商总局", "质检总局", "市场监管总局", "广电总局", "新闻出版广电总局", "新闻出版总署",
	"体育总局", "安全监管总局", "食品药品监管总局", "统计局", "林业局", "林草局", "知识产权局", "旅游局", "宗教局",
	"参事室", "国管局", "侨办", "港澳办", "台办", "法制办", "研究室", "新闻办", "新华社", "中科院", "科学院", "社科院",
	"工程院", "发展研究中心", "行政学院", "气象局", "银监会", "证监会", "保监会", "银保监会", "电监会", "社保基金会",
	"自然科学基金会", "信访局", "粮食局", "地震局", "版权局", "网信办", "贸促会", "侨联", "能源局", "国防科工局", "烟草局", "外专局", "公务员局", "海洋局", "测绘地信局",
	"测绘局", "铁路局", "民航局", "邮政局", "文物局", "中医药局", "外汇局", "煤矿安监局", "医保局", "移民局", "档案局",
	"保密局", "药监局", "标准委", "认监委", "编办", "中央编办", "总参谋部", "总政治部", "总后勤部", "总装备部", "武警部队",
	"武警总部", "军委", "中央军委", "全国总工会", "总工会", "团中央", "全国妇联", "妇联", "中国科协", "科协", "残联", "红十字会",
	"供销合作总社", "扶贫办", "三峡办", "南水北调办", "西部开发办", "振兴东北办", "国务院办公厅", "国务院研究室",
}

// provinceNames are the provinces' short names, read from provincePrefixes
// (广东省 → 广东, 广西壮族自治区 → 广西), plus the special regions.
var provinceNames = func() []string {
	seen := map[string]bool{"香港": true, "澳门": true, "台湾": true}
	for _, p := range provincePrefixes {
		r := []rune(p)
		if len(r) > 2 && (strings.HasSuffix(p, "自治区") || strings.HasSuffix(p, "省") || strings.HasSuffix(p, "市")) {
			if strings.HasPrefix(p, "内蒙古") || strings.HasPrefix(p, "黑龙江") {
				seen[string(r[:3])] = true
			} else {
				seen[string(r[:2])] = true
			}
		}
	}
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}()

// longPlaces are the prefecture-level places whose names run past two
// characters: where a name is glued to one, 2+市 alone would cut it wrong.
var longPlaces = []string{
	"石家庄", "张家口", "秦皇岛", "葫芦岛", "齐齐哈尔", "牡丹江", "佳木斯", "双鸭山", "七台河", "大兴安岭", "呼和浩特",
	"鄂尔多斯", "呼伦贝尔", "巴彦淖尔", "乌兰察布", "锡林郭勒", "连云港", "马鞍山", "景德镇", "平顶山", "驻马店", "三门峡",
	"张家界", "攀枝花", "六盘水", "石嘴山", "嘉峪关", "防城港", "克拉玛依", "乌鲁木齐", "吐鲁番", "阿克苏", "日喀则",
	"西双版纳", "黔东南", "黔西南", "公主岭", "梅河口",
}

// surnames are the common family names (over 99% of people); a name glued
// to its neighbours must start with one, which keeps a cut from landing in
// the middle of a post.
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由矫宰洪钮郗逄"

var compoundSurnames = []string{"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐", "端木", "申屠", "西门", "南宫", "独孤", "万俟", "呼延"}

// unitEnds end a unit's name; a short field ending in one is a post or a
// unit, not a name.
var unitEnds = []string{"局", "厅", "署", "委", "办", "部", "中心", "公司", "集团", "大学", "学院", "银行", "海关", "法院", "政府", "总队", "支队"}

// rosterStopRe is where a glued roster run ends: the next numbered heading
// (三、工作机构) or the end of a sentence.
var rosterStopRe = regexp.MustCompile(`[一二三四五六七八九十]+、|[。；;]`)

// rosterReader reads member lines. known holds the unit names a post may
// begin with, in Simplified script: the national bodies, the directory's
// names and the units the notice is addressed to.
type rosterReader struct {
	known []string
}

func newRosterReader(lines []string, dir *Directory) *rosterReader {
	known := append([]string(nil), nationalBodies...)
	if dir != nil {
		known = append(known, dir.Names()...) // keys folded, names as curated: Simplified
	}
	known = append(known, addressees(lines)...)
	return &rosterReader{known: known}
}

var addresseeSepRe = regexp.MustCompile(`[,，、;；:：]`)

// addressees are the units a notice is sent to (各地级以上市人民政府,省政府
// 各部门,广东恒健投资控股有限公司:), the line ending in a colon near its top.
func addressees(lines []string) []string {
	var out []string
	for i, l := range lines {
		if i > 15 {
			break
		}
		l = strings.TrimSpace(l)
		if !strings.HasSuffix(l, ":") && !strings.HasSuffix(l, "：") {
			continue
		}
		for _, u := range addresseeSepRe.Split(t2s.String(foldText(l)), -1) {
			if u = strings.TrimSpace(u); isCompleteUnit(u) && !strings.HasPrefix(u, "各") {
				out = append(out, u)
			}
		}
	}
	return out
}

// rosterMember is one member read from a line, before its role is known.
type rosterMember struct{ name, title string }

// rosterUnreadable says why a roster line could not be read.
type rosterUnreadable string

const (
	unreadNoCut     rosterUnreadable = "名单行读不出姓名：姓名与职务连写，看不出姓名在哪里结束"
	unreadAmbiguous rosterUnreadable = "名单行读不出姓名：姓名与职务连写，有不止一种切法"
	unreadLayout    rosterUnreadable = "名单行读不出姓名：写法不认识"
)

// members reads the members of one roster line after its role label. It
// returns the members, the text after a stop that ends a glued run (the
// roster ends there), and why the line could not be read ("" when it was,
// or when it is no member line at all: then members is empty too).
func (r *rosterReader) members(text string) (ms []rosterMember, tail string, why rosterUnreadable) {
	text = strings.TrimSpace(text)
	if loc := rosterStopRe.FindStringIndex(text); loc != nil {
		text, tail = strings.TrimSpace(text[:loc[0]]), text[loc[0]:]
	}
	if text == "" || noNames(simple(text)) {
		return nil, tail, ""
	}
	fields := rosterFields(text)
	pending := -1 // index in ms of a member still waiting for its post
	for k := 0; k < len(fields); k++ {
		f := fields[k]
		fs := simple(f)
		if name, rest, used := nameAt(fields, k); used > 0 {
			ms = append(ms, rosterMember{name: name, title: rest})
			pending = len(ms) - 1
			k += used - 1
			continue
		}
		if fieldKind(fs) != fieldPost {
			return nil, tail, unreadLayout
		}
		if pending >= 0 && (ms[pending].title == "" || r.postStartsAt([]rune(fs), 0)) {
			// The post of the name before it (王勇 国务委员, 王五 高级工程师),
			// or the rest of its post (市委常委、 市人民政府副市长).
			ms[pending].title += f
			continue
		}
		glued, w := r.splitGlued(f)
		switch {
		case w == "":
			ms = append(ms, glued...) // 林克庆省委常委、常务副省长; 张三 市长 李四副市长
			pending = len(ms) - 1
		case pending >= 0:
			ms[pending].title += f // a post that begins in no way we know (正高级教师、…)
		default:
			// The post before the name: 县委副书记、县长 王五.
			name, _, used := nameAt(fields, k+1)
			if used == 0 || !endsWithAny(fs, postWords) {
				return nil, tail, w
			}
			ms = append(ms, rosterMember{name: name, title: f})
			pending = -1
			k += used
		}
	}
	for i := range ms {
		m := &ms[i]
		// A name that swallowed the first character of its post (夏伟市 财政局…).
		if m.title != "" && !titleStart.MatchString(m.title) {
			if c, size := utf8.DecodeLastRuneInString(m.name); (c == '市' || c == '区' || c == '县') && utf8.RuneCountInString(m.name) >= 3 {
				m.name, m.title = m.name[:len(m.name)-size], string(c)+m.title
			}
		}
		if n := utf8.RuneCountInString(m.name); n < 2 || (n > 4 && !strings.ContainsRune(m.name, '·')) || !isHanString(m.name) {
			return nil, tail, unreadLayout
		}
	}
	return ms, tail, ""
}

// nameAt reads a name at fields[k] delimited by padding: a field of two to
// four characters with no post in it (谭志新, 买买提·艾力), or a
// two-character name padded apart (龚 正, 闵 成) whose post may be glued to
// its second character (王 曦副省长), returned in rest. used is the number
// of fields taken, 0 when there is no such name.
func nameAt(fields []string, k int) (name, rest string, used int) {
	if k >= len(fields) {
		return "", "", 0
	}
	f := fields[k]
	if name, post, ok := bracketedPost(f); ok {
		return name, post, 1 // 张顺彩(市政府副市长)
	}
	switch fieldKind(simple(f)) {
	case fieldName:
		return f, "", 1
	case fieldSingle:
		if k+1 >= len(fields) || !IsHan(firstRune(fields[k+1])) {
			return "", "", 0
		}
		next := fields[k+1]
		if fieldKind(simple(next)) == fieldName {
			return f + next, "", 2 // 欧 阳明: a longer name padded once
		}
		_, size := utf8.DecodeRuneInString(next)
		return f + next[:size], next[size:], 2
	}
	return "", "", 0
}

// bracketedPostRe is a name with its post or unit in brackets after it.
var bracketedPostRe = regexp.MustCompile(`^([\p{Han}·]{2,12})[(（]([^()（）]+)[)）]$`)

// bracketedPost reads 张顺彩(市政府副市长) and 何伟森（市市政局）.
func bracketedPost(f string) (name, post string, ok bool) {
	m := bracketedPostRe.FindStringSubmatch(f)
	if m == nil || fieldKind(simple(m[1])) != fieldName {
		return "", "", false
	}
	return m[1], m[2], true
}

// noNamePrefixes begin a unit or a group of units, never a person.
var noNamePrefixes = []string{"市", "区", "县", "省", "州", "镇", "乡", "各", "有关", "相关", "国家", "国务院", "中央"}

// notNames begin words that a family name could start but no name does.
var notNames = []string{"常务", "分管", "主管", "专职", "兼职", "执行", "第一", "相关", "有关", "各"}

// noNames reports a role's text that names units or posts but no person
// (成员：市发改委、市财政局主要负责同志; 成员：各成员单位分管领导): there is
// no name to read, and nothing to report.
func noNames(fs string) bool {
	if strings.ContainsAny(fs, " \t") {
		return false // padding sets a name apart (县委副书记、县长 王五)
	}
	if endsWithAny(fs, postWords) && (!strings.ContainsRune(surnames, firstRune(fs)) || hasPrefixAny(fs, notNames)) {
		return true // a post and no person: 组长：分管副市长, 常务副县长
	}
	parts := splitTopLevel(fs, "、，,；;")
	if len(parts) == 0 || !endsWithAny(fs, []string{"负责同志", "负责人", "领导", "领导同志"}) && !isCompleteUnit(parts[len(parts)-1]) {
		return false
	}
	for _, p := range parts {
		if !hasPrefixAny(p, noNamePrefixes) && !hasPrefixAny(p, provinceNames) {
			return false
		}
	}
	return true
}

// rosterFields splits a line at its padding, and a list of names at 、.
// 同志 after a name is dropped (王伟华同志).
func rosterFields(text string) []string {
	var out []string
	for _, f := range padding.Split(text, -1) {
		if f != "同志" {
			f = strings.TrimSuffix(f, "同志")
		}
		if f == "" {
			continue
		}
		if strings.ContainsAny(f, "、，,") {
			parts := splitTopLevel(f, "、，,")
			names := len(parts) > 1
			for _, p := range parts {
				_, _, br := bracketedPost(p)
				names = names && (br || fieldKind(simple(p)) == fieldName)
			}
			if names {
				out = append(out, parts...)
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

type fieldKindT int

const (
	fieldOther  fieldKindT = iota
	fieldSingle            // one character: half of a padded name
	fieldName              // two to four characters and no post
	fieldPost              // a post, or a name glued to one
)

// fieldKind tells a name from a post by its length and words. fs is in
// Simplified script.
func fieldKind(fs string) fieldKindT {
	n := utf8.RuneCountInString(fs)
	switch {
	case n == 1 && IsHan(firstRune(fs)):
		return fieldSingle
	case n >= 2 && n <= 4 && isHanString(fs) && !endsWithAny(fs, postWords) && !endsWithAny(fs, unitEnds) && !hasPrefixAny(fs, postWords):
		return fieldName
	case n <= 12 && strings.Count(fs, "·") == 1 && !strings.HasPrefix(fs, "·") && !strings.HasSuffix(fs, "·") && isHanString(fs):
		return fieldName // 买买提·艾力
	case n >= 2:
		return fieldPost
	}
	return fieldOther
}

// splitGlued cuts a run of names glued to their posts. It reads the run
// only when exactly one cut fits.
func (r *rosterReader) splitGlued(s string) ([]rosterMember, rosterUnreadable) {
	rs := []rune(s)
	fs := []rune(simple(s))
	if len(fs) != len(rs) {
		return nil, unreadNoCut
	}
	postEnd := make([]bool, len(fs)+1)
	postEnd[len(fs)] = true // the run's last post may end in a unit (教授、复旦大学)
	for j := 1; j <= len(fs); j++ {
		for _, w := range postWords {
			if hasRunesAt(fs, j-utf8.RuneCountInString(w), w) {
				postEnd[j] = true
				break
			}
		}
	}
	const maxPost = 60
	type step struct{ nameEnd, postEnd int }
	ways := make([]int, len(fs)+1) // parses of fs[i:], capped at 2; -1 unknown
	next := make([]step, len(fs)+1)
	for i := range ways {
		ways[i] = -1
	}
	var from func(i int) int
	from = func(i int) int {
		if i == len(fs) {
			return 1
		}
		if ways[i] >= 0 {
			return ways[i]
		}
		ways[i] = 0
		for _, n := range r.nameLengths(fs, i) {
			ne := i + n
			for j := ne + 1; j <= len(fs) && j <= ne+maxPost; j++ {
				if !postEnd[j] {
					continue
				}
				// A post ends at its first post word that the next
				// member or the run's end follows.
				c := from(j)
				if c == 0 {
					continue
				}
				if ways[i] == 0 {
					next[i] = step{ne, j}
				}
				ways[i] += c
				break
			}
		}
		ways[i] = min(ways[i], 2)
		return ways[i]
	}
	switch from(0) {
	case 0:
		return nil, unreadNoCut
	case 1:
	default:
		return nil, unreadAmbiguous
	}
	var ms []rosterMember
	for i := 0; i < len(fs); i = next[i].postEnd {
		st := next[i]
		ms = append(ms, rosterMember{name: string(rs[i:st.nameEnd]), title: string(rs[st.nameEnd:st.postEnd])})
	}
	return ms, ""
}

// nameLengths are the lengths a name glued at fs[i] can have: it starts
// with a family name, holds no post word, and its post starts right after.
func (r *rosterReader) nameLengths(fs []rune, i int) []int {
	lo, hi := 2, 3
	for _, c := range compoundSurnames {
		if hasRunesAt(fs, i, c) {
			lo, hi = 3, 4
		}
	}
	if lo == 2 && (i >= len(fs) || !strings.ContainsRune(surnames, fs[i])) {
		return nil
	}
	var out []int
	for n := lo; n <= hi && i+n < len(fs); n++ {
		name := string(fs[i : i+n])
		if !isHanString(name) || endsWithAny(name, []string{"市", "省", "区", "县", "州", "副"}) || containsAny(name, postWords) || hasPrefixAny(name, notNames) {
			continue
		}
		if r.postStartsAt(fs, i+n) {
			out = append(out, n)
		}
	}
	return out
}

// postStartsAt reports whether a post recognisably begins at fs[k].
func (r *rosterReader) postStartsAt(fs []rune, k int) bool {
	if hasRunesAt(fs, k, "州市") {
		return false // the end of a place's name (广州市, 惠州市), not a prefecture's 州
	}
	for _, list := range [][]string{postWords, postPrefixes, provinceNames, longPlaces, r.known} {
		for _, w := range list {
			if w != "" && hasRunesAt(fs, k, w) {
				return true
			}
		}
	}
	// A two-character place: 珠海市, 佛山市, 海淀区, 恩施州. Its second
	// character is no level (江区区长 is 松江区's tail) and no rank, and a
	// 州 followed by 市 belongs to a longer name (广州市).
	if k+2 < len(fs) && IsHan(fs[k]) && IsHan(fs[k+1]) && strings.ContainsRune("市县区州盟", fs[k+2]) &&
		!strings.ContainsRune("副正常市县区省盟", fs[k+1]) && !hasRunesAt(fs, k+2, "州市") {
		return true
	}
	return false
}

// simple folds widths and script for matching, one rune for one rune.
func simple(s string) string { return t2s.String(foldText(s)) }

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func hasRunesAt(rs []rune, i int, w string) bool {
	if i < 0 {
		return false
	}
	for _, c := range w {
		if i >= len(rs) || rs[i] != c {
			return false
		}
		i++
	}
	return true
}

func endsWithAny(s string, ws []string) bool {
	for _, w := range ws {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

func hasPrefixAny(s string, ws []string) bool {
	for _, w := range ws {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

func containsAny(s string, ws []string) bool {
	for _, w := range ws {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
