package corpus

import (
	"strings"
	"unicode/utf8"

	"github.com/assignbot/assignbot/corpus/t2s"
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
		if tail != "" && utf8.RuneCountInString(tail) <= 20 && endsWithAny(t2s.String(tail), siteEnds) && titleEndRe.MatchString(head) {
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
