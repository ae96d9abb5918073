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
