package retrieval

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/assignbot/assignbot/corpus"
)

// Positions in a conversation: "第二个呢", "倒数第二项是什么", "最后一个",
// "上一项", "第三个阶段呢". An official reading a list names an item by its
// place in it; a phase is named by its place in the notice's timetable.

// position is a place a follow-up names: the nth item (from 1), counted
// from the end when fromEnd; or a step (-1, +1) from the item shown last;
// of the last answer's list, or of the notice's phases when phase.
type position struct {
	n       int
	fromEnd bool
	step    int
	phase   bool
	slot    string // what the tail asks of the item: lead, resp, deadline or ""
}

// readPosition reads a follow-up's position; ok is false when it names
// none.
func readPosition(bare string) (position, bool) {
	m := positionRe.FindStringSubmatch(strings.ReplaceAll(bare, " ", ""))
	if m == nil {
		return position{}, false
	}
	p := position{phase: m[5] != ""}
	switch {
	case m[2] != "":
		p.n = ordinal(m[2])
		p.fromEnd = m[1] != ""
		if p.n <= 0 {
			return position{}, false
		}
	case m[3] != "":
		p.n, p.fromEnd = 1, true
	case m[4] == "上" || m[4] == "前":
		p.step = -1
	default:
		p.step = 1
	}
	tail := m[6]
	if strings.HasPrefix(tail, "次") || strings.HasPrefix(tail, "届") || strings.HasPrefix(tail, "批") || strings.HasPrefix(tail, "号") {
		return position{}, false // 第三次的呢: a name's number, not a place in a list
	}
	rest := tail
	for _, w := range positionTailLongestFirst {
		rest = strings.ReplaceAll(rest, w, "")
	}
	if utf8Len(strings.Trim(rest, "?？!！。.~ ")) > 1 {
		return position{}, false // 第三次全国经济普查…: a name, not a place in a list
	}
	switch {
	case containsAny(tail, []string{"时候", "时间", "月"}):
		p.slot = IntentDeadline
	case containsAny(tail, []string{"责任", "配合"}):
		p.slot = IntentResp
	case containsAny(tail, []string{"牵头", "负责", "领导"}):
		p.slot = IntentLead
	}
	return p, true
}

// positionTailLongestFirst is positionTail with longer words first, so
// that 是什么时候 goes before 是什么.
var positionTailLongestFirst = func() []string {
	ws := slices.Clone(positionTail)
	slices.SortStableFunc(ws, func(a, b string) int { return utf8Len(b) - utf8Len(a) })
	return ws
}()

// index is the position's place in a list of n items, from 0; ok is false
// when the list has no such item.
func (p position) index(n, current int) (int, bool) {
	i := p.n - 1
	switch {
	case p.step != 0:
		i = current + p.step
	case p.fromEnd:
		i = n - p.n
	}
	return i, i >= 0 && i < n
}

// atPosition answers a follow-up that names a position.
func (ix *Index) atPosition(c *Conversation, p position) Answer {
	last := c.last
	if p.phase {
		return ix.phaseAt(last, p)
	}
	cites := last.a.Citations
	if p.step != 0 && len(cites) == 1 && last.list == nil {
		// 上一项 after one task: its neighbour in the notice.
		return ix.neighbour(c, cites[0], p.step)
	}
	if len(cites) == 1 && last.list == nil && p.slot != "" && p.step == 0 && !p.fromEnd {
		// 那第一项的责任领导呢 after one task: that item of its notice.
		if a, ok := ix.nthTask(c, cites[0].Doc, p.n); ok {
			return a
		}
	}
	list, current := cites, 0
	if last.list != nil {
		list, current = last.list, last.at
	}
	i, ok := p.index(len(list), current)
	if !ok && p.step == 0 && !p.fromEnd && i == len(list) && last.q.Intent != IntentUnit && last.list == nil {
		// 第二个呢 after one task: the next one the question matches.
		return ix.more(c)
	}
	if !ok {
		a := Answer{Question: last.a.Question, Intent: last.a.Intent, Source: "offline", Lang: last.a.Lang, Citations: []Citation{}}
		a.Text = fmt.Sprintf(say(a.Lang, "上一个回答只有 %d 条，没有您说的那一条。", "The last answer has %d item(s), not that one."), len(list))
		return a
	}
	a := ix.expand(&turn{q: last.q, a: Answer{Intent: last.a.Intent, Lang: last.a.Lang, Citations: list}}, i+1)
	a.Question = last.a.Question
	if p.slot == IntentDeadline && len(a.Citations) == 1 {
		if e := ix.entryOf(a.Citations[0]); e != nil && len(ix.datesOf(e)) == 0 {
			a.Text += say(a.Lang, "\n（这一项没有写明完成时间。）", "\n(This item gives no completion date.)")
		}
	}
	// The next 上一项 or 倒数第二项 counts in the same list.
	c.last = &turn{q: last.q, a: a, list: list, at: i}
	return a
}

// neighbour answers 上一项 / 下一项 after one task: the task before or
// after it in its notice.
func (ix *Index) neighbour(c *Conversation, cit Citation, step int) Answer {
	last := c.last
	for _, n := range ix.Corpus.Notices {
		if n.Doc != cit.Doc {
			continue
		}
		i := slices.IndexFunc(n.Tasks, func(t *corpus.Task) bool { return t.Ref == cit.Ref })
		if i < 0 || i+step < 0 || i+step >= len(n.Tasks) {
			break
		}
		t := n.Tasks[i+step]
		e := ix.entryByID(n.Doc + "#" + t.Ref)
		if e == nil {
			break
		}
		nc := citationOf(e)
		a := ix.expand(&turn{q: last.q, a: Answer{Intent: last.a.Intent, Lang: last.a.Lang, Citations: []Citation{nc}}}, 1)
		c.last = &turn{q: last.q, a: a}
		return a
	}
	return Answer{Question: last.a.Question, Intent: last.a.Intent, Source: "offline", Lang: last.a.Lang, Citations: []Citation{},
		Text: say(last.a.Lang, "这一项前后没有别的任务了。", "There is no task before or after it.")}
}

// entryByID finds an entry by its id.
func (ix *Index) entryByID(id string) *Entry {
	if i, ok := ix.byID[id]; ok {
		return ix.Entries[i]
	}
	return nil
}

// phase is one stage of a notice's timetable: its passage or task, its
// title and the date its title sets.
type phase struct {
	ref, title, text string
	line             int
	date             *corpus.Deadline
	entryID          string
}

// phases lists a notice's work phases in order: the items of its
// timetable section (工作安排, 实施步骤, 进度安排), passages or tasks.
func phases(n *corpus.Notice) []phase {
	parents := map[string]bool{}
	for _, p := range n.Passages {
		if p.Kind == "phase" && !strings.ContainsAny(p.Ref, "(（") && p.Ref != "" {
			parents[p.Ref] = true
		}
	}
	var out []phase
	add := func(ref, title, text string, line int, id string) {
		parent, _, ok := strings.Cut(ref, "(")
		if !ok || !parents[parent] || strings.Count(ref, "(") != 1 || !strings.HasSuffix(ref, ")") {
			return
		}
		ph := phase{ref: ref, title: strings.TrimSpace(strings.Split(strings.Split(title, "(")[0], "（")[0]), text: text, line: line, entryID: id}
		for j := range n.Deadlines {
			if d := &n.Deadlines[j]; d.Ref == ref {
				ph.date = d
				break
			}
		}
		out = append(out, ph)
	}
	for _, p := range n.Passages {
		add(p.Ref, p.Title, p.Text, p.Line, n.Doc+"#p"+p.Ref+"#"+itoa(p.Line))
	}
	for _, t := range n.Tasks {
		title := taskTitle(t.Text)
		add(t.Ref, title, t.Text, t.Line, n.Doc+"#"+t.Ref)
	}
	slices.SortStableFunc(out, func(a, b phase) int { return a.line - b.line })
	return out
}

// taskTitle is the heading a task starts with: 组织开展试点。…
func taskTitle(text string) string {
	if i := strings.IndexAny(text, "。；"); i > 0 && utf8Len(text[:i]) <= 20 {
		return text[:i]
	}
	return clip(text, 20)
}

// phaseAt answers "第三个阶段呢": the phase at that place in the
// timetable of the notice the conversation is about.
func (ix *Index) phaseAt(last *turn, p position) Answer {
	a := Answer{Question: last.a.Question, Intent: IntentDeadline, Source: "offline", Lang: last.a.Lang, Citations: []Citation{}}
	docs := docsOf(last.a)
	if len(docs) == 0 {
		docs = last.q.Docs
	}
	var n *corpus.Notice
	for _, x := range ix.Corpus.Notices {
		if len(docs) > 0 && x.Doc == docs[0] {
			n = x
		}
	}
	if n == nil {
		a.Text = say(a.Lang, "请说明是哪一份通知的阶段。", "Which notice's phases do you mean?")
		return a
	}
	ps := phases(n)
	current := -1
	for i, ph := range ps {
		for _, c := range last.a.Citations {
			if c.Doc == n.Doc && c.Ref == ph.ref && len(last.a.Citations) == 1 {
				current = i
			}
		}
	}
	i, ok := p.index(len(ps), current)
	if !ok {
		a.Text = fmt.Sprintf(say(a.Lang, "%s 的时间安排共 %d 个阶段，没有您说的那一个。", "%s has %d phase(s), not that one."), n.Name(), len(ps))
		return a
	}
	ph := ps[i]
	a.Found = true
	var b strings.Builder
	fmt.Fprintf(&b, say(a.Lang, "第%d阶段：", "Phase %d: "), i+1)
	writePhase(&b, ph)
	fmt.Fprintf(&b, "“%s”\n", clip(ph.text, 120))
	if e := ix.entryByID(ph.entryID); e != nil {
		c := citationOf(e)
		a.Citations = append(a.Citations, c)
		fmt.Fprintf(&b, say(a.Lang, "来源：%s", "Source: %s"), c.Label)
	}
	a.Text = strings.TrimRight(b.String(), "\n")
	return a
}

// writePhase writes a phase's title and dates.
func writePhase(b *strings.Builder, ph phase) {
	if ph.date == nil {
		fmt.Fprintf(b, "%s\n", ph.title)
		return
	}
	d := *ph.date
	d.Title = ph.title
	writeDate(b, d)
}

// phaseWords are the words of a question for phases that say nothing of
// which notice: 分几个阶段, 实施步骤有哪几步, 分别叫啥.
var phaseWords = regexp.MustCompile(`分?几个|有哪些|哪几步?|几步|一共|分别|叫啥|叫什么|都有|有几个|实施|工作|阶段|步骤|分`)

// phasesAsked reports a question that asks for a notice's phases or steps
// as a list: 分几个阶段, 有哪些工作阶段, 实施步骤有哪几步, what are the phases.
func phasesAsked(norm string) bool {
	return containsAny(norm, []string{"阶段", "步骤", "几步", "哪几步"}) &&
		containsAny(norm, []string{"几个", "哪几", "哪些", "分几", "有几", "几步", "一共", "分别", "都有", "有哪"})
}

// answerPhases lists the phases of the notices a question names, or of
// the notice whose phases best match its topic.
func (ix *Index) answerPhases(ctx context.Context, q Query, opt AnswerOptions, a *Answer) error {
	docs := q.Docs
	if len(docs) == 0 {
		topic := phaseWords.ReplaceAllString(q.Topic, " ")
		hits, err := ix.SearchIn(ctx, topic, 10, opt.Notices)
		if err != nil {
			return err
		}
		byCoverage(hits)
		for _, h := range hits {
			if h.Coverage >= minCoverage && len(phases(h.Entry.Notice)) > 0 {
				docs = []string{h.Entry.Notice.Doc}
				break
			}
		}
	}
	var b strings.Builder
	for _, n := range ix.Corpus.Notices {
		if !slices.Contains(docs, n.Doc) {
			continue
		}
		ps := phases(n)
		if len(ps) == 0 {
			continue
		}
		fmt.Fprintf(&b, say(q.Lang, "%s 分 %d 个阶段：\n", "%s has %d phases:\n"), n.Name(), len(ps))
		for i, ph := range ps {
			fmt.Fprintf(&b, "%d. ", i+1)
			writePhase(&b, ph)
			if e := ix.entryByID(ph.entryID); e != nil {
				a.Citations = append(a.Citations, citationOf(e))
			}
		}
		if len(a.Citations) > 0 {
			fmt.Fprintf(&b, say(q.Lang, "来源：%s\n", "Source: %s\n"), noticeLabel(n))
		}
		if len(a.Citations) > 0 {
			break // one notice: the one asked about
		}
	}
	if len(a.Citations) == 0 {
		return nil
	}
	a.Found = true
	a.Text = strings.TrimRight(b.String(), "\n")
	return nil
}

// writeDate writes one date line: the title, the words that set it and
// the dates they mean.
func writeDate(b *strings.Builder, d corpus.Deadline) {
	fmt.Fprintf(b, "%s：%s\n", firstNonEmpty(d.Title, "时间"), dateWords(d))
}

// dateWords is the words that set a date followed by the dates they mean
// in brackets; a date the words do not pin down (按时, 长期坚持) gets no
// brackets rather than empty ones.
func dateWords(d corpus.Deadline) string {
	switch {
	case d.Start != "" && d.Date != "" && d.Start != d.Date:
		return fmt.Sprintf("%s（%s 至 %s）", d.Phrase, d.Start, d.Date)
	case d.Date != "":
		return fmt.Sprintf("%s（%s）", d.Phrase, d.Date)
	}
	return d.Phrase
}

// nthTask shows the nth task of a notice, from 1.
func (ix *Index) nthTask(c *Conversation, doc string, n int) (Answer, bool) {
	last := c.last
	for _, x := range ix.Corpus.Notices {
		if x.Doc != doc || n < 1 || n > len(x.Tasks) {
			continue
		}
		e := ix.entryByID(x.Doc + "#" + x.Tasks[n-1].Ref)
		if e == nil {
			return Answer{}, false
		}
		a := ix.expand(&turn{q: last.q, a: Answer{Intent: last.a.Intent, Lang: last.a.Lang, Citations: []Citation{citationOf(e)}}}, 1)
		c.last = &turn{q: last.q, a: a}
		return a, true
	}
	return Answer{}, false
}
