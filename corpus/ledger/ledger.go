// Package ledger writes the 台账 of a corpus: the workbook officials run
// their follow-up work (督办) from. One row per task, or per clause when a
// task's clauses carry units of their own; the units exactly as the notice
// writes them; deadlines as real dates where they have one.
//
// Select chooses the rows (by unit, notice, scope and deadline) and Write
// streams them as an .xlsx with three sheets: 任务台账, 按单位 and, where
// the notices have rosters, 领导小组. The command line, the chat's /export
// and the admin page all call these two.
package ledger

import (
	"fmt"
	"strings"
	"time"

	"github.com/assignbot/assignbot/corpus"
)

// Filter says which rows a 台账 holds. The zero Filter keeps everything.
type Filter struct {
	// Unit is any written name of a unit (市经信局 finds 市经济和信息化局):
	// rows it leads, is responsible for or guides.
	Unit string
	// Doc is a file-name prefix or a document number (武政办〔2021〕22号;
	// brackets, widths and Traditional forms fold).
	Doc string
	// Scope is text the notice's region, issuer, title, plan title or
	// document number contains (武汉, 广元市).
	Scope string
	// DueBefore (YYYY-MM-DD) keeps rows with a deadline on or before it.
	DueBefore string
}

// String describes the filter in Chinese for the printed page header:
// 单位：市商务局；截止：2021-06-30前. It is "" for the zero Filter.
func (f Filter) String() string {
	var parts []string
	if f.Unit != "" {
		parts = append(parts, "单位："+f.Unit)
	}
	if f.Doc != "" {
		parts = append(parts, "通知："+f.Doc)
	}
	if f.Scope != "" {
		parts = append(parts, "范围："+f.Scope)
	}
	if f.DueBefore != "" {
		parts = append(parts, "时限："+f.DueBefore+"前")
	}
	return strings.Join(parts, "；")
}

// Row is one line of the 任务台账: a whole task, or one clause of a task
// whose clauses carry their own units.
type Row struct {
	Notice *corpus.Notice
	Task   *corpus.Task
	// Clause is the clause this row stands for, nil for a whole task.
	Clause *corpus.Clause
	// Ref is the task's number, with the clause's after a hyphen (二(二)2-1).
	Ref  string
	Text string
	// Lead and Responsible are the row's units as written: the clause's for
	// a clause row, the task's otherwise. Guide units and the responsible
	// leader are the task's.
	Lead        []string
	Responsible []string
	// Deadlines are the task's deadlines that apply to the row: for a
	// clause, those written in it, else those written outside every clause.
	Deadlines []corpus.Deadline
}

// Selection is what Select chose: the notices and rows of a 台账.
type Selection struct {
	Filter Filter
	// Notices are the notices whose rows (and rosters) the workbook holds,
	// in corpus order.
	Notices []*corpus.Notice
	Rows    []Row
	// Tasks counts the distinct tasks behind Rows.
	Tasks int

	dir  *corpus.Directory
	unit string // the canonical key of Filter.Unit
}

// Select chooses the rows of c that f keeps. It fails only on a malformed
// DueBefore.
func Select(c *corpus.Corpus, f Filter) (*Selection, error) {
	if f.DueBefore != "" {
		if _, err := time.Parse(time.DateOnly, f.DueBefore); err != nil {
			return nil, fmt.Errorf("due date %q: want YYYY-MM-DD", f.DueBefore)
		}
	}
	dir := c.Directory
	if dir == nil {
		dir = corpus.NewDirectory()
	}
	s := &Selection{Filter: f, dir: dir}
	if f.Unit != "" {
		s.unit = dir.Canonical(f.Unit)
	}
	doc := corpus.Normalize(strings.TrimSpace(f.Doc))
	scope := corpus.Normalize(strings.TrimSpace(f.Scope))
	rowFilters := s.unit != "" || f.DueBefore != ""
	for _, n := range c.Notices {
		if doc != "" && !strings.HasPrefix(n.Doc, strings.TrimSpace(f.Doc)) && corpus.Normalize(n.DocNumber) != doc {
			continue
		}
		if scope != "" && !inScope(n, scope) {
			continue
		}
		before := len(s.Rows)
		for _, t := range n.Tasks {
			kept := false
			for _, r := range rowsOf(n, t) {
				if s.keep(r) {
					s.Rows = append(s.Rows, r)
					kept = true
				}
			}
			if kept {
				s.Tasks++
			}
		}
		// A notice with no task left after a unit or date filter is not
		// part of that 台账; without one, every notice in scope is (its
		// roster too, even when it assigns no task).
		if !rowFilters || len(s.Rows) > before {
			s.Notices = append(s.Notices, n)
		}
	}
	return s, nil
}

// inScope reports whether the notice's region, issuer, titles or document
// number contain scope (normalized).
func inScope(n *corpus.Notice, scope string) bool {
	for _, s := range []string{n.Region, n.Issuer, n.Title, n.PlanTitle, n.DocNumber} {
		if s != "" && strings.Contains(corpus.Normalize(s), scope) {
			return true
		}
	}
	return false
}

// keep reports whether the row passes the unit and deadline filters.
func (s *Selection) keep(r Row) bool {
	if s.unit != "" && !s.hasUnit(r) {
		return false
	}
	if d := s.Filter.DueBefore; d != "" {
		due := false
		for _, dl := range r.Deadlines {
			if dl.Date != "" && dl.Date <= d {
				due = true
				break
			}
		}
		if !due {
			return false
		}
	}
	return true
}

func (s *Selection) hasUnit(r Row) bool {
	for _, list := range [][]string{r.Lead, r.Responsible, r.Task.GuideUnits} {
		for _, u := range list {
			if s.dir.Canonical(u) == s.unit {
				return true
			}
		}
	}
	return false
}

// rowsOf returns the rows of one task: the task itself, or one row per
// clause when its clauses carry units.
func rowsOf(n *corpus.Notice, t *corpus.Task) []Row {
	if len(t.Clauses) == 0 {
		return []Row{{Notice: n, Task: t, Ref: t.Ref, Text: t.Text, Lead: t.LeadUnits, Responsible: t.ResponsibleUnits, Deadlines: t.Deadlines}}
	}
	rows := make([]Row, 0, len(t.Clauses))
	for i := range t.Clauses {
		cl := &t.Clauses[i]
		rows = append(rows, Row{
			Notice: n, Task: t, Clause: cl,
			Ref:         fmt.Sprintf("%s-%d", t.Ref, cl.N),
			Text:        cl.Text,
			Lead:        cl.LeadUnits,
			Responsible: cl.ResponsibleUnits,
			Deadlines:   clauseDeadlines(t, cl),
		})
	}
	return rows
}

// clauseDeadlines returns the task's deadlines written in the clause; when
// none is, those written in no clause at all (a lead-in sentence, a table's
// 完成时限 column), which hold for every clause.
func clauseDeadlines(t *corpus.Task, cl *corpus.Clause) []corpus.Deadline {
	var in, outside []corpus.Deadline
	for _, d := range t.Deadlines {
		if d.Phrase != "" && strings.Contains(cl.Text, d.Phrase) {
			in = append(in, d)
			continue
		}
		anywhere := false
		for _, other := range t.Clauses {
			if d.Phrase != "" && strings.Contains(other.Text, d.Phrase) {
				anywhere = true
				break
			}
		}
		if !anywhere {
			outside = append(outside, d)
		}
	}
	if len(in) > 0 {
		return in
	}
	return outside
}

// Due is how a row's deadlines fill the 完成时限 cell: a date when they come
// to exactly one date that does not recur, else the phrases as written
// (长期坚持, 每年2月底前, or several dates: 到2020年；到2022年).
func Due(ds []corpus.Deadline) (date time.Time, text string) {
	var dates, phrases []string
	recurOrUndated := false
	for _, d := range ds {
		if d.Date == "" || d.Every != "" {
			recurOrUndated = true
		} else if !contains(dates, d.Date) {
			dates = append(dates, d.Date)
		}
		p := strings.TrimSpace(d.Phrase)
		if p == "" {
			p = d.Date
		}
		if p != "" && !contains(phrases, p) {
			phrases = append(phrases, p)
		}
	}
	if len(dates) == 1 && !recurOrUndated {
		if t, err := time.Parse(time.DateOnly, dates[0]); err == nil {
			return t, ""
		}
	}
	return time.Time{}, strings.Join(phrases, "；")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ContentType is the media type of the workbook Write produces, for a
// download or a chat attachment.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// FileName is a name for the workbook made on day: 台账_市商务局_20211231.xlsx,
// with the filter's words and nothing a file system or chat client refuses.
func (s *Selection) FileName(day time.Time) string {
	parts := []string{"台账"}
	for _, p := range []string{s.Filter.Unit, s.Filter.Doc, s.Filter.Scope} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if s.Filter.DueBefore != "" {
		parts = append(parts, "截至"+s.Filter.DueBefore)
	}
	parts = append(parts, day.Format("20060102"))
	name := strings.Map(func(r rune) rune {
		switch {
		case r < ' ', strings.ContainsRune(`/\:*?"<>|`, r):
			return -1
		case r == ' ' || r == '\u3000':
			return '_'
		}
		return r
	}, strings.Join(parts, "_"))
	if r := []rune(name); len(r) > 100 {
		name = string(r[:100])
	}
	return name + ".xlsx"
}
