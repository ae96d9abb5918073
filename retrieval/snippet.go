package retrieval

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/assignbot/assignbot/corpus"
)

// What an answer about a task shows besides its quote: the people and
// units a question may be after even when it asks about something else —
// "什么时候前上线？谁牵头？" wants the date and the lead unit, "分管省领导
// 是谁，哪个厅牵头" the leader and the unit.

// writeTaskPeople writes the task's responsible leader and guiding units,
// when the notice names them.
func writeTaskPeople(b *strings.Builder, q Query, c Citation) {
	leader, guide := "责任领导：", "指导单位："
	if q.Lang == "en" {
		leader, guide = "Responsible leader: ", "Guiding units: "
	}
	if c.Leader != "" {
		fmt.Fprintf(b, "%s%s\n", leader, c.Leader)
	}
	if len(c.GuideUnits) > 0 {
		fmt.Fprintf(b, "%s%s\n", guide, strings.Join(c.GuideUnits, "、"))
	}
}

// writeUnitsLine writes the units and people of a cited task under a date
// or a fact, so that the answer also says who.
func writeUnitsLine(b *strings.Builder, q Query, c Citation) {
	lead, resp := "牵头单位：", "责任单位："
	if q.Lang == "en" {
		lead, resp = "Lead units: ", "Responsible units: "
	}
	if len(c.LeadUnits) > 0 {
		fmt.Fprintf(b, "%s%s\n", lead, strings.Join(c.LeadUnits, "、"))
	}
	if len(c.ResponsibleUnits) > 0 {
		fmt.Fprintf(b, "%s%s\n", resp, strings.Join(c.ResponsibleUnits, "、"))
	}
	writeTaskPeople(b, q, c)
}

// maxDetailed is how many items a unit listing may have and still show
// every item's units and people: a short list is read as an answer, and
// its next question is "和谁一起？谁指导？".
const maxDetailed = 3

// detailListing adds each item's units and people under a short listing.
func (ix *Index) detailListing(q Query, a *Answer) {
	if !a.Found || len(a.Citations) == 0 || len(a.Citations) > maxDetailed {
		return
	}
	var b strings.Builder
	b.WriteString(a.Text)
	for _, c := range a.Citations {
		var d strings.Builder
		writeUnitsLine(&d, q, c)
		if d.Len() > 0 {
			fmt.Fprintf(&b, "\n%s：\n%s", c.Label, strings.TrimRight(d.String(), "\n"))
		}
	}
	a.Text = b.String()
}

// leaderIn finds a responsible leader (牵头市领导, 责任领导) the question
// names: 叶林负责的是哪项重点工作.
func (ix *Index) leaderIn(norm string) string {
	best := ""
	for _, l := range ix.noticeNames().leaders {
		if len(l) > len(best) && strings.Contains(norm, l) {
			best = l
		}
	}
	return best
}

// answerLeader lists the tasks a responsible leader is named for.
func (ix *Index) answerLeader(q Query, leader string, a *Answer) {
	var b strings.Builder
	for _, e := range ix.Entries {
		if e.Kind != KindTask || !q.inScope(e.Notice.Doc) || corpus.Normalize(e.Task.Leader) != leader {
			continue
		}
		c := citationOf(e)
		a.Citations = append(a.Citations, c)
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		writeTaskBlock(&b, q, c, quoteFor(e, q.Topic))
	}
	if len(a.Citations) > 0 {
		a.Found = true
		a.Text = strings.TrimRight(b.String(), "\n")
	}
}

// dateQuote quotes the sentence that sets the date a deadline answer
// gives, clipped around the date so that the date stays in the quote.
func dateQuote(e *Entry, dates []corpus.Deadline, topic string) string {
	// The sentence about what is asked, when it sets a time of its own
	// that the parser did not take as a date (2020年实现市县主城区5G网络
	// 全覆盖 beside 到2022年 in the same task).
	want := bigrams(tokens(corpus.Normalize(topic)))
	best, bestScore := "", 0
	for _, s := range sentences(stripMarkers(e.Text)) {
		if sc := overlap(s, want); sc > bestScore {
			best, bestScore = s, sc
		}
	}
	if loc := timeRe.FindStringIndex(best); loc != nil {
		said := false
		for _, d := range dates {
			said = said || d.Phrase != "" && strings.Contains(best, d.Phrase)
		}
		if !said && (len(dates) == 0 || bestScore > overlap(sentenceWith(e.Text, dates[0].Phrase), want)) {
			return clipAround(best, best[loc[0]:loc[1]], 80)
		}
	}
	for _, d := range dates {
		if d.Phrase == "" {
			continue
		}
		if s := sentenceWith(e.Text, d.Phrase); s != "" {
			return clipAround(s, d.Phrase, 80)
		}
	}
	return quoteFor(e, topic)
}

// clipAround clips s to about n runes, keeping the words around phrase.
func clipAround(s, phrase string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	at := utf8Len(s[:strings.Index(s, phrase)])
	start := max(0, min(at-n/3, len(rs)-n))
	out := string(rs[start:min(len(rs), start+n)])
	if start > 0 {
		out = "…" + out
	}
	if start+n < len(rs) {
		out += "…"
	}
	return out
}

// timeRe finds a time a sentence sets: a year, a month, a day.
var timeRe = regexp.MustCompile(`(?:19|20)\d\d年(?:\d{1,2}月)?(?:底|末|前|以前|之前)?|\d{1,2}月(?:\d{1,2}日)?(?:底|末|前|以前|之前)?`)
