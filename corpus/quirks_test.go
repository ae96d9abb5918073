package corpus

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assignbot/assignbot/corpus/extract"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// parseText runs the whole pipeline on one small notice given as text.
func parseText(tb testing.TB, name, text string) (*Notice, FileReport) {
	tb.Helper()
	c := &Corpus{Directory: NewDirectory()}
	n, fr := c.ParseFile(name, []byte(text))
	if n == nil {
		tb.Fatalf("%s not loaded: %s", name, fr.Reason)
	}
	c.Notices = []*Notice{n}
	c.finish(0)
	return n, fr
}

func units(us []string) string { return strings.Join(us, "、") }

// TestUnitMarkers has one row per unit-marker convention seen in notices.
func TestUnitMarkers(t *testing.T) {
	tests := []struct {
		name, text string
		lead, resp string
	}{
		{"FullWidthMarkers",
			"一、工作任务\n1．建设步行街。（牵头单位：市商务局；责任单位：市发改委、市财政局）",
			"市商务局", "市发改委、市财政局"},
		{"HalfWidthMarkers",
			"一、工作任务\n1.建设步行街。(牵头单位:市商务局;责任单位:市经信局,各区人民政府)",
			"市商务局", "市经信局、各区人民政府"},
		{"ResponsibleOnly",
			"一、工作任务\n1.建设步行街。(责任单位:市经信局)",
			"", "市经信局"},
		{"SquareBracketsComma",
			"一、工作任务\n（一）建设步行街。〔牵头单位：市商务局，责任单位：市财政局、市税务局〕",
			"市商务局", "市财政局、市税务局"},
		{"CommaRule",
			"一、工作任务\n（一）建设步行街。〔责任单位：市商务局、市文旅局，市财政局、市税务局。逗号前为牵头单位（下同）〕",
			"市商务局、市文旅局", "市财政局、市税务局"},
		{"CommaRuleNoComma",
			"逗号前为牵头单位（下同）\n一、工作任务\n（一）建设步行街。（责任单位：市商务局、市财政局）",
			"市商务局、市财政局", ""},
		{"FirstUnitRule",
			"列第一位的责任单位为牵头单位。\n一、工作任务\n（一）建设步行街。（责任单位：市商务局、市财政局、市税务局）",
			"市商务局", "市财政局、市税务局"},
		{"XLeadsYByDuty",
			"一、工作任务\n1．建设步行街。（市商务局牵头，市财政局、市税务局按职责分工负责）",
			"市商务局", "市财政局、市税务局"},
		{"XLeadsYCooperates",
			"一、工作任务\n1．建设步行街。（市商务局牵头，市财政局配合）",
			"市商务局", "市财政局"},
		{"UnitsOnOwnLines",
			"一、工作任务\n1．建设步行街。\n牵头单位：市商务局\n责任单位：市财政局、市税务局\n2．建设夜市。\n牵头单位：市文旅局",
			"市商务局", "市财政局、市税务局"},
		{"ProseLead",
			"市商务局为该议案办理工作的牵头责任单位。\n一、工作任务\n1．建设步行街。\n2．建设夜市。",
			"市商务局", ""},
		{"SharedSuffix",
			"一、工作任务\n1．建设。（牵头单位：江岸区、江汉区、青山区人民政府；责任单位：青山、江夏、黄陂区人民政府）",
			"江岸区、江汉区、青山区人民政府", "青山、江夏、黄陂区人民政府"},
		{"SharedSuffixManagementCommittee",
			"一、工作任务\n1．建设。（责任单位：东湖高新区、武汉经开区、临空港开发区管委会）",
			"", "东湖高新区、武汉经开区、临空港开发区管委会"},
		{"BracketsNotSplit",
			"一、工作任务\n1．建设。（牵头单位：市商务局；责任单位：各县（区）人民政府，各区人民政府〈含开发区管委会，下同〉）",
			"市商务局", "各县（区）人民政府、各区人民政府"},
		{"ConjunctionBetweenUnits",
			"一、工作任务\n1．建设。（责任单位：市教育局和各县（区）人民政府、市经济和信息化局）",
			"", "市教育局、各县（区）人民政府、市经济和信息化局"},
		{"BracketListExpanded",
			"一、工作任务\n1．建设。（责任单位：武圈办秘书处，5个专题组牵头单位〈市科技局、市交通运输局〉）",
			"", "武圈办秘书处、市科技局、市交通运输局"},
		{"ResponsibleByDefault",
			"一、工作任务\n（一）加大稳岗支持力度。（人力资源社会保障部、财政部负责）",
			"", "人力资源社会保障部、财政部"},
		{"EtcDropped",
			"一、工作任务\n（一）完善创新体系。（工业和信息化部、发展改革委、科技部等负责）",
			"", "工业和信息化部、发展改革委、科技部"},
		{"FirstListedLeadsStatedInMarker",
			"一、工作任务\n（一）完善创新体系。（工业和信息化部、发展改革委等负责。列第一位者为牵头单位，下同）\n（二）推进协同发展。（财政部、商务部负责）",
			"工业和信息化部", "发展改革委"},
		{"FirstListedLeadsStatedOnce",
			"排在第一位的部门为牵头部门。\n一、工作任务\n（一）推进协同发展。（财政部、商务部，各省级人民政府按职责分工负责）",
			"财政部", "商务部、各省级人民政府"},
		{"AllNamedLeadsLead",
			"列第一位者为牵头单位\n一、工作任务\n（一）推进。（农业农村部、工业和信息化部牵头负责）",
			"农业农村部、工业和信息化部", ""},
		{"EtcRelatedUnits",
			"一、工作任务\n（一）推进。（人力资源社会保障部等有关部门和单位负责）",
			"", "人力资源社会保障部、有关部门和单位"},
		{"LeadsOthersTakePart",
			"一、工作任务\n（一）建立指标体系。（生态环境部牵头，国家发展改革委、国家统计局参与）",
			"生态环境部", "国家发展改革委、国家统计局"},
		{"TogetherWith",
			"一、工作任务\n（一）筛选试点城市。（生态环境部会同国家发展改革委、财政部负责）",
			"生态环境部", "国家发展改革委、财政部"},
		{"TogetherWithOthers",
			"一、工作任务\n（一）评估。（生态环境部会同有关部门负责）",
			"生态环境部", "有关部门"},
		{"ByXLeadsYCooperates",
			"一、工作任务\n1．建设。（由市商务局牵头，市财政局配合）",
			"市商务局", "市财政局"},
		{"NoPhantomUnits",
			"一、工作任务\n（一）优化机制。（生态环境部指导，试点城市政府负责落实。以下均需试点城市政府落实，不再列出）",
			"", "试点城市政府"},
		{"GroupUnitStaysOne",
			"一、工作任务\n（一）落实。（各区、县级市人民政府负责）",
			"", "各区、县级市人民政府"},
		{"CollectiveUnitsSplit",
			"一、工作任务\n1.增长6%。\n部门分工:省发展改革委牵头,各地、各部门配合。",
			"省发展改革委", "各地、各部门"},
		{"HostAndCoHost",
			"一、办理任务\n1．建设步行街。\n主办单位：市商务局\n协办单位：市财政局、市税务局",
			"市商务局", "市财政局、市税务局"},
		{"ProseTogetherWith",
			"一、实施步骤\n（一）开展评估。2021年3月底前，生态环境部会同有关部门负责组织开展评估。",
			"生态环境部", "有关部门"},
		{"ProseByXLeads",
			"一、工作任务\n1．建设步行街。由市商务局牵头，市财政局、市税务局配合，加快建设。",
			"市商务局", "市财政局、市税务局"},
		{"VerbAfterLabel",
			"一、工作任务\n1．建设步行街。（责任单位：市商务局、市财政局负责）",
			"", "市商务局、市财政局"},
		{"VerbAfterLabelFirstRule",
			"列第一位的责任单位为牵头单位。\n一、工作任务\n1．建设步行街。（责任单位：市商务局、市财政局等负责）",
			"市商务局", "市财政局"},
		{"DevelopmentZoneIsAUnit",
			"一、工作任务\n1．加快项目建设。（立山经济开发区牵头，各街道配合）",
			"立山经济开发区", "各街道"},
		{"MarkerBrokenOverTwoLines",
			"一、工作任务\n1．建设步行街。（牵头单位：市商务局；\n责任单位：市财政局）",
			"市商务局", "市财政局"},
		{"LabelsInSquareBrackets",
			"一、工作任务\n（一）稳定外贸。【牵头单位】市商务局 【责任单位】市贸促会",
			"市商务局", "市贸促会"},
		{"DateLabelInsideMarker",
			"一、工作任务\n1．加快项目建设。（牵头单位：县发展改革局；责任单位：各乡镇人民政府，完成时限：2023年12月底）",
			"县发展改革局", "各乡镇人民政府"},
		{"LeadMarkedInList",
			"一、工作任务\n1．推进历史街区保护。（责任单位：市文旅局（牵头）、市自然资源和规划局、各区人民政府）",
			"市文旅局", "市自然资源和规划局、各区人民政府"},
		{"InlineLabelAfterText",
			"一、工作任务\n1．加强交通治理。责任单位：市公安局、市交通运输局。",
			"", "市公安局、市交通运输局"},
		{"TraditionalUnits",
			"一、工作任務\n1．建設。（牽頭單位：市發展改革委；責任單位：市經濟和信息化局）",
			"市發展改革委", "市經濟和信息化局"},
		// Labels read from their cue words, not looked up whole.
		{"LeadResponsibleLabel",
			"一、工作任务\n1．推进外贸稳规模。\n牵头责任单位：市商务局。\n协同责任单位：市市场监管局、市邮政管理局。",
			"市商务局", "市市场监管局、市邮政管理局"},
		{"LeaderLineIsNoUnit",
			"一、工作任务\n1．推进外贸稳规模。\n牵头负责领导：张三。\n牵头责任单位：市商务局。\n协同责任单位：市邮政管理局。",
			"市商务局", "市邮政管理局"},
		{"MainAndCooperating",
			"一、工作任务\n1．推进外贸稳规模。（主责单位：市商务局；协同单位：市财政局）",
			"市商务局", "市财政局"},
		{"CooperatingDepartment",
			"一、工作任务\n1．推进外贸稳规模。（牵头部门：市商务局；配合部门：市财政局、市税务局）",
			"市商务局", "市财政局、市税务局"},
		{"ResponsibleSubject",
			"一、工作任务\n1．推进外贸稳规模。\n责任主体：市商务局、市财政局",
			"", "市商务局、市财政局"},
		{"PaddedLabels",
			"一、工作任务\n1．推进外贸稳规模。\n牵 头 单 位：市商务局\n配 合 单 位：市财政局",
			"市商务局", "市财政局"},
		{"SupervisorLabelIgnored",
			"一、工作任务\n1．推进外贸稳规模。（牵头单位：市商务局；督办单位：市政府督查室）",
			"市商务局", ""},
		{"AltNameInBrackets",
			"一、工作任务\n1．推进粮食安全。（牵头单位：区发改局(区粮食局)；责任单位：区财政局）",
			"区发改局(区粮食局)", "区财政局"},
		{"AltNameInSquareBrackets",
			"一、工作任务\n1．推进粮食安全。\n牵头单位：[区发改局(区粮食局)]\n责任单位：区财政局",
			"区发改局(区粮食局)", "区财政局"},
		{"ListAndGroupWithDengHe",
			"一、工作任务\n1．推进消费扶贫。（商务部、农业农村部等和各有关省级人民政府负责）",
			"", "商务部、农业农村部、各有关省级人民政府"},
		{"ListAndGroupWithYiJi",
			"一、工作任务\n1．推进消费扶贫。（市商务局、市农业农村局以及各县（市、区）负责）",
			"", "市商务局、市农业农村局、各县（市、区）"},
		{"ListAndGroupWithJiGe",
			"一、工作任务\n1．推进消费扶贫。（市商务局牵头，市农业农村局及各县（市、区）配合）",
			"市商务局", "市农业农村局、各县（市、区）"},
		{"ListAndRelevantDepartments",
			"一、工作任务\n1．推进消费扶贫。（市商务局、市农业农村局和有关部门负责）",
			"", "市商务局、市农业农村局、有关部门"},
		{"BareCueLabels",
			"一、工作任务\n1．推进外贸稳规模。（牵头：市商务局；配合：市财政局、市税务局）",
			"市商务局", "市财政局、市税务局"},
		{"ClosingSentenceOfUnits",
			"一、工作任务\n1．推进外贸稳规模，扩大出口。市商务局牵头，市财政局、市税务局配合。",
			"市商务局", "市财政局、市税务局"},
		{"UnitsApartBySpaceOnly",
			"一、工作任务\n1．推进外贸稳规模。（牵头单位：市商务局；责任单位：市发展改革委 市财政局）",
			"市商务局", "市发展改革委、市财政局"},
		{"LabelsAfterSpaces",
			"一、工作任务\n1.推进外贸稳规模 牵头单位：市商务局 责任单位：市财政局",
			"市商务局", "市财政局"},
		{"LabelsInASentence",
			"一、工作任务\n1.优化营商环境，牵头单位为市政务服务局，配合单位为市市场监管局。",
			"市政务服务局", "市市场监管局"},
		{"ModifiedVerb",
			"一、工作任务\n1.加快数字经济发展（市经信局牵头负责，市大数据局、市科技局协同配合）",
			"市经信局", "市大数据局、市科技局"},
		{"QualifiedLabel",
			"一、工作任务\n1.推进城市更新。（主要责任单位：市住建局；参与单位：市城管局）",
			"市住建局", "市城管局"},
		{"LabelsApartBySpaceInBracket",
			"一、工作任务\n1.推进外贸稳规模。（牵头单位：市商务局 配合单位：市财政局）",
			"市商务局", "市财政局"},
		{"LeaderAndUnitsOnOneLine",
			"一、工作任务\n1.加强科技创新。\n牵头领导：张三 责任单位：市科技局",
			"", "市科技局"},
		{"EtcBeforeGroupOnOwnLine",
			"一、工作任务\n1．推进外贸稳规模。\n牵头单位：市商务局。\n配合单位：市财政局、市口岸办等，各县（市、区）人民政府。",
			"市商务局", "市财政局、市口岸办、各县（市、区）人民政府"},
		{"EtcEndsLabelLine",
			"一、工作任务\n1．推进城市更新。\n牵头单位：区住建委\n责任单位：区城管局、区属各平台公司等",
			"区住建委", "区城管局、区属各平台公司"},
		{"EtcDepartmentsInBracketLabel",
			"一、工作任务\n1．推进城市更新。（牵头单位：区住建委；责任单位：区城管局、区水务局等部门，各街道办事处）",
			"区住建委", "区城管局、区水务局、各街道办事处"},
		{"BracketLabelsVariant",
			"一、工作任务\n1．推进外贸稳规模。【牵头责任单位】市商务局 【协同单位】市财政局",
			"市商务局", "市财政局"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := parseText(t, tt.name+".txt", tt.text)
			if len(n.Tasks) == 0 {
				t.Fatalf("no tasks; passages %+v", n.Passages)
			}
			task := n.Tasks[0]
			if units(task.LeadUnits) != tt.lead || units(task.ResponsibleUnits) != tt.resp {
				t.Errorf("lead %q resp %q, want %q / %q", units(task.LeadUnits), units(task.ResponsibleUnits), tt.lead, tt.resp)
			}
		})
	}
}

// TestSharedSuffixResolves: a run of names sharing a suffix is kept as
// written (江夏), and the directory learns the full name for listings.
func TestSharedSuffixResolves(t *testing.T) {
	c := &Corpus{Directory: NewDirectory()}
	c.ParseFile("s.txt", []byte("一、工作任务\n1．建设。（责任单位：青山、江夏、黄陂区人民政府，东湖高新区、临空港开发区管委会）"))
	for short, full := range map[string]string{"江夏": "江夏区人民政府", "青山": "青山区人民政府", "东湖高新区": "武汉东湖新技术开发区管委会"} {
		if got := c.Directory.Canonical(short); got != full {
			t.Errorf("%s resolves to %q, want %q", short, got, full)
		}
	}
}

func TestLearnedAlias(t *testing.T) {
	text := "一、工作任务\n1．强化武汉城市圈同城化发展办公室（以下简称武圈办）统筹协调能力。（责任单位：武圈办）"
	c := &Corpus{Directory: NewDirectory()}
	n, _ := c.ParseFile("alias.txt", []byte(text))
	dir := c.Directory
	if got := units(n.Tasks[0].ResponsibleUnits); got != "武圈办" {
		t.Errorf("responsible %q, want the name as written", got)
	}
	if got := dir.Canonical("武圈办"); got != "武汉城市圈同城化发展办公室" {
		t.Errorf("武圈办 resolves to %q, want the full name the notice defines", got)
	}
}

func TestClausesWithinTask(t *testing.T) {
	text := "一、工作任务\n1．规划同编。出台规划，（责任单位：市发改委）完善空间规划，（牵头单位：市自然资源规划局；责任单位：市城建局）加快专项规划。（责任单位：市交通运输局）"
	n, _ := parseText(t, "clauses.txt", text)
	task := n.Tasks[0]
	if len(task.Clauses) != 3 {
		t.Fatalf("%d clauses: %+v", len(task.Clauses), task.Clauses)
	}
	if task.Ref != "一1" || task.Clauses[1].N != 2 || units(task.Clauses[1].LeadUnits) != "市自然资源规划局" {
		t.Errorf("ref %s clause 2 %+v", task.Ref, task.Clauses[1])
	}
	if units(task.LeadUnits) != "市自然资源规划局" || units(task.ResponsibleUnits) != "市发改委、市城建局、市交通运输局" {
		t.Errorf("task units %v / %v", task.LeadUnits, task.ResponsibleUnits)
	}
}

func TestRefs(t *testing.T) {
	text := "一、工作任务\n（一）消费\n1．甲。（责任单位：市商务局）\n2．乙。（责任单位：市商务局）\n（二）设施\n1．丙。（责任单位：市商务局）\n（1）丁。（责任单位：市财政局）"
	n, _ := parseText(t, "refs.txt", text)
	var refs []string
	for _, task := range n.Tasks {
		refs = append(refs, task.Ref)
	}
	if got := strings.Join(refs, " "); got != "一(一)1 一(一)2 一(二)1 一(二)1(1)" {
		t.Errorf("refs %s", got)
	}
}

// TestNumbering: decimal item numbers where a notice uses them, and a
// number at the start of a line that is a quantity, not an item.
func TestNumbering(t *testing.T) {
	tests := []struct{ name, text, refs string }{
		{"DecimalItems",
			"一、工作任务\n1.1 建设步行街。（责任单位：市商务局）\n1.2 建设夜市。（责任单位：市文旅局）\n2.1 建设商圈。（责任单位：市商务局）",
			"一1.1 一1.2 一2.1"},
		{"QuantityIsNotAnItem",
			"一、工作任务\n1．加大投入。安排资金\n3.5亿元用于步行街建设。（责任单位：市财政局）\n2．建设夜市。（责任单位：市文旅局）",
			"一1 一2"},
		{"FullWidthDigits",
			"一、稳定增长\n１．加快项目建设。（牵头单位：县发展改革局）\n２．促进消费。（责任单位：县商务局）",
			"一1 一2"},
		{"ItemsNumberedAcrossChapters",
			"一、 提高效率\n1. 精简审批。(区政务服务局牵头,区发改局配合)\n2. 提高效率。(区国土分局牵头,区规划分局配合)\n二、 加大支持\n3. 支持企业。(区工信局牵头,区财政局配合)",
			"一1 一2 二3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := parseText(t, tt.name+".txt", tt.text)
			var refs []string
			for _, task := range n.Tasks {
				refs = append(refs, task.Ref)
			}
			if got := strings.Join(refs, " "); got != tt.refs {
				t.Errorf("refs %q, want %q", got, tt.refs)
			}
		})
	}
}

const smallNotice = "关于印发工作方案的通知\n一、工作任务\n1．加快特色步行街建设。（牵头单位：市商务局；责任单位：市财政局）\n2．建设夜市。（责任单位：市文化和旅游局）"

func TestGBKFile(t *testing.T) {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(smallNotice))
	if err != nil {
		t.Fatal(err)
	}
	n, fr := parseText(t, "gbk.txt", string(b))
	if fr.Encoding != extract.EncGB18030 || len(n.Tasks) != 2 || units(n.Tasks[0].LeadUnits) != "市商务局" {
		t.Errorf("encoding %s tasks %+v", fr.Encoding, n.Tasks)
	}
}

func TestBig5File(t *testing.T) {
	trad := "關於印發工作方案的通知\n一、工作任務\n1．加快特色步行街建設。（牽頭單位：市商務局；責任單位：市財政局）\n2．建設夜市。（責任單位：市文化和旅遊局）"
	b, err := traditionalchinese.Big5.NewEncoder().Bytes([]byte(trad))
	if err != nil {
		t.Fatal(err)
	}
	n, fr := parseText(t, "big5.txt", string(b))
	if fr.Encoding != extract.EncBig5 || len(n.Tasks) != 2 || units(n.Tasks[0].LeadUnits) != "市商務局" || !strings.Contains(n.Tasks[0].Text, "建設") {
		t.Errorf("encoding %s tasks %+v", fr.Encoding, n.Tasks)
	}
}

func TestUTF8BOMAndInvalidBytes(t *testing.T) {
	b := append([]byte("\xEF\xBB\xBF"), []byte(smallNotice)...)
	b = bytes.Replace(b, []byte("夜市"), []byte("夜\xff市"), 1)
	n, fr := parseText(t, "bom.txt", string(b))
	if len(n.Tasks) != 2 {
		t.Errorf("tasks %d (%s)", len(n.Tasks), fr.Encoding)
	}
}

func TestHTMLPageWithFooter(t *testing.T) {
	page := `<!DOCTYPE html><html><head><meta charset="utf-8"><title>关于印发工作方案的通知_某市人民政府</title>
<script>var x = "牵头单位：假的";</script><style>.a{}</style></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a>政府文件</a></div>
<div class="share">分享到：微信 微博</div>
<div class="TRS_Editor"><p>关于印发工作方案的通知</p><p>一、工作任务</p>
<p>1．加快特色步行街建设。（牵头单位：市商务局；责任单位：市财政局）</p>
<p>2．建设夜市。（责任单位：市文化和旅游局）</p></div>
<div class="footer">主办单位：某市人民政府办公厅 网站标识码：4201000003 鄂ICP备11011361号</div>
</body></html>`
	n, _ := parseText(t, "page.html", page)
	if len(n.Tasks) != 2 || units(n.Tasks[0].LeadUnits) != "市商务局" {
		t.Fatalf("tasks %+v", n.Tasks)
	}
	all := n.Tasks[0].Text + n.Tasks[1].Text
	for _, bad := range []string{"假的", "分享到", "网站标识码", "首页"} {
		if strings.Contains(all, bad) {
			t.Errorf("%q reached a task", bad)
		}
	}
}

func TestDocx(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	var body strings.Builder
	for _, l := range strings.Split(smallNotice, "\n") {
		body.WriteString(`<w:p><w:r><w:t>` + l + `</w:t></w:r></w:p>`)
	}
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`))
	zw.Close()
	n, fr := parseText(t, "notice.docx", buf.String())
	if fr.Format != "docx" || len(n.Tasks) != 2 || units(n.Tasks[1].ResponsibleUnits) != "市文化和旅游局" {
		t.Errorf("docx: %+v %+v", fr, n.Tasks)
	}
}

func TestBrokenFilesAreSkippedAndReported(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		if err := osWriteFile(dir+"/"+name, data); err != nil {
			t.Fatal(err)
		}
	}
	write("good.txt", []byte(smallNotice))
	write("scan.pdf", []byte("%PDF-1.4"))
	write("broken.docx", []byte("not a zip"))
	write("empty.txt", nil)
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Notices) != 1 || c.Report.Skipped != 3 {
		t.Fatalf("notices %d skipped %d: %+v", len(c.Notices), c.Report.Skipped, c.Report.Files)
	}
	for _, f := range c.Report.Files {
		if f.Name != "good.txt" && (f.Status != "skipped" || f.Reason == "") {
			t.Errorf("%s: %+v", f.Name, f)
		}
	}
}

func TestDeadlineDates(t *testing.T) {
	tests := []struct {
		name, text string
		base       int
		want       string
	}{
		{"MonthEnd", "2021年6月底之前，各承办单位报送小结。", 2021, "2021-06-30"},
		{"YearFromNotice", "9月底，各相关单位报送年度小结。", 2022, "2022-09-30"},
		{"YearCarries", "分别于2020年4月15日、7月15日、10月15日及2021年1月15日前报送。", 2020, "2020-04-15 2020-07-15 2020-10-15 2021-01-15"},
		{"PhaseRange", "（二）工作推进阶段（2022年4—10月）。", 2022, "2022-04-01..2022-10-31"},
		{"MidMonth", "部署阶段（2021年3月中旬之前）。", 2021, "2021-03-20"},
		{"YearEnd", "到2022年底，发展新能源公交线路1条。", 2020, "2022-12-31"},
		{"ByYear", "到2020年，试点城市的大中型矿山达到绿色矿山建设要求。", 2018, "2020-12-31"},
		{"YearOfAMonthIsNotByYear", "2019年6月底前，研究建立指标体系。", 2018, "2019-06-30"},
		{"YearBeforeWithoutAVerb", "2008年以前完成机场扩建。", 2006, "2008-12-31"},
		{"YearBefore", "新航站楼2007年前竣工。", 2006, "2007-12-31"},
		{"RecurringYearly", "每年2月底前报送上一年度工作总结。", 2019, "2019-02-28/year"},
		{"RecurringFromAYear", "从2019年起每年3月底前向国务院报告。", 2018, "2019-03-31/year"},
		{"RecurringQuarterly", "每季度末报送工作进展。", 2021, "2021-03-31/quarter"},
		{"PerYearIsNotADate", "每年新增就业岗位1万个。", 2021, ""},
		{"ProcessingTimeIsNotADeadline", "审批时限压缩至14个工作日内。", 2021, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, d := range append(datesIn(tt.text, tt.base), relativeDates(tt.text, "")...) {
				if d.Every != "" {
					got = append(got, d.Date+"/"+d.Every)
				} else if d.Start != "" && d.Start != d.Date[:8]+"01" || (d.Start != "" && d.Kind == "phase" && d.Start[:7] != d.Date[:7]) {
					got = append(got, d.Start+".."+d.Date)
				} else {
					got = append(got, d.Date)
				}
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("got %v, want %s", got, tt.want)
			}
		})
	}
}

// TestDeadlineKinds: deadlines counted from the notice's issue, recurring
// ones stepping to their next occurrence, tasks with no end.
func TestDeadlineKinds(t *testing.T) {
	n, _ := parseText(t, "d.txt", "国务院关于促进就业的若干意见\n国发〔2018〕39号\n2018年12月5日\n一、落实责任\n（一）制定办法。各省要在本意见印发之日起30日内，制定出台具体实施办法。（各省级人民政府负责）\n（二）报送总结。每年2月底前报送上一年度总结。（人力资源社会保障部负责）\n（三）宣传政策。（长期坚持）（各有关部门负责）")
	if len(n.Tasks) != 3 {
		t.Fatalf("%d tasks", len(n.Tasks))
	}
	if ds := n.Tasks[0].Deadlines; len(ds) != 1 || ds[0].Date != "2019-01-04" || ds[0].Phrase != "印发之日起30日内" {
		t.Errorf("within 30 days: %+v", ds)
	}
	ds := n.Tasks[1].Deadlines
	if len(ds) != 1 || ds[0].Every != "year" || ds[0].Next("2020-03-01") != "2021-02-28" || ds[0].Next("2020-01-10") != "2020-02-29" {
		t.Errorf("yearly: %+v next %q", ds, ds[0].Next("2020-03-01"))
	}
	if ds := n.Tasks[2].Deadlines; len(ds) != 1 || ds[0].Kind != "ongoing" || ds[0].Date != "" {
		t.Errorf("ongoing: %+v", ds)
	}
}

func TestLoadCachedReusesParses(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	osWriteFile(dir+"/a.txt", []byte(smallNotice))
	osWriteFile(dir+"/b.txt", []byte("关于印发乙方案的通知\n一、工作任务\n1．强化武汉城市圈同城化发展办公室（以下简称武圈办）统筹。（责任单位：武圈办）"))
	first, err := LoadCached(dir, cache)
	if err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(cache, "parsed-*.idx")); len(files) != 1 {
		t.Fatalf("cache files %v (report %+v)", files, first.Report)
	}
	second, err := LoadCached(dir, cache)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(first.Notices)
	b, _ := json.Marshal(second.Notices)
	if string(a) != string(b) {
		t.Errorf("cached parse differs:\n%s\n%s", a, b)
	}
	// An alias a cached notice defines still resolves.
	if got := second.Directory.Canonical("武圈办"); got != "武汉城市圈同城化发展办公室" {
		t.Errorf("alias from a cached notice: %v", got)
	}
	// A changed file is parsed again.
	osWriteFile(dir+"/a.txt", []byte(smallNotice+"\n3．建设博物馆。（牵头单位：市文化和旅游局）"))
	third, _ := LoadCached(dir, cache)
	if len(third.Notices[0].Tasks) != 3 {
		t.Errorf("changed file not parsed again: %d tasks", len(third.Notices[0].Tasks))
	}
}

// TestReloadKeepsParseCache: a reload that takes most notices over from
// the previous load must not drop them from the parse cache.
func TestReloadKeepsParseCache(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	osWriteFile(dir+"/a.txt", []byte(smallNotice))
	osWriteFile(dir+"/b.txt", []byte(smallNotice+"\n3．建设博物馆。（牵头单位：市文化和旅游局）"))
	first, err := LoadCached(dir, cache)
	if err != nil {
		t.Fatal(err)
	}
	osWriteFile(dir+"/b.txt", []byte(smallNotice))
	if _, err := first.Reload(); err != nil {
		t.Fatal(err)
	}
	pc := openParseCache(cache)
	if len(pc.entries) != 2 {
		t.Errorf("parse cache holds %d entries after reload, want 2", len(pc.entries))
	}
	osWriteFile(dir+"/c.txt", []byte(smallNotice+"\n"))
	second, _ := LoadCached(dir, cache)
	third, _ := second.Reload()
	if n := len(openParseCache(cache).entries); n != 3 || len(third.Notices) != 3 {
		t.Errorf("parse cache %d entries, %d notices", n, len(third.Notices))
	}
}

// TestRosters: roles padded with spaces of any width, names padded apart,
// continuation lines, sub-lists, Traditional script, office and director.
func TestRosters(t *testing.T) {
	tests := []struct {
		name, text      string
		members         string // role:name, joined by space
		office, directr string
	}{
		{"PaddedRolesAndNames",
			"关于成立钟楼区办公用房管理工作领导小组的通知\n二、组成人员\n组 长:孙益锋 区委常委、副区长\n成 员:方国友 区机关事务管理中心主任\n许 俊 区发改局副局长\n三、工作机构\n领导小组办公室设在区机关事务管理中心,承担日常工作。区机关事务管理中心主任方国友兼任办公室主任。",
			"组长:孙益锋 成员:方国友 成员:许俊", "区机关事务管理中心", "方国友"},
		{"FullWidthPaddingAndSubLists",
			"国务院办公厅关于调整国家教材委员会组成人员的通知\n主  任：孙春兰　　国务院副总理\n副主任：陈宝生　　教育部部长\n　　　　丁向阳　　国务院副秘书长\n委  员：\n（一）部门委员\n黄　卫　　科技部副部长\n（二）专家委员（按姓氏笔划为序）\n马志明　　院士",
			"主任:孙春兰 副主任:陈宝生 副主任:丁向阳 委员:黄卫 委员:马志明", "", ""},
		{"JointConference",
			"国务院职业教育工作\n部际联席会议成员名单\n召 集 人：孙春兰　　国务院副总理\n成    员：孙　尧　　教育部副部长\n联席会议办公室设在教育部，办公室主任由教育部分管职业教育工作的负责同志兼任。",
			"召集人:孙春兰 成员:孙尧", "教育部", "教育部分管职业教育工作的负责同志"},
		{"Traditional",
			"國務院辦公廳關於成立第三次全國經濟普查領導小組的通知\n二、組成人員\n組 長:張高麗 國務院副總理\n副組長:肖 捷 國務院副秘書長\n成 員:王 峰 中央編辦副主任\n徐一帆 統計局副局長\n三、工作機構\n領導小組辦公室設在統計局,承擔日常工作,辦公室主任由統計局副局長徐一帆兼任。",
			"組長:張高麗 副組長:肖捷 成員:王峰 成員:徐一帆", "統計局", "徐一帆"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := parseText(t, tt.name+".txt", tt.text)
			if len(n.Groups) != 1 {
				t.Fatalf("%d groups", len(n.Groups))
			}
			var got []string
			for _, m := range n.Groups[0].Members {
				got = append(got, m.Role+":"+m.Name)
			}
			g := n.Groups[0]
			if strings.Join(got, " ") != tt.members || g.Office != tt.office || g.OfficeDirector != tt.directr {
				t.Errorf("members %q office %q director %q, want %q %q %q", strings.Join(got, " "), g.Office, g.OfficeDirector, tt.members, tt.office, tt.directr)
			}
			if len(n.Tasks) != 0 {
				t.Errorf("roster lines read as tasks: %+v", n.Tasks)
			}
		})
	}
}

// TestProseThatIsNotAnAssignment: a sentence with 由…牵头 whose names are
// not units gives no task.
func TestProseThatIsNotAnAssignment(t *testing.T) {
	n, _ := parseText(t, "p.txt", "一、工作任务\n1．加大支持。由此产生的贴息资金由地方财政承担。（财政部负责）\n2．落实政策。由各地按要求牵头，认真落实。")
	if len(n.Tasks) != 1 || n.Tasks[0].Ref != "一1" {
		t.Errorf("tasks %+v, want only 一1", n.Tasks)
	}
}

// TestRegion: the area a notice governs, from its issuer, title, signature
// or a province's document number.
func TestRegion(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"StateCouncil", "国务院办公厅关于印发方案的通知\n国办发〔2018〕128号", "全国"},
		{"DistrictIssuer", "立山区人民政府关于印发立山区政府2023年重点工作任务分解和责任分工方案的通知", "立山区"},
		{"CityAndDistrict", "重庆市沙坪坝区人民政府办公室关于印发2022年区政府工作报告目标任务的通知", "重庆市沙坪坝区"},
		{"TitleOpensWithPlace", "咸阳市2022年深化“放管服”改革优化营商环境工作要点", "咸阳市"},
		{"Signature", "关于成立领导小组的通知\n各单位:\n现将有关事项通知如下。\n常州市钟楼区人民政府办公室\n2022年6月8日", "常州市钟楼区"},
		{"ProvinceDocNumber", "关于印发重点任务分工方案的通知\n粤府〔2021〕22号", "广东省"},
		{"Traditional", "國務院辦公廳關於成立第三次全國經濟普查領導小組的通知", "全国"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := parseText(t, tt.name+".txt", tt.text)
			if n.Region != tt.want {
				t.Errorf("region %q, want %q", n.Region, tt.want)
			}
		})
	}
}

// TestSharedSuffixFromCache: a notice taken from the parse cache teaches
// the directory the full names of its shared-suffix runs again.
func TestSharedSuffixFromCache(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	osWriteFile(dir+"/s.txt", []byte("一、工作任务\n1．建设。（责任单位：青山、江夏、黄陂区人民政府）"))
	for i := 0; i < 2; i++ { // parsed, then from the cache
		c, err := LoadCached(dir, cache)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Directory.Canonical("江夏"); got != "江夏区人民政府" {
			t.Errorf("load %d: 江夏 resolves to %q", i+1, got)
		}
	}
}

// TestSpanIsNoUnit: whatever rule read a task's units, a name with a line
// break, a wide space or a full stop in it is dropped and reported, not
// shown as a unit.
func TestSpanIsNoUnit(t *testing.T) {
	n := &Notice{Tasks: []*Task{{Line: 3, Text: "做好配合工作。", LeadUnits: []string{"3\u3000预警监测\n3.1\u3000市场监测\n国家发展改革委", "国家粮食局"}, ResponsibleUnits: []string{"有关部门"}}}}
	p := &parser{n: n}
	p.dropNonUnits()
	if got := units(n.Tasks[0].LeadUnits); got != "国家粮食局" {
		t.Errorf("lead %q", got)
	}
	if len(n.Unread) != 1 || n.Unread[0].Line != 3 {
		t.Errorf("unread %+v", n.Unread)
	}
}

// TestDecimalSectionsEndItems: a plan numbered 4.2 / 4.2.1 with a wide
// space after the number (as 应急预案 are) starts a new section there; the
// item before it does not run on into the next section and take the units
// that section names.
func TestDecimalSectionsEndItems(t *testing.T) {
	text := "关于印发某市防汛应急预案的通知\n" +
		"4.2\u3000市级应急响应\n" +
		"4.2.1\u3000启动响应后，市防汛指挥部立即进入应急状态。\n" +
		"（1）加强值班，及时报告汛情。（市水务局负责）\n" +
		"（2）迅速执行市防汛指挥部下达的各项指令。\n" +
		"4.3\u3000区级应急响应\n" +
		"由区防汛指挥部牵头，区财政局配合，做好物资保障。\n"
	n, _ := parseText(t, "plan.txt", text)
	for _, task := range n.Tasks {
		if strings.Contains(task.Text, "迅速执行") && (strings.Contains(task.Text, "区级应急响应") || len(task.LeadUnits)+len(task.ResponsibleUnits) > 0) {
			t.Errorf("%s ran on into the next section: %q lead %v resp %v", task.Ref, task.Text, task.LeadUnits, task.ResponsibleUnits)
		}
	}
}
