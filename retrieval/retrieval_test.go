package retrieval_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
	"github.com/assignbot/assignbot/retrieval/eval"
)

var (
	samplesOnce sync.Once
	samplesIx   *retrieval.Index
)

// sampleIndex builds the index of the built-in samples once per test run.
func sampleIndex(tb testing.TB) *retrieval.Index {
	tb.Helper()
	samplesOnce.Do(func() {
		c, err := corpus.LoadFS(corpus.Samples, ".")
		if err != nil {
			tb.Fatal(err)
		}
		samplesIx, err = retrieval.Build(context.Background(), c, retrieval.Options{})
		if err != nil {
			tb.Fatal(err)
		}
	})
	return samplesIx
}

func ask(tb testing.TB, q string) retrieval.Answer {
	tb.Helper()
	a, err := retrieval.NewAnswerer(sampleIndex(tb), nil).Answer(context.Background(), q)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// TestDevSetOffline: every question of the development set is answered
// right offline.
func TestDevSetOffline(t *testing.T) {
	qs, err := eval.Read(strings.NewReader(eval.DevQuestions))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		a := ask(t, q.Q)
		if why := eval.Judge(q, a); why != "" {
			t.Errorf("%s %s: %s\n%s", q.ID, q.Q, why, a.Text)
		}
	}
}

func TestIntents(t *testing.T) {
	tests := []struct{ q, intent string }{
		{"哪个单位牵头步行街建设任务？", retrieval.IntentLead},
		{"老字号自主品牌建设由谁牵头？", retrieval.IntentLead},
		{"工业互联网标识解析节点体系建设的责任单位有哪些？", retrieval.IntentResp},
		{"市商务局牵头哪些任务？", retrieval.IntentUnit},
		{"东湖高新区管委会负责什么？", retrieval.IntentUnit},
		{"半年工作小结什么时候报送？", retrieval.IntentDeadline},
		{"2022年6月底之前要报送什么？", retrieval.IntentDeadline},
		{"数字经济1号议案领导小组组长是谁？", retrieval.IntentRoster},
		{"领导小组办公室设在哪个单位？", retrieval.IntentRoster},
		{"广元到2022年上云企业累计要超过多少家？", retrieval.IntentFact},
		{"Who leads the night economy task?", retrieval.IntentLead},
	}
	for _, tt := range tests {
		if a := ask(t, tt.q); a.Intent != tt.intent {
			t.Errorf("%s: intent %s, want %s", tt.q, a.Intent, tt.intent)
		}
	}
}

// TestUnitListingComplete: a unit question lists every task the unit
// leads — the same set the parser assigned, with no top-k cut, over its
// pages — and resolves short names.
func TestUnitListingComplete(t *testing.T) {
	ix := sampleIndex(t)
	dir := ix.Corpus.Directory
	want := map[string]bool{}
	for _, task := range ix.Corpus.Tasks() {
		for _, u := range task.LeadUnits {
			if dir.Canonical(u) == "市商务局" { // 004 writes 市商務局
				want[task.Doc+" "+task.Ref] = true
			}
		}
	}
	if len(want) < 30 {
		t.Fatalf("only %d tasks led by 市商务局 in the samples", len(want))
	}
	a := ask(t, "市商务局牵头哪些任务？")
	paged := allPages(t, "市商务局牵头哪些任务？")
	if a.Total != len(a.Citations) || a.Total != len(paged) {
		t.Errorf("complete listing: %d of %d tasks; paged: %d", len(a.Citations), a.Total, len(paged))
	}
	got := map[string]bool{}
	for _, c := range paged {
		got[c.Doc+" "+c.Ref] = true
		if !containsString(dir.CanonicalList(c.LeadUnits), "市商务局") {
			t.Errorf("%s %s cited as led by 市商务局, leads %v", c.Doc, c.Ref, c.LeadUnits)
		}
	}
	for k := range want {
		if !got[k] {
			t.Errorf("listing misses %s", k)
		}
	}
	if !strings.Contains(a.Text, "共") || a.Intent != retrieval.IntentUnit {
		t.Errorf("listing text: %s", a.Text)
	}

	// A short name and an alias resolve to the same unit.
	short := allPages(t, "市经信局牵头哪些任务？")
	full := allPages(t, "市经济和信息化局牵头哪些任务？")
	if len(short) == 0 || len(short) != len(full) {
		t.Errorf("市经信局 %d citations, 市经济和信息化局 %d", len(short), len(full))
	}
	// The 市 of a city bureau may be left out.
	if bare := ask(t, "经信局牵头哪些任务？"); bare.Intent != retrieval.IntentUnit || bare.Total != len(full) {
		t.Errorf("经信局: intent %s, %d tasks", bare.Intent, bare.Total)
	}
	// Roles stay apart: responsible tasks are listed separately.
	both := ask(t, "东湖高新区管委会负责什么？")
	if !strings.Contains(both.Text, "武汉东湖新技术开发区管委会（东湖高新区管委会）牵头的任务") || !strings.Contains(both.Text, "作为责任单位参与的任务") {
		t.Errorf("unit answer without both roles:\n%s", both.Text)
	}
}

// allPages asks for every page of a unit listing and returns their
// citations; each page but the last is full.
func allPages(tb testing.TB, q string) []retrieval.Citation {
	tb.Helper()
	ans := retrieval.NewAnswerer(sampleIndex(tb), nil)
	var out []retrieval.Citation
	for page := 1; ; page++ {
		a, err := ans.AnswerWith(context.Background(), q, retrieval.AnswerOptions{Page: page})
		if err != nil {
			tb.Fatal(err)
		}
		if a.Page != page {
			tb.Fatalf("asked for page %d, got %d", page, a.Page)
		}
		if (page < a.Pages && len(a.Citations) != retrieval.UnitPageSize) || len(a.Citations) > retrieval.UnitPageSize {
			tb.Fatalf("page %d of %d holds %d tasks", page, a.Pages, len(a.Citations))
		}
		out = append(out, a.Citations...)
		if page >= a.Pages {
			if len(out) != a.Total {
				tb.Fatalf("%d tasks over %d pages, total says %d", len(out), a.Pages, a.Total)
			}
			return out
		}
	}
}

func TestTraditionalAndSimplifiedMatch(t *testing.T) {
	// A Simplified question finds a task printed in Traditional, and the
	// other way round.
	for _, q := range []string{"琴台美术馆建设由谁牵头？", "琴臺美術館建設由誰牽頭？"} {
		a := ask(t, q)
		if !a.Found || len(a.Citations) == 0 || !strings.HasPrefix(a.Citations[0].Doc, "004") || !strings.Contains(a.Text, "市文化和旅游局") {
			t.Errorf("%s: %+v", q, a)
		}
	}
	a := ask(t, "江漢路步行街改造由誰牽頭？")
	if !a.Found || !strings.Contains(a.Text, "市商务局") {
		t.Errorf("traditional question: %s", a.Text)
	}
}

func TestNotFound(t *testing.T) {
	for _, q := range []string{"哪个单位负责火星探测任务？", "量子引力研究由谁牵头？", "？？？", "Who leads the moon landing?"} {
		a := ask(t, q)
		if a.Found || len(a.Citations) != 0 {
			t.Errorf("%s: found %v with %d citations: %s", q, a.Found, len(a.Citations), a.Text)
		}
		if !strings.Contains(a.Text, "没有找到") && !strings.Contains(a.Text, "No matching") {
			t.Errorf("%s: %s", q, a.Text)
		}
	}
}

// TestEveryNoticeWithTheTask: a task that several notices assign is cited
// from each of them, not just the first.
func TestEveryNoticeWithTheTask(t *testing.T) {
	a := ask(t, "哪个单位牵头步行街建设任务？")
	docs := map[string]bool{}
	for _, c := range a.Citations {
		docs[c.Doc[:3]] = true
	}
	if !docs["000"] || !docs["004"] {
		t.Errorf("pedestrian-street tasks cited from %v:\n%s", docs, a.Text)
	}
}

func TestAnswerQuotesAndCitations(t *testing.T) {
	a := ask(t, "哪个单位牵头打造具有国际影响力的顶级商圈？")
	c := a.Citations[0]
	if c.Label != "武政办〔2021〕22号 二(二)1" || c.Ref != "二(二)1" || c.Text == "" {
		t.Errorf("citation %+v", c)
	}
	if strings.Contains(a.Text, "(牵头单位") {
		t.Errorf("the quote carries the marker: %s", a.Text)
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestListingShowsWrittenForms: a listing of 市发展改革委 finds the tasks of
// the notices that write it 市发改委, and says how each notice writes it.
func TestListingShowsWrittenForms(t *testing.T) {
	a := ask(t, "市发展改革委牵头哪些任务？")
	if !strings.Contains(a.Text, "【武政办〔2022〕29号】（写作“市发改委”）") {
		t.Errorf("listing does not show the written form:\n%s", a.Text)
	}
	for _, c := range a.Citations {
		for _, u := range append(c.LeadUnits, c.ResponsibleUnits...) {
			if u == "市发展改革委" && c.Doc[:3] == "001" {
				t.Errorf("001 writes 市发改委, the listing shows %q", u)
			}
		}
	}
}
