package retrieval

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/assignbot/assignbot/corpus"
)

// Slots a question asks that are no task's: the date a notice was issued.

// noticeDateRe asks when a notice was issued: 哪天印发的, 什么时候发布, 成文日期.
var noticeDateRe = regexp.MustCompile(`(?:印发|发布|出台|下发|发文|成文|签发|公布)(?:的|于)?(?:是)?(?:哪天|哪一天|什么时候|何时|日期|时间|哪年|几号|几月)|(?:哪天|哪一天|什么时候|何时|哪年)(?:印发|发布|出台|下发|发文|成文|签发|公布)|成文日期|发文日期|印发日期|发布日期`)

// noticeDateAsked reports a question about when a notice was issued.
func noticeDateAsked(norm string) bool { return noticeDateRe.MatchString(norm) }

// answerNoticeDate answers when the notices a question names were issued,
// from their metadata.
func (ix *Index) answerNoticeDate(q Query, a *Answer) {
	var b strings.Builder
	for _, n := range ix.Corpus.Notices {
		if !slices.Contains(q.Docs, n.Doc) || n.Date == "" {
			continue
		}
		date := n.Date
		var y, m, d int
		if _, err := fmt.Sscanf(n.Date, "%d-%d-%d", &y, &m, &d); err == nil {
			date = fmt.Sprintf("%d年%d月%d日", y, m, d)
		}
		fmt.Fprintf(&b, say(q.Lang, "%s：%s\n", "%s: %s\n"), noticeLabel(n), date)
		a.Citations = append(a.Citations, Citation{Doc: n.Doc, Title: n.Title, Label: n.Name(), Kind: "notice",
			LeadUnits: []string{}, ResponsibleUnits: []string{}})
	}
	if len(a.Citations) == 0 {
		return
	}
	a.Found = true
	a.Text = strings.TrimRight(b.String(), "\n")
}

// datedNotices finds the notices a question about an issue date names
// before its date words (农机化指导意见是哪天印发的) when no other words
// named one.
func (ix *Index) datedNotices(q Query) []string {
	norm := corpus.Normalize(q.Question)
	if q.Lang == "en" {
		zh, _ := glossaryTranslate(q.Question)
		norm = corpus.Normalize(zh)
	}
	loc := noticeDateRe.FindStringIndex(norm)
	if loc == nil {
		return nil
	}
	phrase := strings.TrimSuffix(strings.TrimSpace(norm[:loc[0]]), "是")
	phrase = pointerWords.ReplaceAllString(phrase, "")
	return ix.noticesTitled(ix.noticeNames(), phrase)
}

// guideListRe asks what a unit guides: 国管局要指导哪几项, 交通运输部管哪块.
var guideListRe = regexp.MustCompile(`指导|管哪块|负责哪块|管什么|管哪些|哪几项|哪些`)

// answerGuide lists the tasks a unit is written as guiding (X指导), in the
// notices asked about: a unit that leads nothing there may still guide.
func (ix *Index) answerGuide(q Query, a *Answer) {
	norm := strings.ReplaceAll(q.read(), " ", "")
	if !guideListRe.MatchString(norm) {
		return
	}
	name := ""
	var b strings.Builder
	var cites []Citation
	for _, n := range ix.Corpus.Notices {
		if !q.inScope(n.Doc) {
			continue
		}
		for _, t := range n.Tasks {
			for _, g := range t.GuideUnits {
				gn := corpus.Normalize(g)
				if utf8Len(gn) < 3 || !strings.Contains(norm, gn) || name != "" && gn != name {
					continue
				}
				name = gn
				e := ix.entryByID(n.Doc + "#" + t.Ref)
				if e == nil {
					continue
				}
				c := citationOf(e)
				cites = append(cites, c)
				fmt.Fprintf(&b, "· %s %s\n", c.Label, clip(taskSummary(e), 60))
			}
		}
	}
	if len(cites) == 0 {
		return // what an answer not found cited before stays its own
	}
	a.Found, a.Citations = true, cites
	a.Text = fmt.Sprintf(say(q.Lang, "%s作为指导单位的任务（共%d项）：\n", "%s guides %d task(s):\n"), name, len(cites)) + strings.TrimRight(b.String(), "\n")
}

// maxOverviewNotices bounds the notices a bare name is described for.
const maxOverviewNotices = 3

// overviewAsked reports a question that only names notices (国发〔2018〕
// 42号, 无废城市方案): nothing asked of them but what they are.
func overviewAsked(q Query) bool {
	return len(q.Docs) > 0 && len(q.Docs) <= maxOverviewNotices && q.Unit == "" && !q.Asked && emptyTopic(q)
}

// answerOverview describes the notices a bare name names: title, number,
// date, issuer, how many tasks and groups it sets — from their metadata,
// with no unit named — and what may be asked next.
func (ix *Index) answerOverview(q Query, a *Answer) {
	var b strings.Builder
	for _, n := range ix.Corpus.Notices {
		if !slices.Contains(q.Docs, n.Doc) {
			continue
		}
		a.Citations = append(a.Citations, Citation{Doc: n.Doc, Title: n.Title, Label: n.Name(), Kind: "notice"})
		fmt.Fprintf(&b, "《%s》", strings.Join(strings.Fields(firstNonEmpty(n.Title, n.Name())), ""))
		var meta []string
		for _, s := range []string{n.DocNumber, n.Issuer} {
			if s != "" {
				meta = append(meta, s)
			}
		}
		if n.Date != "" {
			meta = append(meta, n.Date+say(q.Lang, " 印发", " issued"))
		}
		if len(meta) > 0 {
			fmt.Fprintf(&b, "（%s）", strings.Join(meta, "，"))
		}
		b.WriteString("\n")
		if len(n.Tasks) > 0 {
			fmt.Fprintf(&b, say(q.Lang, "分解任务 %d 项（%s 至 %s）", "%d tasks (%s to %s)"), len(n.Tasks), n.Tasks[0].Ref, n.Tasks[len(n.Tasks)-1].Ref)
			b.WriteString("\n")
		}
		for _, g := range n.Groups {
			fmt.Fprintf(&b, say(q.Lang, "%s：%d 人\n", "%s: %d members\n"), strings.Join(strings.Fields(g.Name), ""), len(g.Members))
		}
	}
	if len(a.Citations) == 0 {
		return
	}
	a.Found = true
	b.WriteString(say(q.Lang, "可以接着问：某单位在这份通知里负责什么、第几项谁牵头、什么时候完成。",
		"Ask next: what a unit does in it, who leads item N, when it is due."))
	a.Text = b.String()
}

// issuerAskedRe asks who issued a notice: 哪个单位印发的, 是谁发的, 发文单位.
var issuerAskedRe = regexp.MustCompile(`(?:哪个|哪些|哪两个|哪几个|什么|哪家)(?:单位|部门|机关|办公室|办公厅)?(?:印发|发布|下发|发文|制发|联合印发|发)的?|发文单位|发文机关|印发单位|发布单位|发文部门|谁发的|谁印发|谁下发|谁发布`)

// answerIssuer answers who issued the notices a question names, with the
// date and number they were issued under, from their metadata. A notice
// whose metadata names no issuer is said to name none.
func (ix *Index) answerIssuer(q Query, a *Answer) {
	var b strings.Builder
	for _, n := range ix.Corpus.Notices {
		if !slices.Contains(q.Docs, n.Doc) || n.Issuer == "" {
			continue
		}
		fmt.Fprintf(&b, say(q.Lang, "%s：发文单位 %s", "%s: issued by %s"), noticeLabel(n), n.Issuer)
		if n.DocNumber != "" && !strings.Contains(noticeLabel(n), n.DocNumber) {
			fmt.Fprintf(&b, "，%s", n.DocNumber)
		}
		if n.Date != "" {
			fmt.Fprintf(&b, say(q.Lang, "，%s 印发", ", %s"), n.Date)
		}
		b.WriteString("\n")
		a.Citations = append(a.Citations, Citation{Doc: n.Doc, Title: n.Title, Label: n.Name(), Kind: "notice",
			LeadUnits: []string{}, ResponsibleUnits: []string{}})
	}
	if len(a.Citations) == 0 {
		return
	}
	a.Found = true
	a.Text = strings.TrimRight(b.String(), "\n")
}
