package bot

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/assignbot/assignbot/corpus"
)

// Digests: what is due soon, what passed lately, which notices changed,
// and for chats that follow units, what those units lead with dates ahead.

// DigestOptions shape one digest.
type DigestOptions struct {
	Horizon int               // days ahead; default 7
	Past    int               // days back for passed deadlines; default 3
	Units   []string          // canonical units followed; empty: everything
	Seen    map[string]string // notice file → hash at the chat's last digest; nil: no change section
	Notices []string          // the chat's scope (notice files); nil: every notice
}

// DueItem is one dated item of a digest.
type DueItem struct {
	Date     string   `json:"date"`
	Days     int      `json:"days"` // from the digest's day; negative: passed
	Kind     string   `json:"kind"` // due, phase
	What     string   `json:"what"`
	Phrase   string   `json:"phrase"`
	Units    []string `json:"units,omitempty"`
	Citation string   `json:"citation"`
	Doc      string   `json:"doc"`
}

// Digest is the content of one chat's digest for one day.
type Digest struct {
	Day       string    `json:"day"`
	Horizon   int       `json:"horizon"`
	Units     []string  `json:"units,omitempty"`
	Upcoming  []DueItem `json:"upcoming"`
	Passed    []DueItem `json:"passed"`
	Added     []string  `json:"added,omitempty"`
	Changed   []string  `json:"changed,omitempty"`
	Removed   []string  `json:"removed,omitempty"`
	UnitTasks []DueItem `json:"unit_tasks,omitempty"`
}

// Empty reports a digest with nothing to say.
func (d Digest) Empty() bool {
	return len(d.Upcoming)+len(d.Passed)+len(d.Added)+len(d.Changed)+len(d.Removed)+len(d.UnitTasks) == 0
}

// BuildDigest assembles the digest of day (a date in the chat's time zone).
func BuildDigest(c *corpus.Corpus, day time.Time, opt DigestOptions) Digest {
	if c == nil {
		c = &corpus.Corpus{Directory: corpus.NewDirectory()}
	}
	if opt.Horizon <= 0 {
		opt.Horizon = 7
	}
	if opt.Past <= 0 {
		opt.Past = 3
	}
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	d := Digest{Day: day.Format("2006-01-02"), Horizon: opt.Horizon, Units: opt.Units}
	follow := map[string]bool{}
	for _, u := range opt.Units {
		follow[u] = true
	}
	seenItem := map[string]bool{}
	for _, n := range c.Notices {
		if !inScope(opt.Notices, n.Doc) {
			continue
		}
		for _, dl := range n.Deadlines {
			date, err := dueOn(dl, day.AddDate(0, 0, -opt.Past))
			if err != nil {
				continue
			}
			days := int(date.Sub(day).Hours() / 24)
			if days > opt.Horizon || days < -opt.Past {
				continue
			}
			if len(follow) > 0 && len(dl.Units) > 0 && !anyIn(c.Directory.CanonicalList(dl.Units), follow) {
				continue // bound to other units; deadlines naming no unit bind everyone
			}
			dl.Date = date.Format("2006-01-02") // a recurring deadline's occurrence
			item := dueItem(n, dl, days)
			key := item.Doc + item.Date + item.Phrase + item.Citation
			if seenItem[key] {
				continue
			}
			seenItem[key] = true
			if days < 0 {
				d.Passed = append(d.Passed, item)
			} else {
				d.Upcoming = append(d.Upcoming, item)
			}
		}
	}
	if len(follow) > 0 {
		for _, t := range c.Tasks() {
			if !anyIn(c.Directory.CanonicalList(t.LeadUnits), follow) {
				continue
			}
			n := noticeOf(c, t.Doc)
			for _, dl := range t.Deadlines {
				date, err := dueOn(dl, day)
				if err != nil {
					continue
				}
				if days := int(date.Sub(day).Hours() / 24); days >= 0 && days <= opt.Horizon {
					dl.Date = date.Format("2006-01-02")
					d.UnitTasks = append(d.UnitTasks, dueItem(n, dl, days))
				}
			}
		}
	}
	if opt.Seen != nil {
		now := NoticeHashes(c)
		for _, f := range sortedKeys(now) {
			if !inScope(opt.Notices, f) {
				continue
			}
			switch old, ok := opt.Seen[f]; {
			case !ok:
				d.Added = append(d.Added, noticeName(c, f))
			case old != now[f]:
				d.Changed = append(d.Changed, noticeName(c, f))
			}
		}
		for _, f := range sortedKeys(opt.Seen) {
			if _, ok := now[f]; !ok {
				d.Removed = append(d.Removed, f)
			}
		}
	}
	byDate := func(items []DueItem) {
		sort.SliceStable(items, func(i, j int) bool { return items[i].Date < items[j].Date })
	}
	byDate(d.Upcoming)
	byDate(d.Passed)
	byDate(d.UnitTasks)
	return d
}

func dueItem(n *corpus.Notice, dl corpus.Deadline, days int) DueItem {
	what := dl.Text
	if dl.Kind == "phase" && dl.Title != "" {
		what = dl.Title + "结束"
	}
	return DueItem{Date: dl.Date, Days: days, Kind: dl.Kind, What: Clip(strings.TrimSpace(what), 60), Phrase: dl.Phrase,
		Units: dl.Units, Citation: strings.TrimSpace(n.Name() + " " + dl.Ref), Doc: n.Doc}
}

// NoticeHashes maps each loaded notice file to its content hash.
func NoticeHashes(c *corpus.Corpus) map[string]string {
	m := map[string]string{}
	if c == nil {
		return m
	}
	for _, f := range c.Report.Files {
		if f.Status == "loaded" {
			m[f.Name] = f.Hash
		}
	}
	return m
}

func noticeOf(c *corpus.Corpus, doc string) *corpus.Notice {
	for _, n := range c.Notices {
		if n.Doc == doc {
			return n
		}
	}
	return &corpus.Notice{Doc: doc}
}

func noticeName(c *corpus.Corpus, doc string) string {
	return noticeOf(c, doc).Name()
}

func anyIn(list []string, set map[string]bool) bool {
	for _, x := range list {
		if set[x] {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// When says the item's date relative to the digest's day: 今天, 明天,
// 还有3天, 已过2天.
func (it DueItem) When() string { return when(it) }

// when says a date relative to the digest's day.
func when(it DueItem) string {
	switch {
	case it.Days == 0:
		return "今天"
	case it.Days == 1:
		return "明天"
	case it.Days > 1:
		return fmt.Sprintf("还有%d天", it.Days)
	}
	return fmt.Sprintf("已过%d天", -it.Days)
}

// Text renders the digest as plain text, for a terminal.
func (d Digest) Text() string {
	same := func(s string) string { return s }
	return d.Render(same, same)
}

// Render writes the digest in a channel's markup: bold marks headings
// and units, e escapes every piece of text for the markup (Telegram's
// HTML is Render(<b>…</b>, html.EscapeString)).
func (d Digest) Render(bold, e func(string) string) string {
	var b strings.Builder
	b.WriteString(bold("每日任务提醒 · " + d.Day))
	if len(d.Units) > 0 {
		fmt.Fprintf(&b, "\n关注单位：%s", e(strings.Join(d.Units, "、")))
	}
	if d.Empty() {
		b.WriteString("\n\n今天没有需要提醒的时间节点，也没有通知变化。")
		return b.String()
	}
	list := func(title string, items []DueItem) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n\n%s", bold(title))
		for _, it := range items {
			fmt.Fprintf(&b, "\n· %s（%s）%s", it.Date, when(it), e(it.What))
			if len(it.Units) > 0 {
				fmt.Fprintf(&b, "\n  单位：%s", bold(e(strings.Join(clipList(it.Units, 6), "、"))))
			}
			fmt.Fprintf(&b, "\n  来源：%s", e(it.Citation))
		}
	}
	list(fmt.Sprintf("%d天内到期", d.Horizon), d.Upcoming)
	list("近3天已到期", d.Passed)
	if len(d.Added)+len(d.Changed)+len(d.Removed) > 0 {
		b.WriteString("\n\n" + bold("通知变化"))
		for _, c := range []struct {
			what  string
			names []string
		}{{"新增", d.Added}, {"修改", d.Changed}, {"删除", d.Removed}} {
			if len(c.names) > 0 {
				fmt.Fprintf(&b, "\n%s：%s", c.what, e(strings.Join(c.names, "；")))
			}
		}
	}
	list("关注单位牵头、近期有时间节点的任务", d.UnitTasks)
	return b.String()
}

func clipList(list []string, n int) []string {
	if len(list) <= n {
		return list
	}
	return append(append([]string{}, list[:n]...), fmt.Sprintf("等%d个单位", len(list)))
}

// dueOn is the day a deadline falls due on or after from: its date, or a
// recurring deadline's next occurrence (每年2月底前 comes back each year).
func dueOn(dl corpus.Deadline, from time.Time) (time.Time, error) {
	date := dl.Date
	if dl.Every != "" {
		date = dl.Next(from.Format("2006-01-02"))
	}
	return time.Parse("2006-01-02", date)
}
