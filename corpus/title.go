package corpus

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Titles as reposts and page captures print them. readMeta (parse.go) takes
// the first line that reads as a title; these rules mend what a repost does
// to it: a site's name glued on after a dash (…的意见-湖南省人民政府门户网站),
// a headline that shortens the issuer above the title printed in full
// (广东省关于… above 广东省人民政府办公厅关于…), a title run into a news
// story (…全文如下:国务院办公厅关于…的通知各省、自治区…), and a bare
// 全文 that is no title at all.

// siteSeps part a page title from the site's name.
var siteSeps = []string{" - ", "-", "_", "｜", "|", "—", "–"}

// siteEnds end a site's name.
var siteEnds = []string{"网站", "门户网", "网", "官网", "人民政府", "政府", "平台", "在线", "频道", "公报"}

// cutSiteName removes a site's name after a title's last separator:
// …部门分工的意见-湖南省人民政府门户网站 → …部门分工的意见. A separator
// inside the title (2021-2025年) stays: what follows it ends no site name.
func cutSiteName(t string) string {
	for _, sep := range siteSeps {
		i := strings.LastIndex(t, sep)
		if i <= 0 {
			continue
		}
		head, tail := strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+len(sep):])
		if tail != "" && utf8.RuneCountInString(tail) <= 20 && endsWithAny(ToSimplified(tail), siteEnds) && titleEndRe.MatchString(head) {
			return head
		}
	}
	return t
}

// isNoTitle reports a line that stands where a title would but names
// nothing: 全文, 正文, 原文.
func isNoTitle(l string) bool {
	switch strings.Trim(strings.TrimSpace(l), ":：") {
	case "全文", "正文", "原文", "附件", "全文如下", "原文如下":
		return true
	}
	return false
}

// introducers announce the notice's own text inside a news story.
var introducers = []string{"全文如下", "原文如下", "通知全文", "通知如下", "全文"}

// embeddedTitle finds a notice's title run into a longer paragraph after
// 全文如下: — the issuer, 关于, and the words up to the first title end
// outside 《》 (国务院办公厅关于成立…领导小组的通知各省、自治区… →
// 国务院办公厅关于成立…领导小组的通知).
func embeddedTitle(l string) string {
	for _, intro := range introducers {
		i := strings.Index(l, intro)
		if i < 0 {
			continue
		}
		rest := strings.TrimLeft(l[i+len(intro):], ":： \u3000")
		about := strings.Index(rest, "关于")
		if about < 0 || utf8.RuneCountInString(rest[:about]) > 20 || strings.ContainsAny(rest[:about], "，,。:：；;") {
			continue
		}
		depth := 0
		for j, r := range rest {
			if strings.ContainsRune("，,。；;:：", r) {
				break // a title holds no sentence
			}
			switch r {
			case '《':
				depth++
			case '》':
				depth--
			}
			if end := j + utf8.RuneLen(r); depth == 0 && end > about+len("关于") && titleEndRe.MatchString(rest[:end]) {
				return rest[:end]
			}
		}
	}
	return ""
}

// fullerTitle returns line l's title when it is cur printed with its
// issuer in full (广东省人民政府办公厅关于… for 广东省关于…), else "".
func fullerTitle(cur, l string) string {
	l = strings.TrimSpace(strings.Trim(strings.TrimSpace(l), "《》"))
	if utf8.RuneCountInString(l) > 100 || !titleEndRe.MatchString(l) {
		return ""
	}
	ci, li := strings.Index(cur, "关于"), strings.Index(l, "关于")
	if ci <= 0 || li <= ci || cur[ci:] != l[li:] || !strings.HasPrefix(l, cur[:ci]) {
		return ""
	}
	return l
}

// Page clutter around a title. Government information-disclosure pages
// print a block of labelled fields (索引号, 主题分类, 发布机构, 名称 or 标题,
// 文号) before the notice, and some sites put a column tag in 【】 before
// the title (【市政府重点工作及责任分解】…的通知).

// metaFieldRe is a labelled field of such a block at a line's start.
var metaFieldRe = regexp.MustCompile(`^\s*(?:[•·]\s*)?(索\s*引\s*[号號]|组配分类|組配分類|主[题題]分[类類]|[发發]布机[构構]|[发發]文机[关關]|成文日期|[发發]文日期|[发發][布佈]日期|公开日期|生成日期|公开方式|公开范围|文\s*[号號]|[发發]文字[号號]|[时時]\s*效|名\s*[称稱]|[标標]\s*[题題])\s*[:：]`)

// titleFieldRe is the field of such a block that holds the title.
var titleFieldRe = regexp.MustCompile(`^\s*(?:名\s*[称稱]|[标標]\s*[题題])\s*[:：]\s*`)

// nextFieldRe is the next field run into a line after a value: … 文号:.
var nextFieldRe = regexp.MustCompile(`\s+[\p{Han}][\p{Han}\s]{1,6}[:：]`)

// fieldTitle returns the title a 标题: or 名称: field gives, cut at the
// next field on its line.
func fieldTitle(l string) string {
	m := titleFieldRe.FindStringIndex(l)
	if m == nil {
		return ""
	}
	v := l[m[1]:]
	if n := nextFieldRe.FindStringIndex(v); n != nil {
		v = v[:n[0]]
	}
	v = strings.TrimSpace(v)
	if utf8.RuneCountInString(v) < 6 || utf8.RuneCountInString(v) > 100 || strings.ContainsAny(v, "。；;") {
		return ""
	}
	return v
}

// isMetaField reports a line of such a block.
func isMetaField(l string) bool { return metaFieldRe.MatchString(l) }

// columnTagRe is a site's column tag before a title: 【政策解读】.
var columnTagRe = regexp.MustCompile(`^\s*【[^】]{2,20}】\s*`)

// cutColumnTag removes a column tag before a title that stands without it.
func cutColumnTag(t string) string {
	if m := columnTagRe.FindStringIndex(t); m != nil && titleRe.MatchString(t[m[1]:]) {
		return t[m[1]:]
	}
	return t
}
