package retrieval

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/assignbot/assignbot/corpus"
)

// Leading groups, joint conferences and committees: who holds which role,
// who sits on it for a unit, where its office is. The answer keeps the
// fact asked for — the member and role for "组长是谁", the office for
// "办公室设在哪", the person for "财政部是谁参加".

// postRe cuts the post off a member's title: 财政部副部长 → 财政部.
var postRe = regexp.MustCompile(`(?:党组成员|党组书记|一级巡视员|一级调研员|二级巡视员|巡视员|调研员|副?(?:部长|局长|主任|秘书长|司长|总理|书记|主席|处长|科长|署长|行长|会长|院长|总经理|区长|市长|省长|县长|理事长|社长|台长|总监|主委|委员))+$`)

// memberOrgs returns the organisations of a member's title, as
// normalized keys: 区政府办公室党组成员、区机关事务管理中心主任 gives
// 区政府办公室 and 区机关事务管理中心.
func memberOrgs(title string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(corpus.Normalize(title), func(r rune) bool { return r == '、' || r == ',' || r == '，' }) {
		org := postRe.ReplaceAllString(strings.TrimSpace(part), "")
		if utf8Len(org) >= 2 {
			out = append(out, org)
		}
	}
	return out
}

// answerRoster answers who is in a leading group and where its office is.
func (ix *Index) answerRoster(ctx context.Context, q Query, opt AnswerOptions, a *Answer) error {
	// The group is found by its notice: the question names the plan.
	hits, err := ix.SearchIn(ctx, q.Topic, maxGroupsListed, opt.Notices, KindGroup)
	if err != nil {
		return err
	}
	byCoverage(hits)
	if len(hits) == 0 || hits[0].Coverage < minCoverage/2 {
		return nil
	}
	norm := strings.ReplaceAll(corpus.Normalize(colloquial.Replace(q.Question)), " ", "")
	if q.Lang == "en" {
		zh, _ := glossaryTranslate(q.Question)
		norm = strings.ReplaceAll(corpus.Normalize(zh), " ", "")
	}
	norm += strings.ReplaceAll(corpus.Normalize(q.carried), " ", "")
	norm = strings.ReplaceAll(norm, "委员会", "")
	if !genericGroupTopic(q.Topic) {
		if s := missingRole(hits[0].Entry.Group, norm, q.Lang); s != "" {
			a.Text = s // the group is right, the role is not in it
			return nil
		}
	}
	// A question that does not say which group ("领导小组组长是谁") is
	// answered for every group it fits, not for one picked at random.
	var blocks []string
	var cites []Citation
	for i, h := range hits {
		if i > 0 && (!genericGroupTopic(q.Topic) || h.Coverage < 0.9*hits[0].Coverage) {
			break
		}
		text, specific := groupBlock(h.Entry, norm)
		if i > 0 && !specific {
			continue // a group without the role asked about
		}
		blocks = append(blocks, text)
		cites = append(cites, citationOf(h.Entry))
	}
	a.Found = true
	if len(blocks) > maxGroups {
		// Many groups fit: a line each (its name and the role asked
		// about), so that the person can say which one they mean.
		for i, b := range blocks {
			lines := strings.SplitN(b, "\n", 3)
			blocks[i] = strings.Join(lines[:min(2, len(lines))], " — ")
		}
		a.Text = fmt.Sprintf(say(q.Lang, "问题没有指明是哪个领导小组。已加载的 %d 个：\n", "The question does not say which group. The %d loaded:\n"), len(blocks)) +
			strings.Join(blocks, "\n") + say(q.Lang, "\n\n请说明是哪一个领导小组。", "\n\nPlease say which group you mean.")
		a.Citations = append(a.Citations, cites...)
		return nil
	}
	a.Citations = append(a.Citations, cites...)
	a.Text = strings.Join(blocks, "\n\n")
	if len(blocks) > 1 {
		a.Text = fmt.Sprintf(say(q.Lang, "问题没有指明是哪个领导小组，以下是 %d 个：\n\n", "The question does not say which group; here are %d:\n\n"), len(blocks)) + a.Text
	}
	return nil
}

// maxGroups bounds the groups an unspecific roster question answers in
// full; more are listed a line each, up to maxGroupsListed.
const (
	maxGroups       = 5
	maxGroupsListed = 30
)

// genericGroupTopic reports a topic that names no particular group.
func genericGroupTopic(topic string) bool {
	t := strings.Join(strings.Fields(topic), "")
	for _, w := range []string{"领导小组", "工作小组", "小组", "委员会", "联席会议", "指挥部"} {
		t = strings.ReplaceAll(t, w, "")
	}
	return utf8Len(t) <= 1
}

// groupBlock answers a roster question from one group: the role, the
// members for a unit, or the office asked about. specific reports that
// the group has what was asked.
func groupBlock(e *Entry, norm string) (text string, specific bool) {
	g := e.Group
	c := citationOf(e)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", strings.Join(strings.Fields(g.Name), ""))
	line := func(m corpus.Member) {
		if m.Title == "" {
			fmt.Fprintf(&b, "%s：%s\n", m.Role, m.Name)
			return
		}
		fmt.Fprintf(&b, "%s：%s（%s）\n", m.Role, m.Name, m.Title)
	}
	wrote := false

	// Members who sit on it for a unit the question names.
	var byOrg []corpus.Member
	org := askedOrg(norm)
	for _, m := range g.Members {
		for _, o := range memberOrgs(m.Title) {
			// As written (财政部), or shorter (区纪委监委 for 区纪委监委派驻
			// 纪检监察组, 社科院 for 中国社会科学院).
			named := strings.Contains(norm, o) || org != "" && (strings.HasPrefix(o, org) ||
				strings.HasPrefix(strings.TrimPrefix(o, "中国"), org) || abbreviates(org, strings.TrimPrefix(o, "中国")))
			if named && !strings.Contains(corpus.Normalize(g.Name), o) {
				byOrg = append(byOrg, m)
				break
			}
		}
	}
	// Roles the question names, longest first (副召集人 before 召集人).
	var roles []string
	for _, m := range g.Members {
		r := corpus.Normalize(m.Role)
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	slices.SortStableFunc(roles, func(x, y string) int { return utf8Len(y) - utf8Len(x) })
	rest := norm
	var asked []string
	for _, r := range roles {
		if strings.Contains(rest, r) {
			asked = append(asked, r)
			rest = strings.ReplaceAll(rest, r, " ")
		}
	}
	byPost := membersByPost(g.Members, norm)
	if len(byPost) > 0 && len(asked) > 0 {
		// 成员里有哪几位副部长: the post among the roles named.
		byPost = slices.DeleteFunc(byPost, func(m corpus.Member) bool { return !slices.Contains(asked, corpus.Normalize(m.Role)) })
		if len(byPost) > 0 {
			asked = nil
		}
	}
	switch {
	case len(byOrg) > 0:
		for _, m := range byOrg {
			line(m)
		}
		wrote = true
	case len(byPost) > 0 && len(asked) == 0:
		// 哪几个区的区长, 有几位副市长: the members of that post.
		if containsAny(norm, []string{"几个", "几位", "几名", "多少"}) {
			fmt.Fprintf(&b, "共%d人：\n", len(byPost))
		}
		for _, m := range byPost {
			line(m)
		}
		wrote = true
	case len(asked) > 0:
		for _, r := range asked {
			var ms []corpus.Member
			for _, m := range g.Members {
				if corpus.Normalize(m.Role) == r {
					ms = append(ms, m)
				}
			}
			if len(ms) > 1 && containsAny(norm, []string{"几个", "几位", "几名", "多少"}) {
				fmt.Fprintf(&b, "%s共%d人：\n", ms[0].Role, len(ms))
			}
			for _, m := range ms {
				line(m)
			}
		}
		wrote = true
	}
	officeAsked := containsAny(norm, []string{"办公室", "兼任", "设在", "牵头", "日常工作", "承担", "办事机构"})
	if officeAsked || !wrote {
		if g.Office != "" {
			fmt.Fprintf(&b, "办公室设在%s", g.Office)
			if g.OfficeDirector != "" {
				fmt.Fprintf(&b, "，办公室主任%s", g.OfficeDirector)
			}
			b.WriteString("\n")
			wrote = true
		}
		// The sentence that says it, for what the fields do not hold
		// (who serves as director, which bureau does the office's work).
		if s := officeSentence(e.Notice); s != "" {
			fmt.Fprintf(&b, "“%s”\n", clip(s, 120))
			wrote = true
		}
	}
	if !officeAsked && len(asked) == 0 && len(byOrg) == 0 && len(byPost) == 0 {
		for _, m := range g.Members {
			if m.Role != "成员" && m.Role != "成員" && m.Role != "委员" {
				line(m)
			}
		}
		fmt.Fprintf(&b, "成员%d人\n", len(g.Members))
	}
	fmt.Fprintf(&b, "来源：%s", c.Label)
	return b.String(), len(byOrg)+len(asked)+len(byPost) > 0 || (officeAsked && (g.Office != "" || officeSentence(e.Notice) != ""))
}

// postHeads end the posts a roster question may ask members by: 区长,
// 副市长, 局长, 书记, 主任.
var postHeads = []string{"长", "书记", "主任", "主席", "巡视员", "秘书"}

// membersByPost returns the members whose title ends with a post the
// question names (哪几个区的区长: 嘉定区区长, 奉贤区区长 …), the longest
// post asked; a post without 副 leaves out the deputies (区长 is not
// 副区长). None when the question names no post of a member or the post
// is a role of the group (组长).
func membersByPost(ms []corpus.Member, norm string) []corpus.Member {
	post := ""
	for _, m := range ms {
		t := []rune(strings.ReplaceAll(corpus.Normalize(m.Title), " ", ""))
		for n := 2; n <= 5 && n <= len(t); n++ {
			p := string(t[len(t)-n:])
			if utf8Len(p) > utf8Len(post) && strings.Contains(norm, p) && slices.ContainsFunc(postHeads, func(h string) bool { return strings.HasSuffix(p, h) }) {
				post = p
			}
		}
	}
	if post == "" || slices.ContainsFunc(ms, func(m corpus.Member) bool { return corpus.Normalize(m.Role) == post }) ||
		containsAny(post, []string{"组长", "召集人"}) {
		return nil
	}
	var out []corpus.Member
	for _, m := range ms {
		t := strings.ReplaceAll(corpus.Normalize(m.Title), " ", "")
		if !strings.HasSuffix(t, post) || !strings.HasPrefix(post, "副") && strings.HasSuffix(t, "副"+post) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// officeSentence finds the sentence of a notice that sets up the group's
// office: 办公室设在统计局，办公室主任由统计局副局长徐一帆兼任.
func officeSentence(n *corpus.Notice) string {
	for _, p := range n.Passages {
		for _, s := range sentences(p.Text) {
			if ns := corpus.Normalize(s); strings.Contains(ns, "办公室") && containsAny(ns, []string{"设在", "兼任", "承担"}) ||
				strings.Contains(ns, "日常工作") && containsAny(ns, []string{"承担", "负责"}) {
				return strings.Join(strings.Fields(s), "")
			}
		}
	}
	return ""
}

// askedOrgRe finds the unit a roster question asks who sits for: 里区纪委
// 监委是谁, 社科院是谁, 财政部派谁参加.
var askedOrgRe = regexp.MustCompile(`(?:里|中|的|在|^)(\p{Han}{2,12}?)(?:派了?谁|派的是谁|是谁|是哪位|由谁参加|谁参加|的成员是谁|的代表是谁|有哪些人|有哪几位|有谁|谁在|哪些人)`)

// askedOrg is the unit a roster question asks about; "" when none.
func askedOrg(norm string) string {
	m := askedOrgRe.FindStringSubmatch(norm)
	if m == nil {
		return ""
	}
	org := m[1]
	if i := strings.LastIndexAny(org, "里中"); i >= 0 {
		org = org[i+len("里"):]
	}
	if utf8Len(org) < 2 || containsAny(org, []string{"组长", "主任", "召集人", "成员", "秘书长", "委员"}) {
		return ""
	}
	return org
}

// groupNames are the names of the groups the notices set up, as a topic.
func (ix *Index) groupNames(docs []string) string {
	var names []string
	for _, n := range ix.Corpus.Notices {
		if slices.Contains(docs, n.Doc) {
			for _, g := range n.Groups {
				names = append(names, strings.Join(strings.Fields(g.Name), ""))
			}
		}
	}
	return strings.Join(names, " ")
}
