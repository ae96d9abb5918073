package corpus

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Leading groups (领导小组). A notice names the group in its text, says
// where its office sits (领导小组下设办公室，在市商务局办公) and appends a
// roster: a heading line with 名单, then one member a line as
// "组长：江伟  市委常委、市人民政府副市长". Roles carry forward to the lines
// below them. Names are padded with spaces or '?' to line up (江? 伟); the
// padding is removed.

var (
	// roleRe is a roster role at the start of a line, read with the
	// padding removed and in Simplified script: 组长：, 召集人：, 委员：.
	roleRe   = regexp.MustCompile(`^(常务副组长|副组长|组长|常务副主任|副主任|主任|副召集人|召集人|副秘书长|秘书长|副总指挥|总指挥|副指挥长|指挥长|顾问|成员|委员)[:：]`)
	officeRe = regexp.MustCompile(`(?:领导小组|委员会|联席会议)?(?:下设办公室[,，]?\s*(?:办公室)?(?:设)?在([^,，。;；]{2,30}?)(?:办公|[,，。;；])|办公室设在([^,，。;；]{2,30}?)(?:[,，。;；]|$))`)
	// directorRe is the sentence naming the office director: …方国友兼任
	// 办公室主任, 办公室主任由统计局副局长徐一帆兼任.
	directorRe  = regexp.MustCompile(`([^，。,;；]{2,40}?)(?:同志)?兼任(?:领导小组|委员会|联席会议)?办公室主任|办公室主任由([^，。,;；]{2,40}?)兼任`)
	groupNameRe = regexp.MustCompile(`(?:成立|建立|调整)([^，。,;；()（）“”"]{4,60}?(?:领导小组|工作小组|委员会|联席会议|指挥部|工作专班))`)
	padding     = regexp.MustCompile(`[?？\s\p{Z}]+`)
	// subGroupRe is a sub-list inside a roster: （一）部门委员.
	subGroupRe = regexp.MustCompile(`^[(（][一二三四五六七八九十]+[)）]\s*(\S{2,20}?)\s*(?:[(（].*[)）])?$`)
	// titleStart is how a member's title begins: a unit or a post.
	titleStart = regexp.MustCompile(`^(市|区|县|省|州|镇|乡|各|中国|国家|湖北|武汉|人行|团|长报|东湖|临空港|长江|汉南|党组|副|常务)`)
)

// findAround runs re only on the sentences around each place key occurs,
// and returns its first match with offsets in s: a pattern with a leading
// lazy run is costly over a whole notice and can only match near its key.
func findAround(s, key, stops string, re *regexp.Regexp) []int {
	for from := 0; ; {
		i := strings.Index(s[from:], key)
		if i < 0 {
			return nil
		}
		i += from
		start := strings.LastIndexAny(s[:i], stops)
		start++ // -1 (none) becomes 0; a stop's first byte is skipped below
		for start < i && !utf8.RuneStart(s[start]) {
			start++
		}
		end := strings.IndexAny(s[i:], stops)
		if end < 0 {
			end = len(s)
		} else {
			end += i + len("。")
			if end > len(s) {
				end = len(s)
			}
		}
		if m := re.FindStringSubmatchIndex(s[start:end]); m != nil {
			for k := range m {
				if m[k] >= 0 {
					m[k] += start
				}
			}
			return m
		}
		from = i + len(key)
	}
}

// roleOf returns the role label a roster line starts with, as written
// without its padding (組長, 召集人), and the rest of the line.
func roleOf(line string) (role, rest string, ok bool) {
	// Cheap first: a role line has its colon within its first characters.
	head := line
	if len(head) > 48 {
		head = head[:48]
	}
	if !strings.ContainsAny(head, ":：") {
		return "", line, false
	}
	compact := padding.ReplaceAllString(strings.TrimSpace(line), "")
	m := roleRe.FindStringSubmatch(ToSimplified(compact))
	if m == nil {
		return "", line, false
	}
	n := utf8.RuneCountInString(m[1])
	return string([]rune(compact)[:n]), cutRole(line), true
}

// parseGroups reads the leading groups of a notice: every roster, whether
// under a 名单 heading or in a 组成人员 section, starts at a role line and
// runs over the member lines below it. It also returns the lines the
// rosters take, which are not part of the outline.
func parseGroups(lines []string, norm string) ([]Group, map[int]bool) {
	var groups []Group
	used := map[int]bool{}
	// The patterns run on the folded text; what they find is taken from the
	// text as printed (統計局 in a Traditional notice), rune for rune.
	full := strings.Join(lines, "\n")
	written := func(m []int, groups ...int) string {
		var s string
		for _, g := range groups {
			if m[2*g] >= 0 {
				s += norm[m[2*g]:m[2*g+1]]
			}
		}
		s = strings.TrimSpace(s)
		if w := asWritten(full, norm, []string{s}); len(w) == 1 {
			return w[0]
		}
		return s
	}
	office, director := "", ""
	if m := findAround(norm, "办公室", "。\n", officeRe); m != nil {
		office = written(m, 1, 2)
	}
	if m := findAround(norm, "兼任", "。\n", directorRe); m != nil {
		director = strings.TrimPrefix(written(m, 1, 2), "由")
	}
	defaultName := ""
	for _, key := range []string{"成立", "建立", "调整"} {
		// A title may break a group's name over two lines.
		if m := findAround(norm, key, "。", groupNameRe); m != nil {
			defaultName = strings.ReplaceAll(written(m, 1), "\n", "")
			break
		}
	}
	var g *Group
	role, sub, head := "", "", ""
	headLine := 0
	for i, l := range lines {
		fl := foldText(l)
		if isRosterHead(l) {
			name := strings.TrimSpace(l)
			// A heading split over two lines, or run into the paragraph
			// before it: take the fragment after that paragraph's last stop.
			if prev := prevNonEmpty(lines, i); !strings.ContainsAny(prev, "。：:，,") && utf8.RuneCountInString(prev) <= 30 && !isSignature(prev) && roleRe.FindString(ToSimplified(padding.ReplaceAllString(prev, ""))) == "" {
				name = prev + name
				for j := i - 1; j >= 0; j-- {
					if strings.TrimSpace(lines[j]) != "" {
						used[j] = true // the heading's first line
						break
					}
				}
			} else if strings.HasPrefix(fl, "领导小组") {
				if j := strings.LastIndex(prev, "。"); j >= 0 {
					prev = prev[j+len("。"):]
				}
				if utf8.RuneCountInString(prev) <= 40 {
					name = strings.TrimSpace(prev) + name
				}
			}
			name = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "名单"), "名單"), "人员")
			name = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "组成"), "成员"), "成員")
			head, headLine = name, i+1
			g = nil
			used[i] = true
			continue
		}
		if strings.TrimSpace(l) == "" {
			continue
		}
		r, rest, isRole := roleOf(l)
		if g == nil && !isRole {
			continue
		}
		if g == nil {
			name, line := head, headLine
			if name == "" {
				name, line = defaultName, i+1
			}
			groups = append(groups, Group{Name: name, Office: office, OfficeDirector: director, Line: line})
			g = &groups[len(groups)-1]
			head, sub = "", ""
		}
		if isRole {
			role = r
			used[i] = true
			if strings.TrimSpace(rest) == "" {
				continue // 委员： with the members below
			}
			l = rest
		} else if m := subGroupRe.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			sub = m[1]
			used[i] = true
			continue
		}
		if directorRe.MatchString(fl) || pdfLine.MatchString(l) || isFooterLine(l) {
			g = nil
			continue
		}
		m, ok := parseMember(l, role)
		if !ok {
			g = nil // the roster has ended
			continue
		}
		m.Group = sub
		used[i] = true
		g.Members = append(g.Members, m)
	}
	if len(groups) == 0 {
		// A group named in the text without a roster still has an office.
		if defaultName != "" && (office != "" || director != "") {
			groups = append(groups, Group{Name: defaultName, Office: office, OfficeDirector: director, Members: []Member{}})
		}
	}
	for i := range groups {
		if groups[i].Members == nil {
			groups[i].Members = []Member{}
		}
		// A director who is a member is named by name (方国友), else by the
		// post the notice gives (教育部分管职业教育工作的负责同志).
		for _, m := range groups[i].Members {
			if director != "" && strings.Contains(Normalize(director), Normalize(m.Name)) {
				groups[i].OfficeDirector = m.Name
			}
		}
	}
	return groups, used
}

// parseMember reads one roster line. role is the role of the line above,
// which carries forward.
func parseMember(line, role string) (Member, bool) {
	s := strings.TrimSpace(line)
	if r, rest, ok := roleOf(s); ok {
		role, s = r, rest
	}
	if role == "" || strings.ContainsAny(s, "。；") || utf8.RuneCountInString(s) > 60 {
		return Member{}, false
	}
	fields := padding.Split(strings.TrimSpace(s), -1)
	name := ""
	var rest []string
	for i, f := range fields {
		if f == "" {
			continue
		}
		if utf8.RuneCountInString(f) == 1 && utf8.RuneCountInString(name) < 3 && len(rest) == 0 {
			name += f // a two-character name padded apart: 江? 伟
			continue
		}
		if name == "" && utf8.RuneCountInString(f) <= 4 && i+1 < len(fields) {
			name = f
			continue
		}
		rest = append(rest, f)
	}
	title := strings.Join(rest, "")
	if name == "" && title != "" {
		// No padding at all: 张三市商务局局长.
		name, title = splitNameTitle(title)
	}
	// A name that swallowed the first character of the title (夏伟市 财政局…).
	if title != "" && !titleStart.MatchString(title) {
		if r, size := utf8.DecodeLastRuneInString(name); (r == '市' || r == '区' || r == '县') && utf8.RuneCountInString(name) >= 3 {
			name, title = name[:len(name)-size], string(r)+title
		}
	}
	nr := utf8.RuneCountInString(name)
	if nr < 2 || nr > 4 || title == "" || !isHanString(name) {
		return Member{}, false
	}
	return Member{Name: name, Role: role, Title: title}, true
}

// cutRole removes the leading role label, padded or not, from a line.
func cutRole(s string) string {
	seen := 0
	for i, r := range s {
		if r == ':' || r == '：' {
			return s[i+utf8.RuneLen(r):]
		}
		seen++
		if seen > 12 {
			break
		}
	}
	return s
}

func splitNameTitle(s string) (string, string) {
	rs := []rune(s)
	for n := 2; n <= 3 && n < len(rs); n++ {
		if titleStart.MatchString(string(rs[n:])) {
			return string(rs[:n]), string(rs[n:])
		}
	}
	return "", s
}

func isHanString(s string) bool {
	for _, r := range s {
		if !IsHan(r) && r != '·' {
			return false
		}
	}
	return s != ""
}
