package retrieval

import (
	"regexp"
	"slices"
	"strings"
)

// What tells two notices or two groups of the same kind apart is a number
// or a place: 第三次 and 第四次 全国经济普查, 市十五届人大一次会议 and 二次
// 会议, 1号 and 2号议案, 第二批 and 第三批, 2022 and 2023, 钟楼区 and 天宁区,
// 广东省 and 湖北省. A name asked with one of these is not a loaded name
// with another, however many other words they share.

// nameIDRe finds the numbers of a name: years, ordinals, sessions, numbers.
var nameIDRe = regexp.MustCompile(`(?:19|20)\d\d|第[0-9一二三四五六七八九十]+(?:次|批|届|号)|[0-9一二三四五六七八九十]+(?:届|次会议|次|号|批)`)

// namePlaceRe finds the place a name starts with.
var namePlaceRe = regexp.MustCompile(`^(\p{Han}{2,6}?(?:省|自治区|市|区|县))`)

// nameIDs returns the numbers and the leading place of a name.
func nameIDs(name string) []string {
	name = strings.ReplaceAll(name, " ", "")
	ids := nameIDRe.FindAllString(name, -1)
	if m := namePlaceRe.FindString(name); m != "" && !slices.Contains([]string{"市区", "全市", "全省", "全区", "各区", "各县"}, m) {
		ids = append(ids, strings.TrimRight(m, "省市区县"))
	}
	return ids
}

// idsFit reports whether a notice's or group's text holds every number
// and place of a name. Numbers are compared as written and with 一…十 for
// digits (1号 is 一号).
func idsFit(ids []string, text string) bool {
	for _, id := range ids {
		if !containsID(text, id) && !containsID(text, cnNumerals.Replace(id)) && !containsID(text, arabic.Replace(id)) {
			return false
		}
	}
	return true
}

// containsID reports whether text holds id as a whole number: 2号 is not
// in 〔2021〕22号, 二次 not in 十二次.
func containsID(text, id string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], id)
		if j < 0 {
			return false
		}
		j += i
		before := []rune(text[:j])
		if len(before) == 0 || !strings.ContainsRune("0123456789一二三四五六七八九十百", before[len(before)-1]) {
			return true
		}
		i = j + len(id)
	}
}

var (
	cnNumerals = strings.NewReplacer("1", "一", "2", "二", "3", "三", "4", "四", "5", "五", "6", "六", "7", "七", "8", "八", "9", "九")
	arabic     = strings.NewReplacer("一", "1", "二", "2", "三", "3", "四", "4", "五", "5", "六", "6", "七", "7", "八", "8", "九", "9")
)
