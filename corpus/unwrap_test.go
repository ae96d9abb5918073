package corpus

import (
	"strings"
	"testing"
)

// TestJoinHardWraps: a text that keeps a page's line breaks is joined into
// paragraphs; a paragraph that ends at the margin before a numbered item,
// or with its units bracket, stays apart; text written a paragraph a line,
// short lines (a roster, a table's cells) and tables are left alone.
func TestJoinHardWraps(t *testing.T) {
	para := func(n int) string { // n characters of prose, no punctuation
		return strings.Repeat("推进城市更新改造", n/8+1)[:len(strings.Repeat("推", n))]
	}
	var wrapped []string
	for i := 0; i < 6; i++ {
		wrapped = append(wrapped, para(28), para(28), "加快建设。（市住建局牵头，市财政局配合）")
	}
	tests := []struct {
		name string
		in   []string
		want int // lines of text after joining
	}{
		{"a wrapped text", wrapped, 6},
		{"double-spaced", strings.Split(strings.Join(wrapped, "\n\n"), "\n"), 6},
		{"ends at the margin before an item", append(append([]string{}, wrapped...), para(27)+"。", "1.下一项工作。"), 8},
		{"a paragraph a line", []string{para(40), para(75), para(12), para(60), para(33), para(90), para(20), para(51), para(44)}, 9},
		{"a roster", strings.Split(strings.Repeat("成　员：张三　区发展和改革局局长\n", 12), "\n"), 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := joinHardWraps(tt.in)
			n := 0
			for _, l := range got {
				if strings.TrimSpace(l) != "" {
					n++
				}
			}
			if n != tt.want {
				t.Errorf("%d lines, want %d:\n%s", n, tt.want, strings.Join(got, "\n"))
			}
		})
	}
}
