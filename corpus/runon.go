package corpus

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Run-on text. A notice reposted on a document site may reach us as one
// long line: its items (（一）…（二）…), the labels after them (牵头领导：
// …责任部门：…) and the site's page footers (第 1 页共 5 页) all run
// together. splitRunOn gives such a line back its paragraphs before the
// outline is read: a page counter and the running header after it are cut
// out, and the line is broken after each full stop, before each item
// marker of a sequence and before each label of units or a person.

// runOnMinRunes is the length from which a line with several items or
// labels inside it is read as run-on text.
const runOnMinRunes = 300

// pageCounterRe is a page counter inside text: 第 1 页共 5 页, 共5页 第1页.
var pageCounterRe = regexp.MustCompile(`第\s*\d{1,3}\s*页\s*[,，/]?\s*共\s*\d{1,3}\s*页|共\s*\d{1,3}\s*页\s*[,，/]?\s*第\s*\d{1,3}\s*页`)

// inlineSeqs are the item markers a run-on line is broken before, one
// sequence per level: 一、 （一） 1. （1）. A marker counts when it
// continues its sequence or starts it again at 1, so that 第2、3批 or
// 1.5亿元 inside a sentence break nothing.
var inlineSeqs = []struct {
	re    *regexp.Regexp
	value func(string) int
	ok    func(norm string, m []int) bool // the text around the marker allows it
}{
	{regexp.MustCompile(`([一二三四五六七八九十]{1,3})、`), hanValue, func(norm string, m []int) bool {
		r, _ := utf8.DecodeLastRuneInString(norm[:m[0]])
		return !strings.ContainsRune("一二三四五六七八九十第", r)
	}},
	{regexp.MustCompile(`[(（]([一二三四五六七八九十]{1,3})[)）]`), hanValue, func(string, []int) bool { return true }},
	{regexp.MustCompile(`(\d{1,2})[.．、]`), atoi, func(norm string, m []int) bool {
		r, _ := utf8.DecodeLastRuneInString(norm[:m[0]])
		next, _ := utf8.DecodeRuneInString(norm[m[1]:])
		return !strings.ContainsRune("0123456789.．第", r) && !strings.ContainsRune("0123456789", next) && (strings.ContainsRune("。;；:)）”", r) || unicode.Is(unicode.Han, r))
	}},
	{regexp.MustCompile(`[(（](\d{1,2})[)）]`), atoi, func(string, []int) bool { return true }},
}

// splitRunOn breaks run-on lines into paragraphs; other lines stay.
func splitRunOn(lines []string) []string {
	long := false
	for _, l := range lines {
		if utf8.RuneCountInString(l) >= runOnMinRunes {
			long = true
			break
		}
	}
	if !long {
		return lines
	}
	lines = cutPageCounters(lines)
	var out []string
	for _, l := range lines {
		if utf8.RuneCountInString(l) < runOnMinRunes {
			out = append(out, l)
			continue
		}
		out = append(out, breakRunOn(l)...)
	}
	return out
}

// cutPageCounters removes the page counters inside lines, and the running
// header a page repeats after each: the words the text opens with that
// follow a counter again (下载后可任意编辑 … 第 1 页共 5 页下载后可任意编辑).
func cutPageCounters(lines []string) []string {
	first, firstAt := "", -1
	for i, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			first, firstAt = l, i
			break
		}
	}
	header := ""
	for _, l := range lines {
		for _, m := range pageCounterRe.FindAllStringIndex(l, -1) {
			if h := commonPrefix(first, strings.TrimSpace(l[m[1]:])); utf8.RuneCountInString(h) >= 4 && (header == "" || len(h) < len(header)) {
				header = h
			}
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if pageCounterRe.MatchString(l) {
			l = pageCounterRe.ReplaceAllStringFunc(l, func(string) string { return "\x00" })
			if header != "" {
				l = strings.ReplaceAll(l, "\x00"+header, "")
			}
			l = strings.ReplaceAll(l, "\x00", "")
		}
		if header != "" && i == firstAt {
			l = strings.TrimPrefix(strings.TrimSpace(l), header)
		}
		out[i] = l
	}
	return out
}

// commonPrefix is the longest run of whole Han characters a and b open with.
func commonPrefix(a, b string) string {
	n := 0
	for n < len(a) && n < len(b) {
		ra, sa := utf8.DecodeRuneInString(a[n:])
		rb, _ := utf8.DecodeRuneInString(b[n:])
		if ra != rb || ra < 0x3400 {
			break
		}
		n += sa
	}
	return a[:n]
}

// breakRunOn breaks one run-on line: after each full stop outside
// brackets, before each second-level item marker that continues or
// restarts a sequence (（一）（二）…（一）), and before each label of units
// or of a person. A line with fewer than two such items or labels is no
// run-on text and stays whole.
func breakRunOn(l string) []string {
	norm := foldText(l)
	cuts := map[int]bool{}
	items := 0
	for _, seq := range inlineSeqs {
		next := 1
		for _, m := range seq.re.FindAllStringSubmatchIndex(norm, -1) {
			if m[0] == 0 || depthAt(norm, m[0]) > 0 || !seq.ok(norm, m) {
				continue
			}
			n := seq.value(norm[m[2]:m[3]])
			if n == next || n == 1 {
				cuts[m[0]] = true
				items++
				next = n + 1
			}
		}
	}
	labels := 0
	for _, lb := range findLabels(norm) {
		if lb.start == 0 || depthAt(norm, lb.start) > 0 || norm[lb.end-1] != ':' {
			continue
		}
		if lb.kind != labelUnits && lb.kind != labelPerson && lb.kind != labelSplit {
			continue
		}
		start := lb.start
		for _, w := range otherOpeners {
			// 门前三包工作配合领导： — the label is 配合领导, 工作 ends the
			// sentence before it.
			if rest, ok := strings.CutPrefix(norm[start:lb.end-1], w); ok {
				if k, _ := classifyLabel(strings.ReplaceAll(rest, " ", "")); k == lb.kind {
					start += len(w)
				}
				break
			}
		}
		cuts[start] = true
		labels++
		if lb.kind == labelUnits {
			if at := unitsRunInto(norm, lb.end); at > 0 {
				cuts[at] = true
			}
		}
	}
	if items < 2 && labels < 2 {
		return []string{l}
	}
	for i, r := range norm {
		if r == '。' && depthAt(norm, i) == 0 && !strings.HasPrefix(norm[i+len("。"):], "(") {
			cuts[i+len("。")] = true // not before the sentence's own （责任单位：…）
		}
	}
	// Cut the original at the same runes: folding maps rune to rune.
	var out []string
	rs, start, pos := []rune(l), 0, 0
	for i := range norm {
		if cuts[i] && pos > start {
			out = appendNonEmpty(out, string(rs[start:pos]))
			start = pos
		}
		pos++
	}
	return appendNonEmpty(out, string(rs[start:]))
}

func appendNonEmpty(out []string, s string) []string {
	if s = strings.TrimSpace(s); s != "" {
		out = append(out, s)
	}
	return out
}

// hanValue reads a Chinese numeral of one to three characters (一, 十二,
// 二十三), or 0.
func hanValue(s string) int {
	digits := map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	rs := []rune(s)
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10
	case len(rs) == 1:
		return digits[rs[0]]
	case len(rs) == 2 && rs[0] == '十':
		return 10 + digits[rs[1]]
	case len(rs) == 2 && rs[1] == '十':
		return digits[rs[0]] * 10
	case len(rs) == 3 && rs[1] == '十':
		return digits[rs[0]]*10 + digits[rs[2]]
	}
	return 0
}

// unitsRunInto finds where the units after a label at byte from end when
// the next words run into them without a stop (责任部门：园林局配合做好专项整治
// 工作（一）…): the last name of the list is cut after the first unit it
// opens with. It returns 0 when the list ends cleanly.
func unitsRunInto(norm string, from int) int {
	end := len(norm)
	for _, stop := range []string{"。", "(", "（", ";", "；"} {
		if i := strings.Index(norm[from:], stop); i >= 0 && from+i < end {
			end = from + i
		}
	}
	value := norm[from:end]
	at := 0 // where the list's last name starts in value
	if last := strings.LastIndexAny(value, "、,，"); last >= 0 {
		_, size := utf8.DecodeRuneInString(value[last:])
		at = last + size
	}
	tail := value[at:]
	if looksLikeUnit(strings.TrimSpace(tail)) {
		return 0
	}
	for i := range tail {
		if i > 0 && isCompleteUnit(tail[:i]) && utf8.RuneCountInString(tail[:i]) >= 2 && utf8.RuneCountInString(tail[i:]) >= 4 {
			return from + at + i
		}
	}
	return 0
}

// implicitSections numbers the unnumbered sections of a notice whose items
// start at （一） under no 一、 and start again at （一）: each run of
// second-level items is a section of its own, 一, 二, …, so that the
// second run's （一） is 二(一), not a second (一). A notice whose items
// run once keeps its refs.
func implicitSections(roots []*Node) {
	restarts := 0
	for _, nd := range roots {
		if nd.Level == 1 {
			return
		}
		if nd.Level == 2 && nd.Label == "(一)" {
			restarts++
		}
	}
	if restarts < 2 {
		return
	}
	k := 0
	var prefix func(nd *Node, p string)
	prefix = func(nd *Node, p string) {
		nd.Ref = p + nd.Ref
		for _, c := range nd.Children {
			prefix(c, p)
		}
	}
	for _, nd := range roots {
		if nd.Level == 2 && nd.Label == "(一)" {
			k++
		}
		if k > 0 {
			prefix(nd, hanNumber(k))
		}
	}
}
