package corpus

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestMetamorphicLabels rewrites every real notice (the devset and the
// samples) the way other offices write the same thing — other label words
// for the same roles, labels padded with spaces, a bracketed units list
// turned into labelled lines of their own — and checks that every task
// keeps its units. A rule keyed to whole labels fails this; a reader of
// cue words holds.
func TestMetamorphicLabels(t *testing.T) {
	label := func(from, to string) func(string) string {
		// A label is followed by its colon (or is a table's header cell);
		// the same words inside a unit name (各项目牵头单位) stay.
		re := regexp.MustCompile(`(^|[（(\[【;；，,。\s|])` + from + `(\s*[:：]|\s*\||\s*$)`)
		return func(s string) string {
			lines := strings.Split(s, "\n")
			for i, l := range lines {
				for k := 0; k < 2; k++ { // overlapping matches: ；牵头单位：…；配合单位：
					l = re.ReplaceAllString(l, "${1}"+to+"${2}")
				}
				lines[i] = l
			}
			return strings.Join(lines, "\n")
		}
	}
	chain := func(fs ...func(string) string) func(string) string {
		return func(s string) string {
			for _, f := range fs {
				s = f(s)
			}
			return s
		}
	}
	pad := func(words ...string) func(string) string {
		var fs []func(string) string
		for _, w := range words {
			fs = append(fs, label(w, strings.Join(strings.Split(w, ""), " ")))
		}
		return chain(fs...)
	}
	transforms := []struct {
		name string
		f    func(string) string
	}{
		{"主责单位/协同单位", chain(label("牵头单位", "主责单位"), label("配合单位", "协同单位"), label("协办单位", "协同单位"))},
		{"牵头责任单位/配合部门", chain(label("牵头单位", "牵头责任单位"), label("配合单位", "配合部门"), label("责任单位", "责任部门"))},
		{"牵头部门/协同配合单位", chain(label("牵头单位", "牵头部门"), label("配合单位", "协同配合单位"))},
		{"padded labels", pad("牵头单位", "责任单位", "配合单位", "协办单位")},
		{"own-line labels", ownLineLabels},
	}
	files := realNoticeFiles(t)
	base := unitsByRef(loadRewritten(t, files, nil))
	total := 0
	for _, m := range base {
		total += len(m)
	}
	for _, tr := range transforms {
		t.Run(tr.name, func(t *testing.T) {
			got := unitsByRef(loadRewritten(t, files, tr.f))
			held := 0
			for doc, refs := range base {
				for ref, want := range refs {
					if got[doc][ref] == want {
						held++
					} else {
						t.Logf("%s %s: %q, was %q", doc, ref, got[doc][ref], want)
					}
				}
			}
			share := float64(held) / float64(total)
			t.Logf("%s: %d/%d tasks keep their units (%.1f%%)", tr.name, held, total, 100*share)
			if share < 0.98 {
				t.Errorf("%s: only %.1f%% of tasks keep their units, want ≥ 98%%", tr.name, 100*share)
			}
		})
	}
}

// ownLineLabels turns a labelled units bracket that ends a line —
// …推进。（牵头单位：X；责任单位：Y） — into labelled lines of their own
// under the paragraph: 牵头单位：X / 责任单位：Y.
func ownLineLabels(s string) string {
	re := regexp.MustCompile(`[（(]((?:牵头单位|责任单位|配合单位|协办单位)[:：][^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*)[）)]\s*$`)
	split := regexp.MustCompile(`[;；]\s*((?:牵头单位|责任单位|配合单位|协办单位)[:：])`)
	lines := strings.Split(s, "\n")
	var out []string
	for _, l := range lines {
		m := re.FindStringSubmatchIndex(l)
		if m == nil {
			out = append(out, l)
			continue
		}
		out = append(out, strings.TrimRight(l[:m[0]], " "))
		inner := split.ReplaceAllString(l[m[2]:m[3]], "\n$1")
		out = append(out, strings.Split(inner, "\n")...)
	}
	return strings.Join(out, "\n")
}

// realNoticeFiles reads every real notice the tests have: the devset's and
// the samples, by file name.
func realNoticeFiles(tb testing.TB) map[string][]byte {
	tb.Helper()
	files := map[string][]byte{}
	dir := filepath.Join("testdata", "devset", "notices")
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		files[e.Name()] = b
	}
	samples, _ := fs.ReadDir(Samples, ".")
	for _, e := range samples {
		b, _ := fs.ReadFile(Samples, e.Name())
		files[e.Name()] = b
	}
	return files
}

// loadRewritten writes files rewritten by f (nil: as they are) to a new
// folder and loads it. Binary formats are written unchanged. A rewrite
// that changes fewer than five notices tests nothing and fails.
func loadRewritten(tb testing.TB, files map[string][]byte, f func(string) string) *Corpus {
	tb.Helper()
	dir := tb.TempDir()
	changed := 0
	for name, b := range files {
		if f != nil && !strings.HasSuffix(name, ".pdf") && !strings.HasSuffix(name, ".docx") {
			after := []byte(f(string(b)))
			if string(after) != string(b) {
				changed++
			}
			b = after
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	if f != nil && changed < 5 {
		tb.Fatalf("the rewrite changed only %d notices: it tests nothing", changed)
	}
	c, err := Load(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// unitsByRef gives each notice's tasks' units, by document and task ref.
func unitsByRef(c *Corpus) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, n := range c.Notices {
		m := map[string]string{}
		for _, task := range n.Tasks {
			m[task.Ref] = units(task.LeadUnits) + " / " + units(task.ResponsibleUnits) + " / " + units(task.GuideUnits)
		}
		out[n.Doc] = m
	}
	return out
}
