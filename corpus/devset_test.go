package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The devset (testdata/devset) holds real notices in conventions the five
// samples lack, each with a hand-checked truth file. TestDevsetTruth scores
// the parser against every truth file: a scored task counts when a task
// with its ref exists and its lead, responsible (and guiding) units are
// exactly the truth's, as written; a roster member counts when a member
// with the same role and name exists.

type truthFile struct {
	Title  *string      `json:"title"`
	DocNo  *string      `json:"docno"`
	Tasks  []truthTask  `json:"tasks"`
	Roster []truthRoser `json:"roster"`
}

type truthTask struct {
	Ref       string   `json:"ref"`
	Lead      []string `json:"lead"`
	Resp      []string `json:"resp"`
	Guide     []string `json:"guide"`
	Leader    string   `json:"leader"`
	Deadline  *string  `json:"deadline"`
	Truncated bool     `json:"truncated"`
}

type truthRoser struct {
	Role string `json:"role"`
	Name string `json:"name"`
}

// devsetMinScore is the share of scored tasks the parser must get exactly
// right, and of roster members it must find.
const devsetMinScore = 0.98

func TestDevsetTruth(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "devset", "notices"))
	if err != nil {
		t.Fatal(err)
	}
	s := scoreTruth(t, c, filepath.Join("testdata", "devset", "truth"), true)
	taskScore := float64(s.right) / float64(s.scored)
	rosterScore := float64(s.found) / float64(s.members)
	t.Logf("devset: %d/%d scored tasks exactly right (%.1f%%), %d extra tasks, %d/%d roster members (%.1f%%)",
		s.right, s.scored, 100*taskScore, s.extra, s.found, s.members, 100*rosterScore)
	fmt.Printf("devset parse score: tasks %d/%d (%.1f%%), extra %d, roster %d/%d (%.1f%%), deadlines %d/%d, leaders %d/%d\n",
		s.right, s.scored, 100*taskScore, s.extra, s.found, s.members, 100*rosterScore, s.deadlinesRight, s.deadlines, s.leadersRight, s.leaders)
	if taskScore < devsetMinScore || rosterScore < devsetMinScore {
		t.Errorf("devset score below %.0f%%: tasks %.1f%%, roster %.1f%%", 100*devsetMinScore, 100*taskScore, 100*rosterScore)
	}
}

// truthScore is how a parsed corpus matches a folder of truth files:
// counts over all notices, and the task counts of each notice.
type truthScore struct {
	scored, right, extra      int // scored tasks, exactly right, parsed tasks the truth lacks
	members, found            int // roster members in the truth, found by role and name
	deadlines, deadlinesRight int
	leaders, leadersRight     int
	docnos, docnosRight       int
	notices                   []noticeScore
}

// noticeScore is one notice's share of a truthScore.
type noticeScore struct {
	stem                   string
	scored, right, members int
	found, extra           int
}

// scoreTruth scores every truth file in dir (stem.json) against the
// notice of the same stem in c, logging each difference. A docno that
// differs from the truth's is an error when docnoErr is set, else it is
// logged and counted.
func scoreTruth(tb testing.TB, c *Corpus, dir string, docnoErr bool) truthScore {
	tb.Helper()
	byStem := map[string]*Notice{}
	for _, n := range c.Notices {
		byStem[strings.TrimSuffix(n.Doc, filepath.Ext(n.Doc))] = n
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		tb.Fatal("no truth files")
	}
	var s truthScore
	for _, f := range files {
		stem := strings.TrimSuffix(filepath.Base(f), ".json")
		var tr truthFile
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		if err := json.Unmarshal(b, &tr); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		n := byStem[stem]
		if n == nil {
			tb.Errorf("%s: not loaded", stem)
			continue
		}
		ns := noticeScore{stem: stem}
		if tr.Title != nil && n.Title != *tr.Title {
			tb.Logf("%s: title %q, want %q", stem, n.Title, *tr.Title)
		}
		if tr.DocNo != nil {
			s.docnos++
			switch {
			case n.DocNumber == *tr.DocNo:
				s.docnosRight++
			case docnoErr:
				tb.Errorf("%s: docno %q, want %q", stem, n.DocNumber, *tr.DocNo)
			default:
				tb.Logf("%s: docno %q, want %q", stem, n.DocNumber, *tr.DocNo)
			}
		}
		tasks := map[string]*Task{}
		for _, task := range n.Tasks {
			tasks[task.Ref] = task
			// A paragraph with several markers is one task with a clause
			// per marker; a truth file may write each marker as a task of
			// its own, ref-1, ref-2 …: the clause is what it scores.
			for _, c := range task.Clauses {
				cref := fmt.Sprintf("%s-%d", task.Ref, c.N)
				if _, ok := tasks[cref]; !ok {
					tasks[cref] = &Task{Ref: cref, Text: c.Text, LeadUnits: c.LeadUnits, ResponsibleUnits: c.ResponsibleUnits,
						Deadlines: task.Deadlines, Leader: task.Leader}
				}
			}
		}
		want := map[string]bool{}
		for _, tt := range tr.Tasks {
			want[tt.Ref] = true
			if tt.Truncated {
				continue
			}
			ns.scored++
			got := tasks[tt.Ref]
			if got == nil {
				tb.Logf("%s %s: missing (have %s)", stem, tt.Ref, refsOf(n))
				continue
			}
			if tt.Leader != "" {
				s.leaders++
				if got.Leader == tt.Leader {
					s.leadersRight++
				} else {
					tb.Logf("%s %s: leader %q, want %q", stem, tt.Ref, got.Leader, tt.Leader)
				}
			}
			if tt.Deadline != nil {
				s.deadlines++
				if hasDeadline(got, *tt.Deadline) {
					s.deadlinesRight++
				} else {
					tb.Logf("%s %s: deadline %q not found in %+v", stem, tt.Ref, *tt.Deadline, got.Deadlines)
				}
			}
			if why := unitDiff(got, tt); why != "" {
				tb.Logf("%s %s: %s", stem, tt.Ref, why)
				continue
			}
			ns.right++
		}
		for _, task := range n.Tasks {
			if !want[task.Ref] && !want[task.Ref+"-1"] {
				ns.extra++
				tb.Logf("%s %s: not a task in the truth: %.40s", stem, task.Ref, task.Text)
			}
		}
		for _, m := range tr.Roster {
			ns.members++
			if hasMember(n, m) {
				ns.found++
			} else {
				tb.Logf("%s: roster member %s %s not found", stem, m.Role, m.Name)
			}
		}
		s.scored += ns.scored
		s.right += ns.right
		s.extra += ns.extra
		s.members += ns.members
		s.found += ns.found
		s.notices = append(s.notices, ns)
	}
	return s
}

// hasDeadline reports whether a task's deadlines hold the phrase the truth
// copied (2019年6月底前, 全年, 在本意见印发之日起30日内).
func hasDeadline(t *Task, phrase string) bool {
	for _, d := range t.Deadlines {
		if strings.Contains(phrase, d.Phrase) || strings.Contains(d.Phrase, phrase) {
			return true
		}
	}
	return false
}

func refsOf(n *Notice) string {
	var rs []string
	for _, t := range n.Tasks {
		rs = append(rs, t.Ref)
	}
	if len(rs) > 12 {
		rs = append(rs[:12], "…")
	}
	return strings.Join(rs, " ")
}

// unitDiff says how a task's units differ from the truth, or "".
func unitDiff(got *Task, want truthTask) string {
	var why []string
	if !sameSet(got.LeadUnits, want.Lead) {
		why = append(why, fmt.Sprintf("lead %v, want %v", got.LeadUnits, want.Lead))
	}
	if !sameSet(got.ResponsibleUnits, want.Resp) {
		why = append(why, fmt.Sprintf("resp %v, want %v", got.ResponsibleUnits, want.Resp))
	}
	if !sameSet(got.GuideUnits, want.Guide) {
		why = append(why, fmt.Sprintf("guide %v, want %v", got.GuideUnits, want.Guide))
	}
	return strings.Join(why, "; ")
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x := append([]string(nil), a...)
	y := append([]string(nil), b...)
	sort.Strings(x)
	sort.Strings(y)
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

func hasMember(n *Notice, want truthRoser) bool {
	for _, g := range n.Groups {
		for _, m := range g.Members {
			if m.Name == want.Name && m.Role == want.Role {
				return true
			}
		}
	}
	return false
}

// TestUnitsAsWritten: every unit a task names (lead, responsible, guiding,
// in clauses too) occurs in its notice's text, after Traditional→Simplified
// and width folding: the parser never invents or rewrites a unit.
func TestUnitsAsWritten(t *testing.T) {
	samples, devset := loadRealNotices(t)
	checked := 0
	for _, set := range []struct {
		c    *Corpus
		read func(name string) ([]byte, error)
	}{
		{samples, func(name string) ([]byte, error) { return fs.ReadFile(Samples, name) }},
		{devset, func(name string) ([]byte, error) {
			return os.ReadFile(filepath.Join("testdata", "devset", "notices", name))
		}},
	} {
		for _, n := range set.c.Notices {
			b, err := set.read(n.Doc)
			if err != nil {
				t.Fatal(err)
			}
			text, _ := Decode(b)
			if strings.HasSuffix(n.Doc, ".html") {
				text = html.UnescapeString(text)
			}
			folded := strings.Join(strings.Fields(Normalize(text)), "")
			for _, task := range n.Tasks {
				units := append(append(task.Units(), task.GuideUnits...), clauseUnits(task)...)
				for _, u := range units {
					checked++
					if !strings.Contains(folded, strings.Join(strings.Fields(Normalize(u)), "")) {
						t.Errorf("%s %s: unit %q does not occur in the notice", n.Doc, task.Ref, u)
					}
				}
			}
		}
	}
	if checked < 500 {
		t.Errorf("only %d units checked", checked)
	}
}

// loadRealNotices loads the five built-in samples and the devset.
func loadRealNotices(tb testing.TB) (samples, devset *Corpus) {
	tb.Helper()
	samples, err := LoadFS(Samples, ".")
	if err != nil {
		tb.Fatal(err)
	}
	devset, err = Load(filepath.Join("testdata", "devset", "notices"))
	if err != nil {
		tb.Fatal(err)
	}
	return samples, devset
}

func clauseUnits(t *Task) []string {
	var us []string
	for _, c := range t.Clauses {
		us = append(us, c.LeadUnits...)
		us = append(us, c.ResponsibleUnits...)
	}
	return us
}

// BenchmarkLoadRealNotices loads all 19 real notices: the five samples and
// the devset (target: under a second a load).
func BenchmarkLoadRealNotices(b *testing.B) {
	b.ReportAllocs()
	tasks := 0
	for i := 0; i < b.N; i++ {
		s, d := loadRealNotices(b)
		tasks = s.Report.Tasks + d.Report.Tasks
	}
	b.ReportMetric(float64(tasks), "tasks")
}

// TestParserVersionBumped: the parse cache is keyed on ParserVersion, so a
// change to what the real notices parse to must come with a new version,
// or a deployment keeps serving stale parses. The fingerprint of the
// parses is recorded beside the version (refresh with -update).
func TestParserVersionBumped(t *testing.T) {
	samples, devset := loadRealNotices(t)
	h := sha256.New()
	for _, c := range []*Corpus{samples, devset} {
		b, _ := json.Marshal(c.Notices)
		h.Write(b)
	}
	got := ParserVersion + " " + hex.EncodeToString(h.Sum(nil))[:16] + "\n"
	path := filepath.Join("testdata", "parser-version.txt")
	if *update {
		os.WriteFile(path, []byte(got), 0o644)
	}
	want, _ := os.ReadFile(path)
	wantVersion, _, _ := strings.Cut(string(want), " ")
	switch {
	case got == string(want):
	case wantVersion == ParserVersion:
		t.Errorf("the parses changed but ParserVersion is still %s: bump it in corpus/cache.go, then go test ./corpus -update", ParserVersion)
	default:
		t.Errorf("ParserVersion is %s, testdata/parser-version.txt says %q: go test ./corpus -update", ParserVersion, want)
	}
}
