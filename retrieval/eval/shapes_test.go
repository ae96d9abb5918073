package eval_test

import (
	"context"
	"testing"

	"github.com/assignbot/assignbot/retrieval"
	"github.com/assignbot/assignbot/retrieval/eval"
)

// TestConversationShapes plays the shapes of follow-up people use that
// name no subject: a place in the last list (倒数第二项, 最后一个), a
// phase of the notice (第二个阶段呢), the other notices (那另一份方案里的
// 呢); and questions that name a group not loaded or ask for a number.
func TestConversationShapes(t *testing.T) {
	c, err := eval.DevsetCorpus(devsetDir)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := retrieval.Build(context.Background(), c, retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ans := retrieval.NewAnswerer(ix, nil)
	found := func(has ...string) eval.Expect { return eval.Expect{Found: true, Has: [][]string{has}} }
	for _, d := range []eval.Dialog{
		{ID: "FromTheEnd", Turns: []eval.Turn{
			{Q: "市商务局牵头哪些任务？", Expect: found("市商务局牵头的任务")},
			{Q: "倒数第二项是什么？", Expect: eval.Expect{Found: true, Cites: [][2]string{{"004", "二(四)74"}}}},
			{Q: "最后一个呢", Expect: eval.Expect{Found: true, Cites: [][2]string{{"004", "二(六)127"}}}},
			{Q: "上一项", Expect: eval.Expect{Found: true, Cites: [][2]string{{"004", "二(四)74"}}}},
		}},
		{ID: "PhaseByPlace", Turns: []eval.Turn{
			{Q: "1号建议案的检查督办阶段是哪个月？", Expect: eval.Expect{Found: true, Cites: [][2]string{{"001", "三(三)"}}}},
			{Q: "第二个阶段呢？", Expect: eval.Expect{Found: true, Cites: [][2]string{{"001", "三(二)"}}, Has: [][]string{{"2022年4-10月"}}}},
			{Q: "最后一个阶段是什么时候", Expect: eval.Expect{Found: true, Cites: [][2]string{{"001", "三(四)"}}, Has: [][]string{{"2022年12月"}}}},
		}},
		{ID: "NeighbourTask", Turns: []eval.Turn{
			{Q: "数字人民币试点谁牵头？", Expect: eval.Expect{Found: true, Cites: [][2]string{{"002", "二(三)6"}}}},
			{Q: "下一项呢", Expect: eval.Expect{Found: true, Cites: [][2]string{{"002", "二(三)7"}}}},
		}},
		{ID: "GroupNotLoaded", Turns: []eval.Turn{
			{Q: "国家乡村振兴领导小组组长是谁？", Expect: eval.Expect{Found: false, Has: [][]string{{"没有找到“国家乡村振兴领导小组”"}}, Lacks: []string{"张高丽", "張高麗"}}},
			{Q: "职教部际联席会议办公室设在哪？", Expect: found("教育部")},
		}},
		{ID: "SwapNumberInName", Turns: []eval.Turn{
			{Q: "第四次全国经济普查领导小组组长是谁？", Expect: eval.Expect{Found: false, Has: [][]string{{"没有找到“第四次全国经济普查领导小组”"}}}},
			{Q: "那第三次的呢？", Expect: eval.Expect{Found: true, Has: [][]string{{"張高麗", "张高丽"}}}},
		}},
		{ID: "SessionNumberNotLoaded", Turns: []eval.Turn{
			{Q: "市十四届人大六次会议2号议案的领导小组组长是谁？", Expect: eval.Expect{Found: false, Lacks: []string{"江伟"}}},
		}},
		{ID: "NoticeDateOfThisNotice", Turns: []eval.Turn{
			{Q: "数字人民币试点谁牵头？", Expect: eval.Expect{Found: true, Cites: [][2]string{{"002", "二(三)6"}}}},
			{Q: "这份方案是哪天印发的？", Expect: found("2022年3月31日")},
		}},
		{ID: "PhaseList", Turns: []eval.Turn{
			{Q: "消费中心议案有哪些工作阶段？", Expect: found("部署阶段")},
			{Q: "第二个阶段具体是什么时候？", Expect: found("2021年3-10月")},
		}},
		{ID: "ProjectNotLoaded", Turns: []eval.Turn{
			{Q: "中韩国际产业园谁牵头？", Expect: eval.Expect{Found: false, Has: [][]string{{"没有找到“中韩国际产业园”"}}}},
			{Q: "中德国际产业园谁牵头？", Expect: found("蔡甸区", "蔡甸區")},
		}},
		{ID: "CityNotLoaded", Turns: []eval.Turn{
			{Q: "成都市创建夜间经济示范城市由谁牵头？", Expect: eval.Expect{Found: false, Has: [][]string{{"成都市"}}}},
		}},
		{ID: "NoticeBySubject", Turns: []eval.Turn{
			{Q: "那个夜经济的通知里谁牵头夜间经济？", Expect: found("您指的是哪一份")},
			{Q: "乡村振兴那个实施方案里，谁牵头高标准农田？", Expect: eval.Expect{Found: false, Lacks: []string{"农业农村部"}}},
		}},
		{ID: "UnitByAbbreviation", Turns: []eval.Turn{
			{Q: "促进就业那份意见里人社部牵头的都有哪些条？", Expect: eval.Expect{Found: true, Cites: [][2]string{{"national-2018-cujin-jiuye", "二(四)"}}}},
		}},
		{ID: "EnglishFollowUp", Turns: []eval.Turn{
			{Q: "Who leads the digital RMB pilot?", Expect: eval.Expect{Found: true, Cites: [][2]string{{"002", "二(三)6"}}}},
			{Q: "And who works with them on that?", Expect: found("人行武汉分行营管部")},
		}},
		{ID: "NumberWithMeasure", Turns: []eval.Turn{
			{Q: "新能源公交线路要发展几条？", Expect: found("1条")},
			{Q: "示范街区要建成多少条？", Expect: found("没有写明具体数字")},
		}},
	} {
		t.Run(d.ID, func(t *testing.T) {
			res, err := eval.RunDialog(context.Background(), ans, d)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range res {
				if r.Why != "" {
					t.Errorf("turn %d %q: %s\n%s", i+1, r.Q, r.Why, r.Answer)
				}
			}
		})
	}
}
