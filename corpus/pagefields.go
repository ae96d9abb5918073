package corpus

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

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
