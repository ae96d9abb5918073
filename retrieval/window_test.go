package retrieval

import (
	"context"
	"strings"
	"testing"

	"github.com/assignbot/assignbot/corpus"
)

func TestDueWindowAsked(t *testing.T) {
	for _, tt := range []struct {
		name, q        string
		ok             bool
		year, from, to string
	}{
		{"YearEnd", "年底前要完成什么", true, "", "12-01", "12-31"},
		{"YearEndOfYear", "2022年底前要完成哪些", true, "2022", "12-01", "12-31"},
		{"FirstHalf", "上半年要做什么", true, "", "01-01", "06-30"},
		{"MonthEnd", "2019年6月底前有哪些任务", true, "2019", "06-01", "06-31"},
		{"ChineseMonth", "三月底前要报送什么", true, "", "03-01", "03-31"},
		{"Quarter", "二季度要完成哪些", true, "", "04-01", "06-31"},
		{"AsksADate", "步行街改造年底前能完成吗", false, "", "", ""},
		{"WhenNotWhat", "什么时候完成", false, "", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w, ok := dueWindowAsked(tt.q)
			if ok != tt.ok || ok && (w.year != tt.year || w.from != tt.from || w.to != tt.to) {
				t.Errorf("%s: %+v %v, want %v %s %s–%s", tt.q, w, ok, tt.ok, tt.year, tt.from, tt.to)
			}
		})
	}
}

// TestDueWindowListsTasksDueThen: "what is due by the end of 2022" lists
// the tasks of the named notice whose dates fall in 2022, each cited.
func TestDueWindowListsTasksDueThen(t *testing.T) {
	ix := wordsIndex(t)
	a, err := NewAnswerer(ix, nil).Converse(context.Background(), &Conversation{}, "广元新消费方案里2022年底前要完成哪些")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found || len(a.Citations) == 0 {
		t.Fatalf("not found:\n%s", a.Text)
	}
	for _, c := range a.Citations {
		e := ix.entryOf(c)
		if e == nil || e.Notice.Region != "广元市" {
			t.Errorf("cites %s, not the named notice", c.Label)
			continue
		}
		due := false
		for _, d := range e.Task.Deadlines {
			due = due || strings.HasPrefix(d.Date, "2022-12")
		}
		if !due {
			t.Errorf("cites %s, which is not due by the end of 2022", c.Label)
		}
	}
	if !strings.Contains(a.Text, "2022") {
		t.Errorf("the answer does not show the dates:\n%s", a.Text)
	}
}

func TestSpanOnly(t *testing.T) {
	for _, tt := range []struct {
		name string
		d    corpus.Deadline
		want bool
	}{
		{"PolicyPeriodEnd", corpus.Deadline{Phrase: "12月31日", Text: "2019年1月1日至12月31日，可返还其上年度实际缴纳失业保险费的50%"}, true},
		{"PolicyPeriodStart", corpus.Deadline{Phrase: "2019年1月1日", Text: "2019年1月1日至12月31日，困难企业可组织开展职工在岗培训"}, true},
		{"AlsoADeadline", corpus.Deadline{Phrase: "2022年底", Text: "延续优惠政策至2022年底，到2022年底，发展新能源公交线路1条"}, false},
		{"Deadline", corpus.Deadline{Phrase: "2019年6月底前", Text: "2019年6月底前，研究建立指标体系"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := spanOnly(tt.d); got != tt.want {
				t.Errorf("%q in %q: %v, want %v", tt.d.Phrase, tt.d.Text, got, tt.want)
			}
		})
	}
}
