package retrieval

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/assignbot/assignbot/corpus"
)

// Answer is what assignbot says to a question.
type Answer struct {
	Question   string     `json:"question"`
	Found      bool       `json:"found"`
	Intent     string     `json:"intent"`
	Text       string     `json:"answer"`
	Citations  []Citation `json:"citations"`
	TookMS     int64      `json:"took_ms"`
	Source     string     `json:"source"` // offline or llm
	Incomplete bool       `json:"incomplete,omitempty"`
	Lang       string     `json:"lang"`
	// A unit listing has Total tasks; asked for a page, it shows page Page
	// (from 1) of Pages. Zero for other answers.
	Page  int `json:"page,omitempty"`
	Pages int `json:"pages,omitempty"`
	Total int `json:"total,omitempty"`
	// told is set on an answer not found whose text says why in its own
	// words (the task asked about sets no date): no generic not-found
	// text replaces it.
	told bool
}

// AnswerOptions narrow an answer.
type AnswerOptions struct {
	// Page of a unit listing to show, from 1, UnitPageSize tasks a page;
	// 0 lists every task in one answer.
	Page int
	// Notices restricts the answer to these notices (their Doc names): a
	// chat's scope. Empty: every notice.
	Notices []string
}

// Citation points at the task, clause or passage an answer rests on.
type Citation struct {
	Doc              string   `json:"doc"`
	Title            string   `json:"title"`
	Label            string   `json:"label"` // 武政办〔2021〕22号 二(二)3
	Ref              string   `json:"ref"`
	Clause           int      `json:"clause"`
	Kind             string   `json:"kind"`
	LeadUnits        []string `json:"lead_units"`
	ResponsibleUnits []string `json:"responsible_units"`
	Text             string   `json:"text"`
	Lead             bool     `json:"-"` // for unit listings: the unit leads this one
	// Extracted is "model" for a task a chat model proposed (the rules
	// could not read it); its label says so wherever it is cited.
	Extracted string `json:"extracted,omitempty"`
	// Leader is the task's responsible leader (a person), GuideUnits the
	// units written as guiding it, when the notice names them.
	Leader     string   `json:"leader,omitempty"`
	GuideUnits []string `json:"guide_units,omitempty"`
	entryID    string   // the entry it was made from, for follow-ups
}

// minCoverage is how much of a question's content an entry must contain
// for assignbot to say it found something. Below it, the honest answer is
// that the notices do not say.
const minCoverage = 0.45

// AnswerOffline answers from the index alone: structured data for unit
// questions, retrieval and extraction for the rest.
func (ix *Index) AnswerOffline(ctx context.Context, question string) (Answer, error) {
	return ix.AnswerOfflineWith(ctx, question, AnswerOptions{})
}

// AnswerOfflineWith is AnswerOffline with options: a page of a unit
// listing, a scope of notices.
func (ix *Index) AnswerOfflineWith(ctx context.Context, question string, opt AnswerOptions) (Answer, error) {
	start := time.Now()
	q := ix.understand(question)
	a, err := ix.answerQuery(ctx, q, opt)
	a.TookMS = time.Since(start).Milliseconds()
	return a, err
}

func (ix *Index) answerQuery(ctx context.Context, q Query, opt AnswerOptions) (Answer, error) {
	a := Answer{Question: q.Question, Intent: q.Intent, Source: "offline", Lang: q.Lang, Citations: []Citation{}}
	q, opt = q.scoped(opt)
	if strings.TrimSpace(q.Topic) == "" && q.Intent == IntentRoster && len(q.Docs) > 0 {
		q.Topic = ix.groupNames(q.Docs) // 职教联席会那个批复里国资委是谁: its group
	}
	itemNo := 0
	if len(q.Docs) > 0 {
		itemNo = itemNumberAsked(q.read()) // 第二十条谁牵头 has no other topic
	}
	if overviewAsked(q) && itemNo == 0 && !q.noNotice() {
		// 国发〔2018〕42号 alone: what the notice is.
		ix.answerOverview(q, &a)
		if a.Found {
			return a, nil
		}
	}
	if s := ix.absentText(q); s != "" || q.noNotice() || (strings.TrimSpace(q.Topic) == "" && q.Intent != IntentUnit && itemNo == 0) {
		a.Text = ix.notFoundText(q)
		return a, nil
	}
	var err error
	leader := ""
	if q.Unit == "" && q.Intent != IntentRoster {
		leader = ix.leaderIn(corpus.Normalize(q.Question))
	}
	switch {
	case leader != "":
		ix.answerLeader(q, leader, &a)
	case q.Intent != IntentUnit && q.Intent != IntentRoster && ix.answerDueWindow(q, &a):
		// 年底前要完成什么: the tasks due in that window.
	case q.Intent != IntentUnit && q.Intent != IntentRoster && phasesAsked(q.read()):
		err = ix.answerPhases(ctx, q, opt, &a)
	case issuerAskedRe.MatchString(q.read()) && len(q.Docs) > 0 && len(q.Docs) <= maxOverviewNotices && q.Unit == "":
		// 国发〔2018〕42号是哪个单位印发的: the notice's issuer.
		ix.answerIssuer(q, &a)
	case noticeDateAsked(q.read()) && (len(q.Docs) > 0 || len(ix.datedNotices(q)) > 0):
		if len(q.Docs) == 0 {
			q.Docs = ix.datedNotices(q)
		}
		ix.answerNoticeDate(q, &a)
	case q.Intent == IntentUnit:
		ix.answerUnit(q, opt, &a)
		ix.detailListing(q, &a)
	case q.Intent == IntentRoster:
		err = ix.answerRoster(ctx, q, opt, &a)
	case q.Intent == IntentDeadline:
		err = ix.answerDeadline(ctx, q, opt, &a)
	case q.Intent == IntentFact:
		err = ix.answerFact(ctx, q, opt, &a)
	case itemNo > 0 && ix.answerItemNumber(q, itemNo, &a):
		// 分解方案第1项谁牵头: the task numbered so in the notice named.
	default:
		err = ix.answerTask(ctx, q, opt, &a)
	}
	if !a.Found && q.Intent != IntentRoster && len(q.Docs) > 0 {
		// 无废城市方案里国管局要指导哪几项: what the unit guides there.
		ix.answerGuide(q, &a)
	}
	if a.Found && q.Intent != IntentUnit && q.Intent != IntentRoster {
		if s := missingProject(q, a); s != "" {
			return Answer{Question: a.Question, Intent: a.Intent, Source: a.Source, Lang: a.Lang, Citations: []Citation{}, Text: s}, err
		}
	}
	if !a.Found {
		if a.Text == "" || q.Intent != IntentRoster && !a.told {
			a.Text = ix.notFoundText(q)
		}
		a.Citations = []Citation{}
	} else {
		a.Text = ix.whichNotice(q, &a) + a.Text
		if q.Lang == "en" {
			a.Text += searchedFor(q)
		}
	}
	return a, err
}

func (ix *Index) notFoundText(q Query) string {
	if s := ix.absentText(q); s != "" {
		return s
	}
	if q.Lang == "en" {
		return "No matching task was found in the loaded notices." + searchedFor(q)
	}
	if q.Topic != "" {
		return fmt.Sprintf("没有找到相关任务：已加载的通知里没有提到“%s”。", q.Topic)
	}
	return "没有找到相关任务。"
}

// Retrieve returns the hits an answer to q would rest on, for the LLM path.
func (ix *Index) Retrieve(ctx context.Context, q Query) ([]Hit, error) {
	return ix.retrieve(ctx, q, AnswerOptions{})
}

func (ix *Index) retrieve(ctx context.Context, q Query, opt AnswerOptions) ([]Hit, error) {
	kinds := []string{}
	switch q.Intent {
	case IntentLead, IntentResp:
		kinds = []string{KindTask, KindClause}
	case IntentDeadline:
		kinds = []string{KindDeadline, KindPassage, KindTask}
	case IntentRoster:
		kinds = []string{KindGroup, KindPassage}
	}
	hits, err := ix.SearchIn(ctx, q.Topic, 20, opt.Notices, kinds...)
	if err != nil {
		return nil, err
	}
	if q.Intent == IntentDeadline {
		byCoverage(hits)
	}
	return dropAncestors(selectHits(hits, 5)), nil
}

// dropAncestors leaves out a section cited beside an item inside it
// (二(四) beside 二(四)-1.2): the item is what answers.
func dropAncestors(hits []Hit) []Hit {
	var out []Hit
	for i, h := range hits {
		inner := false
		for j, o := range hits {
			if i != j && o.Entry.Notice == h.Entry.Notice && h.Entry.Ref != "" && o.Entry.Ref != h.Entry.Ref &&
				strings.HasPrefix(o.Entry.Ref, h.Entry.Ref) {
				inner = true
				break
			}
		}
		if !inner {
			out = append(out, h)
		}
	}
	return out
}

// selectHits keeps the best hit and the hits close to it: one per notice
// unless two in the same notice are equally good, so that every notice
// with such a task is cited, not just the first.
func selectHits(hits []Hit, limit int) []Hit {
	if len(hits) == 0 || hits[0].Coverage < minCoverage {
		// The best-scored hit may not be the best-covered one.
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].Coverage > hits[j].Coverage })
		if len(hits) == 0 || hits[0].Coverage < minCoverage {
			return nil
		}
	}
	top := hits[0]
	out := []Hit{top}
	perNotice := map[string]int{top.Entry.Notice.Doc: 1}
	seenTask := map[*corpus.Task]bool{}
	if top.Entry.Task != nil {
		seenTask[top.Entry.Task] = true
	}
	for _, h := range hits[1:] {
		if len(out) >= limit {
			break
		}
		if h.Entry.Task != nil && seenTask[h.Entry.Task] {
			continue
		}
		doc := h.Entry.Notice.Doc
		need := selectOtherNotice * top.Coverage
		if perNotice[doc] > 0 {
			need = 0.97 * top.Coverage
		}
		if h.Coverage < max(need, minCoverage) {
			continue
		}
		out = append(out, h)
		perNotice[doc]++
		if h.Entry.Task != nil {
			seenTask[h.Entry.Task] = true
		}
	}
	return out
}

// answerTask answers who leads or is responsible for a task.
func (ix *Index) answerTask(ctx context.Context, q Query, opt AnswerOptions, a *Answer) error {
	// One search over tasks and the passages and dates beside them: the
	// tasks answer when they say what is asked, else the passage that
	// says it (who a report goes to, who writes the summary).
	all, err := ix.SearchIn(ctx, q.Topic, 30, opt.Notices, KindTask, KindClause, KindPassage, KindDeadline)
	if err != nil {
		return err
	}
	var tasks, passages []Hit
	for _, h := range all {
		if h.Entry.Kind == KindTask || h.Entry.Kind == KindClause {
			tasks = append(tasks, h)
		} else {
			passages = append(passages, h)
		}
	}
	hits := evidence(dropAncestors(selectHits(tasks, 5)), q.Topic)
	if len(hits) == 0 {
		return ix.answerPassage(q, passages, a)
	}
	if q.Asked && (q.Intent == IntentLead || q.Intent == IntentResp) && !slices.ContainsFunc(hits, func(h Hit) bool {
		e := h.Entry
		return len(e.Lead)+len(e.Resp) > 0 || e.Task != nil && (e.Task.Leader != "" || len(e.Task.GuideUnits) > 0)
	}) {
		// Asked who, and the tasks about it name nobody (a row cut off
		// before its units): the notice does not say, which is not an
		// answer with 未列明 twice.
		a.told = true
		var labels []string
		for _, h := range hits {
			labels = append(labels, citationOf(h.Entry).Label)
		}
		a.Text = say(q.Lang, "没有找到负责单位：", "No responsible unit found: ") + strings.Join(labels, "、") +
			say(q.Lang, " 没有写明由哪个单位负责。", " names no unit.")
		return nil
	}
	a.Found = true
	var b strings.Builder
	for i, h := range hits {
		c := citationOf(h.Entry)
		a.Citations = append(a.Citations, c)
		if i > 0 {
			b.WriteString("\n")
		}
		writeTaskBlock(&b, q, c, quoteFor(h.Entry, q.Topic))
	}
	a.Text = strings.TrimRight(b.String(), "\n")
	return nil
}

func writeTaskBlock(b *strings.Builder, q Query, c Citation, quote string) {
	lead, resp, source, none := "牵头单位：", "责任单位：", "来源：", "未列明"
	if q.Lang == "en" {
		lead, resp, source, none = "Lead units: ", "Responsible units: ", "Source: ", "not named"
	}
	units := func(us []string) string {
		if len(us) == 0 {
			return none
		}
		return strings.Join(us, "、")
	}
	if q.Intent == IntentResp && len(c.ResponsibleUnits) > 0 {
		fmt.Fprintf(b, "%s%s\n%s%s\n", resp, units(c.ResponsibleUnits), lead, units(c.LeadUnits))
	} else {
		fmt.Fprintf(b, "%s%s\n%s%s\n", lead, units(c.LeadUnits), resp, units(c.ResponsibleUnits))
	}
	writeTaskPeople(b, q, c)
	fmt.Fprintf(b, "“%s”\n%s%s\n", quote, source, c.Label)
}

// answerDeadline answers when something is due or a phase runs.
func (ix *Index) answerDeadline(ctx context.Context, q Query, opt AnswerOptions, a *Answer) error {
	hits, err := ix.retrieve(ctx, q, opt)
	if err != nil || len(hits) == 0 {
		return err
	}
	if ev := evidence(hits, q.Topic); len(ev) > 0 {
		hits = ev // the places that say what is asked, when some do
	}
	// Entries that set a date answer "when"; the rest only give context.
	sort.SliceStable(hits, func(i, j int) bool {
		return len(ix.dueDatesOf(hits[i].Entry)) > 0 && len(ix.dueDatesOf(hits[j].Entry)) == 0
	})
	a.Found = true
	var b strings.Builder
	want := bigrams(tokens(corpus.Normalize(q.Topic)))
	seen := map[string]bool{}
	for _, h := range hits[:min(3, len(hits))] {
		e := h.Entry
		if seen[e.Notice.Doc+"#"+e.Ref] {
			continue // a deadline and its phase passage are one place
		}
		seen[e.Notice.Doc+"#"+e.Ref] = true
		// Of the dates an entry sets, the ones whose sentence is about
		// the question.
		var dates []corpus.Deadline
		best := -1
		for _, d := range ix.dueDatesOf(e) {
			key := e.Notice.Doc + d.Date + d.Phrase
			if seen[key] {
				continue
			}
			switch s := overlap(d.Text+d.Title, want); {
			case s > best:
				dates, best = []corpus.Deadline{d}, s
			case s == best:
				dates = append(dates, d)
			}
		}
		if len(dates) == 0 && len(ix.dueDatesOf(e)) > 0 {
			continue // said already
		}
		c := citationOf(e)
		a.Citations = append(a.Citations, c)
		// The sentence about what is asked, read without the words of the
		// notice's own title (人才集聚工程 is in every sentence's notice);
		// when it sets a time the dates do not hold (于2012年10月底前牵头
		// 制定完成具体实施细则 beside 2012年底前), that time answers.
		quote := dateQuote(e, dates, withoutTitle(q.Topic, e.Notice))
		if t := sentenceTime(quote); t != "" && !slices.ContainsFunc(dates, func(d corpus.Deadline) bool {
			return strings.Contains(d.Phrase, t) || strings.Contains(t, d.Phrase)
		}) {
			fmt.Fprintf(&b, "时间：%s\n", t)
		} else {
			for _, d := range dates {
				seen[e.Notice.Doc+d.Date+d.Phrase] = true
				writeDate(&b, d)
			}
		}
		writeUnitsLine(&b, q, c)
		fmt.Fprintf(&b, "“%s”\n来源：%s\n", quote, c.Label)
	}
	a.Text = strings.TrimRight(b.String(), "\n")
	if len(a.Citations) > 0 && !slices.ContainsFunc(a.Citations, func(c Citation) bool {
		e := ix.entryOf(c)
		return e == nil || len(ix.dueDatesOf(e)) > 0 || ix.schedule(e.Notice, q.Lang) != "" || timeWordRe.MatchString(startRe.ReplaceAllString(e.Text, ""))
	}) {
		// Asked when, and the places about it set no date, say no time
		// and their notice has no timetable: the notice does not say,
		// which is not the same as answering.
		a.Found, a.told = false, true
		a.Text = say(q.Lang, "没有找到完成时限：", "No completion date found: ") + strings.Join(labelsOf(a.Citations), "、") +
			say(q.Lang, " 没有写明完成时间。", " gives no completion date.")
	}
	return nil
}

// timeWordRe finds words of time in a text the deadline reader may not
// turn into a date (2019年上半年, 年底, 每季度): a place that says one
// answers "when" with its quote.
var timeWordRe = regexp.MustCompile(`(?:19|20)\d\d\s*年|\d{1,2}\s*月|上半年|下半年|年底|年内|月底|季度|日内|之日起|周内|天内|前完成|限期`)

// sentenceTime returns the due time a quote sets, as written, with the
// 前 that makes it a deadline (2012年10月底前); "" when it sets none or
// only a start (从2019年1月1日起).
func sentenceTime(quote string) string {
	quote = startRe.ReplaceAllString(quote, " ")
	loc := timeRe.FindStringIndex(quote)
	if loc == nil {
		return ""
	}
	t := quote[loc[0]:loc[1]]
	for _, p := range []string{"底前", "前", "以前", "之前"} {
		if rest := quote[loc[1]:]; strings.HasPrefix(rest, p) && !strings.HasSuffix(t, p) {
			t += p
			break
		}
	}
	if !strings.HasSuffix(t, "前") {
		return "" // 2012年 alone says when, not by when
	}
	return t
}

// withoutTitle drops from a topic the runs of three or more characters
// that the notice's title holds: they are in every place of it and tell
// none apart.
func withoutTitle(topic string, n *corpus.Notice) string {
	title := corpus.Normalize(n.Title + " " + n.PlanTitle)
	rs := []rune(corpus.Normalize(topic))
	var b strings.Builder
	for i := 0; i < len(rs); {
		l := 0
		for j := len(rs); j >= i+3; j-- {
			if strings.Contains(title, string(rs[i:j])) {
				l = j - i
				break
			}
		}
		if l > 0 {
			b.WriteByte(' ')
			i += l
			continue
		}
		b.WriteRune(rs[i])
		i++
	}
	if t := strings.Join(strings.Fields(b.String()), " "); t != "" {
		return t
	}
	return topic
}

// startRe finds a time a thing starts from (从2019年1月1日起, 自2020年起):
// a start, not the date it is due.
var startRe = regexp.MustCompile(`(?:从|自)[^，。；,;：:]{0,20}?起`)

// dueDatesOf returns the dates an entry sets that say when something is
// due: a date the thing starts from (从2019年1月1日起，实施三年百万青年
// 见习计划) does not say when it is done.
func (ix *Index) dueDatesOf(e *Entry) []corpus.Deadline {
	ds := ix.datesOf(e)
	return slices.DeleteFunc(slices.Clone(ds), func(d corpus.Deadline) bool {
		if d.Phrase == "" {
			return false
		}
		for _, span := range startRe.FindAllString(d.Text, -1) {
			if strings.Contains(span, d.Phrase) {
				return true
			}
		}
		return false
	})
}

// labelsOf returns the labels of citations.
func labelsOf(cs []Citation) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Label
	}
	return out
}

// overlap counts the bigrams of want that text contains.
func overlap(text string, want []string) int {
	norm := corpus.Normalize(text)
	n := 0
	for _, t := range want {
		if strings.Contains(norm, t) {
			n++
		}
	}
	return n
}

// datesOf returns the dates an entry sets.
func (ix *Index) datesOf(e *Entry) []corpus.Deadline {
	switch {
	case e.Deadline != nil:
		return []corpus.Deadline{*e.Deadline}
	case e.Task != nil:
		return e.Task.Deadlines
	}
	var out []corpus.Deadline
	for _, d := range e.Notice.Deadlines {
		if d.Ref == e.Ref && d.Ref != "" {
			out = append(out, d)
		}
	}
	return out
}

// answerFact answers targets and facts with the sentence that states them:
// for "how many", the sentence with the number and its measure word.
func (ix *Index) answerFact(ctx context.Context, q Query, opt AnswerOptions, a *Answer) error {
	hits, err := ix.SearchIn(ctx, q.Topic, 20, opt.Notices)
	if err != nil {
		return err
	}
	measure, number := askedMeasure(q.read())
	if !number {
		hits = onePerPlace(selectHits(hits, 4))
	} else {
		// Asked how many: of the places about the subject, the ones whose
		// sentence states the number, with the measure and year asked.
		hits = onePerPlace(coveredHits(hits))
	}
	hits = dropAncestors(hits)
	if ev := evidence(hits, q.Topic); len(ev) > 0 {
		hits = ev // the places that say what is asked, when some do
	}
	if number && len(q.Docs) > 0 && !slices.ContainsFunc(hits, func(h Hit) bool { return quantity(factQuote(h.Entry, q.Topic, measure), measure) }) {
		// Asked how many, and the places found state no such figure: a
		// figure the notice states of itself in its prose (选择10个左右
		// 城市), if it does.
		if stated := ix.statedFigures(q, measure); len(stated) > 0 {
			hits = stated
		}
	}
	if len(hits) == 0 {
		return nil
	}
	want := bigrams(tokens(corpus.Normalize(q.Topic)))
	quotes := make([]string, len(hits))
	scores := make([]int, len(hits))
	numbered := 0
	for i, h := range hits {
		quotes[i] = quoteFor(h.Entry, q.Topic)
		if number {
			quotes[i] = factQuote(h.Entry, q.Topic, measure)
			year := ""
			for _, s := range sentences(stripMarkers(h.Entry.Text)) {
				if y := yearRe.FindString(s); y != "" {
					year = y
				}
				scores[i] = max(scores[i], factScore(year+" "+s, want, measure))
			}
		}
		if quantity(quotes[i], measure) {
			numbered++
		}
	}
	order := make([]int, len(hits))
	for i := range order {
		order[i] = i
	}
	if number {
		sort.SliceStable(order, func(x, y int) bool { return scores[order[x]] > scores[order[y]] })
	}
	a.Found = true
	var b strings.Builder
	for _, i := range order {
		h := hits[i]
		// Asked how many, a place that states no number is not cited
		// beside one that does, nor one that says less than the best.
		if number && numbered > 0 && (!quantity(quotes[i], measure) || scores[i] < scores[order[0]]-2) || len(a.Citations) == 3 {
			continue
		}
		c := citationOf(h.Entry)
		a.Citations = append(a.Citations, c)
		writeUnitsLine(&b, q, c)
		fmt.Fprintf(&b, "“%s”\n来源：%s\n", quotes[i], c.Label)
	}
	if len(a.Citations) == 0 {
		a.Found = false // every place was left out: nothing to say
		return nil
	}
	if number && numbered == 0 {
		b.WriteString(say(q.Lang, "（通知里没有写明具体数字。）\n", "(The notice gives no figure.)\n"))
	}
	a.Text = strings.TrimRight(b.String(), "\n")
	return nil
}

// statedFigures finds, in the notices a question names, the passages
// that state a figure of the measure asked in a sentence about the
// question's subject — a total a notice gives of itself in its prose
// (明确133项具体任务，涉及34个牵头单位), which no task holds and a
// question's many words (一共, 涉及, 具体) keep from covering. The best
// first; none unless the question names its notices.
func (ix *Index) statedFigures(q Query, measure string) []Hit {
	if len(q.Docs) == 0 {
		return nil
	}
	want := bigrams(tokens(corpus.Normalize(q.Topic)))
	type scored struct {
		h Hit
		s int
	}
	var found []scored
	for _, n := range ix.Corpus.Notices {
		if !slices.Contains(q.Docs, n.Doc) {
			continue
		}
		for i := range n.Passages {
			p := &n.Passages[i]
			e := ix.entryByID(n.Doc + "#p" + p.Ref + "#" + itoa(p.Line))
			if e == nil {
				continue
			}
			best := 0
			for _, s := range sentences(p.Text) {
				if quantity(s, measure) && overlap(s, want) >= min(2, len(want)) && overlap(s, want) > 0 {
					best = max(best, factScore(s, want, measure))
				}
			}
			if best > 0 {
				found = append(found, scored{Hit{Entry: e}, best})
			}
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].s > found[j].s })
	var out []Hit
	for _, f := range found {
		if f.s >= found[0].s-2 && len(out) < 2 {
			out = append(out, f.h)
		}
	}
	return out
}

// coveredHits are the hits that hold enough of the question, best covered
// first; none when even the best holds too little.
func coveredHits(hits []Hit) []Hit {
	byCoverage(hits)
	if len(hits) == 0 || hits[0].Coverage < minCoverage {
		return nil
	}
	var out []Hit
	for _, h := range hits {
		if h.Coverage >= max(minCoverage, 0.7*hits[0].Coverage) {
			out = append(out, h)
		}
	}
	return out
}

// onePerPlace keeps the first hit of each place in a notice: a task and
// its clause, a passage and its deadline, are one place to cite.
func onePerPlace(hits []Hit) []Hit {
	seen := map[string]bool{}
	var out []Hit
	for _, h := range hits {
		key := h.Entry.Notice.Doc + "#" + h.Entry.Ref
		if h.Entry.Ref == "" {
			key = h.Entry.ID
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, h)
	}
	return out
}

// answerPassage answers who does something from the passages and dates
// that say it, when no task does: the sentence that says it, quoted.
func (ix *Index) answerPassage(q Query, hits []Hit, a *Answer) error {
	if q.noNotice() {
		return nil
	}
	hits = evidence(onePerPlace(selectHits(hits, 2)), q.Topic)
	if q.Intent == IntentLead || q.Intent == IntentResp {
		// Asked who: a passage that names nobody (优先稳就业保民生……)
		// is not an answer, however well it matches the subject.
		names := unitNames(ix)
		hits = slices.DeleteFunc(hits, func(h Hit) bool { return !namesSomeone(h.Entry.Text, names) })
	}
	if len(hits) == 0 {
		return nil
	}
	a.Found = true
	var b strings.Builder
	for _, h := range hits {
		c := citationOf(h.Entry)
		a.Citations = append(a.Citations, c)
		// The span that names who: longer than a task's quote, since a
		// requirement says what, when and to whom in one sentence.
		fmt.Fprintf(&b, "“%s”\n%s%s\n", passageQuote(h.Entry, q.Topic), say(q.Lang, "来源：", "Source: "), c.Label)
	}
	a.Text = strings.TrimRight(b.String(), "\n")
	return nil
}

// namesSomeone reports whether a passage names a unit or says who does
// the work (牵头, 负责, 承担, 会同, 设在).
func namesSomeone(text string, names map[string]string) bool {
	norm := corpus.Normalize(text)
	if containsAny(norm, []string{"牵头", "负责", "承担", "会同", "设在", "配合", "参与"}) {
		return true
	}
	_, unit := findUnit(norm, names)
	return unit != ""
}

// byCoverage orders hits by how much of the question they contain.
func byCoverage(hits []Hit) {
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Coverage > hits[j].Coverage })
}

// citationOf makes the citation of an entry.
func citationOf(e *Entry) Citation {
	n := e.Notice
	c := Citation{Doc: n.Doc, Title: n.Title, Ref: e.Ref, Clause: e.Clause, Kind: e.Kind,
		LeadUnits: orEmpty(e.Lead), ResponsibleUnits: orEmpty(e.Resp), Text: e.Text, entryID: e.ID}
	if e.Task != nil {
		c.Leader, c.GuideUnits = e.Task.Leader, e.Task.GuideUnits
	}
	c.Label = strings.TrimSpace(n.Name() + " " + e.Ref)
	if e.Clause > 0 {
		c.Label += fmt.Sprintf(" 第%d句", e.Clause)
	}
	if e.Kind == KindGroup {
		c.Label = n.Name() + " 领导小组"
	}
	if e.Task != nil && e.Task.Extracted != "" {
		c.Extracted = e.Task.Extracted
		c.Label += "（模型提取，请核对原文）"
	}
	return c
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// quoteFor picks the sentence of an entry that best matches the topic,
// without its unit marker, clipped to a short quote.
func quoteFor(e *Entry, topic string) string {
	want := bigrams(tokens(corpus.Normalize(topic)))
	best, bestScore := "", -1
	for _, s := range sentences(stripMarkers(e.Text)) {
		if score := overlap(s, want); score > bestScore {
			best, bestScore = s, score
		}
	}
	return clip(best, 80)
}

// taskSummary is the first sentence of a task without its marker.
func taskSummary(e *Entry) string {
	ss := sentences(stripMarkers(e.Text))
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}

// stripMarkers removes unit markers (bracketed text naming units) from a
// task's text for quoting; the units are shown separately.
func stripMarkers(s string) string {
	var b strings.Builder
	depth := 0
	start := 0
	rs := []rune(s)
	for i, r := range rs {
		switch r {
		case '(', '（', '〔', '[', '［', '【':
			if depth == 0 {
				start = i
			}
			depth++
		case ')', '）', '〕', ']', '］', '】':
			if depth > 0 {
				depth--
				if depth == 0 {
					inner := string(rs[start : i+1])
					if !strings.Contains(corpus.Normalize(inner), "单位") && !strings.Contains(inner, "牵头") {
						b.WriteString(inner)
					}
				}
				continue
			}
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

func sentences(s string) []string {
	var out []string
	cur := []rune{}
	for _, r := range s {
		cur = append(cur, r)
		if r == '。' || r == '；' || r == ';' || r == '\n' {
			if t := strings.TrimSpace(string(cur)); t != "" && t != "。" {
				out = append(out, t)
			}
			cur = cur[:0]
		}
	}
	if t := strings.TrimSpace(string(cur)); t != "" {
		out = append(out, t)
	}
	return out
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// FindTask finds a task by a notice (file name prefix, document number or
// words of its title) and a ref (二(二)3, or a unique ending such as 242).
func (ix *Index) FindTask(notice, ref string) (*corpus.Notice, *corpus.Task, bool) {
	nq, rq := corpus.Normalize(notice), corpus.Normalize(ref)
	for _, n := range ix.Corpus.Notices {
		if !(strings.HasPrefix(n.Doc, notice) || (nq != "" && (strings.Contains(corpus.Normalize(n.Name()), nq) ||
			strings.Contains(corpus.Normalize(n.Title), nq) || strings.Contains(corpus.Normalize(n.DocNumber), nq)))) {
			continue
		}
		var suffix []*corpus.Task
		for _, t := range n.Tasks {
			tr := corpus.Normalize(t.Ref)
			if tr == rq {
				return n, t, true
			}
			if strings.HasSuffix(tr, rq) {
				suffix = append(suffix, t)
			}
		}
		if len(suffix) == 1 {
			return n, suffix[0], true
		}
	}
	return nil, nil, false
}

// selectOtherNotice is how close to the best hit a hit in another notice
// must come to be cited beside it: a reader keeps a second notice's task
// only when it is about the same thing.
const selectOtherNotice = 0.9

// passageQuote is the sentence of a passage about the topic, clipped
// long enough to keep who it names.
func passageQuote(e *Entry, topic string) string {
	want := bigrams(tokens(corpus.Normalize(topic)))
	best, bestScore := "", -1
	for _, s := range sentences(e.Text) {
		if score := overlap(s, want); score > bestScore {
			best, bestScore = s, score
		}
	}
	return clip(best, 160)
}
