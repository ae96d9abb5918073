package corpus_test

import (
	"fmt"
	"strings"

	"github.com/assignbot/assignbot/corpus"
)

func ExampleParse() {
	text := `一、工作任务
（二）健全商业设施
3．加快特色步行街建设。（牵头单位：市商务局；责任单位：市自然资源规划局、市经信局，各区人民政府）`
	n := corpus.Parse("notice.txt", strings.Split(text, "\n"), corpus.NewDirectory())
	for _, t := range n.Tasks {
		fmt.Println(t.Ref, t.LeadUnits, t.ResponsibleUnits)
	}
	// Output:
	// 一(二)3 [市商务局] [市自然资源规划局 市经信局 各区人民政府]
}
