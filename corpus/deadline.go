package corpus

import (
	"regexp"
	"sort"
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
	// byYearRe is "by a year": 到2020年, 2020年前 (the year's end).
	byYearRe = regexp.MustCompile(`(?:到|至|在|于)((?:19|20)\d{2})\s*年(前|以前|之前)?|((?:19|20)\d{2})\s*年(?:前|以前|之前)`)
	// withinRe counts days from the notice's issue: 在本意见印发之日起30日内.
	withinRe = regexp.MustCompile(`(?:印发|发布|下发|公布|施行)之日起\s*(\d{1,3})\s*(?:个)?(日|天|个工作日|个月)内`)
	// spanRe is a span from the notice's issue, with no 印发之日起 before
	// it: 5年内, 3个月内, 两年内; 年内 is the notice's own year.
	spanRe = regexp.MustCompile(`(?:^|[^\d年月日〇零一二三四五六七八九十两])(?:(\d{1,2}|[一二三两四五六七八九十])\s*(?:个)?(年|月)内|(年内))`)
	// everyRe is a recurring date: 每年2月底前, 每季度末, 每月10日前.
	everyRe = regexp.MustCompile(`(?:(?:从|自)((?:19|20)\d{2})\s*年起\s*[,，]?\s*)?每(年|季度|季|月|半年)(?:的)?\s*(?:(\d{1,2})\s*月)?\s*(?:(\d{1,2})\s*日|(底|末|初|上旬|中旬|下旬))?\s*(?:之前|以前|前)?`)
	// ongoingRe is a task with no end: 长期坚持, 持续推进, standing in a
	// bracket or a deadline cell of its own.
	ongoingRe = regexp.MustCompile(`^(?:长期坚持|持续推进|长期|常态化推进|持续开展|长期推进)$`)
)

// findDeadlines collects the dated sentences of a notice: every task's,
// then those of the items that are not tasks.
func findDeadlines(n *Notice, nodes []*Node, dir *Directory) []Deadline {
	base := baseYear(n)
	known := noticeUnits(n)
	var out []Deadline
	for _, t := range n.Tasks {
		// Deadlines a table gave in a column of their own, then the text's.
		ds := resolveCells(t.Deadlines, n.Date, base)
		ds = appendDeadlines(ds, datesIn(t.Text, base)...)
		ds = appendDeadlines(ds, relativeDates(t.Text, n.Date)...)
		for i := range ds {
			ds[i].Ref, ds[i].Line, ds[i].Units = t.Ref, t.Line, t.Units()
			if ds[i].Title == "" {
				ds[i].Title = titleOf(t.Text)
			}
		}
		t.Deadlines = ds
		out = appendDeadlines(out, ds...)
	}
	for _, nd := range nodes {
		if nd.Task != nil || nd.paraTasks {
			continue // read with the tasks
		}
		ds := appendDeadlines(nil, datesIn(nd.Text, base)...)
		ds = appendDeadlines(ds, relativeDates(nd.Text, n.Date)...)
		for i := range ds {
			d := &ds[i]
			d.Ref, d.Line = nd.Ref, nd.Line
			if m := phaseTitleRe.FindStringSubmatch(nd.Text); m != nil && strings.Contains(nd.Text[:len(m[1])+len(d.Phrase)+12], d.Phrase) && d.Start != "" {
				d.Kind, d.Title = "phase", m[1]
			} else {
				d.Title = nd.Title
			}
			d.Units = mentionedUnits(d.Text, known, dir)
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
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// resolveCells gives dates to deadlines a table wrote in a column of their
// own (2021年6月底前, 全年, 长期坚持).
func resolveCells(cells []Deadline, pub string, base int) []Deadline {
	var out []Deadline
	for _, c := range cells {
		switch ds := appendDeadlines(datesIn(c.Phrase, base), relativeDates(c.Phrase, pub)...); {
		case len(ds) > 0:
			for _, d := range ds {
				d.Phrase = c.Phrase
				out = append(out, d)
			}
		case strings.Contains(c.Phrase, "全年") && base > 0:
			out = append(out, Deadline{Kind: "due", Date: isoDate(base, 12, 31), Phrase: c.Phrase, Text: c.Text})
		default:
			out = append(out, Deadline{Kind: "ongoing", Phrase: c.Phrase, Text: c.Text})
		}
	}
	return out
}

// relativeDates reads the deadlines a text counts from the notice's issue
// (在本意见印发之日起30日内), given its date pub (YYYY-MM-DD), and the
// tasks marked as having no end (（长期坚持）).
func relativeDates(text, pub string) []Deadline {
	var out []Deadline
	for _, sent := range splitSentences(text) {
		for _, m := range withinRe.FindAllStringSubmatch(sent, -1) {
			d := Deadline{Kind: "due", Phrase: m[0], Text: sent}
			if t, err := time.Parse("2006-01-02", pub); err == nil {
				k := atoi(m[1])
				switch m[2] {
				case "个月":
					t = t.AddDate(0, k, 0)
				case "个工作日":
					t = t.AddDate(0, 0, k*7/5)
				default:
					t = t.AddDate(0, 0, k)
				}
				d.Date = t.Format("2006-01-02")
			}
			out = append(out, d)
		}
	}
	for _, sent := range splitSentences(text) {
		if withinRe.MatchString(sent) {
			continue // counted above
		}
		for _, m := range spanRe.FindAllStringSubmatch(sent, 2) {
			phrase := strings.TrimLeft(m[0], "，。；、,;:： (（")
			phrase = strings.TrimLeftFunc(phrase, func(r rune) bool { return !strings.ContainsRune("0123456789一二三两四五六七八九十年", r) })
			d := Deadline{Kind: "due", Phrase: phrase, Text: sent}
			if t, err := time.Parse("2006-01-02", pub); err == nil {
				switch {
				case m[3] != "": // 年内: by the end of the notice's year
					d.Date = isoDate(t.Year(), 12, 31)
				case m[2] == "年":
					d.Date = t.AddDate(chineseCount(m[1]), 0, 0).Format("2006-01-02")
				default:
					d.Date = t.AddDate(0, chineseCount(m[1]), 0).Format("2006-01-02")
				}
			}
			out = append(out, d)
		}
	}
	for _, g := range bracketGroups(text) {
		if inner := strings.TrimSpace(text[g[0]+g[2] : g[1]-g[3]]); ongoingRe.MatchString(inner) {
			out = append(out, Deadline{Kind: "ongoing", Phrase: inner, Text: inner})
		}
	}
	return out
}

// Next returns the first day on or after day (YYYY-MM-DD) on which the
// deadline falls due: its date, or for a recurring one the next occurrence.
// It returns "" when the deadline has passed or has no date.
func (d Deadline) Next(day string) string {
	if d.Date == "" {
		return ""
	}
	if d.Every == "" {
		if d.Date >= day {
			return d.Date
		}
		return ""
	}
	t, err := time.Parse("2006-01-02", d.Date)
	if err != nil {
		return ""
	}
	step := map[string]int{"year": 12, "half-year": 6, "quarter": 3, "month": 1}[d.Every]
	if step == 0 {
		return ""
	}
	// Step from the first occurrence, keeping month ends at month ends.
	monthEnd := t.Day() == lastDay(t.Year(), int(t.Month()))
	for i := 0; i < 12*200/step; i++ {
		y, m := t.Year(), int(t.Month())+i*step
		y += (m - 1) / 12
		m = (m-1)%12 + 1
		dd := t.Day()
		if monthEnd || dd > lastDay(y, m) {
			dd = lastDay(y, m)
		}
		if s := isoDate(y, m, dd); s >= day {
			return s
		}
	}
	return ""
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
// notice's date, else of its document number, else the year its title
// names (2024年重点工作任务分工).
func baseYear(n *Notice) int {
	if len(n.Date) >= 4 {
		return atoi(n.Date[:4])
	}
	for _, s := range []string{n.DocNumber, n.PlanTitle, n.Title} {
		if m := yearRe.FindString(s); m != "" {
			return atoi(m)
		}
	}
	return 0
}

var yearRe = regexp.MustCompile(`(?:19|20)\d{2}`)

// datesIn finds the dates of one text, sentence by sentence. Years carry
// forward within a sentence.
func datesIn(text string, base int) []Deadline {
	var out []Deadline
	for _, sent := range splitSentences(text) {
		year := base
		if !strings.ContainsAny(sent, "月年季") {
			continue
		}
		for _, m := range yearEndRe.FindAllStringSubmatch(sent, -1) {
			y := atoi(m[1])
			out = append(out, Deadline{Kind: "due", Date: isoDate(y, 12, 31), Phrase: m[0], Text: sent})
		}
		// Recurring dates are one deadline that comes back, not one date;
		// their words are taken out before the plain dates are read.
		for _, m := range everyRe.FindAllStringSubmatchIndex(sent, -1) {
			if d, ok := recurring(sent, m, base); ok {
				out = append(out, d)
				sent = sent[:m[0]] + strings.Repeat(" ", m[1]-m[0]) + sent[m[1]:]
			}
		}
		for _, m := range byYearRe.FindAllStringSubmatchIndex(sent, -1) {
			rest := strings.TrimLeft(sent[m[1]:], " ")
			if strings.HasPrefix(rest, "底") || strings.HasPrefix(rest, "末") || (rest != "" && rest[0] >= '0' && rest[0] <= '9') ||
				strings.HasPrefix(rest, "起") || strings.HasPrefix(rest, "以来") || strings.HasPrefix(rest, "度") {
				continue // 2020年底 (read above), 2020年6月, 2019年起
			}
			yr := m[2:4] // 到2020年: the first form's year
			if yr[0] < 0 {
				yr = m[6:8] // 2020年前: the second's
			}
			y := atoi(sent[yr[0]:yr[1]])
			out = append(out, Deadline{Kind: "due", Date: isoDate(y, 12, 31), Phrase: strings.TrimSpace(sent[m[0]:m[1]]), Text: sent})
		}
		for _, m := range dateRe.FindAllStringSubmatch(sent, -1) {
			if m[1] != "" {
				year = atoi(m[1])
			}
			month := atoi(m[2])
			if month < 1 || month > 12 {
				continue
			}
			if year == 0 {
				// 5月底前 in a notice that prints no year: the words are kept,
				// with no date to put in a digest.
				if strings.Contains(m[0], "前") {
					out = append(out, Deadline{Kind: "due", Phrase: strings.TrimSpace(m[0]), Text: sent})
				}
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

// recurring reads one match of everyRe in sent as a recurring deadline:
// 每年2月底前 (yearly from the notice's year), 从2019年起每年3月底前, 每季度末.
func recurring(sent string, m []int, base int) (Deadline, bool) {
	group := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return sent[m[2*i]:m[2*i+1]]
	}
	start, every, month, day, part := group(1), group(2), atoi(group(3)), atoi(group(4)), group(5)
	if month == 0 && day == 0 && part == "" {
		return Deadline{}, false // 每年 alone: a quantity per year, not a date
	}
	y := base
	if start != "" {
		y = atoi(start)
	}
	if y == 0 {
		return Deadline{}, false
	}
	d := Deadline{Kind: "due", Phrase: strings.TrimSpace(sent[m[0]:m[1]]), Text: sent}
	switch every {
	case "年":
		d.Every = "year"
	case "半年":
		d.Every = "half-year"
	case "季度", "季":
		d.Every = "quarter"
		if month == 0 {
			month = 3 // 每季度末: the quarter's last month
		}
	case "月":
		d.Every = "month"
		if month == 0 {
			month = 1
		}
	}
	if month < 1 || month > 12 {
		return Deadline{}, false
	}
	switch {
	case day > 0 && day <= lastDay(y, month):
	case part == "初" || part == "上旬":
		day = 10
	case part == "中旬":
		day = 20
	default:
		day = lastDay(y, month)
	}
	d.Date = isoDate(y, month, day)
	return d, true
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

// chineseCount reads a small count written in digits or in one Chinese
// numeral: 5, 两, 三, 十.
func chineseCount(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return strings.Index("零一二三四五六七八九十", s)/len("一") + map[string]int{"两": 2}[s]
}
