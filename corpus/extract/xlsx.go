package extract

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// Excel workbooks (.xlsx): task tables are often kept as spreadsheets.
// Each sheet's rows come out as table rows, "| cell | cell |" (pipe.go),
// with a blank line around each sheet, so the parser reads them as it
// reads an HTML or Word table. Shared strings, inline strings and cached
// formula results are read; styles, merged cells and formulas are not.
// Every part is streamed through the zip size cap.

func xlsxText(data []byte) (string, error) {
	zr, err := openZip("xlsx", data)
	if err != nil {
		return "", err
	}
	wb := findPart(zr, "xl/workbook.xml")
	if wb == nil {
		return "", errors.New("not an Excel workbook: the .xlsx has no xl/workbook.xml")
	}
	// Sheets in workbook order, through the relationship ids.
	var ids []string
	if err := ofdWalk(wb, func(_ *xml.Decoder, t xml.StartElement) error {
		if t.Name.Local == "sheet" {
			for _, a := range t.Attr {
				if a.Name.Local == "id" {
					ids = append(ids, a.Value)
				}
			}
		}
		return nil
	}); err != nil {
		return "", err
	}
	targets := map[string]string{}
	if rels := findPart(zr, "xl/_rels/workbook.xml.rels"); rels != nil {
		if err := ofdWalk(rels, func(_ *xml.Decoder, t xml.StartElement) error {
			var id, target string
			for _, a := range t.Attr {
				switch a.Name.Local {
				case "Id":
					id = a.Value
				case "Target":
					target = a.Value
				}
			}
			if t.Name.Local == "Relationship" && id != "" {
				targets[id] = ofdPath("xl", target)
			}
			return nil
		}); err != nil {
			return "", err
		}
	}
	var shared []string
	if ss := findPart(zr, "xl/sharedStrings.xml"); ss != nil {
		if err := ofdWalk(ss, func(dec *xml.Decoder, t xml.StartElement) error {
			if t.Name.Local == "si" {
				s, err := xmlText(dec, t)
				if err != nil {
					return err
				}
				shared = append(shared, s)
			}
			return nil
		}); err != nil {
			return "", err
		}
	}
	dates, err := xlsxDateStyles(zr)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, id := range ids {
		sheet := findPart(zr, targets[id])
		if sheet == nil {
			continue
		}
		b.WriteString("\n\n")
		if err := xlsxSheet(sheet, shared, dates, &b); err != nil {
			return "", err
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}

// xmlText returns the text of the t elements inside the element t starts
// (a shared string or an inline string, rich runs included).
func xmlText(dec *xml.Decoder, start xml.StartElement) (string, error) {
	var b strings.Builder
	depth, inT := 1, false
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			inT = t.Name.Local == "t"
		case xml.EndElement:
			depth--
			inT = false
		case xml.CharData:
			if inT {
				b.Write(t)
			}
		}
	}
	return b.String(), nil
}

// xlsxSheet writes a sheet's rows; a row's cells are placed by their
// column letters, so a skipped column stays an empty cell.
func xlsxSheet(sheet *zip.File, shared []string, dates map[int]bool, b *strings.Builder) error {
	var row []string
	flush := func() {
		if r := pipeRow(row); r != "" {
			b.WriteString(r)
			b.WriteByte('\n')
		}
		row = row[:0]
	}
	err := ofdWalk(sheet, func(dec *xml.Decoder, t xml.StartElement) error {
		switch t.Name.Local {
		case "row":
			flush()
		case "c":
			var ref, typ string
			style := -1
			for _, a := range t.Attr {
				switch a.Name.Local {
				case "r":
					ref = a.Value
				case "t":
					typ = a.Value
				case "s":
					if n, err := strconv.Atoi(a.Value); err == nil {
						style = n
					}
				}
			}
			var c struct {
				V  string `xml:"v"`
				Is struct {
					Inner []byte `xml:",innerxml"`
				} `xml:"is"`
			}
			if err := dec.DecodeElement(&c, &t); err != nil {
				return err
			}
			val := c.V
			switch typ {
			case "s":
				if i, err := strconv.Atoi(strings.TrimSpace(c.V)); err == nil && i >= 0 && i < len(shared) {
					val = shared[i]
				}
			case "inlineStr":
				val = stripXMLTags(string(c.Is.Inner))
			case "", "n":
				if dates[style] {
					val = excelDate(val)
				}
			}
			if col := columnIndex(ref); col >= len(row) && col < 1024 {
				for len(row) < col {
					row = append(row, "")
				}
			}
			row = append(row, val)
		}
		return nil
	})
	flush()
	if err != nil {
		return fmt.Errorf("%s: %w", path.Base(sheet.Name), err)
	}
	return nil
}

// xlsxDateStyles returns the cell styles (indexes into cellXfs) that show
// a number as a date: a deadline typed as a date is stored as a day count.
func xlsxDateStyles(zr *zip.Reader) (map[int]bool, error) {
	styles := findPart(zr, "xl/styles.xml")
	if styles == nil {
		return nil, nil
	}
	custom := map[string]bool{} // numFmtId → is a date format
	dates := map[int]bool{}
	inXfs, xf := false, 0
	err := ofdWalk(styles, func(_ *xml.Decoder, t xml.StartElement) error {
		attr := func(k string) string {
			for _, a := range t.Attr {
				if a.Name.Local == k {
					return a.Value
				}
			}
			return ""
		}
		switch t.Name.Local {
		case "numFmt":
			code := strings.ToLower(attr("formatCode"))
			custom[attr("numFmtId")] = strings.ContainsAny(code, "ymd") && !strings.Contains(code, "h")
		case "cellXfs":
			inXfs = true
		case "cellStyleXfs":
			inXfs = false
		case "xf":
			if inXfs {
				id := attr("numFmtId")
				n, _ := strconv.Atoi(id)
				if (n >= 14 && n <= 17) || (n >= 27 && n <= 36) || (n >= 50 && n <= 58) || custom[id] {
					dates[xf] = true
				}
				xf++
			}
		}
		return nil
	})
	return dates, err
}

// excelDate turns a day count (1900 date system) into 2024年6月30日, or
// leaves the value as it is.
func excelDate(v string) string {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 1 || f > 2958465 {
		return v
	}
	d := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f))
	return fmt.Sprintf("%d年%d月%d日", d.Year(), d.Month(), d.Day())
}

// columnIndex turns a cell reference's letters (C7 → 2) into a 0-based
// column, or -1.
func columnIndex(ref string) int {
	col := 0
	n := 0
	for _, r := range ref {
		if r < 'A' || r > 'Z' {
			break
		}
		col = col*26 + int(r-'A'+1)
		n++
	}
	if n == 0 {
		return -1
	}
	return col - 1
}

func stripXMLTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'", "&amp;", "&").Replace(b.String())
}
