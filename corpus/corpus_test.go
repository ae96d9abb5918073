package corpus

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func loadSamples(tb testing.TB) *Corpus {
	tb.Helper()
	c, err := LoadFS(Samples, ".")
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func notice(tb testing.TB, c *Corpus, prefix string) *Notice {
	tb.Helper()
	for _, n := range c.Notices {
		if strings.HasPrefix(n.Doc, prefix) {
			return n
		}
	}
	tb.Fatalf("no notice %s", prefix)
	return nil
}

// TestSampleGolden compares the full parse of each sample notice with its
// checked-in expectation. Refresh with: go test ./corpus -update
func TestSampleGolden(t *testing.T) {
	c := loadSamples(t)
	if len(c.Notices) != 5 {
		t.Fatalf("loaded %d notices, want 5: %+v", len(c.Notices), c.Report)
	}
	for _, n := range c.Notices {
		t.Run(n.Doc, func(t *testing.T) {
			got, err := json.MarshalIndent(n, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", strings.TrimSuffix(n.Doc, filepath.Ext(n.Doc))+".golden.json")
			if *update {
				if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./corpus -update)", err)
			}
			if string(want) != string(got)+"\n" {
				t.Errorf("parse of %s differs from %s; review with -update and git diff", n.Doc, path)
			}
		})
	}
}

func TestSampleTaskCounts(t *testing.T) {
	c := loadSamples(t)
	for prefix, want := range map[string]int{"000": 21, "001": 10, "002": 23, "003": 22, "004": 272} {
		n := notice(t, c, prefix)
		if len(n.Tasks) != want {
			t.Errorf("%s: %d tasks, want %d", prefix, len(n.Tasks), want)
		}
		seen := map[string]bool{}
		for _, task := range n.Tasks {
			if seen[task.Ref] {
				t.Errorf("%s: ref %s twice", prefix, task.Ref)
			}
			seen[task.Ref] = true
		}
	}
	// 004: four targets under 一、 and 268 tasks numbered 1…268 under 二、.
	n := notice(t, c, "004")
	targets := 0
	for _, task := range n.Tasks {
		if strings.HasPrefix(task.Ref, "一(") {
			targets++
		}
	}
	if targets != 4 {
		t.Errorf("004: %d targets, want 4", targets)
	}
	if last := n.Tasks[len(n.Tasks)-1]; !strings.HasSuffix(last.Ref, ")268") {
		t.Errorf("004: last task %s, want …268", last.Ref)
	}
}

// TestSampleLeadUnits checks lead units against the notices, one task of
// each convention.
func TestSampleLeadUnits(t *testing.T) {
	c := loadSamples(t)
	tests := []struct {
		doc, ref    string
		lead, resp0 []string
	}{
		{"000", "二(二)3", []string{"市商务局"}, []string{"市自然资源和规划局"}},
		{"000", "二(一)3", []string{"江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "洪山区", "青山区人民政府", "武汉东湖新技术开发区管委会", "武汉经济技术开发区管委会〈汉南区人民政府〉"}, []string{"市商务局"}},
		{"002", "二(四)3", []string{"市政务服务大数据局"}, []string{"市应急局"}},
		{"002", "二(一)2", []string{}, []string{"市经信局"}},
		{"003", "五(十二)", []string{"市商务局", "市文化广电旅游局", "市住房城乡建设局", "市发展改革委"}, []string{}},
		{"003", "二(三)", []string{"市文化广电旅游局"}, []string{"市委宣传部"}},
		// 004 is printed in Traditional script: its units are shown so.
		{"004", "二(七)131", []string{"市園林和林業局"}, nil},
		{"004", "二(九)242", []string{"市文化和旅游局"}, []string{"武漢地產集團"}},
		{"004", "二(二)27", []string{"武漢長江新城管委會"}, []string{"江岸", "黃陂區人民政府"}},
	}
	for _, tt := range tests {
		task := findTask(t, c, tt.doc, tt.ref)
		if strings.Join(task.LeadUnits, "、") != strings.Join(tt.lead, "、") {
			t.Errorf("%s %s lead = %v, want %v", tt.doc, tt.ref, task.LeadUnits, tt.lead)
		}
		if len(tt.resp0) > 0 && (len(task.ResponsibleUnits) < len(tt.resp0) || strings.Join(task.ResponsibleUnits[:len(tt.resp0)], "、") != strings.Join(tt.resp0, "、")) {
			t.Errorf("%s %s responsible = %v, want prefix %v", tt.doc, tt.ref, task.ResponsibleUnits, tt.resp0)
		}
	}
}

func findTask(tb testing.TB, c *Corpus, doc, ref string) *Task {
	tb.Helper()
	for _, task := range notice(tb, c, doc).Tasks {
		if task.Ref == ref {
			return task
		}
	}
	tb.Fatalf("%s has no task %s", doc, ref)
	return nil
}

// TestSampleClauses: 001 二(二)2 has four clauses, each with its own units.
func TestSampleClauses(t *testing.T) {
	c := loadSamples(t)
	task := findTask(t, c, "001", "二(二)2")
	want := []struct{ lead, resp string }{
		{"市交通运输局、市城建局", "市自然资源规划局、市生态环境局、东湖高新区、武汉经开区、临空港开发区管委会、青山区、蔡甸区、江夏区、黄陂区、新洲区人民政府"},
		{"市发改委、武汉地铁集团", "市自然资源规划局、市城建局"},
		{"", "武汉新港委"},
		{"市发改委、市交通运输局、湖北机场集团", "市自然资源规划局"},
	}
	if len(task.Clauses) != len(want) {
		t.Fatalf("%d clauses, want %d: %+v", len(task.Clauses), len(want), task.Clauses)
	}
	for i, w := range want {
		cl := task.Clauses[i]
		if cl.N != i+1 || strings.Join(cl.LeadUnits, "、") != w.lead || strings.Join(cl.ResponsibleUnits, "、") != w.resp {
			t.Errorf("clause %d = %d %v %v, want %s / %s", i+1, cl.N, cl.LeadUnits, cl.ResponsibleUnits, w.lead, w.resp)
		}
	}
}

func TestSampleNoiseRemoved(t *testing.T) {
	c := loadSamples(t)
	for _, n := range c.Notices {
		b, _ := json.Marshal(n)
		for _, bad := range []string{"赌博", "配资", "ICP", "网站标识码", "網站標識碼", "扫一扫", "\uFFFD", "ㄒ", "┑"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s: %q reached the parse", n.Doc, bad)
			}
		}
	}
	// The repaired heading of 004's first target.
	if got := notice(t, c, "004").Passages; !containsPassage(got, "二(二)", "著力增強中心城市功") {
		t.Errorf("004 二(二) heading not repaired: %+v", got[:3])
	}
}

func containsPassage(ps []Passage, ref, title string) bool {
	for _, p := range ps {
		if p.Ref == ref && strings.HasPrefix(p.Title, title) {
			return true
		}
	}
	return false
}

func TestSampleMetadataAndGroups(t *testing.T) {
	c := loadSamples(t)
	n := notice(t, c, "000")
	if n.DocNumber != "武政办〔2021〕22号" || n.Date != "2021-03-20" || n.PlanTitle != "市十四届人大六次会议1号议案办理工作方案" {
		t.Errorf("000 meta: %q %q %q", n.DocNumber, n.Date, n.PlanTitle)
	}
	if n := notice(t, c, "004"); n.DocNumber != "武政辦〔2020〕1號" {
		t.Errorf("004 doc number %q", n.DocNumber)
	}
	if n := notice(t, c, "003"); n.DocNumber != "" || n.LeadRule != string(CommaRule) {
		t.Errorf("003: doc number %q (the cited province number is not its own), rule %q", n.DocNumber, n.LeadRule)
	}
	g := notice(t, c, "002").Groups
	if len(g) != 1 || g[0].Office != "市经信局" || len(g[0].Members) == 0 || g[0].Members[0] != (Member{Name: "党蓁", Role: "组长", Title: "市人民政府副市长"}) {
		t.Errorf("002 group: %+v", g)
	}
	g = notice(t, c, "000").Groups
	if len(g) != 1 || g[0].Office != "市商务局" || g[0].Members[0].Name != "江伟" || len(g[0].Members) != 40 {
		t.Errorf("000 group: %d members %+v", len(g[0].Members), g)
	}
	g = notice(t, c, "001").Groups
	if len(g) != 1 || g[0].OfficeDirector != "孟武康" {
		t.Errorf("001 group: %+v", g)
	}
}

func TestSampleDeadlines(t *testing.T) {
	c := loadSamples(t)
	has := func(doc, date, phrase string) {
		t.Helper()
		for _, d := range notice(t, c, doc).Deadlines {
			if d.Date == date && strings.Contains(d.Phrase, phrase) {
				return
			}
		}
		t.Errorf("%s: no deadline %s (%s)", doc, date, phrase)
	}
	has("000", "2021-06-30", "6月底")
	has("000", "2021-11-30", "2021年11月")
	has("001", "2022-09-30", "9月底")
	has("002", "2022-10-31", "4—10月")
	for _, date := range []string{"2020-04-15", "2020-07-15", "2020-10-15", "2021-01-15"} {
		has("004", date, "")
	}
}

func BenchmarkLoadSamples(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		c, err := LoadFS(Samples, ".")
		if err != nil || len(c.Notices) != 5 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/load")
}
