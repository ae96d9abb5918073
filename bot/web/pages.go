package web

import (
	"fmt"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/corpus/ledger"
	"github.com/assignbot/assignbot/retrieval"
)

// The pages. Each handler gathers a view struct from the current index and
// renders one template; none of them changes anything.

// horizon is how far ahead the overview lists deadlines.
const horizon = 30

// feedbackLimit is how many 👎 answers the feedback page lists.
const feedbackLimit = 100

type noticeRow struct {
	Doc, Name, Title, DocNumber, Region string
	Tasks, Groups, Members              int
	Unread                              int
	Alerts, Warnings                    []string
}

type deadlineRow struct {
	Kind   string // 到期, 阶段, 长期…
	Date   string
	Days   int
	Phrase string
	Text   string
	Ref    string
	Units  []string
	Notice string // the notice's name
	Link   string
}

type overviewView struct {
	Notices   []noticeRow
	Stats     retrieval.BuildStats
	Report    corpus.Report
	Skipped   []corpus.FileReport
	Deadlines []deadlineRow
	Today     string
	Last      string // the horizon's last day
	Horizon   int
	Channels  []string
}

// loaded returns what is loaded, or writes the loading page and false.
func (s *Server) loaded(w http.ResponseWriter) (retrieval.Loaded, bool) {
	ld, ok := s.cfg.Engine.Current()
	if !ok || ld.Corpus == nil {
		s.render(w, http.StatusServiceUnavailable, "loading", nil)
		return retrieval.Loaded{}, false
	}
	return ld, true
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	ld, ok := s.loaded(w)
	if !ok {
		return
	}
	c := ld.Corpus
	v := &overviewView{Stats: ld.Stats, Report: c.Report, Horizon: horizon, Channels: s.cfg.Channels}
	for _, f := range c.Report.Files {
		if f.Status != "loaded" {
			v.Skipped = append(v.Skipped, f)
		}
	}
	now := s.now()
	today := now.Format(time.DateOnly)
	last := now.AddDate(0, 0, horizon).Format(time.DateOnly)
	v.Today, v.Last = today, last
	for _, n := range c.Notices {
		row := noticeRow{Doc: n.Doc, Name: n.Name(), Title: n.Title, DocNumber: n.DocNumber, Region: n.Region,
			Tasks: len(n.Tasks), Groups: len(n.Groups), Unread: len(n.Unread)}
		for _, g := range n.Groups {
			row.Members += len(g.Members)
		}
		if f := fileReport(c, n.Doc); f != nil {
			row.Alerts, row.Warnings = f.Alerts, f.Warnings
		}
		v.Notices = append(v.Notices, row)
		for _, d := range n.Deadlines {
			next := d.Next(today)
			if next == "" || next > last {
				continue
			}
			day, _ := time.Parse(time.DateOnly, next)
			t0, _ := time.Parse(time.DateOnly, today)
			v.Deadlines = append(v.Deadlines, deadlineRow{Date: next, Days: int(day.Sub(t0).Hours() / 24),
				Phrase: d.Phrase, Text: d.Text, Ref: d.Ref, Units: d.Units, Notice: n.Name(), Link: taskLink(n, d.Ref)})
		}
	}
	sort.SliceStable(v.Deadlines, func(i, j int) bool { return v.Deadlines[i].Date < v.Deadlines[j].Date })
	s.render(w, http.StatusOK, "overview", v)
}

// fileReport is the load report of the notice's file.
func fileReport(c *corpus.Corpus, doc string) *corpus.FileReport {
	for i, f := range c.Report.Files {
		if f.Name == doc || f.Name == path.Base(doc) {
			return &c.Report.Files[i]
		}
	}
	return nil
}

type taskRow struct {
	ID, Ref, Text     string
	Sections          string
	Lead, Responsible []string
	Guide             []string
	Leader            string
	Due               string
	Extracted         bool
	Clauses           []corpus.Clause
}

type noticeView struct {
	N         *corpus.Notice
	Name      string
	Tasks     []taskRow
	Unread    []corpus.Unread
	Deadlines []deadlineRow
	Report    *corpus.FileReport
	Download  string
}

func (s *Server) notice(w http.ResponseWriter, r *http.Request) {
	ld, ok := s.loaded(w)
	if !ok {
		return
	}
	doc := r.URL.Query().Get("doc")
	n := findNotice(ld.Corpus, doc)
	if n == nil {
		s.fail(w, r, http.StatusNotFound, "没有这份通知："+doc)
		return
	}
	v := &noticeView{N: n, Name: n.Name(), Unread: n.Unread, Report: fileReport(ld.Corpus, n.Doc),
		Download: "/download?" + url.Values{"doc": {n.Doc}}.Encode()}
	for i, t := range n.Tasks {
		v.Tasks = append(v.Tasks, taskRow{ID: taskID(i), Ref: t.Ref, Text: t.Text, Sections: strings.Join(t.Sections, " › "),
			Lead: t.LeadUnits, Responsible: t.ResponsibleUnits, Guide: t.GuideUnits, Leader: t.Leader,
			Due: dueText(t.Deadlines), Extracted: t.Extracted != "", Clauses: clausesWithUnits(t.Clauses)})
	}
	for _, d := range n.Deadlines {
		date := d.Date
		if d.Start != "" {
			date = d.Start + " — " + d.Date
		}
		v.Deadlines = append(v.Deadlines, deadlineRow{Kind: deadlineKinds[d.Kind], Date: date, Phrase: d.Phrase, Text: d.Text,
			Ref: d.Ref, Units: d.Units, Link: taskLink(n, d.Ref)})
	}
	s.render(w, http.StatusOK, "notice", v)
}

// deadlineKinds name corpus.Deadline kinds on the page.
var deadlineKinds = map[string]string{"due": "完成时限", "phase": "阶段", "event": "事项", "ongoing": "长期"}

// clausesWithUnits keeps the clauses that name units of their own: the
// rest say nothing the task's row does not.
func clausesWithUnits(cl []corpus.Clause) []corpus.Clause {
	var out []corpus.Clause
	for _, c := range cl {
		if len(c.LeadUnits)+len(c.ResponsibleUnits) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// dueText is the 完成时限 as the 台账 prints it.
func dueText(ds []corpus.Deadline) string {
	d, text := ledger.Due(ds)
	if !d.IsZero() {
		return d.Format(time.DateOnly)
	}
	return text
}

func findNotice(c *corpus.Corpus, doc string) *corpus.Notice {
	if doc == "" {
		return nil
	}
	for _, n := range c.Notices {
		if n.Doc == doc {
			return n
		}
	}
	return nil
}

// taskID is the HTML id of the notice's i-th task row: ASCII, so that a
// link's fragment finds it whatever the ref's characters.
func taskID(i int) string { return "t" + strconv.Itoa(i) }

// taskLink links the task with this ref in its notice page, or the notice
// page itself when no task has it (a passage, a roster).
func taskLink(n *corpus.Notice, ref string) string {
	link := "/notice?" + url.Values{"doc": {n.Doc}}.Encode()
	if ref == "" {
		return link
	}
	for i, t := range n.Tasks {
		if t.Ref == ref {
			return link + "#" + taskID(i)
		}
	}
	return link
}

type unitItem struct {
	Ref, Text, Due, Link string
	Lead                 bool
	Written              []string // how this task writes the unit
}

type unitNotice struct {
	Doc, Name   string
	Lead, Resp  []unitItem
	WrittenHere []string
}

type unitView struct {
	Query    string
	Canon    string
	Written  []string // every form the notices write
	Aliases  []string // every other name the directory knows
	Notices  []unitNotice
	Leads    int
	Resps    int
	Download string
	All      []unitLink // no unit asked: every unit
	NotFound bool
}

type unitLink struct {
	Name, Link string
}

func (s *Server) unit(w http.ResponseWriter, r *http.Request) {
	ld, ok := s.loaded(w)
	if !ok {
		return
	}
	name := strings.TrimSpace(r.URL.Query().Get("name"))
	v := &unitView{Query: name}
	if name == "" {
		for _, u := range s.cfg.Engine.Units() {
			v.All = append(v.All, unitLink{Name: u, Link: unitLinkFor(u)})
		}
		s.render(w, http.StatusOK, "unit", v)
		return
	}
	canon, ok := s.cfg.Engine.ResolveUnit(name)
	if !ok {
		v.NotFound = true
		s.render(w, http.StatusNotFound, "unit", v)
		return
	}
	dir := ld.Corpus.Directory
	v.Canon = canon
	v.Download = "/download?" + url.Values{"unit": {canon}}.Encode()
	tasks := dedupeUnitTasks(s.cfg.Engine.UnitTasks(canon))
	written := map[string]bool{}
	byNotice := map[*corpus.Notice]*unitNotice{}
	var order []*corpus.Notice
	for _, ut := range tasks {
		e := ut.Entry
		un := byNotice[e.Notice]
		if un == nil {
			un = &unitNotice{Doc: e.Notice.Doc, Name: e.Notice.Name()}
			byNotice[e.Notice] = un
			order = append(order, e.Notice)
		}
		names := e.Resp
		if ut.Lead {
			names = e.Lead
		}
		it := unitItem{Ref: e.Ref, Text: e.Text, Lead: ut.Lead, Link: taskLink(e.Notice, e.Task.Ref), Due: dueText(e.Task.Deadlines)}
		if e.Clause > 0 {
			it.Ref += "-" + strconv.Itoa(e.Clause)
		}
		for _, u := range names {
			if dir.Canonical(u) == canon {
				it.Written = appendNew(it.Written, u)
				un.WrittenHere = appendNew(un.WrittenHere, u)
				written[u] = true
			}
		}
		if ut.Lead {
			un.Lead = append(un.Lead, it)
			v.Leads++
		} else {
			un.Resp = append(un.Resp, it)
			v.Resps++
		}
	}
	// Notices in corpus order.
	pos := map[*corpus.Notice]int{}
	for i, n := range ld.Corpus.Notices {
		pos[n] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return pos[order[i]] < pos[order[j]] })
	for _, n := range order {
		v.Notices = append(v.Notices, *byNotice[n])
	}
	for u := range written {
		v.Written = append(v.Written, u)
	}
	sort.Strings(v.Written)
	for _, a := range dir.Aliases(canon) {
		if !written[a] {
			v.Aliases = append(v.Aliases, a)
		}
	}
	s.render(w, http.StatusOK, "unit", v)
}

// dedupeUnitTasks drops a whole task when one of its clauses names the
// unit in the same role: the clause says precisely what the unit does.
func dedupeUnitTasks(list []retrieval.UnitTask) []retrieval.UnitTask {
	type key struct {
		t    *corpus.Task
		lead bool
	}
	hasClause := map[key]bool{}
	for _, ut := range list {
		if ut.Entry.Clause > 0 {
			hasClause[key{ut.Entry.Task, ut.Lead}] = true
		}
	}
	out := list[:0:0]
	for _, ut := range list {
		if ut.Entry.Task == nil || (ut.Entry.Clause == 0 && hasClause[key{ut.Entry.Task, ut.Lead}]) {
			continue
		}
		out = append(out, ut)
	}
	return out
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func unitLinkFor(name string) string { return "/unit?" + url.Values{"name": {name}}.Encode() }

type citationView struct {
	Label, Text, Link string
	Lead, Responsible []string
}

type askView struct {
	Question  string
	Asked     bool
	Answer    retrieval.Answer
	Citations []citationView
	Error     string
	Prev      string
	Next      string
}

// maxQuestion bounds a question's length in characters, as in chat.
const maxQuestion = 500

func (s *Server) ask(w http.ResponseWriter, r *http.Request) {
	ld, ok := s.loaded(w)
	if !ok {
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	v := &askView{Question: q}
	if q == "" {
		s.render(w, http.StatusOK, "ask", v)
		return
	}
	if len([]rune(q)) > maxQuestion {
		v.Error = "问题太长，请不超过500字"
		s.render(w, http.StatusBadRequest, "ask", v)
		return
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	a, err := s.cfg.Engine.ConverseWith(r.Context(), nil, q, retrieval.AnswerOptions{Page: page})
	if err != nil {
		s.log.Error("web: answer", "err", err)
		v.Error = "出错了，请稍后再试"
		s.render(w, http.StatusInternalServerError, "ask", v)
		return
	}
	v.Asked, v.Answer = true, a
	v.Citations = citationViews(ld.Corpus, a.Citations)
	pageLink := func(p int) string {
		return "/ask?" + url.Values{"q": {q}, "page": {strconv.Itoa(p)}}.Encode()
	}
	if a.Pages > 1 && a.Page > 1 {
		v.Prev = pageLink(a.Page - 1)
	}
	if a.Pages > 1 && a.Page < a.Pages {
		v.Next = pageLink(a.Page + 1)
	}
	s.render(w, http.StatusOK, "ask", v)
}

// citationViews links each citation to its task's row in its notice page.
func citationViews(c *corpus.Corpus, cs []retrieval.Citation) []citationView {
	out := make([]citationView, 0, len(cs))
	for _, ct := range cs {
		cv := citationView{Label: ct.Label, Text: ct.Text, Lead: ct.LeadUnits, Responsible: ct.ResponsibleUnits}
		if n := findNotice(c, ct.Doc); n != nil {
			cv.Link = taskLink(n, ct.Ref)
		}
		out = append(out, cv)
	}
	return out
}

type feedbackItem struct {
	Feedback
	Citations []citationView
}

type feedbackView struct {
	Wired bool
	Items []feedbackItem
	Error string
}

func (s *Server) feedback(w http.ResponseWriter, r *http.Request) {
	v := &feedbackView{Wired: s.cfg.Feedback != nil}
	if v.Wired {
		list, err := s.cfg.Feedback.LatestDown(r.Context(), feedbackLimit)
		if err != nil {
			s.log.Error("web: feedback", "err", err)
			v.Error = "反馈记录读取失败，请稍后再试"
		}
		ld, loaded := s.cfg.Engine.Current()
		for _, f := range list {
			it := feedbackItem{Feedback: f}
			if loaded && ld.Corpus != nil {
				it.Citations = citationViews(ld.Corpus, f.Citations)
			} else {
				for _, c := range f.Citations {
					it.Citations = append(it.Citations, citationView{Label: c.Label})
				}
			}
			v.Items = append(v.Items, it)
		}
	}
	s.render(w, http.StatusOK, "feedback", v)
}

// download streams the 台账 workbook of the corpus, or of the notice,
// unit, scope or date the query names (doc, unit, scope, due).
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	ld, ok := s.loaded(w)
	if !ok {
		return
	}
	q := r.URL.Query()
	f := ledger.Filter{Doc: q.Get("doc"), Unit: q.Get("unit"), Scope: q.Get("scope"), DueBefore: q.Get("due")}
	sel, err := ledger.Select(ld.Corpus, f)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, "时限格式应为 YYYY-MM-DD")
		return
	}
	if (f.Doc != "" || f.Unit != "" || f.Scope != "") && len(sel.Notices) == 0 {
		s.fail(w, r, http.StatusNotFound, "没有符合条件的任务："+f.String())
		return
	}
	w.Header().Set("Content-Type", ledger.ContentType)
	w.Header().Set("Content-Disposition", contentDisposition(sel.FileName(s.now())))
	if err := ledger.Write(w, sel); err != nil {
		// The header is gone; the browser sees a broken file.
		s.log.Error("web: workbook", "filter", f.String(), "err", err)
	}
}

// contentDisposition names the download: the UTF-8 name (RFC 6266 /
// 5987), which every current browser uses, and an ASCII fallback.
func contentDisposition(name string) string {
	var b strings.Builder
	for _, c := range []byte(name) {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return `attachment; filename="taizhang.xlsx"; filename*=UTF-8''` + b.String()
}

type failView struct {
	Message string
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, status, "fail", &failView{Message: msg})
}
