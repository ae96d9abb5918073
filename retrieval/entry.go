package retrieval

import (
	"fmt"
	"regexp"
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
// quoted; Search is what is matched (Text with its context: the notice's
// subject and the section titles).
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
	Search   string
	Lead     []string
	Resp     []string
	own      string   // Search without the notice context (a substring of Search)
	ownNorm  string   // Normalize(own), computed once at build
	ctxNorm  string   // the notice context normalized, shared by the notice's entries
	key      [16]byte // cache key of Search
}

// norm is the entry's normalized search text.
func (e *Entry) norm() string { return e.ctxNorm + "\n" + e.ownNorm }

// searchText joins a notice context and an entry's own text; own is
// returned as a substring of the result, so the two share memory.
func searchText(ctx, own string) (search, ownSub string) {
	search = ctx + "\n" + own
	return search, search[len(ctx)+1:]
}

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

// entries lists the searchable entries of a notice.
func entries(n *corpus.Notice) []*Entry {
	ctx := noticeContext(n)
	var out []*Entry
	for _, t := range n.Tasks {
		sec := strings.Join(t.Sections, " ")
		search, own := searchText(ctx, sec+"\n"+t.Text)
		out = append(out, &Entry{
			ID: n.Doc + "#" + t.Ref, Kind: KindTask, Notice: n, Task: t, Ref: t.Ref,
			Text: t.Text, Search: search, own: own,
			Lead: t.LeadUnits, Resp: t.ResponsibleUnits,
		})
		for _, c := range t.Clauses {
			search, own := searchText(ctx, sec+"\n"+c.Text)
			out = append(out, &Entry{
				ID: fmt.Sprintf("%s#%s#%d", n.Doc, t.Ref, c.N), Kind: KindClause, Notice: n, Task: t, Clause: c.N,
				Ref: t.Ref, Text: c.Text, Search: search, own: own,
				Lead: c.LeadUnits, Resp: c.ResponsibleUnits,
			})
		}
	}
	for i := range n.Passages {
		p := &n.Passages[i]
		if strings.TrimSpace(p.Text) == "" {
			continue
		}
		search, own := searchText(ctx, p.Title+"\n"+p.Text)
		out = append(out, &Entry{
			ID: n.Doc + "#p" + p.Ref + "#" + itoa(p.Line), Kind: KindPassage, Notice: n, Passage: p, Ref: p.Ref,
			Text: p.Text, Search: search, own: own,
		})
	}
	for i := range n.Deadlines {
		d := &n.Deadlines[i]
		search, own := searchText(ctx, d.Title+"\n"+d.Text)
		out = append(out, &Entry{
			ID: fmt.Sprintf("%s#d%s#%d#%d", n.Doc, d.Ref, d.Line, i), Kind: KindDeadline, Notice: n, Deadline: d, Ref: d.Ref,
			Text: d.Text, Search: search, own: own, Resp: d.Units,
		})
	}
	for i := range n.Groups {
		g := &n.Groups[i]
		search, own := searchText(ctx, groupText(g))
		out = append(out, &Entry{
			ID: n.Doc + "#g" + itoa(i), Kind: KindGroup, Notice: n, Group: g,
			Text: own, Search: search, own: own,
		})
	}
	return out
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
