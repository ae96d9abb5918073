package retrieval

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/assignbot/assignbot/corpus"
)

// A question may ask what is due by a time rather than when one thing is
// due: "年底前要完成什么", "2022年底前要完成哪些", "上半年要做什么",
// "6月底前有哪些任务". The answer lists the tasks whose dates fall in that
// window, from the notices the question names, each with its date as
// written and its units.

// windowRe finds the time window a question asks about: an optional year,
// then 年底/年末, 上半年/下半年, N月底 or 月底, N季度.
var windowRe = regexp.MustCompile(`(?:((?:19|20)\d\d)\s*(?:年\s*)?)?(年底|年末|上半年|下半年|([0-9]{1,2}|[一二三四五六七八九十]{1,2})\s*月(?:底|末|份)?|月底|月末|([一二三四1-4])\s*季度(?:末)?)\s*(?:前|之前|以前|内|底前)?`)

// windowAskRe says the question wants the things due, not a date: 要完成
// 什么, 要做什么, 有哪些, 哪些任务.
var windowAskRe = regexp.MustCompile(`(?:要|需要|得|应|必须)?(?:完成|做|干|办|落实|推进|报送|提交)?(?:什么|哪些|啥|哪几项|几项)|有哪些|哪些任务|什么任务`)

// window is a span of dates a question asks about, as YYYY-MM-DD bounds
// (inclusive); year is "" when the question names none, and then only
// the month and day are compared.
type window struct {
	year     string
	from, to string // MM-DD
	words    []string
	name     string // as the question says it
}

// dueWindowAsked reads a question about what is due in a window; ok is
// false for any other question (什么时候完成 asks a date).
func dueWindowAsked(norm string) (w window, ok bool) {
	norm = strings.ReplaceAll(norm, " ", "")
	loc := windowRe.FindStringSubmatchIndex(norm)
	if loc == nil || !windowAskRe.MatchString(norm[loc[1]:]) {
		return w, false
	}
	m := windowRe.FindStringSubmatch(norm)
	w.year, w.name = m[1], m[0]
	switch {
	case m[2] == "年底" || m[2] == "年末":
		w.from, w.to, w.words = "12-01", "12-31", []string{"年底", "年末", "12月底"}
	case m[2] == "上半年":
		w.from, w.to, w.words = "01-01", "06-30", []string{"上半年"}
	case m[2] == "下半年":
		w.from, w.to, w.words = "07-01", "12-31", []string{"下半年", "年底", "年末"}
	case m[3] != "":
		n := itemNumber(m[3])
		if n == 0 {
			n, _ = strconv.Atoi(m[3])
		}
		if n < 1 || n > 12 {
			return w, false
		}
		w.from, w.to = fmt.Sprintf("%02d-01", n), fmt.Sprintf("%02d-31", n)
		w.words = []string{fmt.Sprintf("%d月", n)}
	case m[4] != "":
		n := itemNumber(m[4])
		if n == 0 {
			n, _ = strconv.Atoi(m[4])
		}
		if n < 1 || n > 4 {
			return w, false
		}
		w.from, w.to = fmt.Sprintf("%02d-01", 3*n-2), fmt.Sprintf("%02d-31", 3*n)
		w.words = []string{m[4] + "季度"}
	default: // 月底, 月末: the end of some month
		w.from, w.to, w.words = "01-01", "12-31", []string{"月底", "月末"}
	}
	return w, true
}

// holds reports whether a deadline falls in the window: its date (the
// end of a phase) within the bounds, or, for a date the words do not pin
// down, its words.
func (w window) holds(d corpus.Deadline) bool {
	if d.Every != "" || d.Start != "" && d.Start != d.Date || spanOnly(d) {
		// A recurring date, or a span a policy runs for (2019年1月1日至
		// 12月31日，可返还…): not something to finish by then.
		return false
	}
	if d.Date == "" || len(d.Date) < 10 {
		return slices.ContainsFunc(w.words, func(s string) bool { return strings.Contains(d.Phrase, s) })
	}
	if w.year != "" && !strings.HasPrefix(d.Date, w.year) {
		return false
	}
	md := d.Date[5:]
	if md < w.from || md > w.to {
		return false
	}
	if slices.Contains(w.words, "月底") {
		// 月底前: said so, not any date of the year.
		return slices.ContainsFunc(w.words, func(s string) bool { return strings.Contains(d.Phrase, s) })
	}
	return true
}

// spanOnly reports a date its sentence gives only as an end of a span
// (2019年1月1日至12月31日) and never as a date to be done by (到2022年底,
// 2022年底前).
func spanOnly(d corpus.Deadline) bool {
	p := d.Phrase
	if p == "" || !strings.Contains(d.Text, "至"+p) && !strings.Contains(d.Text, p+"至") {
		return false
	}
	return !strings.Contains(d.Text, "到"+p) && !strings.Contains(d.Text, "于"+p) && !strings.Contains(d.Text, p+"前")
}

// maxWindowTasks bounds the tasks a due-window answer lists in full.
const maxWindowTasks = 12

// answerDueWindow lists the tasks of the notices in scope whose dates
// fall in the window asked. It reports false when the question asks no
// window.
func (ix *Index) answerDueWindow(q Query, a *Answer) bool {
	w, ok := dueWindowAsked(q.read())
	if !ok {
		return false
	}
	// Words beside the window (6月底前要报送什么材料) narrow it to the
	// tasks that say them; a window with none of those is no answer.
	rest := strings.ReplaceAll(corpus.Normalize(q.Topic), " ", "")
	rest = windowRe.ReplaceAllString(rest, " ")
	rest = windowAskRe.ReplaceAllString(rest, " ")
	for _, w := range noticeWords {
		rest = strings.ReplaceAll(rest, w, " ")
	}
	for _, f := range []string{"完成", "任务", "工作", "事项", "需要", "要", "的", "都", "还", "前", "有", "年", "干", "做", "办"} {
		rest = strings.ReplaceAll(rest, f, " ")
	}
	// Words of the named notice's title (无废城市试点) name it, not a task.
	want := slices.DeleteFunc(bigrams(tokens(rest)), func(w string) bool {
		return slices.ContainsFunc(ix.Corpus.Notices, func(n *corpus.Notice) bool {
			return q.Docs != nil && q.inScope(n.Doc) && strings.Contains(corpus.Normalize(n.Title+n.PlanTitle), w)
		})
	})
	var b strings.Builder
	total := 0
	for _, n := range ix.Corpus.Notices {
		if !q.inScope(n.Doc) {
			continue
		}
		for _, t := range n.Tasks {
			var hit *corpus.Deadline
			for i := range t.Deadlines {
				if w.holds(t.Deadlines[i]) {
					hit = &t.Deadlines[i]
					break
				}
			}
			if hit == nil || len(want) > 0 && overlap(t.Text, want) == 0 {
				continue
			}
			e := ix.entryByID(n.Doc + "#" + t.Ref)
			if e == nil {
				continue
			}
			total++
			if total > maxWindowTasks {
				continue
			}
			c := citationOf(e)
			a.Citations = append(a.Citations, c)
			fmt.Fprintf(&b, "· %s %s\n  时间：%s", c.Label, clip(taskSummary(e), 50), dateWords(*hit))
			if us := c.LeadUnits; len(us) > 0 {
				fmt.Fprintf(&b, "；牵头：%s", strings.Join(us, "、"))
			} else if us := c.ResponsibleUnits; len(us) > 0 {
				fmt.Fprintf(&b, "；责任：%s", strings.Join(us, "、"))
			}
			b.WriteString("\n")
		}
	}
	if total == 0 {
		return false
	}
	a.Found = true
	head := fmt.Sprintf("时限在“%s”的任务（共%d项）：\n", w.name, total)
	if total > maxWindowTasks {
		head = fmt.Sprintf("时限在“%s”的任务共%d项，列出前%d项：\n", w.name, total, maxWindowTasks)
	}
	a.Text = head + strings.TrimRight(b.String(), "\n")
	return true
}
