package corpus

import (
	"strings"
	"testing"
)

// TestRunOn: a notice that reaches us as one long line — items, labels
// and a page footer run together — read as if it had its paragraphs.
func TestRunOn(t *testing.T) {
	text := "文档下载免费编辑区水务局河道整治工作方案各科室、各站所:为做好河道整治工作,结合我局实际,制定本方案。" +
		"一是成立工作专班,由局长统筹协调,各科室负责人参加,确保整治工作按期推进,各站所要按照分工抓好落实,做好日常巡查。" +
		"实施整治工作(一)河道清淤疏浚河道:对主要河道开展清淤疏浚,确保汛前完成。牵头领导:陈志远副局长责任部门:工程科、河道管理站" +
		"(二)排污口整治排污口:对沿河排污口逐一排查整治。牵头领导:刘海副局长责任部门:水政科、监测站第 1 页共 3 页文档下载免费编辑" +
		"(三)岸线绿化岸线:做好沿河绿化补植工作。牵头领导:陈志远副局长责任部门:绿化队配合做好整治工作" +
		"(一)配合区城管局做好沿河垃圾清运配合领导:刘海副局长配合部门:区环卫所(二)配合区公安分局做好非法采砂打击配合领导:陈志远副局长配合部门:水政科"
	n, _ := parseText(t, "runon.txt", text)
	var got []string
	for _, task := range n.Tasks {
		got = append(got, task.Ref+": "+units(task.ResponsibleUnits)+" / "+task.Leader+" / "+strings.Join(task.Persons, "、"))
	}
	want := []string{
		"一(一): 工程科、河道管理站 / 陈志远 / ",
		"一(二): 水政科、监测站 / 刘海 / ",
		"一(三): 绿化队 / 陈志远 / ",
		"二(一): 区环卫所 /  / 刘海",
		"二(二): 水政科 /  / 陈志远",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("tasks\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, task := range n.Tasks {
		if strings.Contains(task.Text, "第 1 页") || strings.Contains(task.Text, "文档下载免费编辑") {
			t.Errorf("%s keeps the page footer: %q", task.Ref, task.Text)
		}
	}
}

// TestRunOnLeavesParagraphsAlone: a long paragraph with one label is no
// run-on text.
func TestRunOnLeavesParagraphsAlone(t *testing.T) {
	long := strings.Repeat("加强河道日常管护,落实河长制各项要求,", 12)
	lines := []string{"一、工作任务", "1." + long + "责任单位:区水务局"}
	if got := splitRunOn(lines); len(got) != 2 {
		t.Errorf("split into %d lines: %q", len(got), got)
	}
}

// TestRunOnNumbering: a run-on line keeps its 一、 and 1. items apart,
// and numbers inside sentences (1.5亿元, 第2、3批) break nothing.
func TestRunOnNumbering(t *testing.T) {
	pad := strings.Repeat("坚持稳中求进工作总基调,统筹发展和安全,", 6)
	text := "某区2024年重点工作分解方案" + pad + "。一、工作任务(一)扩大有效投资1.完成固定资产投资1.5亿元,分第2、3批推进。(牵头单位:区发改委;责任单位:区财政局)" +
		"2.推进城市更新。(牵头单位:区住建局)二、保障措施" + pad + "。"
	n, _ := parseText(t, "numbering.txt", text)
	var got []string
	for _, task := range n.Tasks {
		got = append(got, task.Ref+": "+units(task.LeadUnits)+" / "+units(task.ResponsibleUnits))
	}
	want := "一(一)1: 区发改委 / 区财政局\n一(一)2: 区住建局 / "
	if strings.Join(got, "\n") != want {
		t.Errorf("tasks\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
	if len(n.Tasks) > 0 && !strings.Contains(n.Tasks[0].Text, "1.5亿元,分第2、3批推进") {
		t.Errorf("a number inside the sentence broke it: %q", n.Tasks[0].Text)
	}
}
