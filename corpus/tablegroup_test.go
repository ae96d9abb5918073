package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// groupRow writes a table task as the group-heading tests compare it:
// "ref leader | lead / resp | deadline | text".
func groupRow(t *Task) string {
	d := ""
	if len(t.Deadlines) > 0 {
		d = t.Deadlines[0].Phrase
	}
	return strings.TrimSpace(t.Ref+" "+t.Leader) + " | " + units(t.LeadUnits) + " / " + units(t.ResponsibleUnits) + " | " + d + " | " + t.Text
}

// TestTableGroupHeadings has one row per layout of a task table grouped
// under headings that say who answers for the rows below: a leader
// (李四副市长负责事项, to Task.Leader and never a unit) or a lead unit
// (一、县示范区管委会牵头工作(2项)).
func TestTableGroupHeadings(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"CellPerLineLeaderGroupsHeaderRepeated",
			"李四副市长负责事项\n序号\n工作任务\n牵头单位\n责任单位\n完成时限\n任务来源\n1\n建设快速路。\n市住建局\n市财政局、各县（市、区）人民政府\n2024年12月底前\n市政府工作报告\n2\n改造老旧小区。\n市住建局\n各县（市、区）人民政府\n全年\n市政府工作报告\n" +
				"王五副市长负责事项\n序号\n工作任务\n牵头单位\n责任单位\n完成时限\n任务来源\n1\n新建学校。\n市教育局\n市财政局\n2024年9月底前\n市委经济工作会议\n",
			[]string{
				"一1 李四 | 市住建局 / 市财政局、各县（市、区）人民政府 | 2024年12月底前 | 建设快速路。",
				"一2 李四 | 市住建局 / 各县（市、区）人民政府 | 全年 | 改造老旧小区。",
				"二1 王五 | 市教育局 / 市财政局 | 2024年9月底前 | 新建学校。"}},
		{"CellPerLineGroupRowUnderHeader",
			"序号\n工作任务\n牵头单位\n责任单位\n李四副市长负责事项\n1\n建设快速路。\n市住建局\n市财政局\n2\n改造老旧小区。\n市住建局\n各区政府\n王五副市长负责事项\n3\n新建学校。\n市教育局\n市财政局\n",
			[]string{
				"1 李四 | 市住建局 / 市财政局 |  | 建设快速路。",
				"2 李四 | 市住建局 / 各区政府 |  | 改造老旧小区。",
				"3 王五 | 市教育局 / 市财政局 |  | 新建学校。"}},
		{"CellPerLineGroupRowUnderRepeatedHeader",
			"序号\n工作任务\n牵头单位\n责任单位\n李四副市长负责事项\n1\n建设快速路。\n市住建局\n市财政局\n序号\n工作任务\n牵头单位\n责任单位\n王五副市长负责事项\n1\n新建学校。\n市教育局\n市财政局\n",
			[]string{
				"一1 李四 | 市住建局 / 市财政局 |  | 建设快速路。",
				"二1 王五 | 市教育局 / 市财政局 |  | 新建学校。"}},
		{"BlankSeparatedNumberedLeaderGroups",
			"一、李四副市长负责事项\n\n序号\n\n工作任务\n\n牵头单位\n\n责任单位\n\n1\n\n建设快速路。\n\n市住建局\n\n市财政局\n\n二、王五副市长负责事项\n\n1\n\n新建学校。\n\n市教育局\n\n市财政局\n",
			[]string{
				"一1 李四 | 市住建局 / 市财政局 |  | 建设快速路。",
				"二1 王五 | 市教育局 / 市财政局 |  | 新建学校。"}},
		{"PipeLeaderGroupsHeaderRepeated",
			"| 李四副市长负责事项 |\n| 序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时限 | 任务来源 |\n| 1 | 建设快速路。 | 市住建局 | 市财政局 | 全年 | 市政府工作报告 |\n| 王五副市长负责事项 |\n| 序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时限 | 任务来源 |\n| 1 | 新建学校。 | 市教育局 | 市财政局 | 全年 | 市政府工作报告 |\n",
			[]string{
				"一1 李四 | 市住建局 / 市财政局 | 全年 | 建设快速路。",
				"二1 王五 | 市教育局 / 市财政局 | 全年 | 新建学校。"}},
		{"PipeHeadingAboveTable",
			"李四副市长负责事项\n\n| 序号 | 工作任务 | 牵头单位 | 责任单位 |\n| 1 | 建设快速路。 | 市住建局 | 市财政局 |\n| 2 | 改造老旧小区。 | 市住建局 | 各区政府 |\n",
			[]string{
				"1 李四 | 市住建局 / 市财政局 |  | 建设快速路。",
				"2 李四 | 市住建局 / 各区政府 |  | 改造老旧小区。"}},
		{"PipeLeadUnitGroups",
			"| 序号 | 工作任务 | 协同单位 |\n| 一、县示范区管委会牵头工作(2项) |\n| 1 | 建设产业园。 | 县发改局 |\n| 2 | 打造生产基地。 |  |\n| 二、县发改局牵头工作(1项) |\n| 3 | 推进项目建设。 | 县财政局 |\n",
			[]string{
				"一1 | 县示范区管委会 / 县发改局 |  | 建设产业园。",
				"一2 | 县示范区管委会 /  |  | 打造生产基地。",
				"二3 | 县发改局 / 县财政局 |  | 推进项目建设。"}},
		{"CellPerLineEmptyCellsLost",
			"李四副市长负责事项\n序号\n工作任务\n牵头单位\n责任单位\n完成时限\n任务来源\n1\n建设快速路。\n市住建局\n2024年12月底前\n市政府工作报告\n2\n改造老旧小区。\n市住建局\n各区政府\n市政府工作报告\n3\n新建学校。\n市教育局\n市政府工作报告\n",
			[]string{
				"1 李四 | 市住建局 /  | 2024年12月底前 | 建设快速路。",
				"2 李四 | 市住建局 / 各区政府 |  | 改造老旧小区。",
				"3 李四 | 市教育局 /  |  | 新建学校。"}},
		{"CellPerLinePlainGroupRowAfterFullRow",
			"序号\n工作任务\n牵头单位\n责任单位\n1\n建设产业园。\n市发改委\n市财政局\n二、民生保障类\n2\n新建学校。\n市教育局\n市财政局\n养老服务类\n3\n建设养老院。\n市民政局\n市财政局\n",
			[]string{
				"1 | 市发改委 / 市财政局 |  | 建设产业园。",
				"二2 | 市教育局 / 市财政局 |  | 新建学校。",
				"3 | 市民政局 / 市财政局 |  | 建设养老院。"}},
		{"BlankSeparatedLongGroupRowWithLeaderLabel",
			"序号\n\n目  标  任  务\n\n牵头单位\n\n责任单位\n\n一、主要经济社会发展指标、发改、财政、行政审批、生态环境、营商环境等工作目标(牵头领导:成坤、柯相国)\n\n1\n\n地区生产总值增长15%。\n\n区发改局\n\n区统计局\n",
			[]string{"一1 成坤、柯相国 | 区发改局 / 区统计局 |  | 地区生产总值增长15%。"}},
		{"CellPerLinePaddedHeaderNumbersWithStops",
			"序　号\n工作任务\n牵头单位\n责任单位\n1.\n建设快速路。\n市住建局\n市财政局\n2.\n新建学校。\n市教育局\n市财政局\n",
			[]string{
				"1 | 市住建局 / 市财政局 |  | 建设快速路。",
				"2 | 市教育局 / 市财政局 |  | 新建学校。"}},
		{"RowsNumberedInTextThenProse",
			"重点工作\n主要任务\n工作措施\n责任单位\n完成时限\n一、扩大有效投资\n(一)加快项目建设\n1.开工建设重点项目50个。\n市发改委\n2024年6月底前\n2.推进东环路建设。\n市住建局\n请各单位按照分工抓好落实，每季度末报送进展情况。\n",
			[]string{
				"一(一)1 |  / 市发改委 | 2024年6月底前 | 开工建设重点项目50个。",
				"一(一)2 |  / 市住建局 |  | 推进东环路建设。"}},
		{"SourceColumnNeverText",
			"| 序号 | 任务来源 | 工作任务 | 责任单位 |\n| 1 | 市政府工作报告 | 建设快速路。 | 市住建局 |\n",
			[]string{"1 |  / 市住建局 |  | 建设快速路。"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := parseText(t, tt.name+".txt", tt.text)
			var got []string
			for _, task := range n.Tasks {
				got = append(got, groupRow(task))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("tasks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestLeaderGroupsFixture reads a whole made-up notice in the shape the
// issue describes: a task table flattened one cell a line under leader
// headings, its header printed again under each, with a 任务来源 column.
func TestLeaderGroupsFixture(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "tables", "leader-groups-flattened.txt"))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := parseText(t, "leader-groups-flattened.txt", string(b))
	want := []string{
		"一1 李四 | 市住房城乡建设局 / 市发展改革委、市财政局、市自然资源和规划局、各县（市、区）人民政府 | 2024年12月底前 | 加快建设城市快速路网，年内建成东环快速路二期，开工建设西外环北延段。",
		"一2 李四 | 市住房城乡建设局 / 各县（市、区）人民政府 | 2024年11月底前 | 推进城镇老旧小区改造，开工改造老旧小区120个，加装电梯200部。",
		"一3 李四 | 市城市管理局 / 市住房城乡建设局、市交通运输局 | 全年 | 实施城市更新行动，完成中心城区12条背街小巷整治。",
		"二1 王五 | 市教育局 / 市发展改革委、市自然资源和规划局、市财政局 | 2024年9月底前 | 深化义务教育集团化办学，新建、改扩建中小学校8所，新增学位6000个。",
		"二2 王五 | 市卫生健康委 / 市医保局、市财政局、各县（市、区）人民政府 | 2024年10月底前 | 完善基层医疗卫生服务体系，推进紧密型县域医共体建设全覆盖。",
	}
	var got []string
	for _, task := range n.Tasks {
		got = append(got, groupRow(task))
		for _, u := range task.Units() {
			if strings.Contains(u, "李四") || strings.Contains(u, "王五") || strings.Contains(u, "市长") {
				t.Errorf("%s: a person as a unit: %s", task.Ref, u)
			}
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("tasks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n.Title != "某市人民政府办公室关于印发2024年市政府重点工作任务分解表的通知" {
		t.Errorf("title %q", n.Title)
	}
}

// TestUnreadTables: a table the parser could not read as tasks is never
// silent — a header with no column of units, a row that names units
// but has no task text — each is listed for a person to check.
func TestUnreadTables(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"HeaderWithoutUnitColumn",
			"| 序号 | 指标 | 目标值 |\n| 1 | 地区生产总值增长 | 6% |\n",
			"1 表格的表头没有可识别的任务列和单位列，表格没有读成任务"},
		{"CellPerLineHeaderWithoutUnitColumn",
			"序号\n指标\n目标值\n1\n地区生产总值增长\n6%\n",
			"1 表格的表头没有可识别的任务列和单位列，表格没有读成任务"},
		{"RosterTableIsNoTaskTable",
			"| 序号 | 姓名 | 职务 |\n| 1 | 张三 | 市长 |\n",
			""},
		{"RowWithUnitsButNoText",
			"| 序号 | 工作任务 | 牵头单位 |\n| 1 | 建设步行街 | 市商务局 |\n| 2 |  | 市文旅局 |\n",
			"3 表格行写了单位，但任务内容一格是空的，没有读成任务"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := parseText(t, tt.name+".txt", tt.text)
			var got []string
			for _, u := range n.Unread {
				got = append(got, fmt.Sprintf("%d %s", u.Line, u.Reason))
			}
			if strings.Join(got, "\n") != tt.want {
				t.Errorf("unread:\n%s\nwant:\n%s", strings.Join(got, "\n"), tt.want)
			}
		})
	}
}
