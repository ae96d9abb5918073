package extract

import (
	"strings"
	"testing"
)

func TestMojibakeHeading(t *testing.T) {
	got, fixes := repairMojibake(" ?。ㄒ唬┑貐^生產總值增長7.5%。")
	if got != " （一）地區生產總值增長7.5%。" || len(fixes) != 1 || !fixes[0].Repaired {
		t.Errorf("got %q %+v", got, fixes)
	}
	// A full-width digit folded to ASCII inside the damage does not end it.
	got, _ = repairMojibake("?。ㄈ\ue40c┍3纸洕\ue32e\\行穩中有進")
	if got != "（三）保持經濟運行穩中有進" {
		t.Errorf("bridged run: got %q", got)
	}
	// Rare characters in names are not damage.
	for _, s := range []string{"硚口区人民政府", "陈春晖??黄陂区人民政府常务副区长", "金橄榄广场"} {
		if got, fixes := repairMojibake(s); got != s || fixes != nil {
			t.Errorf("%q changed to %q", s, got)
		}
	}
	// Damage that cannot be repaired is cut out and reported.
	got, fixes = repairMojibake("1.\ue000\ue000\ue000。")
	if strings.ContainsRune(got, '\ue000') || len(fixes) != 1 || fixes[0].Repaired {
		t.Errorf("unrepairable: %q %+v", got, fixes)
	}
}

func TestCleanNoise(t *testing.T) {
	lines := []string{
		"浏览量: 时间:2024-01-10", "一、工作任务", "1．建设鄉(xiāng)村步行街</p>。（责任单位：市商务局）",
		"羽毛球比赛直播 佳永配资 赌博极速赛车", "2．乙。（责任单位：市商务局）", "3．丙。（责任单位：市商务局）",
		"主办单位: 某县人民政府办公室", "蜀ICP备06003751号 网站标识码:5108230052",
	}
	out, st := cleanLines(lines)
	joined := strings.Join(out, "\n")
	for _, bad := range []string{"浏览量", "xiāng", "</p>", "赌博", "ICP", "主办单位"} {
		if strings.Contains(joined, bad) {
			t.Errorf("%q survived: %q", bad, joined)
		}
	}
	if !strings.Contains(joined, "建设鄉村步行街") || st.SpamLines != 1 || st.Pinyin != 1 || st.FooterLines != 2 {
		t.Errorf("clean: %q %+v", joined, st)
	}
}
