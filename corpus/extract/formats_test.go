package extract

import (
	"fmt"
	"html"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/assignbot/assignbot/corpus/internal/pdfgen"
)

// lines returns the non-blank lines of text, trimmed.
func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// containsInOrder reports the first wanted line not found after the
// previous one, or "".
func containsInOrder(got []string, want []string) string {
	i := 0
	for _, w := range want {
		for i < len(got) && got[i] != w {
			i++
		}
		if i == len(got) {
			return w
		}
		i++
	}
	return ""
}

func TestHTMLTableRows(t *testing.T) {
	page := `<html><head><title>某市重点工作分工</title></head><body>
<div class="nav">首页 | 政务公开</div>
<div class="article"><p>关于印发重点工作分工的通知</p>
<table><tr><th>序号</th><th>重点工作</th><th>牵头单位</th><th>完成时限</th></tr>
<tr><td colspan="4">一、知识产权保护方面（共2项）</td></tr>
<tr><td>1</td><td><p>推进外贸</p><p>稳规模优结构</p></td><td rowspan="2">市商务局</td><td></td></tr>
<tr><td>2</td><td>建立A|B机制<br>完善配套</td><td>2024年底</td></tr>
<tr><td>3</td><td>嵌套<table><tr><td>子表甲</td><td>子表乙</td></tr></table></td><td>市财政局</td><td>长期</td></tr>
</table><p>此页无正文。</p></div></body></html>`
	text, title, _, err := rawText(t.Context(), "html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if title != "某市重点工作分工" {
		t.Errorf("title = %q", title)
	}
	want := []string{
		"关于印发重点工作分工的通知",
		"| 序号 | 重点工作 | 牵头单位 | 完成时限 |",
		"| 一、知识产权保护方面（共2项） |",
		"| 1 | 推进外贸 稳规模优结构 | 市商务局 |  |",
		"| 2 | 建立A｜B机制 完善配套 | 2024年底 |",
		"| 3 | 嵌套 子表甲 子表乙 | 市财政局 | 长期 |",
		"此页无正文。",
	}
	if got := lines(text); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(text, "\n\n| 序号") || !strings.Contains(text, "长期 |\n\n") {
		t.Errorf("table not set off by blank lines:\n%q", text)
	}
}

// TestHTMLTableDevset reads the MS-Word-exported table of a real State
// Council notice: the rows come out as rows, group rows as one cell, and
// the article finder keeps the table with the text around it.
func TestHTMLTableDevset(t *testing.T) {
	data, err := os.ReadFile("../testdata/devset/notices/national-2018-chuangxin-gaige-tuiguang.html")
	if err != nil {
		t.Fatal(err)
	}
	text, title, _, err := rawText(t.Context(), "html", data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "关于推广第二批支持创新相关改革举措的通知") {
		t.Errorf("title = %q", title)
	}
	got := lines(text)
	var rows []string
	for _, l := range got {
		if strings.HasPrefix(l, "| ") {
			if !strings.HasSuffix(l, " |") {
				t.Errorf("row does not end in \" |\": %q", l)
			}
			rows = append(rows, l)
		}
	}
	if len(rows) != 23 {
		t.Errorf("%d table rows, want 23 (header, 5 groups, 17 items)", len(rows))
	}
	if miss := containsInOrder(got, []string{
		"各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
		"| 一、知识产权保护方面（共5项） |",
		"| 4 | 知识产权案件审判中引入技术调查官制度 | 法院审理知识产权案件时，可以引入技术调查官，帮助法官准确高效地认定技术事实，提高审判质量和效率。 | 最高人民法院、国家知识产权局 | 全国 |",
		"| 四、军民深度融合方面（共6项） |",
		"| 五、管理体制创新方面（共3项） |",
	}); miss != "" {
		t.Errorf("missing or out of order: %q", miss)
	}
	if !strings.HasPrefix(rows[0], "| 序号 | 改革举措 |") || strings.Count(rows[0], " | ") != 4 {
		t.Errorf("header row = %q", rows[0])
	}
}

func TestDocxTableRows(t *testing.T) {
	cell := func(ps ...string) string {
		s := "<w:tc>"
		for _, p := range ps {
			s += "<w:p><w:r><w:t>" + p + "</w:t></w:r></w:p>"
		}
		return s + "</w:tc>"
	}
	body := `<w:p><w:r><w:t>关于印发分工方案的通知</w:t></w:r></w:p>` +
		`<w:tbl><w:tr>` + cell("序号") + cell("任务") + cell("牵头单位") + `</w:tr>` +
		`<w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/></w:tcPr><w:p><w:r><w:t>一、优化营商环境</w:t></w:r></w:p></w:tc></w:tr>` +
		`<w:tr>` + cell("1") + cell("推进外贸", "稳规模") + cell("市商务局") + `</w:tr>` +
		`<w:tr>` + cell("2") + `<w:tc><w:p><w:r><w:t>A|B</w:t><w:br/><w:t>机制</w:t></w:r></w:p>` +
		`<w:tbl><w:tr>` + cell("子甲") + cell("子乙") + `</w:tr></w:tbl></w:tc>` + cell() + `</w:tr>` +
		`</w:tbl><w:p><w:r><w:t>二、保障措施</w:t></w:r></w:p>`
	text, err := docxText(pdfgen.Docx(body))
	if err != nil {
		t.Fatal(err)
	}
	want := "关于印发分工方案的通知\n\n\n" +
		"| 序号 | 任务 | 牵头单位 |\n" +
		"| 一、优化营商环境 |\n" +
		"| 1 | 推进外贸 稳规模 | 市商务局 |\n" +
		"| 2 | A｜B 机制 子甲 子乙 |  |\n" +
		"\n二、保障措施\n"
	if text != want {
		t.Errorf("got\n%q\nwant\n%q", text, want)
	}
}

// ofdFile builds an OFD package: OFD.xml → Doc_0/Document.xml → one
// Content.xml per page, each page a list of text objects, each object a
// list of TextCodes given as "y:text", placed one after another (3.5 units
// a character) on their baseline.
func ofdFile(tb testing.TB, pages ...[][]string) []byte {
	tb.Helper()
	parts := [][2]string{
		{"OFD.xml", `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">` +
			`<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`},
	}
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages>`)
	// Pages listed out of their folder order: the Document's order wins.
	for i := range pages {
		fmt.Fprintf(&doc, `<ofd:Page ID="%d" BaseLoc="Pages/Page_%d/Content.xml"/>`, i+1, len(pages)-1-i)
	}
	doc.WriteString(`</ofd:Pages></ofd:Document>`)
	parts = append(parts, [2]string{"Doc_0/Document.xml", doc.String()})
	for i, objs := range pages {
		var c strings.Builder
		c.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1">`)
		for j, codes := range objs {
			fmt.Fprintf(&c, `<ofd:TextObject ID="%d" Boundary="0 0 200 10" Font="3" Size="3.5">`, 100+j)
			x, lastY := 0.0, ""
			for _, code := range codes {
				y, text, _ := strings.Cut(code, ":")
				if y != lastY {
					x = 0 // a new baseline starts at the left edge
				}
				fmt.Fprintf(&c, `<ofd:TextCode X="%g" Y="%s">%s</ofd:TextCode>`, x, y, html.EscapeString(text))
				x, lastY = x+3.5*float64(utf8.RuneCountInString(text)), y
			}
			c.WriteString(`</ofd:TextObject>`)
		}
		c.WriteString(`</ofd:Layer></ofd:Content></ofd:Page>`)
		parts = append(parts, [2]string{fmt.Sprintf("Doc_0/Pages/Page_%d/Content.xml", len(pages)-1-i), c.String()})
	}
	return pdfgen.Zip(parts...)
}

func TestOFDText(t *testing.T) {
	data := ofdFile(t,
		[][]string{
			{"10:关于印发重点工作任务分工方案的通知"},
			{"20:一、稳住外贸外资基本盘"},
			// Two codes on one baseline: one line; the longest line of the
			// page wrapped onto the next baseline: joined back.
			{"30:1.推进外贸稳规模优结构。", "30:（牵头单位：市商务局；", "35:责任单位：市财政局）"},
		},
		[][]string{{"10:二、保障措施"}, {"20:加强组织领导。<不是标签>"}, {"30:落"}, {"30:实"}, {"30:责"}, {"30:任"}},
	)
	text, err := ofdText(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"关于印发重点工作任务分工方案的通知",
		"一、稳住外贸外资基本盘",
		"1.推进外贸稳规模优结构。（牵头单位：市商务局；责任单位：市财政局）",
		"二、保障措施",
		"加强组织领导。<不是标签>",
		"落实责任", // a writer that puts each character in its own TextObject
	}
	if got := lines(text); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := ofdText(pdfgen.Zip([2]string{"OFD.xml", `<ofd:OFD xmlns:ofd="x"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`})); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("OFD without its document: err = %v", err)
	}
}

func TestXLSXText(t *testing.T) {
	data := pdfgen.Zip([2]string{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="任务" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		[2]string{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		// Style 1 shows a number as a date (built-in format 14); style 2
		// as a plain number.
		[2]string{"xl/styles.xml", `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
			`<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>` +
			`<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="3"/></cellXfs></styleSheet>`},
		[2]string{"xl/sharedStrings.xml", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>序号</t></si><si><t>任务</t></si><si><t>牵头单位</t></si><si><r><t>推进</t></r><r><t>外贸</t></r></si><si><t>市商务局</t></si></sst>`},
		[2]string{"xl/worksheets/sheet1.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
			`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>` +
			`<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" t="s"><v>4</v></c><c r="D2" s="1"><v>45473</v></c><c r="E2" s="2"><v>45473</v></c></row>` +
			`<row r="3"><c r="A3"><v>2</v></c><c r="C3" t="inlineStr"><is><t>市财政局</t></is></c></row>` +
			`<row r="4"></row></sheetData></worksheet>`},
	)
	text, err := xlsxText(data)
	if err != nil {
		t.Fatal(err)
	}
	want := "\n\n| 序号 | 任务 | 牵头单位 |\n| 1 | 推进外贸 | 市商务局 | 2024年6月30日 | 45473 |\n| 2 |  | 市财政局 |\n\n"
	if text != want {
		t.Errorf("got %q, want %q", text, want)
	}
}

func BenchmarkHTMLTableDevset(b *testing.B) {
	data, err := os.ReadFile("../testdata/devset/notices/national-2018-chuangxin-gaige-tuiguang.html")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := rawText(b.Context(), "html", data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHTMLLayoutTable: an older site lays its page out in a table; the
// article in its big cell is read as paragraphs, not squeezed into a row.
func TestHTMLLayoutTable(t *testing.T) {
	var article strings.Builder
	article.WriteString("<p>关于印发重点工作任务分工方案的通知</p>")
	for i, item := range []string{"一、稳住外贸外资基本盘", "1.推进外贸稳规模优结构，支持企业拓展多元市场，稳住外贸基本盘。（牵头单位：市商务局；责任单位：市财政局）",
		"2.落实减税降费政策，帮助企业纾困解难，确保各项政策落地见效。（牵头单位：市税务局）", "二、保障措施", "各单位要加强组织领导，细化工作措施，压实工作责任，确保各项任务按时完成。"} {
		fmt.Fprintf(&article, "<p>%s%s</p>", item, strings.Repeat("各地区各部门要高度重视。", i%2*6))
	}
	page := `<html><head><title>通知</title></head><body><table>
<tr><td>首页</td><td>政务公开</td></tr>
<tr><td>栏目</td><td>` + article.String() + `</td></tr></table></body></html>`
	text, _, _, err := rawText(t.Context(), "html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "| ") {
		t.Errorf("layout table written as rows:\n%s", text)
	}
	if miss := containsInOrder(lines(text), []string{"关于印发重点工作任务分工方案的通知", "一、稳住外贸外资基本盘"}); miss != "" {
		t.Errorf("missing %q in\n%s", miss, text)
	}
}

// TestDocxTextBoxOnce: a text box (the red header of a government
// document often is one) is stored twice, for new and old Word; its text
// comes out once.
func TestDocxTextBoxOnce(t *testing.T) {
	box := func(inner string) string {
		return `<w:txbxContent><w:p><w:r><w:t>` + inner + `</w:t></w:r></w:p></w:txbxContent>`
	}
	body := `<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">` +
		`<mc:Choice Requires="wps"><w:drawing>` + box("某市人民政府文件") + `</w:drawing></mc:Choice>` +
		`<mc:Fallback><w:pict>` + box("某市人民政府文件") + `</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>` +
		`<w:p><w:r><w:t>关于印发分工方案的通知</w:t></w:r></w:p>`
	text, err := docxText(pdfgen.Docx(body))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(lines(text), "\n"); got != "某市人民政府文件\n关于印发分工方案的通知" {
		t.Errorf("got %q", got)
	}
}
