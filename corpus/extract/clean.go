package extract

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Clean-up of the text of a page before it is parsed. Government pages carry
// site chrome (navigation, share bars, footers with 网站标识码 and ICP
// numbers), injected spam, pinyin annotations and HTML remnants; none of it
// may reach an answer. Each removal is counted for the load report.

// cleanStats counts what clean removed or repaired.
type cleanStats struct {
	FooterLines   int
	ChromeLines   int
	SpamLines     int
	Pinyin        int
	Mojibake      []mojibakeFix
	InvalidQuotes int // U+FFFD left by the decoder
}

// footerMarkers start a site footer: everything from the first such line in
// the last part of a page on is dropped.
var footerMarkers = []string{
	"网站标识码", "網站標識碼", "ICP备", "ICP備", "公网安备", "公網安備",
	"扫一扫在手机", "掃一掃在手機", "版权所有", "版權所有", "建设与维护", "建設與維護",
	"技术支持：", "技术支持:", "微信公众号", "微信公眾號",
}

// footerStart matches a footer's first line when it names the site owner.
var footerStart = regexp.MustCompile(`^\s*(主办单位|主辦單位|主办|承办单位|联系我们|關於我們|关于我们)\s*[:：]`)

// chromeLine matches page chrome that stands on a line of its own: view
// counters, share bars, font switches, breadcrumbs.
var chromeLine = regexp.MustCompile(`^\s*(?:[•·]\s*)?(浏览量|瀏覽量|分享到|字体[:：]|字體[:：]|【?打印|【?关闭|【?關閉|当前位置|當前位置|您的位置|您现在的位置|您現在的位置|首页\s*>|首頁\s*>|来源[:：]|來源[:：]|政府信息公开$|政府信息公開$|发布机构[:：]|發布機構[:：])`)

// bulletDate is a bare "• 2020年01月23日" line from a share bar.
var bulletDate = regexp.MustCompile(`^\s*[•·]\s*\d{4}年\d{1,2}月\d{1,2}日\s*$`)

// spamWords are phrases of gambling and stock-tip spam injected into pages.
var spamWords = []string{
	"彩票", "赌博", "博彩", "配资", "时时彩", "快3", "快三", "十一选五", "11选5", "pk10", "PK10",
	"飞艇", "赛车", "六合彩", "百家乐", "开奖", "炒股", "棋牌", "稳赚", "必中", "投注", "娱乐城",
	"真人荷官", "老虎机", "体育直播", "比赛直播", "多乐彩", "新股申购",
	"賭博", "配資", "時時彩", "賽車", "開獎", "百家樂", "棋牌", "娛樂城", "老虎機", "炒股",
}

// pinyinNote matches a pinyin annotation after a character: 鄉(xiāng).
var pinyinNote = regexp.MustCompile(`(\p{Han})[(（]([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]*)[)）]`)

// toneMarks are the vowels with tone marks that only pinyin uses.
const toneMarks = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"

// htmlRemnant matches tags and their broken ends left in plain text.
var htmlRemnant = regexp.MustCompile(`</?(?:p|br|div|span|strong|b|font|td|tr|table)\b[^>]*>|/(?:p|div|span)>\s*$|&nbsp;`)

// cleanLines removes noise from the lines of a page and repairs mojibake.
func cleanLines(lines []string) ([]string, cleanStats) {
	var st cleanStats
	// The footer: the first strong marker in the last 40% of the page.
	end := len(lines)
	for i := len(lines) * 6 / 10; i < len(lines) && end == len(lines); i++ {
		switch {
		case hasFooterMarker(lines[i]):
			end = i
		case footerStart.MatchString(lines[i]):
			// 主办单位： is also how a 建议办理方案 names a task's host unit:
			// it starts a footer only when a footer marker follows.
			for j := i + 1; j < len(lines) && j <= i+8; j++ {
				if hasFooterMarker(lines[j]) {
					end = i
					break
				}
			}
		}
	}
	st.FooterLines = len(lines) - end

	out := make([]string, 0, end)
	for _, l := range lines[:end] {
		if isSpamLine(l) {
			st.SpamLines++
			continue
		}
		if chromeLine.MatchString(l) || bulletDate.MatchString(l) {
			st.ChromeLines++
			continue
		}
		fixed, fixes := repairMojibake(l)
		st.Mojibake = append(st.Mojibake, fixes...)
		l = fixed
		if strings.ContainsAny(l, toneMarks) {
			if n := len(pinyinNote.FindAllStringIndex(l, -1)); n > 0 {
				st.Pinyin += n
				l = pinyinNote.ReplaceAllString(l, "$1")
			}
		}
		if strings.ContainsAny(l, "<>&") {
			l = htmlRemnant.ReplaceAllString(l, "")
		}
		st.InvalidQuotes += strings.Count(l, "\uFFFD")
		l = strings.TrimFunc(l, isBlank)
		out = append(out, l)
	}
	return out, st
}

func isBlank(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' || r == '\uFEFF' }

// IsFooterLine reports whether a line starts a site footer (网站标识码,
// ICP备, 主办单位：…) — lines the parser must not take for a task's text or
// a signature.
func IsFooterLine(l string) bool {
	return hasFooterMarker(l) || footerStart.MatchString(l)
}

func hasFooterMarker(l string) bool {
	for _, m := range footerMarkers {
		if strings.Contains(l, m) {
			return true
		}
	}
	return false
}

// isSpamLine reports lines of injected spam: two or more spam phrases, or
// one in a line with no sentence punctuation at all (a keyword list). The
// phrase list carries Traditional forms itself: converting every line
// first would cost more than the check.
func isSpamLine(l string) bool {
	n := 0
	for _, w := range spamWords {
		if strings.Contains(l, w) {
			n++
		}
	}
	if n >= 2 {
		return true
	}
	return n == 1 && !strings.ContainsAny(l, "，。；：,;:（）()")
}

// warnings says what the clean-up did, one line a kind.
func (st cleanStats) warnings() []string {
	var w []string
	for _, f := range st.Mojibake {
		if f.Repaired {
			w = append(w, fmt.Sprintf("mojibake repaired: %q → %q", f.Before, f.After))
		} else {
			w = append(w, fmt.Sprintf("mojibake not repairable, removed: %q", f.Before))
		}
	}
	if st.SpamLines > 0 {
		w = append(w, fmt.Sprintf("removed %d spam line(s)", st.SpamLines))
	}
	if st.FooterLines > 0 {
		w = append(w, fmt.Sprintf("removed site footer (%d line(s))", st.FooterLines))
	}
	if st.Pinyin > 0 {
		w = append(w, fmt.Sprintf("removed %d pinyin annotation(s)", st.Pinyin))
	}
	if st.InvalidQuotes > 0 {
		w = append(w, fmt.Sprintf("%d undecodable byte sequence(s) kept as U+FFFD", st.InvalidQuotes))
	}
	return w
}
