package corpus

import (
	"regexp"
	"strings"
)

// Leading groups given in a sentence rather than a list: 由区建设局党委书记、
// 局长曹庆良任组长，区建设局党委副书记王进德任常务副组长，张明贵、王元灿、
// 阮斌副局长任副组长. Each clause "X任<role>" names its members: a name
// after its post (局长曹庆良) or before it (阮斌副局长), several names
// sharing one post (张明贵、王元灿、阮斌副局长). A clause read only in part
// gives no member at all.

// proseRoleRe is one clause naming members: the subject and its role.
var proseRoleRe = regexp.MustCompile(`^\s*由?([^，,；;。:]{2,60}?)(?:担任|任)(` + strings.Join(rosterRoles, "|") + `)\s*$`)

// officeAttachRe is an office attached to a unit: 领导小组下设办公室，挂靠区建设局创建办.
var officeAttachRe = regexp.MustCompile(`下设办公室[,，]?\s*挂靠(?:在)?([^,，。;；]{2,30}?)(?:[,，。;；]|$)`)

// proseMembers reads the members a text names in clauses X任<role>, as
// written in text (norm is its folded form).
func proseMembers(text, norm string) []Member {
	var out []Member
	clauses := strings.FieldsFunc(norm, func(r rune) bool { return strings.ContainsRune("，,；;。:\n", r) })
	for _, c := range clauses {
		m := proseRoleRe.FindStringSubmatch(c)
		if m == nil {
			continue
		}
		subject := m[1]
		role := asWritten(text, norm, []string{m[2]})[0]
		names, posts := clauseNames(subject)
		if names == nil {
			continue
		}
		for k, n := range names {
			out = append(out, Member{Name: asWritten(text, norm, []string{n})[0], Role: role, Title: posts[k]})
		}
	}
	return out
}

// clauseNames splits the subject of X任组长 into names and their posts,
// or returns nil when a part is neither a name nor a post.
func clauseNames(subject string) (names, posts []string) {
	parts := strings.Split(subject, "、")
	pending := "" // posts before a name: 区建设局党委书记、局长曹庆良
	shared := -1  // names waiting for a post written after the last: 张明贵、王元灿、阮斌副局长
	for _, p := range parts {
		p = strings.TrimSpace(p)
		switch {
		case isPersonName(p):
			names, posts = append(names, p), append(posts, "")
			if shared < 0 {
				shared = len(names) - 1
			}
		case personName(p) != p:
			name := personName(p)
			post := strings.TrimPrefix(p, name)
			names, posts = append(names, name), append(posts, post)
			for k := max(shared, 0); shared >= 0 && k < len(names)-1; k++ {
				posts[k] = post
			}
			shared = -1
		default:
			name, post := nameAfterPost(p)
			switch {
			case name != "":
				names, posts = append(names, name), append(posts, strings.Trim(pending+"、"+post, "、"))
				pending = ""
			case endsWithAny(p, postWords):
				pending = strings.Trim(pending+"、"+p, "、")
			default:
				return nil, nil
			}
		}
	}
	if len(names) == 0 || pending != "" {
		return nil, nil
	}
	return names, posts
}

// nameAfterPost reads 局长曹庆良: a post, then a name of two or three
// characters.
func nameAfterPost(p string) (name, post string) {
	rs := []rune(p)
	for _, k := range []int{3, 2} {
		if len(rs) <= k {
			continue
		}
		head, tail := string(rs[:len(rs)-k]), string(rs[len(rs)-k:])
		if endsWithAny(head, postWords) && isPersonName(tail) {
			return tail, head
		}
	}
	return "", ""
}

// proseGroup is the group a notice founds in prose, with the members its
// sentences name, or false when they name none.
func proseGroup(lines []string, norm, name, office string) (Group, bool) {
	if name == "" {
		return Group{}, false
	}
	full := strings.Join(lines, "\n")
	ms := proseMembers(full, norm)
	if len(ms) == 0 {
		return Group{}, false
	}
	if office == "" {
		if m := officeAttachRe.FindStringSubmatchIndex(norm); m != nil {
			office = asWritten(full, norm, []string{norm[m[2]:m[3]]})[0]
		}
	}
	line := 1 + strings.Count(norm[:strings.Index(norm, name)+1], "\n")
	return Group{Name: name, Office: office, Members: ms, Line: line}, true
}
