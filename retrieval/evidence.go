package retrieval

import (
	"regexp"
	"slices"
	"strings"

	"github.com/assignbot/assignbot/corpus"
)

// Evidence for a fact: "示范街区要建成多少条？", "补贴标准提高到多少元？".
// The answer quotes the sentence that holds the number, with its measure
// word; a sentence about the subject without a number does not answer
// "how many", and the answer says that the notice gives none.

// askedMeasureRe finds what a fact question counts: the measure word
// after 多少 or 几 (多少条, 几个, 多少亿元, 百分之几).
var askedMeasureRe = regexp.MustCompile(`(?:多少|几)\s*(亿元|万元|元|万|亿|个|条|家|项|座|所|处|名|人|次|户|批|类|家|张|套|辆|台|公里|千米|米|平方米|亩|吨|倍|年|天|月|%)?`)

// numberRe finds a number in a notice's sentence: digits or Chinese
// numerals, with what follows them.
var numberRe = regexp.MustCompile(`[0-9０-９][0-9０-９.,．%％~～—-]*|[一二三四五六七八九十百千万两]+(?:个|条|家|项|座|所|处|名|批|类)`)

// askedMeasure returns the measure word a fact question asks about and
// whether it asks for a number at all.
func askedMeasure(norm string) (measure string, number bool) {
	m := askedMeasureRe.FindStringSubmatch(norm)
	if m == nil {
		return "", containsAny(norm, []string{"比重", "占比", "增幅", "增长", "百分之", "达到", "超过", "规模"})
	}
	if m[1] == "" && containsAny(norm, []string{"贷", "钱", "金额", "资金", "补贴", "奖励", "额度", "投资额", "费用", "经费"}) &&
		!containsAny(norm, []string{"增长", "增幅", "比重", "占比", "率", "百分"}) {
		return "元", true // 最高能贷多少: an amount of money
	}
	if m[1] == "" && strings.Contains(norm, "工作日") {
		return "个工作日", true
	}
	return m[1], true
}

// factScore scores a sentence as the answer to a fact question: its
// overlap with the question's words, and a quantity with the measure
// asked.
func factScore(s string, want []string, measure string) int {
	score := 2 * overlap(s, want)
	for _, w := range want {
		if yearRe.MatchString(w) && strings.Contains(s, w) {
			score += 3 // 到2025年: the sentence of the year asked
		}
	}
	switch {
	case quantity(s, measure):
		score += 4
	case quantity(s, ""):
		score++
	}
	return score
}

// quantity reports a text that states a quantity: a number that is no
// year or date, followed by the measure asked when one is.
func quantity(s, measure string) bool {
	norm := corpus.Normalize(s)
	for _, loc := range numberRe.FindAllStringIndex(norm, -1) {
		num, after := norm[loc[0]:loc[1]], strings.TrimLeft(norm[loc[1]:], "多余")
		if strings.HasPrefix(after, "年") || strings.HasPrefix(after, "月") || strings.HasPrefix(after, "日") && !strings.HasPrefix(after, "日内") ||
			strings.HasPrefix(after, "号") || strings.HasPrefix(after, "次会议") || strings.HasPrefix(after, "届") {
			continue
		}
		for _, m := range measureForms(measure) {
			if m == "" || strings.HasPrefix(after, m) || strings.HasSuffix(num, m) ||
				utf8Len(m) == 1 && strings.HasPrefix(after, "万"+m) {
				return true
			}
		}
	}
	return false
}

// factQuote picks the span of an entry that answers a fact question: the
// clause with the number, and the clause before it when that names the
// subject. A sentence is read with the year set before it in the entry
// (到2025年，…。全国…达到75%), so that the year asked finds its figure.
func factQuote(e *Entry, topic, measure string) string {
	want := bigrams(tokens(corpus.Normalize(topic)))
	best, bestScore, year := "", -1, ""
	for _, s := range sentences(stripMarkers(e.Text)) {
		if y := yearRe.FindString(s); y != "" {
			year = y
		}
		if score := factScore(year+" "+s, want, measure); score > bestScore {
			best, bestScore = s, score
		}
	}
	if utf8Len(best) <= 60 {
		return best
	}
	clauses := strings.FieldsFunc(best, func(r rune) bool { return r == ',' || r == '，' })
	bi, bs := -1, -1
	for i, c := range clauses {
		if score := factScore(c, want, measure); score > bs {
			bi, bs = i, score
		}
	}
	if bi < 0 {
		return clip(best, 100)
	}
	span := clauses[bi]
	switch {
	case !quantity(span, measure) && bi+1 < len(clauses) && quantity(clauses[bi+1], measure):
		span += "，" + clauses[bi+1]
	case !quantity(span, measure) && bi > 0 && quantity(clauses[bi-1], measure):
		span = clauses[bi-1] + "，" + span
	case bi > 0 && overlap(span, want) == 0:
		span = clauses[bi-1] + "，" + span
	}
	return "…" + clip(span, 100)
}

// measureForms are the ways notices write a measure a question asks in:
// 多少天 is answered by 30日内 or 14个工作日.
func measureForms(measure string) []string {
	switch measure {
	case "天":
		return []string{"天", "日", "个工作日"}
	case "元":
		return []string{"元", "万元", "亿元"}
	case "年":
		return []string{"年"}
	case "个":
		return []string{"个", ""} // 多少个 is answered by 22万人 as well
	}
	return []string{measure}
}

// ownCover is the share of a topic's words that are not its notice's
// title or subject (every entry of the notice holds those) that an entry's
// own text and section titles hold. A task is evidence for a question only
// when it says what the question asks about, not just its notice's name:
// 无废城市试点城市谁牵头筛选确定 needs 筛选确定, not any task of 无废城市.
func ownCover(e *Entry, topic string) float64 {
	ctx := corpus.Normalize(noticeContext(e.Notice) + " " + e.Notice.Title)
	var want []string
	for _, w := range bigrams(tokens(corpus.Normalize(topic))) {
		// A place is where, not what: the notice's scope answers for it.
		if !strings.Contains(ctx, w) && !slices.Contains(gazetteer, w) {
			want = append(want, w)
		}
	}
	if len(want) == 0 {
		return 1
	}
	own := e.Text + " " + strings.Join(e.Lead, " ") + " " + strings.Join(e.Resp, " ")
	if e.Task != nil {
		own += " " + strings.Join(e.Task.Sections, " ") + " " + strings.Join(e.Task.GuideUnits, " ") + " " + e.Task.Leader
	}
	if e.Passage != nil {
		own += " " + e.Passage.Title
	}
	return float64(overlap(own, want)) / float64(len(want))
}

// evidence keeps the hits whose own text says what the question asks,
// and of those the ones that say as much of it as the best.
func evidence(hits []Hit, topic string) []Hit {
	covers := make([]float64, len(hits))
	best := 0.0
	for i, h := range hits {
		covers[i] = ownCover(h.Entry, topic)
		best = max(best, covers[i])
	}
	var out []Hit
	top := 0.0
	for i, h := range hits {
		if covers[i] >= minOwnCover && covers[i] >= best-1e-9 {
			top = max(top, h.Coverage)
		}
	}
	for i, h := range hits {
		// As much of what is asked as the best, and nearly as much of the
		// whole question.
		if covers[i] >= minOwnCover && covers[i] >= best-1e-9 && h.Coverage >= evidenceCoverage*top {
			out = append(out, h)
		}
	}
	return out
}
