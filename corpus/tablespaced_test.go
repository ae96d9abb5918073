package corpus

import (
	"strings"
	"testing"
)

// TestSpacedTable: a table flattened to text with one space between its
// cells, one row a line, read row by row.
func TestSpacedTable(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // ref: lead / resp
	}{
		{"OneRowALine",
			"某县2024年重点工作任务分解表\n序号 工作任务 牵头单位 配合单位\n一、稳增长\n1 粮食产量稳定在10亿斤以上。 县农业农村局 县发改委、县财政局,各乡镇人民政府。\n2 外贸进出口增长5%。 县商务局 县税务局。",
			[]string{"一1: 县农业农村局 / 县发改委、县财政局、各乡镇人民政府", "一2: 县商务局 / 县税务局"}},
		{"TwoLeadUnitsOverTwoLines",
			"序号 重点任务 主要责任单位 协同配合单位\n一、民生保障\n1 新增城镇就业8000人。 县人社局\n县就业服务中心\n县财政局,各乡镇人民政府。\n2 建成养老服务中心3所。 县民政局 县卫健委。",
			[]string{"一1: 县人社局、县就业服务中心 / 县财政局、各乡镇人民政府", "一2: 县民政局 / 县卫健委"}},
		{"RowCutOffMidName",
			"序号 重点任务 主要责任单位 协同配合单位\n一、民生保障\n1 新增城镇就业8000人。 县人社局 县财政局。\n2 建成养老服务中心3所。 县民政局\n县卫健委\n县财政局,各乡镇人民政府、经开",
			[]string{"一1: 县人社局 / 县财政局", "一2:  / "}},
		{"GroupsNumberTheirRows",
			"序号 工作任务 牵头单位 责任单位\n一、稳增长\n1 投资增长8%。 县发改委 县财政局\n二、惠民生\n1 新建学校2所。 县教育局 县自然资源局",
			[]string{"一1: 县发改委 / 县财政局", "二1: 县教育局 / 县自然资源局"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := parseText(t, tt.name+".txt", tt.text)
			var got []string
			for _, task := range n.Tasks {
				got = append(got, task.Ref+": "+units(task.LeadUnits)+" / "+units(task.ResponsibleUnits))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("tasks\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestSpacedTableIsNoProse: a sentence that names the columns is not a
// header, and lines of prose after a table end it.
func TestSpacedTableIsNoProse(t *testing.T) {
	n, _ := parseText(t, "p.txt", "序号 工作任务 牵头单位 配合单位\n1 投资增长8%。 县发改委 县财政局\n各单位要按照分工抓好落实，每季度末报送进展情况。")
	if len(n.Tasks) != 1 || strings.Contains(n.Tasks[0].Text, "各单位要") {
		t.Errorf("tasks %+v", n.Tasks)
	}
}

// TestUnnumberedCellTable: a table one cell a line whose 序号 column is
// empty in every row is read row by row, the rows counted in order.
func TestUnnumberedCellTable(t *testing.T) {
	text := "附件\n\n2021年度区政府重点工作任务分解表\n\n序号\n\n工作任务\n\n牵头单位\n\n责任单位\n\n" +
		"推进老旧小区改造,完成改造项目30个,同步完善配套设施。\n\n区住建局\n\n各街道办事处、区城管局\n\n" +
		"加快建设智慧停车系统,新增公共停车泊位2000个。\n\n区交通局\n\n区公安分局、区城管局\n\n" +
		"联系人:张三,电话:12345678。"
	n, _ := parseText(t, "u.txt", text)
	var got []string
	for _, task := range n.Tasks {
		got = append(got, task.Ref+": "+units(task.LeadUnits)+" / "+units(task.ResponsibleUnits))
	}
	want := "附件-1: 区住建局 / 各街道办事处、区城管局\n附件-2: 区交通局 / 区公安分局、区城管局"
	if strings.Join(got, "\n") != want {
		t.Errorf("tasks\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
}
