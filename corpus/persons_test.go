package corpus

import (
	"strings"
	"testing"
)

// TestPersonsOnly: an item that names people where others name units is a
// task with a leader, and none of its names becomes a unit.
func TestPersonsOnly(t *testing.T) {
	tests := []struct {
		name, text      string
		ref, leader     string
		persons         string
		wantTask        bool
		wantUnreadEmpty bool
	}{
		{"LeadAndSpecificPersons",
			"体育局实施方案\n三、工作任务\n（一）推进全民健身中心建设。\n完成体育公园一期工程。（牵头责任人：李明，具体责任人：赵刚、孙丽）",
			"三(一)", "李明", "赵刚、孙丽", true, true},
		{"HalfWidthOnePerson",
			"体育局实施方案\n三、工作任务\n(二)加强非遗保护。\n1.建设非遗展示馆。(牵头责任人:周强)",
			"三(二)1", "周强", "", true, true},
		{"SpacedName",
			"体育局实施方案\n一、工作任务\n1.建设非遗展示馆。(责任领导:欧阳 明;具体负责人:钱 进)",
			"一1", "欧阳明", "钱进", true, true},
		{"UnitInValueIsNoPerson",
			"体育局实施方案\n一、工作任务\n1.建设非遗展示馆。(责任人:办公室)",
			"", "", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := parseText(t, tt.name+".txt", tt.text)
			if !tt.wantTask {
				if len(n.Tasks) != 0 {
					t.Errorf("tasks %+v, want none", n.Tasks)
				}
				return
			}
			if len(n.Tasks) != 1 {
				t.Fatalf("%d tasks, want 1: %+v", len(n.Tasks), n.Tasks)
			}
			task := n.Tasks[0]
			if task.Ref != tt.ref || task.Leader != tt.leader || strings.Join(task.Persons, "、") != tt.persons {
				t.Errorf("ref %q leader %q persons %v, want %q %q %q", task.Ref, task.Leader, task.Persons, tt.ref, tt.leader, tt.persons)
			}
			if len(task.LeadUnits)+len(task.ResponsibleUnits) != 0 {
				t.Errorf("units %v / %v, want none", task.LeadUnits, task.ResponsibleUnits)
			}
			if tt.wantUnreadEmpty && len(n.Unread) != 0 {
				t.Errorf("unread %+v", n.Unread)
			}
		})
	}
}

// TestRosterUnitInBrackets: a roster whose lines are 姓名（单位）, names
// padded with a space, keeps the unit without its brackets.
func TestRosterUnitInBrackets(t *testing.T) {
	n, _ := parseText(t, "r.txt", "某县人民政府办公室关于成立某县营商环境建设工作领导小组的通知\n组    长：王 林\n副组长：赵海涛（县发改局）\n成    员：钱 进（县财政局）\n孙立新（县市场监管局)\n领导小组下设办公室，办公室设在县发改局。")
	if len(n.Groups) != 1 {
		t.Fatalf("%d groups", len(n.Groups))
	}
	var got []string
	for _, m := range n.Groups[0].Members {
		got = append(got, m.Role+":"+m.Name+":"+m.Title)
	}
	want := "组长:王林: 副组长:赵海涛:县发改局 成员:钱进:县财政局 成员:孙立新:县市场监管局"
	if strings.Join(got, " ") != want {
		t.Errorf("members %q, want %q", strings.Join(got, " "), want)
	}
}

// TestProseRoster: a leading group whose members a sentence names.
func TestProseRoster(t *testing.T) {
	tests := []struct{ name, text, members, office string }{
		{"PostBeforeAndAfterNames",
			"为做好河道整治工作，成立河道整治工作领导小组，由区水务局党组书记、局长陈志远任组长，区水务局党组副书记刘海任常务副组长，周立、吴芳副局长任副组长，成员由各科室负责人组成。领导小组下设办公室，挂靠区水务局河湖科，负责日常工作。",
			"组长:陈志远 常务副组长:刘海 副组长:周立 副组长:吴芳", "区水务局河湖科"},
		{"PostOnlyNamesNoOne",
			"为做好河道整治工作，成立河道整治工作领导小组，由分管副区长任组长，区水务局局长任副组长。",
			"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := parseText(t, tt.name+".txt", tt.text)
			var got []string
			office := ""
			for _, g := range n.Groups {
				office = g.Office
				for _, m := range g.Members {
					got = append(got, m.Role+":"+m.Name)
				}
			}
			if strings.Join(got, " ") != tt.members || (tt.members != "" && office != tt.office) {
				t.Errorf("members %q office %q, want %q %q", strings.Join(got, " "), office, tt.members, tt.office)
			}
		})
	}
}
