package bot

import (
	"fmt"

	"github.com/assignbot/assignbot/corpus"
)

// Reloads. /reload and every saved upload ask for a reload; one runs at a
// time, and everything asked for while it runs is served by the next one,
// which reads every file saved meanwhile. Each upload gets its own result
// line. Questions keep being answered from the current index meanwhile
// (the engine swaps the new one in when it is ready).

// UploadOutcome says in plain text what became of one uploaded file in
// the new index, and gives the file's report when it was loaded (its
// alerts are worth showing).
func UploadOutcome(c *corpus.Corpus, name string) (string, *corpus.FileReport) {
	for _, n := range c.Notices {
		if n.Doc == name {
			line := fmt.Sprintf("已保存并加载 %s：找到 %d 项任务", ShowName(name), len(n.Tasks))
			members := 0
			for _, g := range n.Groups {
				members += len(g.Members)
			}
			if members > 0 {
				line += fmt.Sprintf("，领导小组成员 %d 人", members)
			}
			for i, f := range c.Report.Files {
				if f.Name == name {
					return line + "。", &c.Report.Files[i]
				}
			}
			return line + "。", nil
		}
	}
	for _, f := range c.Report.Files {
		if f.Name == name && f.Status != "loaded" {
			return fmt.Sprintf("已保存 %s，但没有加载：%s", ShowName(name), f.Reason), nil
		}
	}
	return fmt.Sprintf("已保存 %s，但没有加载。", ShowName(name)), nil
}
