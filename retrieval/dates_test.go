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
