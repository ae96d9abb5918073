package corpus

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

// TestTables has one row per table shape and column convention. Each row
// of the want list is "ref lead / resp" with units joined by 、.
func TestTables(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"PipeRowsWithGroups",
			"关于推广改革举措的通知\n\n| 序号 | 改革举措 | 主要内容 | 指导部门 | 推广范围 |\n| 一、知识产权保护方面（共2项） |\n| 1 | 三合一审判 | 知识产权案件三合一审判。 | 最高人民法院、国家知识产权局 | 全国 |\n| 2 | 跨市审理 | 专利案件跨市审理。 | 最高人民法院 | 全国 |\n| 二、科技金融方面（共1项） |\n| 3 | 贷款风险补偿 | 建立风险补偿机制。 | 中国银保监会 | 全国 |\n",
			[]string{"一1 / 最高人民法院、国家知识产权局", "一2 / 最高人民法院", "二3 / 中国银保监会"}},
		{"PipeLeadAndRespColumns",
			"| 序号 | 重点工作 | 牵头单位 | 配合单位 | 完成时限 |\n| 1 | 建设步行街 | 市商务局 | 市财政局、市税务局 | 2021年6月底前 |\n| 2 | 建设夜市 | 市文旅局 |  | 全年 |\n",
			[]string{"1 市商务局 / 市财政局、市税务局", "2 市文旅局 / "}},
		{"CellPerLinePiped",
			"2025年重点工作及责任清单\n序号 |\n重点工作 |\n责任领导 |\n责任单位 |\n完成时限 |\n1 |\n服务项目落地。 |\n叶林 |\n招商工作部、安商工作部 |\n全年 |\n2 |\n推进空间再造。 |\n马振明 |\n改革办 |\n全年 |\n",
			[]string{"1 / 招商工作部、安商工作部", "2 / 改革办"}},
		{"CellPerLineBlankSeparatedEmptyCell",
			"二、李丹牵头重点工作\n\n序号\n\n重点工作\n\n区本级\n\n任务数\n\n责任单位\n\n1\n\n地区生产总值增长6.5%。\n\n\n区发改局\n\n2\n\n固定资产投资增长10.0%左右。\n\n5%\n\n区政府办公室*、区财政局\n",
			[]string{"二1 / 区发改局", "二2 / 区政府办公室、区财政局"}},
		{"AnnexTables",
			"附件1\n\n预期目标分解表\n\n序号\n\n预期目标\n\n责任单位\n\n1\n\n地区生产总值增长5.5%左右\n\n区发展改革委\n\n附件2\n\n重点工作任务分解表\n\n序号\n\n工作任务\n\n牵头单位\n\n配合单位\n\n1\n\n建设科学城\n\n区科技局\n\n区财政局\n",
			[]string{"附件1-1 / 区发展改革委", "附件2-1 区科技局 / 区财政局"}},
		{"TwoRowHeader",
			"| 序号 | 工作任务 | 责任单位 | 完成时限 |\n| 牵头单位 | 配合单位 |\n| 1 | 建设步行街 | 市商务局 | 市财政局 | 2021年6月底前 |\n",
			[]string{"1 市商务局 / 市财政局"}},
		{"CategoryColumnSpanningRows",
			"| 类别 | 序号 | 工作任务 | 牵头单位 |\n| 稳增长 | 1 | 建设步行街 | 市商务局 |\n| 2 | 建设夜市 | 市文旅局 |\n",
			[]string{"1 市商务局 / ", "2 市文旅局 / "}},
		{"TabSeparatedRows",
			"某市2023年民生实事项目责任分解表\n序号\t项目名称\t建设内容\t牵头单位\t责任单位\t完成时限\n1\t老旧小区改造\t改造老旧小区50个\t市住建局\t各区政府\t2023年12月底\n2\t新建学校\t新建中小学3所\t市教育局\t市发改委、市财政局\t2023年9月\n",
			[]string{"1 市住建局 / 各区政府", "2 市教育局 / 市发改委、市财政局"}},
		{"MarkdownTable",
			"| 序号 | 重点工作 | 牵头单位 | 责任单位 |\n|---|:---:|---|---|\n| 1 | 建设步行街 | 市商务局 | 市财政局 |\n",
			[]string{"1 市商务局 / 市财政局"}},
		{"CombinedUnitsColumnWithLeadMarked",
			"| 序号 | 工作任务 | 牵头单位及责任单位 | 完成时限 |\n| 1 | 建设步行街 | 市商务局（牵头）、市财政局、各区政府 | 2024年6月底 |\n| 2 | 建设夜市 | 市文旅局 | 全年 |\n",
			[]string{"1 市商务局 / 市财政局、各区政府", "2 / 市文旅局"}},
		{"CellPerLineRowsNumberedInTextNoSeqColumn",
			"重点工作\n主要\n任务\n工作措施\n责任单位\n备注\n一、加大财政金融支持力度\n(一)加强对企业财税支持\n1.对重点企业给予贷款贴息。\n市财政局等,各县、市、区政府\n2.对重点企业给予设备补贴。\n市经信局、市财政局等,各县、市、区政府,某市高新区管委会\n2020年12月\n(二)加大金融支持\n1.增加信贷投放。\n人行某市中心支行\n",
			[]string{"一(一)1 / 市财政局、各县、市、区政府", "一(一)2 / 市经信局、市财政局、各县、市、区政府、某市高新区管委会", "一(二)1 / 人行某市中心支行"}},
		{"CellPerLineRowTextLostUnderGroup",
			"重点工作\n主要任务\n工作措施\n责任单位\n一、加大财政金融支持力度\n(一)加强对企业财税支持\n市税务局等,各县、市、区政府\n2.对重点企业给予设备补贴。\n市经信局\n",
			[]string{"一(一)1 / 市税务局、各县、市、区政府", "一(一)2 / 市经信局"}},
		{"CellPerLineRowsNumberedInTextBlankSeparated",
			"重点工作\n\n主要任务\n\n工作措施\n\n责任单位\n\n一、加大财政金融支持力度\n\n(一)加强对企业财税支持\n\n1.对重点企业给予贷款贴息。\n\n市财政局\n\n2.对重点企业给予设备补贴。\n\n市经信局、市财政局\n",
			[]string{"一(一)1 / 市财政局", "一(一)2 / 市经信局、市财政局"}},
		{"CellPerLineRowsNumberedInTextPaddedHeader",
			"重点工作\n主要任务\n工作措施\n责 任 单 位\n一、加大财政金融支持力度\n(一)加强对企业财税支持\n1.对重点企业给予贷款贴息。\n市财政局\n",
			[]string{"一(一)1 / 市财政局"}},
		{"CellPerLineRowsNumberedInTextPiped",
			"重点工作 |\n主要任务 |\n工作措施 |\n责任单位 |\n一、加大财政金融支持力度 |\n(一)加强对企业财税支持 |\n1.对重点企业给予贷款贴息。 |\n市财政局 |\n",
			[]string{"一(一)1 / 市财政局"}},
		{"MarkerInsideCell",
			"| 序号 | 工作任务 | 责任单位 |\n| 1 | 建设步行街 | 市商务局牵头，市财政局配合 |\n",
			[]string{"1 市商务局 / 市财政局"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := parseText(t, tt.name+".txt", tt.text)
			var got []string
			for _, task := range n.Tasks {
				got = append(got, strings.TrimSpace(task.Ref+" "+units(task.LeadUnits))+" / "+units(task.ResponsibleUnits))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("tasks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestTableLeaderAndDeadline: a 责任领导 column is the task's leader (a
// person, not a unit) and a 完成时限 column its deadline.
func TestTableLeaderAndDeadline(t *testing.T) {
	n, _ := parseText(t, "t.txt", "| 序号 | 重点工作 | 责任领导 | 责任单位 | 完成时限 |\n| 1 | 服务项目落地 | 叶林 | 招商工作部 | 2025年6月底前 |\n")
	if len(n.Tasks) != 1 {
		t.Fatalf("%d tasks", len(n.Tasks))
	}
	task := n.Tasks[0]
	if task.Leader != "叶林" || len(task.Deadlines) != 1 || task.Deadlines[0].Phrase != "2025年6月底前" || units(task.Units()) != "招商工作部" {
		t.Errorf("leader %q deadlines %+v units %v", task.Leader, task.Deadlines, task.Units())
	}
}

// TestHTMLTable: an HTML table (as MS Word exports it: spans in cells, a
// group row spanning the table) is read row by row.
func TestHTMLTable(t *testing.T) {
	page := `<html><head><meta charset="utf-8"><title>关于推广改革举措的通知_中国政府网</title></head><body>
<div class="nav">首页 &gt; 政策</div>
<div id="UCAP-CONTENT"><p>各省、自治区、直辖市人民政府：</p><p>现将改革举措推广清单印发给你们。</p>
<table><tbody>
<tr><td><p><span>序号</span></p></td><td>改革举措</td><td>主要内容</td><td>指导部门</td></tr>
<tr><td colspan="4"><p><b>一、知识产权保护方面（共2项）</b></p></td></tr>
<tr><td>1</td><td><span>知识产权</span><span>“三合一”审判</span></td><td><p>整合审判资源。</p><p>统一审判标准。</p></td><td>最高人民法院、<br>国家知识产权局</td></tr>
<tr><td>2</td><td>跨市审理</td><td>专利案件跨市审理。</td><td>最高人民法院</td></tr>
</tbody></table></div></body></html>`
	n, _ := parseText(t, "page.html", page)
	var got []string
	for _, task := range n.Tasks {
		got = append(got, task.Ref+" "+strings.Split(task.Text, "\n")[0]+" / "+units(task.ResponsibleUnits))
	}
	want := "一1 知识产权“三合一”审判 / 最高人民法院、国家知识产权局\n一2 跨市审理 / 最高人民法院"
	if strings.Join(got, "\n") != want || n.Title != "关于推广改革举措的通知" {
		t.Errorf("title %q tasks:\n%s\nwant:\n%s", n.Title, strings.Join(got, "\n"), want)
	}
}

// TestDocxTable: a Word table — a header row, a group row spanning the
// table, a cell of two paragraphs, an empty cell — is read row by row.
func TestDocxTable(t *testing.T) {
	p := func(s string) string { return `<w:p><w:r><w:t>` + s + `</w:t></w:r></w:p>` }
	tc := func(ps ...string) string {
		var b strings.Builder
		for _, s := range ps {
			b.WriteString(p(s))
		}
		return `<w:tc>` + b.String() + `</w:tc>`
	}
	tr := func(cells ...string) string { return `<w:tr>` + strings.Join(cells, "") + `</w:tr>` }
	body := p("关于印发2024年重点工作任务分工的通知") + p("一、重点工作") +
		`<w:tbl>` +
		tr(tc("序号"), tc("重点工作"), tc("牵头单位"), tc("配合单位"), tc("完成时限")) +
		tr(`<w:tc><w:tcPr><w:gridSpan w:val="5"/></w:tcPr>`+p("一、扩大有效投资")+`</w:tc>`) +
		tr(tc("1"), tc("建设步行街。", "打造商圈。"), tc("市商务局"), tc("市财政局、市税务局"), tc("2024年6月底前")) +
		tr(tc("2"), tc("建设夜市。"), tc("市文旅局"), tc(), tc("全年")) +
		`</w:tbl>` + p("二、工作要求")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`))
	zw.Close()
	n, _ := parseText(t, "table.docx", buf.String())
	var got []string
	for _, task := range n.Tasks {
		d := ""
		if len(task.Deadlines) > 0 {
			d = task.Deadlines[0].Date
		}
		got = append(got, task.Ref+" "+task.Text+" "+units(task.LeadUnits)+" / "+units(task.ResponsibleUnits)+" "+d)
	}
	want := "一1 建设步行街。 打造商圈。 市商务局 / 市财政局、市税务局 2024-06-30\n一2 建设夜市。 市文旅局 /  2024-12-31"
	if strings.Join(got, "\n") != want {
		t.Errorf("tasks:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}

// TestLeaderFromSectionHeading: tasks under a heading that names their
// leader (二、李丹常委、常务副区长牵头重点工作) carry that person as Leader.
func TestLeaderFromSectionHeading(t *testing.T) {
	n, _ := parseText(t, "l.txt", "二、李丹常委、常务副区长牵头重点工作\n\n| 序号 | 重点工作 | 责任单位 |\n| 1 | 地区生产总值增长6.5%。 | 区发改局 |\n\n三、工作要求\n1．加快建设。（责任单位：区财政局）")
	if len(n.Tasks) != 2 || n.Tasks[0].Leader != "李丹" || n.Tasks[1].Leader != "" {
		t.Errorf("tasks %+v", n.Tasks)
	}
}
