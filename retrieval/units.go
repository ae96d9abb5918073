package retrieval

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/assignbot/assignbot/corpus"
)

// Unit listings: every task a unit leads or is responsible for, complete
// and never cut to a top-k, but paged. Each unit's table is computed when
// the index is built, with a one-line summary of every task, so a listing
// costs what its page shows, not what the unit does.

// UnitPageSize is how many tasks one page of a unit listing shows.
const UnitPageSize = 30

// unitTable is the listing of one canonical unit: its entries in corpus
// order, by role. A task one of whose clauses names the unit in the same
// role is left out of the deduplicated lists: the clause says precisely
// what the unit does.
type unitTable struct {
	lead, resp     []uint32 // every task and clause naming the unit
	leadDD, respDD []uint32 // the same, deduplicated
}

// UnitTask is one task (or clause) a unit takes part in, with its role.
type UnitTask struct {
	Entry *Entry
	Lead  bool // the unit leads; else it is responsible
}

// kindBit is the bit of an entry kind in a filter mask.
func kindBit(kind string) uint8 {
	switch kind {
	case KindTask:
		return 1
	case KindClause:
		return 2
	case KindPassage:
		return 4
	case KindDeadline:
		return 8
	case KindGroup:
		return 16
	}
	return 0
}

// buildUnits computes the table of every unit. Tasks carry units as the
// notice writes them; tables are keyed by the canonical name so that
// every written form of a unit is found.
func (ix *Index) buildUnits() {
	ix.units = ix.listUnits(true, nil)
}

// updateUnits computes the unit tables of an index updated from prev:
// entries of kept notices move to their new numbers, those of changed and
// removed notices go, and only the fresh notices' entries are listed and
// merged in, so that a reload costs what changed and a pass over the
// tables' numbers, not a reading of every task. A notice the corpus kept
// was kept with its units' names resolved as they still are (it reparses
// every notice when a short name comes or goes), and deduplication works
// within a task, so the kept parts of the deduplicated lists hold.
func (ix *Index) updateUnits(prev *Index, src []kwSource) {
	newStart := make([]int64, len(prev.notices)) // new number of a kept notice's first entry; -1: gone
	for o := range newStart {
		newStart[o] = -1
	}
	var fresh []int
	for i, s := range src {
		if s.fresh == nil {
			newStart[s.old] = int64(ix.start[i])
		} else {
			fresh = append(fresh, i)
		}
	}
	move := func(list []uint32) []uint32 {
		var out []uint32
		for _, d := range list {
			o := prev.noticeOf[d]
			if ns := newStart[o]; ns >= 0 {
				out = append(out, uint32(ns)+d-prev.start[o])
			}
		}
		return out
	}
	added := ix.listUnits(false, fresh)
	ix.units = make(map[string]*unitTable, len(prev.units))
	for u, t := range prev.units {
		nt := &unitTable{lead: move(t.lead), resp: move(t.resp), leadDD: move(t.leadDD), respDD: move(t.respDD)}
		if f := added[u]; f != nil {
			nt.lead, nt.resp = mergeSorted(nt.lead, f.lead), mergeSorted(nt.resp, f.resp)
			nt.leadDD, nt.respDD = mergeSorted(nt.leadDD, f.leadDD), mergeSorted(nt.respDD, f.respDD)
		}
		if len(nt.lead)+len(nt.resp) > 0 {
			ix.units[u] = nt
		}
	}
	for u, f := range added {
		if _, ok := ix.units[u]; !ok {
			ix.units[u] = f
		}
	}
}

// mergeSorted merges two ascending lists of distinct entries.
func mergeSorted(a, b []uint32) []uint32 {
	if len(a) == 0 {
		return b
	}
	if len(b) == 0 {
		return a
	}
	out := make([]uint32, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0] < b[0] {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// listUnits lists the units of the entries of every notice, or of some,
// with their deduplicated lists.
func (ix *Index) listUnits(every bool, notices []int) map[string]*unitTable {
	dir := ix.Corpus.Directory
	canon := map[string]string{} // written → canonical, each name resolved once
	resolve := func(u string) string {
		c, ok := canon[u]
		if !ok {
			c = dir.Canonical(u)
			canon[u] = c
		}
		return c
	}
	units := map[string]*unitTable{}
	table := func(c string) *unitTable {
		t := units[c]
		if t == nil {
			t = &unitTable{}
			units[c] = t
		}
		return t
	}
	list := func(lo, hi uint32) {
		for d := lo; d < hi; d++ {
			e := ix.Entries[d]
			if e.Kind != KindTask && e.Kind != KindClause {
				continue
			}
			for _, u := range e.Lead {
				t := table(resolve(u))
				t.lead = appendOnce(t.lead, d)
			}
			for _, u := range e.Resp {
				t := table(resolve(u))
				t.resp = appendOnce(t.resp, d)
			}
		}
	}
	if every {
		list(0, uint32(len(ix.Entries)))
	}
	for _, i := range notices {
		list(ix.start[i], ix.start[i+1])
	}
	for _, t := range units {
		t.leadDD, t.respDD = ix.dedupe(t.lead), ix.dedupe(t.resp)
	}
	return units
}

// appendOnce appends d unless it ends the list already (a unit written
// twice in one task).
func appendOnce(list []uint32, d uint32) []uint32 {
	if n := len(list); n > 0 && list[n-1] == d {
		return list
	}
	return append(list, d)
}

// dedupe drops a whole task when one of its clauses is in the list.
func (ix *Index) dedupe(list []uint32) []uint32 {
	hasClause := map[*corpus.Task]bool{}
	for _, d := range list {
		if e := ix.Entries[d]; e.Kind == KindClause {
			hasClause[e.Task] = true
		}
	}
	if len(hasClause) == 0 {
		return list
	}
	out := make([]uint32, 0, len(list))
	for _, d := range list {
		if e := ix.Entries[d]; e.Kind == KindTask && hasClause[e.Task] {
			continue
		}
		out = append(out, d)
	}
	return out
}

// UnitTasks returns every task and clause the canonical unit takes part in,
// in corpus order, leads first. It is never cut to a top-k.
func (ix *Index) UnitTasks(canon string) []UnitTask {
	t := ix.units[canon]
	if t == nil {
		return nil
	}
	out := make([]UnitTask, 0, len(t.lead)+len(t.resp))
	for _, d := range t.lead {
		out = append(out, UnitTask{Entry: ix.Entries[d], Lead: true})
	}
	for _, d := range t.resp {
		out = append(out, UnitTask{Entry: ix.Entries[d]})
	}
	return out
}

// Units returns every canonical unit that has tasks.
func (ix *Index) Units() []string {
	out := make([]string, 0, len(ix.units))
	for u := range ix.units {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// answerUnit lists the tasks a unit leads, and unless only leads were
// asked for, the tasks it is responsible for: grouped by notice, with the
// full count of each role, one page at a time. A topic narrows the list to
// tasks that (or whose notice) mention it; a scope to the chat's notices.
func (ix *Index) answerUnit(q Query, opt AnswerOptions, a *Answer) {
	t := ix.units[q.Unit]
	if t == nil {
		return
	}
	var scope []bool
	if len(opt.Notices) > 0 {
		scope = ix.noticeSet(opt.Notices)
	}
	lead, resp := t.leadDD, t.respDD
	var topicSet []uint64
	if want := contentTerms(q.Topic); len(want) > 0 {
		topicSet = ix.mentions(want)
	}
	if topicSet != nil || scope != nil {
		keep := func(d uint32) bool {
			return (topicSet == nil || topicSet[d/64]&(1<<(d%64)) != 0) && (scope == nil || scope[ix.noticeOf[d]])
		}
		lead, resp = ix.dedupe(filterEntries(t.lead, keep)), ix.dedupe(filterEntries(t.resp, keep))
		if len(lead)+len(resp) == 0 && topicSet != nil {
			// The topic matched nothing: better all of the unit's tasks
			// than none.
			q.Topic = ""
			ix.answerUnit(q, opt, a)
			return
		}
	}
	if q.LeadOnly {
		resp = nil
	}
	total := len(lead) + len(resp)
	if total == 0 {
		return
	}
	a.Found = true
	a.Total = total
	from, to := 0, total
	if opt.Page > 0 {
		a.Pages = (total + UnitPageSize - 1) / UnitPageSize
		a.Page = min(opt.Page, a.Pages)
		from, to = (a.Page-1)*UnitPageSize, min(a.Page*UnitPageSize, total)
	}

	name := q.Unit
	if q.UnitName != "" && corpus.Normalize(q.UnitName) != corpus.Normalize(q.Unit) {
		name = fmt.Sprintf("%s（%s）", q.Unit, q.UnitName)
	}
	var b strings.Builder
	section := func(title string, list []uint32, offset int, isLead bool) {
		// This section's items on the page: [lo, hi) of list.
		lo, hi := max(from-offset, 0), min(to-offset, len(list))
		if lo >= hi {
			return
		}
		fmt.Fprintf(&b, "%s（共%d项，%d份通知）：\n", title, len(list), ix.countNotices(list))
		// A notice's block of lines, headed by the notice and by how it
		// writes the unit when that is not the name asked (市发改委 for
		// 市发展改革委): units are shown as each notice writes them.
		var block strings.Builder
		var forms []string
		head := ""
		flush := func() {
			if head == "" {
				return
			}
			b.WriteString(head)
			if len(forms) > 0 && q.Lang == "en" {
				fmt.Fprintf(&b, " (written “%s”)", strings.Join(forms, "”, “"))
			} else if len(forms) > 0 {
				fmt.Fprintf(&b, "（写作“%s”）", strings.Join(forms, "”“"))
			}
			b.WriteString("\n")
			b.WriteString(block.String())
			block.Reset()
			forms = forms[:0]
		}
		lastDoc := ""
		for _, d := range list[lo:hi] {
			e := ix.Entries[d]
			c := citationOf(e)
			c.Lead = isLead
			a.Citations = append(a.Citations, c)
			if c.Doc != lastDoc {
				flush()
				head = fmt.Sprintf("【%s】", e.Notice.Name())
				lastDoc = c.Doc
			}
			for _, u := range append(append([]string(nil), c.LeadUnits...), c.ResponsibleUnits...) {
				if u != q.Unit && u != q.UnitName && !slices.Contains(forms, u) && ix.Corpus.Directory.Canonical(u) == q.Unit {
					forms = append(forms, u)
				}
			}
			ref := c.Ref
			if c.Clause > 0 {
				ref = fmt.Sprintf("%s 第%d句", ref, c.Clause)
			}
			fmt.Fprintf(&block, "· %s %s\n", ref, ix.summary[d])
		}
		flush()
	}
	if q.Lang == "en" {
		section(name+" leads", lead, 0, true)
		section(name+" is responsible for", resp, len(lead), false)
		if a.Pages > 1 {
			fmt.Fprintf(&b, "Page %d of %d (%d tasks)\n", a.Page, a.Pages, total)
		}
	} else {
		section(name+"牵头的任务", lead, 0, true)
		section(name+"作为责任单位参与的任务", resp, len(lead), false)
		if a.Pages > 1 {
			fmt.Fprintf(&b, "第%d/%d页，共%d项\n", a.Page, a.Pages, total)
		}
	}
	a.Text = strings.TrimRight(b.String(), "\n")
}

// countNotices counts the notices a list of entries (in corpus order)
// comes from.
func (ix *Index) countNotices(list []uint32) int {
	n, last := 0, -1
	for _, d := range list {
		if c := int(ix.noticeOf[d]); c != last {
			n, last = n+1, c
		}
	}
	return n
}

func filterEntries(list []uint32, keep func(uint32) bool) []uint32 {
	var out []uint32
	for _, d := range list {
		if keep(d) {
			out = append(out, d)
		}
	}
	return out
}

// contentTerms returns the bigram and word terms of a text: the ones that
// say what it is about.
func contentTerms(text string) []uint64 {
	var out []uint64
	for _, t := range terms(nil, corpus.Normalize(text)) {
		if isContentTerm(t) {
			out = append(out, t)
		}
	}
	return out
}

// noticeSet marks the notices of a scope (notice doc names) by number.
func (ix *Index) noticeSet(docs []string) []bool {
	want := make(map[string]bool, len(docs))
	for _, d := range docs {
		want[d] = true
	}
	set := make([]bool, len(ix.notices))
	for i, n := range ix.notices {
		set[i] = want[n.Doc]
	}
	return set
}

// UnitAnswer lists every task of the unit with this name (any of its
// names), as a unit question would, in one answer; ok is false for an
// unknown unit.
func (ix *Index) UnitAnswer(name string, leadOnly bool) (Answer, bool) {
	return ix.UnitAnswerWith(name, leadOnly, AnswerOptions{})
}

// UnitAnswerWith is UnitAnswer for page opt.Page (from 1; the answer says
// how many there are; 0: every task) within the notices of opt.Notices.
func (ix *Index) UnitAnswerWith(name string, leadOnly bool, opt AnswerOptions) (Answer, bool) {
	canon, written, ok := ix.resolveUnit(name)
	if !ok {
		return Answer{}, false
	}
	q := Query{Question: name, Lang: "zh", Intent: IntentUnit, Unit: canon, UnitName: written, LeadOnly: leadOnly}
	a := Answer{Question: name, Intent: IntentUnit, Source: "offline", Lang: "zh", Citations: []Citation{}}
	ix.answerUnit(q, opt, &a)
	return a, a.Found
}

// ResolveUnit returns the canonical name of a unit that has tasks, from
// any of its names.
func (ix *Index) ResolveUnit(name string) (string, bool) {
	canon, _, ok := ix.resolveUnit(name)
	return canon, ok
}

func (ix *Index) resolveUnit(name string) (canon, written string, ok bool) {
	canon, written = ix.Corpus.Directory.Canonical(name), name
	if _, ok := ix.units[canon]; ok {
		return canon, written, true
	}
	canon, written = findUnit(corpus.Normalize(name), unitNames(ix))
	return canon, written, canon != ""
}
