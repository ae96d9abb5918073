package retrieval

import (
	"regexp"
	"strings"
)

// Items asked for by their number.
//
// Officials point at a task by its place in the notice: "第3条谁牵头",
// "分解方案第1项由哪些单位协办". Within a notice the question names, the
// number is the task's own item number — the last number of its ref
// (二(二)3 is item 3 of its section, 附件1-一1 item 1). Every task of
// those notices with that number answers: one is the answer, several
// (item 1 of each chapter) are all shown, each with its ref, rather than
// one picked.

// itemNoRe is an item asked for by its number: 第3条, 第十二项, 第1点.
var itemNoRe = regexp.MustCompile(`第([0-9]{1,3}|[一二三四五六七八九十]{1,3})(?:项|条|点|个任务|项任务)`)

// refNumberRe is the item number a ref ends with: 3 in 二(二)3, 十 in 三(十).
var refNumberRe = regexp.MustCompile(`([0-9]{1,3}|[一二三四五六七八九十]{1,3})\)?(?:-\d+(?:\.\d+)?)?$`)

// maxItemAnswers bounds the tasks an item number answers with.
const maxItemAnswers = 5

// itemNumberAsked returns the item number a question points at, as a
// number, or 0.
func itemNumberAsked(norm string) int {
	m := itemNoRe.FindStringSubmatch(norm)
	if m == nil {
		return 0
	}
	return itemNumber(m[1])
}

// itemNumber reads 3, 十二 or 二十 as a number; 0 when it is none.
func itemNumber(s string) int {
	n := 0
	if s[0] >= '0' && s[0] <= '9' {
		for _, r := range s {
			n = n*10 + int(r-'0')
		}
		return n
	}
	digit := func(r rune) int {
		for i, d := range []rune("零一二三四五六七八九") {
			if d == r {
				return i
			}
		}
		return -1
	}
	rs := []rune(s)
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10
	case len(rs) == 1:
		return max(0, digit(rs[0]))
	case len(rs) == 2 && rs[0] == '十':
		return 10 + max(0, digit(rs[1]))
	case len(rs) == 2 && rs[1] == '十':
		return 10 * max(0, digit(rs[0]))
	case len(rs) == 3 && rs[1] == '十':
		return 10*max(0, digit(rs[0])) + max(0, digit(rs[2]))
	}
	return 0
}

// answerItemNumber answers from the tasks of the question's notices whose
// item number is the one asked. It reports false when no task has it.
func (ix *Index) answerItemNumber(q Query, n int, a *Answer) bool {
	var b strings.Builder
	for _, e := range ix.Entries {
		if e.Kind != KindTask || !q.inScope(e.Notice.Doc) {
			continue
		}
		m := refNumberRe.FindStringSubmatch(e.Task.Ref)
		if m == nil || itemNumber(m[1]) != n {
			continue
		}
		if len(a.Citations) == maxItemAnswers {
			break
		}
		c := citationOf(e)
		a.Citations = append(a.Citations, c)
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		writeTaskBlock(&b, q, c, quoteFor(e, q.Topic))
	}
	if len(a.Citations) == 0 {
		return false
	}
	a.Found = true
	a.Text = strings.TrimRight(b.String(), "\n")
	return true
}
