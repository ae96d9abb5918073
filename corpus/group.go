package corpus

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/assignbot/assignbot/corpus/extract"
	"github.com/assignbot/assignbot/corpus/t2s"
)

// Leading groups (领导小组). A notice names the group in its text, says
// where its office sits (领导小组下设办公室，在市商务局办公) and appends a
// roster: a heading line with 名单, then mostly one member a line as
// "组长：江伟  市委常委、市人民政府副市长". Roles carry forward to the lines
// below them. This file finds the rosters, their role labels (padded, with
// or without a colon, several in one line) and the group around them;
// roster.go reads the members on each line, in whatever layout.

var (
	// roleRe is a roster role at the start of a line, read with the
	// padding removed and in Simplified script: 组长：, 召集人：, 委员：,
	// and a rank or kind before them (第一副组长：, 特邀成员：).
	roleRe   = regexp.MustCompile(`^(\p{Han}{0,4}?(?:` + strings.Join(roleBases, "|") + `))[:：]`)
	officeRe = regexp.MustCompile(`(?:领导小组|委员会|联席会议)?(?:下设办公室[,，]?\s*(?:办公室)?(?:设)?在([^,，。;；]{2,30}?)(?:办公|[,，。;；])|办公室设在([^,，。;；]{2,30}?)(?:[,，。;；]|$))`)
	// directorRe is the sentence naming the office director: …方国友兼任
	// 办公室主任, 办公室主任由统计局副局长徐一帆兼任.
	directorRe  = regexp.MustCompile(`([^，。,;；]{2,40}?)(?:同志)?兼任(?:领导小组|委员会|联席会议)?办公室主任|办公室主任由([^，。,;；]{2,40}?)兼任`)
	groupNameRe = regexp.MustCompile(`(?:成立|建立|调整)([^，。,;；“”"]{4,60}?(?:领导小组|工作小组|委员会|联席会议|指挥部|工作专班))`)
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
	m := roleRe.FindStringSubmatch(t2s.String(compact))
	if m == nil {
		return "", line, false
	}
	n := utf8.RuneCountInString(m[1])
	return string([]rune(compact)[:n]), cutRole(line), true
}

// parseGroups reads the leading groups of a notice: every roster, whether
// under a 名单 heading or in a 组成人员 section, starts at a role line and
// runs over the member lines below it. It also returns the lines the
// rosters take, which are not part of the outline, and the roster lines it
// could not read, for a person to check. dir names the units a post may
// begin with.
func parseGroups(lines []string, norm string, dir *Directory) ([]Group, map[int]bool, []Unread) {
	var groups []Group
	used := map[int]bool{}
	var unread []Unread
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
	for _, key := range []string{"决定成立", "成立", "建立", "调整"} {
		// A title may break a group's name over two lines. The sentence that
		// founds the group (决定成立) names it in full, where a headline
		// above it may not (国务院成立地理国情普查领导小组).
		if m := findAround(norm, key, "。", groupNameRe); m != nil {
			defaultName = strings.ReplaceAll(written(m, 1), "\n", "")
			break
		}
	}
	var reader *rosterReader // made when a roster is found
	rd := func() *rosterReader {
		if reader == nil {
			reader = newRosterReader(lines, dir)
		}
		return reader
	}
	var g *Group
	role, sub, head := "", "", ""
	headLine := 0
	// read takes one piece of line i: the whole line, or one role's run
	// of a line that holds several (组长:张高丽国务院副总理副组长:…). It
	// reports whether the piece is roster text.
	read := func(i int, piece string) bool {
		r, rest, isRole := roleOf(piece)
		if !isRole {
			r, rest, isRole = bareRoleOf(piece, rd)
		}
		if g == nil && !isRole {
			return false
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
		text := piece
		if isRole {
			role = r
			if strings.TrimSpace(rest) == "" {
				return true // 委员： with the members below
			}
			text = rest
		} else if m := subGroupRe.FindStringSubmatch(strings.TrimSpace(piece)); m != nil {
			sub = m[1]
			return true
		}
		if directorRe.MatchString(foldText(text)) || pdfLine.MatchString(text) || extract.IsFooterLine(text) {
			g = nil
			return false
		}
		ms, tail, why := rd().members(text)
		if len(ms) == 0 && !isRole && len(g.Members) > 0 {
			// A post wrapped onto the next line: 市委常委、 / 市人民政府副市长,
			// or 市委常委、市人民 / 政府副市长 in a PDF.
			last, t := &g.Members[len(g.Members)-1], strings.TrimSpace(text)
			ts, lt := simple(t), simple(last.Title)
			// Cut mid-word, the fragment starts with no family name, which
			// would begin the next member (李烈正高级教师…, reported).
			open := strings.HasSuffix(lt, "、") || strings.HasSuffix(lt, ",") ||
				last.Title != "" && !endsWithAny(lt, postWords) && !strings.ContainsRune(surnames, firstRune(ts))
			if open && endsWithAny(ts, postWords) && !strings.ContainsAny(ts, " ") {
				last.Title += t
				return true
			}
		}
		if why != "" && (isRole || looksLikeMemberLine(text)) {
			unread = append(unread, Unread{Line: i + 1, Text: clipRunes(strings.TrimSpace(piece), 80), Reason: string(why), Paragraph: clipRunes(lines[i], 500)})
			if tail != "" {
				g = nil
			}
			return tail == "" // the roster goes on below
		}
		if why == "" && len(ms) == 0 && isRole {
			return tail == "" // 成员：各成员单位分管领导 — units, no names
		}
		if why != "" || len(ms) == 0 {
			g = nil // the roster has ended
			return false
		}
		for _, m := range ms {
			g.Members = append(g.Members, Member{Name: m.name, Role: role, Title: m.title, Group: sub})
		}
		if tail != "" {
			g = nil // the roster ends inside this line: 三、工作机构…
			return false
		}
		return true
	}
	for i, l := range lines {
		fl := foldText(l)
		if isRosterHead(l) {
			name := strings.TrimSpace(l)
			// A heading split over two lines, or run into the paragraph
			// before it: take the fragment after that paragraph's last stop.
			if prev := prevNonEmpty(lines, i); !strings.ContainsAny(prev, "。：:，,") && utf8.RuneCountInString(prev) <= 30 && !isSignature(prev) && roleRe.FindString(t2s.String(padding.ReplaceAllString(prev, ""))) == "" {
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
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "|") && strings.HasSuffix(t, "|") {
			l = strings.ReplaceAll(t, "|", "  ") // a table row: | 组长 | 龚正 | 市长 |
		}
		all := true
		for _, piece := range rolePieces(l) {
			if !read(i, piece) {
				all = false
			}
		}
		if all {
			used[i] = true
		}
	}
	if len(groups) == 0 {
		// A group named in the text without a roster still has an office.
		if defaultName != "" && (office != "" || director != "") {
			groups = append(groups, Group{Name: defaultName, Office: office, OfficeDirector: director, Members: []Member{}})
		}
	}
	// A role line that named no one (组长：市长；副组长：…) founds no group
	// unless the notice says where the group's office is.
	groups = slices.DeleteFunc(groups, func(g Group) bool {
		return len(g.Members) == 0 && g.Office == "" && g.OfficeDirector == ""
	})
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
	return groups, used, unread
}

// roleBases end a role label; rosterRoles are the labels read without a
// colon or inside a line, where a looser pattern would cut prose.
var (
	roleBases   = []string{"组长", "主任", "召集人", "秘书长", "总指挥", "指挥长", "主席", "顾问", "成员", "委员", "组员"}
	rosterRoles = func() []string {
		var out []string
		for _, b := range []string{"组长", "主任", "召集人", "秘书长", "总指挥", "指挥长"} {
			out = append(out, "第一副"+b, "常务副"+b, "执行副"+b, "副"+b, b)
		}
		return append(out, "顾问", "成员", "委员")
	}()
)

// roleInitials are the first characters of rosterRoles.
var roleInitials = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range rosterRoles {
		m[firstRune(r)] = true
	}
	return m
}()

// paddedAlternation is a regexp alternation of words, each allowed padding
// between its characters (组 长, 成　　员).
func paddedAlternation(words []string, pad string) string {
	var alts []string
	for _, w := range words {
		alts = append(alts, strings.Join(strings.Split(w, ""), pad))
	}
	return strings.Join(alts, "|")
}

// inlineRoleRe is a role label anywhere in a line, padded or not; a line
// that holds two or more is cut at each (组长:张高丽…副组长:姜大明…).
var inlineRoleRe = regexp.MustCompile(`(?:` + paddedAlternation(rosterRoles, `[\s\p{Z}?？]*`) + `)[\s\p{Z}?？]*[:：]`)

// bareRoleRe is a role label with no colon, set off by padding from the
// members after it: 组 长 王伟华 市长, 成　员　闵 成 马梅红.
var bareRoleRe = regexp.MustCompile(`^[\s\p{Z}]*(` + paddedAlternation(rosterRoles, `[\s\p{Z}]*`) + `)[\s\p{Z}]+\S`)

// bareRoleOf reads a role label with no colon. It takes the label only
// when the rest of the line reads as members, so that a sentence or a
// table header starting with 成员 is no roster.
func bareRoleOf(line string, rd func() *rosterReader) (role, rest string, ok bool) {
	if t := strings.TrimLeftFunc(line, unicode.IsSpace); t == "" || !roleInitials[foldRune(firstRune(t))] {
		return "", line, false // most lines: no label begins them
	}
	fs := simple(line[:byteAtRune(line, 24)]) // a label and its padding
	m := bareRoleRe.FindStringSubmatchIndex(fs)
	if m == nil {
		return "", line, false
	}
	at := byteAtRune(line, utf8.RuneCountInString(fs[:m[3]]))
	rest = line[at:]
	if ms, tail, why := rd().members(rest); len(ms) == 0 || tail != "" || why != "" {
		return "", line, false
	}
	return padding.ReplaceAllString(strings.TrimSpace(line[:at]), ""), rest, true
}

// rolePieces cuts a line at its role labels when it holds two or more:
// the text before the first label, then one piece per role.
func rolePieces(l string) []string {
	if strings.Count(l, ":")+strings.Count(l, "：") < 2 {
		return []string{l} // most lines: no two labels
	}
	fs := simple(l)
	locs := inlineRoleRe.FindAllStringIndex(fs, -1)
	if len(locs) < 2 {
		return []string{l}
	}
	// fs holds l's runes one for one: walk both to map offsets.
	var pieces []string
	from, fi, li := 0, 0, 0
	for _, loc := range locs {
		for fi < loc[0] {
			_, fn := utf8.DecodeRuneInString(fs[fi:])
			_, ln := utf8.DecodeRuneInString(l[li:])
			fi, li = fi+fn, li+ln
		}
		at := li
		if s := l[from:at]; strings.TrimSpace(s) != "" {
			pieces = append(pieces, s)
		}
		from = at
	}
	return append(pieces, l[from:])
}

// byteAtRune returns the byte offset of s's n-th rune.
func byteAtRune(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// looksLikeMemberLine reports whether a line the roster reader could not
// read still reads like a member line — short, no sentence, a post named —
// and so must be reported rather than taken as the roster's end.
func looksLikeMemberLine(s string) bool {
	fs := simple(strings.TrimSpace(s))
	return utf8.RuneCountInString(fs) <= 60 && !strings.ContainsAny(fs, "。;:") && containsAny(fs, postWords) &&
		!level1Re.MatchString(fs) && !level2Re.MatchString(fs)
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

func isHanString(s string) bool {
	for _, r := range s {
		if !IsHan(r) && r != '·' {
			return false
		}
	}
	return s != ""
}
