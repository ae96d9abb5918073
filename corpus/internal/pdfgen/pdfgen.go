// Package pdfgen writes the small PDF files (and OFD and .docx archives)
// the tests of corpus and corpus/extract read: text shown the way Chinese office software
// shows it, tables drawn the way Word and WPS draw them.
package pdfgen

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"fmt"
	"html"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// PDF builds a PDF whose text is shown the way Chinese office software
// writes it: a Type0 font with Identity-H encoding whose two-byte codes are
// glyph ids, not Unicode, so only the font's ToUnicode CMap (here with both
// bfchar and bfrange entries) tells what the text says. Each page is a list
// of lines; a line is one text object, or with Split set, the line is shown
// in two pieces, the second moved along x only (no new line).
type PDF struct {
	Pages    [][]string
	Split    bool // show each line in two pieces on the same baseline
	NoText   bool // an image-only page: no text operators at all
	Compress bool // FlateDecode the content streams
	Wrap     int  // wrap each line as a paragraph: indented 2 em, wrap runes a line
	Padding  int  // bytes of blanks after each page's drawing (a compression bomb)
	InForm   bool // draw each page's text in a form XObject, its fonts in the form's resources
	Inherit  bool // resources on the page tree's root, inherited by the pages
	Turned   bool // the page drawn a quarter turn round (a landscape page in a portrait frame)
	// Shows are strings placed on each page by position, after its lines;
	// Draw is each page's path operators (table rules), drawn after them.
	Shows [][]Show
	Draw  []string
}

// Show is one string shown at a place, in a size.
type Show struct {
	X, Y, Size float64
	Text       string
}

// Bytes writes the PDF.
func (p PDF) Bytes() []byte {
	// Glyph ids: every distinct rune gets one, in order of first use, from
	// 0x0101 up so that no code is a plausible Unicode or ASCII value.
	gid := map[rune]uint16{}
	var runes []rune
	addRunes := func(s string) {
		for _, r := range s {
			if _, ok := gid[r]; !ok {
				gid[r] = uint16(0x0101 + len(runes))
				runes = append(runes, r)
			}
		}
	}
	for _, pg := range p.Pages {
		for _, l := range pg {
			addRunes(l)
		}
	}
	for _, pg := range p.Shows {
		for _, s := range pg {
			addRunes(s.Text)
		}
	}
	hex := func(s string) string {
		var b strings.Builder
		b.WriteByte('<')
		for _, r := range s {
			fmt.Fprintf(&b, "%04X", gid[r])
		}
		b.WriteByte('>')
		return b.String()
	}
	var objs []string
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	stream := func(dict string, data []byte) string {
		if p.Compress {
			var z bytes.Buffer
			w := zlib.NewWriter(&z)
			w.Write(data)
			w.Close()
			data = z.Bytes()
			dict += " /Filter /FlateDecode"
		}
		return fmt.Sprintf("<<%s /Length %d>>\nstream\n%s\nendstream", dict, len(data), data)
	}

	// ToUnicode: the first half of the glyphs as bfchar, the rest as
	// one-glyph bfranges (a range may not cross a high-byte boundary).
	var cm strings.Builder
	cm.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	half := len(runes) / 2
	hexRune := func(r rune) string {
		var b strings.Builder
		for _, u := range utf16.Encode([]rune{r}) {
			fmt.Fprintf(&b, "%04X", u)
		}
		return b.String()
	}
	for i := 0; i < half; i += 100 {
		j := min(i+100, half)
		fmt.Fprintf(&cm, "%d beginbfchar\n", j-i)
		for _, r := range runes[i:j] {
			fmt.Fprintf(&cm, "<%04X> <%s>\n", gid[r], hexRune(r))
		}
		cm.WriteString("endbfchar\n")
	}
	rest := runes[half:]
	sort.Slice(rest, func(a, b int) bool { return gid[rest[a]] < gid[rest[b]] })
	for i := 0; i < len(rest); i += 100 {
		j := min(i+100, len(rest))
		fmt.Fprintf(&cm, "%d beginbfrange\n", j-i)
		for _, r := range rest[i:j] {
			fmt.Fprintf(&cm, "<%04X> <%04X> <%s>\n", gid[r], gid[r], hexRune(r))
		}
		cm.WriteString("endbfrange\n")
	}
	cm.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")

	catalog := add("<< /Type /Catalog /Pages 2 0 R >>")
	pagesObj := add("") // filled in below
	toUni := add(stream("", []byte(cm.String())))
	cid := add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun " +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>")
	font := add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "+
		"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", cid, toUni))
	var kids []string
	rootRes := ""
	for pi, pg := range p.Pages {
		var c strings.Builder
		if p.NoText {
			c.WriteString("q 500 0 0 700 50 50 cm /Im1 Do Q\n")
		}
		y := 780
		for _, l := range pg {
			if p.NoText {
				break
			}
			rs := []rune(l)
			if p.Wrap > 0 {
				x, width := 56+24, p.Wrap-2
				for len(rs) > 0 {
					n := min(width, len(rs))
					fmt.Fprintf(&c, "BT /F1 12 Tf %d %d Td %s Tj ET\n", x, y, hex(string(rs[:n])))
					rs, x, width, y = rs[n:], 56, p.Wrap, y-18
				}
				continue
			}
			if p.Split && len(rs) > 4 {
				cut := len(rs) / 2
				fmt.Fprintf(&c, "BT /F1 12 Tf 1 0 0 1 56 %d Tm %s Tj ET\n", y, hex(string(rs[:cut])))
				fmt.Fprintf(&c, "BT /F1 12 Tf 1 0 0 1 %d %d Tm [%s -20] TJ ET\n", 56+12*cut, y, hex(string(rs[cut:])))
			} else {
				fmt.Fprintf(&c, "BT /F1 12 Tf 56 %d Td %s Tj ET\n", y, hex(l))
			}
			y -= 18
		}
		if pi < len(p.Shows) {
			for _, s := range p.Shows[pi] {
				fmt.Fprintf(&c, "BT /F1 %g Tf 1 0 0 1 %g %g Tm %s Tj ET\n", s.Size, s.X, s.Y, hex(s.Text))
			}
		}
		if pi < len(p.Draw) {
			c.WriteString(p.Draw[pi])
		}
		body := []byte(c.String())
		if p.Turned {
			body = append(append([]byte("q 0 1 -1 0 842 0 cm\n"), body...), "Q\n"...)
		}
		if p.Padding > 0 {
			body = append(body, bytes.Repeat([]byte{' '}, p.Padding)...)
		}
		res := fmt.Sprintf("<< /Font << /F1 %d 0 R >> >>", font)
		if p.InForm {
			form := add(stream(fmt.Sprintf(" /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Matrix [1 0 0 1 0 -10] /Resources %s", res), body))
			body = []byte("q /Fm1 Do Q\n")
			res = fmt.Sprintf("<< /XObject << /Fm1 %d 0 R >> >>", form)
		}
		contents := add(stream("", body))
		if p.NoText {
			img := add(stream(" /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8", []byte{0x80}))
			res = fmt.Sprintf("<< /XObject << /Im1 %d 0 R >> >>", img)
		}
		resEntry := " /Resources " + res
		if p.Inherit {
			resEntry, rootRes = "", res
		}
		kids = append(kids, fmt.Sprintf("%d 0 R", add(fmt.Sprintf(
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]%s /Contents %d 0 R >>", resEntry, contents))))
	}
	if rootRes != "" {
		rootRes = " /Resources " + rootRes
	}
	objs[pagesObj-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d%s >>", strings.Join(kids, " "), len(kids), rootRes)

	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, catalog, xref)
	return out.Bytes()
}

// Notice is a short notice with a task and its unit marker, as a city
// government writes one.
var Notice = [][]string{{
	"关于印发某市2024年重点工作任务分工方案的通知",
	"各区人民政府，市政府各部门：",
	"一、稳住外贸外资基本盘",
	"1.推进外贸稳规模优结构，支持企业拓展多元市场。（牵头单位：市商务局；责任单位：市财政局）",
}, {
	"2.落实减税降费政策，2024年6月底前完成。（牵头单位：市税务局；责任单位：市财政局、市发展改革委）",
	"二、保障措施",
}}

// WordTable lays a table out on pages as Word and WPS draw one: every
// cell border a thin filled rectangle, each glyph placed on its own,
// digits set a quarter em off the Chinese around them, the title drawn
// twice a hair apart (a fake bold), the header row repeated on each page
// and a page number at each foot. A row of one cell spans the table.
func WordTable(title string, rows [][]string, widths []float64) PDF {
	const (
		size, lead, pad = 10.5, 14.0, 4.0
		left, top, foot = 60.0, 770.0, 80.0
	)
	var p PDF
	var shows []Show
	var draw strings.Builder
	y := top
	newPage := func() {
		if len(p.Pages) > 0 || len(shows) > 0 {
			shows = append(shows, Show{290, 40, 9, fmt.Sprintf("- %d -", len(p.Pages)+1)})
			p.Pages = append(p.Pages, nil)
			p.Shows = append(p.Shows, shows)
			p.Draw = append(p.Draw, draw.String())
		}
		shows, y = nil, top
		draw.Reset()
	}
	hrule := func(y float64) {
		total := 0.0
		for _, w := range widths {
			total += w
		}
		fmt.Fprintf(&draw, "0 0 0 rg %.2f %.2f %.2f 0.5 re f\n", left, y-0.25, total)
	}
	// wrap cuts a cell's text into lines of at most n runes.
	wrap := func(s string, w float64) []string {
		n := int((w - 2*pad) / size)
		var out []string
		rs := []rune(s)
		for len(rs) > n {
			out = append(out, string(rs[:n]))
			rs = rs[n:]
		}
		return append(out, string(rs))
	}
	drawRow := func(cells []string) {
		ws := widths
		if len(cells) == 1 {
			total := 0.0
			for _, w := range widths {
				total += w
			}
			ws = []float64{total}
		}
		var wrapped [][]string
		h := 0
		for i, c := range cells {
			wrapped = append(wrapped, wrap(c, ws[i]))
			h = max(h, len(wrapped[i]))
		}
		height := float64(h)*lead + 2*pad
		if y-height < foot {
			newPage()
			hrule(y)
			drawRowHeader(&draw, &shows, &y, rows[0], widths, hrule)
		}
		x := left
		for i, ls := range wrapped {
			for k, l := range ls {
				gx := x + pad
				prevDigit := false
				for j, r := range []rune(l) {
					digit := r >= '0' && r <= '9'
					if j > 0 && digit != prevDigit {
						gx += size / 4 // autospace between digits and Chinese
					}
					shows = append(shows, Show{gx, y - pad - float64(k+1)*lead + 3, size, string(r)})
					gx += size
					prevDigit = digit
				}
			}
			fmt.Fprintf(&draw, "0 0 0 rg %.2f %.2f 0.5 %.2f re f\n", x-0.25, y-height, height)
			x += ws[i]
		}
		fmt.Fprintf(&draw, "0 0 0 rg %.2f %.2f 0.5 %.2f re f\n", x-0.25, y-height, height)
		y -= height
		hrule(y)
	}
	for _, d := range []float64{0, 0.3} {
		shows = append(shows, Show{200 + d, top + d, 16, title})
	}
	y -= 30
	hrule(y)
	for _, r := range rows {
		drawRow(r)
	}
	newPage()
	return p
}

// drawRowHeader draws the header row again at the top of a new page.
func drawRowHeader(draw *strings.Builder, shows *[]Show, y *float64, header []string, widths []float64, hrule func(float64)) {
	const size, height = 10.5, 22.0
	x := 60.0
	for i, c := range header {
		*shows = append(*shows, Show{x + 4, *y - 15, size, c})
		fmt.Fprintf(draw, "0 0 0 rg %.2f %.2f 0.5 %.2f re f\n", x-0.25, *y-height, height)
		x += widths[i]
	}
	fmt.Fprintf(draw, "0 0 0 rg %.2f %.2f 0.5 %.2f re f\n", x-0.25, *y-height, height)
	*y -= height
	hrule(*y)
}

// OFD writes the pages of a PDF made by WordTable as an OFD: each
// string a TextObject, each filled rectangle a PathObject, in millimetres
// with y turned round (OFD's grows downwards).
func OFD(p PDF) []byte {
	const height, mm = 842.0, 25.4 / 72
	var pages [][2]string
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages>`)
	for i := range p.Pages {
		fmt.Fprintf(&doc, `<ofd:Page ID="%d" BaseLoc="Pages/Page_%d/Content.xml"/>`, i+1, i)
		var c strings.Builder
		c.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1">`)
		for j, s := range p.Shows[i] {
			fmt.Fprintf(&c, `<ofd:TextObject ID="%d" Boundary="%g %g %g %g" Font="3" Size="%g"><ofd:TextCode X="0" Y="%g">%s</ofd:TextCode></ofd:TextObject>`,
				1000+j, s.X*mm, (height-s.Y-s.Size)*mm, s.Size*float64(utf8.RuneCountInString(s.Text))*mm, s.Size*mm, s.Size*mm, s.Size*mm, html.EscapeString(s.Text))
		}
		for j, op := range strings.Split(p.Draw[i], "\n") {
			var x, y, w, h float64
			if n, _ := fmt.Sscanf(op, "0 0 0 rg %g %g %g %g re f", &x, &y, &w, &h); n != 4 {
				continue
			}
			x, y, w, h = x*mm, (height-y-h)*mm, w*mm, h*mm
			fmt.Fprintf(&c, `<ofd:PathObject ID="%d" Boundary="%g %g %g %g" Fill="true"><ofd:AbstractData>M 0 0 L %g 0 L %g %g L 0 %g C</ofd:AbstractData></ofd:PathObject>`,
				5000+j, x, y, w, h, w, w, h, h)
		}
		c.WriteString(`</ofd:Layer></ofd:Content></ofd:Page>`)
		pages = append(pages, [2]string{fmt.Sprintf("Doc_0/Pages/Page_%d/Content.xml", i), c.String()})
	}
	doc.WriteString(`</ofd:Pages></ofd:Document>`)
	parts := [][2]string{
		{"OFD.xml", `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">` +
			`<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`},
		{"Doc_0/Document.xml", doc.String()},
	}
	return Zip(append(parts, pages...)...)
}

// Docx builds a minimal .docx whose body is the given WordprocessingML.
func Docx(body string) []byte {
	return Zip(
		[2]string{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		[2]string{"word/document.xml", `<?xml version="1.0" encoding="UTF-8"?>` +
			`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			body + `</w:body></w:document>`})
}

// Zip builds a ZIP archive of the given parts (name, content), in order.
func Zip(parts ...[2]string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range parts {
		w, err := zw.Create(p[0])
		if err != nil {
			panic(err) // only a bad name fails, and the names are the tests'
		}
		w.Write([]byte(p[1]))
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}
