package retrieval

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/assignbot/assignbot/corpus"
)

// Conversation is what a chat has said so far: the last answer's question,
// intent, notices, cited tasks and units, and the chat's scope. A
// follow-up is read against it — "那它的配合单位呢？", "它什么时候完成？",
// "这份方案的中期评估安排在什么时候？", "那市经信局呢？", "第二个呢",
// "还有吗" — and a complete new question replaces it.
//
// A Conversation belongs to one chat (one person in a group) and is not
// safe for concurrent use; the bot keeps one per chat and person, the CLI
// one per run of `ask`.
type Conversation struct {
	Scope Scope // the chat's scope; no Docs and no Text: every notice
	last  *turn
}

// turn is one answered question.
type turn struct {
	q Query
	a Answer
	// list is the list an item was picked from (第二个, 上一项), at its
	// place in it: the next position counts in the same list.
	list []Citation
	at   int
}

// Forget drops the context; the scope stays.
func (c *Conversation) Forget() { c.last = nil }

// Clone returns a copy that answers on from the same context without
// changing this one (the bot answers a reply to an old message so).
func (c *Conversation) Clone() *Conversation {
	if c == nil {
		return &Conversation{}
	}
	cp := *c
	return &cp
}

// Converse answers a question in a conversation: follow-ups are read
// against its last answer, and everything is limited to its scope.
func (a *Answerer) Converse(ctx context.Context, c *Conversation, question string) (Answer, error) {
	return a.ConverseWith(ctx, c, question, AnswerOptions{})
}

// ConverseWith is Converse with options (the page of a unit listing).
func (a *Answerer) ConverseWith(ctx context.Context, c *Conversation, question string, opt AnswerOptions) (Answer, error) {
	start := time.Now()
	if c == nil {
		c = &Conversation{}
	}
	ix := a.ix
	q := ix.understand(question)
	var ans Answer
	var err error
	handled := false
	if c.last != nil {
		ans, handled = ix.followUp(c, &q)
	}
	if !handled {
		if q.Docs == nil && (c.Scope.Docs != nil || c.Scope.Text != "") {
			q.Docs, q.Where = c.Scope.Docs, c.Scope.Text
			if q.Docs == nil {
				q.Docs = []string{}
			}
		}
		chatScope := c.Scope.Text != "" && q.Where == c.Scope.Text
		ans, err = a.answerQuery(ctx, q, opt)
		if err != nil {
			return ans, err
		}
		if !ans.Found && q.swapped {
			// The words of one notice may not be the other's (发展夜间经济,
			// 夜间经济发展): the subject without the verb that led it.
			if t := leadingVerb.ReplaceAllString(q.Topic, ""); t != q.Topic && utf8Len(t) >= 2 {
				rq := q
				rq.Topic = t
				if again, err := a.answerQuery(ctx, rq, opt); err == nil && again.Found {
					ans = again
				}
			}
		}
		if !ans.Found && !ans.told && q.Docs != nil && !strings.HasPrefix(ans.Text, "没有找到单位") && !strings.HasPrefix(ans.Text, say(q.Lang, "没有找到“", "Not found")) {
			ans.Text = ix.outOfScope(ctx, q, chatScope)
		}
	}
	if !handled {
		// A new question replaces the context, found or not: "那国发〔2018〕
		// 39号里呢" after a not-found asks it again elsewhere.
		c.last = &turn{q: q, a: ans}
	}
	ans.TookMS = time.Since(start).Milliseconds()
	return ans, nil
}

// outOfScope says what an answer limited to some notices found elsewhere:
// 在当前范围（广元）内没有找到；其他通知中有 N 项 — never the other
// notices' answer itself.
func (ix *Index) outOfScope(ctx context.Context, q Query, chatScope bool) string {
	where := q.Where
	if where == say(q.Lang, "其他通知", "the other notices") {
		return say(q.Lang, "其他通知里没有找到。", "Nothing found in the other notices.")
	}
	if where == "" {
		where = "指定通知"
	}
	if len(q.Docs) == 0 && !chatScope {
		near := ix.nearNotices(where)
		if q.Lang == "en" {
			s := fmt.Sprintf("No loaded notice matches “%s”, so this cannot be answered from it.", where)
			if len(near) > 0 {
				s += " Closest loaded names: " + strings.Join(near, "; ") + "."
			}
			return s
		}
		s := fmt.Sprintf("没有找到“%s”这份通知：已加载的通知里没有它，无法据此回答。", where)
		if len(near) > 0 {
			s += "已加载的相近名称：" + strings.Join(near, "；") + "。"
		}
		return s
	}
	all := q
	all.Docs, all.Where = nil, ""
	other, err := ix.answerQuery(ctx, all, AnswerOptions{})
	n := 0
	if err == nil && other.Found {
		for _, c := range other.Citations {
			if !q.inScope(c.Doc) {
				n++
			}
		}
	}
	prefix := "在当前范围（" + where + "）内"
	if !chatScope {
		prefix = "在" + where + "里"
	}
	if q.Lang == "en" {
		if n > 0 {
			return fmt.Sprintf("Nothing found within %s; other notices have %d matching item(s).", where, n)
		}
		return fmt.Sprintf("Nothing found within %s.", where)
	}
	if n > 0 {
		return fmt.Sprintf("%s没有找到；其他通知中有 %d 项。", prefix, n)
	}
	return prefix + "没有找到，其他通知中也没有。"
}

// followUp reads q against the last answer. It either rewrites q (the
// caller answers it) or answers itself, reporting handled.
func (ix *Index) followUp(c *Conversation, q *Query) (Answer, bool) {
	last := c.last
	norm := corpus.Normalize(strings.TrimSpace(q.Question))
	englishShort := false
	if q.Lang == "en" {
		// An English follow-up is read in the Chinese it translates to;
		// "And …?", "What about …?" are its 那…呢.
		lower := strings.ToLower(strings.TrimSpace(q.Question))
		englishShort = len(strings.Fields(lower)) <= 7 || strings.HasPrefix(lower, "and ") || strings.HasPrefix(lower, "what about") || strings.HasPrefix(lower, "how about")
		zh, _ := glossaryTranslate(q.Question)
		norm = strings.ReplaceAll(corpus.Normalize(zh), " ", "")
	}
	bare := strings.TrimRight(norm, "?？!！。.~ ")
	// 第二个呢, 倒数第二项, 上一项, 第三个阶段: one item of the last
	// answer, or one phase of its notice.
	if p, ok := readPosition(bare); ok {
		return ix.atPosition(c, p), true
	}
	// 那另一份方案里的呢: the same question in the other notices.
	if containsAny(bare, otherNotice) && last.q.Intent != IntentUnit {
		if docs := ix.otherDocs(last); len(docs) > 0 {
			nq := last.q
			nq.Question, nq.Docs, nq.Where = q.Question, docs, say(q.Lang, "其他通知", "the other notices")
			if !emptyTopic(*q) && q.Docs == nil {
				nq.Topic = q.Topic
			}
			*q = nq
			return Answer{}, false
		}
	}
	// 它的全文: the first item of the last answer in full.
	if containsAny(bare, []string{"全文", "原文", "详情", "具体内容", "详细内容"}) && utf8Len(dropFillers(bare)) <= 6 {
		return ix.expand(last, 1), true
	}
	// 还有吗: what the last answer left out.
	if containsAny(bare, moreWords) && utf8Len(dropFillers(bare)) <= 4 {
		return ix.more(c), true
	}
	emptyTopic := emptyTopic(*q)
	// 那第三次的呢, 那钟楼区的呢: the last question with another number
	// or place in the name it asked about.
	if swapped, ok := swapID(last.q.Question, bare); ok && !q.Asked {
		nq := ix.understand(swapped)
		nq.Question = q.Question
		*q = nq
		return Answer{}, false
	}
	if q.Docs != nil {
		if emptyTopic && !q.Asked && q.Unit == "" {
			// 那消费中心那份议案里的呢 after a phase: the phase at the same
			// place in that notice's timetable (动员部署阶段 is the first of
			// one, 部署阶段 of the other).
			if a, ok := ix.samePhase(last, q.Docs, q.Lang); ok {
				c.last = &turn{q: Query{Question: q.Question, Intent: IntentDeadline, Lang: q.Lang, Docs: q.Docs, Where: q.Where}, a: a}
				return a, true
			}
			// 那国发〔2018〕39号里呢: the same question in that notice.
			nq := last.q
			nq.Question, nq.Docs, nq.Where = q.Question, q.Docs, q.Where
			nq.carried = carriedWords(last.q)
			nq.swapped = true
			nq.Topic = ix.withoutNoticeNames(last, nq.Topic)
			*q = nq
		}
		return Answer{}, false // it names its own notice: a new question
	}
	// 它, 这项 point back only when the rest of the question says
	// nothing new: "创业孵化基地那条谁管" asks about another item.
	rest := q.Topic
	for _, w := range append(taskAnaphora, "目标", "指标", "举措", "措施", "事情", "事儿") {
		rest = strings.ReplaceAll(rest, w, " ")
	}
	rest = strings.Join(strings.Fields(rest), " ")
	taskRef := containsAny(norm, taskAnaphora) && (utf8Len(strings.ReplaceAll(rest, " ", "")) <= 1 || ix.aboutLast(last, rest))
	noticeRef := containsAny(norm, noticeAnaphora)
	short := strings.HasPrefix(bare, "那") || strings.HasSuffix(bare, "呢") || utf8Len(bare) <= 8 || englishShort
	groupWords := []string{"领导小组", "委员会", "联席会议", "小组", "指挥部"}
	switch {
	case last.q.Intent == IntentRoster && !containsAny(norm, groupWords) && len(last.a.Citations) > 0 &&
		(q.Intent == IntentRoster || emptyTopic && q.Asked && (q.Intent == IntentLead || q.Intent == IntentResp)):
		q.Intent = IntentRoster
		// 财政部是谁参加, 办公室设在哪: the group just answered about.
		a := ix.answerInNotices(last, *q)
		if a.Found {
			c.last = &turn{q: last.q, a: a}
		}
		return a, true
	case noticeRef && (!emptyTopic || q.Unit != ""):
		// 这份方案的中期评估安排在什么时候: the notice just cited.
		// 这份 is one notice: the first the last answer cites.
		q.Docs, q.Where = docsOf(last.a), "上一个回答的通知"
		if len(q.Docs) > 1 {
			q.Docs = q.Docs[:1]
		}
		if last.q.Where != "" {
			q.Where = last.q.Where
		}
		return Answer{}, false
	case last.q.Intent == IntentRoster && q.Unit != "" && short && !q.Asked && len(last.a.Citations) > 0:
		// 市司法局呢 after 领导小组里市公安局是谁: who sits on the same
		// group for that unit.
		nq := last.q
		nq.Question, nq.carried = q.Question, q.UnitName
		a := ix.answerInNotices(last, nq)
		if a.Found {
			c.last = &turn{q: nq, a: a}
		}
		return a, true
	case q.Unit != "" && (emptyTopic || q.Intent != IntentUnit) && short && !q.Asked:
		// 那市经信局呢: the same question about another unit.
		nq := last.q
		nq.Question, nq.Unit, nq.UnitName = q.Question, q.Unit, q.UnitName
		if nq.Intent != IntentUnit {
			nq.Intent, nq.LeadOnly = IntentUnit, last.q.Intent == IntentLead
		}
		if last.q.Intent == IntentUnit {
			nq.Topic = last.q.Topic
		}
		*q = nq
		return Answer{}, false
	case q.Unit == "" && (taskRef || emptyTopic) && last.q.Intent == IntentUnit && last.q.Unit != "" && last.list == nil &&
		!containsAny(norm, []string{"领导", "区长", "市长"}) && !(q.Asked && q.Intent == IntentDeadline):
		// (它什么时候完成 after a listing asks about the tasks listed.)
		// 它牵头哪些: the unit just listed.
		if q.Asked && q.Intent != IntentUnit && !emptyTopic && !taskRef {
			return Answer{}, false
		}
		nq := last.q
		nq.Question = q.Question
		if q.Asked {
			nq.LeadOnly = q.LeadOnly || containsAny(norm, []string{"牵头", "挑头", "主抓"})
		}
		*q = nq
		return Answer{}, false
	case (taskRef || emptyTopic || ix.aboutLast(last, q.Topic)) && q.Asked && q.Unit == "" && len(last.a.Citations) > 0:
		// 那它的配合单位呢, 它什么时候完成: the tasks just cited.
		a := ix.aboutCited(last, *q)
		if a.Found {
			nq := *q
			nq.Topic, nq.Docs, nq.Where = last.q.Topic, last.q.Docs, last.q.Where
			c.last = &turn{q: nq, a: a}
		}
		return a, true
	case short && !q.Asked && !emptyTopic && len(last.a.Citations) > 0 && last.q.Intent != IntentUnit &&
		last.q.Intent != IntentRoster && ix.inCited(last, q.Topic):
		// 推广范围呢: what the task just cited says about that.
		a := ix.aboutCited(last, *q)
		if a.Found {
			nq := *q
			nq.Topic, nq.Docs, nq.Where = last.q.Topic, last.q.Docs, last.q.Where
			c.last = &turn{q: nq, a: a}
		}
		return a, true
	case short && !q.Asked && !emptyTopic && (last.q.Intent != IntentRoster && last.q.Intent != IntentUnit ||
		last.q.Intent == IntentRoster && (strings.HasPrefix(bare, "那") || strings.HasSuffix(bare, "呢"))):
		// 那步行街呢: the same question about another subject; how many
		// still asks how many (甘蔗呢 after 棉花…要达到多少).
		nq := last.q
		nq.Question, nq.Topic, nq.Docs, nq.Where = q.Question, q.Topic, q.Docs, q.Where
		nq.carried = strings.TrimSpace(last.q.Question + " " + last.q.carried)
		*q = nq
		return Answer{}, false
	case q.Asked && q.Unit == "" && len(last.a.Citations) > 0 && containsAny(norm, []string{"它", "它们", "其"}) && !taskRef:
		// 它把参保年限从几年放宽到几年: about the task just cited, in its
		// notice, whatever words it uses.
		q.Docs, q.Where = docsOf(last.a)[:1], "上一个回答的通知"
		return Answer{}, false
	}
	return Answer{}, false
}

// aboutLast reports whether a topic is about the tasks the last answer
// cited: "什么时候之前要建立" after the answer about 建立指标体系. A topic
// the cited tasks do not mention starts a new question.
func (ix *Index) aboutLast(last *turn, topic string) bool {
	want := bigrams(tokens(corpus.Normalize(topic)))
	if len(want) == 0 || len(want) > 6 {
		return false
	}
	var text strings.Builder
	for _, c := range last.a.Citations[:min(shownCitations, len(last.a.Citations))] {
		text.WriteString(corpus.Normalize(c.Text))
	}
	hit := 0
	for _, w := range want {
		if strings.Contains(text.String(), w) {
			hit++
		}
	}
	return 2*hit >= len(want)
}

// entryOf finds the entry a citation was made from, in this index.
func (ix *Index) entryOf(c Citation) *Entry {
	if i, ok := ix.byID[c.entryID]; ok {
		return ix.Entries[i]
	}
	return nil
}

// docsOf lists the notices an answer cites, in order.
func docsOf(a Answer) []string {
	var docs []string
	for _, c := range a.Citations {
		if !slices.Contains(docs, c.Doc) {
			docs = append(docs, c.Doc)
		}
	}
	return docs
}

// shownCitations is how many of an answer's citations a follow-up about
// "it" refers to: the ones an official reads as the answer.
const shownCitations = 3

// aboutCited answers a question about the tasks the last answer cited.
func (ix *Index) aboutCited(last *turn, q Query) Answer {
	a := Answer{Question: q.Question, Intent: q.Intent, Source: "offline", Lang: q.Lang, Citations: []Citation{}, Found: true}
	cites := last.a.Citations[:min(shownCitations, len(last.a.Citations))]
	var b strings.Builder
	switch q.Intent {
	case IntentDeadline:
		said := map[string]bool{}
		for _, c := range cites {
			e := ix.entryOf(c)
			if e == nil {
				continue
			}
			dates := ix.dueDatesOf(e)
			a.Citations = append(a.Citations, c)
			if len(dates) == 0 {
				fmt.Fprintf(&b, say(q.Lang, "%s 没有写明完成时间。\n", "%s gives no completion date.\n"), c.Label)
				if s := ix.schedule(e.Notice, q.Lang); s != "" && !said[e.Notice.Doc] {
					said[e.Notice.Doc] = true
					b.WriteString(s)
				}
				continue
			}
			for _, d := range dates {
				writeDate(&b, d)
				if s := sentenceWith(e.Text, d.Phrase); s != "" {
					fmt.Fprintf(&b, "“%s”\n", clip(s, 80))
				}
			}
			fmt.Fprintf(&b, "来源：%s\n", c.Label)
		}
	case IntentRoster:
		return ix.answerInNotices(last, q)
	default:
		for i, c := range cites {
			if i > 0 {
				b.WriteString("\n")
			}
			a.Citations = append(a.Citations, c)
			quote := c.Text
			if e := ix.entryOf(c); e != nil {
				topic := last.q.Topic
				if !q.Asked && q.Topic != "" && overlap(e.Text, bigrams(tokens(corpus.Normalize(q.Topic)))) > 0 {
					topic = q.Topic // 推广范围呢: the sentence that says it
				}
				quote = quoteFor(e, topic)
				if measure, number := askedMeasure(last.q.read()); last.q.Intent == IntentFact && number {
					quote = factQuote(e, topic, measure) // 甘蔗呢 after 棉花…达到多少
				}
			}
			writeTaskBlock(&b, q, c, quote)
		}
	}
	a.Text = strings.TrimRight(b.String(), "\n")
	if len(a.Citations) == 0 {
		a.Found = false
		a.Text = say(q.Lang, "上一个回答没有可追问的任务，请把问题说完整。", "The last answer cited no task to ask about; please ask the whole question.")
	}
	return a
}

// answerInNotices answers q again within the notices of the last answer.
func (ix *Index) answerInNotices(last *turn, q Query) Answer {
	q.Docs, q.Where = docsOf(last.a), last.q.Where
	topic := q.Topic
	for _, w := range noticeAnaphora {
		topic = strings.ReplaceAll(topic, w, " ")
	}
	if strings.TrimSpace(topic) == "" || q.Intent == IntentRoster {
		topic = last.q.Topic // the group is the one just answered about
	}
	q.Topic = topic
	a, err := ix.answerQuery(context.Background(), q, AnswerOptions{})
	if err != nil {
		a.Found = false
	}
	return a
}

// sentenceWith returns the sentence of text that contains phrase.
func sentenceWith(text, phrase string) string {
	for _, s := range sentences(stripMarkers(text)) {
		if strings.Contains(s, phrase) {
			return s
		}
	}
	return ""
}

// expand shows item n of the last answer in full.
func (ix *Index) expand(last *turn, n int) Answer {
	a := Answer{Question: fmt.Sprintf("第%d条", n), Intent: last.a.Intent, Source: "offline", Lang: last.a.Lang, Citations: []Citation{}}
	if n > len(last.a.Citations) {
		a.Text = fmt.Sprintf(say(a.Lang, "上一个回答只有 %d 条，没有第 %d 条。", "The last answer has %d item(s), not %d."), len(last.a.Citations), n)
		return a
	}
	c := last.a.Citations[n-1]
	a.Found = true
	a.Citations = []Citation{c}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", c.Label)
	if len(c.LeadUnits) > 0 {
		fmt.Fprintf(&b, say(a.Lang, "牵头单位：%s\n", "Lead units: %s\n"), strings.Join(c.LeadUnits, "、"))
	}
	if len(c.ResponsibleUnits) > 0 {
		fmt.Fprintf(&b, say(a.Lang, "责任单位：%s\n", "Responsible units: %s\n"), strings.Join(c.ResponsibleUnits, "、"))
	}
	if c.Leader != "" {
		fmt.Fprintf(&b, say(a.Lang, "责任领导：%s\n", "Responsible leader: %s\n"), c.Leader)
	}
	if e := ix.entryOf(c); e != nil {
		for _, d := range ix.datesOf(e) {
			fmt.Fprintf(&b, "时间：%s\n", dateWords(d))
		}
	}
	b.WriteString(c.Text)
	a.Text = b.String()
	return a
}

// more answers "还有吗": the hits the last answer left out, or that there
// are none.
func (ix *Index) more(c *Conversation) Answer { return ix.moreFrom(c, false) }

// moreFrom is more; widened when it already looks beyond the notices the
// last question named.
func (ix *Index) moreFrom(c *Conversation, widened bool) Answer {
	last := c.last
	a := Answer{Question: "还有吗", Intent: last.a.Intent, Source: "offline", Lang: last.a.Lang, Citations: []Citation{}}
	if last.q.Intent == IntentUnit {
		a.Text = say(a.Lang, "上面已经列出了全部任务。", "The list above is complete.")
		return a
	}
	shown := map[string]bool{}
	for _, c := range last.a.Citations {
		shown[c.Doc+"#"+c.Ref] = true
	}
	hits, err := ix.scopedSearch(context.Background(), last.q, last.q.Topic, 40, KindTask, KindClause)
	if err != nil {
		a.Text = say(a.Lang, "没有更多了。", "Nothing more.")
		return a
	}
	byCoverage(hits)
	var b strings.Builder
	for _, h := range hits {
		if len(a.Citations) == 5 {
			break
		}
		key := h.Entry.Notice.Doc + "#" + h.Entry.Ref
		if shown[key] || h.Coverage < minCoverage*0.8 {
			continue
		}
		shown[key] = true
		cit := citationOf(h.Entry)
		a.Citations = append(a.Citations, cit)
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		writeTaskBlock(&b, last.q, cit, quoteFor(h.Entry, last.q.Topic))
	}
	if len(a.Citations) == 0 && last.q.Docs != nil && !widened {
		// Nothing more in the notice asked about: what other notices say
		// about it, said to be from them.
		wide := *last
		wide.q.Docs, wide.q.Where = nil, ""
		wc := &Conversation{Scope: c.Scope, last: &wide}
		wa := ix.moreFrom(wc, true)
		if wa.Found {
			wa.Text = say(a.Lang, "这份通知里没有更多了；其他通知中相关的：\n", "Nothing more in that notice; in other notices:\n") +
				strings.TrimPrefix(strings.TrimPrefix(wa.Text, "还有这些相关的任务：\n"), "Also related:\n")
			merged := *last
			merged.a.Citations = append(slices.Clone(last.a.Citations), wa.Citations...)
			c.last = &merged
			return wa
		}
	}
	if len(a.Citations) == 0 {
		a.Text = say(a.Lang, "没有更多了：上面就是找到的全部。", "Nothing more: that was everything found.")
		return a
	}
	a.Found = true
	a.Text = say(a.Lang, "还有这些相关的任务：\n", "Also related:\n") + strings.TrimRight(b.String(), "\n")
	// The next 还有吗 goes on from here.
	merged := *last
	merged.a.Citations = append(slices.Clone(last.a.Citations), a.Citations...)
	c.last = &merged
	return a
}

// absentText is the honest answer when the question names a unit that no
// loaded notice assigns work to: say so rather than answer about another.
func (ix *Index) absentText(q Query) string {
	if q.Docs == nil {
		if p := ix.unknownPlace(q.read()); p != "" {
			return notLoaded(q.Lang, p, nil)
		}
	}
	if q.Intent == IntentRoster {
		// A unit named in a roster question (省公安厅有哪些人在领导小组里)
		// is where members come from, not a unit that must have tasks.
		return ix.missingGroup(q)
	}
	if q.Unit != "" || q.Lang == "en" {
		return ""
	}
	m := notUnitRe.FindStringSubmatch(corpus.Normalize(q.Question))
	if m == nil || !containsAny(corpus.Normalize(q.Question), intentWords.unitList) {
		return ""
	}
	name := m[1]
	if i := strings.LastIndexAny(name, "里中"); i >= 0 {
		name = name[i+len("里"):] // 无废城市方案里国管局: 国管局
	}
	if utf8Len(name) < 2 || ix.guides(name) {
		return "" // it guides tasks, if it leads none
	}
	return fmt.Sprintf("没有找到单位“%s”的任务：已加载的通知里没有给它分配任务。", name)
}

// searchedFor tells an English reader which Chinese terms the question
// was read as.
func searchedFor(q Query) string {
	if len(q.Terms) == 0 {
		return ""
	}
	return "\n(Searched the notices for: " + strings.Join(q.Terms, ", ") + ")"
}

// notUnitRe recognises a unit-like name that no notice assigns work to:
// 市教育局负责什么 when no 市教育局 is loaded.
var notUnitRe = regexp.MustCompile(`^(?:请问|问一下|那)?(\p{Han}{2,12}?(?:局|委|办|厅|部|署|中心|政府|管委会|委员会))(?:牵头|负责|承担|有|要|在|参与|配合)`)

// Converse answers from the current index in a conversation.
func (e *Engine) Converse(ctx context.Context, c *Conversation, question string) (Answer, error) {
	return e.Answerer().Converse(ctx, c, question)
}

// ConverseWith answers from the current index in a conversation, with
// options.
func (e *Engine) ConverseWith(ctx context.Context, c *Conversation, question string, opt AnswerOptions) (Answer, error) {
	return e.Answerer().ConverseWith(ctx, c, question, opt)
}

// say picks the words of an answer's language.
func say(lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}

// schedule sums up a notice's phases for a task without a date of its
// own: the plan's timetable is what it is done by.
func (ix *Index) schedule(n *corpus.Notice, lang string) string {
	var parts []string
	for _, d := range n.Deadlines {
		if d.Kind != "phase" || d.Date == "" {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s（%s）", firstNonEmpty(d.Title, d.Phrase), d.Date))
		if len(parts) == 4 {
			break
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return say(lang, "该通知的时间安排：", "The notice's timetable: ") + strings.Join(parts, "；") + "\n"
}

// emptyTopic reports a question that says nothing of its own subject.
func emptyTopic(q Query) bool { return utf8Len(strings.ReplaceAll(q.Topic, " ", "")) <= 1 }

// otherNotice are the words of "the other notice": 那另一份方案里的呢.
var otherNotice = []string{"另一份", "另外一份", "另外那份", "另一个方案", "另一个通知", "另一个文件", "其他通知", "别的通知", "其他文件", "别的文件", "其他方案", "别的方案"}

// otherDocs are the notices the last answer did not cite.
func (ix *Index) otherDocs(last *turn) []string {
	cited := docsOf(last.a)
	if len(cited) == 0 {
		cited = last.q.Docs
	}
	if len(cited) == 0 {
		return nil
	}
	var out []string
	for _, n := range ix.Corpus.Notices {
		if !slices.Contains(cited, n.Doc) {
			out = append(out, n.Doc)
		}
	}
	return out
}

// carriedWords are the words of a question a follow-up that swaps its
// notice keeps: the unit it asked about and what it carried itself.
func carriedWords(q Query) string {
	return strings.TrimSpace(q.UnitName + " " + q.carried)
}

// idRe finds a number or a place a follow-up may swap in: 第三次, 二次会议,
// 2号, 第二批, 2021年, 钟楼区.
var idRe = regexp.MustCompile(`^(?:第[0-9一二三四五六七八九十]+(?:次|批|届|号)|[0-9一二三四五六七八九十]+(?:届|次会议|次|号|批)|(?:19|20)\d\d年?|\p{Han}{2,4}(?:省|市|区|县))$`)

// swapID rewrites the last question with the number or place a follow-up
// names ("那第三次的呢", "那钟楼区的呢") in place of the one of the same
// kind it had; ok is false when the follow-up names no such thing or the
// last question has none to swap.
func swapID(last, bare string) (string, bool) {
	x := strings.TrimPrefix(strings.TrimPrefix(bare, "那么"), "那")
	x = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(x, "呢"), "的"), "里")
	if !idRe.MatchString(x) {
		return "", false
	}
	kind := func(s string) string {
		switch {
		case yearRe.MatchString(s):
			return "year"
		case strings.HasSuffix(s, "次会议"):
			return "session"
		case strings.ContainsAny(string([]rune(s)[len([]rune(s))-1:]), "省市区县"):
			return "place"
		}
		return string([]rune(s)[len([]rune(s))-1:])
	}
	lastNorm := corpus.Normalize(last)
	var re *regexp.Regexp
	switch kind(x) {
	case "year":
		re = regexp.MustCompile(`(?:19|20)\d\d年?`)
	case "place":
		re = regexp.MustCompile(`\p{Han}{2,4}?(?:省|市|区|县)`)
	default:
		re = nameIDRe
	}
	for _, loc := range re.FindAllStringIndex(lastNorm, -1) {
		old := lastNorm[loc[0]:loc[1]]
		if kind(old) == kind(x) && old != x {
			return lastNorm[:loc[0]] + x + lastNorm[loc[1]:], true
		}
	}
	return "", false
}

// inCited reports a topic every bigram of which the tasks the last answer
// cites hold: a field of them (推广范围, 完成时限), not a new subject.
func (ix *Index) inCited(last *turn, topic string) bool {
	want := bigrams(tokens(corpus.Normalize(topic)))
	if len(want) == 0 || len(want) > 4 {
		return false
	}
	for _, c := range last.a.Citations[:min(shownCitations, len(last.a.Citations))] {
		text := corpus.Normalize(c.Text)
		all := true
		for _, w := range want {
			all = all && strings.Contains(text, w)
		}
		if all {
			return true
		}
	}
	return false
}

// leadingVerb is the verb a task's subject often starts with, which
// another notice may put elsewhere or leave out.
var leadingVerb = regexp.MustCompile(`^(?:大力|积极|加快|加强|推进|推动|发展|实施|开展|建设|打造|培育|提升|动员|组织|完善|深化|支持)+`)

// samePhase answers, in another notice, the phase at the place in its
// timetable of the phase the last answer cited.
func (ix *Index) samePhase(last *turn, docs []string, lang string) (Answer, bool) {
	if len(docs) != 1 || len(last.a.Citations) == 0 {
		return Answer{}, false
	}
	cit := last.a.Citations[0]
	var from, to *corpus.Notice
	for _, n := range ix.Corpus.Notices {
		if n.Doc == cit.Doc {
			from = n
		}
		if n.Doc == docs[0] {
			to = n
		}
	}
	if from == nil || to == nil || from == to {
		return Answer{}, false
	}
	at := slices.IndexFunc(phases(from), func(p phase) bool { return p.ref == cit.Ref })
	if at < 0 || at >= len(phases(to)) {
		return Answer{}, false
	}
	a := ix.phaseAt(&turn{q: Query{Docs: docs, Lang: lang}, a: Answer{Lang: lang, Citations: []Citation{{Doc: to.Doc}}}}, position{n: at + 1})
	return a, a.Found
}

// withoutNoticeNames drops from a topic carried to another notice the
// words that only named the notice it came from (1号议案, 消费中心).
func (ix *Index) withoutNoticeNames(last *turn, topic string) string {
	docs := docsOf(last.a)
	if len(docs) == 0 {
		return topic
	}
	nn := ix.noticeNames()
	var keep []string
	for _, f := range strings.Fields(topic) {
		named := false
		for i, n := range ix.Corpus.Notices {
			if slices.Contains(docs, n.Doc) && utf8Len(f) >= 2 && strings.Contains(strings.ReplaceAll(nn.meta[i], " ", ""), corpus.Normalize(f)) {
				named = true
			}
		}
		if !named {
			keep = append(keep, f)
		}
	}
	if len(keep) == 0 {
		return topic
	}
	return strings.Join(keep, " ")
}

// guides reports a unit some loaded task is written as guiding.
func (ix *Index) guides(name string) bool {
	for _, n := range ix.Corpus.Notices {
		for _, t := range n.Tasks {
			for _, g := range t.GuideUnits {
				if corpus.Normalize(g) == name {
					return true
				}
			}
		}
	}
	return false
}
