package retrieval

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/assignbot/assignbot/corpus"
)

// Scope is the set of notices a chat, or a question, is limited to: a
// county's 督办 group only cares about its own notices, and a question
// that names its notice ("衢州那份分解里…", "国发〔2018〕42号里…") is
// answered from that notice only.
type Scope struct {
	Text string   `json:"text"` // as written: 广元, 武政办〔2021〕22号
	Docs []string `json:"docs"` // Notice.Doc of the notices in scope
}

// MatchScope returns the notices whose region, issuer, title, plan title
// or document number match text. Notices that name no place in their
// metadata match when their text names it.
func (ix *Index) MatchScope(text string) Scope {
	s := Scope{Text: strings.TrimSpace(text)}
	key := corpus.Normalize(s.Text)
	if key == "" {
		return s
	}
	nn := ix.noticeNames()
	for i, n := range ix.Corpus.Notices {
		if strings.Contains(nn.meta[i], key) || slices.Contains(nn.places[i], key) ||
			(len(nn.places[i]) == 0 && utf8Len(key) >= 2 && nn.mentions(ix, i, key)) {
			s.Docs = append(s.Docs, n.Doc)
		}
	}
	return s
}

// ScopeNotices returns the notices in the scope that the index holds.
func (ix *Index) ScopeNotices(s Scope) []*corpus.Notice {
	var out []*corpus.Notice
	for _, n := range ix.Corpus.Notices {
		if slices.Contains(s.Docs, n.Doc) {
			out = append(out, n)
		}
	}
	return out
}

// noticeNames is what tells notices apart when people name them: the
// metadata text and the places each notice governs.
type noticeNames struct {
	corpus *corpus.Corpus
	meta   []string   // normalized region, issuer, title, plan title, docno, name and subject
	places [][]string // 衢州市, 衢州, 沙坪坝区, 沙坪坝 …
	all    []string   // every place of every notice, longest first
	// leaders are the responsible leaders tasks name, normalized, with
	// the notices that name each.
	leaders    []string
	leaderDocs map[string][]string
	// short are the short names each notice's title quotes: 无废城市,
	// 四川省培育发展新消费三年行动方案.
	short [][]string
	text  sync.Map // notice index → normalized text, for notices without places
}

// placeRe takes the leading places of an issuer or region:
// 重庆市沙坪坝区人民政府办公室 → 重庆市, 沙坪坝区.
var placeRe = regexp.MustCompile(`^(\p{Han}{2,7}?(?:省|自治区|市|自治州|州|地区|盟|区|县|旗))`)

// noticeNames computes the index's notice names once; an index is
// immutable, so a reload's new index computes them again.
func (ix *Index) noticeNames() *noticeNames {
	ix.noticeNamesOnce.Do(func() { ix.noticeNamesSet = buildNoticeNames(ix.Corpus) })
	return ix.noticeNamesSet
}

func buildNoticeNames(c *corpus.Corpus) *noticeNames {
	nn := &noticeNames{corpus: c, leaderDocs: map[string][]string{}}
	seen := map[string]bool{}
	for _, n := range c.Notices {
		nn.meta = append(nn.meta, corpus.Normalize(strings.Join([]string{n.Region, n.Issuer, n.Title, n.PlanTitle, n.DocNumber, n.Name(), noticeContext(n)}, "\n")))
		var places []string
		for _, src := range []string{n.Region, n.Issuer} {
			rest := corpus.Normalize(src)
			for {
				m := placeRe.FindString(rest)
				if m == "" || strings.HasPrefix(m, "人民") {
					break
				}
				short := strings.TrimRight(m, "省市区县州旗盟")
				for _, p := range []string{m, short} {
					if utf8Len(p) >= 2 && !slices.Contains(places, p) {
						places = append(places, p)
					}
				}
				rest = rest[len(m):]
			}
		}
		if strings.HasPrefix(corpus.Normalize(n.Issuer), "国务院") || n.Region == "全国" {
			places = append(places, "国务院")
		}
		nn.places = append(nn.places, places)
		var short []string
		for _, m := range quotedRe.FindAllStringSubmatch(corpus.Normalize(n.Title), -1) {
			if sn := strings.ReplaceAll(m[1], " ", ""); utf8Len(sn) >= 4 && !slices.Contains(short, sn) {
				short = append(short, sn)
			}
		}
		nn.short = append(nn.short, short)
		for _, t := range n.Tasks {
			l := corpus.Normalize(t.Leader)
			if utf8Len(l) < 2 || utf8Len(l) > 4 {
				continue
			}
			if !seen["leader:"+l] {
				seen["leader:"+l] = true
				nn.leaders = append(nn.leaders, l)
			}
			if docs := nn.leaderDocs[l]; !slices.Contains(docs, n.Doc) {
				nn.leaderDocs[l] = append(docs, n.Doc)
			}
		}
		for _, p := range places {
			if !seen[p] {
				seen[p] = true
				nn.all = append(nn.all, p)
			}
		}
	}
	slices.SortFunc(nn.all, func(a, b string) int { return len(b) - len(a) })
	return nn
}

// mentions reports whether notice i's own text names key.
func (nn *noticeNames) mentions(ix *Index, i int, key string) bool {
	if t, ok := nn.text.Load(i); ok {
		return strings.Contains(t.(string), key)
	}
	n := ix.Corpus.Notices[i]
	var b strings.Builder
	for _, p := range n.Passages {
		b.WriteString(p.Text)
		b.WriteByte('\n')
	}
	for _, t := range n.Tasks {
		b.WriteString(t.Text)
		b.WriteByte('\n')
	}
	t := corpus.Normalize(b.String())
	nn.text.Store(i, t)
	return strings.Contains(t, key)
}

// docNoInQuestion finds a document number: 国发〔2018〕42号, 国办发[2018]126号.
var docNoInQuestion = regexp.MustCompile(`(\p{Han}{1,8}[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号)(?:这份|那份|这个|那个)?(?:文件|通知|意见|方案)?(?:里|中|内)?的?`)

// noticePhraseRe finds the words that name a notice before 里/中:
// 衢州那份分解里, 农机装备产业转型升级那个指导意见里, 这批改革举措推广里.
var noticePhraseRe = regexp.MustCompile(`^(.{0,40}?(?:` + strings.Join(noticeKinds, "|") + `))(?:里|中|内|上|当中|里面|里头|，|,)(?:的|，|,)?`)

// pointerWords say "that notice" without naming it.
var pointerWords = regexp.MustCompile(`那个|这个|那份|这份|这批|那批|该|本|的`)

// namedNotices reads which notices a question names, and returns the
// question without the words that only name the notice ("衢州那份分解里
// 市经信局负责什么" asks about 市经信局). where says it for people.
//
// ambiguous reports a notice named only by its title or subject that more
// than one loaded notice answers to: the answer asks which one is meant.
func (ix *Index) namedNotices(question string) (rest string, docs []string, where string, ambiguous bool) {
	// 第二十条 points at an item, not at a notice's number (第三次普查).
	norm := itemNoRe.ReplaceAllString(corpus.Normalize(question), " ")
	for _, p := range []string{"那么", "那个", "那份", "那", "在", "按照", "根据"} {
		if rest, ok := strings.CutPrefix(norm, p); ok {
			norm = rest
			break
		}
	}
	var sets [][]string
	var names []string
	// A document number names one notice.
	// The regexps run only on questions with a 号 or a word for a notice.
	var loc []int
	if strings.Contains(norm, "号") {
		loc = docNoInQuestion.FindStringSubmatchIndex(norm)
	}
	if loc != nil {
		// The Han run before the bracket may hold more than the number's
		// prefix (市发改委在武政办〔2022〕29号): the number starts where a
		// loaded notice's number does, else at its last four characters.
		start := loc[2]
		var set []string
		for i := range norm[loc[2]:loc[3]] {
			m := strings.ReplaceAll(norm[loc[2]+i:loc[3]], " ", "")
			for _, n := range ix.Corpus.Notices {
				if n.DocNumber != "" && corpus.Normalize(n.DocNumber) == m {
					set = append(set, n.Doc)
				}
			}
			if set != nil {
				start = loc[2] + i
				break
			}
		}
		if set == nil {
			prefix := []rune(norm[loc[2] : strings.IndexAny(norm[loc[2]:], "(")+loc[2]])
			start = loc[2] + len(string(prefix[:max(0, len(prefix)-4)]))
		}
		m := strings.ReplaceAll(norm[start:loc[3]], " ", "")
		// An unknown number still names a notice: the answer must say it
		// is not loaded rather than answer from another one.
		sets = append(sets, set)
		names = append(names, strings.NewReplacer("(", "〔", ")", "〕").Replace(m))
		norm = norm[:start] + " " + norm[loc[1]:]
	}
	nn := ix.noticeNames()
	// A place: the notices that govern it.
	for _, p := range nn.all {
		if !strings.Contains(norm, p) || !placeStandsAlone(norm, p) {
			continue
		}
		var set []string
		for i, n := range ix.Corpus.Notices {
			if slices.Contains(nn.places[i], p) || (len(nn.places[i]) == 0 && nn.mentions(ix, i, p)) {
				set = append(set, n.Doc)
			}
		}
		sets = append(sets, set)
		names = append(names, p)
		break
	}
	// A place and a year at the start (龙湾2023年…, 沙坪坝2022年…): the
	// notices of that place and year; none when the place has notices of
	// other years only.
	if m := placeYearRe.FindStringSubmatch(norm); m != nil && len(sets) <= 1 {
		var set, placed []string
		for i, n := range ix.Corpus.Notices {
			if !slices.Contains(nn.places[i], m[1]) && !nn.mentions(ix, i, m[1]) {
				continue
			}
			placed = append(placed, n.Doc)
			if ix.noticeFits(nn, n.Doc, []string{m[2]}) {
				set = append(set, n.Doc)
			}
		}
		if len(placed) > 0 {
			sets = append(sets, set)
			if set == nil {
				sets = [][]string{nil}
				names = []string{m[1] + m[2] + "年"}
			} else if len(names) == 0 {
				names = append(names, m[1])
			}
		}
	}
	// Words of a title before 里/中: the notices whose title has them.
	var m []string
	byPhrase := false
	var phraseIDs []string
	phraseName := ""
	if containsAny(norm, noticeKinds) {
		m = noticePhraseRe.FindStringSubmatch(strings.TrimSpace(norm))
	}
	if m != nil && ix.leaderIn(m[1]) != "" {
		m = nil // 汤飞帆牵头的重点工作里: the leader's tasks, read by understand
	}
	if m != nil {
		// A name does not run across a comma or a 在: "想确认下：培育…的工作，
		// 在1号议案里" names 1号议案; what comes before is the question.
		if i := strings.LastIndexAny(m[1], "，,：:；;。？?！!"); i >= 0 {
			_, size := utf8.DecodeRuneInString(m[1][i:])
			m[0], m[1] = m[0][i+size:], m[1][i+size:]
		}
		if i := strings.LastIndex(m[1], "在"); i >= 0 && utf8Len(m[1][i+len("在"):]) >= 2 {
			m[0], m[1] = m[0][i+len("在"):], m[1][i+len("在"):]
		}
	}
	if m != nil && len(m[0]) < len(strings.TrimSpace(norm)) {
		phrase := pointerWords.ReplaceAllString(m[1], "")
		for _, p := range names {
			phrase = strings.ReplaceAll(phrase, p, "")
		}
		_, unit := findUnit(phrase, unitNames(ix))
		if unit != "" {
			phrase = strings.ReplaceAll(phrase, unit, "")
		}
		byPhrase = true
		ids := nameIDs(m[1])
		phraseIDs, phraseName = ids, strings.TrimSpace(m[1])
		switch set := ix.noticesTitled(nn, phrase); {
		case len(set) > 0 && len(ids) > 0 && !slices.ContainsFunc(set, func(d string) bool { return ix.noticeFits(nn, d, ids) }):
			// 湖北省2021年政府工作报告重点任务分工, 推广第三批…: the words
			// of a loaded title with another place or number.
			sets = append(sets, []string{})
			names = append(names, strings.TrimSpace(m[1]))
		case len(set) > 0:
			sets = append(sets, set)
			if len(names) == 0 {
				names = append(names, strings.TrimSpace(phrase))
			}
		case len(names) == 0 && utf8Len(specific(phrase)) >= 2:
			// Named by what it is about (那个夜经济的通知) or by a place
			// its own text names (龙湾那份分解): the notices that say it.
			// Else it names a notice that is not loaded: say so rather
			// than answer from another one.
			set := ix.noticesSaying(nn, specific(phrase), genericKind(m[1]))
			if set == nil {
				// 综保区 for 综合保税区: the name's characters in order in a
				// title; what looked like a place (综保) was the abbreviation.
				if set = ix.noticesAbbreviated(specific(phrase)); set != nil {
					phraseIDs = nil
				}
			}
			sets = append(sets, set)
			if set != nil {
				names = append(names, specific(phrase))
			} else {
				names = append(names, strings.TrimSpace(m[1]))
			}
		}
		norm = strings.Replace(strings.TrimSpace(norm), m[0], " "+unit+" ", 1)
	}
	// A notice's short name said in passing (无废城市试点的督查阶段): the
	// notices whose title quotes it.
	if len(sets) == 0 {
		var set []string
		name := ""
		for i, n := range ix.Corpus.Notices {
			for _, sn := range nn.short[i] {
				if strings.Contains(norm, sn) && (name == "" || sn == name) {
					set, name = append(set, n.Doc), sn
				}
			}
		}
		if set != nil {
			return question, set, name, false
		}
	}
	if len(sets) == 0 {
		return question, nil, "", false
	}
	docs = sets[0]
	for _, s := range sets[1:] {
		var both []string
		for _, d := range docs {
			if slices.Contains(s, d) {
				both = append(both, d)
			}
		}
		if len(both) > 0 || len(docs) == 0 {
			docs = both
		}
	}
	// 沙坪坝2023年区政府工作报告: the place's notices, but none of 2023.
	if len(phraseIDs) > 0 && len(docs) > 0 && !slices.ContainsFunc(docs, func(d string) bool { return ix.noticeFits(nn, d, phraseIDs) }) {
		docs, names = nil, []string{phraseName}
	}
	if docs == nil {
		docs = []string{} // named, but not loaded
	}
	return strings.TrimSpace(norm), docs, strings.Join(names, " "), byPhrase && len(sets) == 1 && len(docs) > 1
}

// noticesTitled returns the notices whose title, plan title or subject
// holds most of the phrase's bigrams; none when the phrase says too little.
func (ix *Index) noticesTitled(nn *noticeNames, phrase string) []string {
	// The words for notices (方案, 通知) tell none apart, and the bigrams
	// across them (经济通知) are no words at all.
	words := colloquial.Replace(phrase)
	for _, w := range noticeWords {
		words = strings.ReplaceAll(words, w, " ")
	}
	want := bigrams(tokens(corpus.Normalize(words)))
	if len(want) < 2 {
		return nil
	}
	years := yearRe.FindAllString(phrase, -1)
	scores := make([]float64, len(ix.Corpus.Notices))
	best := 0.0
	for i, n := range ix.Corpus.Notices {
		// A year the notice never mentions rules it out: 2021年数字经济议案
		// is not the 2022 one.
		if !slices.ContainsFunc(years, func(y string) bool {
			return strings.Contains(nn.meta[i], y) || strings.HasPrefix(n.Date, y) || nn.mentions(ix, i, y)
		}) && len(years) > 0 {
			continue
		}
		hit := 0
		for _, w := range want {
			if strings.Contains(nn.meta[i], w) {
				hit++
			}
		}
		scores[i] = float64(hit) / float64(len(want))
		// 职教联席会 for 职业教育工作部际联席会议: its characters in order.
		if short := specific(words); utf8Len(short) >= 4 && abbreviates(short, corpus.Normalize(n.Title+" "+n.PlanTitle)) {
			scores[i] = max(scores[i], 0.9)
		}
		best = max(best, scores[i])
	}
	if best < 0.5 {
		return nil
	}
	var out []string
	for i, n := range ix.Corpus.Notices {
		if scores[i] >= 0.9*best {
			out = append(out, n.Doc)
		}
	}
	return out
}

// noticesSaying returns the notices whose text has every bigram of
// words (in the wording of notices: 夜经济 is 夜间经济); nil when none or
// when too many do for the words to tell a notice.
//
// A name by subject counts only with a generic word for the notice (那个
// 夜经济的通知, 消费提振那份方案): "乡村振兴那个实施方案" names a document
// by its title, and a notice that only mentions 乡村振兴 is not it. A
// place counts whatever the word: 龙湾那份分解 is the notice that names
// 龙湾区.
func (ix *Index) noticesSaying(nn *noticeNames, words string, generic bool) []string {
	words = corpus.Normalize(colloquial.Replace(words))
	want := bigrams(tokens(words))
	if len(want) == 0 {
		return nil
	}
	var out []string
	for i, n := range ix.Corpus.Notices {
		all := true
		if !generic {
			all = slices.ContainsFunc([]string{"区", "县", "市", "镇", "街道", "开发区"}, func(suffix string) bool {
				return nn.mentions(ix, i, words+suffix)
			})
		}
		for _, w := range want {
			if !all {
				break
			}
			if !strings.Contains(nn.meta[i], w) && !nn.mentions(ix, i, w) {
				all = false
			}
		}
		if all {
			out = append(out, n.Doc)
			if len(out) > maxNoticesSaying {
				return nil
			}
		}
	}
	return out
}

// genericKind reports a notice named with a generic word for a document
// (通知, 文件, 方案, 意见, 政策), not the kind of its title.
func genericKind(name string) bool {
	name = strings.TrimRight(name, "里中内上的 ")
	if strings.HasSuffix(name, "那份") || strings.HasSuffix(name, "那个") || strings.HasSuffix(name, "这份") {
		return true // 文旅消费提振那份: named by what it is about
	}
	for _, w := range []string{"通知", "文件", "方案", "意见", "政策", "措施", "办法"} {
		if strings.HasSuffix(name, w) {
			rest := strings.TrimSuffix(name, w)
			return !containsAny(rest[max(0, len(rest)-6):], []string{"实施", "行动", "工作", "指导", "若干", "分工", "分解", "推广"})
		}
	}
	return false
}

// noticeFits reports whether a notice's names hold the numbers and place
// of a name it is asked by; a notice whose metadata names no place is not
// ruled out by a place.
func (ix *Index) noticeFits(nn *noticeNames, doc string, ids []string) bool {
	for i, n := range ix.Corpus.Notices {
		if n.Doc != doc {
			continue
		}
		meta := strings.ReplaceAll(nn.meta[i], " ", "") + n.Date
		var keep []string
		for _, id := range ids {
			if n.Date == "" && yearRe.MatchString(id) && nn.mentions(ix, i, id) {
				continue // undated: a year its text names
			}
			if len(nn.places[i]) == 0 && !nameIDRe.MatchString(id) {
				continue // it says nowhere where it is from
			}
			keep = append(keep, id)
		}
		return idsFit(keep, meta)
	}
	return false
}

// maxNoticesSaying bounds the notices a name by content may stand for:
// words that many notices say name none of them.
const maxNoticesSaying = 5

// placeYearRe finds a place and a year a question starts with.
var placeYearRe = regexp.MustCompile(`^(\p{Han}{2,4}?)(?:市|区|县|省)?((?:19|20)\d\d)年`)

// quotedRe finds a name a title quotes: “无废城市”, 《政府工作报告》.
var quotedRe = regexp.MustCompile(`[“"《]([^”"》]{2,40})[”"》]`)

// yearRe finds a year in the words that name a notice.
var yearRe = regexp.MustCompile(`(?:19|20)\d\d`)

// specific is a phrase without the generic words for notices (方案, 意见,
// 通知) and without its digits and punctuation: what tells a notice apart.
func specific(phrase string) string {
	for _, w := range noticeWords {
		phrase = strings.ReplaceAll(phrase, w, "")
	}
	return strings.Map(func(r rune) rune {
		if corpus.IsHan(r) {
			return r
		}
		return -1
	}, phrase)
}

// inScope reports whether a notice is one the query may answer from. Nil
// Docs is every notice; empty Docs is none (a notice named but not loaded).
func (q Query) inScope(doc string) bool {
	return q.Docs == nil || slices.Contains(q.Docs, doc)
}

// scoped joins the notices a query is limited to with those of the
// options (a chat's scope given by a caller): the question's own wins.
func (q Query) scoped(opt AnswerOptions) (Query, AnswerOptions) {
	switch {
	case q.Docs != nil:
		opt.Notices = q.Docs
	case len(opt.Notices) > 0:
		q.Docs = opt.Notices
	}
	return q, opt
}

// noNotice reports a query limited to no notice at all: it named one
// that is not loaded.
func (q Query) noNotice() bool { return q.Docs != nil && len(q.Docs) == 0 }

// scopedSearch is SearchIn over the query's notices.
func (ix *Index) scopedSearch(ctx context.Context, q Query, topic string, k int, kinds ...string) ([]Hit, error) {
	if q.noNotice() {
		return nil, nil
	}
	return ix.SearchIn(ctx, topic, k, q.Docs, kinds...)
}

// understand reads a question against the index: the notices it names,
// then its intent, unit and topic.
func (ix *Index) understand(question string) Query {
	ask := question
	var terms []string
	if isEnglish(question) {
		ask, terms = glossaryTranslate(question)
	}
	rest, docs, where, ambiguous := ix.namedNotices(ask)
	q := Understand(rest, unitNames(ix))
	if ambiguous {
		q.choices = docs
	}
	q.Question = question
	if terms != nil {
		q.Lang, q.Terms = "en", terms
	}
	if leader := ix.leaderIn(corpus.Normalize(rest)); leader != "" && q.Unit != "" {
		// 李丹常务副区长牵头的重点工作里，区发改局涉及哪几项: the unit's
		// tasks in the leader's notices; the 牵头 is the leader's.
		ld := ix.noticeNames().leaderDocs[leader]
		if docs != nil {
			ld = slices.DeleteFunc(slices.Clone(ld), func(d string) bool { return !slices.Contains(docs, d) })
		}
		docs, where, q.choices = ld, leader, nil
		norm := corpus.Normalize(rest)
		before, after, _ := strings.Cut(norm, leader)
		clause, tail, found := strings.Cut(after, "牵头")
		if found && utf8Len(clause) <= 8 && !strings.Contains(tail, "牵头") && !strings.Contains(before, "牵头") {
			q.LeadOnly = false
		}
	}
	if q.Intent != IntentRoster && len(docs) > 0 && askedOrg(corpus.Normalize(rest)) != "" && ix.rostersOnly(docs) {
		// 教材委那个名单里社科院是谁: a roster notice asked who.
		q.Intent, q.Asked = IntentRoster, true
	}
	if docs != nil {
		q.Docs, q.Where = docs, where
		// A place named in passing is not what the question is about.
		topic := q.Topic
		for _, p := range strings.Fields(where) {
			topic = strings.ReplaceAll(topic, p, " ")
		}
		if t := strings.Join(strings.Fields(topic), " "); t != "" || q.Intent == IntentUnit {
			q.Topic = t
		}
	}
	q.Topic = ix.splitJunctions(q.Topic)
	return q
}

// rostersOnly reports notices that set up groups and assign no task.
func (ix *Index) rostersOnly(docs []string) bool {
	for _, n := range ix.Corpus.Notices {
		if slices.Contains(docs, n.Doc) && (len(n.Groups) == 0 || len(n.Tasks) > 0) {
			return false
		}
	}
	return true
}

// institutionAfterPlace are words that make a place the start of another
// body's name: 北京师范大学 names a university, not Beijing's notices.
var institutionAfterPlace = []string{"大学", "师范", "学院", "银行", "海关", "铁路", "机场", "日报", "电视台", "医院", "中学", "小学", "证券", "交易所", "分公司", "公司", "集团", "监管局", "分局", "中心支行"}

// placeStandsAlone reports whether place occurs in norm as a place at least
// once, not only as the head of an institution's name.
func placeStandsAlone(norm, place string) bool {
	for rest := norm; ; {
		i := strings.Index(rest, place)
		if i < 0 {
			return false
		}
		after := strings.TrimLeft(rest[i+len(place):], " ")
		after = strings.TrimLeft(after, "市省区县")
		inst := false
		for _, w := range institutionAfterPlace {
			if strings.HasPrefix(after, w) {
				inst = true
				break
			}
		}
		if !inst {
			return true
		}
		rest = rest[i+len(place):]
	}
}

// noticesAbbreviated returns the notices whose title a name of three or
// more characters abbreviates (综保区 in 综合保税区: its characters in order,
// close together), when the title does not hold the name as written.
func (ix *Index) noticesAbbreviated(name string) []string {
	name = strings.ReplaceAll(name, " ", "")
	if utf8Len(name) < 3 {
		return nil
	}
	var set []string
	for _, n := range ix.Corpus.Notices {
		t := strings.ReplaceAll(corpus.Normalize(n.Title+n.PlanTitle), " ", "")
		if !strings.Contains(t, name) && abbreviates(name, t) {
			set = append(set, n.Doc)
		}
	}
	return set
}
