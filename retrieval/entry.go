package retrieval

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/assignbot/assignbot/corpus"
)

// Entry kinds: what a search hit is.
const (
	KindTask     = "task"
	KindClause   = "clause"
	KindPassage  = "passage" // goals, phases, requirements, preamble
	KindDeadline = "deadline"
	KindGroup    = "group"
)

// Entry is one searchable unit of the corpus: a task, a clause of a task,
// a passage, a deadline or a leading group. Text is what is shown and
// quoted. What is matched — Text with its context: the notice's subject
// and the section titles — is put together only while building (see
// entryText): an index keeps its terms and vector, not the string.
type Entry struct {
	ID       string
	Kind     string
	Notice   *corpus.Notice
	Task     *corpus.Task     // for tasks and clauses
	Clause   int              // clause number, or 0
	Passage  *corpus.Passage  // for passages
	Deadline *corpus.Deadline // for deadlines
	Group    *corpus.Group    // for leading groups
	Ref      string
	Text     string
	Lead     []string
	Resp     []string
}

// entryText is an entry's own search text beside its notice's context,
// which is the same for every entry of the notice: only while building.
type entryText struct {
	ctx, own string
}

// search is the text an embedder gets (and the embedding cache is keyed
// by): the notice context, then the entry's own text.
func (t entryText) search() string { return t.ctx + "\n" + t.own }

// subjectRe finds the subject a plan is about: the quoted proposal or plan
// in its first lines (《关于大力发展数字经济，助力武汉高质量发展案》).
var subjectRe = regexp.MustCompile(`《([^》]{4,80})》`)

// noticeContext is the text that tells notices apart: title, plan title
// and subject. Every entry of a notice is searched with it.
func noticeContext(n *corpus.Notice) string {
	parts := []string{n.Title, n.PlanTitle}
	seen := map[string]bool{n.Title: true, n.PlanTitle: true}
	for _, p := range n.Passages {
		if p.Kind == "preamble" || p.Kind == "goal" {
			for _, m := range subjectRe.FindAllStringSubmatch(p.Text, -1) {
				if !seen[m[1]] && !strings.Contains(n.Title, m[1]) {
					seen[m[1]] = true
					parts = append(parts, m[1])
				}
			}
		}
	}
	return strings.Join(parts, " ")
}

// entries lists the searchable entries of a notice, with their search
// texts (own returned beside them, as only a build needs them).
func entries(n *corpus.Notice) (out []*Entry, ctx string, own []string) {
	return listEntries(n, true)
}

// listEntries lists the entries of a notice, and with texts their search
// texts and the notice's context; an index read from its snapshot needs
// only the entries.
func listEntries(n *corpus.Notice, texts bool) (out []*Entry, ctx string, own []string) {
	if texts {
		ctx = noticeContext(n)
	}
	text := func(s ...string) {
		if texts {
			own = append(own, strings.Join(s, "\n"))
		}
	}
	// One array for the notice's entries: at a million tasks start-up
	// lists 1.3 million of them.
	count := len(n.Deadlines) + len(n.Groups)
	for _, t := range n.Tasks {
		count += 1 + len(t.Clauses)
	}
	for i := range n.Passages {
		if strings.TrimSpace(n.Passages[i].Text) != "" {
			count++
		}
	}
	slab := make([]Entry, 0, count)
	out = make([]*Entry, 0, count)
	add := func(e Entry) {
		slab = append(slab, e)
		out = append(out, &slab[len(slab)-1])
	}
	for _, t := range n.Tasks {
		sec := strings.Join(t.Sections, " ")
		text(sec, t.Text)
		id := n.Doc + "#" + t.Ref
		add(Entry{
			ID: id, Kind: KindTask, Notice: n, Task: t, Ref: t.Ref,
			Text: t.Text,
			Lead: t.LeadUnits, Resp: t.ResponsibleUnits,
		})
		for _, c := range t.Clauses {
			text(sec, c.Text)
			add(Entry{
				ID: id + "#" + strconv.Itoa(c.N), Kind: KindClause, Notice: n, Task: t, Clause: c.N,
				Ref: t.Ref, Text: c.Text,
				Lead: c.LeadUnits, Resp: c.ResponsibleUnits,
			})
		}
	}
	for i := range n.Passages {
		p := &n.Passages[i]
		if strings.TrimSpace(p.Text) == "" {
			continue
		}
		text(p.Title, p.Text)
		add(Entry{
			ID: n.Doc + "#p" + p.Ref + "#" + strconv.Itoa(p.Line), Kind: KindPassage, Notice: n, Passage: p, Ref: p.Ref,
			Text: p.Text,
		})
	}
	for i := range n.Deadlines {
		d := &n.Deadlines[i]
		text(d.Title, d.Text)
		add(Entry{
			ID: n.Doc + "#d" + d.Ref + "#" + strconv.Itoa(d.Line) + "#" + strconv.Itoa(i), Kind: KindDeadline, Notice: n, Deadline: d, Ref: d.Ref,
			Text: d.Text, Resp: d.Units,
		})
	}
	for i := range n.Groups {
		g := &n.Groups[i]
		gt := groupText(g)
		text(gt)
		add(Entry{
			ID: n.Doc + "#g" + strconv.Itoa(i), Kind: KindGroup, Notice: n, Group: g,
			Text: gt,
		})
	}
	return out, ctx, own
}

// groupText renders a leading group as prose for search and quoting.
func groupText(g *corpus.Group) string {
	var b strings.Builder
	b.WriteString(g.Name)
	if g.Office != "" {
		fmt.Fprintf(&b, "；领导小组办公室设在%s", g.Office)
	}
	if g.OfficeDirector != "" {
		fmt.Fprintf(&b, "，办公室主任%s", g.OfficeDirector)
	}
	b.WriteString("。")
	role := ""
	for _, m := range g.Members {
		if m.Role != role {
			fmt.Fprintf(&b, "%s：", m.Role)
			role = m.Role
		}
		fmt.Fprintf(&b, "%s（%s）；", m.Name, m.Title)
	}
	return b.String()
}
