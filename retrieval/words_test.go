package retrieval

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/assignbot/assignbot/corpus"
)

var (
	wordsOnce sync.Once
	wordsIx   *Index
)

func wordsIndex(tb testing.TB) *Index {
	tb.Helper()
	wordsOnce.Do(func() {
		c, err := corpus.LoadFS(corpus.Samples, ".")
		if err != nil {
			tb.Fatal(err)
		}
		if wordsIx, err = Build(context.Background(), c, Options{}); err != nil {
			tb.Fatal(err)
		}
	})
	return wordsIx
}

// TestIntentWords: the table of intent words, one question per row, in
// the formal words of notices and the colloquial words of chat.
func TestIntentWords(t *testing.T) {
	ix := wordsIndex(t)
	tests := []struct {
		name, q, intent, unit, topic string
	}{
		{"LeadFormal", "哪个单位牵头步行街建设任务？", IntentLead, "", "步行街建设"},
		{"LeadTiaoTou", "夜经济这块谁挑头", IntentLead, "", "夜间经济"},
		{"LeadZhuaZong", "数字人民币试点谁抓总？", IntentLead, "", "数字人民币试点"},
		{"LeadZhuZhua", "老字号品牌建设谁主抓", IntentLead, "", "老字号品牌建设"},
		{"LeadZhuZe", "一网通办的主责部门是哪个？", IntentLead, "", "一网通办"},
		{"LeadGuiShuiGuan", "江汉路步行街改造归谁管？", IntentLead, "", "江汉路步行街改造提升"},
		{"LeadWhichDeptManages", "元宇宙这事哪个部门管", IntentLead, "", "元宇宙"},
		{"LeadWhoResponsible", "消费券发放谁负责？", IntentLead, "", "消费券发放"},
		{"RespPeiHe", "步行街建设的配合单位有哪些？", IntentResp, "", "步行街建设"},
		{"RespXieZhu", "哪些部门协助做好夜间经济？", IntentResp, "", "做好夜间经济"},
		{"RespCanYu", "数字人民币试点还有谁参与？", IntentResp, "", "数字人民币试点"},
		{"RespXieBan", "老字号保护的协办单位", IntentResp, "", "老字号保护"},
		{"RespResponsibleUnits", "国际消费中心城市的责任单位", IntentResp, "", "国际消费中心城市"},
		{"DeadlineShenMeShiHou", "半年工作小结什么时候报送？", IntentDeadline, "", "半年小结报送"},
		{"DeadlineJieZhi", "方案报送的截止日期", IntentDeadline, "", "方案报送"},
		{"DeadlineZuiWan", "年度总结最晚哪天交", IntentDeadline, "", "年度总结交"},
		{"DeadlineQiXian", "议案办理的期限", IntentDeadline, "", "议案办理"},
		{"DeadlineShaShiHou", "步行街改造啥时候完成", IntentDeadline, "", "步行街改造提升"},
		{"DeadlineJiShiTraditional", "琴台美術館幾時建成", IntentDeadline, "", "琴台美术馆建成"},
		{"DeadlineJiYueDi", "年度总结几月底报", IntentDeadline, "", "年度总结报"},
		{"RosterZuZhang", "领导小组组长是谁？", IntentRoster, "", "领导小组"},
		{"RosterChengYuan", "数字经济议案领导小组成员有哪些", IntentRoster, "", "数字经济议案领导小组"},
		{"RosterYouShui", "领导小组里有谁", IntentRoster, "", "领导小组"},
		{"DeadlineWhereThePlanGoes", "具体工作方案什么时候报送领导小组办公室备案？", IntentDeadline, "", "方案报送领导小组备案"},
		{"RosterCommitteeIsNotMember", "发展和改革委员会牵头哪些任务", IntentUnit, "市发展改革委", ""},
		{"ListingFuZeNaXie", "市商务局负责哪些？", IntentUnit, "市商务局", ""},
		{"ListingYouShenMeRenWu", "市经信局有什么任务", IntentUnit, "市经济和信息化局", ""},
		{"ListingLeadOnly", "市商务局牵头哪些任务？", IntentUnit, "市商务局", ""},
		{"ListingFillersDoNotNarrow", "市商务局相关的工作任务有哪些", IntentUnit, "市商务局", ""},
		{"ListingJustAName", "市商务局", IntentUnit, "市商务局", ""},
		{"EnglishLead", "Who leads the pedestrian street construction?", IntentLead, "", "步行街 建设"},
		{"EnglishDeadline", "When is the deadline for the half-year summary?", IntentDeadline, "", "半年 小结"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := ix.understand(tt.q)
			if q.Intent != tt.intent || q.Unit != tt.unit {
				t.Errorf("%s: intent %s unit %q, want %s %q", tt.q, q.Intent, q.Unit, tt.intent, tt.unit)
			}
			if strings.ReplaceAll(q.Topic, " ", "") != strings.ReplaceAll(tt.topic, " ", "") {
				t.Errorf("%s: topic %q, want %q", tt.q, q.Topic, tt.topic)
			}
		})
	}
}

// TestNamedNotice: the words that name a notice limit the answer to it
// and are not taken as part of the unit or topic.
func TestNamedNotice(t *testing.T) {
	ix := wordsIndex(t)
	tests := []struct {
		name, q, unit, topic string
		docs                 []string // doc prefixes; nil: every notice; empty: named but absent
	}{
		{"Place", "广元牵头发展夜间经济的是谁", "", "发展夜间经济", []string{"003"}},
		{"DocNumber", "武政办〔2021〕22号里步行街谁牵头", "", "步行街", []string{"000"}},
		{"UnitBeforeDocNumber", "市发改委在武政办〔2022〕29号里负责啥", "市发展改革委", "", []string{"001"}},
		{"DocNumberHalfWidth", "武政办[2022]29号的领导小组组长是谁", "", "领导小组", []string{"001"}},
		{"TitleWords", "数字经济议案办理工作方案里市经信局负责什么", "市经济和信息化局", "", []string{"002"}},
		{"TitleWordsWithYear", "2022年数字经济议案方案中市经信局牵头什么", "市经济和信息化局", "", []string{"002"}},
		{"YearRulesOut", "2021年数字经济议案方案中市经信局负责什么", "市经济和信息化局", "", []string{}},
		{"AbsentPlace", "衢州那份分解里市经信局负责什么", "市经济和信息化局", "", []string{}},
		{"AbsentDocNumber", "国发〔2019〕1号里谁牵头就业", "", "就业", []string{}},
		{"UnitWithPlaceIsNoNotice", "市商务局在这份方案里负责什么", "市商务局", "", nil},
		{"NoNotice", "哪个单位牵头步行街建设任务？", "", "步行街建设", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := ix.understand(tt.q)
			if q.Unit != tt.unit || strings.ReplaceAll(q.Topic, " ", "") != tt.topic {
				t.Errorf("%s: unit %q topic %q, want %q %q", tt.q, q.Unit, q.Topic, tt.unit, tt.topic)
			}
			if (q.Docs == nil) != (tt.docs == nil) || len(q.Docs) != len(tt.docs) {
				t.Fatalf("%s: docs %v, want %v", tt.q, q.Docs, tt.docs)
			}
			for i, d := range tt.docs {
				if !strings.HasPrefix(q.Docs[i], d) {
					t.Errorf("%s: docs %v, want %v", tt.q, q.Docs, tt.docs)
				}
			}
		})
	}
}

func TestOrdinal(t *testing.T) {
	for s, want := range map[string]int{"2": 2, "二": 2, "两": 2, "十": 10, "十二": 12, "二十": 20, "二十三": 23, "x": 0} {
		if got := ordinal(s); got != want {
			t.Errorf("ordinal(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestAnswerKeepsTheFactAsked: a deadline answer quotes the sentence with
// the date whose subject matches the question, a roster answer the member
// and role asked.
func TestAnswerKeepsTheFactAsked(t *testing.T) {
	ans := NewAnswerer(wordsIndex(t), nil)
	tests := []struct {
		name, q string
		has     []string
		lacks   []string
	}{
		{"DeadlineClauseOfTheSubject", "具体工作方案什么时候报送领导小组办公室备案？", []string{"“", "2022年3月31日前将具体工作方案报送领导小组办公室备案"}, []string{"组长"}},
		{"DeadlineSaysWho", "半年工作小结什么时候报送？", []string{"2021年6月底之前,各承办单位报送1号议案半年工作小结"}, nil},
		{"RosterMemberAndRole", "数字经济议案领导小组组长是谁？", []string{"组长：党蓁"}, []string{"成员："}},
		{"RosterOffice", "武汉城市圈建议案领导小组办公室主任是谁？", []string{"孟武康"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ans.Answer(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.has {
				if !strings.Contains(a.Text, w) {
					t.Errorf("%s: answer lacks %q:\n%s", tt.q, w, a.Text)
				}
			}
			for _, w := range tt.lacks {
				if strings.Contains(a.Text, w) {
					t.Errorf("%s: answer has %q:\n%s", tt.q, w, a.Text)
				}
			}
		})
	}
}

// BenchmarkConverse times a question and its follow-up in one
// conversation, the path of the bot and of ask.
func BenchmarkConverse(b *testing.B) {
	ans := NewAnswerer(wordsIndex(b), nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		c := &Conversation{}
		if _, err := ans.Converse(ctx, c, "哪个单位牵头步行街建设任务？"); err != nil {
			b.Fatal(err)
		}
		if _, err := ans.Converse(ctx, c, "那它的配合单位呢？"); err != nil {
			b.Fatal(err)
		}
	}
}
