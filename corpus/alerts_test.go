package corpus

import (
	"fmt"
	"strings"
	"testing"
)

// TestNeverSilent: what the parser could not read is named in the report,
// line by line, and a notice with nothing in it is an alert, not a success.
func TestNeverSilent(t *testing.T) {
	tests := []struct {
		name, text string
		alert      string // a substring of one alert; "" for none
	}{
		{"ReadMarkerNoAlert",
			"一、工作任务\n1．建设步行街。（市商务局牵头，市财政局配合）",
			""},
		{"UnreadableMarker",
			"一、工作任务\n1．建设步行街。（市商务局牵头，市财政局配合）\n2．建设夜市。（由各区按要求负责）",
			"第3行：括注写了单位，但没有规则能读出 — （由各区按要求负责）"},
		{"UnitLineOutsideTask",
			"关于印发方案的通知\n牵头单位：市商务局\n一、工作任务\n1．建设步行街。（市商务局牵头，市财政局配合）",
			"第2行：单位行不在任何编号任务之内"},
		{"MarkerInUnnumberedParagraph",
			"关于印发方案的通知\n加快建设步行街。（市商务局牵头，市财政局配合）",
			"括注（2个单位）所在段落不是编号任务"},
		{"ProseThatIsNotAnAssignmentNoAlert",
			"一、工作任务\n1．加大支持。由此产生的贴息资金由地方财政承担。（财政部负责）\n2．落实政策。由各地按要求牵头，认真落实。",
			""},
		{"RolesWithoutPeopleFoundNoGroup",
			"关于做好节日值班工作的通知\n成立值班小组，组长：市长；副组长：分管副市长；成员：各部门负责人。",
			"没有找到任务，也没有领导小组"},
		{"NothingFound",
			"关于做好节日值班工作的通知\n各单位要做好值班安排。",
			"没有找到任务，也没有领导小组"},
		{"ExplanatoryBracketNoAlert",
			"一、工作任务\n1．实施“装、树、联”（垃圾焚烧企业依法依规安装监测设备、与生态环境部门联网），强化信息公开。（生态环境部指导）",
			""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, fr := parseText(t, tt.name+".txt", tt.text)
			all := strings.Join(fr.Alerts, "\n")
			if tt.alert == "" && all != "" {
				t.Errorf("unexpected alerts:\n%s", all)
			}
			if tt.alert != "" && !strings.Contains(all, tt.alert) {
				t.Errorf("alerts:\n%s\nwant one containing %q", all, tt.alert)
			}
		})
	}
}

// TestItemsNamingUnitsWithoutTasksReported: items in a convention no rule
// reads (抓好落实, 抓总) name units but give no task units; each is
// reported with its line, and the notice gets a warning because more than
// a third of the items beside its tasks have no units.
func TestItemsNamingUnitsWithoutTasksReported(t *testing.T) {
	text := "关于印发重点工作分工的通知\n一、重点任务\n" +
		"1.推进外贸稳规模。（牵头单位：市商务局；责任单位：市财政局）\n" +
		"2.推进消费升级。市商务局、市发改委抓好落实。\n" +
		"3.扩大有效投资。市发改委、市财政局抓总，各区负责。\n" +
		"4.优化营商环境。市政务服务局、市市场监管局抓好落实。\n" +
		"5.稳定就业。（牵头单位：市人社局）\n" +
		"6.发展数字经济。市经信局、市大数据局抓好落实。\n"
	n, fr := parseText(t, "convention.txt", text)
	var lines []int
	warned := false
	for _, u := range n.Unread {
		if strings.Contains(u.Reason, "没有读出任务的牵头或责任单位") {
			lines = append(lines, u.Line)
		}
		warned = warned || strings.Contains(u.Reason, "超过三分之一")
	}
	if fmt.Sprint(lines) != "[4 5 6 8]" {
		t.Errorf("items reported on lines %v, want [4 5 6 8]; unread %+v", lines, n.Unread)
	}
	if !warned {
		t.Errorf("no warning for a notice with 4 of 6 items without units: %+v", n.Unread)
	}
	found := false
	for _, a := range fr.Alerts {
		found = found || strings.Contains(a, "超过三分之一")
	}
	if !found {
		t.Errorf("the warning is not among the file's alerts: %q", fr.Alerts)
	}
}

// TestTableWithoutHeaderReported: a block of table rows (as a drawn PDF
// table arrives) whose header names no task or unit column is reported.
func TestTableWithoutHeaderReported(t *testing.T) {
	n, _ := parseText(t, "grid.txt", "关于印发重点工作分工的通知\n一、重点任务\n| 类别 | 内容 | 说明 |\n| 外贸 | 推进外贸稳规模 | 市商务局 |\n| 消费 | 扩大消费 | 市商务局 |\n")
	for _, u := range n.Unread {
		if u.Line == 3 && strings.Contains(u.Reason, "表头没有可识别") {
			return
		}
	}
	t.Errorf("a table with no recognised header is not reported: %+v", n.Unread)
}
