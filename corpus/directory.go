package corpus

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Directory resolves the many names of a unit to one canonical name.
// Notices write the same body as 市经信局 and 市经济和信息化局, 市发改委 and
// 市发展改革委; answers and lookups must treat them as one. The directory
// starts from a curated table of the usual short forms and learns the
// short names notices define themselves (（以下简称武圈办）).
type Directory struct {
	mu    sync.RWMutex
	alias map[string]string // folded name → canonical name
}

// curatedUnits maps canonical names to the short and older forms seen in
// notices. The common 市X局 abbreviations hold in any city; the 武汉 entries
// cover the city of the sample notices.
var curatedUnits = map[string][]string{
	"市发展改革委":        {"市发改委", "市发展和改革委员会", "市发展和改革委", "市发展改革委员会"},
	"市经济和信息化局":      {"市经信局", "市经济信息化局", "市经济和信息化委员会", "市经信委"},
	"市教育局":          {"市教委"},
	"市科技局":          {"市科学技术局"},
	"市公安局":          {},
	"市民政局":          {},
	"市司法局":          {},
	"市财政局":          {},
	"市人力资源社会保障局":    {"市人社局", "市人力资源和社会保障局"},
	"市自然资源和规划局":     {"市自然资源规划局", "市资规局", "市自然资源局"},
	"市生态环境局":        {"市环保局", "市生态环境保护局"},
	"市住房城乡建设局":      {"市住建局", "市住房和城乡建设局"},
	"市城乡建设局":        {"市城建局", "市城乡建设委员会", "市城建委"},
	"市交通运输局":        {"市交通局"},
	"市水务局":          {"市水利局", "市水务和湖泊局"},
	"市农业农村局":        {"市农业局"},
	"市商务局":          {},
	"市文化和旅游局":       {"市文旅局", "市文化旅游局"},
	"市文化广电旅游局":      {"市文广旅局"},
	"市卫生健康委":        {"市卫健委", "市卫生健康委员会", "市卫生和健康委员会"},
	"市退役军人事务局":      {"市退役军人局"},
	"市应急管理局":        {"市应急局"},
	"市审计局":          {},
	"市国资委":          {"市国有资产监督管理委员会", "市政府国资委"},
	"市市场监管局":        {"市市场监督管理局", "市场监管局"},
	"市体育局":          {},
	"市统计局":          {},
	"市医疗保障局":        {"市医保局"},
	"市城管执法委":        {"市城市管理执法委员会", "市城管委"},
	"市城管执法局":        {"市城市管理综合执法局", "市城管局"},
	"市园林和林业局":       {"市园林林业局"},
	"市住房保障房管局":      {"市房管局", "市住房保障和房屋管理局"},
	"市政务服务和大数据管理局":  {"市政务服务大数据局", "市大数据局", "市政务服务和大数据局"},
	"市地方金融工作局":      {"市地方金融局", "市金融局", "市地方金融监督管理局"},
	"市信访局":          {},
	"市民宗委":          {"市民族宗教事务委员会"},
	"市外办":           {"市委外办", "市人民政府外事办公室"},
	"市招商办":          {"市招商局"},
	"市扶贫开发办":        {"市扶贫办"},
	"市税务局":          {"国家税务总局武汉市税务局"},
	"市邮政管理局":        {},
	"市气象局":          {},
	"市能源局":          {},
	"市委宣传部":         {},
	"市委组织部":         {},
	"市委网信办":         {"市网信办"},
	"市工商联":          {},
	"市科协":           {},
	"市残联":           {},
	"市供销合作总社":       {"市供销社"},
	"武汉东湖新技术开发区管委会": {"东湖高新区管委会", "东湖新技术开发区管委会", "光谷管委会", "武汉东湖新技术开发区管理委员会", "东湖高新区"},
	"武汉经济技术开发区管委会":  {"武汉经开区管委会", "经开区管委会", "武汉经济技术开发区管理委员会", "武汉经开区"},
	"武汉临空港经济技术开发区管委会": {"临空港开发区管委会", "临空港经开区管委会", "武汉临空港开发区管委会", "临空港开发区"},
	"武汉长江新城管委会":       {"长江新城管委会", "长江新区管委会", "武汉长江新区管委会"},
	"市东湖生态旅游风景区管委会":   {"东湖风景区管委会", "东湖生态旅游风景区管委会"},
	"武汉新港管委会":         {"武汉新港委", "新港管委会"},
	"武汉住房公积金管理中心":     {"武汉公积金中心", "市公积金中心"},
	"长江日报报业集团":        {"长报集团"},
	"市城投公司":           {"武汉市城市建设投资开发集团", "市城投集团"},
}

// NewDirectory returns a directory holding the curated table.
func NewDirectory() *Directory {
	d := &Directory{alias: map[string]string{}}
	for canon, aliases := range curatedUnits {
		d.alias[unitKey(canon)] = canon
		for _, a := range aliases {
			d.alias[unitKey(a)] = canon
		}
	}
	return d
}

// unitKey folds a unit name for lookup: Simplified, half-width, no padding,
// and without the 中国 or 国家 a national body's name may open with
// (中国证监会 and 证监会, 国家发展改革委 and 发展改革委 are one body; State
// Council notices drop the prefix, other notices keep it).
func unitKey(name string) string {
	var b strings.Builder
	for _, r := range name {
		r = foldRune(r)
		if r == ' ' || r == '?' || r == '\t' || r == '"' {
			continue
		}
		b.WriteRune(r)
	}
	k := b.String()
	for _, p := range []string{"中国", "国家"} {
		if rest, ok := strings.CutPrefix(k, p); ok && utf8.RuneCountInString(rest) >= 3 && isCompleteUnit(rest) {
			return rest
		}
	}
	return k
}

// Canonical returns the canonical name of a unit. An unknown name is
// returned cleaned (Simplified, padding removed).
func (d *Directory) Canonical(name string) string {
	k := unitKey(name)
	d.mu.RLock()
	defer d.mu.RUnlock()
	if c, ok := d.alias[k]; ok {
		return c
	}
	return k
}

// writtenUnits cleans a list of unit names as a notice writes them: padding
// trimmed, empties, single characters and repeats dropped. Names are never
// resolved to another form here; the directory does that for matching only.
func writtenUnits(names []string) []string {
	var out []string
	for _, n := range names {
		if n = strings.Trim(n, " \t\u3000\u00a0"); n != "" && utf8.RuneCountInString(n) >= 2 {
			out = appendUnique(out, n)
		}
	}
	return out
}

// CanonicalList resolves a list of names, dropping empties and repeats.
func (d *Directory) CanonicalList(names []string) []string {
	var out []string
	for _, n := range names {
		if c := d.Canonical(n); c != "" && utf8.RuneCountInString(c) >= 2 {
			out = appendUnique(out, c)
		}
	}
	return out
}

// Learn records a short name a notice defines for a unit.
func (d *Directory) Learn(short, full string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	full = d.canonicalLocked(full)
	if k := unitKey(short); k != "" && k != full {
		if _, taken := d.alias[k]; !taken {
			d.alias[k] = full
		}
	}
}

func (d *Directory) canonicalLocked(name string) string {
	k := unitKey(name)
	if c, ok := d.alias[k]; ok {
		return c
	}
	return k
}

// Aliases returns every known name of the canonical unit, canonical first.
func (d *Directory) Aliases(canon string) []string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := []string{canon}
	var more []string
	for k, c := range d.alias {
		if c == canon && k != canon {
			more = append(more, k)
		}
	}
	sort.Strings(more)
	return append(out, more...)
}

// Names returns every name the directory knows (aliases and canonical
// names), longest first, for finding unit mentions in free text.
func (d *Directory) Names() []string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	seen := map[string]bool{}
	var out []string
	for k, c := range d.alias {
		for _, n := range []string{k, c} {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}
