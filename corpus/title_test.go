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
