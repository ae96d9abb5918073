package retrieval

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/assignbot/assignbot/corpus"
)

// TestDateWithoutDayHasNoEmptyBrackets: a deadline the words do not pin to
// a day (长期坚持) is printed as written, never as "长期坚持（）", wherever
// an answer shows it: the deadline answer, a follow-up about the time and
// an item shown in full.
func TestDateWithoutDayHasNoEmptyBrackets(t *testing.T) {
	notice := "市人民政府关于促进消费的若干意见\n武政〔2021〕9号\n2021年3月5日\n一、落实责任\n" +
		"（一）宣传消费政策。组织开展消费政策宣传。（长期坚持）（市商务局负责）\n" +
		"（二）报送工作总结。每年2月底前报送上一年度工作总结。（市发展改革委负责）\n"
	c, err := corpus.LoadFS(fstest.MapFS{"wuhan.txt": {Data: []byte(notice)}}, ".")
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Build(context.Background(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ans := NewAnswerer(ix, nil)
	for _, tt := range []struct {
		name  string
		turns []string
	}{
		{"DeadlineAnswer", []string{"宣传消费政策什么时候完成？"}},
		{"TimeFollowUp", []string{"宣传消费政策谁负责？", "什么时候完成？"}},
		{"ItemInFull", []string{"市商务局负责哪些任务？", "第1条"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			conv := &Conversation{}
			var a Answer
			for _, q := range tt.turns {
				if a, err = ans.ConverseWith(context.Background(), conv, q, AnswerOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			if !strings.Contains(a.Text, "长期坚持") {
				t.Errorf("the answer does not give the time as written:\n%s", a.Text)
			}
			if strings.Contains(a.Text, "（）") {
				t.Errorf("empty brackets in:\n%s", a.Text)
			}
		})
	}
}

func TestSentenceTime(t *testing.T) {
	for _, tt := range []struct{ name, s, want string }{
		{"MonthEndBefore", "会同配合单位于2012年10月底前牵头制定完成具体实施细则", "2012年10月底前"},
		{"YearEndBefore", "各区要于2012年底前制定完成具体贯彻落实意见", "2012年底前"},
		{"StartIsNoDeadline", "从2019年1月1日起，实施三年百万青年见习计划", ""},
		{"YearAloneSaysWhenNotByWhen", "2020年实现市县主城区5G网络全覆盖", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := sentenceTime(tt.s); got != tt.want {
				t.Errorf("%s: %q, want %q", tt.s, got, tt.want)
			}
		})
	}
}

func TestWithoutTitle(t *testing.T) {
	n := &corpus.Notice{Title: "关于推进人才集聚工程的实施意见"}
	if got := withoutTitle("人才集聚工程各项目的具体实施细则", n); strings.Contains(got, "人才集聚工程") || !strings.Contains(got, "实施细则") {
		t.Errorf("withoutTitle: %q", got)
	}
	if got := withoutTitle("人才集聚工程", n); got != "人才集聚工程" {
		t.Errorf("a topic that is all title is kept: %q", got)
	}
}
