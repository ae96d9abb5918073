package dingtalk

import (
	"strings"
	"testing"
)

func TestEscapeMarkdown(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"PlainChinese", "市发展改革委牵头，各区配合", "市发展改革委牵头，各区配合"},
		{"NumberedLineIsNotAList", "1. 完成方案", `1\. 完成方案`},
		{"IndentedNumber", "  12. 持续推进", `  12\. 持续推进`},
		{"DashIsNotAList", "- 市教育局", `\- 市教育局`},
		{"FullWidthNumberUntouched", "１．完成方案", "１．完成方案"},
		{"Emphasis", "*重点* 和 _次要_", `\*重点\* 和 \_次要\_`},
		{"LinkBrackets", "[附件](x)", `\[附件\](x)`},
		{"HeadingAndQuote", "# 标题 > 引用", `\# 标题 \> 引用`},
		{"NoHTML", "<b>粗</b>", `\<b\>粗\</b\>`},
		{"Backslash", `a\b`, `a\\b`},
		{"NumberNotAtLineStart", "截至2026. 年底", "截至2026. 年底"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EscapeMarkdown(tt.in); got != tt.want {
				t.Errorf("EscapeMarkdown(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRenderMarkdown(t *testing.T) {
	t.Parallel()
	md := RenderMarkdown(" 数字政府 建设\n牵头单位 ", []string{"牵头：市政务服务数据管理局", "", "1. 完成平台建设\n2. 时限：2026年底前", "   "})
	if md.Title != "数字政府 建设 牵头单位" {
		t.Errorf("title %q", md.Title)
	}
	want := "#### 数字政府 建设 牵头单位\n\n牵头：市政务服务数据管理局\n\n1\\. 完成平台建设\n\n2\\. 时限：2026年底前"
	if md.Text != want {
		t.Errorf("text\n%q\nwant\n%q", md.Text, want)
	}
	untitled := RenderMarkdown("", []string{strings.Repeat("长", 60), "第二行"})
	if []rune(untitled.Title)[39] != '…' || len([]rune(untitled.Title)) != maxTitle || strings.HasPrefix(untitled.Text, "#") {
		t.Errorf("untitled: %+v", untitled)
	}
}
