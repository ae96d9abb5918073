package corpus

import "testing"

// TestTitleFromRepost: the notice's own title, as reposts and page
// captures mangle it. One row per mangling.
func TestTitleFromRepost(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"SiteNameAfterDash",
			"湖南省人民政府关于落实《政府工作报告》重点工作部门分工的意见-湖南省人民政府门户网站\n\n湖南省人民政府关于落实《政府工作报告》重点工作部门分工的意见\n一、工作任务",
			"湖南省人民政府关于落实《政府工作报告》重点工作部门分工的意见"},
		{"DashInsideTitleStays",
			"关于印发武汉市养老服务体系规划（2021-2025年）的通知\n一、工作任务",
			"关于印发武汉市养老服务体系规划（2021-2025年）的通知"},
		{"HeadlineShortensIssuer",
			"广东省关于成立广东省推进科技创新中心建设领导小组的通知\n- 来源:\n- 发布时间:\n广东省人民政府办公厅关于成立广东省\n推进科技创新中心建设领导小组的通知\n粤办函〔2019〕271号",
			"广东省人民政府办公厅关于成立广东省推进科技创新中心建设领导小组的通知"},
		{"TitleRunIntoNewsStory",
			"国务院成立地理国情普查领导小组 张高丽任组长\n原标题:国务院成立普查领导小组中新网6月13日电 据中国政府网消息,国务院办公厅公布关于成立第一次全国地理国情普查领导小组的通知,根据通知,由国务院副总理张高丽任组长。全文如下:国务院办公厅关于成立第一次全国地理国情普查领导小组的通知各省、自治区、直辖市人民政府,国务院各部委、各直属机构:为加强对第一次全国地理国情普查的领导,根据《国务院关于开展第一次全国地理国情普查的通知》(国发〔2013〕9号),国务院决定成立第一次全国地理国情普查领导小组。",
			"国务院办公厅关于成立第一次全国地理国情普查领导小组的通知"},
		{"BareQuanwenIsNoTitle",
			"全文\n以新时代中国特色社会主义思想为指导,深化改革。\n一、工作任务",
			"以新时代中国特色社会主义思想为指导"},
		{"LabelledTitleField",
			"索 引 号: 000012345/2019-00087 主题分类: 商贸\n标  题: 省人民政府办公厅关于印发促进外贸稳增长工作方案的通知\n发文字号: 某政办发〔2019〕12号\n\n省人民政府办公厅关于印发\n促进外贸稳增长工作方案的通知\n一、工作任务",
			"省人民政府办公厅关于印发促进外贸稳增长工作方案的通知"},
		{"NameFieldWithNextFieldOnItsLine",
			"当前位置: 首页 > 信息公开\n索引号: 11340000/202402-00011 组配分类: 计划总结\n名称: 某某县2024年民生实事任务分解表 文号:\n发布日期: 2024-02-20\n某某县2024年民生实事任务分解表\n序号 任务 牵头单位",
			"某某县2024年民生实事任务分解表"},
		{"ColumnTagBeforeTitle",
			"【重点工作】某某市人民政府关于2021年市政府重点工作分工的通知\n一、工作任务",
			"某某市人民政府关于2021年市政府重点工作分工的通知"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := parseText(t, tt.name+".txt", tt.text)
			if n.Title != tt.want {
				t.Errorf("title %q, want %q", n.Title, tt.want)
			}
		})
	}
}

func TestCleanPageTitle(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"SiteAfterUnderscore", "关于印发方案的通知_广元市人民政府", "关于印发方案的通知"},
		{"SiteAfterBareDash", "关于落实分工的意见-湖南省人民政府门户网站", "关于落实分工的意见"},
		{"BareQuanwen", "全文", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanPageTitle(tt.in); got != tt.want {
				t.Errorf("cleanPageTitle(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestDocNumberAsPrinted: the notice's own number as written, not a page
// header's number run into the body.
func TestDocNumberAsPrinted(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"HalfWidthSquareBracketsAndSpaces",
			"某政 [2021] 7号\n各县人民政府:\n现将任务分解如下。\n一、工作任务\n1.推进外贸。\n责任单位:市商务局",
			"某政 [2021] 7号"},
		{"PageHeaderRunIntoBody",
			"某政〔2021〕7号\n各县人民政府:\n现将任务分解如下,各单位要明确时间节点、责任领导、主要措施,并于每季度末报告进展情况。对有明确时间节点的重某市人民政府文件某政〔2021〕8号大工作实行专项督查,加大督查频次。\n一、工作任务\n1.推进外贸。\n责任单位:市商务局",
			"某政〔2021〕7号"},
		{"OnlyThePageHeaderHasOne",
			"各县人民政府:\n现将任务分解如下,各单位要明确时间节点、责任领导、主要措施,并于每季度末报告进展情况。对有明确时间节点的重某市人民政府文件某政〔2021〕8号大工作实行专项督查,加大督查频次。\n一、工作任务\n1.推进外贸。\n责任单位:市商务局",
			"某政〔2021〕8号"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := parseText(t, tt.name+".txt", tt.text)
			if n.DocNumber != tt.want {
				t.Errorf("docno %q, want %q", n.DocNumber, tt.want)
			}
		})
	}
}
