package corpus

import (
	"strings"
	"testing"
)

// TestRosterLayouts has one row per way a roster line is typed: labels
// padded with half- and full-width spaces, several names a line, posts
// after padded names, names glued to their posts, a whole roster in one
// line. Members are role:name=post, joined by spaces.
func TestRosterLayouts(t *testing.T) {
	tests := []struct {
		name, text string
		members    string
	}{
		{"PaddedLabels",
			"二、组成人员\n组 长:孙益锋 区委常委、副区长\n副 组 长:施宏伟 区政府办公室副主任\n成　　员：方国友 区机关事务管理中心主任",
			"组长:孙益锋=区委常委、副区长 副组长:施宏伟=区政府办公室副主任 成员:方国友=区机关事务管理中心主任"},
		{"SeveralNamesALine",
			"决定成立湖塘镇农村公路管理养护工作领导小组,具体名单如下:\n组 长:王伟华\n副组长:王晓剑 谭志新\n成 员:闵 成 马梅红 许小建 范金洪\n领导小组下设办公室,办公室设在湖塘镇交通管理所,由闵成兼任办公室主任。",
			"组长:王伟华= 副组长:王晓剑= 副组长:谭志新= 成员:闵成= 成员:马梅红= 成员:许小建= 成员:范金洪="},
		{"NamesListedWithCommas",
			"领导小组组成人员如下:\n组长:王伟华\n成员:王晓剑、谭志新、马梅红",
			"组长:王伟华= 成员:王晓剑= 成员:谭志新= 成员:马梅红="},
		{"PostAfterPaddedName",
			"领导小组组成人员如下:\n组 长:龚 正 市长\n副组长:陈 寅 常务副市长\n汤志平 副市长\n成 员:黄　卫　　科技部副部长",
			"组长:龚正=市长 副组长:陈寅=常务副市长 副组长:汤志平=副市长 成员:黄卫=科技部副部长"},
		{"NamesGluedToPosts",
			"二、组成人员\n组 长:林克庆省委常委、常务副省长\n副组长:陈良贤副省长\n王 曦副省长\n成 员:张 勇广州市委常委、常务副市长\n张宜生珠海市副市长\n郑人豪省发展改革委主任\n温文星广东恒健投资控股有限公司董事长\n三、工作机制",
			"组长:林克庆=省委常委、常务副省长 副组长:陈良贤=副省长 副组长:王曦=副省长 成员:张勇=广州市委常委、常务副市长 成员:张宜生=珠海市副市长 成员:郑人豪=省发展改革委主任 成员:温文星=广东恒健投资控股有限公司董事长"},
		{"GluedToCityNames",
			"二、组成人员\n组长:温国辉广州市市长\n成员:朱伟佛山市市长\n李谦松江区区长\n麦教猛省市场监管局局长\n王曦副省长",
			"组长:温国辉=广州市市长 成员:朱伟=佛山市市长 成员:李谦=松江区区长 成员:麦教猛=省市场监管局局长 成员:王曦=副省长"},
		{"PostBeginsWithAnAddressee",
			"各区人民政府,恒健控股有限公司:\n领导小组组成人员如下:\n组长:温文星恒健控股有限公司董事长",
			"组长:温文星=恒健控股有限公司董事长"},
		{"NextMemberGluedAfterAPost",
			"领导小组组成人员如下:\n组长:王晓剑 市长 谭志新副县长",
			"组长:王晓剑=市长 组长:谭志新=副县长"},
		{"ShortPostAfterABareName",
			"领导小组组成人员如下:\n副组长:王勇 国务委员\n成员:王五 高级工程师",
			"副组长:王勇=国务委员 成员:王五=高级工程师"},
		{"RankBeforeDeputy",
			"二、组成人员\n组长:\n孙春兰 国务院副总理\n第一副组长:\n王勇 国务委员\n副组长:\n袁家军 中共浙江省委书记\n三、其他事项",
			"组长:孙春兰=国务院副总理 第一副组长:王勇=国务委员 副组长:袁家军=中共浙江省委书记"},
		{"WholeRosterInOneLine",
			"原标题:国务院成立普查领导小组全文如下:二、组成人员组长:张高丽国务院副总理副组长:姜大明国土资源部部长丁向阳国务院副秘书长成员:张业遂外交部党委书记、副部长吴文学旅游局党组成员修济刚地震局副局长李强统计局副局长孙刚总参谋部测绘导航局副局长三、工作机构及其职责领导小组办公室设在测绘地信局,承担领导小组的日",
			"组长:张高丽=国务院副总理 副组长:姜大明=国土资源部部长 副组长:丁向阳=国务院副秘书长 成员:张业遂=外交部党委书记、副部长 成员:吴文学=旅游局党组成员 成员:修济刚=地震局副局长 成员:李强=统计局副局长 成员:孙刚=总参谋部测绘导航局副局长"},
		{"NameThatSwallowedAPostCharacter",
			"领导小组组成人员名单\n组长:党蓁  市人民政府副市长\n成员:夏伟市  财政局副局长",
			"组长:党蓁=市人民政府副市长 成员:夏伟=市财政局副局长"},
		{"LabelsWithoutColon",
			"领导小组组成人员如下:\n组 长 王伟华 市长\n副组长　陈 寅　常务副市长\n成　员　闵 成 马梅红\n成员单位要按照职责分工做好工作。",
			"组长:王伟华=市长 副组长:陈寅=常务副市长 成员:闵成= 成员:马梅红="},
		{"PostBeforeName",
			"领导小组组成人员如下:\n组　长：县委副书记、县长　王五\n副组长：副县长　陈 寅",
			"组长:王五=县委副书记、县长 副组长:陈寅=副县长"},
		{"NameWithMiddleDot",
			"领导小组组成人员如下:\n组长:雪克来提·扎克尔 自治区主席\n副组长:买买提·艾力 自治区副主席",
			"组长:雪克来提·扎克尔=自治区主席 副组长:买买提·艾力=自治区副主席"},
		{"PostInBrackets",
			"市政府决定成立市公共卫生体系建设领导小组。领导小组成员名单如下: \n  组 长:张顺彩(市政府副市长) \n  副组长: \n  周华驹(市政府副秘书长) \n  洪耀坚(市卫生局局长) \n  成员: \n  何伟森(市市政局) \n  钟超(市发展计划局) \n  领导小组不设办公室,日常工作由市卫生局有关科室承担,任务完成后自行撤销。 ",
			"组长:张顺彩=市政府副市长 副组长:周华驹=市政府副秘书长 副组长:洪耀坚=市卫生局局长 成员:何伟森=市市政局 成员:钟超=市发展计划局"},
		{"SeveralMembersALineWithPosts",
			"领导小组组成人员如下:\n成员:张三丰（市发改委主任、党组书记）、李四光（市财政局局长）",
			"成员:张三丰=市发改委主任、党组书记 成员:李四光=市财政局局长"},
		{"PostWrappedOntoNextLine",
			"领导小组组成人员如下:\n组长:张顺彩 市委常委、\n市人民政府副市长\n副组长:周华驹 市政府副秘书长",
			"组长:张顺彩=市委常委、市人民政府副市长 副组长:周华驹=市政府副秘书长"},
		{"PostWrappedInAPDF",
			"领导小组组成人员如下:\n组长:张顺彩 市委常委、市人民\n政府副市长\n副组长:周华驹 市政府副秘书长",
			"组长:张顺彩=市委常委、市人民政府副市长 副组长:周华驹=市政府副秘书长"},
		{"ComradeAfterName",
			"领导小组组成人员如下:\n组长:王伟华同志\n副组长:陈 寅同志 副市长",
			"组长:王伟华= 副组长:陈寅=副市长"},
		{"UnitsNotPeople",
			"领导小组组成人员如下:\n组长:王伟华 市长\n成员:市发改委、市财政局、各镇人民政府主要负责同志\n办公室设在市发改委。",
			"组长:王伟华=市长"},
		{"TableRows",
			"领导小组组成人员如下:\n| 职务 | 姓名 | 单位及职务 |\n| 组长 | 龚正 | 市长 |\n| 副组长 | 陈寅 | 常务副市长 |\n|  | 汤志平 | 副市长 |\n| 成员 | 黄 融 | 市政府副秘书长 |",
			"组长:龚正=市长 副组长:陈寅=常务副市长 副组长:汤志平=副市长 成员:黄融=市政府副秘书长"},
		{"PostsWithoutNames",
			"领导小组组成人员如下:\n组长:分管副市长\n副组长:常务副县长\n成员:王五 市长",
			"成员:王五=市长"},
		{"TraditionalGlued",
			"二、組成人員\n組 長:張高麗國務院副總理\n成 員:徐一帆統計局副局長",
			"組長:張高麗=國務院副總理 成員:徐一帆=統計局副局長"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, fr := parseText(t, tt.name+".txt", tt.text)
			var got []string
			for _, g := range n.Groups {
				for _, m := range g.Members {
					got = append(got, m.Role+":"+m.Name+"="+m.Title)
				}
			}
			if s := strings.Join(got, " "); s != tt.members {
				t.Errorf("members\n%s\nwant\n%s", s, tt.members)
			}
			for _, a := range fr.Alerts {
				if strings.Contains(a, "名单行") {
					t.Errorf("unexpected alert %s", a)
				}
			}
		})
	}
}

// TestRosterUnread: a roster line whose names cannot be delimited is named
// in the report, and the lines around it are still read.
func TestRosterUnread(t *testing.T) {
	tests := []struct {
		name, text string
		alert      string // a substring of one alert
		members    string // role:name of the members still read
	}{
		{"NoPlaceToCut",
			"领导小组组成人员如下:\n组长:王伟华 市长\n成员:李建设蓝天公司经理\n许 俊 区发改局副局长",
			"第3行：名单行读不出姓名：姓名与职务连写，看不出姓名在哪里结束 — 成员:李建设蓝天公司经理",
			"组长:王伟华 成员:许俊"},
		{"TwoCutsFit",
			"领导小组组成人员如下:\n组长:王伟华 市长\n成员:李烈正高级教师\n许 俊 区发改局副局长",
			"第3行：名单行读不出姓名：姓名与职务连写，有不止一种切法 — 成员:李烈正高级教师",
			"组长:王伟华 成员:许俊"},
		{"NextMemberAfterAPostEndingInAUnit",
			"领导小组组成人员如下:\n组长:王伟华 市长\n成员:葛兆光 教授、复旦大学\n李烈正高级教师、北京第二实验小学原校长\n刘夫先 区财政局副局长",
			"第4行：名单行读不出姓名：姓名与职务连写，有不止一种切法",
			"组长:王伟华 成员:葛兆光 成员:刘夫先"},
		{"MemberLineWithoutLabel",
			"领导小组组成人员如下:\n组长:王伟华 市长\n成员:许 俊 区发改局副局长\n李建设蓝天公司经理\n刘夫先 区财政局副局长",
			"第4行：名单行读不出姓名",
			"组长:王伟华 成员:许俊 成员:刘夫先"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, fr := parseText(t, tt.name+".txt", tt.text)
			all := strings.Join(fr.Alerts, "\n")
			if !strings.Contains(all, tt.alert) {
				t.Errorf("alerts:\n%s\nwant one containing %q", all, tt.alert)
			}
			var got []string
			for _, g := range n.Groups {
				for _, m := range g.Members {
					got = append(got, m.Role+":"+m.Name)
				}
			}
			if s := strings.Join(got, " "); s != tt.members {
				t.Errorf("members %s, want %s", s, tt.members)
			}
		})
	}
}

// TestRosterGluedFromPadded glues the members the samples and the devset
// print apart (江伟  市委常委…) into runs and reads them back: each member
// alone (江伟市委常委…), and each role's members in one run, as the 2013
// 地理国情普查 notice prints them. The reader must never cut a wrong name,
// and must read nearly all.
func TestRosterGluedFromPadded(t *testing.T) {
	samples, devset := loadRealNotices(t)
	type run struct {
		doc     string
		members []Member
	}
	var one, whole []run
	for _, c := range []*Corpus{samples, devset} {
		for _, n := range c.Notices {
			for _, g := range n.Groups {
				byRole := map[string]int{}
				for _, m := range g.Members {
					if m.Title == "" {
						continue
					}
					one = append(one, run{n.Doc, []Member{m}})
					k := m.Role + "/" + m.Group
					if i, ok := byRole[k]; ok {
						whole[i].members = append(whole[i].members, m)
						continue
					}
					byRole[k] = len(whole)
					whole = append(whole, run{n.Doc, []Member{m}})
				}
			}
		}
	}
	for _, tt := range []struct {
		name string
		runs []run
		min  int
	}{{"OneMember", one, 350}, {"WholeRole", whole, 40}} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRosterReader(nil, NewDirectory())
			right, unread := 0, 0
			for _, ru := range tt.runs {
				text := ""
				for _, m := range ru.members {
					text += m.Name + m.Title
				}
				ms, _, why := r.members(text)
				if why != "" {
					unread++
					t.Logf("%s: %.30s… not read: %s", ru.doc, text, why)
					continue
				}
				same := len(ms) == len(ru.members)
				for i := 0; same && i < len(ms); i++ {
					same = ms[i].name == ru.members[i].Name && ms[i].title == ru.members[i].Title
				}
				if !same {
					t.Errorf("%s: %s read as %v", ru.doc, text, ms)
					continue
				}
				right++
			}
			if right < tt.min || float64(right) < 0.97*float64(right+unread) {
				t.Errorf("%d runs read, %d not", right, unread)
			}
		})
	}
}
