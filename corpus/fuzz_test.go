package corpus

import (
	"os"
	"strings"
	"testing"

	"github.com/assignbot/assignbot/corpus/extract"
)

func osWriteFile(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }

// FuzzParse: the pipeline never panics, and every task's text comes from
// the input as the text reader cleaned it, line by line.
func FuzzParse(f *testing.F) {
	f.Add(smallNotice)
	// Labels read by their cue words, padded labels, bare cues, alternate
	// names, collective names joined by 等和/以及, wrapped units lines.
	f.Add("一、任务\n1.甲。\n牵头负责领导：张三。\n牵头责任单位：市商务局。\n协同责任单位：市市场监管局、市邮政管理局等，各县、市、区政府。\n2.乙。（牵 头 单 位：区发改局(区粮食局)；配 合 部 门：区财政局）")
	f.Add("一、任务\n1.甲。（牵头：市商务局；配合：）\n2.乙。（A、B等和各有关省级人民政府负责）\n3.丙。市商务局牵头，市财政局以及各县（市、区）配合。\n协办单位:区委编办、园区党工\n委、各街道党工委\n11.121人才")
	f.Add("【牵头责任单位】市商务局 【协同单位】市财政局\n责任主体：\n督办单位：市政府督查室；主责单位：[区发改局(区粮食局)]")
	f.Add("一、任务\n（一）甲。〔责任单位：市商务局，市财政局。逗号前为牵头单位（下同）〕\n1．乙（（（")
	f.Add(" ?。ㄒ唬┑貐^生產總值增長7.5%。(牽頭單位:市發展改革委)")
	f.Add("1.(牵头单位:)(责任单位:、,;)(市商务局牵头,)")
	f.Add("一、任务\n（一）甲。（工业和信息化部、发展改革委等负责。列第一位者为牵头单位，下同）\n（二）乙。（财政部会同有关部门负责）\n丙。（生态环境部指导，试点城市政府负责落实。以下均需试点城市政府落实，不再列出）丁。（商务部牵头，供销合作总社参与）")
	f.Add("| 序号 | 改革举措 | 指导部门 |\n| 一、知识产权方面 |\n| 1 | 审判 | 最高人民法院、国家知识产权局 |\n| 2 |  |")
	f.Add("序号 |\n重点工作 |\n责任领导 |\n责任单位 |\n1 |\n服务。 |\n叶林 |\n招商工作部 |\n2 |")
	f.Add("附件1\n\n序号\n\n工作任务\n\n牵头单位\n\n配合单位\n\n1\n\n建设\n\n\n区科技局\n\n2")
	f.Add("二、组成人员\n组 长:孙益锋 区委常委、副区长\n成 员:方国友 区机关事务管理中心主任\n许 俊 区发改局副局长\n委  员：\n（一）部门委员\n黄　卫　　科技部副部长")
	f.Add("一、任务\n1.1 甲。（责任单位：市商务局）\n3.5亿元\n1.\n部门分工:省发展改革委牵头,各地、各部门配合。\n分管省领导:林克庆\n每年2月底前、到2020年、印发之日起30日内（长期坚持）")
	f.Add("李四副市长负责事项\n序号\n工作任务\n牵头单位\n责任单位\n完成时限\n任务来源\n1\n建设。\n市住建局\n全年\n市政府工作报告\n王五副市长负责事项\n序号\n工作任务\n牵头单位\n责任单位\n完成时限\n任务来源\n1\n新建。\n市教育局\n市财政局")
	f.Add("重点工作\n主要\n任务\n工作措施\n责任单位\n备注\n一、加大支持\n(一)加强支持\n市税务局等,各县、市、区政府\n2020年12月\n2.纳入。\n市经信局\n3.")
	f.Add("附件1\n一、县示范区管委会牵头工作(8项)\n1.建设。\n2.打造。")
	f.Add("二、组成人员组长:张高丽国务院副总理副组长:姜大明国土资源部部长丁向阳国务院副秘书长成员:吴文学旅游局党组成员修济刚地震局副局长三、工作\n组 长 王 曦副省长\n副组长:王晓剑 谭志新\n成　员：县长　买买提·艾力")
	f.Fuzz(func(t *testing.T, text string) {
		doc, err := extract.Text(t.Context(), "text", []byte(text))
		if err != nil {
			return // binary or blank: the loader skips it before parsing
		}
		lines := doc.Lines
		n := Parse("fuzz.txt", lines, NewDirectory())
		input := strings.Join(lines, "\n")
		// As TestUnitsAsWritten: white space is layout, not part of a name
		// (a units line wrapped by the page: 园区党工 / 委).
		folded := strings.Join(strings.Fields(Normalize(input)), "")
		for _, task := range n.Tasks {
			for _, l := range strings.Split(task.Text, "\n") {
				if !strings.Contains(input, l) {
					t.Fatalf("task text %q not in input", l)
				}
			}
			// Units are never invented: each occurs in the input as written.
			for _, u := range append(task.Units(), task.GuideUnits...) {
				if !strings.Contains(folded, strings.Join(strings.Fields(Normalize(u)), "")) {
					t.Fatalf("unit %q of task %s not in input", u, task.Ref)
				}
			}
		}
	})
}
