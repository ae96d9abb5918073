package extract

import (
	"strings"
	"testing"
)

// TestJoinHardWraps: text copied out of a PDF keeps the page's line
// breaks; where the lines show a ceiling they are joined back into
// paragraphs, each numbered item its own, and text with no ceiling comes
// back as it is.
func TestJoinHardWraps(t *testing.T) {
	// Each item is 78 characters: lines of 28, 28 and 22 on a page 28
	// characters (56 columns) wide.
	item := func(n string) string {
		return n + "．" +
			strings.Repeat("加快建设", 16) + "（牵头单位：市商务局）。"
	}
	var paras []string
	for _, n := range []string{"1", "2", "3", "4", "5"} {
		paras = append(paras, item(n))
	}
	wrap := func(s string, width int) []string {
		var out []string
		rs := []rune(s)
		for len(rs) > width {
			out = append(out, string(rs[:width]))
			rs = rs[width:]
		}
		return append(out, string(rs))
	}
	var wrapped []string
	for _, p := range paras {
		wrapped = append(wrapped, wrap(p, 28)...)
	}
	short := []string{"关于印发工作方案的通知", "一、工作任务", "1．建设。（牵头单位：市商务局）"}
	for _, tc := range []struct {
		name     string
		in, want []string
	}{
		{"HardWrappedItemsJoined", wrapped, paras},
		{"ParagraphPerLineUnchanged", paras, paras},
		{"ShortLinesUnchanged", short, short},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := joinHardWraps(tc.in); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
