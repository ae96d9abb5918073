package corpus

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// docxText extracts the paragraphs of a Word document (word/document.xml):
// each w:p becomes a line, w:tab a tab and w:br a line break. A table is
// written as the parser reads tables (table.go): a line a row, | cell |
// cell |, the paragraphs of a cell joined by a space; a nested table's text
// stays in its cell.
func docxText(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("not a docx (zip) file: %w", err)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
		}
	}
	if doc == nil {
		return "", errors.New("docx has no word/document.xml")
	}
	rc, err := doc.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	// A notice is small; cap the XML so a zip bomb cannot exhaust memory.
	const maxXML = 64 << 20
	dec := xml.NewDecoder(io.LimitReader(rc, maxXML))
	var b strings.Builder
	var cell strings.Builder // the table cell being read, if any
	var row []string
	inText, tables := false, 0
	out := func() *strings.Builder {
		if tables > 0 {
			return &cell
		}
		return &b
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("docx xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				out().WriteByte('\t')
			case "br", "cr":
				if tables > 0 {
					cell.WriteByte(' ')
				} else {
					b.WriteByte('\n')
				}
			case "tbl":
				if tables == 0 {
					b.WriteString("\n\n")
				}
				tables++
			case "tr":
				if tables == 1 {
					row = row[:0]
				}
			case "tc":
				if tables == 1 {
					cell.Reset()
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if tables > 0 {
					cell.WriteByte(' ')
				} else {
					b.WriteByte('\n')
				}
			case "tc":
				if tables == 1 {
					row = append(row, strings.ReplaceAll(strings.Join(strings.Fields(cell.String()), " "), "|", "｜"))
				}
			case "tr":
				if tables == 1 && strings.Join(row, "") != "" {
					b.WriteString("| " + strings.Join(row, " | ") + " |\n")
				}
			case "tbl":
				tables--
				if tables == 0 {
					b.WriteString("\n")
				}
			}
		case xml.CharData:
			if inText {
				out().Write(t)
			}
		}
	}
	return b.String(), nil
}
