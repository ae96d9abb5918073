package dingtalk

import (
	"strings"
	"testing"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/retrieval"
)

func TestRenderAnswer(t *testing.T) {
	t.Parallel()
	cit := retrieval.Citation{Label: "武政办〔2021〕22号 二(二)3", LeadUnits: []string{"市经济和信息化局"}, ResponsibleUnits: []string{"市商务局"},
		Text: "加快步行街建设，打造一批*特色*商圈，提升消费能级，推动夜间经济发展，培育新型消费业态，加强市场监管和服务保障，完善商业网点布局规划。"}
	tests := []struct {
		name    string
		a       retrieval.Answer
		want    []string
		notWant []string
	}{
		{"UnitsBoldSourcesQuoted", retrieval.Answer{Question: "谁牵头步行街？", Text: "由市经济和信息化局牵头，市商务局负责。\n来源：武政办〔2021〕22号", Citations: []retrieval.Citation{cit}},
			[]string{"**市经济和信息化局**", "**市商务局**", "**来源**", "1\\. 武政办〔2021〕22号 二(二)3", "> 加快步行街建设", `\*特色\*`},
			[]string{"来源：武政办", "<b>", "完善商业网点布局规划"}},
		{"ShorterNameInsideLongerOnce", retrieval.Answer{Text: "市经济和信息化局", Citations: []retrieval.Citation{{Label: "x", LeadUnits: []string{"市经济和信息化局", "市经济"}}}},
			[]string{"**市经济和信息化局**"}, []string{"****", "**市经济**"}},
		{"ListingPages", retrieval.Answer{Intent: retrieval.IntentUnit, Text: "市商务局牵头 40 项任务", Page: 1, Pages: 2, Total: 40, Citations: []retrieval.Citation{cit}},
			[]string{"第 1/2 页", "下一页"}, []string{"**来源**"}},
		{"LastPageNoNext", retrieval.Answer{Intent: retrieval.IntentUnit, Text: "x", Page: 2, Pages: 2, Total: 40},
			[]string{"第 2/2 页"}, []string{"下一页"}},
		{"ListLikeLineEscaped", retrieval.Answer{Text: "1. 第一项\n- 第二项"}, []string{"1\\. 第一项", "\\- 第二项"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md := RenderAnswer(tt.a)
			for _, w := range tt.want {
				if !strings.Contains(md.Text, w) {
					t.Errorf("missing %q in\n%s", w, md.Text)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(md.Text, w) {
					t.Errorf("unexpected %q in\n%s", w, md.Text)
				}
			}
			if md.Title == "" {
				t.Error("no title")
			}
		})
	}
}

func TestRenderDigest(t *testing.T) {
	t.Parallel()
	d := bot.Digest{Day: "2021-06-25", Horizon: 7, Units: []string{"市商务局"},
		Upcoming: []bot.DueItem{{Date: "2021-06-30", Days: 5, What: "报送*半年*工作小结", Units: []string{"各区人民政府"}, Citation: "武政办〔2021〕22号 三(一)"}},
		Added:    []string{"新通知"}}
	md := RenderDigest(d)
	for _, w := range []string{"#### 每日任务提醒 · 2021-06-25", "**7天内到期**", "2021-06-30（还有5天）报送\\*半年\\*工作小结", "单位：各区人民政府",
		"> 来源：武政办〔2021〕22号 三(一)", "**通知变化**", "新增：新通知", "关注单位：市商务局"} {
		if !strings.Contains(md.Text, w) {
			t.Errorf("missing %q in\n%s", w, md.Text)
		}
	}
	if strings.Contains(md.Text, "<b>") || md.Title != "每日任务提醒 · 2021-06-25" {
		t.Errorf("title %q, text\n%s", md.Title, md.Text)
	}
	if empty := RenderDigest(bot.Digest{Day: "2021-06-25"}); !strings.Contains(empty.Text, "今天没有需要提醒的时间节点") {
		t.Errorf("empty digest:\n%s", empty.Text)
	}
}
