package corpus

import (
	"os"
	"strings"
	"testing"
)

func osWriteFile(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }

// FuzzParse: the pipeline never panics, and every task's text comes from
// the (cleaned) input, line by line.
func FuzzParse(f *testing.F) {
	f.Add(smallNotice)
	f.Add("一、任务\n（一）甲。〔责任单位：市商务局，市财政局。逗号前为牵头单位（下同）〕\n1．乙（（（")
	f.Add(" ?。ㄒ唬┑貐^生產總值增長7.5%。(牽頭單位:市發展改革委)")
	f.Add("1.(牵头单位:)(责任单位:、,;)(市商务局牵头,)")
	f.Fuzz(func(t *testing.T, text string) {
		lines, _ := cleanLines(strings.Split(text, "\n"))
		n := Parse("fuzz.txt", lines, NewDirectory())
		input := strings.Join(lines, "\n")
		for _, task := range n.Tasks {
			for _, l := range strings.Split(task.Text, "\n") {
				if !strings.Contains(input, l) {
					t.Fatalf("task text %q not in input", l)
				}
			}
		}
	})
}
