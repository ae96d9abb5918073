package extract

import (
	"strings"
	"testing"
)

// run is a string drawn at (x, y) in a 10-unit font, a full em for each
// Chinese character and half one for the rest.
func run(x, y float64, text string) glyphRun {
	w := 0.0
	for _, r := range text {
		if r < 0x2E80 {
			w += 5
		} else {
			w += 10
		}
	}
	return glyphRun{x0: x, x1: x + w, y: y, em: 10, text: text}
}

// para draws a paragraph wrapped at 20 characters from y down, its first
// line indented two characters, as a notice is set.
func para(y float64, text string) []glyphRun {
	var runs []glyphRun
	rs := []rune(text)
	x, n := 120.0, 18
	for len(rs) > 0 {
		k := min(n, len(rs))
		runs = append(runs, run(x, y, string(rs[:k])))
		rs, x, n, y = rs[k:], 100, 20, y-15
	}
	return runs
}

func TestLayoutProse(t *testing.T) {
	body := func(y float64, texts ...string) []glyphRun {
		var runs []glyphRun
		for _, s := range texts {
			p := para(y, s)
			runs = append(runs, p...)
			y = p[len(p)-1].y - 15
		}
		return runs
	}
	cases := []struct {
		name  string
		pages [][]glyphRun
		want  string
	}{
		{"MarkerWrapped", [][]glyphRun{body(700,
			"1.推进外贸稳规模优结构，支持企业拓展市场。（市商务局、市发改委负责）",
			"2.落实减税降费政策。（市税务局负责）")},
			"1.推进外贸稳规模优结构，支持企业拓展市场。（市商务局、市发改委负责）\n2.落实减税降费政策。（市税务局负责）"},
		{"NumberWrapped", [][]glyphRun{body(700, "1.力争全年盘活僵尸企业1017家，存量土地400亩，落实117号文件。")},
			"1.力争全年盘活僵尸企业1017家，存量土地400亩，落实117号文件。"},
		{"SpacedDigits", [][]glyphRun{{run(100, 700, "盘活企业"), run(142.5, 700, "10"), run(155, 700, "家，"), run(175, 700, "5G"), run(187.5, 700, "基础设施")}},
			"盘活企业10家，5G基础设施"},
		{"LatinWordsKeepTheirSpaces", [][]glyphRun{{run(100, 700, "PDF"), run(118, 700, "reader"), run(152, 700, "2024"), run(181, 700, "2025")}},
			"PDF reader 2024 2025"},
		{"RaisedSmallRun", [][]glyphRun{{run(100, 700, "新增绿地10万m"), {x0: 165.5, x1: 168.5, y: 704, em: 6, text: "2"}, run(169, 700, "，完成。")}},
			"新增绿地10万m2，完成。"},
		{"HangingIndentList", [][]glyphRun{{
			run(100, 700, "1.推进外贸稳规模优结构，支持企业拓展多"), run(110, 685, "元市场，巩固外贸基本盘和产业链，稳住"), run(110, 670, "外贸外资基本盘。"),
			run(100, 655, "2.落实减税降费政策，2024年6月底前完成"), run(110, 640, "。（牵头单位：市税务局）"),
			run(120, 625, "各单位要加强组织领导。"),
		}}, "1.推进外贸稳规模优结构，支持企业拓展多元市场，巩固外贸基本盘和产业链，稳住外贸外资基本盘。\n2.落实减税降费政策，2024年6月底前完成。（牵头单位：市税务局）\n各单位要加强组织领导。"},
		{"IndentedWithSpaces", [][]glyphRun{{
			run(100, 700, "　　1.推进外贸稳规模优结构，支持企业拓展"), run(100, 685, "多元市场，巩固外贸基本盘和产业链，稳住外贸"),
			run(100, 670, "　　各单位要加强组织领导，确保落到实处。"),
		}}, "1.推进外贸稳规模优结构，支持企业拓展多元市场，巩固外贸基本盘和产业链，稳住外贸\n　　各单位要加强组织领导，确保落到实处。"},
		{"CellGap", [][]glyphRun{{run(100, 700, "序号"), run(150, 700, "工作任务")}}, "序号 工作任务"},
		{"OverPageBreakWithRunningLines", [][]glyphRun{
			append(append([]glyphRun{run(250, 800, "某市人民政府文件")}, body(700, "1.推进外贸稳规模优结构，支持企业拓展多元市场，巩固外贸基本盘和产业链，")...), run(280, 60, "— 1 —")),
			append(append([]glyphRun{run(250, 800, "某市人民政府文件")}, run(100, 700, "稳住外贸外资基本盘。（牵头单位：市商务局）"), run(120, 685, "2.保障措施")), run(250, 60, "第 2 页 共 2 页")),
		}, "1.推进外贸稳规模优结构，支持企业拓展多元市场，巩固外贸基本盘和产业链，稳住外贸外资基本盘。（牵头单位：市商务局）\n2.保障措施"},
		{"ListItemStartsItsOwnLine", [][]glyphRun{{run(100, 700, "一二三四五六七八九十一二三四五六七八九十"), run(100, 685, "2.第二项")}},
			"一二三四五六七八九十一二三四五六七八九十\n2.第二项"},
		{"FakeBold", [][]glyphRun{{run(200, 750, "关于印发方案的通知"), run(200.3, 750.3, "关于印发方案的通知"), run(100, 700, "“领导+专班”"), run(160, 700, "”"), run(160.2, 700, "”")}},
			"关于印发方案的通知\n“领导+专班””"},
		{"OnePageNotARunningHeader", [][]glyphRun{{run(250, 800, "某市人民政府文件"), run(100, 700, "正文。")}},
			"某市人民政府文件\n正文。"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var items [][]pageItem
			for _, p := range c.pages {
				items = append(items, pageItems(drawnPage{runs: p}))
			}
			if got := strings.TrimSpace(layoutPages(items)); got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

// TestLayoutBoxedText: a page framed in two columns (one row of boxes)
// is read as paragraphs, not as a table row.
func TestLayoutBoxedText(t *testing.T) {
	p := drawnPage{
		runs:  []glyphRun{run(100, 700, "一、工作目标"), run(100, 685, "全面完成。"), run(320, 700, "二、工作任务"), run(320, 685, "推进外贸。")},
		rules: []rule{{90, 650, 540, 650}, {90, 720, 540, 720}, {90, 650, 90, 720}, {310, 650, 310, 720}, {540, 650, 540, 720}},
	}
	got := strings.TrimSpace(layoutPages([][]pageItem{pageItems(p)}))
	if want := "一、工作目标\n全面完成。\n二、工作任务\n推进外贸。"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
