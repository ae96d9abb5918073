// Package corpusgen writes synthetic notices for benchmarks by recombining
// the sample notices' task texts and unit lists under the numbering styles
// and unit-marker conventions real notices use. It is seeded, so the same
// arguments write the same corpus. It never replaces the real samples in
// tests.
package corpusgen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/assignbot/assignbot/corpus"
)

// Options shape a generated corpus.
type Options struct {
	Notices        int    // how many notices
	TasksPerNotice int    // tasks in each; default 50
	Seed           uint64 // default 1
}

// material is what notices are recombined from.
type material struct {
	tasks   []string   // task texts without markers
	leads   [][]string // lead unit lists seen in the samples
	resps   [][]string // responsible unit lists
	titles  []string   // section titles
	members []corpus.Member
}

func loadMaterial() (*material, error) {
	c, err := corpus.LoadFS(corpus.Samples, ".")
	if err != nil {
		return nil, err
	}
	m := &material{}
	for _, n := range c.Notices {
		for _, t := range n.Tasks {
			text := stripMarkers(strings.ReplaceAll(t.Text, "\n", ""))
			if utf8.RuneCountInString(text) < 6 {
				continue
			}
			m.tasks = append(m.tasks, text)
			if len(t.LeadUnits) > 0 {
				m.leads = append(m.leads, t.LeadUnits)
			}
			if len(t.ResponsibleUnits) > 0 {
				m.resps = append(m.resps, t.ResponsibleUnits)
			}
			for _, s := range t.Sections {
				if s != "" && utf8.RuneCountInString(s) < 30 {
					m.titles = append(m.titles, s)
				}
			}
		}
		for _, g := range n.Groups {
			m.members = append(m.members, g.Members...)
		}
	}
	return m, nil
}

// stripMarkers removes bracketed unit markers from a task text.
func stripMarkers(s string) string {
	var b strings.Builder
	depth, start := 0, 0
	rs := []rune(s)
	for i, r := range rs {
		switch r {
		case '(', '（', '〔', '[', '［':
			if depth == 0 {
				start = i
			}
			depth++
			continue
		case ')', '）', '〕', ']', '］':
			if depth > 0 {
				depth--
				if depth == 0 {
					inner := string(rs[start : i+1])
					if !strings.Contains(inner, "单位") && !strings.Contains(inner, "單位") && !strings.Contains(inner, "牵头") {
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

var (
	cities  = []string{"武汉", "广元", "襄阳", "宜昌", "黄石", "十堰", "荆州", "孝感", "成都", "绵阳", "南充", "长沙", "南昌", "合肥", "郑州"}
	numeral = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"}
	kinds   = []string{"责任分解方案", "议案办理工作方案", "行动方案", "工作要点", "建议案办理工作方案"}
)

// Marker conventions, as in corpus/doc.go.
const (
	styleLabeled   = iota // （牵头单位：X；责任单位：Y）
	styleSquare           // 〔牵头单位：X，责任单位：Y〕
	styleCommaRule        // 〔责任单位：X，Y〕 with 逗号前为牵头单位（下同）
	styleXLeads           // （X牵头，Y配合）
	styleOwnLines         // 牵头单位：X / 责任单位：Y on their own lines
	styleCount
)

// Notice writes the text of notice i.
func (m *material) notice(r *rand.Rand, i, tasks int) string {
	city := cities[r.IntN(len(cities))]
	year := 2018 + r.IntN(8)
	kind := kinds[r.IntN(len(kinds))]
	style := r.IntN(styleCount)
	full := r.IntN(2) == 0 // full-width or half-width punctuation
	var b strings.Builder
	plan := fmt.Sprintf("%d年%s第%d号%s", year, city, i+1, kind)
	fmt.Fprintf(&b, "%s政办〔%d〕%d号\n", string([]rune(city)[:1]), year, i+1)
	fmt.Fprintf(&b, "%s市人民政府办公厅关于印发%s的通知\n", city, plan)
	fmt.Fprintf(&b, "《%s》已经市人民政府同意，现印发给你们，请认真组织实施。\n%s市人民政府办公厅\n%d年%d月%d日\n%s\n", plan, city, year, 1+r.IntN(3), 1+r.IntN(28), plan)
	if style == styleCommaRule {
		b.WriteString("各项任务的责任单位中，逗号前为牵头单位（下同）。\n")
	}
	fmt.Fprintf(&b, "一、工作目标\n到%d年底，全市社会消费品零售总额增长%d%%以上。\n二、工作任务\n", year, 5+r.IntN(10))
	sections := 2 + r.IntN(4)
	per := (tasks + sections - 1) / sections
	written := 0
	for s := 0; s < sections && written < tasks; s++ {
		fmt.Fprintf(&b, "（%s）%s\n", numeral[s], m.titles[r.IntN(len(m.titles))])
		for k := 1; k <= per && written < tasks; k++ {
			text := m.tasks[r.IntN(len(m.tasks))]
			lead := m.leads[r.IntN(len(m.leads))]
			resp := m.resps[r.IntN(len(m.resps))]
			fmt.Fprintf(&b, "%d．%s%s\n", k, text, marker(style, lead, resp, full))
			if style == styleOwnLines {
				fmt.Fprintf(&b, "牵头单位：%s\n责任单位：%s\n", strings.Join(lead, "、"), strings.Join(resp, "、"))
			}
			written++
		}
	}
	fmt.Fprintf(&b, "三、工作安排\n（一）部署阶段（%d年%d月底之前）。研究制订工作方案，分解任务。\n", year, 2+r.IntN(2))
	fmt.Fprintf(&b, "（二）推进阶段（%d年4—10月）。%d月底之前，各承办单位报送半年工作小结。\n", year, 6)
	fmt.Fprintf(&b, "四、工作要求\n成立工作领导小组，领导小组下设办公室，在%s办公。\n", lead0(m, r))
	fmt.Fprintf(&b, "%s工作领导小组组成人员名单\n", plan)
	for k, mem := range pick(r, m.members, 6) {
		role := "成员"
		if k == 0 {
			role = "组长"
		}
		fmt.Fprintf(&b, "%s：%s  %s\n", role, mem.Name, mem.Title)
	}
	out := b.String()
	if !full {
		out = strings.NewReplacer("（", "(", "）", ")", "：", ":", "；", ";", "，", ",").Replace(out)
	}
	return out
}

func lead0(m *material, r *rand.Rand) string { return m.leads[r.IntN(len(m.leads))][0] }

func pick[T any](r *rand.Rand, list []T, n int) []T {
	out := make([]T, 0, n)
	for i := 0; i < n && len(list) > 0; i++ {
		out = append(out, list[r.IntN(len(list))])
	}
	return out
}

func marker(style int, lead, resp []string, full bool) string {
	l, rs := strings.Join(lead, "、"), strings.Join(resp, "、")
	switch style {
	case styleSquare:
		return "〔牵头单位：" + l + "，责任单位：" + rs + "〕"
	case styleCommaRule:
		return "〔责任单位：" + l + "，" + rs + "〕"
	case styleXLeads:
		return "（" + l + "牵头，" + rs + "配合）"
	case styleOwnLines:
		return ""
	}
	return "（牵头单位：" + l + "；责任单位：" + rs + "）"
}

// Write writes opt.Notices notices into dir as UTF-8 text files and returns
// their names.
func Write(dir string, opt Options) ([]string, error) {
	if opt.TasksPerNotice <= 0 {
		opt.TasksPerNotice = 50
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	m, err := loadMaterial()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	var names []string
	for i := 0; i < opt.Notices; i++ {
		name := fmt.Sprintf("gen_%05d.txt", i)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(m.notice(r, i, opt.TasksPerNotice)), 0o644); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, nil
}
