package dingtalk

import (
	"strings"
	"testing"

	"github.com/assignbot/assignbot/retrieval"
)

func TestRenderAnswer(t *testing.T) {
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
