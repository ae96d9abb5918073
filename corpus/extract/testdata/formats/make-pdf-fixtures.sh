#!/bin/sh
# make-pdf-fixtures.sh writes the drawn-table and wrapped-prose PDF
# fixtures from real notice text (README.md says where each comes from).
# It needs python3, LibreOffice Writer and Calc, and a Chinese font:
#
#   apt-get install libreoffice-writer-nogui libreoffice-calc-nogui fonts-wqy-microhei
#
# The outputs are committed, so the tests run without LibreOffice.
#
#   table.docx, table.pdf         two task tables, the header row repeated
#                                 on every page (Writer's "repeat heading")
#   table-norepeat.pdf            the same tables, the header on page 1 only
#   table-merged.docx, .pdf       the Wuhan table with a two-row header, one
#                                 unit a paragraph and lead cells merged down
#   table-calc.xlsx, .pdf         both tables as one spreadsheet printed from
#                                 Calc on landscape pages, header repeated
#   prose.docx, prose.pdf         numbered prose wrapped at the margin, with a
#                                 running header and page numbers
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'EOF'
import sys, html
work = sys.argv[1]
FONT = "WenQuanYi Micro Hei"

def esc(s):
    return html.escape(s, quote=False)

def doc(body, styles=""):
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="{FONT}" svg:font-family="&apos;{FONT}&apos;"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:text-properties style:font-name="{FONT}" style:font-name-asian="{FONT}" fo:font-size="12pt" style:font-size-asian="12pt" fo:language="zh" fo:country="CN" style:language-asian="zh" style:country-asian="CN"/>
 </style:default-style>
 <style:style style:name="Standard" style:family="paragraph"/>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
  <style:header-style><style:header-footer-properties fo:min-height="0cm" fo:margin-bottom="0.4cm"/></style:header-style>
  <style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.4cm"/></style:footer-style>
 </style:page-layout>
 <style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.3cm"/><style:text-properties fo:font-size="16pt" style:font-size-asian="16pt"/></style:style>
 <style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-align="justify" fo:text-indent="0.85cm" fo:line-height="150%"/></style:style>
 <style:style style:name="Cell" style:family="paragraph"><style:paragraph-properties fo:text-align="justify"/><style:text-properties fo:font-size="10.5pt" style:font-size-asian="10.5pt"/></style:style>
 <style:style style:name="CellC" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="10.5pt" style:font-size-asian="10.5pt"/></style:style>
 <style:style style:name="Small" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="9pt" style:font-size-asian="9pt"/></style:style>
 <style:style style:name="Tbl" style:family="table"><style:table-properties style:width="16cm" table:align="margins"/></style:style>
 <style:style style:name="TC" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000" style:vertical-align="middle"/></style:style>
 {styles}
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1">
  <style:header><text:p text:style-name="Small">武汉市人民政府办公厅文件</text:p></style:header>
  <style:footer><text:p text:style-name="Small">— <text:page-number text:select-page="current">1</text:page-number> —</text:p></style:footer>
 </style:master-page>
</office:master-styles>
<office:body><office:text>
{body}
</office:text></office:body></office:document>
'''

def p(text, style="Body"):
    return f'<text:p text:style-name="{style}">{esc(text)}</text:p>\n'

def table(name, path, widths, repeat):
    rows = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8") if l.strip()]
    n = len(rows[0])
    cols = "".join(f'<style:style style:name="{name}C{i}" style:family="table-column"><style:table-column-properties style:column-width="{w}cm"/></style:style>' for i, w in enumerate(widths))
    out = [f'<table:table table:name="{name}" table:style-name="Tbl">']
    out += [f'<table:table-column table:style-name="{name}C{i}"/>' for i in range(n)]
    def row(cells):
        if len(cells) == 1:  # a group row spans the table
            return f'<table:table-row><table:table-cell table:style-name="TC" table:number-columns-spanned="{n}" office:value-type="string">{p(cells[0], "Cell")}</table:table-cell>' + "<table:covered-table-cell/>" * (n - 1) + "</table:table-row>"
        cs = "".join(f'<table:table-cell table:style-name="TC" office:value-type="string">{p(c, "CellC" if i == 0 or len(c) <= 4 else "Cell")}</table:table-cell>' for i, c in enumerate(cells))
        return f"<table:table-row>{cs}</table:table-row>"
    head = row(rows[0])
    out.append(f"<table:table-header-rows>{head}</table:table-header-rows>" if repeat else head)
    out += [row(r) for r in rows[1:]]
    out.append("</table:table>")
    return cols, "\n".join(out)

for variant, repeat in (("table", True), ("table-norepeat", False)):
    c1, t1 = table("T1", "table-wuhan.tsv", [1.2, 8.4, 3.2, 3.2], repeat)
    c2, t2 = table("T2", "table-huoshan.tsv", [1.2, 7.6, 1.8, 3.6, 1.8], repeat)
    body = (p("附件1", "Standard") + p("市十四届人大六次会议1号议案工作任务分解表", "Title") + t1 +
            p("附件2", "Standard") + p("2025年开发区重点工作及责任清单", "Title") + t2)
    open(f"{work}/{variant}.fodt", "w", encoding="utf-8").write(doc(body, c1 + c2))

# table-merged: the Wuhan table laid out as many notices lay theirs out: a
# two-row header (责任单位 over 牵头单位 | 责任单位), one unit a paragraph,
# and a lead cell merged down over the next rows of its group that name
# the same lead.
def merged(path, widths):
    rows = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8") if l.strip()]
    cols = "".join(f'<style:style style:name="MC{i}" style:family="table-column"><style:table-column-properties style:column-width="{w}cm"/></style:style>' for i, w in enumerate(widths))
    def cell(text, style="Cell", rows=1, cols=1):
        span = (f' table:number-rows-spanned="{rows}"' if rows > 1 else "") + (f' table:number-columns-spanned="{cols}"' if cols > 1 else "")
        paras = "".join(p(t, style) for t in text.split("\n"))
        return f'<table:table-cell table:style-name="TC" office:value-type="string"{span}>{paras}</table:table-cell>'
    cov = "<table:covered-table-cell/>"
    out = ['<table:table table:name="M" table:style-name="Tbl">'] + [f'<table:table-column table:style-name="MC{i}"/>' for i in range(4)]
    out.append("<table:table-header-rows><table:table-row>" + cell("序号", "CellC", rows=2) + cell("工作任务", "CellC", rows=2) + cell("责任单位", "CellC", cols=2) + cov +
               "</table:table-row><table:table-row>" + cov + cov + cell("牵头单位", "CellC") + cell("责任单位", "CellC") + "</table:table-row></table:table-header-rows>")
    body = rows[1:]
    i = 0
    while i < len(body):
        r = body[i]
        if len(r) == 1:
            out.append("<table:table-row>" + cell(r[0], cols=4) + cov * 3 + "</table:table-row>")
            i += 1
            continue
        n = 1
        while i + n < len(body) and len(body[i + n]) == 4 and body[i + n][2] == r[2]:
            n += 1
        for k in range(n):
            rr = body[i + k]
            lead = cell(rr[2].replace("、", "\n"), rows=n) if k == 0 else cov
            out.append("<table:table-row>" + cell(rr[0], "CellC") + cell(rr[1]) + lead + cell(rr[3].replace("，", "\n")) + "</table:table-row>")
        i += n
    out.append("</table:table>")
    return cols, "\n".join(out)

cm, tm = merged("table-wuhan.tsv", [1.2, 8.4, 3.2, 3.2])
body = p("附件1", "Standard") + p("市十四届人大六次会议1号议案工作任务分解表", "Title") + tm
open(f"{work}/table-merged.fodt", "w", encoding="utf-8").write(doc(body, cm))

# table-calc: the Huoshan and Wuhan rows as a spreadsheet (many offices
# keep their task lists in Excel or WPS 表格 and print those to PDF), on
# landscape pages, the header row repeated, wrapped cells, group rows
# merged across the sheet.
def sheet():
    wuhan = [l.rstrip("\n").split("\t") for l in open("table-wuhan.tsv", encoding="utf-8") if l.strip()]
    huoshan = [l.rstrip("\n").split("\t") for l in open("table-huoshan.tsv", encoding="utf-8") if l.strip()]
    rows = [["序号", "工作任务", "牵头单位", "责任单位", "完成时限"]]
    for r in wuhan[1:]:
        rows.append(r if len(r) == 1 else r + ["2021年10月底前"])
    rows.append(["五、开发区重点工作"])
    n = 0
    for r in huoshan[1:]:
        n += 1
        rows.append([str(n), r[1], r[3], "", r[4]])
    widths = [1.2, 11, 4, 6, 2.6]
    cols = "".join(f'<style:style style:name="co{i}" style:family="table-column"><style:table-column-properties style:column-width="{w}cm"/></style:style>' for i, w in enumerate(widths))
    def cell(t, span=1):
        sp = f' table:number-columns-spanned="{span}"' if span > 1 else ""
        return f'<table:table-cell table:style-name="ce1" office:value-type="string"{sp}><text:p>{esc(t)}</text:p></table:table-cell>'
    def row(r):
        if len(r) == 1:
            return "<table:table-row>" + cell(r[0], 5) + "<table:covered-table-cell/>" * 4 + "</table:table-row>"
        return "<table:table-row>" + "".join(cell(c) for c in r) + "</table:table-row>"
    body = "".join(f'<table:table-column table:style-name="co{i}"/>' for i in range(5))
    body += "<table:table-header-rows>" + row(rows[0]) + "</table:table-header-rows>" + "".join(row(r) for r in rows[1:])
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:font-face-decls><style:font-face style:name="{FONT}" svg:font-family="&apos;{FONT}&apos;"/></office:font-face-decls>
<office:automatic-styles>
 {cols}
 <style:style style:name="ce1" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000" fo:wrap-option="wrap" style:vertical-align="middle"/><style:text-properties style:font-name="{FONT}" style:font-name-asian="{FONT}" fo:font-size="10.5pt" style:font-size-asian="10.5pt"/></style:style>
 <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="1.5cm" fo:margin-right="1.5cm"/></style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Default" style:page-layout-name="pm1"><style:header style:display="false"/><style:footer style:display="false"/></style:master-page></office:master-styles>
<office:body><office:spreadsheet><table:table table:name="任务分解">{body}</table:table></office:spreadsheet></office:body></office:document>
'''

open(f"{work}/table-calc.fods", "w", encoding="utf-8").write(sheet())

lines = [l.rstrip("\n") for l in open("prose-wuhan.txt", encoding="utf-8") if l.strip()]
body = p(lines[0], "Title") + "".join(p(l) for l in lines[1:])
open(f"{work}/prose.fodt", "w", encoding="utf-8").write(doc(body))
EOF

lo() { soffice --headless -env:UserInstallation="file://$work/profile" "$@" >/dev/null; }
lo --convert-to docx --outdir "$work" "$work/table.fodt" "$work/table-merged.fodt" "$work/prose.fodt"
lo --convert-to xlsx --outdir "$work" "$work/table-calc.fods"
# The PDFs are exported from the .docx, as a user saving their Word file
# as PDF would; table-norepeat has no .docx of its own.
lo --convert-to pdf --outdir "$work" "$work/table.docx" "$work/table-merged.docx" "$work/prose.docx" "$work/table-norepeat.fodt" "$work/table-calc.xlsx"
cp "$work/table.docx" "$work/table.pdf" "$work/table-norepeat.pdf" "$work/table-merged.docx" "$work/table-merged.pdf" \
	"$work/table-calc.xlsx" "$work/table-calc.pdf" "$work/prose.docx" "$work/prose.pdf" .
ls -l table.docx table.pdf table-norepeat.pdf table-merged.docx table-merged.pdf table-calc.xlsx table-calc.pdf prose.docx prose.pdf
