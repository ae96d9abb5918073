package corpus

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"
)

// testPDF builds a PDF whose text is shown the way Chinese office software
// writes it: a Type0 font with Identity-H encoding whose two-byte codes are
// glyph ids, not Unicode, so only the font's ToUnicode CMap (here with both
// bfchar and bfrange entries) tells what the text says. Each page is a list
// of lines; a line is one text object, or with split set, the line is shown
// in two pieces, the second moved along x only (no new line).
type testPDF struct {
	pages    [][]string
	split    bool // show each line in two pieces on the same baseline
	noText   bool // an image-only page: no text operators at all
	compress bool // FlateDecode the content streams
	wrap     int  // wrap each line as a paragraph: indented 2 em, wrap runes a line
	padding  int  // bytes of blanks after each page's drawing (a compression bomb)
	inForm   bool // draw each page's text in a form XObject, its fonts in the form's resources
	inherit  bool // resources on the page tree's root, inherited by the pages
	turned   bool // the page drawn a quarter turn round (a landscape page in a portrait frame)
	// shows are strings placed on each page by position, after its lines;
	// draw is each page's path operators (table rules), drawn after them.
	shows [][]pdfShow
	draw  []string
}

// pdfShow is one string shown at a place, in a size.
type pdfShow struct {
	x, y, size float64
	text       string
}

func (p testPDF) bytes(tb testing.TB) []byte {
	tb.Helper()
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
	for _, pg := range p.pages {
		for _, l := range pg {
			addRunes(l)
		}
	}
	for _, pg := range p.shows {
		for _, s := range pg {
			addRunes(s.text)
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
		if p.compress {
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
	for pi, pg := range p.pages {
		var c strings.Builder
		if p.noText {
			c.WriteString("q 500 0 0 700 50 50 cm /Im1 Do Q\n")
		}
		y := 780
		for _, l := range pg {
			if p.noText {
				break
			}
			rs := []rune(l)
			if p.wrap > 0 {
				x, width := 56+24, p.wrap-2
				for len(rs) > 0 {
					n := min(width, len(rs))
					fmt.Fprintf(&c, "BT /F1 12 Tf %d %d Td %s Tj ET\n", x, y, hex(string(rs[:n])))
					rs, x, width, y = rs[n:], 56, p.wrap, y-18
				}
				continue
			}
			if p.split && len(rs) > 4 {
				cut := len(rs) / 2
				fmt.Fprintf(&c, "BT /F1 12 Tf 1 0 0 1 56 %d Tm %s Tj ET\n", y, hex(string(rs[:cut])))
				fmt.Fprintf(&c, "BT /F1 12 Tf 1 0 0 1 %d %d Tm [%s -20] TJ ET\n", 56+12*cut, y, hex(string(rs[cut:])))
			} else {
				fmt.Fprintf(&c, "BT /F1 12 Tf 56 %d Td %s Tj ET\n", y, hex(l))
			}
			y -= 18
		}
		if pi < len(p.shows) {
			for _, s := range p.shows[pi] {
				fmt.Fprintf(&c, "BT /F1 %g Tf 1 0 0 1 %g %g Tm %s Tj ET\n", s.size, s.x, s.y, hex(s.text))
			}
		}
		if pi < len(p.draw) {
			c.WriteString(p.draw[pi])
		}
		body := []byte(c.String())
		if p.turned {
			body = append(append([]byte("q 0 1 -1 0 842 0 cm\n"), body...), "Q\n"...)
		}
		if p.padding > 0 {
			body = append(body, bytes.Repeat([]byte{' '}, p.padding)...)
		}
		res := fmt.Sprintf("<< /Font << /F1 %d 0 R >> >>", font)
		if p.inForm {
			form := add(stream(fmt.Sprintf(" /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Matrix [1 0 0 1 0 -10] /Resources %s", res), body))
			body = []byte("q /Fm1 Do Q\n")
			res = fmt.Sprintf("<< /XObject << /Fm1 %d 0 R >> >>", form)
		}
		contents := add(stream("", body))
		if p.noText {
			img := add(stream(" /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8", []byte{0x80}))
			res = fmt.Sprintf("<< /XObject << /Im1 %d 0 R >> >>", img)
		}
		resEntry := " /Resources " + res
		if p.inherit {
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

// pdfNotice is a short notice with a task and its unit marker, as a city
// government writes one.
var pdfNotice = [][]string{{
	"关于印发某市2024年重点工作任务分工方案的通知",
	"各区人民政府，市政府各部门：",
	"一、稳住外贸外资基本盘",
	"1.推进外贸稳规模优结构，支持企业拓展多元市场。（牵头单位：市商务局；责任单位：市财政局）",
}, {
	"2.落实减税降费政策，2024年6月底前完成。（牵头单位：市税务局；责任单位：市财政局、市发展改革委）",
	"二、保障措施",
}}
