package corpus

import "testing"

// TestProseRoles: assignments a sentence's grammar makes certain, and
// sentences that only look like them.
func TestProseRoles(t *testing.T) {
	tests := []struct {
		name, text string
		lead, resp string
		task       bool
	}{
		{"WithOthersStudy",
			"一、政策措施分工\n（一）关于“扩大农村电商覆盖面”的问题，由商务部会同农业农村部、邮政局等部门研究提出落实意见。",
			"商务部", "农业农村部、邮政局", true},
		{"WithOthersTraditional",
			"一、政策措施分工\n（一）關於“健全農村物流體系”的問題，由交通運輸部會同商務部、供銷總社等部門負責落實。",
			"交通運輸部", "商務部、供銷總社", true},
		{"HostOfAMotion",
			"二、明确责任\n根据分工，议案由市交通运输局负责主办，并于10月底前答复代表。",
			"市交通运输局", "", true},
		{"RequestWithOthers",
			"一、政策衔接\n（一）明确成果转化收益办法。请教育部会同有关部门按照有关规定，制定出台具体操作办法。",
			"教育部", "有关部门", true},
		{"RequestOfSeveral",
			"一、政策衔接\n（一）健全内部管理制度。请科技部、自然资源部等部门在2020年6月底前完成。",
			"", "科技部、自然资源部", true},
		{"RequestThenVerb",
			"一、政策衔接\n（一）简化评估程序。请审计署落实有关规定，缩短评估周期。",
			"", "审计署", true},
		{"ApplyIsNoRequest",
			"一、工作任务\n（一）简化程序。企业申请财政部专项资金的，按规定办理。",
			"", "", false},
		{"SubjectIsNoUnit",
			"一、工作任务\n（一）完善机制。由此产生的费用由项目单位会同施工方研究解决。",
			"", "", false},
		{"PersonHostsNothing",
			"一、工作任务\n（一）召开会议。会议由副市长主办，各部门参加。",
			"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := parseText(t, tt.name+".txt", tt.text)
			if !tt.task {
				if len(n.Tasks) != 0 {
					t.Errorf("tasks %+v, want none", n.Tasks)
				}
				return
			}
			if len(n.Tasks) != 1 {
				t.Fatalf("%d tasks", len(n.Tasks))
			}
			task := n.Tasks[0]
			if units(task.LeadUnits) != tt.lead || units(task.ResponsibleUnits) != tt.resp {
				t.Errorf("lead %q resp %q, want %q / %q", units(task.LeadUnits), units(task.ResponsibleUnits), tt.lead, tt.resp)
			}
		})
	}
}
