package retrieval

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/corpus/corpusgen"
)

// TestMergedKeywordIndexEqualsFullBuild: the keyword index a reload
// merges — unchanged notices' postings moved, a changed, a removed and a
// new notice — is the one a full build of the same corpus lays out.
func TestMergedKeywordIndexEqualsFullBuild(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt", "关于印发甲方案的通知\n一、工作任务\n1．加快特色步行街建设。（牵头单位：市商务局；责任单位：市财政局）\n2．建设夜市。（责任单位：市文化和旅游局）")
	write("b.txt", "关于印发乙方案的通知\n一、工作任务\n1．建设美术馆。（牵头单位：市文化和旅游局）\n2．夜市建设与步行街。（牵头单位：市商务局）")
	write("c.txt", "关于印发丙方案的通知\n一、工作任务\n1．建设科技馆。（牵头单位：市科技局）")
	write("d.txt", "关于印发丁方案的通知\n一、工作任务\n1．步行街夜市美术馆。（牵头单位：市商务局）")
	ctx := context.Background()
	c, err := corpus.LoadCached(dir, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	prev, err := Build(ctx, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	write("b.txt", "关于印发乙方案的通知\n一、工作任务\n1．建设美术馆和科技馆。（牵头单位：市文化和旅游局）")
	os.Remove(filepath.Join(dir, "c.txt"))
	write("bb.txt", "关于印发新方案的通知\n一、工作任务\n1．建设步行街夜市。（牵头单位：市商务局）")
	c2, err := c.Reload()
	if err != nil {
		t.Fatal(err)
	}
	merged, err := Update(ctx, prev, c2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	full, err := Build(ctx, c2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if merged.Stats.Reused == 0 {
		t.Fatal("the update kept nothing: it tests no merge")
	}
	if !reflect.DeepEqual(merged.kw, full.kw) {
		t.Errorf("merged keyword index differs from a full build:\n%+v\n%+v", merged.kw, full.kw)
	}
	if !reflect.DeepEqual(merged.summary, full.summary) || !reflect.DeepEqual(merged.units, full.units) {
		t.Error("listing tables differ from a full build")
	}
}

// TestScopeRestrictsSearch: a search within some notices returns only
// their entries, from both halves, and finds there what it finds in all.
func TestScopeRestrictsSearch(t *testing.T) {
	c, err := corpus.LoadFS(corpus.Samples, ".")
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Build(context.Background(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := ix.Search(context.Background(), "步行街建设", 20)
	if err != nil || len(all) == 0 {
		t.Fatal(err, len(all))
	}
	doc := all[0].Entry.Notice.Doc
	in, err := ix.SearchIn(context.Background(), "步行街建设", 20, []string{doc})
	if err != nil || len(in) == 0 {
		t.Fatal(err, len(in))
	}
	vec := 0
	for _, h := range in {
		if h.Entry.Notice.Doc != doc {
			t.Errorf("hit outside the scope: %s", h.Entry.ID)
		}
		if h.VecRank > 0 {
			vec++
		}
	}
	if vec == 0 {
		t.Error("no vector hit within the scope")
	}
	if in[0].Entry != all[0].Entry {
		t.Errorf("best hit in scope %s, in all %s", in[0].Entry.ID, all[0].Entry.ID)
	}
	other := ""
	for _, n := range c.Notices {
		if n.Doc != doc {
			other = n.Doc
		}
	}
	if out, _ := ix.SearchIn(context.Background(), "步行街建设", 20, []string{other}); len(out) > 0 && out[0].Entry.Notice.Doc != other {
		t.Errorf("scope of %s returned %s", other, out[0].Entry.ID)
	}
}

// TestScopeRestrictsAnswers: a unit listing and a task answer within a
// scope cite only the scope's notices.
func TestScopeRestrictsAnswers(t *testing.T) {
	c, err := corpus.LoadFS(corpus.Samples, ".")
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Build(context.Background(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ans := NewAnswerer(ix, nil)
	all, err := ans.AnswerWith(context.Background(), "市商务局牵头哪些任务？", AnswerOptions{})
	if err != nil || !all.Found {
		t.Fatal(err, all.Text)
	}
	doc := all.Citations[len(all.Citations)-1].Doc
	in, err := ans.AnswerWith(context.Background(), "市商务局牵头哪些任务？", AnswerOptions{Notices: []string{doc}})
	if err != nil || !in.Found {
		t.Fatal(err, in.Text)
	}
	if in.Total == 0 || in.Total >= all.Total {
		t.Errorf("scoped listing: %d of %d tasks", in.Total, all.Total)
	}
	for _, ci := range in.Citations {
		if ci.Doc != doc {
			t.Errorf("scoped listing cites %s", ci.Doc)
		}
	}
	task, err := ans.AnswerWith(context.Background(), "哪个单位牵头步行街建设？", AnswerOptions{Notices: []string{doc}})
	if err != nil {
		t.Fatal(err)
	}
	for _, ci := range task.Citations {
		if ci.Doc != doc {
			t.Errorf("scoped answer cites %s", ci.Doc)
		}
	}
}

// TestReloadKeepsUnchangedBlocks: over blocks of a few notices, a reload
// that changes, removes and adds a notice lays out again only the blocks
// they fall in, keeps the others as they were, and holds the postings a
// full build of the same corpus holds.
func TestReloadKeepsUnchangedBlocks(t *testing.T) {
	dir := t.TempDir()
	if _, err := corpusgen.Write(dir, corpusgen.Options{Notices: 30, TasksPerNotice: 8, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(names) != 30 {
		t.Fatalf("%d notices", len(names))
	}
	// Notices that define no short name, so that adding or removing them
	// leaves the others as they were parsed.
	plain := func(title string) []byte {
		return []byte("关于印发" + title + "的通知\n一、工作任务\n1．建设" + title + "步行街夜市。（牵头单位：市商务局；责任单位：市财政局）\n")
	}
	x := strings.TrimSuffix(names[20], ".txt") + "b#1.txt" // a '#' in a name, as in entry IDs
	os.WriteFile(x, plain("甲方案"), 0o644)
	ctx := context.Background()
	c, err := corpus.LoadCached(dir, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{blockNotices: 4}
	prev, err := Build(ctx, c, opt)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := os.ReadFile(names[9])
	os.WriteFile(names[9], append(text, []byte("\n9．新增步行街夜市建设。（牵头单位：市商务局）\n")...), 0o644)
	os.Remove(x)
	os.WriteFile(strings.TrimSuffix(names[25], ".txt")+"a.txt", plain("乙方案"), 0o644)
	c2, err := c.Reload()
	if err != nil {
		t.Fatal(err)
	}
	merged, err := Update(ctx, prev, c2, opt)
	if err != nil {
		t.Fatal(err)
	}
	full, err := Build(ctx, c2, opt)
	if err != nil {
		t.Fatal(err)
	}
	samePostings(t, merged, full)
	for _, ix := range []*Index{prev, merged} {
		for d, e := range ix.Entries {
			if got, ok := ix.entryNumber(e.ID); !ok || got != d {
				t.Fatalf("entry %s: found %d, %v; want %d", e.ID, got, ok, d)
			}
		}
	}
	if _, ok := merged.entryNumber(prev.Entries[prev.start[21]].ID); ok {
		t.Error("an entry of the removed notice is found")
	}
	if !reflect.DeepEqual(merged.units, full.units) || !reflect.DeepEqual(merged.summary, full.summary) {
		t.Error("listing tables differ from a full build")
	}
	kept := 0
	for _, b := range merged.kw.blocks {
		if slices.Contains(prev.kw.blocks, b) {
			kept++
		}
	}
	// 8 blocks of 4 notices (the last of 3); the changed, the removed and
	// the added notice fall in three.
	if len(prev.kw.blocks) != 8 || kept != 5 {
		t.Errorf("%d blocks, %d kept by the reload; want 8 and 5", len(prev.kw.blocks), kept)
	}
	for _, q := range []string{"步行街夜市建设由谁牵头", "市商务局", "部署阶段"} {
		a, err := merged.AnswerOffline(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		b, err := full.AnswerOffline(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Text != b.Text {
			t.Errorf("%s: the reloaded index answers\n%s\nand a full build\n%s", q, a.Text, b.Text)
		}
	}
}
