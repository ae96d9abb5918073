package corpus

import (
	"regexp"
	"sort"
	"strings"

	"github.com/assignbot/assignbot/corpus/t2s"
)

// Regions. Each notice records the area it governs — 全国 for the State
// Council and its General Office, else the province, city, district or
// county of its issuer (广东省, 广元市, 重庆市沙坪坝区) — so that a chat can
// be scoped to its own notices. The issuer is read from the title, the
// 发布机构 line or the signature; failing those, a province's document
// number prefix (粤府 → 广东省); failing that, the place the text names
// most often as 本市/本区's own.

// adminArea is a leading run of administrative names in an issuer:
// 广东省, 常州市钟楼区, 新疆维吾尔自治区, 恩施土家族苗族自治州来凤县.
var adminArea = regexp.MustCompile(`^((?:[\p{Han}]{2,8}?(?:省|自治区))?(?:[\p{Han}]{2,10}?(?:市|自治州|州|盟|地区))?(?:[\p{Han}]{1,8}?(?:区|县|旗|市))?)(?:人民政府|政府|人大|政协|党委|委员会|办公厅|办公室|管委会|管理委员会|[\p{Han}]{0,12}(?:局|委|办|厅))`)

// provincePrefixes maps the one-character prefix of a provincial
// government's document numbers to the province.
var provincePrefixes = map[string]string{
	"京": "北京市", "津": "天津市", "沪": "上海市", "渝": "重庆市", "冀": "河北省", "晋": "山西省", "蒙": "内蒙古自治区",
	"辽": "辽宁省", "吉": "吉林省", "黑": "黑龙江省", "苏": "江苏省", "浙": "浙江省", "皖": "安徽省", "闽": "福建省",
	"赣": "江西省", "鲁": "山东省", "豫": "河南省", "鄂": "湖北省", "湘": "湖南省", "粤": "广东省", "桂": "广西壮族自治区",
	"琼": "海南省", "川": "四川省", "贵": "贵州省", "黔": "贵州省", "云": "云南省", "滇": "云南省", "藏": "西藏自治区",
	"陕": "陕西省", "甘": "甘肃省", "青": "青海省", "宁": "宁夏回族自治区", "新": "新疆维吾尔自治区",
}

var (
	placeMention = regexp.MustCompile(`([\p{Han}]{2,3}(?:省|市|区|县))(?:人民政府|政府|党委|委员会)`)
	titlePlace   = regexp.MustCompile(`^((?:[\p{Han}]{2,6}?(?:省|自治区))?[\p{Han}]{2,6}?(?:市|区|县))(?:\d|“|《|关于)`)
	selfPlace    = regexp.MustCompile(`(?:结合|立足)([\p{Han}]{2,6}?(?:省|市|区|县))(?:的)?实际`)
)

// isPlace reports whether a name ending in 省/市/区/县 is a place, not a
// word such as 城市, 开发区 or 全县.
func isPlace(m string) bool {
	for w := range notPlaces {
		if strings.HasSuffix(m, w) {
			return false
		}
	}
	return !strings.HasSuffix(m, "超市") && !strings.HasPrefix(m, "本") && !strings.HasPrefix(m, "全") && !strings.HasPrefix(m, "各")
}

// notPlaces are words ending like a place that are not one.
var notPlaces = map[string]bool{}

func init() {
	for _, w := range []string{"城市", "全市", "本市", "各市", "全区", "本区", "各区", "全县", "本县", "各县", "全省", "本省", "各省",
		"地市", "县市", "市县", "省市", "城区", "园区", "社区", "景区", "街区", "新区", "开发区", "高新区", "自贸区", "示范区", "试验区",
		"保税区", "功能区", "片区", "库区", "山区", "牧区", "城乡区", "老城区", "主城区", "中心城区", "郊区", "辖区", "湾区", "核心区",
		"试点城市", "地级市", "县级市", "副省", "节约型机关", "农村地区"} {
		notPlaces[w] = true
	}
}

// regionOf returns the area an issuer's name governs, or "".
func regionOf(issuer string) string {
	s := t2s.String(strings.TrimSpace(issuer))
	if strings.HasPrefix(s, "国务院") || strings.HasPrefix(s, "中共中央") || strings.HasPrefix(s, "中华人民共和国") {
		return "全国"
	}
	if m := adminArea.FindStringSubmatch(s); m != nil && m[1] != "" && !notPlaces[m[1]] {
		return m[1]
	}
	// A title that opens with its place: 咸阳市2022年…工作要点.
	if m := titlePlace.FindStringSubmatch(s); m != nil && !notPlaces[m[1]] {
		return m[1]
	}
	return ""
}

// findRegion fills n.Region from what the notice says of itself.
func findRegion(n *Notice, lines []string) {
	for _, s := range []string{n.Title, n.Issuer} {
		if r := regionOf(s); r != "" {
			n.Region = r
			return
		}
	}
	// A signature line: the issuer above the date.
	for i := len(lines) - 1; i >= 0; i-- {
		if isSignature(lines[i]) {
			if r := regionOf(lines[i]); r != "" {
				n.Region = r
				return
			}
		}
	}
	if dn := t2s.String(n.DocNumber); dn != "" {
		if strings.HasPrefix(dn, "国") {
			n.Region = "全国"
			return
		}
		if p, ok := provincePrefixes[string([]rune(dn)[:1])]; ok && (strings.HasPrefix(string([]rune(dn)[1:]), "府") || strings.HasPrefix(string([]rune(dn)[1:]), "政")) {
			n.Region = p
			return
		}
	}
	// The place the text calls its own (结合官渡区实际), or the government
	// it names most, if one stands out.
	count := map[string]int{}
	for _, l := range lines {
		s := t2s.String(l)
		if m := selfPlace.FindStringSubmatch(s); m != nil && isPlace(m[1]) {
			n.Region = m[1]
			return
		}
		for _, m := range placeMention.FindAllStringSubmatch(s, -1) {
			if isPlace(m[1]) {
				count[m[1]]++
			}
		}
	}
	var names []string
	for k, c := range count {
		if c >= 2 {
			names = append(names, k)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		if count[names[i]] != count[names[j]] {
			return count[names[i]] > count[names[j]]
		}
		return names[i] < names[j]
	})
	if len(names) > 0 && (len(names) == 1 || count[names[0]] > count[names[1]]) {
		n.Region = names[0]
	}
}
