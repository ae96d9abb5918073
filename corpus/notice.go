package corpus

import "strings"

// Notice is one parsed notice: its metadata, its outline of numbered
// sections, the tasks with their units, and the deadlines, phases and
// leading groups it sets.
type Notice struct {
	Doc       string `json:"doc"`                  // source file name
	Title     string `json:"title"`                // the notice's title, as printed
	PlanTitle string `json:"plan_title,omitempty"` // the attached plan (方案) when it has its own title
	DocNumber string `json:"doc_number,omitempty"` // 武政办〔2021〕22号, as printed
	Issuer    string `json:"issuer,omitempty"`
	// Region is the province, city, district or county the notice governs
	// (广东省, 广元市, 昆明市官渡区), or 全国 for State Council notices; chat
	// scopes filter on it.
	Region   string `json:"region,omitempty"`
	Date     string `json:"date,omitempty"` // YYYY-MM-DD, the date the notice was signed
	LeadRule string `json:"lead_rule,omitempty"`

	// LeadUnits are units the notice names as leads of the whole work in
	// prose (X为该议案办理工作的牵头责任单位).
	LeadUnits []string `json:"lead_units,omitempty"`
	// AlwaysUnits take part in every task without being listed again
	// (以下工作均需……参与，不再列出).
	AlwaysUnits []string `json:"always_units,omitempty"`

	Outline   []*Node    `json:"-"`
	Tasks     []*Task    `json:"tasks"`
	Passages  []Passage  `json:"passages"`
	Deadlines []Deadline `json:"deadlines"`
	Groups    []Group    `json:"groups,omitempty"`
	Aliases   []Alias    `json:"aliases,omitempty"`

	// Unread are paragraphs that look like tasks with a unit marker that
	// no rule read: what an admin must check by hand.
	Unread []Unread `json:"unread,omitempty"`
}

// Unread is a unit marker the parser found but could not read.
type Unread struct {
	Line   int    `json:"line"`
	Text   string `json:"text"`   // the marker, as printed
	Reason string `json:"reason"` // why no rule read it
	// Paragraph is the whole line the marker stands in (at most 500
	// characters), for a person or a model to read it again.
	Paragraph string `json:"paragraph,omitempty"`
}

// Name is how answers name the notice: its document number when it has one,
// else its plan or notice title.
func (n *Notice) Name() string {
	switch {
	case n.DocNumber != "":
		return n.DocNumber
	case n.PlanTitle != "":
		return n.PlanTitle
	}
	// 广元市人民政府办公室关于贯彻落实《…》的通知 → 贯彻落实《…》
	t := n.Title
	for _, about := range []string{"关于", "關於", "關于"} {
		if i := strings.Index(t, about); i >= 0 {
			t = t[i+len(about):]
			break
		}
	}
	if s := strings.TrimSuffix(t, "的通知"); s != "" {
		t = s
	}
	return t
}

// Node is one numbered item of a notice's outline: a section heading or a
// task. Ref is its numbering path in the notice's own labels (二(二)3).
type Node struct {
	Ref      string  `json:"ref"`
	Label    string  `json:"label"`
	Level    int     `json:"level"`
	Title    string  `json:"title"`
	Text     string  `json:"text"`
	Line     int     `json:"line"`
	Task     *Task   `json:"-"`
	Children []*Node `json:"children,omitempty"`
	parent   *Node
	group    string   // the ——dash heading the item stands under, if any
	units    []string // lines of their own naming the units (牵头单位：…)
	leader   string   // the person a 牵头市领导：… line names
	persons  []string // the people a 配合领导：… line names
	open     int      // brackets the text leaves open: a marker goes on below
	// paraTasks: the item's paragraphs became tasks of their own.
	unitsEnd  int // the line index of the last units line read, to join its wrap
	paraTasks bool
}

// Task is a numbered item that assigns work to units.
type Task struct {
	Doc      string   `json:"doc"`
	Title    string   `json:"title"` // the notice's title
	Ref      string   `json:"ref"`
	Text     string   `json:"text"`
	Sections []string `json:"sections"` // titles of the enclosing sections, outermost first
	Line     int      `json:"line"`

	LeadUnits        []string   `json:"lead_units"`
	ResponsibleUnits []string   `json:"responsible_units"`
	Clauses          []Clause   `json:"clauses"`
	Deadlines        []Deadline `json:"deadlines"`

	// GuideUnits are units written as guiding the task (X指导), neither
	// lead nor responsible.
	GuideUnits []string `json:"guide_units,omitempty"`
	// Leader is the person named as the task's responsible leader
	// (牵头市领导, 分管省领导, 责任领导): a name, never a unit.
	Leader string `json:"leader,omitempty"`
	// Persons are the other people the task names as carrying it out
	// (具体责任人：李四、王五), never units.
	Persons []string `json:"persons,omitempty"`
	// Extracted says how the task was found when not by the rules: "model"
	// for a task a chat model proposed, cited as such.
	Extracted string `json:"extracted,omitempty"`
}

// Units returns every unit of the task, leads first, without repeats.
func (t *Task) Units() []string {
	return appendUnique(append([]string(nil), t.LeadUnits...), t.ResponsibleUnits...)
}

// Clause is one part of a task that carries its own unit marker; the clauses
// of a task are numbered from 1.
type Clause struct {
	N                int      `json:"n"`
	Text             string   `json:"text"`
	LeadUnits        []string `json:"lead_units"`
	ResponsibleUnits []string `json:"responsible_units"`
}

// Passage is a non-task part of a notice that people ask about: goals and
// targets, work phases, requirements, the leading group.
type Passage struct {
	Kind  string `json:"kind"` // goal, phase, requirement, group, preamble, section
	Ref   string `json:"ref"`
	Title string `json:"title"`
	Text  string `json:"text"`
	Line  int    `json:"line"`
}

// Deadline is a date a notice sets: a due date, a reporting date, or the
// start and end of a work phase.
type Deadline struct {
	Kind   string   `json:"kind"` // due, phase, event
	Date   string   `json:"date"` // YYYY-MM-DD: the due date, or a phase's end
	Start  string   `json:"start,omitempty"`
	Phrase string   `json:"phrase"` // the words that set the date, as printed
	Text   string   `json:"text"`   // the sentence it stands in
	Ref    string   `json:"ref"`
	Title  string   `json:"title,omitempty"` // the phase or section title
	Units  []string `json:"units,omitempty"`
	Line   int      `json:"line"`
	// Every is set on a recurring deadline (每年2月底前): year, half-year,
	// quarter or month; Date is then its first occurrence (see Next).
	Every string `json:"every,omitempty"`
}

// Group is a leading group (领导小组) with its members and office.
type Group struct {
	Name           string   `json:"name"`
	Office         string   `json:"office,omitempty"`          // the unit the office sits in
	OfficeDirector string   `json:"office_director,omitempty"` // 领导小组办公室主任
	Members        []Member `json:"members"`
	Line           int      `json:"line"`
}

// Member is one person in a leading group.
type Member struct {
	Name  string `json:"name"`
	Role  string `json:"role"` // 组长, 副组长, 成员, as written (組長 in a Traditional notice)
	Title string `json:"title"`
	Group string `json:"group,omitempty"` // the sub-list the member stands in (部门委员)
}

// Alias is a short name a notice defines for a unit (以下简称武圈办).
type Alias struct {
	Short string `json:"short"`
	Full  string `json:"full"`
}

func appendUnique(dst []string, add ...string) []string {
outer:
	for _, a := range add {
		for _, d := range dst {
			if d == a {
				continue outer
			}
		}
		dst = append(dst, a)
	}
	return dst
}
