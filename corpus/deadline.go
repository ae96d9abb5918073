package corpus

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Dates in notices are written for people: 2021年6月底之前, 9月底 (the year
// is the notice's), 4月15日、7月15日、10月15日及2021年1月15日前 (the year
// carries forward until a new one is named), phases as （2022年4—10月）.
// findDeadlines resolves them to real dates.

var (
	// dateRe finds one date phrase; the groups are year, month, optional
	// end month (a range), day, and a part of the month (底, 中旬 …).
	dateRe       = regexp.MustCompile(`(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*(?:月\s*[-—–~至到]\s*(\d{1,2})\s*月|[-—–~至到]\s*(\d{1,2})\s*月|月)\s*(?:(\d{1,2})\s*日)?\s*(底|末|上旬|中旬|下旬|份)?(?:之前|以前|前)?`)
	yearEndRe    = regexp.MustCompile(`((?:19|20)\d{2})\s*年\s*(?:底|末)(?:之前|以前|前)?`)
	phaseTitleRe = regexp.MustCompile(`^([^（(。，,]{2,20}阶段)`)
	sentenceEnd  = regexp.MustCompile(`[。；;！!？?\n]`)
	pubDateRe    = regexp.MustCompile(`发布|發布|成文|日期|时间|時間`)
)

// findDeadlines collects the dated sentences of a notice.
func findDeadlines(n *Notice, nodes []*Node, dir *Directory) []Deadline {
	base := baseYear(n)
	known := noticeUnits(n)
	var out []Deadline
	for _, nd := range nodes {
		ds := appendDeadlines(nil, datesIn(nd.Text, base)...)
		for i := range ds {
			d := &ds[i]
			d.Ref, d.Line = nd.Ref, nd.Line
			if m := phaseTitleRe.FindStringSubmatch(nd.Text); m != nil && strings.Contains(nd.Text[:len(m[1])+len(d.Phrase)+12], d.Phrase) && d.Start != "" {
				d.Kind, d.Title = "phase", m[1]
			} else {
				d.Title = nd.Title
			}
			if nd.Task != nil {
				d.Units = nd.Task.Units()
				nd.Task.Deadlines = append(nd.Task.Deadlines, *d)
			} else {
				d.Units = mentionedUnits(d.Text, known, dir)
			}
		}
		out = appendDeadlines(out, ds...)
	}
	for _, p := range n.Passages {
		if p.Kind != "preamble" {
			continue
		}
		for _, d := range datesIn(p.Text, base) {
			if dateLineRe.MatchString(d.Text) || pubDateRe.MatchString(d.Text) {
				continue // when the notice was signed or published, not a deadline
			}
			d.Ref, d.Line, d.Title = "通知", p.Line, n.Title
			d.Units = mentionedUnits(d.Text, known, dir)
			out = appendDeadlines(out, d)
		}
	}
	for _, t := range n.Tasks {
		if t.Deadlines == nil {
			t.Deadlines = []Deadline{}
		}
	}
	if out == nil {
		out = []Deadline{}
	}
	return out
}

// appendDeadlines adds deadlines, skipping one already listed for the same
// place, date and words.
func appendDeadlines(list []Deadline, add ...Deadline) []Deadline {
outer:
	for _, a := range add {
		for _, d := range list {
			if d.Ref == a.Ref && d.Date == a.Date && d.Phrase == a.Phrase && d.Kind == a.Kind {
				continue outer
			}
		}
		list = append(list, a)
	}
	return list
}

// baseYear is the year a date without one belongs to: the year of the
// notice's date, else of its document number.
func baseYear(n *Notice) int {
	if len(n.Date) >= 4 {
		return atoi(n.Date[:4])
	}
	if m := regexp.MustCompile(`(?:19|20)\d{2}`).FindString(n.DocNumber); m != "" {
		return atoi(m)
	}
	return 0
}

// datesIn finds the dates of one text, sentence by sentence. Years carry
// forward within a sentence.
func datesIn(text string, base int) []Deadline {
	var out []Deadline
	for _, sent := range splitSentences(text) {
		year := base
		if !strings.ContainsAny(sent, "月年") {
			continue
		}
		for _, m := range yearEndRe.FindAllStringSubmatch(sent, -1) {
			y := atoi(m[1])
			out = append(out, Deadline{Kind: "due", Date: isoDate(y, 12, 31), Phrase: m[0], Text: sent})
		}
		for _, m := range dateRe.FindAllStringSubmatch(sent, -1) {
			if m[1] != "" {
				year = atoi(m[1])
			}
			if year == 0 {
				continue
			}
			month := atoi(m[2])
			if month < 1 || month > 12 {
				continue
			}
			endMonth := atoi(m[3] + m[4])
			d := Deadline{Kind: "due", Phrase: strings.TrimSpace(m[0]), Text: sent}
			switch {
			case endMonth >= month && endMonth <= 12:
				d.Kind = "phase"
				d.Start = isoDate(year, month, 1)
				d.Date = isoDate(year, endMonth, lastDay(year, endMonth))
			case m[5] != "":
				day := atoi(m[5])
				if day < 1 || day > lastDay(year, month) {
					continue
				}
				d.Date = isoDate(year, month, day)
			default:
				day := lastDay(year, month)
				switch m[6] {
				case "上旬":
					day = 10
				case "中旬":
					day = 20
				case "":
					if !strings.Contains(m[0], "前") {
						// A bare month (检查阶段（2021年11月）) is a span.
						d.Start = isoDate(year, month, 1)
						d.Kind = "phase"
					}
				}
				d.Date = isoDate(year, month, day)
			}
			out = append(out, d)
		}
	}
	return out
}

func splitSentences(text string) []string {
	var out []string
	last := 0
	for _, loc := range sentenceEnd.FindAllStringIndex(text, -1) {
		if s := strings.TrimSpace(text[last:loc[1]]); s != "" {
			out = append(out, s)
		}
		last = loc[1]
	}
	if s := strings.TrimSpace(text[last:]); s != "" {
		out = append(out, s)
	}
	return out
}

// noticeUnits lists the units a notice's tasks name.
func noticeUnits(n *Notice) []string {
	var us []string
	for _, t := range n.Tasks {
		us = appendUnique(us, t.Units()...)
	}
	return us
}

// mentionedUnits finds the units a sentence names: any unit of the notice
// or of the directory, by any of its names.
func mentionedUnits(sent string, known []string, dir *Directory) []string {
	var out []string
	for _, name := range append(append([]string(nil), known...), dir.Names()...) {
		if len(name) >= 6 && strings.Contains(sent, name) {
			out = appendUnique(out, name)
		}
	}
	return out
}

func isoDate(y, m, d int) string {
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
}

func lastDay(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}
