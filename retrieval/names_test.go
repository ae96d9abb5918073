package retrieval

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/assignbot/assignbot/corpus"
)

// namesIndex holds three small notices: a district's, a national one whose
// unit starts with that district's city (北京冬奥组委), and one that says
// nowhere where it is from.
func namesIndex(tb testing.TB) *Answerer {
	tb.Helper()
	fs := fstest.MapFS{
		"district.txt": {Data: []byte("北京市石景山区人民政府办公室关于印发街道工作任务分解方案的通知\n石政办发〔2019〕5号\n2019年4月16日\n一、加强党建\n" +
			"（一）完善街道党工委领导体制。健全街道党工委对地区治理的领导机制。（区委组织部负责）\n")},
		"national.txt": {Data: []byte("国务院办公厅关于加快发展体育竞赛表演产业的指导意见\n国办发〔2018〕121号\n2018年12月11日\n一、重点任务\n" +
			"（一）打造品牌赛事。培育具有自主知识产权的冰雪赛事。（体育总局、北京冬奥组委负责）\n" +
			"（二）完善赛事审批。简化赛事审批程序。（公安部、体育总局负责）\n")},
		"unplaced.txt": {Data: []byte("全文\n一体化推进“放管服”改革，优化营商环境。\n一、推动审批全链条优化\n" +
			"1.全面实施行政许可事项清单管理。2022年10月底前编制并公布行政许可事项清单。（市政府办公室牵头，各县市区政府按职责分工负责）\n" +
			"2.深化相对集中行政许可权改革。全面梳理改革事项划转目录。（市政府办公室牵头，市级各有关部门按职责分工负责）\n")},
	}
	c, err := corpus.LoadFS(fs, ".")
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := Build(context.Background(), c, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return NewAnswerer(ix, nil)
}

// TestNoticeNamesByPlace: how a place in a question names notices — or
// does not, when it only starts a unit's name.
func TestNoticeNamesByPlace(t *testing.T) {
	ans := namesIndex(t)
	for _, tt := range []struct {
		name, q, doc, has string
	}{
		// 北京 heads the unit's name; Beijing's district notice does not
		// have the unit, so it is no scope.
		{"PlaceHeadsUnitName", "北京冬奥组委参与了哪些任务？", "national.txt", "北京冬奥组委"},
		// A place the unit does belong to still names its notices.
		{"PlaceOfTheNotice", "石景山区任务分解方案里区委组织部负责什么？", "district.txt", "区委组织部"},
		// A notice that names no place answers to a place nobody says
		// and the subject only it says.
		{"UnplacedNotice", "咸阳市2022年放管服工作要点里，行政许可事项清单管理由谁牵头？", "unplaced.txt", "市政府办公室"},
		// A document number said without its year.
		{"DocNoWithoutYear", "国办发121号里公安部负责什么？", "national.txt", "公安部"},
		{"DocNoWithoutBrackets", "国办发2018年121号里公安部负责什么？", "national.txt", "公安部"},
		// The same place written without 市.
		{"UnplacedNoticeBarePlace", "咸阳放管服要点里，行政许可事项清单管理由谁牵头？", "unplaced.txt", "市政府办公室"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ans.Converse(context.Background(), &Conversation{}, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if !a.Found || len(a.Citations) == 0 || a.Citations[0].Doc != tt.doc {
				t.Fatalf("want an answer from %s:\n%s", tt.doc, a.Text)
			}
			if !strings.Contains(a.Text, tt.has) {
				t.Errorf("the answer lacks %s:\n%s", tt.has, a.Text)
			}
		})
	}
}

// TestDeicticNameIsNoScope: "在这份责任分工里" with nothing asked before
// points at no notice; the unit is looked for in every notice.
func TestDeicticNameIsNoScope(t *testing.T) {
	ans := namesIndex(t)
	a, err := ans.Converse(context.Background(), &Conversation{}, "公安部在这份意见里负责哪几条？")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found || len(a.Citations) == 0 || a.Citations[0].Doc != "national.txt" {
		t.Fatalf("want 公安部's task:\n%s", a.Text)
	}
}

func TestMembersByPost(t *testing.T) {
	ms := []corpus.Member{
		{Role: "组长", Name: "龚正", Title: "市长"},
		{Role: "副组长", Name: "陈寅", Title: "常务副市长"},
		{Role: "副组长", Name: "汤志平", Title: "副市长"},
		{Role: "成员", Name: "高香", Title: "嘉定区区长"},
		{Role: "成员", Name: "郭芳", Title: "奉贤区区长"},
		{Role: "成员", Name: "张三", Title: "松江区副区长"},
	}
	names := func(ms []corpus.Member) string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Name)
		}
		return strings.Join(out, "、")
	}
	for _, tt := range []struct{ name, q, want string }{
		{"PostLeavesDeputiesOut", "领导小组里有哪几个区的区长", "高香、郭芳"},
		{"DeputyPost", "有几位副市长", "陈寅、汤志平"},
		{"DeputyDistrictHead", "哪位是副区长", "张三"},
		{"RoleIsNoPost", "组长是谁", ""},
		{"NoPost", "领导小组有哪些人", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := names(membersByPost(ms, tt.q)); got != tt.want {
				t.Errorf("%s: %q, want %q", tt.q, got, tt.want)
			}
		})
	}
}

// TestTaskNamingNobody: asked who leads a task that names no unit and no
// leader, the answer says the notice does not say — not a found answer
// with 未列明 twice.
func TestTaskNamingNobody(t *testing.T) {
	// A row cut off before its units, as a captured page leaves it.
	n := &corpus.Notice{Doc: "cut.txt", Title: "区政府工作报告重点工作责任分解", Tasks: []*corpus.Task{
		{Doc: "cut.txt", Ref: "1", Text: "推进赛事转播数字化，加快赛事转播数字化转型。"},
		{Doc: "cut.txt", Ref: "2", Text: "完善赛事审批，简化赛事审批程序。", ResponsibleUnits: []string{"区体育局"}},
	}}
	ix, err := Build(context.Background(), &corpus.Corpus{Notices: []*corpus.Notice{n}, Directory: corpus.NewDirectory()}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ans := NewAnswerer(ix, nil)
	a, err := ans.Converse(context.Background(), &Conversation{}, "赛事转播数字化谁牵头？")
	if err != nil {
		t.Fatal(err)
	}
	if a.Found || !strings.Contains(a.Text, "没有写明") {
		t.Errorf("want not found, saying the notice names nobody:\n%s", a.Text)
	}
	a, err = ans.Converse(context.Background(), &Conversation{}, "赛事审批谁负责？")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found || !strings.Contains(a.Text, "区体育局") {
		t.Errorf("a task that names its unit is still answered:\n%s", a.Text)
	}
}

// TestBareNoticeName: a question that is only a notice's number says
// what the notice is — not that nothing was found in it.
func TestBareNoticeName(t *testing.T) {
	ans := namesIndex(t)
	for _, q := range []string{"国办发〔2018〕121号", "国办发121号？"} {
		a, err := ans.Converse(context.Background(), &Conversation{}, q)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Found || len(a.Citations) != 1 || a.Citations[0].Doc != "national.txt" ||
			!strings.Contains(a.Text, "体育竞赛表演产业") || !strings.Contains(a.Text, "2 项") {
			t.Errorf("%s: want the notice described:\n%s", q, a.Text)
		}
	}
}

// TestWhenAfterListing: "它什么时候完成" after a unit's listing asks when
// the listed task is due, not for the listing again.
func TestWhenAfterListing(t *testing.T) {
	ans := namesIndex(t)
	conv := &Conversation{}
	for _, q := range []string{"各县市区政府负责什么？", "它什么时候完成"} {
		a, err := ans.Converse(context.Background(), conv, q)
		if err != nil {
			t.Fatal(err)
		}
		if q == "它什么时候完成" && (a.Intent != IntentDeadline || !strings.Contains(a.Text, "2022年10月底前")) {
			t.Errorf("%s: want the listed task's date:\n%s", q, a.Text)
		}
	}
}

// TestIssuerAsked: who issued a notice is answered from its metadata.
func TestIssuerAsked(t *testing.T) {
	ans := namesIndex(t)
	a, err := ans.Converse(context.Background(), &Conversation{}, "国办发〔2018〕121号是哪个单位印发的？")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found || len(a.Citations) != 1 || a.Citations[0].Doc != "national.txt" || !strings.Contains(a.Text, "国务院办公厅") {
		t.Errorf("want the issuer of national.txt:\n%s", a.Text)
	}
}
